import { describe, expect, it } from 'vitest';
import {
  bindParams,
  run,
  SimulationError,
  SOBOL_MAX_DIMENSIONS,
  sobolPoints,
  sweep,
  sweepDesign,
} from '../src/index.js';
import { model, scenario, withinSE } from './helpers.js';

const T = 24;
/** A constant per-step hazard: P(hit by step s) = 1 − (1 − h)^s exactly. */
const HAZARD = scenario(
  `params:
  h: 0.05
outcomes:
  hit: { when: "bernoulli(h)" }`,
  'hit',
  T,
);

/** Random and fixed params, a derived one, a random walk: the bind tests' model. */
const MIXED = scenario(
  `params:
  h: { dist: uniform, min: 0.01, max: 0.1 }
  k: 2
  w: { dist: normal, mean: 0, sd: 1 }
derived:
  d: "h * k"
state:
  x: { init: 0, update: "x + w * 0.1 + normal(0, 0.01)" }
outcomes:
  o: { when: "bernoulli(d)" }
  drift: { when: "x > 0.5" }
report: [x]`,
  'o',
  T,
);

const sweepOf = (...args: Parameters<typeof sweep>) => {
  const r = sweep(...args);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
};

describe('sweep: grid over a constant hazard', () => {
  const runs = 20_000;
  const result = sweepOf(model(HAZARD), {
    vary: [{ name: 'h', lo: 0.01, hi: 0.2, steps: 8 }],
    runs,
    seed: 11,
    steps: [6, 12],
  });

  it('evaluates every grid value, from lo to hi inclusive, as the decimal it prints as', () => {
    expect(result.points.map((p) => p.values.h)).toEqual([
      0.01, 0.0371428571429, 0.0642857142857, 0.0914285714286, 0.118571428571, 0.145714285714, 0.172857142857,
      0.2,
    ]);
    expect(result.inputs).toEqual([{ name: 'h', lo: 0.01, hi: 0.2, steps: 8 }]);
  });

  it('gives P = 1 − (1 − h)^T at each point (and by each step of interest) within Monte Carlo error', () => {
    for (const p of result.points) {
      const h = p.values.h!;
      expect(withinSE(p.probability, 1 - (1 - h) ** T, runs)).toBe(true);
      expect(p.ci95[0]).toBeLessThanOrEqual(p.probability);
      expect(p.ci95[1]).toBeGreaterThanOrEqual(p.probability);
      for (const s of p.at) expect(withinSE(s.probability, 1 - (1 - h) ** s.step, runs)).toBe(true);
    }
  });

  it('is exactly monotone in h: common random numbers, so no trial un-happens as h grows', () => {
    for (let i = 1; i < result.points.length; i++) {
      const [a, b] = [result.points[i - 1]!, result.points[i]!];
      expect(b.hits).toBeGreaterThan(a.hits);
      b.at.forEach((s, j) => {
        expect(s.probability).toBeGreaterThanOrEqual(a.at[j]!.probability);
      });
      // Every discordant trial goes one way, so the paired difference is the difference of the
      // estimates, with an interval far narrower than that of two independent runs.
      const d = b.difference!;
      expect(d.from).toBe(i - 1);
      expect(d.estimate).toBeCloseTo(b.probability - a.probability, 12);
      expect(d.ci95[0]).toBeGreaterThan(0);
      const independent =
        2 *
        1.96 *
        Math.sqrt((a.probability * (1 - a.probability) + b.probability * (1 - b.probability)) / runs);
      expect(d.ci95[1] - d.ci95[0]).toBeLessThan(independent);
      const truth = (1 - a.values.h!) ** T - (1 - b.values.h!) ** T;
      expect(Math.abs(d.estimate - truth)).toBeLessThan(d.ci95[1] - d.ci95[0]);
      d.at.forEach((s, j) => {
        expect(s.estimate).toBeCloseTo(b.at[j]!.probability - a.at[j]!.probability, 12);
      });
    }
    expect(result.points[0]!.difference).toBeUndefined();
  });
});

describe('sweep points are separate bound runs, bit for bit', () => {
  const base = model(MIXED);
  const options = { runs: 3000, seed: 'sweep-test', steps: [3, 12] };
  const same = (values: Record<string, number>, point: (typeof result.points)[number]) => {
    const bound = bindParams(base, values);
    if (!bound.ok) throw new Error('bind');
    const r = run(bound.value, options);
    const o = r.outcomes[r.primary]!;
    expect(point.values).toEqual(values);
    expect(point.hits).toBe(o.hits);
    expect(point.probability).toBe(o.probability);
    expect(point.ci95).toEqual(o.ci95);
    expect(point.at).toEqual(options.steps.map((step) => ({ step, ...pick(o.byStep[step - 1]!) })));
  };
  const pick = ({ probability, ci95 }: { probability: number; ci95: [number, number] }) => ({
    probability,
    ci95,
  });
  const result = sweepOf(base, {
    vary: [
      { name: 'k', lo: 1, hi: 3, steps: 2 },
      { name: 'h', lo: 0.02, hi: 0.08, steps: 3 },
    ],
    ...options,
  });

  it('on a grid of two inputs, the last varying fastest, whatever the chunk size', () => {
    expect(result.points.map((p) => [p.values.k, p.values.h])).toEqual([
      [1, 0.02],
      [1, 0.05],
      [1, 0.08],
      [3, 0.02],
      [3, 0.05],
      [3, 0.08],
    ]);
    for (const p of result.points) same(p.values, p);
    // Differences run along the last input's rows, never across them.
    expect(result.points.map((p) => p.difference?.from)).toEqual([undefined, 0, 1, undefined, 3, 4]);
    const chunked = sweepOf(base, { vary: result.inputs, ...options, chunkSize: 777 });
    expect(chunked).toEqual(result);
  });

  it('on space-filling designs (a random param bound to numbers, a number param too)', () => {
    for (const design of ['lhs', 'sobol'] as const) {
      const r = sweepOf(base, {
        vary: [
          { name: 'w', lo: -1, hi: 1 },
          { name: 'k', lo: 0.5, hi: 2 },
        ],
        design,
        points: 4,
        ...options,
      });
      expect(r.points).toHaveLength(4);
      for (const p of r.points) {
        same(p.values, p);
        expect(p.difference).toBeUndefined();
      }
    }
  });

  it('leaves the model it was given untouched', () => {
    expect(run(base, { runs: 500, seed: 1 })).toEqual(run(model(MIXED), { runs: 500, seed: 1 }));
  });
});

describe('Sobol sequence', () => {
  it('starts (0.5, 0.5), (0.75, 0.25), (0.25, 0.75), (0.375, 0.375) in two dimensions', () => {
    expect(sobolPoints(8, 2)).toEqual([
      [0.5, 0.5],
      [0.75, 0.25],
      [0.25, 0.75],
      [0.375, 0.375],
      [0.875, 0.875],
      [0.625, 0.125],
      [0.125, 0.625],
      [0.1875, 0.3125],
    ]);
  });

  it('matches the Joe–Kuo reference in every dimension (point 1001 of 21 dimensions)', () => {
    // From SciPy 1.17, scipy.stats.qmc.Sobol(21, scramble=False).random(1002)[1001]: the same
    // direction numbers (new-joe-kuo-6.21201). All 1,023 first points of 21 dimensions agreed.
    expect(SOBOL_MAX_DIMENSIONS).toBe(21);
    expect(sobolPoints(1001, 21)[1000]).toEqual([
      0.7197265625, 0.5966796875, 0.0185546875, 0.1767578125, 0.7802734375, 0.4072265625, 0.5458984375,
      0.3994140625, 0.0009765625, 0.5693359375, 0.5849609375, 0.7548828125, 0.6611328125, 0.8837890625,
      0.6435546875, 0.8701171875, 0.2197265625, 0.8447265625, 0.4912109375, 0.2255859375, 0.0224609375,
    ]);
  });

  it('with the origin, its first 2^m points put one point in each 1/2^m of every dimension', () => {
    const m = 7;
    const points = [new Array<number>(21).fill(0), ...sobolPoints(2 ** m - 1, 21)];
    for (let j = 0; j < 21; j++) {
      const strata = points.map((p) => Math.floor(p[j]! * 2 ** m)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: 2 ** m }, (_, i) => i));
    }
  });

  it('refuses more dimensions than it has direction numbers for', () => {
    expect(() => sobolPoints(4, 22)).toThrow(RangeError);
    expect(() => sobolPoints(4, 0)).toThrow(RangeError);
  });
});

describe('sweep designs', () => {
  const inputs = [
    { name: 'a', lo: 0, hi: 10 },
    { name: 'b', lo: -1, hi: 1 },
    { name: 'c', lo: 100, hi: 200 },
  ];

  it('a Latin hypercube hits each of its n strata once in every input, from the seed', () => {
    const n = 12;
    const d = sweepDesign(inputs, 'lhs', { points: n, seed: 5 });
    expect(d.values).toHaveLength(n);
    inputs.forEach((x, j) => {
      const strata = d.values.map((v) => Math.floor(((v[j]! - x.lo) / (x.hi - x.lo)) * n));
      expect([...strata].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
    });
    expect(sweepDesign(inputs, 'lhs', { points: n, seed: 5 })).toEqual(d);
    expect(sweepDesign(inputs, 'lhs', { points: n, seed: 6 }).values).not.toEqual(d.values);
  });

  it('a Sobol design does not depend on the seed', () => {
    expect(sweepDesign(inputs, 'sobol', { points: 8, seed: 1 })).toEqual(
      sweepDesign(inputs, 'sobol', { points: 8, seed: 2 }),
    );
    expect(sweepDesign(inputs, 'sobol', { points: 1 }).values).toEqual([[5, 0, 150]]);
  });

  it('a grid defaults to 5 steps per input', () => {
    expect(sweepDesign([{ name: 'a', lo: 0, hi: 1 }], 'grid').values).toEqual([
      [0],
      [0.25],
      [0.5],
      [0.75],
      [1],
    ]);
  });

  it('refuses malformed designs', () => {
    expect(() => sweepDesign([], 'grid')).toThrow(/at least one input/);
    expect(() => sweepDesign([{ name: 'a', lo: 1, hi: 1 }], 'grid')).toThrow(/LOW < HIGH/);
    expect(() => sweepDesign([{ name: 'a', lo: 0, hi: 1, steps: 1 }], 'grid')).toThrow(/at least 2 steps/);
    expect(() => sweepDesign([{ name: 'a', lo: 0, hi: 1, steps: 3 }], 'lhs')).toThrow(/for grid designs/);
    expect(() => sweepDesign([inputs[0]!, inputs[0]!], 'grid')).toThrow(/varied twice/);
    expect(() =>
      sweepDesign(
        [
          { name: 'a', lo: 0, hi: 1, steps: 101 },
          { name: 'b', lo: 0, hi: 1, steps: 100 },
        ],
        'grid',
      ),
    ).toThrow(/10100 points/);
  });
});

describe('sweep: errors and edges', () => {
  it('reports a name that is not a param, with a suggestion, before running anything', () => {
    let calls = 0;
    const r = sweep(model(MIXED), {
      vary: [{ name: 'kk', lo: 0, hi: 1 }],
      runs: 100,
      onProgress: () => {
        calls++;
        return undefined;
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]!.code).toBe('bind.unknown');
    expect(r.issues[0]!.suggestion).toBe('did you mean "k"?');
    expect(calls).toBe(0);
  });

  it('refuses steps of interest outside the horizon', () => {
    expect(() => sweep(model(HAZARD), { vary: [{ name: 'h', lo: 0, hi: 1 }], steps: [T + 1] })).toThrow(
      /outside the horizon/,
    );
  });

  it('names the design point where a run-time error happened', () => {
    const e = (() => {
      try {
        sweep(model(HAZARD), { vary: [{ name: 'h', lo: 0.5, hi: 1.5, steps: 3 }], runs: 100 });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(SimulationError);
    expect((e as Error).message).toMatch(/^at h=1.5: /);
  });

  it('stops when onProgress says so, keeping the points finished', () => {
    const r = sweepOf(model(HAZARD), {
      vary: [{ name: 'h', lo: 0.01, hi: 0.1, steps: 4 }],
      runs: 1000,
      chunkSize: 500,
      onProgress: (done) => (done >= 2500 ? false : undefined),
    });
    expect(r.stopped).toBe(true);
    expect(r.points).toHaveLength(2);
  });

  it('under evidence, gives the conditioned estimates but no paired differences', () => {
    const conditioned = model(`${HAZARD}\ngiven: ["not hit by 2"]`);
    const r = sweepOf(conditioned, {
      vary: [{ name: 'h', lo: 0.02, hi: 0.1, steps: 3 }],
      runs: 4000,
      seed: 3,
    });
    for (const p of r.points) {
      expect(p.difference).toBeUndefined();
      const h = p.values.h!;
      // P(hit by T | not hit by 2) = 1 − (1 − h)^(T − 2).
      expect(withinSE(p.probability, 1 - (1 - h) ** (T - 2), 4000 * (1 - h) ** 2)).toBe(true);
    }
  });
});
