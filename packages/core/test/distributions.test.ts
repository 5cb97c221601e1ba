import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aleaOpen,
  type Distribution,
  makeSampler,
  type Sampler,
  seedKey,
  seedTrial,
  siteKey,
} from '../src/index.js';

/** n draws by inverse CDF from one fixed stream. */
function draws(s: Sampler, n: number, seed = 1): number[] {
  const S = new Float64Array(4);
  seedTrial(S, Uint32Array.from(['ks'], siteKey), seedKey(seed), 0);
  return Array.from({ length: n }, () => s.quantile(aleaOpen(S, 0)));
}

/** Kolmogorov–Smirnov distance between a sample and a continuous CDF. */
function ksDistance(xs: number[], cdf: (x: number) => number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  });
  return d;
}

const N = 20_000;
// P(D > c) ≈ 2·exp(−2 n c²); at α = 1e-6 the critical value is √(ln(2e6) / 2n) ≈ 0.0190 for n = 20,000.
// A sampler whose sd is off by 10% sits near D ≈ 0.03, so this still catches real bugs.
const KS_CRITICAL = Math.sqrt(Math.log(2e6) / (2 * N));

function ok(d: Distribution): Sampler {
  const r = makeSampler(d);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.sampler;
}

function checkContinuous(d: Distribution): void {
  const s = ok(d);
  const xs = draws(s, N);
  expect(ksDistance(xs, s.cdf)).toBeLessThan(KS_CRITICAL);
  const mean = xs.reduce((a, b) => a + b, 0) / N;
  // Mean within 6 standard errors (heavy tails are kept moderate by the generators below).
  expect(Math.abs(mean - s.mean)).toBeLessThanOrEqual(6 * Math.sqrt(s.variance / N) + 1e-12);
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (N - 1);
  // The sample variance's standard error depends on the tails: SE(s²/σ²) ≈ √((m4/σ⁴ − 1)/n).
  const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0) / N;
  const se = Math.sqrt((m4 / variance ** 2 - 1) / N);
  expect(Math.abs(variance / s.variance - 1)).toBeLessThan(Math.max(5 * se, 0.02));
}

const small = { noNaN: true, noDefaultInfinity: true, min: -50, max: 50 } as const;
const pos = (min: number, max: number) => fc.double({ noNaN: true, min, max });

describe('samplers match their CDFs and moments (KS at α = 1e-6, n = 20,000)', () => {
  const cfg = { numRuns: 8 };
  it('uniform', () =>
    fc.assert(
      fc.property(fc.double(small), pos(0.01, 20), (a, w) =>
        checkContinuous({ dist: 'uniform', min: a, max: a + w }),
      ),
      cfg,
    ));
  it('triangular', () =>
    fc.assert(
      fc.property(fc.double(small), pos(0.01, 20), pos(0, 1), (a, w, m) =>
        checkContinuous({ dist: 'triangular', min: a, mode: a + m * w, max: a + w }),
      ),
      cfg,
    ));
  it('pert', () =>
    fc.assert(
      fc.property(fc.double(small), pos(0.01, 20), pos(0, 1), (a, w, m) =>
        checkContinuous({ dist: 'pert', min: a, mode: a + m * w, max: a + w }),
      ),
      cfg,
    ));
  it('normal', () =>
    fc.assert(
      fc.property(fc.double(small), pos(0.01, 10), (m, sd) =>
        checkContinuous({ dist: 'normal', mean: m, sd }),
      ),
      cfg,
    ));
  it('truncated normal', () =>
    fc.assert(
      fc.property(fc.double(small), pos(0.1, 5), pos(-2, 1), pos(0.2, 3), (m, sd, lo, w) =>
        checkContinuous({ dist: 'truncnormal', mean: m, sd, min: m + lo * sd, max: m + (lo + w) * sd }),
      ),
      cfg,
    ));
  it('lognormal from mu and sigma, and from a 90% interval', () => {
    fc.assert(
      fc.property(pos(-2, 2), pos(0.05, 0.8), (mu, sigma) =>
        checkContinuous({ dist: 'lognormal', mu, sigma }),
      ),
      cfg,
    );
    const s = ok({ dist: 'lognormal', ci90: [5, 10] });
    expect(s.cdf(5)).toBeCloseTo(0.05, 12);
    expect(s.cdf(10)).toBeCloseTo(0.95, 12);
  });
  it('beta from alpha/beta and from mean/sd', () => {
    fc.assert(
      fc.property(pos(0.3, 20), pos(0.3, 20), (a, b) => checkContinuous({ dist: 'beta', alpha: a, beta: b })),
      cfg,
    );
    const s = ok({ dist: 'beta', mean: 0.3, sd: 0.1 });
    expect(s.mean).toBeCloseTo(0.3, 12);
    expect(Math.sqrt(s.variance)).toBeCloseTo(0.1, 12);
  });
  it('gamma from shape/scale, shape/rate and mean/sd', () => {
    fc.assert(
      fc.property(pos(0.3, 20), pos(0.1, 10), (k, theta) =>
        checkContinuous({ dist: 'gamma', shape: k, scale: theta }),
      ),
      cfg,
    );
    expect(ok({ dist: 'gamma', shape: 2, rate: 4 }).mean).toBeCloseTo(0.5, 12);
    const m = ok({ dist: 'gamma', mean: 3, sd: 1.5 });
    expect(m.mean).toBeCloseTo(3, 12);
    expect(m.variance).toBeCloseTo(2.25, 12);
  });

  it('discrete: bernoulli, categorical and empirical frequencies', () => {
    const freq = (s: Sampler, value: number): number => draws(s, N).filter((x) => x === value).length / N;
    const se = (p: number): number => Math.sqrt((p * (1 - p)) / N);
    expect(Math.abs(freq(ok({ dist: 'bernoulli', p: 0.3 }), 1) - 0.3)).toBeLessThan(5 * se(0.3));
    const cat = ok({ dist: 'categorical', values: [10, 20, 30], p: [0.2, 0.5, 0.3] });
    expect(Math.abs(freq(cat, 20) - 0.5)).toBeLessThan(5 * se(0.5));
    expect(cat.mean).toBeCloseTo(21, 12);
    const emp = ok({ dist: 'empirical', samples: [3, 1, 2, 2], weights: [1, 1, 1, 1] });
    expect(Math.abs(freq(emp, 2) - 0.5)).toBeLessThan(5 * se(0.5));
    expect(ok({ dist: 'constant', value: 4 }).quantile(0.3)).toBe(4);
  });

  // Draws come on Alea's grid of 2⁻³² shifted by half a step, so that is where monotonicity matters
  // (beta and gamma are tabulated, exactly monotone for every double: quantileTable.test.ts checks it densely).
  it('every quantile function is nondecreasing on the uniform grid (what common random numbers need)', () => {
    const grid = fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((k) => (k + 0.5) / 2 ** 32);
    const all: Distribution[] = [
      { dist: 'uniform', min: 0, max: 1 },
      { dist: 'triangular', min: 0, mode: 0.2, max: 1 },
      { dist: 'pert', min: 0, mode: 0.9, max: 1 },
      { dist: 'normal', mean: 0, sd: 1 },
      { dist: 'truncnormal', mean: 0, sd: 1, min: 0 },
      { dist: 'lognormal', ci90: [1, 100] },
      { dist: 'beta', alpha: 0.5, beta: 0.5 },
      { dist: 'gamma', shape: 0.5, scale: 2 },
      { dist: 'empirical', samples: [5, 1, 3] },
    ];
    const edges = [0.5, 1.5, 2.5, 2 ** 32 - 1.5, 2 ** 32 - 0.5].map((k) => k / 2 ** 32);
    for (const d of all) {
      const s0 = ok(d);
      for (let i = 1; i < edges.length; i++)
        expect(s0.quantile(edges[i - 1]!)).toBeLessThanOrEqual(s0.quantile(edges[i]!));
      const s = ok(d);
      fc.assert(
        fc.property(grid, grid, (u, w) => {
          const [a, b] = u < w ? [u, w] : [w, u];
          expect(s.quantile(a)).toBeLessThanOrEqual(s.quantile(b));
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe('invalid parameters fail when built, with the field at fault', () => {
  const problems = (d: Distribution): string[] => {
    const r = makeSampler(d);
    return r.ok ? [] : r.problems.map((p) => `${p.path.join('.')}: ${p.message}`);
  };
  it.each([
    [{ dist: 'normal', mean: 0, sd: 0 }, 'sd'],
    [{ dist: 'normal', mean: 0, sd: -1 }, 'sd'],
    [{ dist: 'uniform', min: 2, max: 1 }, 'max'],
    [{ dist: 'triangular', min: 0, mode: 2, max: 1 }, 'mode'],
    [{ dist: 'pert', min: 1, mode: 1, max: 1 }, 'max'],
    [{ dist: 'beta', mean: 1.2, sd: 0.1 }, 'mean'],
    [{ dist: 'beta', mean: 0.5, sd: 0.6 }, 'sd'],
    [{ dist: 'beta', alpha: 0, beta: 1 }, 'alpha'],
    [{ dist: 'gamma', shape: 2 }, 'scale'],
    [{ dist: 'lognormal', ci90: [10, 5] }, 'ci90'],
    [{ dist: 'lognormal', ci90: [0, 5] }, 'ci90'],
    [{ dist: 'bernoulli', p: 1.5 }, 'p'],
    [{ dist: 'categorical', values: [1, 2], p: [0.5, 0.6] }, 'p'],
    [{ dist: 'categorical', values: [1, 2], p: [1] }, 'p'],
    [{ dist: 'truncnormal', mean: 0, sd: 1, min: 50, max: 60 }, 'min'],
    [{ dist: 'empirical', samples: [1, 2], weights: [0, 0] }, 'weights'],
  ] as [Distribution, string][])('%j is rejected at %s', (d, field) => {
    const ps = problems(d);
    expect(ps.length).toBeGreaterThan(0);
    expect(ps[0]).toMatch(new RegExp(`^${field}:`));
  });
});

describe('beta and gamma quantiles (tabulated) are accurate in the deep tails', () => {
  // The extreme uniforms the streams produce are (k + 0.5)/2³² for k = 0 and k = 2³² − 1.
  const extremes = [0.5, 1.5, 1000.5, 2 ** 31, 2 ** 32 - 1000.5, 2 ** 32 - 0.5].map((k) => k / 2 ** 32);
  const check = (d: Distribution): void => {
    const s = ok(d);
    for (const u of extremes) {
      const x = s.quantile(u);
      expect(Number.isFinite(x), `${JSON.stringify(d)} at ${u}`).toBe(true);
      // Near 1 the doubles are 1.1e-16 apart: the best answer is then the double whose neighbours
      // bracket u, whatever the tail probability at the double itself.
      const ulp = x >= 0.5 ? 2 ** -53 : Number.EPSILON * Math.abs(x);
      if (s.cdf(x - ulp) <= u && u <= s.cdf(Math.min(1, x + ulp)) && x > 0.5) continue;
      const f = s.cdf(x);
      // Relative to the smaller tail: u near 0 must give cdf ≈ u, u near 1 must give 1 − cdf ≈ 1 − u.
      const err = u < 0.5 ? Math.abs(f - u) / u : Math.abs(1 - f - (1 - u)) / (1 - u);
      expect(err, `${JSON.stringify(d)} at ${u}: cdf ${f}`).toBeLessThan(1e-6);
    }
  };
  it('gamma (found by the kit: a far-off start once ran out of steps)', () => {
    fc.assert(
      fc.property(pos(0.2, 50), pos(0.001, 100), (shape, scale) => check({ dist: 'gamma', shape, scale })),
      { numRuns: 60 },
    );
  });
  it('beta', () => {
    fc.assert(
      fc.property(pos(0.2, 50), pos(0.2, 50), (alpha, beta) => check({ dist: 'beta', alpha, beta })),
      { numRuns: 60 },
    );
  });
});

describe('parameters whose draws would overflow are rejected, not drawn as ±∞ (issue 10)', () => {
  /** Every uniform a trial can give: the 2⁻³² grid shifted by half a step, ends included. */
  const grid = fc.oneof(
    fc.constantFrom(2 ** -33, 0.5, 1 - 2 ** -33),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((k) => (k + 0.5) / 2 ** 32),
  );
  const big = fc.double({ min: -Number.MAX_VALUE, max: Number.MAX_VALUE, noNaN: true });
  const positive = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true });

  it.each([
    [{ dist: 'uniform', min: -1e308, max: 1e308 }, 'max', /max − min overflows/],
    [{ dist: 'triangular', min: -1e308, mode: 0, max: 1e308 }, 'max', /max − min overflows/],
    [{ dist: 'pert', min: -1e308, mode: 0, max: 1e308 }, 'max', /max − min overflows/],
    [{ dist: 'normal', mean: 0, sd: 1e308 }, 'sd', /not finite: its lowest draw is -Infinity/],
    [{ dist: 'normal', mean: 1.7e308, sd: 1e307 }, 'sd', /its highest draw is Infinity/],
    [{ dist: 'truncnormal', mean: 0, sd: 1e308, min: 0 }, 'sd', /not finite/],
    [{ dist: 'lognormal', mu: 710, sigma: 1 }, 'sigma', /not finite/],
    [{ dist: 'lognormal', ci90: [1, 1e300] }, 'ci90', /its highest draw is Infinity/],
    [{ dist: 'gamma', shape: 2, scale: 1e307 }, 'scale', /not finite/],
    [{ dist: 'gamma', shape: 2, rate: 1e-307 }, 'rate', /not finite/],
    [{ dist: 'gamma', mean: 1e300, sd: 1e300 }, 'sd', /highest draws overflow/],
  ] as [Distribution, string, RegExp][])('%j is rejected at %s', (d, field, message) => {
    const r = makeSampler(d);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.path).toEqual([field]);
    expect(r.problems[0]!.message).toMatch(message);
  });

  it('large but representable parameters are still accepted', () => {
    for (const d of [
      { dist: 'uniform', min: -8e307, max: 8e307 },
      { dist: 'normal', mean: 1e308, sd: 1e307 },
      { dist: 'lognormal', mu: 700, sigma: 1 },
      { dist: 'gamma', shape: 2, scale: 1e300 },
    ] as Distribution[])
      expect(makeSampler(d).ok).toBe(true);
  });

  it('the gamma bound holds: the highest draw lies below it (checked by tabulating the quantile)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1e4, noNaN: true }), (shape) => {
        const s = ok({ dist: 'gamma', shape, scale: 1 });
        const t = 33 * Math.LN2;
        expect(s.quantile(1 - 2 ** -33)).toBeLessThanOrEqual(2 * (shape + Math.sqrt(2 * shape * t) + t));
      }),
      { numRuns: 30 },
    );
  });

  it('checking draws does not tabulate beta, PERT or gamma quantiles (validation stays fast)', () => {
    const t0 = performance.now();
    for (const d of [
      { dist: 'beta', alpha: 1e300, beta: 1 },
      { dist: 'gamma', shape: 1e300, scale: 1e-300 },
      { dist: 'pert', min: 0, mode: 1, max: 2, lambda: 1e300 },
    ] as Distribution[])
      makeSampler(d);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('uniform: accepted exactly when max − min is finite; triangular: rejected then too; every accepted draw is finite', () => {
    fc.assert(
      fc.property(big, big, fc.double({ min: 0, max: 1, noNaN: true }), grid, (x, y, m, u) => {
        fc.pre(x < y);
        const finiteRange = Number.isFinite(y - x);
        const uniform = makeSampler({ dist: 'uniform', min: x, max: y });
        expect(uniform.ok).toBe(finiteRange);
        if (uniform.ok) expect(Number.isFinite(uniform.sampler.quantile(u))).toBe(true);
        const mode = Math.min(y, Math.max(x, x + m * (y - x)));
        if (!Number.isFinite(mode)) return;
        // The triangular quantile multiplies two widths, so it may overflow below that range too: it
        // is then rejected by the draw check rather than the range check.
        const triangular = makeSampler({ dist: 'triangular', min: x, mode, max: y });
        if (!finiteRange) expect(triangular.ok).toBe(false);
        if (triangular.ok) expect(Number.isFinite(triangular.sampler.quantile(u))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('normal and lognormal: every draw of an accepted distribution is finite, and a rejection names a draw that is not', () => {
    const checked = (d: Distribution, u: number): void => {
      const r = makeSampler(d);
      if (r.ok) {
        expect(Number.isFinite(r.sampler.quantile(u))).toBe(true);
      } else {
        // The only reason these parameters can fail is an overflow at one of the grid's ends.
        expect(r.problems[0]!.message).toMatch(/not finite/);
      }
    };
    fc.assert(
      fc.property(big, positive, grid, (mean, sd, u) => {
        checked({ dist: 'normal', mean, sd }, u);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.double({ min: -800, max: 800, noNaN: true }),
        fc.double({ min: 1e-6, max: 200, noNaN: true }),
        grid,
        (mu, sigma, u) => {
          checked({ dist: 'lognormal', mu, sigma }, u);
        },
      ),
      { numRuns: 300 },
    );
  });
});
