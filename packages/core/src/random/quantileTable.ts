/**
 * Tabulated quantiles: a function h, increasing on p ∈ [2⁻³³, ½], stored as one quintic Hermite
 * piece per interval (value, first and second derivative at both ends, all exact) and evaluated in
 * a few nanoseconds, within a tolerance checked when it is built, and exactly nondecreasing in
 * floating point.
 *
 * Layout. The range is cut into 32 octaves [2ʲ⁻³³, 2ʲ⁻³²) (j = 0 … 31), so the tails get as many
 * intervals as the middle (the log-scale treatment of the tails), and octave j into 2^Lⱼ equal
 * intervals, Lⱼ chosen at build time: raised until every interval's error, measured against the
 * exact value at its midpoint (where a quintic Hermite piece's error peaks), is a quarter of the
 * tolerance. Finding the interval and the local coordinate t ∈ [0, 1) in it is exact arithmetic: a
 * count of leading zeros, multiplications by powers of two, a subtraction that Sterbenz's lemma
 * makes exact.
 *
 * Steep power laws. Near a pole (a beta or gamma shape a < 1) h grows like p^(1/a); the table then
 * holds w = h^(1/2ʳ), close to a power 1 of p, and h is w squared r times (r ≈ log₂(1/a)).
 *
 * Exact monotonicity. Each piece is a polynomial whose Bernstein coefficients rise, so its slope is
 * at least g > 0 on [0, 1], and whose rounding error, evaluated as below, is at most E (a bound
 * from its coefficients). It is evaluated at t rounded down to a multiple of 1/S, S the largest
 * power of two up to 2⁴⁰ with g/S ≥ 4E: two neighbouring grid points then differ by more than twice
 * the rounding error, so the computed values rise along the grid, and rounding t down is monotone.
 * The result is clamped to the piece's knots, which rise from one interval to the next, and then
 * squared (monotone on values ≥ 0). So the function is nondecreasing for every double p, not only
 * on a grid; the cost of rounding t (at most max h′/S: a few units in the last place, or 2⁻⁴⁰ of
 * an interval's rise) is counted in the error the build checks.
 */

/** The increasing function to tabulate on [2⁻³³, ½], given by its exact inversion and its density. */
export interface TabulatedFunction {
  /** The exact value h(p), by Newton's method started from `guess`. */
  solve(p: number, guess: number): number;
  /** log h′(p) where h(p) = y (minus the log density at the point y stands for). */
  logSlope(y: number): number;
  /** κ(y) such that h″ = κ · h′² (from the derivative of the log density). */
  bend(y: number): number;
  /** The error allowed at y. */
  tolerance(y: number): number;
  /** A start for solving h(½). */
  readonly start: number;
  /** r: tabulate h^(1/2ʳ) (h must then be ≥ 0); 0 for h itself. */
  readonly roots: number;
}

/** A built table of one function; `evaluateTable` reads it. */
export interface HalfTable {
  /** Octave j's 2^Lⱼ · 2³³⁻ʲ and 2^Lⱼ: p times the first, minus the second, is p's place in it. */
  readonly scales: Float64Array;
  /** Where octave j's first interval starts in `pieces`. */
  readonly starts: Int32Array;
  /** Per interval, PIECE numbers: c0 … c5 (c0 the lower knot), the upper knot, S and 1/S. */
  readonly pieces: Float64Array;
  /** How many times a piece's value is squared. */
  readonly roots: number;
  /** The value at ½ and at 2⁻³³, as evaluated. */
  readonly top: number;
  readonly bottom: number;
}

/** The smallest p tabulated: the smallest uniform `aleaOpen` gives. Below it, callers invert exactly. */
export const P_LOW = 2 ** -33;
const PIECE = 9;
const OCTAVES = 32;
/** Intervals per octave at most 2^MAX_LEVEL; a function that needs more is not tabulated. */
const MAX_LEVEL = 10;
/** The finest rounding of t: 2⁻⁴⁰ of an interval. */
const MAX_GRID = 2 ** 40;
/** Midpoint errors must be this many times smaller than the tolerance. */
const SAFETY = 4;
const U = 2 ** -53;
/**
 * A bound on the rounding error of `evaluatePiece`'s polynomial: in its Estrin-like scheme each
 * term cₖtᵏ passes through at most eight roundings, so the error is at most γ₈ Σ|cₖ| on [0, 1]
 * (Higham, Accuracy and Stability of Numerical Algorithms, §3.1); γ₁₀ leaves room.
 */
const GAMMA_10 = (10 * U) / (1 - 10 * U);
/** Absolute slack for subnormal results (each of a dozen operations may lose 2⁻¹⁰⁷⁴). */
const SUBNORMAL = 16 * 2 ** -1074;

/**
 * The piece at `k` at t ∈ [0, 1): its polynomial at t rounded down to a multiple of 1/S, clamped to
 * its knots. The build checks its error with this very function.
 */
export function evaluatePiece(pieces: Float64Array, k: number, t: number): number {
  const q = Math.floor(t * pieces[k + 7]!) * pieces[k + 8]!;
  const c0 = pieces[k]!;
  const q2 = q * q;
  const y =
    c0 +
    q * pieces[k + 1]! +
    q2 * (pieces[k + 2]! + q * pieces[k + 3]! + q2 * (pieces[k + 4]! + q * pieces[k + 5]!));
  const hi = pieces[k + 6]!;
  // biome-ignore lint/complexity/useMathMinMax: a plain comparison, without Math.min's NaN and −0 cases, in the hot path
  return y < c0 ? c0 : y > hi ? hi : y;
}

/** w squared r times: monotone in w ≥ 0, and exact in its ordering. */
function square(w: number, r: number): number {
  for (let i = 0; i < r; i++) w *= w;
  return w;
}

/** Evaluate a table at p ∈ [P_LOW, ½) (callers handle the ends). */
export function evaluateTable(T: HalfTable, p: number): number {
  // p · 2³³ ∈ [1, 2³²): its integer part's leading zeros give the octave exactly.
  const j = 31 - Math.clz32((p * 8589934592) >>> 0);
  // Exact: p · 2^(33 − j + L) ∈ [2^L, 2^(L+1)), and subtracting 2^L from it is exact (Sterbenz).
  const s = p * T.scales[2 * j]! - T.scales[2 * j + 1]!;
  const i = s | 0;
  return square(evaluatePiece(T.pieces, T.starts[j]! + i * PIECE, s - i), T.roots);
}

/** Statistics of a build, for benchmarks and tests. */
export interface BuildStats {
  intervals: number;
  solves: number;
  levels: number[];
}

/**
 * Tabulate `f`, or return undefined when that cannot be done with 2^MAX_LEVEL intervals an octave
 * (a value or slope that is not finite, or a function too rough for its tolerance): callers then
 * invert exactly on every draw.
 */
export function buildTable(f: TabulatedFunction, stats?: BuildStats): HalfTable | undefined {
  let solves = 0;
  const solve = (p: number, guess: number): number => {
    solves++;
    return f.solve(p, guess);
  };
  const perOctave: Float64Array[] = [];
  const levels: number[] = [];
  let yTop = solve(0.5, f.start);
  if (!Number.isFinite(yTop) || (f.roots > 0 && !(yTop >= 0))) return undefined;
  // From the middle outwards: each octave's top knot is the bottom knot of the one below it.
  for (let j = OCTAVES - 1; j >= 0; j--) {
    const base = 2 ** (j - 33);
    const yBottom = Math.min(yTop, solve(base, tailGuess(yTop, f.logSlope(yTop), 2 * base)));
    const built = buildOctave(f, base, yBottom, yTop, solve);
    if (built === undefined) return undefined;
    perOctave[j] = built.pieces;
    levels[j] = built.level;
    yTop = yBottom;
  }
  const scales = new Float64Array(2 * OCTAVES);
  const starts = new Int32Array(OCTAVES);
  let count = 0;
  for (let j = 0; j < OCTAVES; j++) {
    const n = perOctave[j]!.length / PIECE;
    scales[2 * j] = n * 2 ** (33 - j);
    scales[2 * j + 1] = n;
    starts[j] = count * PIECE;
    count += n;
  }
  const pieces = new Float64Array(count * PIECE);
  for (let j = 0; j < OCTAVES; j++) pieces.set(perOctave[j]!, starts[j]!);
  if (stats) {
    stats.intervals = count;
    stats.solves = solves;
    stats.levels = levels;
  }
  const last = (count - 1) * PIECE;
  return {
    scales,
    starts,
    pieces,
    roots: f.roots,
    top: square(pieces[last + 6]!, f.roots),
    bottom: square(pieces[0]!, f.roots),
  };
}

/** A start for h(p/2) from h(p) and its slope: a power law if h > 0, else a line in log p. */
function tailGuess(y: number, logSlope: number, p: number): number {
  const dy = Math.exp(logSlope) * p;
  const next = y > 0 ? y * Math.exp(-Math.LN2 * Math.min(dy / y, 1e3)) : y - Math.LN2 * dy;
  return Number.isFinite(next) ? next : y;
}

/**
 * One octave [base, 2·base), with h's exact values at its ends: split it into 2, 4, 8, … equal
 * intervals until every one passes, each level's midpoints becoming the next level's knots.
 */
function buildOctave(
  f: TabulatedFunction,
  base: number,
  yBottom: number,
  yTop: number,
  solve: (p: number, guess: number) => number,
): { pieces: Float64Array; level: number } | undefined {
  const r = f.roots;
  const m = 2 ** r;
  let ys = [yBottom, yTop];
  for (let level = 0; level <= MAX_LEVEL; level++) {
    const n = ys.length - 1;
    const width = base / n;
    // Knots in w = y^(1/m), with dw/dt and d²w/dt² from h′ = e^logSlope and h″ = κ h′².
    const ws = ys.map((y) => root(y, r));
    const ds = ys.map((y, i) =>
      y === 0 ? 0 : Math.exp(Math.log(width) + f.logSlope(y) + Math.log(ws[i]! / y) - r * Math.LN2),
    );
    const ss = ys.map((y, i) => (ds[i] === 0 ? 0 : (ds[i]! * ds[i]! * (1 - m + m * y * f.bend(y))) / ws[i]!));
    if (![...ws, ...ds, ...ss].every(Number.isFinite)) return undefined;
    const pieces = new Float64Array(n * PIECE);
    const mids: number[] = [];
    let pass = true;
    for (let i = 0; i < n; i++) {
      const k = i * PIECE;
      const y0 = ys[i]!;
      const y1 = ys[i + 1]!;
      const certified = makePiece(pieces, k, ws[i]!, ws[i + 1]!, ds[i]!, ds[i + 1]!, ss[i]!, ss[i + 1]!);
      const guess = square(polynomial(pieces, k, 0.5), r);
      const exact = Math.min(Math.max(solve(base + (i + 0.5) * width, guess), y0), y1);
      if (!Number.isFinite(exact)) return undefined;
      mids.push(exact);
      // Every value is clamped between the knots: a rise within the tolerance passes as it is.
      const small = SAFETY * (y1 - y0) <= Math.min(f.tolerance(y0), f.tolerance(y1));
      // Rounding t down moves w by at most `slack`, which costs most at the top of the interval.
      const slack = pieces[k + 8]! * maxSlope(pieces, k);
      const w1 = ws[i + 1]!;
      const rounding = r === 0 ? slack : square(w1, r) - square(Math.max(0, w1 - slack), r);
      const error = Math.abs(square(evaluatePiece(pieces, k, 0.5), r) - exact) + rounding;
      if (!small && !(certified && SAFETY * error <= f.tolerance(exact))) pass = false;
    }
    if (pass) return { pieces, level };
    const next = [ys[0]!];
    for (let i = 0; i < n; i++) next.push(mids[i]!, ys[i + 1]!);
    ys = next;
  }
  return undefined;
}

/** y^(1/2ʳ) by r square roots (each correctly rounded). */
function root(y: number, r: number): number {
  for (let i = 0; i < r; i++) y = Math.sqrt(y);
  return y;
}

/** The piece's polynomial at t, without rounding t or clamping. */
function polynomial(pieces: Float64Array, k: number, t: number): number {
  const t2 = t * t;
  return (
    pieces[k]! +
    t * pieces[k + 1]! +
    t2 * (pieces[k + 2]! + t * pieces[k + 3]! + t2 * (pieces[k + 4]! + t * pieces[k + 5]!))
  );
}

/** An upper bound on the piece's slope on [0, 1]: rounding t down to its grid costs at most this over S. */
function maxSlope(pieces: Float64Array, k: number): number {
  const steps = bernsteinSteps(
    pieces[k + 1]!,
    pieces[k + 2]!,
    pieces[k + 3]!,
    pieces[k + 4]!,
    pieces[k + 5]!,
  );
  return 5 * Math.max(...steps.map(([v, e]) => v + e));
}

/**
 * The five steps between consecutive Bernstein coefficients of c0 + c1 t + … + c5 t⁵ on [0, 1]
 * (its slope lies between 5 × the least and 5 × the greatest), each with a bound on its rounding.
 */
function bernsteinSteps(c1: number, c2: number, c3: number, c4: number, c5: number): [number, number][] {
  const rows = [
    [c1 / 5],
    [c1 / 5, c2 / 10],
    [c1 / 5, (2 * c2) / 10, c3 / 10],
    [c1 / 5, (3 * c2) / 10, (3 * c3) / 10, c4 / 5],
    [c1 / 5, (4 * c2) / 10, (6 * c3) / 10, (4 * c4) / 5, c5],
  ];
  return rows.map((terms) => {
    let sum = 0;
    let abs = 0;
    for (const x of terms) {
      sum += x;
      abs += Math.abs(x);
    }
    return [sum, 16 * U * abs + SUBNORMAL];
  });
}

/**
 * Store at `k` the quintic Hermite piece through (0, w0, d0, s0) and (1, w1, d1, s1), with the
 * grid its t is rounded to. Returns false when its rise cannot be certified: it is then stored with
 * a grid of one point (constant, so still monotone) and the octave is refined.
 */
function makePiece(
  pieces: Float64Array,
  k: number,
  w0: number,
  w1: number,
  d0: number,
  d1: number,
  s0: number,
  s1: number,
): boolean {
  const delta = w1 - w0;
  pieces[k] = w0;
  pieces[k + 6] = w1;
  const c3 = 10 * delta - 6 * d0 - 4 * d1 - (3 * s0 - s1) / 2;
  const c4 = -15 * delta + 8 * d0 + 7 * d1 + (3 * s0 - 2 * s1) / 2;
  const c5 = 6 * delta - 3 * d0 - 3 * d1 - (s0 - s1) / 2;
  const cs = delta === 0 ? [0, 0, 0, 0, 0] : [d0, s0 / 2, c3, c4, c5];
  pieces.set(cs, k + 1);
  const [c1, c2] = cs as [number, number];
  const least = 5 * Math.min(...bernsteinSteps(c1, c2, cs[2]!, cs[3]!, cs[4]!).map(([v, e]) => v - e));
  const bound = GAMMA_10 * cs.reduce((sum, c) => sum + Math.abs(c), Math.abs(w0)) + SUBNORMAL;
  let grid = 1;
  if (least > 0) while (grid < MAX_GRID && least >= 8 * grid * bound) grid *= 2;
  pieces[k + 7] = grid;
  pieces[k + 8] = 1 / grid;
  return delta === 0 || least > 0;
}

/**
 * A quantile function's two halves in one table: u < ½ reads h_lower(u); u > ½ reads
 * a + b · h_upper(1 − u) with b < 0 (1 − h for a beta, whose upper half is a mirrored beta; −h for a
 * gamma, whose upper half is tabulated negated), raised to `floor` (the median) so that the halves
 * meet in order whatever their last bits.
 */
export interface QuantileTable {
  /** Octaves 0 … 31 of the lower half, then those of the upper half. */
  readonly scales: Float64Array;
  readonly starts: Int32Array;
  readonly pieces: Float64Array;
  /** a, b, floor and squarings for the lower half (0, 1, −∞, r), then for the upper half. */
  readonly map: Float64Array;
  /** The values at 2⁻³³, ½ and 1 − 2⁻³³. */
  readonly low: number;
  readonly median: number;
  readonly high: number;
}

/** Join two tables: u < ½ from `lower`, u > ½ from a + b · `upper`, never below `median`. */
export function joinTables(
  lower: HalfTable,
  upper: HalfTable,
  a: number,
  b: number,
  median: number,
  low: number,
  high: number,
): QuantileTable {
  const pieces = new Float64Array(lower.pieces.length + upper.pieces.length);
  pieces.set(lower.pieces);
  pieces.set(upper.pieces, lower.pieces.length);
  const scales = new Float64Array(4 * OCTAVES);
  scales.set(lower.scales);
  scales.set(upper.scales, 2 * OCTAVES);
  const starts = new Int32Array(2 * OCTAVES);
  starts.set(lower.starts);
  for (let j = 0; j < OCTAVES; j++) starts[OCTAVES + j] = upper.starts[j]! + lower.pieces.length;
  const map = Float64Array.of(0, 1, Number.NEGATIVE_INFINITY, lower.roots, a, b, median, upper.roots);
  return { scales, starts, pieces, map, low, median, high };
}

/**
 * The tabulated quantile at u, given p = min(u, 1 − u) ∈ [P_LOW, ½) (callers handle the rest):
 * `evaluateTable` on the half u is in, then that half's map.
 */
export function evaluateQuantile(T: QuantileTable, u: number, p: number): number {
  const upper = u > 0.5 ? 1 : 0;
  const j = 31 - Math.clz32((p * 8589934592) >>> 0) + OCTAVES * upper;
  const scales = T.scales;
  const s = p * scales[2 * j]! - scales[2 * j + 1]!;
  const i = s | 0;
  const map = T.map;
  const m = 4 * upper;
  const y = square(evaluatePiece(T.pieces, T.starts[j]! + i * PIECE, s - i), map[m + 3]!);
  const x = map[m]! + map[m + 1]! * y;
  const floor = map[m + 2]!;
  // biome-ignore lint/complexity/useMathMinMax: a plain comparison, without Math.max's NaN and −0 cases, in the hot path
  return x > floor ? x : floor;
}
