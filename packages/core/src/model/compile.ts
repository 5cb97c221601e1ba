import type { AllianceInfo } from '../alliance/expand.js';
import { bindEvidence, type EvidenceProgram } from '../evidence/bind.js';
import { canonicalJson, fingerprint } from '../hash.js';
import type { Issue, Result } from '../issues.js';
import { fail, ok } from '../issues.js';
import { siteKey } from '../random/seed.js';
import type { Scenario } from '../schema/scenario.js';
import type { ValidScenario } from '../schema/validate.js';
import { buildPlan } from './build.js';
import { trialFactory } from './generate.js';
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
  /**
   * The trial function for another plan of the same shape (params with other values or samplers),
   * without compiling again: what run-time binding uses (analysis/bind.ts).
   */
  readonly instantiate: (plan: Plan) => TrialFn;
  /** `codegen` unless the platform forbids it or the caller asked for closures. */
  readonly backend: 'codegen' | 'closure';
  /** What the alliance vocabulary meant, when the scenario used it (for attribution). */
  readonly alliance?: AllianceInfo;
  /** The scenario's `given` clauses, bound to its slots; absent when it conditions on nothing. */
  readonly evidence?: EvidenceProgram;
}

export interface CompileOptions {
  /** Force the closure back end (for testing, or where eval is forbidden). Default: code generation. */
  backend?: 'codegen' | 'closure';
}

/** A scenario laid out and checked, before any code is generated. */
export interface PlannedScenario {
  readonly plan: Plan;
  /** The scenario's `given` clauses, bound to the plan's slots; absent when it conditions on nothing. */
  readonly evidence?: EvidenceProgram;
}

/**
 * Everything the compiler checks, without generating code: every formula against the names in
 * scope (unknown names with a suggestion, functions, arity, limits), dependency cycles, and the
 * `given` clauses. Validation runs it (schema/validate.ts), so whatever validates compiles.
 */
export function planScenario(valid: ValidScenario): Result<PlannedScenario> {
  const known = plans.get(valid);
  if (known !== undefined) return known;
  const planned = makePlan(valid);
  plans.set(valid, planned);
  return planned;
}

/**
 * Plans already made, by the ValidScenario they were made from: validation plans a scenario to
 * check it, and compiling what it returned reuses that plan (a ValidScenario is not edited in
 * place; `variant` and `validateData` make new ones).
 */
const plans = new WeakMap<ValidScenario, Result<PlannedScenario>>();

function makePlan(valid: ValidScenario): Result<PlannedScenario> {
  const plan = buildPlan(valid);
  if (!plan.ok) return plan;
  const given = valid.scenario.given ?? [];
  if (given.length === 0) return ok({ plan: plan.value });
  const written = given.map((g) => (typeof g === 'string' ? g : g.observed));
  const bound = bindEvidence(written, valid.scenario, plan.value, Object.keys(valid.scenario.outcomes));
  if (!bound.ok) return fail(bound.problems.map((p) => evidenceIssue(valid, given, p)));
  return ok({ plan: plan.value, evidence: bound.value });
}

/** Check every formula and compile the scenario into a trial function. */
export function compileScenario(valid: ValidScenario, options: CompileOptions = {}): Result<CompiledModel> {
  const planned = planScenario(valid);
  if (!planned.ok) return planned;
  const { plan, evidence } = planned.value;
  return ok({
    ...modelFromPlan(valid.scenario, plan, options),
    ...(valid.alliance === undefined ? {} : { alliance: valid.alliance }),
    ...(evidence === undefined ? {} : { evidence }),
  });
}

/** A clause's problem located at its line, and at its column when the clause is a one-line scalar. */
function evidenceIssue(
  valid: ValidScenario,
  given: readonly (string | { observed: string })[],
  p: { index: number; message: string; offset: number; expected?: string; suggestion?: string },
): Issue {
  const g = given[p.index]!;
  const path = typeof g === 'string' ? ['given', p.index] : ['given', p.index, 'observed'];
  const text = typeof g === 'string' ? g : g.observed;
  const { quoted, scalar, ...where } = valid.document.locate(path);
  const column =
    scalar && where.column !== undefined && !text.includes('\n')
      ? where.column + p.offset + (quoted ? 1 : 0)
      : where.column;
  return {
    ...where,
    ...(column === undefined ? {} : { column }),
    code: 'evidence.clause',
    message: `in ${JSON.stringify(text)}: ${p.message}`,
    ...(p.expected === undefined ? {} : { expected: p.expected }),
    ...(p.suggestion === undefined ? {} : { suggestion: p.suggestion }),
  };
}

function modelFromPlan(scenario: Scenario, plan: Plan, options: CompileOptions): CompiledModel {
  let trial: TrialFn | undefined;
  let instantiate: (p: Plan) => TrialFn = interpretTrial;
  let backend: CompiledModel['backend'] = 'closure';
  if (options.backend !== 'closure') {
    try {
      instantiate = trialFactory(plan);
      trial = instantiate(plan);
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
    instantiate,
    backend,
  };
}
