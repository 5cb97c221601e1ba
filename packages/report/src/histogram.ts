/** One bin of a histogram: [x0, x1), its share of the mass and its density (share / width). */
export interface Bin {
  x0: number;
  x1: number;
  share: number;
  density: number;
}

/**
 * A histogram from a distribution's quantiles on a grid: `quantiles[i]` is the value at probability
 * `probs[i]` (increasing). The mass between two neighbouring grid points, probs[i+1] − probs[i], is
 * spread evenly over [quantiles[i], quantiles[i+1]] (or put on that point when they are equal: an
 * atom), then summed into `bins` equal bins over [quantiles[0], quantiles[last]]. Shares add up to
 * the mass the grid covers, normalised to 1. A distribution on one point gives one bin of width 0.
 * `range` sets the bins' span (it must hold every quantile), so that several histograms share bins.
 */
export function histogram(
  quantiles: readonly number[],
  probs: readonly number[],
  bins: number,
  range?: readonly [number, number],
): Bin[] {
  if (quantiles.length !== probs.length || quantiles.length < 2)
    throw new RangeError('histogram needs at least two quantiles, one per probability');
  const lo = range?.[0] ?? quantiles[0]!;
  const hi = range?.[1] ?? quantiles[quantiles.length - 1]!;
  const total = probs[probs.length - 1]! - probs[0]!;
  if (!(hi > lo)) return [{ x0: lo, x1: hi, share: 1, density: Number.POSITIVE_INFINITY }];
  const width = (hi - lo) / bins;
  const mass = new Float64Array(bins);
  const binOf = (x: number): number => Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / width)));
  for (let i = 0; i + 1 < quantiles.length; i++) {
    const a = quantiles[i]!;
    const b = quantiles[i + 1]!;
    const m = probs[i + 1]! - probs[i]!;
    if (m <= 0) continue;
    if (!(b > a)) {
      mass[binOf(a)]! += m;
      continue;
    }
    // Spread m over [a, b] in proportion to the overlap with each bin.
    for (let k = binOf(a); k <= binOf(b); k++) {
      const x0 = lo + k * width;
      const x1 = k === bins - 1 ? hi : x0 + width;
      const overlap = Math.min(b, x1) - Math.max(a, x0);
      if (overlap > 0) mass[k]! += (m * overlap) / (b - a);
    }
  }
  const out: Bin[] = [];
  for (let k = 0; k < bins; k++) {
    const share = mass[k]! / total;
    out.push({
      x0: lo + k * width,
      x1: k === bins - 1 ? hi : lo + (k + 1) * width,
      share,
      density: share / width,
    });
  }
  return out;
}

/** probs for a grid of m + 1 points from `from` to `to`: from, from + (to − from)/m, …, to. */
export function grid(m: number, from = 0, to = 1): number[] {
  return Array.from({ length: m + 1 }, (_, i) => (i === m ? to : from + ((to - from) * i) / m));
}
