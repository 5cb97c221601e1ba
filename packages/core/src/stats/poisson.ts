import { gammaQuantileExact } from '../random/quantiles.js';

/**
 * Exact (Garwood) two-sided bounds for the mean of a Poisson count `k` at confidence 1 − `alpha`:
 * lower = ½χ²(α/2; 2k) (0 when k = 0), upper = ½χ²(1 − α/2; 2k + 2), computed as quantiles of the
 * standard Gamma(k) and Gamma(k + 1). Each bound misses the mean with probability at most α/2.
 */
export function poissonBounds(k: number, alpha: number): [number, number] {
  if (!(Number.isSafeInteger(k) && k >= 0)) throw new RangeError(`a count, got ${k}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha in (0, 1), got ${alpha}`);
  const lower = k === 0 ? 0 : gammaQuantileExact(k)(alpha / 2);
  return [lower, gammaQuantileExact(k + 1)(1 - alpha / 2)];
}
