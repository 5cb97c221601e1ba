import { DEFAULT_SEED } from './defaults.js';
import { SimulationError } from './issues.js';
import type { CompiledModel } from './model/compile.js';
import { trialPlayer } from './simulate/player.js';

export interface TraceStep {
  step: number;
  /** Params, derived values and state variables after this step. */
  values: Record<string, number>;
  /** Each regime's state after this step. */
  regimes: Record<string, string>;
  /** Events that happened at this step. */
  events: string[];
  /** Outcomes that first held at this step. */
  outcomes: string[];
}

export interface Trace {
  seed: number | string;
  trial: number;
  steps: TraceStep[];
  /** First step at which each outcome held, or null: what `simulate` counts for this trial. */
  outcomes: Record<string, number | null>;
  /**
   * With `keepFailure`, a trial that failed (a formula gave NaN or ±∞, or a probability outside
   * [0, 1]): what failed, where and at which step. `steps` then ends with the last step completed
   * before the failure, and `outcomes` holds what had happened by then.
   */
  failure?: { message: string; path: (string | number)[]; step: number; value: number };
  /** With `firstHit`: how many trials were searched, from `from`, to find this one. */
  searched?: number;
}

export interface TraceOptions {
  /** The trial to replay (0-based). @defaultValue 0 */
  trial?: number;
  /** @defaultValue DEFAULT_SEED (20241124), as `run` */
  seed?: number | string;
  /**
   * Instead of `trial`: replay the first trial, from `from` on, in which this outcome happened by
   * the horizon (and that the scenario's evidence, if any, accepts: a trial `run` counts).
   */
  firstHit?: string;
  /** Where the search for `firstHit` starts. @defaultValue 0 */
  from?: number;
  /** How many trials the search for `firstHit` tries before giving up. @defaultValue FIRST_HIT_LIMIT */
  limit?: number;
  /**
   * Return a failing trial's steps up to the failure, with `failure` set, instead of throwing its
   * SimulationError. @defaultValue false
   */
  keepFailure?: boolean;
}

/** Trials `trace` searches for `firstHit` unless told: a few seconds for most scenarios. */
export const FIRST_HIT_LIMIT = 1_000_000;

/**
 * Replay one trial alone, step by step. Trial k's streams depend only on (seed, k, site), so this is
 * the very trial that a run of any size with the same seed counted.
 *
 * With `firstHit`, the trial replayed is the first one from `from` (default 0) in which that outcome
 * happened, searched among `limit` trials; the result is undefined when none of them had it. Throws
 * a RangeError when `firstHit` names no outcome of the scenario, and the SimulationError of a
 * failing trial (met in the search, or the one traced unless `keepFailure`).
 */
export function trace(model: CompiledModel, options: TraceOptions & { firstHit: string }): Trace | undefined;
export function trace(model: CompiledModel, options: TraceOptions & { firstHit?: undefined }): Trace;
export function trace(model: CompiledModel, options: TraceOptions): Trace | undefined;
export function trace(model: CompiledModel, options: TraceOptions): Trace | undefined {
  const seed = options.seed ?? DEFAULT_SEED;
  if (options.firstHit === undefined) return traceTrial(model, options.trial ?? 0, seed, options.keepFailure);
  const from = options.from ?? 0;
  const limit = options.limit ?? FIRST_HIT_LIMIT;
  const found = findTrials(model, seed, { outcome: options.firstHit, from, end: from + limit, count: 1 });
  const trial = found.trials[0];
  if (trial === undefined) return undefined;
  return { ...traceTrial(model, trial, seed, options.keepFailure), searched: trial - from + 1 };
}

/**
 * The first `count` trials in [from, end) in which `outcome` happened by the horizon and which the
 * scenario's evidence accepts (weight above 0): trials that a run over them counts. `searched` is
 * how many trials were played. Throws a RangeError for an unknown outcome and the SimulationError
 * of a failing trial.
 */
export function findTrials(
  model: CompiledModel,
  seed: number | string,
  options: { outcome: string; from: number; end: number; count: number },
): { trials: number[]; searched: number } {
  const k = model.outcomeIds.indexOf(options.outcome);
  if (k < 0) {
    throw new RangeError(
      `"${options.outcome}" is not an outcome of this scenario (its outcomes: ${model.outcomeIds.join(', ')})`,
    );
  }
  const { v, fp, play } = trialPlayer(model, seed);
  const evidence = model.evidence;
  const failed = new Float64Array(evidence?.clauses.length ?? 0);
  const observe =
    evidence === undefined
      ? undefined
      : (t: number): void => {
          if (evidence.steps.has(t)) evidence.observe(v, t);
        };
  const trials: number[] = [];
  let trial = options.from;
  for (; trial < options.end && trials.length < options.count; trial++) {
    play(trial, observe);
    if (fp[k]! <= 0) continue;
    if (evidence !== undefined && evidence.judge(fp, failed) === 0) continue;
    trials.push(trial);
  }
  return { trials, searched: trial - options.from };
}

function traceTrial(
  model: CompiledModel,
  trial: number,
  seed: number | string,
  keepFailure?: boolean,
): Trace {
  const { plan } = model;
  const { v, fp, play } = trialPlayer(model, seed);
  const s = model.scenario;
  const valueNames = [
    ...Object.keys(s.params ?? {}),
    ...Object.keys(s.derived ?? {}),
    ...Object.keys(s.state ?? {}),
  ];
  const valueSlots = valueNames.map((n) => plan.slotNames.indexOf(n));
  const regimes = Object.entries(s.regimes ?? {}).map(([name, r], i) => ({
    name,
    states: r.states,
    slot: plan.regimes[i]!.indexSlot,
  }));
  const events = Object.keys(s.events ?? {}).map((name, i) => ({ name, slot: plan.events[i]!.countSlot }));
  const steps: TraceStep[] = [];
  let lastCounts = events.map(() => 0);
  const seen = new Map<number, number>();
  const onStep = (step: number): void => {
    const counts = events.map((e) => v[e.slot]!);
    const firsts: string[] = [];
    model.outcomeIds.forEach((id, k) => {
      if (fp[k] === step && step > 0 && !seen.has(k)) {
        seen.set(k, step);
        firsts.push(id);
      }
    });
    steps.push({
      step,
      values: Object.fromEntries(valueNames.map((n, i) => [n, v[valueSlots[i]!]!])),
      regimes: Object.fromEntries(regimes.map((r) => [r.name, r.states[v[r.slot]!]!])),
      events: events.filter((_, i) => counts[i]! > lastCounts[i]!).map((e) => e.name),
      outcomes: firsts,
    });
    lastCounts = counts;
  };
  try {
    play(trial, onStep);
  } catch (e) {
    if (!keepFailure || !(e instanceof SimulationError)) throw e;
    const { path, step, value } = e.where;
    return {
      seed,
      trial,
      steps,
      // What had happened by the last step completed.
      outcomes: Object.fromEntries(model.outcomeIds.map((id, k) => [id, seen.get(k) ?? null])),
      failure: { message: e.message, path, step, value },
    };
  }
  return {
    seed,
    trial,
    steps,
    outcomes: Object.fromEntries(model.outcomeIds.map((id, k) => [id, fp[k]! > 0 ? fp[k]! : null])),
  };
}
