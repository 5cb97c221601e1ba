/**
 * Joe and Kuo's direction numbers (new-joe-kuo-6.21201, the set SciPy's `qmc.Sobol` uses) for
 * dimensions 2 … 21, one row per dimension: the degree s of its primitive polynomial, the
 * polynomial's inner coefficients a (bits, highest first) and the initial numbers m_1 … m_s.
 * Dimension 1 is the van der Corput sequence in base 2 and needs none.
 */
const JOE_KUO: readonly (readonly [s: number, a: number, m: readonly number[]])[] = [
  [1, 0, [1]],
  [2, 1, [1, 3]],
  [3, 1, [1, 3, 1]],
  [3, 2, [1, 1, 1]],
  [4, 1, [1, 1, 3, 3]],
  [4, 4, [1, 3, 5, 13]],
  [5, 2, [1, 1, 5, 5, 17]],
  [5, 4, [1, 1, 5, 5, 5]],
  [5, 7, [1, 1, 7, 11, 19]],
  [5, 11, [1, 1, 5, 1, 1]],
  [5, 13, [1, 1, 1, 3, 11]],
  [5, 14, [1, 3, 5, 5, 31]],
  [6, 1, [1, 3, 3, 9, 7, 49]],
  [6, 13, [1, 1, 1, 15, 21, 21]],
  [6, 16, [1, 3, 1, 13, 27, 49]],
  [6, 19, [1, 1, 1, 15, 7, 5]],
  [6, 22, [1, 3, 1, 15, 13, 25]],
  [6, 25, [1, 1, 5, 5, 19, 61]],
  [7, 1, [1, 3, 7, 11, 23, 15, 103]],
  [7, 4, [1, 3, 7, 13, 13, 15, 69]],
];

/** The most dimensions `sobolPoints` has direction numbers for. */
export const SOBOL_MAX_DIMENSIONS = JOE_KUO.length + 1;

const BITS = 32;

/** Direction numbers v_1 … v_32 of one dimension, as 32-bit integers (v_k / 2^32 is the binary fraction). */
function directions(dimension: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dimension === 0) {
    for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    return v;
  }
  const [s, a, m] = JOE_KUO[dimension - 1]!;
  for (let k = 0; k < s; k++) v[k] = (m[k]! * 2 ** (BITS - 1 - k)) >>> 0;
  // v_k = a_1 v_{k−1} ⊕ … ⊕ a_{s−1} v_{k−s+1} ⊕ v_{k−s} ⊕ (v_{k−s} >> s), with a_1 the highest bit of a.
  for (let k = s; k < BITS; k++) {
    let x = (v[k - s]! ^ (v[k - s]! >>> s)) >>> 0;
    for (let j = 1; j < s; j++) if ((a >>> (s - 1 - j)) & 1) x = (x ^ v[k - j]!) >>> 0;
    v[k] = x;
  }
  return v;
}

/**
 * The first n points of the d-dimensional Sobol low-discrepancy sequence in [0, 1)^d (unscrambled,
 * Joe–Kuo direction numbers, Gray-code order), without the origin: the 2-D sequence starts (0.5,
 * 0.5), (0.75, 0.25), (0.25, 0.75), (0.375, 0.375). Deterministic: it takes no seed. The first
 * 2^m − 1 points put exactly one point in each of the 2^m equal intervals of every dimension but the
 * lowest (where the origin would be), so n = 2^m − 1 spreads the points most evenly.
 */
export function sobolPoints(n: number, d: number): number[][] {
  if (!Number.isSafeInteger(d) || d < 1 || d > SOBOL_MAX_DIMENSIONS)
    throw new RangeError(`a Sobol design has 1 to ${SOBOL_MAX_DIMENSIONS} dimensions, not ${d}`);
  if (!Number.isSafeInteger(n) || n < 0 || n >= 2 ** BITS)
    throw new RangeError(`a Sobol design has 0 to 2^32 − 1 points, not ${n}`);
  const v = Array.from({ length: d }, (_, j) => directions(j));
  const x = new Uint32Array(d);
  const points: number[][] = [];
  for (let i = 0; i < n; i++) {
    // Gray code: point i + 1 differs from point i in the direction of i's lowest zero bit.
    let c = 0;
    while ((i >>> c) & 1) c++;
    const point = new Array<number>(d);
    for (let j = 0; j < d; j++) {
      x[j] = (x[j]! ^ v[j]![c]!) >>> 0;
      point[j] = x[j]! / 2 ** BITS;
    }
    points.push(point);
  }
  return points;
}
