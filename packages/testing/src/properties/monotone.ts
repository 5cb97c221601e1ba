import { type CompiledModel, defaults, type RunOptions, run } from '@entente/core';
import fc from 'fast-check';
import { compileData } from './compile.js';

/** Trials per estimate unless `runs` says otherwise: a few milliseconds for a small scenario. */
export const MONOTONE_RUNS = 2_000;

/**
 * Options of `monotoneIn`: any `RunOptions` of the core's `run` (the same for every estimate), and
 * which way and which outcome to check.
 */
export interface MonotoneOptions extends RunOptions {
  /** The estimate must not rise (instead of not fall) as x rises. @defaultValue false */
  decreasing?: boolean;
  /** The outcome to check. @defaultValue the scenario's primary outcome */
  outcome?: string;
  /** Trials per estimate. @defaultValue MONOTONE_RUNS (2,000) */
  runs?: number;
  /** The seed of every estimate: the same trials at every x. @defaultValue DEFAULT_SEED (20241124), as `run` */
  seed?: number | string;
}

/**
 * P(outcome) never falls (or, with `decreasing`, never rises) as `apply(scenario, x)` raises x.
 * With common random numbers, a model that is monotone in x gives estimates that are exactly
 * monotone at a fixed seed: this is an exact check, not a statistical one, and any counterexample
 * is a real one (fast-check shrinks it to the smallest pair of x).
 *
 * Defaults: each estimate runs MONOTONE_RUNS (2,000) trials with the seed DEFAULT_SEED
 * (20241124); the outcome is the scenario's primary; the check is "never falls". Any other
 * `RunOptions` (`chunkSize`, `precision`, …) are passed to every `run`.
 *
 * Before it returns the property, `monotoneIn` compiles `apply(base, x)` at one value of `values`
 * and throws an Error with every problem if that is not a valid scenario, or if `outcome` is not
 * one of its outcomes: a mistake in the test, reported as such rather than as a counterexample.
 * A failure names both probabilities, both values of x, the trials and the seed.
 */
export function monotoneIn<D>(
  base: D,
  apply: (scenario: D, x: number) => unknown,
  values: fc.Arbitrary<number>,
  options: MonotoneOptions = {},
): fc.IPropertyWithHooks<[number, number]> {
  const { decreasing = false, outcome, ...rest } = options;
  const runOptions: RunOptions = { runs: MONOTONE_RUNS, seed: defaults.DEFAULT_SEED, ...rest };
  const compile = (x: number): CompiledModel => {
    try {
      return compileData(apply(base, x));
    } catch (e) {
      throw new Error(
        `monotoneIn: apply(base, ${x}) is not a valid scenario:\n${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  // Check the test before fast-check runs it: at a value of x the arbitrary gives (deterministically).
  const [probe] = fc.sample(values, { numRuns: 1, seed: 0 });
  if (probe !== undefined) {
    const model = compile(probe);
    const name = outcome ?? model.scenario.primary;
    if (!model.outcomeIds.includes(name)) {
      throw new Error(
        `monotoneIn: "${name}" is not an outcome of the scenario (its outcomes: ${model.outcomeIds.join(', ')})`,
      );
    }
  }
  const estimate = (x: number): { p: number; name: string; runs: number; seed: number | string } => {
    const r = run(compile(x), runOptions);
    const name = outcome ?? r.primary;
    const o = r.outcomes[name];
    if (o === undefined)
      throw new Error(
        `monotoneIn: "${name}" is not an outcome of apply(base, ${x}) (its outcomes: ${Object.keys(r.outcomes).join(', ')})`,
      );
    return { p: o.probability, name, runs: r.runs, seed: r.seed };
  };
  return fc.property(values, values, (a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const pLo = estimate(lo);
    const pHi = estimate(hi);
    const holds = decreasing ? pHi.p <= pLo.p : pHi.p >= pLo.p;
    if (!holds) {
      const runs = pLo.runs === pHi.runs ? `${pLo.runs} trials each` : `${pLo.runs} and ${pHi.runs} trials`;
      throw new Error(
        `P(${pLo.name}) ${decreasing ? 'rose' : 'fell'} as x rose: ${pLo.p} at x = ${lo}, ${pHi.p} at x = ${hi} ` +
          `(${runs}, seed ${JSON.stringify(pLo.seed)}; the same trials at both, so this is not noise)`,
      );
    }
    return true;
  });
}
