import {
  buildTable,
  evaluateQuantile,
  type HalfTable,
  joinTables,
  P_LOW,
  type QuantileTable,
  type TabulatedFunction,
} from './quantileTable.js';
import { betaI, gammaP, gammaQ, invertCdf, logGamma, tabulatedQuantile } from './special.js';

/**
 * Beta and gamma quantiles, the two families whose inverse CDF has no closed form (PERT is a scaled
 * beta). Each comes twice: exact, by Newton's method on every call, and tabulated (quantileTable.ts),
 * 15–40 times faster, within the accuracy below and exactly nondecreasing in u.
 *
 * Accuracy of the tabulated quantile x̂(u) against the exact x(u), for u in [2⁻³³, 1 − 2⁻³³]
 * (every uniform a trial draws), checked at every interval's midpoint when the table is built (to a
 * quarter of it) and over dense grids by test/quantileTable.test.ts:
 * - beta: |x̂ − x| ≤ 1e-10 · x for u < ½ and ≤ 1e-10 · (1 − x) + 2⁻⁵³ for u ≥ ½ (relative to the
 *   distance from the end of the support that tail approaches; the 2⁻⁵³ is 1 − y's rounding);
 *   PERT: the same on (x − min)/(max − min), times max − min (plus the affine map's rounding).
 * - gamma: |x̂ − x| ≤ 1e-10 · x, in both tails (times the scale's rounding).
 * Each plus 1e-300, where values underflow.
 * Outside that range of u (never drawn by a trial; possible for callers of `Sampler.quantile`), for
 * shapes outside (0.001, 1e9], and for the rare parameters whose table fails its checks (a beta with
 * both shapes near 0.01), the exact inversion is used, as before: accurate to a few units in the
 * last place where the special functions are, but not guaranteed monotone to the last bit.
 */
export const QUANTILE_RELATIVE_ERROR = 1e-10;
export const QUANTILE_ABSOLUTE_ERROR = 1e-300;

/**
 * Built tables by family and parameters, so binding the same distribution again (sweeps, Morris,
 * `--set`) finds its table; each worker thread has its own. Least recently used go first, beyond
 * MAX_TABLES tables or MAX_TABLE_BYTES of pieces. `null` records parameters that cannot be tabulated.
 */
const tables = new Map<string, QuantileTable | null>();
const MAX_TABLES = 256;
const MAX_TABLE_BYTES = 32 * 2 ** 20;
let tableBytes = 0;

function cached(key: string, make: () => QuantileTable | null): QuantileTable | null {
  const hit = tables.get(key);
  if (hit !== undefined) {
    tables.delete(key);
    tables.set(key, hit);
    return hit;
  }
  const built = make();
  tables.set(key, built);
  tableBytes += built?.pieces.byteLength ?? 0;
  while (tables.size > MAX_TABLES || (tableBytes > MAX_TABLE_BYTES && tables.size > 1)) {
    const [oldest, table] = tables.entries().next().value!;
    tables.delete(oldest);
    tableBytes -= table?.pieces.byteLength ?? 0;
  }
  return built;
}

/** How many tables are cached, and their size (for tests and benchmarks). */
export function quantileTableCache(): { tables: number; bytes: number } {
  return { tables: tables.size, bytes: tableBytes };
}

/** Forget every built table (for benchmarks that time the build). */
export function clearQuantileTables(): void {
  tables.clear();
  tableBytes = 0;
}

const tolerance = (y: number): number => QUANTILE_RELATIVE_ERROR * Math.abs(y) + QUANTILE_ABSOLUTE_ERROR;

/**
 * Near 0 a beta or gamma quantile grows like p^(1/a): tabulate its 2ʳ-th root, which grows like
 * p^(1/(2ʳa)), a power between ½ and 1 (r = 0 for a ≥ ½, where the power is at most 2).
 */
function powerRoots(a: number): number {
  return a >= 0.5 ? 0 : Math.min(Math.round(Math.log2(1 / a)), 12);
}

/** The lower half of Beta(a, b): h(p) = I⁻¹_p(a, b). */
export function betaLowerHalf(a: number, b: number): TabulatedFunction {
  const logB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const logPdf = (x: number): number => (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logB;
  const cdf = (x: number): number => betaI(x, a, b, logB);
  const pdf = (x: number): number => Math.exp(logPdf(x));
  // Below this the answer is under the smallest double.
  const floor = cdf(Number.MIN_VALUE);
  return {
    solve: (p, guess) => (p <= floor ? 0 : invertCdf(cdf, pdf, p, 0, 1, guess)),
    logSlope: (y) => -logPdf(y),
    bend: (y) => (b - 1) / (1 - y) - (a - 1) / y,
    tolerance,
    start: a / (a + b),
    roots: powerRoots(a),
  };
}

/** The lower half of the standard Gamma(k): h(p) = P⁻¹(k, p). */
export function gammaLowerHalf(k: number): TabulatedFunction {
  const lgk = logGamma(k);
  const logPdf = (x: number): number => (k - 1) * Math.log(x) - x - lgk;
  const cdf = (x: number): number => gammaP(k, x, lgk);
  const pdf = (x: number): number => Math.exp(logPdf(x));
  const floor = cdf(Number.MIN_VALUE);
  return {
    solve: (p, guess) => (p <= floor ? 0 : invertCdf(cdf, pdf, p, 0, Number.POSITIVE_INFINITY, guess)),
    logSlope: (y) => -logPdf(y),
    bend: (y) => 1 - (k - 1) / y,
    tolerance,
    start: k,
    roots: powerRoots(k),
  };
}

/**
 * The upper half of the standard Gamma(k), negated so that it increases: h(v) = −Q⁻¹(k, v), where
 * Q = 1 − P is computed directly, so the far tail is accurate relative to v.
 */
export function gammaUpperHalf(k: number): TabulatedFunction {
  const lgk = logGamma(k);
  const logPdf = (x: number): number => (k - 1) * Math.log(x) - x - lgk;
  const negQ = (x: number): number => -gammaQ(k, x, lgk);
  const pdf = (x: number): number => Math.exp(logPdf(x));
  return {
    solve: (v, guess) =>
      -invertCdf(negQ, pdf, -v, 0, Number.POSITIVE_INFINITY, Math.max(-guess, Number.MIN_VALUE)),
    logSlope: (y) => -logPdf(-y),
    bend: (y) => (k - 1) / -y - 1,
    tolerance,
    start: -k,
    roots: 0,
  };
}

/** Beta(a, b)'s quantile by Newton's method on every call; the upper half mirrored, from Beta(b, a). */
export function betaQuantileExact(a: number, b: number): (u: number) => number {
  const logB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const lower = tabulatedQuantile(
    (x) => betaI(x, a, b, logB),
    (x) => Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logB),
    0,
    1,
    a / (a + b),
  );
  const upper = tabulatedQuantile(
    (x) => betaI(x, b, a, logB),
    (x) => Math.exp((b - 1) * Math.log(x) + (a - 1) * Math.log1p(-x) - logB),
    0,
    1,
    b / (a + b),
  );
  return (u) => (u <= 0.5 ? lower(u) : 1 - upper(1 - u));
}

/**
 * The standard Gamma(k)'s quantile by Newton's method on every call: on P below the median, on
 * Q = 1 − P above it (started from the answer on P, which is within about 1e-8 relative).
 */
export function gammaQuantileExact(k: number): (u: number) => number {
  const lgk = logGamma(k);
  const pdf = (x: number): number => Math.exp((k - 1) * Math.log(x) - x - lgk);
  const onP = tabulatedQuantile((x) => gammaP(k, x, lgk), pdf, 0, Number.POSITIVE_INFINITY, k);
  const negQ = (x: number): number => -gammaQ(k, x, lgk);
  return (u) => {
    const x = onP(u);
    if (u <= 0.5 || !(u < 1)) return x;
    return invertCdf(negQ, pdf, -(1 - u), 0, Number.POSITIVE_INFINITY, Math.max(x, Number.MIN_VALUE));
  };
}

/**
 * Beta(a, b)'s tabulated quantile. The table is built on the first call (or found in the cache), so
 * making the function costs nothing; u below ½ reads Beta(a, b)'s lower half, u above it 1 minus
 * Beta(b, a)'s lower half at 1 − u (exact for u ≥ ½).
 */
export function betaQuantile(a: number, b: number): (u: number) => number {
  if (!(tabulable(a) && tabulable(b))) return betaQuantileExact(a, b);
  return tabulated(betaQuantileExact(a, b), `beta ${a} ${b}`, () =>
    join(buildTable(betaLowerHalf(a, b)), buildTable(betaLowerHalf(b, a)), 1),
  );
}

/** The standard Gamma(k)'s tabulated quantile (multiply by the scale); as `betaQuantile`. */
export function gammaQuantile(k: number): (u: number) => number {
  if (!tabulable(k)) return gammaQuantileExact(k);
  return tabulated(gammaQuantileExact(k), `gamma ${k}`, () =>
    join(buildTable(gammaLowerHalf(k)), buildTable(gammaUpperHalf(k)), 0),
  );
}

/**
 * Shapes for which a table is tried. Beyond them the incomplete beta and gamma functions themselves
 * lose their accuracy (their series and continued fractions run out of terms, values underflow), so
 * the table could not be checked, and a build would only spend seconds failing.
 */
const tabulable = (shape: number): boolean => shape > 1e-3 && shape <= 1e9;

/** The two halves as one table, the upper read as offset − h(1 − u); null if either failed. */
function join(
  lower: HalfTable | undefined,
  upper: HalfTable | undefined,
  offset: number,
): QuantileTable | null {
  if (lower === undefined || upper === undefined) return null;
  return joinTables(lower, upper, offset, -1, lower.top, lower.bottom, offset - upper.bottom);
}

/**
 * A quantile function read from the table cached under `key`, found or built on the first call.
 * The exact inversion serves u below 2⁻³³ and above 1 − 2⁻³³ (kept in order with the table's ends),
 * and parameters that could not be tabulated; u = ½ is the median.
 */
function tabulated(
  exact: (u: number) => number,
  key: string,
  build: () => QuantileTable | null,
): (u: number) => number {
  let table: QuantileTable | null | undefined;
  const edge = (T: QuantileTable, u: number): number => {
    if (u === 0.5) return T.median;
    const x = exact(u);
    return u < 0.5 ? Math.min(x, T.low) : Math.max(x, T.high);
  };
  return (u) => {
    if (table === undefined) table = cached(key, build);
    const T = table;
    if (T === null) return exact(u);
    const p = Math.min(u, 1 - u);
    return p >= P_LOW && p < 0.5 ? evaluateQuantile(T, u, p) : edge(T, u);
  };
}
