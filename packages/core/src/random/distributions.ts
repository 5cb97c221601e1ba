import { PERT_LAMBDA } from '../defaults.js';
import type { Distribution } from '../schema/distributions.js';
import { betaQuantile, gammaQuantile } from './quantiles.js';
import { betaI, gammaP, logGamma, normalCdf, normalQuantile } from './special.js';

/**
 * A distribution ready to draw from by inverse CDF: one uniform in, one value out, nondecreasing in
 * the uniform. That is what makes common random numbers give estimates monotone in a parameter.
 */
export interface Sampler {
  /** The value at quantile u, for u in (0, 1). */
  quantile(u: number): number;
  /** P(X ≤ x), for tests and diagnostics. */
  cdf(x: number): number;
  readonly mean: number;
  readonly variance: number;
  /** Discrete distributions have jumps in their CDF. */
  readonly discrete: boolean;
  /** For a uniform: `quantile(u)` is exactly `a + w * u`, which a large trial computes inline. */
  readonly affine?: { readonly a: number; readonly w: number };
}

/** A reason a distribution's parameters are invalid, with the field it concerns. */
export interface DistributionProblem {
  path: (string | number)[];
  message: string;
  expected?: string;
}

export type SamplerResult = { ok: true; sampler: Sampler } | { ok: false; problems: DistributionProblem[] };

const Z90 = 1.6448536269514722; // Φ⁻¹(0.95): a 90% interval spans ±Z90 sd.

/**
 * The smallest and largest uniforms a sampler is ever given (aleaOpen: the 2⁻³² grid shifted by half
 * a step). Quantiles are nondecreasing in u, so draws are finite for every u when they are finite at
 * these two ends (and in the middle, against a NaN).
 */
const U_LOWEST = 2 ** -33;
const U_HIGHEST = 1 - 2 ** -33;

/** Check a distribution's parameters and build its sampler; invalid parameters fail here, not when drawn. */
export function makeSampler(d: Distribution): SamplerResult {
  const problems: DistributionProblem[] = [];
  const need = (cond: boolean, path: string, message: string, expected?: string): void => {
    if (!cond)
      problems.push(expected === undefined ? { path: [path], message } : { path: [path], message, expected });
  };
  const done = (make: () => Sampler): SamplerResult => {
    if (problems.length > 0) return { ok: false, problems };
    const sampler = make();
    // Beta, PERT and gamma quantiles are tabulated on the first draw (random/quantiles.ts), which
    // takes milliseconds: their draws are bounded by their parameters instead (a beta lies in [0, 1],
    // a PERT in [min, max], a gamma below `gammaUpperBound`), and they are not drawn here.
    const tabulated = d.dist === 'beta' || d.dist === 'pert' || d.dist === 'gamma';
    const overflow = tabulated ? undefined : overflowProblem(d, sampler);
    return overflow === undefined ? { ok: true, sampler } : { ok: false, problems: [overflow] };
  };
  /** A gamma whose highest draw overflows: shape × scale near the largest double. */
  const needGammaFinite = (shape: number, scale: number, path: string): void => {
    const bound = gammaUpperBound(shape, scale);
    need(
      problems.length > 0 || Number.isFinite(bound),
      path,
      `draws from this gamma distribution are not finite: with shape ${shape} and scale ${scale} its highest draws overflow`,
      'parameters whose draws stay within ±1.8e308',
    );
  };
  /** A range max − min that overflows a double (min −1e308, max 1e308) gives infinite draws. */
  const needRange = (min: number, max: number): void =>
    need(
      problems.length > 0 || Number.isFinite(max - min),
      'max',
      `max − min overflows: the range from ${min} to ${max} is wider than a double can hold`,
      'max − min below about 1.8e308',
    );

  switch (d.dist) {
    case 'constant':
      return done(() => constant(d.value));
    case 'uniform':
      need(d.min < d.max, 'max', `max (${d.max}) must be greater than min (${d.min})`);
      needRange(d.min, d.max);
      return done(() => uniform(d.min, d.max));
    case 'triangular':
    case 'pert': {
      need(d.min < d.max, 'max', `max (${d.max}) must be greater than min (${d.min})`);
      need(d.min <= d.mode && d.mode <= d.max, 'mode', `mode (${d.mode}) must lie between min and max`);
      needRange(d.min, d.max);
      if (d.dist === 'triangular') return done(() => triangular(d.min, d.mode, d.max));
      const lambda = d.lambda ?? PERT_LAMBDA;
      need(lambda > 0, 'lambda', 'lambda must be positive', 'a number > 0, usually 4');
      const r = d.max - d.min;
      return done(() =>
        scaled(beta(1 + (lambda * (d.mode - d.min)) / r, 1 + (lambda * (d.max - d.mode)) / r), d.min, r),
      );
    }
    case 'normal':
      need(d.sd > 0, 'sd', `sd must be positive, got ${d.sd}`);
      return done(() => normal(d.mean, d.sd));
    case 'truncnormal': {
      need(d.sd > 0, 'sd', `sd must be positive, got ${d.sd}`);
      need(d.min !== undefined || d.max !== undefined, 'min', 'a truncated normal needs min, max or both');
      const lo = d.min ?? Number.NEGATIVE_INFINITY;
      const hi = d.max ?? Number.POSITIVE_INFINITY;
      need(lo < hi, 'max', `max (${hi}) must be greater than min (${lo})`);
      if (problems.length === 0) {
        const mass = normalCdf((hi - d.mean) / d.sd) - normalCdf((lo - d.mean) / d.sd);
        need(
          mass > 1e-12,
          'min',
          'the interval [min, max] holds almost none of this normal',
          'bounds within a few sd of the mean',
        );
      }
      return done(() => truncatedNormal(d.mean, d.sd, lo, hi));
    }
    case 'lognormal': {
      if (d.ci90 !== undefined) {
        need(
          d.mu === undefined && d.sigma === undefined,
          'ci90',
          'give either ci90 or mu and sigma, not both',
        );
        const [low, high] = d.ci90;
        need(
          low > 0 && low < high,
          'ci90',
          `ci90 must be [low, high] with 0 < low < high, got [${low}, ${high}]`,
        );
        const mu = (Math.log(low) + Math.log(high)) / 2;
        const sigma = (Math.log(high) - Math.log(low)) / (2 * Z90);
        return done(() => lognormal(mu, sigma));
      }
      need(
        d.mu !== undefined && d.sigma !== undefined,
        'mu',
        'a lognormal needs mu and sigma, or ci90: [low, high]',
      );
      need(d.sigma === undefined || d.sigma > 0, 'sigma', `sigma must be positive, got ${d.sigma}`);
      return done(() => lognormal(d.mu!, d.sigma!));
    }
    case 'beta': {
      if (d.mean !== undefined || d.sd !== undefined) {
        need(
          d.alpha === undefined && d.beta === undefined,
          'mean',
          'give either mean and sd or alpha and beta, not both',
        );
        need(d.mean !== undefined && d.sd !== undefined, 'sd', 'a beta from moments needs both mean and sd');
        const m = d.mean ?? 0.5;
        const s = d.sd ?? 0.1;
        need(m > 0 && m < 1, 'mean', `a beta's mean must lie strictly between 0 and 1, got ${m}`);
        need(s > 0, 'sd', `sd must be positive, got ${s}`);
        if (problems.length === 0) {
          need(
            s * s < m * (1 - m),
            'sd',
            `no beta distribution has mean ${m} and sd ${s}`,
            `sd < ${Math.sqrt(m * (1 - m)).toPrecision(4)} for this mean`,
          );
        }
        const k = (m * (1 - m)) / (s * s) - 1;
        return done(() => beta(m * k, (1 - m) * k));
      }
      need(d.alpha !== undefined && d.alpha > 0, 'alpha', 'alpha must be a positive number');
      need(d.beta !== undefined && d.beta > 0, 'beta', 'beta must be a positive number');
      return done(() => beta(d.alpha!, d.beta!));
    }
    case 'gamma': {
      if (d.mean !== undefined || d.sd !== undefined) {
        need(
          d.shape === undefined && d.scale === undefined && d.rate === undefined,
          'mean',
          'give either mean and sd or shape with scale or rate',
        );
        need(d.mean !== undefined && d.mean > 0, 'mean', 'a gamma from moments needs a positive mean');
        need(d.sd !== undefined && d.sd > 0, 'sd', 'a gamma from moments needs a positive sd');
        const m = d.mean ?? 1;
        const s = d.sd ?? 1;
        needGammaFinite((m / s) ** 2, (s * s) / m, 'sd');
        return done(() => gamma((m / s) ** 2, (s * s) / m));
      }
      need(d.shape !== undefined && d.shape > 0, 'shape', 'shape must be a positive number');
      need((d.scale === undefined) !== (d.rate === undefined), 'scale', 'give exactly one of scale and rate');
      const scale = d.scale ?? (d.rate === undefined ? 1 : 1 / d.rate);
      need(
        scale > 0 && Number.isFinite(scale),
        d.scale === undefined ? 'rate' : 'scale',
        'scale and rate must be positive',
      );
      needGammaFinite(d.shape ?? 1, scale, d.scale === undefined ? 'rate' : 'scale');
      return done(() => gamma(d.shape!, scale));
    }
    case 'bernoulli':
      need(d.p >= 0 && d.p <= 1, 'p', `p must lie in [0, 1], got ${d.p}`);
      return done(() => discrete([0, 1], [1 - d.p, d.p]));
    case 'categorical': {
      need(
        d.values.length === d.p.length,
        'p',
        `values has ${d.values.length} entries but p has ${d.p.length}`,
      );
      need(
        d.p.every((p) => p >= 0),
        'p',
        'probabilities must not be negative',
      );
      const total = d.p.reduce((a, b) => a + b, 0);
      need(Math.abs(total - 1) < 1e-9, 'p', `probabilities must sum to 1, they sum to ${total}`);
      return done(() => discrete(d.values, d.p));
    }
    case 'empirical': {
      const w = d.weights ?? d.samples.map(() => 1);
      need(
        w.length === d.samples.length,
        'weights',
        `samples has ${d.samples.length} entries but weights has ${w.length}`,
      );
      need(
        w.every((x) => x >= 0) && w.some((x) => x > 0),
        'weights',
        'weights must be non-negative and not all zero',
      );
      const order = d.samples.map((_, i) => i).sort((a, b) => d.samples[a]! - d.samples[b]!);
      const total = w.reduce((a, b) => a + b, 0);
      return done(() =>
        discrete(
          order.map((i) => d.samples[i]!),
          order.map((i) => w[i]! / total),
        ),
      );
    }
  }
}

/**
 * A problem if some draw of the sampler is not finite: parameters so large that a quantile overflows
 * (a normal with mean 1e308 and sd 1e307, a lognormal with mu 710). Draws are checked at the lowest,
 * middle and highest uniform a trial can give; the problem is on the parameter that sets the scale.
 */
function overflowProblem(d: Distribution, sampler: Sampler): DistributionProblem | undefined {
  for (const [u, where] of [
    [U_LOWEST, 'lowest draw'],
    [0.5, 'median'],
    [U_HIGHEST, 'highest draw'],
  ] as const) {
    const x = sampler.quantile(u);
    if (!Number.isFinite(x)) {
      return {
        path: [(SCALE_FIELD[d.dist] as (d: Distribution) => string)(d)],
        message: `draws from this ${d.dist} distribution are not finite: its ${where} is ${x}`,
        expected: 'parameters whose draws stay within ±1.8e308',
      };
    }
  }
  return undefined;
}

/**
 * An upper bound on a gamma's highest draw (its quantile at U_HIGHEST), without tabulating it: for
 * X ~ Gamma(k, 1), P(X ≥ k + √(2kt) + t) ≤ e^(−t) (a sub-gamma tail bound), with e^(−t) = 2⁻³³;
 * doubled for safety. Infinite whenever draws may overflow (and, rarely, a little before).
 */
function gammaUpperBound(shape: number, scale: number): number {
  const t = 33 * Math.LN2;
  return 2 * scale * (shape + Math.sqrt(2 * shape * t) + t);
}

/** The field that sets a distribution's scale, where an overflow is reported. */
const SCALE_FIELD: { [K in Distribution['dist']]: (d: Extract<Distribution, { dist: K }>) => string } = {
  constant: () => 'value',
  uniform: () => 'max',
  triangular: () => 'max',
  pert: () => 'max',
  normal: () => 'sd',
  truncnormal: () => 'sd',
  lognormal: (d) => (d.ci90 === undefined ? 'sigma' : 'ci90'),
  beta: (d) => (d.mean === undefined && d.sd === undefined ? 'alpha' : 'sd'),
  gamma: (d) =>
    d.mean === undefined && d.sd === undefined ? (d.scale === undefined ? 'rate' : 'scale') : 'sd',
  bernoulli: () => 'p',
  categorical: () => 'values',
  empirical: () => 'samples',
};

function constant(value: number): Sampler {
  return { quantile: () => value, cdf: (x) => (x < value ? 0 : 1), mean: value, variance: 0, discrete: true };
}

function uniform(a: number, b: number): Sampler {
  const w = b - a;
  return {
    affine: { a, w },
    quantile: (u) => a + w * u,
    cdf: (x) => Math.min(1, Math.max(0, (x - a) / w)),
    mean: (a + b) / 2,
    variance: (w * w) / 12,
    discrete: false,
  };
}

function triangular(a: number, c: number, b: number): Sampler {
  const w = b - a;
  const fc = (c - a) / w;
  return {
    quantile: (u) => (u < fc ? a + Math.sqrt(u * w * (c - a)) : b - Math.sqrt((1 - u) * w * (b - c))),
    cdf: (x) =>
      x <= a
        ? 0
        : x >= b
          ? 1
          : x <= c
            ? ((x - a) * (x - a)) / (w * (c - a))
            : 1 - ((b - x) * (b - x)) / (w * (b - c)),
    mean: (a + b + c) / 3,
    variance: (a * a + b * b + c * c - a * b - a * c - b * c) / 18,
    discrete: false,
  };
}

function normal(mu: number, sd: number): Sampler {
  return {
    quantile: (u) => mu + sd * normalQuantile(u),
    cdf: (x) => normalCdf((x - mu) / sd),
    mean: mu,
    variance: sd * sd,
    discrete: false,
  };
}

function truncatedNormal(mu: number, sd: number, lo: number, hi: number): Sampler {
  const a = (lo - mu) / sd;
  const b = (hi - mu) / sd;
  const fa = normalCdf(a);
  const fb = normalCdf(b);
  const z = fb - fa;
  const phi = (x: number): number =>
    Number.isFinite(x) ? Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) : 0;
  const ta = Number.isFinite(a) ? a * phi(a) : 0;
  const tb = Number.isFinite(b) ? b * phi(b) : 0;
  const mean = mu + (sd * (phi(a) - phi(b))) / z;
  const variance = sd * sd * (1 + (ta - tb) / z - ((phi(a) - phi(b)) / z) ** 2);
  return {
    quantile: (u) => Math.min(hi, Math.max(lo, mu + sd * normalQuantile(fa + u * z))),
    cdf: (x) => (x <= lo ? 0 : x >= hi ? 1 : (normalCdf((x - mu) / sd) - fa) / z),
    mean,
    variance,
    discrete: false,
  };
}

function lognormal(mu: number, sigma: number): Sampler {
  return {
    quantile: (u) => Math.exp(mu + sigma * normalQuantile(u)),
    cdf: (x) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma)),
    mean: Math.exp(mu + (sigma * sigma) / 2),
    variance: (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma),
    discrete: false,
  };
}

function beta(a: number, b: number): Sampler {
  const logB = logGamma(a) + logGamma(b) - logGamma(a + b);
  return {
    quantile: betaQuantile(a, b),
    cdf: (x) => betaI(x, a, b, logB),
    mean: a / (a + b),
    variance: (a * b) / ((a + b) ** 2 * (a + b + 1)),
    discrete: false,
  };
}

function gamma(shape: number, scale: number): Sampler {
  const logGammaShape = logGamma(shape);
  const standard = gammaQuantile(shape);
  return {
    quantile: (u) => scale * standard(u),
    cdf: (x) => gammaP(shape, x / scale, logGammaShape),
    mean: shape * scale,
    variance: shape * scale * scale,
    discrete: false,
  };
}

function scaled(s: Sampler, offset: number, width: number): Sampler {
  return {
    quantile: (u) => offset + width * s.quantile(u),
    cdf: (x) => s.cdf((x - offset) / width),
    mean: offset + width * s.mean,
    variance: width * width * s.variance,
    discrete: s.discrete,
  };
}

function discrete(values: readonly number[], p: readonly number[]): Sampler {
  const cum: number[] = [];
  let acc = 0;
  for (const x of p) {
    acc += x;
    cum.push(acc);
  }
  const last = values.length - 1;
  const mean = values.reduce((m, v, i) => m + v * p[i]!, 0);
  return {
    quantile(u) {
      for (let i = 0; i < last; i++) if (u < cum[i]!) return values[i]!;
      return values[last]!;
    },
    cdf: (x) => values.reduce((c, v, i) => (v <= x ? c + p[i]! : c), 0),
    mean,
    variance: values.reduce((m, v, i) => m + (v - mean) ** 2 * p[i]!, 0),
    discrete: true,
  };
}
