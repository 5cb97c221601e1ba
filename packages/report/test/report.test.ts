import { type CompiledModel, estimate, loadScenario, simulatePaired } from '@entente/core';
import { describe, expect, it } from 'vitest';
import { timeShares } from '../src/charts/distributions.js';
import { spreadLabels } from '../src/charts/fan.js';
import {
  answerSentence,
  buildReport,
  CSP,
  describeParam,
  paramRows,
  type ReportInput,
  renameIds,
  reportFigures,
  valueQuantiles,
} from '../src/index.js';
import { allianceCites } from '../src/provenance.js';

// A small scenario whose answer is known: a monthly hazard h drawn from uniform(0.01, 0.03), so
// P(event by 24) = 1 − E[(1 − h)^24].
const scenario = (id: string, extra = '') => `
id: ${id}
title: Test ${id}
description: Does it happen?
sources:
  src-a: { title: "A measured rate", publisher: Somebody, date: 2024, url: "https://example.org/a" }
horizon: { steps: 24, unit: month, start: 2025-01 }
params:
  h: { dist: uniform, min: 0.01, max: 0.03, source: src-a, note: "Measured <carefully> & cited." }
  k: 2
  w: { dist: normal, mean: 1, sd: 0.2, label: a weight }
state:
  level: { init: 0, update: level }
events:
  hit: { hazard: "h * k / 2", repeat: true, effects: [{ add: level, by: w }] }
outcomes:
  happened: { when: "level > 0", label: it happens }
primary: happened
${extra}`;

function load(text: string): CompiledModel {
  const r = loadScenario(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

function input(): ReportInput {
  const models = [load(scenario('base')), load(scenario('more').replace('max: 0.03', 'max: 0.06'))];
  const paired = simulatePaired(models, { runs: 4000, seed: 7 });
  return {
    scenarios: models.map((m, i) => {
      const result = estimate(m, paired.simulations[i]!);
      const d = paired.discordance[i]?.happened;
      return {
        file: `${m.scenario.id}.yaml`,
        result,
        description: 'Does it happen?',
        ...(i > 0 && d !== undefined
          ? { difference: { estimate: (d.n01 - d.n10) / 4000, ci95: [0.01, 0.05] as [number, number] } }
          : {}),
        valueQuantiles: valueQuantiles(m, paired.simulations[i]!),
        params: paramRows(m, i === 1 ? ['h'] : []),
      };
    }),
    manifest: {
      engine: { name: 'entente', version: '0.0.0' },
      seed: 7,
      runs: 4000,
      date: '2026-01-01T00:00:00Z',
      command: 'entente report base.yaml more.yaml --seed 7 --runs 4000',
      given: [],
      set: [],
    },
  };
}

describe('report data', () => {
  it('reads params with their source, note, label and density quantiles', () => {
    const rows = paramRows(load(scenario('base')), ['h']);
    expect(rows.map((r) => r.name)).toEqual(['h', 'k', 'w']);
    const h = rows[0]!;
    expect(h.distribution).toBe('uniform(min 0.01, max 0.03)');
    expect(h.source).toEqual({
      id: 'src-a',
      title: 'A measured rate',
      publisher: 'Somebody',
      date: '2024',
      url: 'https://example.org/a',
    });
    expect(h.note).toBe('Measured <carefully> & cited.');
    expect(h.set).toBe(true);
    // Exact quantiles of U(0.01, 0.03) at 0.5% … 99.5%.
    expect(h.quantiles![0]).toBeCloseTo(0.01 + 0.02 * 0.005, 12);
    expect(h.quantiles![h.quantiles!.length - 1]).toBeCloseTo(0.01 + 0.02 * 0.995, 12);
    expect(rows[1]).toEqual({ name: 'k', distribution: '2' });
    expect(rows[2]!.label).toBe('a weight');
    expect(describeParam({ dist: 'lognormal', ci90: [1, 6] })).toBe('lognormal(ci90 [1, 6])');
  });

  it('takes generated params’ sources and notes from the alliance items, saying when they are the item’s', () => {
    const cites = allianceCites({
      interests: {
        oil: {
          label: 'oil sales',
          value: { dist: 'uniform', min: 0, max: 1 },
          source: 's1',
          note: 'n1',
          weight: 2,
        },
      },
      pressures: {
        turkey: { leverage: { dist: 'pert', min: 0, mode: 1, max: 2, source: 's2' }, note: 'whole' },
      },
      decision: { lambda: { dist: 'lognormal', ci90: [1, 6] }, thresholds: { downgrade: 0.2 }, note: 'd' },
    });
    expect(cites.get('oil')).toEqual({
      context: 'interest oil (oil sales)',
      label: 'oil sales',
      source: 's1',
      note: 'n1',
      inherited: true,
    });
    expect(cites.get('turkey_leverage')).toEqual({ context: 'pressure turkey', source: 's2' });
    expect(cites.get('turkey_weight')).toEqual({
      context: 'pressure turkey',
      note: 'whole',
      inherited: true,
    });
    expect(cites.get('decision_lambda')?.note).toBe('d');
    expect(cites.get('threshold_downgrade')?.context).toBe('decision rule');
    expect(allianceCites('not a document').size).toBe(0);
  });

  it('reads each value’s quantiles from the run, from its min to its max', () => {
    const m = load(scenario('base'));
    const sim = simulatePaired([m], { runs: 2000, seed: 1 }).simulations[0]!;
    const q = valueQuantiles(m, sim).level!;
    const r = estimate(m, sim).values.level!;
    expect(q[0]).toBe(r.min);
    expect(q[q.length - 1]).toBe(r.max);
    for (let i = 1; i < q.length; i++) expect(q[i]!).toBeGreaterThanOrEqual(q[i - 1]!);
  });

  it('spreads labels apart and keeps them in the input order', () => {
    expect(spreadLabels([0.1, 0.11, 0.5], 0.05)).toEqual([0.1, expect.closeTo(0.15, 12), 0.5]);
    expect(spreadLabels([0.3, 0.3], 0.02)).toEqual([0.3, expect.closeTo(0.32, 12)]);
  });

  it('splits the cumulative curve into when the event happened, summing to 1', () => {
    const r = input().scenarios[0]!.result;
    const shares = timeShares(r);
    expect(shares).toHaveLength(24);
    expect(shares.reduce((a, s) => a + s.share, 0)).toBeCloseTo(1, 12);
    const curve = r.outcomes.happened!.byStep;
    expect(shares[4]!.share).toBeCloseTo(
      (curve[4]!.probability - curve[3]!.probability) / r.outcomes.happened!.probability,
      12,
    );
  });

  it('says the answer in one sentence, with both intervals and the paired difference', () => {
    const s = input().scenarios;
    const text = answerSentence(s);
    const p = s[0]!.result.outcomes.happened!;
    expect(text).toMatch(
      /^It happens within 24 months: \d+\.\d% \(95% interval \d+\.\d% to \d+\.\d%\) of 4,000 simulated trials in base; /,
    );
    expect(text).toContain(`${(p.probability * 100).toFixed(1)}%`);
    // Analytic: 1 − E[(1 − h)^24] for h ~ U(0.01, 0.03) = 1 − (0.99^25 − 0.97^25) / (25 × 0.02) ≈ 0.3784;
    // 4,000 trials give a standard error of 0.0077, so ±0.03 is about 4 of them.
    const exact = 1 - (0.99 ** 25 - 0.97 ** 25) / (25 * 0.02);
    expect(Math.abs(p.probability - exact)).toBeLessThan(0.03);
    expect(text).toContain('from base (paired 95% interval +1.0 pts to +5.0 pts).');
  });
});

describe('the report', () => {
  it('draws the fan, differences, time to event, each value and each random param', () => {
    const ids = reportFigures(input()).map((f) => f.id);
    expect(ids).toEqual([
      'fan',
      'differences',
      'time-to-event',
      'value-level',
      'param-base-h',
      'param-base-w',
      'param-more-h',
    ]);
  });

  it('renders every figure to SVG with marks and its axis titles, and a page that fetches nothing', async () => {
    const { html, figures } = await buildReport(input());
    for (const f of figures) {
      expect(f.svg.startsWith('<svg')).toBe(true);
      expect(f.svg).toMatch(/class="mark-(line|area|rect|symbol|rule)/);
      for (const title of f.axes)
        expect(f.svg).toContain(`>${title.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</text>`);
      expect(html).toContain(f.svg);
    }
    expect(figures.find((f) => f.id === 'fan')!.axes).toEqual(['Months from 2025-01', 'P(happened by then)']);
    expect(html).toContain(`content="${CSP}"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|src=/i);
    expect(html).toContain('Measured &lt;carefully&gt; &amp; cited.');
    expect(html).toContain('set by --set');
    expect(html).toContain('entente report base.yaml more.yaml --seed 7 --runs 4000');
    // The labelled value at the horizon is the estimate, to one decimal.
    const p = input().scenarios[0]!.result.outcomes.happened!.probability;
    expect(figures[0]!.svg).toContain(`>${(p * 100).toFixed(1)}%</text>`);
  });

  it('says so when the scenarios start on different dates, rather than label every line from the first', async () => {
    const base = input();
    const [a, b] = base.scenarios;
    const later = { ...b!, result: { ...b!.result, horizon: { ...b!.result.horizon, start: '2026-03' } } };
    const { html, figures } = await buildReport({ ...base, scenarios: [a!, later] });
    expect(figures.find((f) => f.id === 'fan')!.axes[0]).toBe("Months from each scenario's start");
    expect(html).toContain("from each scenario's start: base 2025-01; more 2026-03");
    // Equal starts keep the date on the axis.
    expect((await buildReport(base)).figures.find((f) => f.id === 'fan')!.axes[0]).toBe(
      'Months from 2025-01',
    );
  });

  it('is deterministic: ids renamed per figure, the same bytes whatever was rendered before', async () => {
    const a = await buildReport(input());
    const b = await buildReport(input());
    expect(b.html).toBe(a.html);
    const ids = [...a.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws the first scenario’s primary outcome in every chart; a scenario without it has no line', () => {
    const base = input();
    const other = load(scenario('other').replaceAll('happened', 'elsewhere'));
    const sim = simulatePaired([other], { runs: 500, seed: 7 }).simulations[0]!;
    const withOther: ReportInput = {
      ...base,
      scenarios: [
        ...base.scenarios,
        { file: 'other.yaml', result: estimate(other, sim), valueQuantiles: {}, params: [] },
      ],
    };
    const fan = reportFigures(withOther)[0]!;
    const rows = (fan.spec.layer as { data: { values: { scenario: string }[] } }[])[1]!.data.values;
    expect(new Set(rows.map((r) => r.scenario))).toEqual(new Set(['base', 'more']));
    expect(answerSentence(withOther.scenarios)).toContain('other has no outcome happened');
  });

  it('renames ids and the references to them', () => {
    const svg =
      '<svg><clipPath id="clip3"><rect/></clipPath><g clip-path="url(#clip3)"/><use href="#clip3"/><g id="x"/></svg>';
    expect(renameIds(svg, 'fig-a')).toBe(
      '<svg><clipPath id="fig-a-1"><rect/></clipPath><g clip-path="url(#fig-a-1)"/><use href="#fig-a-1"/><g id="fig-a-2"/></svg>',
    );
  });
});
