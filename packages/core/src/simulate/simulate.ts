import { PRECISION_BATCH } from '../defaults.js';
import type { CompiledModel } from '../model/compile.js';
import { wilsonHalfWidth } from '../stats/wilson.js';
import { type ResolvedRunOptions, type RunOptions, withDefaults } from './options.js';
import { trialPlayer } from './player.js';
import { emptyTallies, type Tallies } from './tallies.js';

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
  const it = chunks(model, withDefaults(options));
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/**
 * As `simulate`, but gives the event loop a turn between chunks, so a progress bar can redraw and
 * Ctrl-C can be handled. The result is identical to `simulate`'s.
 */
export async function simulateAsync(model: CompiledModel, options?: RunOptions): Promise<Simulation> {
  const it = chunks(model, withDefaults(options));
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setTimeout(() => resolve(), 0));
  }
}

function* chunks(model: CompiledModel, o: ResolvedRunOptions): Generator<void, Simulation> {
  const plan = model.plan;
  const tallies = emptyTallies(plan.horizon, model.outcomeIds.length, plan.reports.length, o.firstTrial);
  const runOne = trialRunner(model, o.seed).run;
  const primaryRow = tallies.firstPassage[model.primary]!;
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
      halfWidth = wilsonHalfWidth(
        primaryRow.reduce((a, b) => a + b, 0),
        done,
      );
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

/**
 * The inner loop: seed the trial's streams, run it, count what happened. `fp` holds the last trial's
 * first-passage steps, for callers that pair trials across models.
 */
export function trialRunner(
  model: CompiledModel,
  seed: number | string,
): { run: (trial: number, into: Tallies) => void; fp: Int32Array } {
  const { v, fp, play } = trialPlayer(model, seed);
  const outcomes = fp.length;
  const reports = model.plan.reports.map((r) => r.slot);
  const runOne = (trial: number, into: Tallies): void => {
    play(trial);
    for (let k = 0; k < outcomes; k++) {
      const step = fp[k]!;
      if (step > 0) into.firstPassage[k]![step]! += 1;
    }
    for (let r = 0; r < reports.length; r++) {
      const x = v[reports[r]!]!;
      const t = into.values[r]!;
      t.sum.add(x);
      t.sumOfSquares.add(x * x);
      t.sketch.add(x);
      if (x < t.min) t.min = x;
      if (x > t.max) t.max = x;
    }
  };
  return { run: runOne, fp };
}
