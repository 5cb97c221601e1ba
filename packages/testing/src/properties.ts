import {
  type CompiledModel,
  compileScenario,
  type RunOptions,
  run,
  type ScenarioInput,
  validateData,
} from '@entente/core';
import fc from 'fast-check';

/** Compile plain scenario data or throw with every issue (for tests). */
export function compileData(data: ScenarioInput): CompiledModel {
  const valid = validateData(data);
  if (!valid.ok) throw new Error(valid.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  const model = compileScenario(valid.value);
  if (!model.ok) throw new Error(model.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return model.value;
}

/**
 * The primary outcome's probability is nondecreasing (or, with `decreasing`, nonincreasing) as
 * `apply(scenario, x)` raises x. With common random numbers a model that is monotone in x gives
 * estimates that are exactly monotone at a fixed seed, so this is an exact check, not a statistical one.
 */
export function monotoneIn(
  base: ScenarioInput,
  apply: (scenario: ScenarioInput, x: number) => ScenarioInput,
  values: fc.Arbitrary<number>,
  options: RunOptions & { decreasing?: boolean } = {},
): fc.IPropertyWithHooks<[number, number]> {
  const { decreasing, ...runOptions } = options;
  return fc.property(values, values, (a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const p = (x: number): number => {
      const r = run(compileData(apply(base, x)), { runs: 2000, ...runOptions });
      return r.outcomes[r.primary]!.probability;
    };
    const pLo = p(lo);
    const pHi = p(hi);
    return decreasing ? pHi <= pLo : pHi >= pLo;
  });
}
