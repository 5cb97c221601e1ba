import { type RunOptions, run } from '@entente/core';
import fc from 'fast-check';
import { compileData } from './compile.js';

export interface MonotoneOptions extends RunOptions {
  /** The estimate must not rise (instead of not fall) as x rises. */
  decreasing?: boolean;
  /** The outcome to check. @defaultValue the scenario's primary outcome */
  outcome?: string;
}

/**
 * P(outcome) never falls (or, with `decreasing`, never rises) as `apply(scenario, x)` raises x.
 * With common random numbers, a model that is monotone in x gives estimates that are exactly
 * monotone at a fixed seed: this is an exact check, not a statistical one, and any counterexample
 * is a real one (fast-check shrinks it to the smallest pair of x).
 */
export function monotoneIn<D>(
  base: D,
  apply: (scenario: D, x: number) => unknown,
  values: fc.Arbitrary<number>,
  options: MonotoneOptions = {},
): fc.IPropertyWithHooks<[number, number]> {
  const { decreasing, outcome, ...runOptions } = options;
  const probability = (x: number): number => {
    const r = run(compileData(apply(base, x)), { runs: 2000, ...runOptions });
    return r.outcomes[outcome ?? r.primary]!.probability;
  };
  return fc.property(values, values, (a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const pLo = probability(lo);
    const pHi = probability(hi);
    return decreasing ? pHi <= pLo : pHi >= pLo;
  });
}
