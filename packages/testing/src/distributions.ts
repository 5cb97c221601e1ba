import type { Distribution } from '@entente/core';
import fc from 'fast-check';

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Distributions whose parameters are valid, as a scenario's `params` entries. */
export function validDistribution(): fc.Arbitrary<Distribution> {
  return fc.oneof(
    finite(-100, 100).map((value): Distribution => ({ dist: 'constant', value })),
    fc
      .tuple(finite(-100, 100), finite(0.001, 100))
      .map(([min, w]): Distribution => ({ dist: 'uniform', min, max: min + w })),
    fc
      .tuple(finite(-100, 100), finite(0.001, 100), finite(0, 1))
      .map(([min, w, m]): Distribution => ({ dist: 'triangular', min, mode: min + m * w, max: min + w })),
    fc
      .tuple(finite(-100, 100), finite(0.001, 100), finite(0, 1))
      .map(([min, w, m]): Distribution => ({ dist: 'pert', min, mode: min + m * w, max: min + w })),
    fc
      .tuple(finite(-100, 100), finite(0.001, 50))
      .map(([mean, sd]): Distribution => ({ dist: 'normal', mean, sd })),
    fc
      .tuple(finite(-3, 3), finite(0.01, 2))
      .map(([mu, sigma]): Distribution => ({ dist: 'lognormal', mu, sigma })),
    fc
      .tuple(finite(0.001, 100), finite(1.01, 100))
      .map(([lo, r]): Distribution => ({ dist: 'lognormal', ci90: [lo, lo * r] })),
    fc
      .tuple(finite(0.1, 50), finite(0.1, 50))
      .map(([alpha, beta]): Distribution => ({ dist: 'beta', alpha, beta })),
    fc
      .tuple(finite(0.1, 50), finite(0.01, 20))
      .map(([shape, scale]): Distribution => ({ dist: 'gamma', shape, scale })),
    finite(0, 1).map((p): Distribution => ({ dist: 'bernoulli', p })),
  );
}
