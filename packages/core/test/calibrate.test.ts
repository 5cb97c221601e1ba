import { describe, expect, it } from 'vitest';
import { uniforms } from '../src/analysis/optimize.js';
import {
  type CalibrationFit,
  calibrate,
  calibrateAsync,
  calibrationFit,
  type FitRunner,
  latinHypercube,
  nelderMead,
  parseDocument,
  resolveDocument,
  validateBacktest,
} from '../src/index.js';

describe('the search', () => {
  it('a Latin hypercube hits every stratum of every dimension once', () => {
    const pts = latinHypercube(10, 3, 7);
    for (let j = 0; j < 3; j++) {
      const strata = pts.map((p) => Math.floor(p[j]! * 10)).sort((a, b) => a - b);
      expect(strata).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('Nelder–Mead finds the maximum of a concave quadratic inside the cube', () => {
    const f = (x: number[]): number => -((x[0]! - 0.3) ** 2) - 2 * (x[1]! - 0.7) ** 2;
    const best = nelderMead(f, [0.9, 0.1], { maxEvals: 400, tolerance: 1e-12 });
    expect(best.x[0]).toBeCloseTo(0.3, 3);
    expect(best.x[1]).toBeCloseTo(0.7, 3);
  });
});

// Recovery: episodes simulated from the model itself with known params; calibration must find them.
const TEMPLATE = `id: logit-hazard
title: A monthly hazard logistic in one covariate
horizon: { steps: 12 }
params:
  a: { dist: normal, mean: -2, sd: 1 }
  b: { dist: normal, mean: 0, sd: 1 }
  x: 0
derived:
  hazard: "logistic(a + b * x)"
outcomes:
  event: { when: "bernoulli(hazard)" }
primary: event
`;

function syntheticBacktest(a: number, b: number, n: number): string {
  const u = uniforms(42);
  const lines = [
    'id: synthetic',
    'title: Simulated from known params',
    'template: ./template.yaml',
    'episodes:',
  ];
  for (let i = 0; i < n; i++) {
    const x = -1 + (2 * i) / (n - 1);
    const h = 1 / (1 + Math.exp(-(a + b * x)));
    let at = 0;
    for (let t = 1; t <= 12 && at === 0; t++) if (u() < h) at = t;
    const observed = at > 0 ? `{ happened: ${at} }` : '{ not_by: 12 }';
    lines.push(`  - { id: e${i}, overrides: { params: { x: ${x} } }, observed: ${observed} }`);
  }
  return `${lines.join('\n')}\n`;
}

describe('calibration recovers known params from episodes simulated with them', () => {
  it('a = −2.5, b = 1.5 from 150 episodes', () => {
    const doc = parseDocument(syntheticBacktest(-2.5, 1.5, 150), 'synthetic.yaml');
    const tpl = parseDocument(TEMPLATE, 'template.yaml');
    if (!doc.ok || !tpl.ok) throw new Error('parse');
    const template = resolveDocument(tpl.value);
    const b = validateBacktest(doc.value);
    if (!template.ok || !b.ok) throw new Error('invalid');
    const r = calibrate(
      template.value,
      doc.value,
      b.value,
      [
        { name: 'a', lo: -5, hi: 0 },
        { name: 'b', lo: -1, hi: 4 },
      ],
      { runs: 2000, seed: 3, folds: 0 },
    );
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
    const { fitted, intervals } = r.value;
    expect(Math.abs(fitted.a! + 2.5), `a = ${fitted.a}`).toBeLessThan(0.4);
    expect(Math.abs(fitted.b! - 1.5), `b = ${fitted.b}`).toBeLessThan(0.6);
    expect(intervals.a![0]).toBeLessThanOrEqual(fitted.a!);
    expect(intervals.a![1]).toBeGreaterThanOrEqual(fitted.a!);
    // The fitted model discriminates: higher x, higher forecast.
    expect(r.value.inSample.discrimination.auc!).toBeGreaterThan(0.6);
  }, 60_000);

  it('refuses an unknown param and an empty range', () => {
    const doc = parseDocument(syntheticBacktest(-2.5, 1.5, 10), 'synthetic.yaml');
    const tpl = parseDocument(TEMPLATE, 'template.yaml');
    if (!doc.ok || !tpl.ok) throw new Error('parse');
    const template = resolveDocument(tpl.value);
    const b = validateBacktest(doc.value);
    if (!template.ok || !b.ok) throw new Error('invalid');
    const r = calibrate(template.value, doc.value, b.value, [
      { name: 'aa', lo: 0, hi: 1 },
      { name: 'b', lo: 1, hi: 1 },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.code).sort()).toEqual(['calibrate.range']);
    const r2 = calibrate(template.value, doc.value, b.value, [{ name: 'aa', lo: 0, hi: 1 }]);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.issues[0]!.code).toBe('bind.unknown');
  });
});

describe('fits computed elsewhere (FitRunner)', () => {
  it('the same result, bit for bit, with the fits computed last first; one fit per set', async () => {
    const doc = parseDocument(syntheticBacktest(-2, 1, 24), 'synthetic.yaml');
    const tpl = parseDocument(TEMPLATE, 'template.yaml');
    if (!doc.ok || !tpl.ok) throw new Error('parse');
    const template = resolveDocument(tpl.value);
    const b = validateBacktest(doc.value);
    if (!template.ok || !b.ok) throw new Error('invalid');
    const free = [
      { name: 'a', lo: -5, hi: 0 },
      { name: 'b', lo: -1, hi: 4 },
    ];
    // Early episodes (e0 … e11) get an as_of before the split; the rest after.
    const episodes = b.value.episodes.map((e, i) => ({ ...e, as_of: i < 12 ? '2010-01' : '2020-01' }));
    const bt = { ...b.value, episodes };
    const options = { runs: 300, seed: 5, folds: 3, starts: 6, maxEvals: 12, trainUntil: '2015-12' };
    const asked: number[][] = [];
    const fit = calibrationFit(template.value, doc.value, bt, free, options);
    const runner: FitRunner = {
      async run(sets) {
        asked.push(...sets.map((x) => [...x]));
        const out: PromiseSettledResult<CalibrationFit>[] = new Array(sets.length);
        for (let k = sets.length - 1; k >= 0; k--) out[k] = { status: 'fulfilled', value: fit(sets[k]!) };
        return out;
      },
    };
    const here = calibrate(template.value, doc.value, bt, free, options);
    const there = await calibrateAsync(template.value, doc.value, bt, free, { ...options, fits: runner });
    expect(there).toEqual(here);
    // The whole set, three folds' training sets, the training set up to 2015-12.
    expect(asked.map((x) => x.length)).toEqual([24, 16, 16, 16, 12]);
    expect(here.ok && here.value.outOfTime?.tested).toBe(12);
    // A failed fit is met where one thread meets it: the first in order, whichever finished first.
    const failing = (bad: number[]): FitRunner => ({
      async run(sets) {
        return sets.map((x, k) =>
          bad.includes(k)
            ? { status: 'rejected', reason: new Error(`fit ${k} failed`) }
            : { status: 'fulfilled', value: fit(x) },
        );
      },
    });
    await expect(
      calibrateAsync(template.value, doc.value, bt, free, { ...options, fits: failing([3, 2]) }),
    ).rejects.toThrow('fit 2 failed');
    await expect(
      calibrateAsync(template.value, doc.value, bt, free, { ...options, fits: failing([4]) }),
    ).rejects.toThrow('fit 4 failed');
  }, 60_000);
});
