import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum, emptyTallies, mergeTallies, QuantileSketch, wilsonInterval } from '../src/index.js';

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
