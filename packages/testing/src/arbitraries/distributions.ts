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

/**
 * Distributions that are almost right: each breaks one rule (sd ≤ 0, min ≥ max, a mode outside
 * the range, a beta mean outside (0, 1), probabilities that do not sum to 1). The core must reject
 * every one with an issue naming the field.
 */
export function invalidDistribution(): fc.Arbitrary<Distribution> {
  return fc.oneof(
    fc
      .tuple(finite(-10, 10), finite(-5, 0))
      .map(([mean, sd]): Distribution => ({ dist: 'normal', mean, sd })),
    fc
      .tuple(finite(-10, 10), finite(0, 5))
      .map(([max, w]): Distribution => ({ dist: 'uniform', min: max + w, max })),
    fc
      .tuple(finite(-10, 10), finite(0.1, 5), finite(0.01, 5))
      .map(([min, w, out]): Distribution => ({ dist: 'triangular', min, mode: min + w + out, max: min + w })),
    fc.tuple(finite(1, 3), finite(0.01, 0.2)).map(([mean, sd]): Distribution => ({ dist: 'beta', mean, sd })),
    fc
      .tuple(finite(0.1, 0.9), finite(0.6, 2))
      .map(([mean, sd]): Distribution => ({ dist: 'beta', mean, sd })),
    finite(1.01, 3).map((p): Distribution => ({ dist: 'bernoulli', p })),
    fc
      .tuple(finite(0.6, 0.9), finite(0.6, 0.9))
      .map(([a, b]): Distribution => ({ dist: 'categorical', values: [0, 1], p: [a, b] })),
    fc
      .tuple(finite(1, 10), finite(0.01, 1))
      .map(([hi, f]): Distribution => ({ dist: 'lognormal', ci90: [hi, hi * f] })),
  );
}
