/**
 * Special functions for inverse-CDF sampling and for testing samplers against their CDFs.
 * Hand-written because they must be exact enough (≈1e-12 or better where it matters) and carry no
 * dependency; each is checked against published values in test/special.test.ts.
 */

/** Standard normal quantile, Wichura's AS 241 (PPND16): relative accuracy about 1e-16. */
export function normalQuantile(p: number): number {
  if (p <= 0) return p === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (p >= 1) return p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}

/**
 * Complementary error function: the Taylor series of erf below 2.5 (about 1e-13 absolute), a
 * continued fraction evaluated backwards above it (accurate relative to erfc in the tail).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 2.5) {
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let n = 1; n < 200; n++) {
      term *= -z2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(z) = e^{-z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …))))
    let f = z;
    for (let n = 120; n >= 1; n--) f = z + n / 2 / f;
    r = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7): about 15 significant digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number, logGammaA = logGamma(a)): number {
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  const lead = a * Math.log(x) - x - logGammaA;
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  return Math.max(0, 1 - continuedFractionQ(a, x) * Math.exp(lead));
}

/**
 * Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate relative to Q itself in the
 * upper tail (where 1 − P would keep only the absolute accuracy of P, about 1e-16).
 */
export function gammaQ(a: number, x: number, logGammaA = logGamma(a)): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  if (x < a + 1) return 1 - gammaP(a, x, logGammaA);
  return Math.min(1, continuedFractionQ(a, x) * Math.exp(a * Math.log(x) - x - logGammaA));
}

function continuedFractionQ(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function betaI(
  x: number,
  a: number,
  b: number,
  logBeta = logGamma(a) + logGamma(b) - logGamma(a + b),
): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lead = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta);
  if (x < (a + 1) / (a + b + 2)) return (lead * continuedFractionBeta(x, a, b)) / a;
  return 1 - (lead * continuedFractionBeta(1 - x, b, a)) / b;
}

function continuedFractionBeta(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Invert a continuous, increasing CDF: Newton steps kept inside a bracket that shrinks every step,
 * falling back to bisection when a step leaves it; stops within a few ulps. `hi` may be +∞.
 * `hi` may be +∞ (it is then found by doubling from `start`).
 */
export function invertCdf(
  cdf: (x: number) => number,
  pdf: (x: number) => number,
  p: number,
  lo: number,
  hi: number,
  start: number,
): number {
  let x = Math.min(Math.max(start, lo), hi);
  for (let i = 0; i < 500; i++) {
    const f = cdf(x) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    let next = x - f / pdf(x);
    // Outside the bracket (or NaN): bisect, or, with no upper bound yet, step well past x.
    if (!(next > lo && next < hi)) {
      // Bisect; geometrically when the bracket spans orders of magnitude, so a far-off start costs
      // tens of steps, not hundreds.
      next = !Number.isFinite(hi) ? 2 * x + 1 : lo > 0 && hi > 4 * lo ? Math.sqrt(lo * hi) : 0.5 * (lo + hi);
    }
    const steady = Math.abs(next - x) <= 4 * Number.EPSILON * Math.max(1e-300, Math.abs(x));
    if (steady || (Number.isFinite(hi) && hi - lo <= 4 * Number.EPSILON * Math.abs(hi))) return next;
    x = next;
  }
  return x;
}

/**
 * A quantile function by Newton inversion, started from a table of quantiles built on first use:
 * 127 evenly spaced probabilities plus 2⁻ʲ and 1 − 2⁻ʲ for j = 8 … 34, so every uniform the
 * streams can produce (down to 2⁻³³) starts within a factor of two of a tabulated probability and a
 * draw takes a few Newton steps.
 */
export function tabulatedQuantile(
  cdf: (x: number) => number,
  pdf: (x: number) => number,
  lo: number,
  hi: number,
  start: number,
): (u: number) => number {
  let ps: Float64Array | undefined;
  let qs: Float64Array | undefined;
  const build = (): void => {
    const probabilities = new Set<number>();
    for (let k = 1; k < 128; k++) probabilities.add(k / 128);
    for (let j = 8; j <= 34; j++) {
      probabilities.add(2 ** -j);
      probabilities.add(1 - 2 ** -j);
    }
    const sorted = [...probabilities].sort((a, b) => a - b);
    const middle = sorted.indexOf(0.5);
    const q = new Float64Array(sorted.length);
    // From the median outwards, each quantile warm-starts the next.
    let x = invertCdf(cdf, pdf, 0.5, lo, hi, start);
    q[middle] = x;
    for (let k = middle + 1; k < sorted.length; k++) q[k] = x = invertCdf(cdf, pdf, sorted[k]!, lo, hi, x);
    x = q[middle]!;
    for (let k = middle - 1; k >= 0; k--) q[k] = x = invertCdf(cdf, pdf, sorted[k]!, lo, hi, x);
    ps = Float64Array.from(sorted);
    qs = q;
  };
  return (u) => {
    if (ps === undefined) build();
    const P = ps!;
    const Q = qs!;
    let a = 0;
    let b = P.length - 1;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (P[m]! <= u) a = m;
      else b = m;
    }
    const guess =
      u <= P[0]! ? Q[0]! : u >= P[b]! ? Q[b]! : Q[a]! + ((u - P[a]!) / (P[b]! - P[a]!)) * (Q[b]! - Q[a]!);
    return invertCdf(cdf, pdf, u, lo, hi, guess);
  };
}
