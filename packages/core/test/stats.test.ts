import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ExactSum,
  emptyTallies,
  mergeTallies,
  QuantileSketch,
  run,
  simulate,
  trace,
  wilsonInterval,
} from '../src/index.js';
import { emptyValue } from '../src/simulate/tallies.js';
import { EXAMPLE_TRIALS, estimate, quantileOf } from '../src/stats/estimate.js';
import { model, scenario } from './helpers.js';

describe('Wilson interval', () => {
  it('matches published values', () => {
    // Newcombe (1998), Table I: 0/10 → [0, 0.2775]; 5/10 → [0.2366, 0.7634]; 81/263 → [0.2553, 0.3662].
    const r = (x: [number, number]) => x.map((v) => Math.round(v * 1e4) / 1e4);
    expect(r(wilsonInterval(0, 10))).toEqual([0, 0.2775]);
    expect(r(wilsonInterval(5, 10))).toEqual([0.2366, 0.7634]);
    expect(r(wilsonInterval(81, 263))).toEqual([0.2553, 0.3662]);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
  it('always lies in [0, 1] and contains k/n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e7 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.round(f * n);
        const [lo, hi] = wilsonInterval(k, n);
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(k / n + 1e-12);
        expect(hi).toBeGreaterThanOrEqual(k / n - 1e-12);
      }),
    );
  });
});

describe('ExactSum', () => {
  it('is exact where naive summation is not', () => {
    const s = new ExactSum();
    const xs = [1e16, 1, -1e16, 0.1, 0.2, -0.3];
    for (const x of xs) s.add(x);
    // Exactly 1 + 2.78e-17, which rounds to 1; adding left to right loses the 1 and gives 5.55e-17.
    expect(s.value()).toBe(1);
    expect(xs.reduce((a, b) => a + b)).not.toBe(1);
  });
  it('gives the same bits in any order and under any split-and-merge', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), {
          maxLength: 60,
        }),
        fc.nat(),
        (xs, cut) => {
          const forward = new ExactSum();
          for (const x of xs) forward.add(x);
          const backward = new ExactSum();
          for (const x of [...xs].reverse()) backward.add(x);
          const k = xs.length === 0 ? 0 : cut % xs.length;
          const a = new ExactSum();
          const b = new ExactSum();
          for (const x of xs.slice(0, k)) a.add(x);
          for (const x of xs.slice(k)) b.add(x);
          b.merge(a);
          expect(Object.is(forward.value(), backward.value())).toBe(true);
          expect(Object.is(forward.value(), b.value())).toBe(true);
          expect(Object.is(ExactSum.fromPartials(forward.toJSON()).value(), forward.value())).toBe(true);
        },
      ),
    );
  });
});

describe('QuantileSketch', () => {
  it('quantiles lie within the relative accuracy of the exact order statistic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 500 }),
        (xs) => {
          const sk = new QuantileSketch();
          for (const x of xs) sk.add(x);
          const sorted = [...xs].sort((a, b) => a - b);
          for (const q of [0, 0.05, 0.5, 0.95, 1]) {
            const exact = sorted[Math.floor(q * (xs.length - 1))]!;
            const got = sk.quantile(q);
            if (Math.abs(exact) < 1e-12) expect(got).toBe(0);
            else expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.abs(exact) * 0.0051);
          }
        },
      ),
    );
  });
  it('stays bounded over 24 decades and merges to the same state in any order', () => {
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    const all = new QuantileSketch();
    for (let i = 0; i < 50_000; i++) {
      const x = 10 ** ((((i * 7919) % 50_000) / 50_000) * 24 - 12);
      (i % 2 ? a : b).add(x);
      all.add(x);
    }
    expect(all.size).toBeLessThanOrEqual(2048);
    const ab = QuantileSketch.fromJSON(a.toJSON());
    ab.merge(b);
    const ba = QuantileSketch.fromJSON(b.toJSON());
    ba.merge(a);
    expect(ab.toJSON()).toEqual(all.toJSON());
    expect(ba.toJSON()).toEqual(all.toJSON());
    // Values are 10^U(−12, 12): the top ~8.9 decades (2048 buckets at α = 0.5%) keep their accuracy,
    // so the 90th percentile, 10^9.6, is within α; the collapsed low end is where accuracy was given up.
    expect(Math.abs(all.quantile(0.9) / 10 ** 9.6 - 1)).toBeLessThan(0.006);
  });
});

describe('tallies', () => {
  it('merge only adjacent trial ranges and add counts', () => {
    const a = emptyTallies(3, 1, 0, 0);
    a.runs = 10;
    a.firstPassage[0]![2] = 4;
    const b = emptyTallies(3, 1, 0, 10);
    b.runs = 5;
    b.firstPassage[0]![2] = 1;
    const m = mergeTallies(a, b);
    expect(m.runs).toBe(15);
    expect(m.firstPassage[0]![2]).toBe(5);
    const far = emptyTallies(3, 1, 0, 100);
    far.runs = 1;
    expect(() => mergeTallies(m, far)).toThrow(/not adjacent/);
  });
});

describe('Wilson interval edge cases (found by the @entente/testing kit)', () => {
  it('reaches exactly 0 when k = 0 and exactly 1 when k = n, for any n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), (n) => {
        expect(wilsonInterval(0, n)[0]).toBe(0);
        expect(wilsonInterval(n, n)[1]).toBe(1);
      }),
    );
  });
});

describe('reported quantiles stay within the values seen (issue 16)', () => {
  it('a tally of values at a ceiling reports the ceiling, not its bucket value 0.9008', () => {
    const t = emptyValue();
    const sketch = t.sketch;
    for (let i = 0; i < 100; i++) {
      const x = i < 20 ? 0.5 + i / 100 : 0.9;
      t.sketch.add(x);
      t.min = Math.min(t.min, x);
      t.max = Math.max(t.max, x);
    }
    // The sketch alone answers with its bucket's representative value, above the ceiling …
    expect(sketch.quantile(0.5)).toBeGreaterThan(0.9);
    // … which the estimate clamps to [min, max].
    expect(quantileOf(t, 0.5)).toBe(0.9);
    expect(quantileOf(t, 1)).toBe(0.9);
    expect(quantileOf(t, 0)).toBeGreaterThanOrEqual(0.5);
    expect(Number.isNaN(quantileOf(emptyValue(), 0.5))).toBe(true);
  });

  it('every quantile of every reported value lies in [min, max], whatever the values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (xs) => {
          const t = emptyValue();
          for (const x of xs) {
            t.sketch.add(x);
            t.min = Math.min(t.min, x);
            t.max = Math.max(t.max, x);
          }
          for (const q of [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1]) {
            const v = quantileOf(t, q);
            expect(v).toBeGreaterThanOrEqual(t.min);
            expect(v).toBeLessThanOrEqual(t.max);
          }
        },
      ),
    );
  });

  it('run: a tie capped at 0.9 reports p50 and p95 of exactly 0.9', () => {
    const text = scenario(
      `state:
  tie: { init: 0.9, update: "min(0.9, tie + normal(0, 0.05))" }
outcomes:
  o: { when: "tie < 0.5" }
report: [tie]`,
      'o',
      24,
    );
    const r = run(model(text), { runs: 2000, seed: 3 });
    const tie = r.values.tie!;
    expect(tie.max).toBe(0.9);
    expect(tie.quantiles.p95).toBe(0.9);
    for (const q of Object.values(tie.quantiles)) {
      expect(q).toBeLessThanOrEqual(tie.max);
      expect(q).toBeGreaterThanOrEqual(tie.min);
    }
  });

  it("the evidence summary's prior and posterior quantiles stay within the param's values", () => {
    const text = scenario(
      `params:
  x: { dist: categorical, values: [0.9, 0.5], p: [0.8, 0.2] }
outcomes:
  o: { when: "bernoulli(x / 10)" }
given: ["x in 0.7..1 at 0"]`,
    );
    const r = run(model(text), { runs: 2000, seed: 5 });
    const { prior, posterior } = r.evidence!.params.x!;
    expect([prior.p50, prior.p90]).toEqual([0.9, 0.9]);
    expect(prior.p10).toBeGreaterThanOrEqual(0.5);
    expect([posterior.p10, posterior.p50, posterior.p90]).toEqual([0.9, 0.9, 0.9]);
  });
});

describe('examples: trials where the primary outcome happened (issue 16)', () => {
  const text = scenario(
    `params: { h: 0.05 }
outcomes:
  hit: { when: "bernoulli(h)" }
  never: { when: "false" }`,
    'hit',
    6,
  );

  it('are the first trials of the run in which it happened, each one a trial that trace shows it in', () => {
    const m = model(text);
    const r = run(m, { runs: 3000, seed: 'examples' });
    expect(r.examples).toHaveLength(EXAMPLE_TRIALS);
    for (const k of r.examples) expect(trace(m, { trial: k, seed: 'examples' }).outcomes.hit).not.toBeNull();
    // None missed before the last one listed.
    const listed = new Set(r.examples);
    for (let k = 0; k < r.examples.at(-1)!; k++)
      if (!listed.has(k)) expect(trace(m, { trial: k, seed: 'examples' }).outcomes.hit).toBeNull();
    // The first hit that trace finds is the first example.
    expect(trace(m, { firstHit: 'hit', seed: 'examples' })?.trial).toBe(r.examples[0]);
  });

  it('do not depend on the chunks of the run, and start at its first trial', () => {
    const m = model(text);
    const a = estimate(m, simulate(m, { runs: 3000, seed: 9, chunkSize: 7 }));
    const b = estimate(m, simulate(m, { runs: 3000, seed: 9 }));
    expect(a.examples).toEqual(b.examples);
    const later = estimate(m, simulate(m, { runs: 3000, seed: 9, firstTrial: 1000 }));
    expect(later.examples.every((k) => k >= 1000)).toBe(true);
    // A caller that only reads probabilities can skip the search.
    expect(estimate(m, simulate(m, { runs: 3000, seed: 9 }), { examples: 0 }).examples).toEqual([]);
  });

  it('are empty when the outcome never happened', () => {
    const never = model(text.replace('primary: hit', 'primary: never'));
    expect(run(never, { runs: 500 }).examples).toEqual([]);
    expect(trace(never, { firstHit: 'never', limit: 500 })).toBeUndefined();
  });
});
