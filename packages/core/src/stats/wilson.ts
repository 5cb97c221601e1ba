import { Z95 } from '../defaults.js';

/**
 * Wilson score interval for k successes in n trials. Unlike the normal (Wald) interval it stays
 * inside [0, 1] and keeps its coverage near 0 and 1, where alliance-rupture probabilities often sit.
 */
export function wilsonInterval(k: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // In exact arithmetic the interval contains k/n and reaches 0 at k = 0 and 1 at k = n; rounding
  // can miss by 1e-18, so pin those.
  return [
    k === 0 ? 0 : Math.min(p, Math.max(0, centre - half)),
    k === n ? 1 : Math.max(p, Math.min(1, centre + half)),
  ];
}

/** Half the width of the Wilson interval: the precision of an estimate. */
export function wilsonHalfWidth(k: number, n: number, z = Z95): number {
  const [lo, hi] = wilsonInterval(k, n, z);
  return (hi - lo) / 2;
}
