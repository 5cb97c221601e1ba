import * as z from 'zod';
import { prototypeKeyMessage, prototypeKeys } from '../document/names.js';
import type { ParsedDocument } from '../document/parse.js';
import { applyOverride, type ResolvedDocument } from '../document/resolve.js';
import { fail, type Issue, ok, type Result } from '../issues.js';
import { type CompiledModel, compileScenario } from '../model/compile.js';
import { Source } from '../schema/scenario.js';
import { locateProblems, validateScenario } from '../schema/validate.js';
import { collectKeys, explainZodIssues } from '../schema/zodIssues.js';
import { type RunOptions, withDefaults } from '../simulate/options.js';
import { effectiveCurve, type Simulation, simulate } from '../simulate/simulate.js';
import { type BacktestScores, type ScoredEpisode, scoreBacktest } from './scores.js';

/**
 * A backtest: a model template (a scenario file) and episodes from history, each a set of overrides
 * of the template (merged as `extends` merges) and what was observed. Running it forecasts every
 * episode with the same seed and trials (common random numbers across episodes) and scores the
 * forecasts against the observations (scores.ts).
 */
export const Episode = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'ids use letters, digits, ".", "_" and "-"'),
  label: z.string().optional(),
  /** When the forecast is made (step 0), as YYYY-MM or YYYY-MM-DD. */
  as_of: z.union([z.string(), z.number()]).optional(),
  /** Values of the template changed for this episode, merged key by key like `extends`. */
  overrides: z.record(z.string(), z.unknown()).optional(),
  /** The event happened at step `happened` (1-based), or had not happened by step `not_by`. */
  observed: z.union([
    z.strictObject({ happened: z.int().min(1) }),
    z.strictObject({ not_by: z.int().min(1) }),
  ]),
  sources: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type Episode = z.infer<typeof Episode>;

export const Backtest = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'ids use letters, digits, ".", "_" and "-"'),
  title: z.string(),
  description: z.string().optional(),
  /** The scenario file every episode starts from, relative to the backtest file. */
  template: z.string().min(1),
  /** The step at which forecasts are scored yes/no (default: the template's horizon). */
  horizon: z.int().min(1).optional(),
  sources: z.record(z.string(), Source).optional(),
  episodes: z.array(Episode).min(1, 'a backtest needs at least one episode'),
});
export type Backtest = z.infer<typeof Backtest>;

const KEYS = collectKeys(Backtest);

/** JSON Schema (draft 2020-12) of backtest files, for editors and the YAML language server. */
export function backtestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Backtest, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'Entente backtest',
    description: 'A template scenario and episodes from history (docs/EVIDENCE.md).',
  };
}

/** Check a parsed backtest document: schema, unique episode ids, known sources. */
export function validateBacktest(doc: ParsedDocument): Result<Backtest> {
  const where: ResolvedDocument = { data: doc.data, chain: [doc], locate: (p, o) => doc.locate(p, o) };
  const hostile = prototypeKeys(doc.data).map((path) => ({
    path,
    atKey: true,
    code: 'names.prototype',
    message: prototypeKeyMessage(String(path[path.length - 1])),
  }));
  if (hostile.length > 0) return fail(locateProblems(hostile, where));
  const parsed = Backtest.safeParse(doc.data);
  if (!parsed.success)
    return fail(locateProblems(explainZodIssues(parsed.error.issues, doc.data, KEYS), where));
  const b = parsed.data;
  const problems: Parameters<typeof locateProblems>[0][number][] = [];
  const seen = new Map<string, number>();
  const sources = Object.keys(b.sources ?? {});
  b.episodes.forEach((e, i) => {
    const first = seen.get(e.id);
    if (first !== undefined)
      problems.push({
        path: ['episodes', i, 'id'],
        code: 'backtest.duplicate',
        message: `episode id "${e.id}" is also used by episodes[${first}]`,
      });
    else seen.set(e.id, i);
    (e.sources ?? []).forEach((s, j) => {
      if (!sources.includes(s))
        problems.push({
          path: ['episodes', i, 'sources', j],
          code: 'reference.source',
          message: `"${s}" is not in sources`,
        });
    });
  });
  return problems.length > 0 ? fail(locateProblems(problems, where)) : ok(b);
}

/** One episode's scenario: the template with the episode's overrides, located in both files. */
export function episodeModel(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
  index: number,
): Result<CompiledModel> {
  const e = b.episodes[index]!;
  const overrides = e.overrides ?? {};
  const data = applyOverride(template.data, overrides);
  const doc: ResolvedDocument = {
    data,
    chain: [backtestDoc, ...template.chain],
    locate(path, options) {
      // A value the episode overrides (or a field inside one) is reported where the episode says it.
      const first = path[0];
      if (typeof first === 'string' && Object.hasOwn(overrides, first)) {
        const { found: _f, ...rest } = backtestDoc.locate(['episodes', index, 'overrides', ...path], options);
        return rest;
      }
      return template.locate(path, options);
    },
  };
  const valid = validateScenario(doc);
  if (!valid.ok) return fail(valid.issues.map((i) => labelled(i, e.id)));
  const compiled = compileScenario(valid.value);
  return compiled.ok ? compiled : fail(compiled.issues.map((i) => labelled(i, e.id)));
}

const labelled = (i: Issue, id: string): Issue => ({ ...i, message: `episode ${id}: ${i.message}` });

export interface EpisodeForecast {
  id: string;
  label?: string;
  asOf?: string | number;
  /** P(primary outcome by step s) for s = 1 … the template's horizon. */
  cumulative: number[];
  observed: { at: number } | { notBy: number };
}

export interface BacktestResult {
  id: string;
  title: string;
  seed: number | string;
  runs: number;
  horizon: number;
  episodes: EpisodeForecast[];
  scores: BacktestScores;
}

/**
 * Simulates every episode's model with the same runs and seed somewhere else than in this call (on
 * worker threads, or a chunk at a time so that Ctrl-C can stop it), resolving to one simulation per
 * model in the order given. Each must be what `simulate(models[i], run)` returns (the tallies of
 * trials 0 … runs − 1; merged shards qualify), so the result does not depend on where it ran.
 */
export type EpisodeSimulator = (
  models: readonly CompiledModel[],
  run: { runs: number; seed: number | string },
) => Promise<readonly Simulation[]>;

/**
 * Forecast every episode with the same seed and trials (so two episodes that differ in one value
 * differ in their forecasts by that value alone) and score the forecasts against history.
 *
 * With `simulateEpisodes`, the episodes' models are built and checked here (every problem of every
 * episode, as without it), then handed to it to simulate, and the result is assembled and scored
 * from its simulations exactly as from this thread's own: it resolves to the same result.
 */
export function runBacktest(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
  options: RunOptions & { simulateEpisodes: EpisodeSimulator },
): Promise<Result<BacktestResult>>;
export function runBacktest(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
  options?: RunOptions,
): Result<BacktestResult>;
export function runBacktest(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
  options: RunOptions & { simulateEpisodes?: EpisodeSimulator } = {},
): Result<BacktestResult> | Promise<Result<BacktestResult>> {
  const { simulateEpisodes, ...runOptions } = options;
  const o = withDefaults(runOptions);
  const run = { runs: o.runs, seed: o.seed };
  const prepared = prepareBacktest(template, backtestDoc, b);
  if (simulateEpisodes === undefined) {
    if (!prepared.ok) return prepared;
    const { models, horizon } = prepared.value;
    return ok(
      assembleBacktest(
        b,
        models,
        models.map((m) => simulate(m, run)),
        run,
        horizon,
      ),
    );
  }
  if (!prepared.ok) return Promise.resolve(prepared);
  const { models, horizon } = prepared.value;
  return simulateEpisodes(models, run).then((sims) => ok(assembleBacktest(b, models, sims, run, horizon)));
}

/** Every episode's model and the scoring horizon, or every problem of every episode. */
function prepareBacktest(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
): Result<{ models: CompiledModel[]; horizon: number }> {
  const models: CompiledModel[] = [];
  const issues: Issue[] = [];
  b.episodes.forEach((_e, i) => {
    const m = episodeModel(template, backtestDoc, b, i);
    if (m.ok) models.push(m.value);
    else issues.push(...m.issues);
  });
  if (issues.length > 0) return fail(issues);
  const steps = models[0]!.plan.horizon;
  const horizon = b.horizon ?? steps;
  b.episodes.forEach((e, i) => {
    const h = models[i]!.plan.horizon;
    const observedStep = 'happened' in e.observed ? e.observed.happened : e.observed.not_by;
    if (h < Math.max(horizon, observedStep))
      issues.push({
        ...backtestDoc.locate(['episodes', i, 'observed']),
        code: 'backtest.horizon',
        message: `episode ${e.id}: its scenario runs ${h} steps, fewer than the step it is scored at (${Math.max(horizon, observedStep)})`,
      });
  });
  return issues.length > 0 ? fail(issues) : ok({ models, horizon });
}

/** The forecasts (each episode's P(primary by step)) from the episodes' simulations, and their scores. */
function assembleBacktest(
  b: Backtest,
  models: readonly CompiledModel[],
  sims: readonly Simulation[],
  run: { runs: number; seed: number | string },
  horizon: number,
): BacktestResult {
  if (sims.length !== models.length)
    throw new RangeError(`expected ${models.length} episode simulations, got ${sims.length}`);
  const episodes: EpisodeForecast[] = b.episodes.map((e, i) => {
    const m = models[i]!;
    const sim = sims[i]!;
    // A simulator that ran other trials or another seed is a bug, not a different forecast.
    if (
      sim.tallies.firstTrial !== 0 ||
      sim.tallies.runs !== run.runs ||
      String(sim.seed) !== String(run.seed)
    )
      throw new RangeError(
        `episode ${e.id}: expected the tallies of trials 0 … ${run.runs - 1} with seed ${run.seed}`,
      );
    const cumulative = effectiveCurve(sim.tallies, m.primary).map((c) => c.p);
    return {
      id: e.id,
      ...(e.label === undefined ? {} : { label: e.label }),
      ...(e.as_of === undefined ? {} : { asOf: e.as_of }),
      cumulative,
      observed: 'happened' in e.observed ? { at: e.observed.happened } : { notBy: e.observed.not_by },
    };
  });
  const scored: ScoredEpisode[] = episodes.map((e) => ({
    id: e.id,
    cumulative: e.cumulative,
    observed: e.observed,
  }));
  return {
    id: b.id,
    title: b.title,
    seed: run.seed,
    runs: run.runs,
    horizon,
    episodes,
    scores: scoreBacktest(scored, { horizon }),
  };
}
