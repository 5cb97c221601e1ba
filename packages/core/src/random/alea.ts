/**
 * The hot half of our random streams: Johannes Baagøe's Alea, the same algorithm and the same bits
 * as seedrandom's `alea` (test/alea.test.ts checks this against seedrandom itself), with each
 * stream's state kept in four slots of a Float64Array so the trial loop allocates nothing.
 * Layout per stream: s0, s1, s2, c.
 */

/** Slots per stream in the state array. */
export const STREAM_WIDTH = 4;

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
const HALF_GRID = TWO_POW_MINUS_32 / 2;

/** Next uniform in [0, 1) from the stream at offset `o`, on a grid of 2⁻³². */
export function aleaNext(S: Float64Array, o: number): number {
  const t = 2091639 * S[o]! + S[o + 3]! * TWO_POW_MINUS_32;
  S[o] = S[o + 1]!;
  S[o + 1] = S[o + 2]!;
  const c = t | 0;
  S[o + 3] = c;
  const u = t - c;
  S[o + 2] = u;
  return u;
}

/** Next uniform strictly inside (0, 1): the grid point shifted by half a step, so an inverse CDF never sees 0 or 1. */
export function aleaOpen(S: Float64Array, o: number): number {
  return aleaNext(S, o) + HALF_GRID;
}

/**
 * Set only what the stream's first draw reads (s0 as a 32-bit word, c = 1): for a stream drawn once
 * (a param's, in a trial), the same first draw as `aleaSet` with any s1 and s2.
 */
export function aleaSetFirst(S: Float64Array, o: number, w0: number): void {
  S[o] = w0 * TWO_POW_MINUS_32;
  S[o + 3] = 1;
}

/**
 * The first draw of a stream set by `aleaSetFirst(…, w0)`, opened as `aleaOpen` opens it: the same
 * operations on the same numbers, so the same bits, without a state to write or read.
 */
export function aleaFirstOpen(w0: number): number {
  const t = 2091639 * (w0 * TWO_POW_MINUS_32) + TWO_POW_MINUS_32;
  return t - (t | 0) + HALF_GRID;
}

/** Set the stream at offset `o` to Alea state (s0, s1, s2 as 32-bit words, c = 1). */
export function aleaSet(S: Float64Array, o: number, w0: number, w1: number, w2: number): void {
  S[o] = w0 * TWO_POW_MINUS_32;
  S[o + 1] = w1 * TWO_POW_MINUS_32;
  S[o + 2] = w2 * TWO_POW_MINUS_32;
  S[o + 3] = 1;
}
