import type { AllianceInfo } from '../alliance/expand.js';
import { canonicalJson, fingerprint } from '../hash.js';
import type { Result } from '../issues.js';
import { ok } from '../issues.js';
import { siteKey } from '../random/seed.js';
import type { Scenario } from '../schema/scenario.js';
import type { ValidScenario } from '../schema/validate.js';
import { buildPlan } from './build.js';
import { generateTrial } from './generate.js';
import { interpretTrial } from './interpret.js';
import type { Plan } from './plan.js';
import type { TrialFn } from './trial.js';

/** A scenario ready to simulate. Immutable; safe to share between runs. */
export interface CompiledModel {
  readonly scenario: Scenario;
  /** Fingerprint of the validated scenario (canonical JSON): the same document gives the same hash. */
  readonly hash: string;
  readonly plan: Plan;
  readonly outcomeIds: readonly string[];
  /** Index of the primary outcome in `outcomeIds`. */
  readonly primary: number;
  /** One 32-bit key per random site, from its name. */
  readonly siteKeys: Uint32Array;
  readonly trial: TrialFn;
  /** `codegen` unless the platform forbids it or the caller asked for closures. */
  readonly backend: 'codegen' | 'closure';
  /** What the alliance vocabulary meant, when the scenario used it (for attribution). */
  readonly alliance?: AllianceInfo;
}

export interface CompileOptions {
  /** Force the closure back end (for testing, or where eval is forbidden). Default: code generation. */
  backend?: 'codegen' | 'closure';
}

/** Check every formula and compile the scenario into a trial function. */
export function compileScenario(valid: ValidScenario, options: CompileOptions = {}): Result<CompiledModel> {
  const plan = buildPlan(valid);
  if (!plan.ok) return plan;
  const model = modelFromPlan(valid.scenario, plan.value, options);
  return ok(valid.alliance === undefined ? model : { ...model, alliance: valid.alliance });
}

function modelFromPlan(scenario: Scenario, plan: Plan, options: CompileOptions): CompiledModel {
  let trial: TrialFn | undefined;
  let backend: CompiledModel['backend'] = 'closure';
  if (options.backend !== 'closure') {
    try {
      trial = generateTrial(plan);
      backend = 'codegen';
    } catch (e) {
      // A Content-Security-Policy without 'unsafe-eval' throws EvalError: fall back. Anything else is a bug.
      if (!(e instanceof EvalError)) throw e;
    }
  }
  trial ??= interpretTrial(plan);
  const outcomeIds = Object.keys(scenario.outcomes);
  return {
    scenario,
    hash: fingerprint(canonicalJson(scenario)),
    plan,
    outcomeIds,
    primary: outcomeIds.indexOf(scenario.primary),
    siteKeys: Uint32Array.from(plan.siteNames, siteKey),
    trial,
    backend,
  };
}
