import { makeSampler } from '@entente/core';
import { describe, expect, it } from 'vitest';
import { grid, histogram } from '../src/histogram.js';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('histogram from quantiles', () => {
  it('gives a uniform distribution equal shares and density 1/width', () => {
    const probs = grid(200);
    const bins = histogram(probs, probs, 10); // U(0, 1): Q(q) = q
    expect(bins).toHaveLength(10);
    for (const b of bins) {
      expect(b.share).toBeCloseTo(0.1, 12);
      expect(b.density).toBeCloseTo(1, 10);
    }
    expect(bins[0]!.x0).toBe(0);
    expect(bins[9]!.x1).toBe(1);
  });

  it('puts atoms where they are: a Bernoulli(0.3) has 0.7 at 0 and 0.3 at 1', () => {
    const probs = grid(200);
    const q = probs.map((p) => (p < 0.7 ? 0 : 1));
    const bins = histogram(q, probs, 20);
    expect(sum(bins.map((b) => b.share))).toBeCloseTo(1, 12);
    // The grid step between the last 0 and the first 1 (1/200) is spread over (0, 1).
    expect(bins[0]!.share).toBeGreaterThan(0.695);
    expect(bins[0]!.share).toBeLessThan(0.7 + 0.005);
    expect(bins[19]!.share).toBeGreaterThan(0.295);
    expect(bins[19]!.share).toBeLessThan(0.305);
    expect(sum(bins.slice(1, 19).map((b) => b.share))).toBeLessThan(0.006);
  });

  it('matches the normal density at the centre, from the sampler’s inverse CDF', () => {
    const s = makeSampler({ dist: 'normal', mean: 0, sd: 1 });
    if (!s.ok) throw new Error('sampler');
    const probs = grid(2000, 0.001, 0.999);
    const bins = histogram(
      probs.map((u) => s.sampler.quantile(u)),
      probs,
      31,
    );
    const centre = bins[15]!;
    expect(centre.x0).toBeLessThan(0);
    expect(centre.x1).toBeGreaterThan(0);
    // φ(0) = 0.3989; the bin is 0.2 wide, so its mean density is within 0.002 of it, and the grid
    // covers 99.8% of the mass (normalised to 1: +0.2%).
    expect(centre.density).toBeGreaterThan(0.395);
    expect(centre.density).toBeLessThan(0.402);
  });

  it('shares bins over a given range: nothing outside the values', () => {
    const probs = grid(100);
    const q = probs.map((p) => 2 + p); // U(2, 3)
    const bins = histogram(q, probs, 4, [0, 4]);
    expect(bins.map((b) => b.share)).toEqual([0, 0, expect.closeTo(1, 12), 0]);
  });

  it('gives one bin for a constant and refuses mismatched grids', () => {
    expect(histogram([5, 5, 5], [0, 0.5, 1], 10)).toEqual([
      { x0: 5, x1: 5, share: 1, density: Number.POSITIVE_INFINITY },
    ]);
    expect(() => histogram([1, 2], [0, 0.5, 1], 3)).toThrow(RangeError);
  });
});
