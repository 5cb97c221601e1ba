import { type Draft, produce } from 'immer';
import type { Result } from './issues.js';
import { validateData } from './load.js';
import type { ScenarioInput } from './schema/scenario.js';
import type { ValidScenario } from './schema/validate.js';

/**
 * A new scenario from an old one and a recipe that edits a draft of it (immer): the original is
 * untouched and what did not change is shared. The result is validated again.
 *
 * @example variant(base, (d) => { d.params!.turkish_pressure = 0.9; delete d.events!.ceasefire; })
 */
export function variant(
  base: ValidScenario | ScenarioInput,
  recipe: (draft: Draft<ScenarioInput>) => void,
): Result<ValidScenario> {
  const scenario =
    'scenario' in base && 'document' in base ? (base.scenario as ScenarioInput) : (base as ScenarioInput);
  return validateData(produce(scenario, recipe));
}
