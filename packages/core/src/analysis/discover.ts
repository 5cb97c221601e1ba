import { DEFAULT_SEED } from '../defaults.js';
import { fail, type Issue, ok, type Result } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { didYouMean } from '../suggest.js';
import { optionProblem, type PrimOptions, type PrimResult, prim } from './prim.js';
import { trialTable } from './trials.js';

/*
 * Scenario discovery on a compiled model: play trials, keep each trial's draws (trials.ts), mark the
 * cases, and run PRIM (prim.ts) on them.
 */

/**
 * Trials for discovery when none is given. The smallest box PRIM peels to (PRIM_MIN_SUPPORT) then
 * still holds 1,000 trials, so its density is known to within ±3 points (95%) at any base rate, and
 * each peel moves 50 or more trials; the trial table for the flagship takes about 0.3 s and 3 MB.
 */
export const DISCOVERY_RUNS = 20_000;

/**
 * The most trial-level values discovery holds in memory: runs × (random params + outcomes + reported
 * values), since the trial table keeps every trial's draws and results (8 bytes a value, 4 for a
 * first passage) and PRIM adds a sorted order of 4 bytes per trial and input. At the limit that is
 * about 300 MB; the flagship (12 params, 4 outcomes, 4 reported values) reaches it at 1,200,000 runs.
 */
export const MAX_DISCOVERY_VALUES = 24_000_000;

/** `--where`: a reported value compared with a number at the horizon, e.g. `tie < 0.5`. */
export interface WhereClause {
  readonly report: string;
  readonly op: '>' | '>=' | '<' | '<=';
  readonly value: number;
}

/** Parse `NAME > 0.5` (also >=, <, <=); undefined when the text is not of that form. */
export function parseWhere(text: string): WhereClause | undefined {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(>=|<=|>|<)\s*(\S+)\s*$/.exec(text);
  if (m === null) return undefined;
  const value = Number(m[3]);
  if (m[3]!.trim() === '' || !Number.isFinite(value)) return undefined;
  return { report: m[1]!, op: m[2] as WhereClause['op'], value };
}

/** What to discover, how many trials, which inputs, and PRIM's options. */
export interface DiscoverOptions extends PrimOptions {
  /** Trials to play and keep. @defaultValue DISCOVERY_RUNS (20,000) */
  runs?: number;
  /** @defaultValue DEFAULT_SEED */
  seed?: number | string;
  /** The outcome whose first passage by the horizon makes a case. @defaultValue the primary outcome */
  outcome?: string;
  /** Instead of an outcome: a reported value's comparison at the horizon makes a case. */
  where?: WhereClause;
  /** Random params PRIM may restrict. @defaultValue every random param */
  inputs?: readonly string[];
}

/** PRIM's result on a scenario's trials, with what was discovered and on which trials. */
export interface Discovery extends PrimResult {
  readonly scenario: { readonly id: string; readonly title: string };
  readonly runs: number;
  readonly seed: number | string;
  readonly horizon: { readonly steps: number; readonly unit: string };
  /** What makes a trial a case. */
  readonly target:
    | { readonly kind: 'outcome'; readonly outcome: string; readonly label?: string; readonly text: string }
    | ({ readonly kind: 'where'; readonly text: string } & WhereClause);
  /** The inputs PRIM could restrict. */
  readonly inputs: readonly string[];
}

/**
 * Play `runs` trials of the model, keep each trial's draws, and run PRIM on them against the outcome
 * (or `where` clause). A wrong name, a scenario with evidence, or more values than
 * MAX_DISCOVERY_VALUES is an issue, reported before any trial is played.
 */
export function discover(model: CompiledModel, options: DiscoverOptions = {}): Result<Discovery> {
  const issues = discoveryIssues(model, options);
  if (issues.length > 0) return fail(issues);
  const plan = model.plan;
  const runs = options.runs ?? DISCOVERY_RUNS;
  const seed = options.seed ?? DEFAULT_SEED;
  const params = plan.params.map((p) => plan.slotNames[p.slot]!);
  const reports = plan.reports.map((r) => r.name);
  const where = options.where;
  const outcome = options.outcome === undefined ? model.primary : model.outcomeIds.indexOf(options.outcome);
  const chosen = [...new Set(options.inputs ?? params)];

  const table = trialTable(model, { runs, seed });
  const cases = new Uint8Array(runs);
  if (where === undefined) {
    const fp = table.firstPassage[outcome]!;
    for (let i = 0; i < runs; i++) cases[i] = fp[i]! > 0 ? 1 : 0;
  } else {
    const v = table.values[reports.indexOf(where.report)]!;
    const test = compare(where);
    for (let i = 0; i < runs; i++) cases[i] = test(v[i]!) ? 1 : 0;
  }
  const samplers = new Map(plan.params.map((p) => [plan.slotNames[p.slot]!, p.sampler]));
  const inputs = chosen.map((name) => {
    const sampler = samplers.get(name)!;
    return {
      name,
      values: table.inputs[params.indexOf(name)]!,
      cdf: (x: number) => sampler.cdf(x),
    };
  });
  const result = prim(inputs, cases, options);
  const id = model.outcomeIds[outcome]!;
  const label = model.scenario.outcomes[id]?.label;
  const steps = plan.horizon;
  const unit = model.scenario.horizon.unit ?? 'step';
  return ok({
    ...result,
    scenario: { id: model.scenario.id, title: model.scenario.title },
    runs,
    seed,
    horizon: { steps, unit },
    target:
      where === undefined
        ? {
            kind: 'outcome',
            outcome: id,
            ...(label === undefined ? {} : { label }),
            text: `${id} by ${unit} ${steps}`,
          }
        : { kind: 'where', ...where, text: `${where.report} ${where.op} ${where.value} at ${unit} ${steps}` },
    inputs: chosen,
  });
}

/**
 * Why `discover` would refuse these options for this model (empty when it would not): every
 * problem, found without playing a trial, so a caller can check before announcing a long run.
 */
export function discoveryIssues(model: CompiledModel, options: DiscoverOptions = {}): Issue[] {
  const plan = model.plan;
  const runs = options.runs ?? DISCOVERY_RUNS;
  const params = plan.params.map((p) => plan.slotNames[p.slot]!);
  const issues: Issue[] = [];
  const problem = (path: string, code: string, message: string, suggestion?: string): void => {
    issues.push({ path: [path], code, message, ...(suggestion === undefined ? {} : { suggestion }) });
  };

  if (model.evidence !== undefined)
    problem(
      'given',
      'discover.evidence',
      'discovery runs on the prior, and this scenario conditions on evidence (given:); run it on the scenario without its given clauses',
    );
  if (options.outcome !== undefined && options.where !== undefined)
    problem('outcome', 'discover.target', 'give an outcome or a where clause, not both');
  if (options.outcome !== undefined && !model.outcomeIds.includes(options.outcome))
    problem(
      'outcome',
      'discover.outcome',
      `"${options.outcome}" is not an outcome of this scenario (its outcomes: ${model.outcomeIds.join(', ')})`,
      didYouMean(options.outcome, model.outcomeIds),
    );
  const reports = plan.reports.map((r) => r.name);
  const where = options.where;
  if (where !== undefined && !reports.includes(where.report))
    problem(
      'where',
      'discover.where',
      reports.length === 0
        ? `"${where.report}" is not a reported value: this scenario reports none (add it under report:)`
        : `"${where.report}" is not a reported value of this scenario (it reports: ${reports.join(', ')})`,
      didYouMean(where.report, reports),
    );

  const fixed = plan.constants.flatMap((c) => (c.param === undefined ? [] : [c.param]));
  const chosen = [...new Set(options.inputs ?? params)];
  for (const name of chosen) {
    if (params.includes(name)) continue;
    if (fixed.includes(name))
      problem(
        'inputs',
        'discover.fixed',
        `"${name}" is a fixed number in this scenario: it does not vary, so PRIM cannot restrict it`,
      );
    else
      problem(
        'inputs',
        'discover.input',
        `"${name}" is not a random param of this scenario`,
        didYouMean(name, params),
      );
  }
  if (chosen.length === 0)
    problem(
      'inputs',
      'discover.inputs',
      params.length === 0
        ? 'this scenario has no random params: there is no input space to discover boxes in'
        : 'no inputs given',
    );
  const optionText = optionProblem(options);
  if (optionText !== undefined) problem('options', 'discover.options', optionText);
  if (!(Number.isSafeInteger(runs) && runs >= 1))
    problem('runs', 'discover.runs', `runs must be a positive whole number, not ${runs}`);

  const perTrial = params.length + model.outcomeIds.length + reports.length;
  if (runs * perTrial > MAX_DISCOVERY_VALUES) {
    const most = Math.floor(MAX_DISCOVERY_VALUES / perTrial);
    problem(
      'runs',
      'discover.memory',
      `${runs.toLocaleString('en-US')} runs are too many for discovery: it keeps every trial's inputs and results in memory ` +
        `(${perTrial} values a trial here: ${params.length} random params, ${model.outcomeIds.length} outcomes, ` +
        `${reports.length} reported values), and holds at most ${MAX_DISCOVERY_VALUES.toLocaleString('en-US')} values (about 300 MB); ` +
        `use at most ${most.toLocaleString('en-US')} runs`,
    );
  }
  return issues;
}

function compare(w: WhereClause): (x: number) => boolean {
  switch (w.op) {
    case '>':
      return (x) => x > w.value;
    case '>=':
      return (x) => x >= w.value;
    case '<':
      return (x) => x < w.value;
    case '<=':
      return (x) => x <= w.value;
  }
}
