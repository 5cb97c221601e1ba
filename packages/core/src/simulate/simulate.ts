import { PRECISION_BATCH } from '../defaults.js';
import { drive, driveAsync } from '../drive.js';
import type { CompiledModel } from '../model/compile.js';
import { wilsonHalfWidth } from '../stats/wilson.js';
import { type ResolvedRunOptions, type RunOptions, type TrialTracking, withDefaults } from './options.js';
import { type TrialPlayer, trialPlayer } from './player.js';
import { addValue, emptyTallies, type Tallies } from './tallies.js';

/** Tallies of a run with what produced them. */
export interface Simulation {
  readonly tallies: Tallies;
  readonly seed: number | string;
  /** Present in precision mode: the target, the half-width reached, and whether it was reached. */
  readonly precision?: { target: number; halfWidth: number; reached: boolean };
  /** True when `onProgress` asked to stop before the planned trials were done. */
  readonly stopped: boolean;
}

/** Run trials `firstTrial … firstTrial + runs − 1` of a compiled model. Throws SimulationError on NaN/∞. */
export function simulate(model: CompiledModel, options?: RunOptions): Simulation {
  return drive(chunks(model, withDefaults(options)));
}

/**
 * As `simulate`, but gives the event loop a turn between chunks, so a progress bar can redraw and
 * Ctrl-C can be handled. The result is identical to `simulate`'s.
 */
export async function simulateAsync(model: CompiledModel, options?: RunOptions): Promise<Simulation> {
  return driveAsync(chunks(model, withDefaults(options)));
}

function* chunks(model: CompiledModel, o: ResolvedRunOptions): Generator<void, Simulation> {
  const plan = model.plan;
  const tallies = emptyTallies(
    plan.horizon,
    model.outcomeIds.length,
    plan.reports.length,
    o.firstTrial,
    evidenceShape(model),
  );
  const runOne = trialRunner(model, o.seed, o.track).run;
  let done = 0;
  let stopped = false;
  let halfWidth = Number.NaN;
  while (done < o.runs) {
    const boundary =
      o.precision === undefined
        ? o.runs
        : Math.min(o.runs, (Math.floor(done / PRECISION_BATCH) + 1) * PRECISION_BATCH);
    const count = Math.min(o.chunkSize, boundary - done);
    for (let i = 0; i < count; i++) runOne(o.firstTrial + done + i, tallies);
    done += count;
    tallies.runs = done;
    if (o.onProgress?.(done, o.runs) === false) {
      stopped = true;
      break;
    }
    if (o.precision !== undefined && done === boundary) {
      const { hits, n } = effectiveCounts(tallies, model.primary, tallies.horizon);
      halfWidth = n === 0 ? Number.POSITIVE_INFINITY : wilsonHalfWidth(hits, n);
      if (halfWidth <= o.precision) break;
    }
    if (done < o.runs) yield;
  }
  return {
    tallies,
    seed: o.seed,
    stopped,
    ...(o.precision === undefined
      ? {}
      : { precision: { target: o.precision, halfWidth, reached: halfWidth <= o.precision } }),
  };
}

/** The shape of a model's evidence tallies, or undefined when it conditions on nothing. */
export function evidenceShape(model: CompiledModel): { clauses: number; params: number } | undefined {
  const e = model.evidence;
  return e === undefined ? undefined : { clauses: e.clauses.length, params: e.params.length };
}

/**
 * Outcome k by step `step` as (hits, n) for a Wilson interval. Without evidence these are counts of
 * trials; with evidence, n is the effective sample size (Σw)² / Σw² (the number of accepted trials
 * when every weight is 1) and hits is n times the weighted proportion.
 */
export function effectiveCounts(t: Tallies, k: number, step: number): { hits: number; n: number; p: number } {
  return effectiveCurve(t, k)[step - 1]!;
}

/** `effectiveCounts` at every step 1 … horizon, in one pass over the tallies. */
export function effectiveCurve(t: Tallies, k: number): { hits: number; n: number; p: number }[] {
  const row = t.firstPassage[k]!;
  const e = t.evidence;
  const squares = e?.weightSquared.value();
  const curve: { hits: number; n: number; p: number }[] = [];
  let cumulative = 0;
  for (let s = 1; s <= t.horizon; s++) {
    cumulative += row[s]!;
    if (e === undefined)
      curve.push({ hits: cumulative, n: t.runs, p: t.runs === 0 ? 0 : cumulative / t.runs });
    else if (e.weight === 0) curve.push({ hits: 0, n: 0, p: Number.NaN });
    else {
      const p = cumulative / e.weight;
      const n = squares === e.weight ? e.accepted : (e.weight * e.weight) / squares!;
      curve.push({ hits: squares === e.weight ? cumulative : p * n, n, p });
    }
  }
  return curve;
}

/**
 * The inner loop: seed the trial's streams, run it, count what happened. `fp` holds the last trial's
 * first-passage steps, for callers that pair trials across models. Under evidence the trial is
 * observed at the steps its clauses name, judged, and counted by its weight (or not at all).
 */
export function trialRunner(
  model: CompiledModel,
  seed: number | string,
  track?: TrialTracking,
): { run: (trial: number, into: Tallies) => void; fp: Int32Array } {
  const { v, fp, play } = trialPlayer(model, seed);
  const outcomes = fp.length;
  const reports = model.plan.reports.map((r) => r.slot);
  const evidence = model.evidence;
  const count = (into: Tallies, w: number): void => {
    for (let k = 0; k < outcomes; k++) {
      const step = fp[k]!;
      if (step > 0) into.firstPassage[k]![step]! += w;
    }
    for (let r = 0; r < reports.length; r++) {
      const x = v[reports[r]!]!;
      const t = into.values[r]!;
      t.sum.add(w * x);
      t.sumOfSquares.add(w * x * x);
      t.sketch.add(x, w);
      if (x < t.min) t.min = x;
      if (x > t.max) t.max = x;
    }
  };
  if (evidence === undefined && track !== undefined) {
    const playTracked = trackedPlay({ v, fp, play }, track);
    const tracked = (trial: number, into: Tallies): void => {
      if (trial < track.trials) playTracked(trial);
      else play(trial);
      count(into, 1);
    };
    return { run: tracked, fp };
  }
  if (evidence === undefined) {
    const plain = (trial: number, into: Tallies): void => {
      play(trial);
      count(into, 1);
    };
    return { run: plain, fp };
  }
  if (track !== undefined) throw new RangeError('track is not available with evidence');

  const params = evidence.params.map((p) => p.slot);
  const drawn = new Float64Array(params.length);
  const onStep = (t: number): void => {
    if (t === 0) for (let i = 0; i < params.length; i++) drawn[i] = v[params[i]!]!;
    if (evidence.steps.has(t)) evidence.observe(v, t);
  };
  const run = (trial: number, into: Tallies): void => {
    play(trial, onStep);
    const e = into.evidence!;
    const w = evidence.judge(fp, e.failed);
    for (let i = 0; i < params.length; i++) addValue(e.prior[i]!, drawn[i]!, 1);
    if (w === 0) return;
    e.accepted += 1;
    e.weight += w;
    e.weightSquared.add(w * w);
    for (let i = 0; i < params.length; i++) addValue(e.posterior[i]!, drawn[i]!, w);
    count(into, w);
  };
  return { run, fp };
}

/**
 * Play a trial and hand `track.onTrial` the sums of `track.slots` over its steps 1 … horizon: what
 * RunOptions.track does for the trials it tracks, and attribution's own tracking pass.
 */
export function trackedPlay(
  player: Pick<TrialPlayer, 'v' | 'fp' | 'play'>,
  track: TrialTracking,
): (trial: number) => void {
  const { v, fp, play } = player;
  const slots = track.slots;
  const sums = new Float64Array(slots.length);
  const onStep = (step: number): void => {
    if (step === 0) return;
    for (let i = 0; i < slots.length; i++) sums[i]! += v[slots[i]!]!;
  };
  return (trial) => {
    sums.fill(0);
    play(trial, onStep);
    track.onTrial(trial, sums, fp);
  };
}
