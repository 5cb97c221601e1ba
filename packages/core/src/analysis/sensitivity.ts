export { drive, driveAsync } from '../drive.js';

import { fail, type Issue, ok, type Result } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { trialPlayer } from '../simulate/player.js';
import { didYouMean } from '../suggest.js';

// What the three methods (sobolIndices.ts, morris.ts, tornado.ts) share: naming inputs and the output,
// playing trials into a column of outputs, progress and abort. docs/EXPERIMENTS.md explains them.

/** Trials per pick-freeze matrix (Sobol): ±0.01 or so on an index of a binary output. */
export const SOBOL_RUNS = 20_000;
/** Bootstrap resamples of the trials behind each Sobol interval. */
export const SOBOL_RESAMPLES = 500;
/** Trials per design point (Morris): common random numbers make the differences far tighter. */
export const MORRIS_RUNS = 2_000;
export const MORRIS_TRAJECTORIES = 10;
/** Levels per input (even, so that every move is half the unit interval). */
export const MORRIS_LEVELS = 4;
/** Trials per tornado end (paired, as for attribution). */
export const TORNADO_RUNS = 20_000;
/** The tornado's low and high ends: each input's 10th and 90th percentiles. */
export const TORNADO_LOW = 0.1;
export const TORNADO_HIGH = 0.9;

/** Trials between progress reports and abort checks: well under 0.1 s of work. Results do not depend on it. */
const CHUNK = 2_000;

/** One input: a random param, or several that are re-drawn (or set) together as one. */
export interface SensitivityInput {
  /** As written (`oil`, `oil*`, `@turkey`, `oil+oil_weight`), or the param's name by default. */
  readonly name: string;
  /** The random params it stands for, in plan order. */
  readonly params: readonly string[];
}

/** What is analysed: an outcome's indicator 1[first passage ≤ horizon], or a reported value at the horizon. */
export interface SensitivityOutput {
  readonly name: string;
  readonly kind: 'outcome' | 'value';
}

/** Options every method takes. */
export interface SensitivityOptions {
  /**
   * Inputs, each a param name, a glob (`oil*`), an interest or pressure of the alliance vocabulary
   * (`@turkey`: all its random params), or several of these joined by `+`; each item is one input.
   * @defaultValue every random param, one input each
   */
  inputs?: readonly string[];
  /** An outcome id or a reported value. @defaultValue the primary outcome */
  output?: string;
  /** Trials per matrix (Sobol) or per design point (Morris, tornado); see each method's default. */
  runs?: number;
  /** @defaultValue DEFAULT_SEED */
  seed?: number | string;
  /** Called after every chunk of trials with trials done and the total; return `false` to stop. */
  onProgress?: (done: number, total: number) => boolean | undefined;
  /** Checked between chunks: once aborted, the analysis throws `reason` (an AbortSignal fits). */
  signal?: { readonly aborted: boolean; readonly reason?: unknown };
}

/** The inputs and output of an analysis, checked against the model. */
export interface Resolved {
  inputs: SensitivityInput[];
  output: SensitivityOutput;
  /** Reads the output of the trial a player just played. */
  read: (v: Float64Array, fp: Int32Array) => number;
  /** Random params that are not among the inputs. */
  unselected: string[];
}

/**
 * How many inputs an analysis of `model` with `options` has (what its cost grows with), or undefined
 * when its inputs or output do not resolve (the analysis then reports why).
 */
export function analysisInputs(
  model: CompiledModel,
  options: Pick<SensitivityOptions, 'inputs' | 'output'>,
): number | undefined {
  const resolved = resolveAnalysis(model, options);
  return resolved.ok ? resolved.value.inputs.length : undefined;
}

/** Check the inputs and the output against the model: every problem as an issue. */
export function resolveAnalysis(model: CompiledModel, options: SensitivityOptions): Result<Resolved> {
  const issues: Issue[] = [];
  if (model.evidence !== undefined)
    issues.push({
      path: ['given'],
      code: 'sensitivity.evidence',
      message:
        'sensitivity analysis does not condition on observations (given): analyse the scenario without them',
    });
  const output = resolveOutput(model, options.output, issues);
  const inputs = resolveInputs(model, options.inputs, issues);
  if (issues.length > 0 || output === undefined) return fail(issues);
  const used = new Set(inputs.flatMap((i) => i.params));
  return ok({
    inputs,
    output: { name: output.name, kind: output.kind },
    read: output.read,
    unselected: randomParams(model).filter((p) => !used.has(p)),
  });
}

function randomParams(model: CompiledModel): string[] {
  return model.plan.params.map((p) => model.plan.slotNames[p.slot]!);
}

function resolveOutput(model: CompiledModel, name: string | undefined, issues: Issue[]) {
  const id = name ?? model.scenario.primary;
  const k = model.outcomeIds.indexOf(id);
  if (k >= 0)
    return {
      name: id,
      kind: 'outcome' as const,
      read: (_v: Float64Array, fp: Int32Array) => (fp[k]! > 0 ? 1 : 0),
    };
  const report = model.plan.reports.find((r) => r.name === id);
  if (report !== undefined) {
    const slot = report.slot;
    return { name: id, kind: 'value' as const, read: (v: Float64Array) => v[slot]! };
  }
  const names = [...model.outcomeIds, ...model.plan.reports.map((r) => r.name)];
  const suggestion = didYouMean(id, names);
  issues.push({
    path: ['output'],
    code: 'sensitivity.output',
    message: `"${id}" is neither an outcome nor a reported value of this scenario`,
    expected: `one of ${names.join(', ')}`,
    ...(suggestion === undefined ? {} : { suggestion }),
  });
  return undefined;
}

/** The random params an interest or pressure of the alliance vocabulary generates (docs/ALLIANCE.md). */
function groupParams(model: CompiledModel, id: string): string[] | undefined {
  const input = model.alliance?.inputs.find((i) => i.id === id);
  if (input === undefined) return undefined;
  const names =
    input.kind === 'interest' ? [id, `${id}_weight`] : [`${id}_intensity`, `${id}_leverage`, `${id}_weight`];
  return randomParams(model).filter((p) => names.includes(p));
}

function resolveInputs(model: CompiledModel, specs: readonly string[] | undefined, issues: Issue[]) {
  const params = randomParams(model);
  if (params.length === 0) {
    issues.push({
      path: ['params'],
      code: 'sensitivity.no-inputs',
      message: 'this scenario has no random params: there is nothing to analyse',
    });
    return [];
  }
  if (specs === undefined || specs.length === 0) return params.map((p) => ({ name: p, params: [p] }));
  const owner = new Map<string, string>();
  const inputs: SensitivityInput[] = [];
  for (const spec of specs) {
    const problem = (message: string, suggestion?: string, expected?: string): void => {
      issues.push({
        path: ['inputs', spec],
        code: 'sensitivity.input',
        message,
        ...(expected === undefined ? {} : { expected }),
        ...(suggestion === undefined ? {} : { suggestion }),
      });
    };
    const members = new Set<string>();
    for (const term of spec.split('+').map((t) => t.trim())) {
      for (const p of termParams(model, term, params, problem)) members.add(p);
    }
    for (const p of members) {
      const other = owner.get(p);
      if (other !== undefined) problem(`"${p}" is also in the input "${other}": inputs must not overlap`);
      owner.set(p, spec);
    }
    if (members.size > 0) inputs.push({ name: spec, params: params.filter((p) => members.has(p)) });
  }
  return inputs;
}

function termParams(
  model: CompiledModel,
  term: string,
  params: string[],
  problem: (message: string, suggestion?: string, expected?: string) => void,
): string[] {
  if (term.startsWith('@')) {
    const id = term.slice(1);
    const ids = model.alliance?.inputs.map((i) => i.id) ?? [];
    const members = groupParams(model, id);
    if (members === undefined) {
      if (ids.length === 0)
        problem(`"${term}": this scenario has no interests or pressures (the alliance vocabulary)`);
      else
        problem(
          `"${id}" is not an interest or pressure of this scenario`,
          didYouMean(id, ids),
          `one of ${ids.join(', ')}`,
        );
      return [];
    }
    if (members.length === 0)
      problem(
        `"${term}" has no random params (its value, weight and leverage are fixed or formulas): nothing to vary`,
      );
    return members;
  }
  if (/[*?]/.test(term)) {
    const glob = new RegExp(
      `^${term
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    const members = params.filter((p) => glob.test(p));
    if (members.length === 0)
      problem(`"${term}" matches no random param`, undefined, `one of ${params.join(', ')}`);
    return members;
  }
  if (params.includes(term)) return [term];
  const fixed = model.plan.constants.some((c) => c.param === term);
  if (fixed) problem(`"${term}" is a number in this scenario, not a random param: it has nothing to vary`);
  else
    problem(
      `"${term}" is not a random param of this scenario`,
      didYouMean(term, params),
      `one of ${params.join(', ')}`,
    );
  return [];
}

/** Counts trials, reports progress and honours abort; yields between chunks. */
export interface Ticker {
  tick(trials: number): Generator<void, void>;
}

export function ticker(total: number, o: SensitivityOptions): Ticker {
  let done = 0;
  return {
    *tick(trials) {
      done += trials;
      if (o.onProgress?.(done, total) === false) throw abortError();
      throwIfAborted(o.signal);
      yield;
      throwIfAborted(o.signal);
    },
  };
}

/** The output of trials firstTrial … firstTrial + runs − 1 of a model, one number per trial. */
export function* outputColumn(
  model: CompiledModel,
  read: Resolved['read'],
  runs: number,
  seed: number | string,
  t: Ticker,
  firstTrial = 0,
): Generator<void, Float64Array> {
  const { v, fp, play } = trialPlayer(model, seed);
  const y = new Float64Array(runs);
  for (let i = 0; i < runs; ) {
    const start = i;
    const end = Math.min(runs, i + CHUNK);
    for (; i < end; i++) {
      play(firstTrial + i);
      y[i] = read(v, fp);
    }
    yield* t.tick(end - start);
  }
  return y;
}

function abortError(): Error {
  const e = new Error('the sensitivity analysis was stopped');
  e.name = 'AbortError';
  return e;
}

function throwIfAborted(signal: SensitivityOptions['signal']): void {
  if (signal?.aborted !== true) return;
  throw signal.reason ?? abortError();
}

/** Mean of a column. */
export function mean(y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]!;
  return s / y.length;
}

/** The q-quantile of sorted values, interpolated linearly. */
export function quantileSorted(sorted: readonly number[] | Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
