import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EpisodeSimulator } from '../src/analysis/backtest.js';
import {
  mergeShards,
  parseDocument,
  resolveDocument,
  runBacktest,
  scoreBacktest,
  simulate,
  simulateAsync,
  toShard,
  validateBacktest,
} from '../src/index.js';

const dir = new URL('../../../tests/fixtures/backtest/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');

function backtest(text: string) {
  const doc = parseDocument(text, 'backtest.yaml');
  if (!doc.ok) throw new Error('parse');
  const tpl = parseDocument(read('template.yaml'), 'template.yaml');
  if (!tpl.ok) throw new Error('parse');
  const template = resolveDocument(tpl.value);
  if (!template.ok) throw new Error('resolve');
  const b = validateBacktest(doc.value);
  return { doc: doc.value, template: template.value, b };
}

describe('backtest: each episode forecast by the template with its overrides', () => {
  it('forecasts match the constant-hazard curve 1 − (1 − h)^s, and the scores are those of the forecasts', () => {
    const { doc, template, b } = backtest(read('backtest.yaml'));
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    const N = 40_000;
    const r = runBacktest(template, doc, b.value, { runs: N, seed: 5 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const hs = [0.01, 0.05, 0.2, 0.1];
    r.value.episodes.forEach((e, i) => {
      for (const s of [1, 6, 12]) {
        const truth = 1 - (1 - hs[i]!) ** s;
        const se = Math.sqrt((truth * (1 - truth)) / N);
        expect(Math.abs(e.cumulative[s - 1]! - truth)).toBeLessThan(4.5 * se + 1e-12);
      }
    });
    expect(r.value.episodes.map((e) => e.observed)).toEqual([
      { notBy: 12 },
      { at: 7 },
      { at: 2 },
      { notBy: 6 },
    ]);
    // The scores are a pure function of the forecasts: re-scoring them gives the same numbers.
    expect(r.value.scores).toEqual(scoreBacktest(r.value.episodes, { horizon: 12 }));
    // The episode censored at step 6 has no yes/no outcome at 12.
    expect(r.value.scores.excluded.map((x) => x.id)).toEqual(['early-censor']);
  });

  it('common random numbers: a higher hazard never gives a lower forecast at any step', () => {
    const text = read('backtest.yaml').replace('h: 0.05 }', 'h: 0.051 }');
    const { doc, template, b } = backtest(text);
    if (!b.ok) throw new Error('invalid');
    const a = runBacktest(template, doc, b.value, { runs: 5_000, seed: 9 });
    const base = backtest(read('backtest.yaml'));
    if (!base.b.ok) throw new Error('invalid');
    const c = runBacktest(base.template, base.doc, base.b.value, { runs: 5_000, seed: 9 });
    if (!a.ok || !c.ok) throw new Error('failed');
    a.value.episodes[1]!.cumulative.forEach((p, s) => {
      expect(p).toBeGreaterThanOrEqual(c.value.episodes[1]!.cumulative[s]!);
    });
  });

  it('problems point into the backtest file: an override the template rejects, a duplicate id, an unknown source', () => {
    const text = read('backtest.yaml')
      .replace('{ params: { h: 0.2 } }', '{ params: { h: { dist: uniform, min: 0, maks: 1 } } }')
      .replace('id: mid', 'id: low')
      .replace('sources: [made-up]', 'sources: [made-upp]');
    const { b } = backtest(text);
    expect(b.ok).toBe(false);
    if (b.ok) return;
    expect(b.issues.map((i) => i.code).sort()).toEqual(['backtest.duplicate', 'reference.source']);
    const fixed = backtest(
      text
        .replace('id: low, overrides: { params: { h: 0.05', 'id: mid, overrides: { params: { h: 0.05')
        .replace('made-upp', 'made-up'),
    );
    if (!fixed.b.ok) throw new Error(fixed.b.issues.map((i) => i.message).join('; '));
    const r = runBacktest(fixed.template, fixed.doc, fixed.b.value, { runs: 100 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ file: 'backtest.yaml', line: 10 });
    expect(r.issues[0]!.message).toMatch(/^episode high: /);
  });

  it('an observed step beyond the template horizon is refused', () => {
    const { doc, template, b } = backtest(read('backtest.yaml').replace('happened: 7', 'happened: 13'));
    if (!b.ok) throw new Error('invalid');
    const r = runBacktest(template, doc, b.value, { runs: 100 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.code).toBe('backtest.horizon');
  });

  it('simulated elsewhere (simulateEpisodes): the same result, bit for bit, and the same problems', async () => {
    const { doc, template, b } = backtest(read('backtest.yaml'));
    if (!b.ok) throw new Error('invalid');
    const here = runBacktest(template, doc, b.value, { runs: 3_000, seed: 'crn' });
    // A chunk at a time, and through shards (as worker threads send them back): the same tallies.
    const seen: { runs: number; seed: number | string }[] = [];
    const chunked = await runBacktest(template, doc, b.value, {
      runs: 3_000,
      seed: 'crn',
      simulateEpisodes: async (models, run) => {
        seen.push(run);
        return Promise.all(models.map((m) => simulateAsync(m, { ...run, chunkSize: 700 })));
      },
    });
    const sharded = await runBacktest(template, doc, b.value, {
      runs: 3_000,
      seed: 'crn',
      simulateEpisodes: async (models, run) =>
        models.map((m) => mergeShards(m, [JSON.parse(JSON.stringify(toShard(m, simulate(m, run))))])),
    });
    expect(seen).toEqual([{ runs: 3_000, seed: 'crn' }]);
    expect(chunked).toEqual(here);
    expect(sharded).toEqual(here);
    // Problems are found before anything is simulated, and are those of the synchronous call.
    const bad = backtest(read('backtest.yaml').replace('happened: 7', 'happened: 13'));
    if (!bad.b.ok) throw new Error('invalid');
    let called = false;
    const r = await runBacktest(bad.template, bad.doc, bad.b.value, {
      runs: 100,
      simulateEpisodes: async () => {
        called = true;
        return [];
      },
    });
    expect(called).toBe(false);
    expect(r).toEqual(runBacktest(bad.template, bad.doc, bad.b.value, { runs: 100 }));
  });

  it('simulateEpisodes: a simulator that ran other trials, another seed or too few episodes is a bug', async () => {
    const { doc, template, b } = backtest(read('backtest.yaml'));
    if (!b.ok) throw new Error('invalid');
    const run = (simulateEpisodes: EpisodeSimulator) =>
      runBacktest(template, doc, b.value, { runs: 200, seed: 3, simulateEpisodes });
    await expect(
      run(async (models) => models.map((m) => simulate(m, { runs: 199, seed: 3 }))),
    ).rejects.toThrow(/trials 0 … 199/);
    await expect(
      run(async (models) => models.map((m) => simulate(m, { runs: 200, seed: 4 }))),
    ).rejects.toThrow(/seed 3/);
    await expect(
      run(async (models) => models.map((m) => simulate(m, { runs: 200, seed: 3, firstTrial: 1 }))),
    ).rejects.toThrow(/trials 0/);
    await expect(
      run(async (models) => models.slice(1).map((m) => simulate(m, { runs: 200, seed: 3 }))),
    ).rejects.toThrow(/expected 4 episode simulations, got 3/);
    // An error while simulating reaches the caller as it was thrown.
    const boom = new Error('boom');
    await expect(run(async () => Promise.reject(boom))).rejects.toBe(boom);
  });
});
