import { formatPath, SimulationError } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import type { Plan } from '../model/plan.js';
import { Recheck, TrialFailure } from '../model/trial.js';
import { baseSlot, FIRST, seedKey, seedTrial } from '../random/seed.js';

/** A model's buffers and one way to play a trial in them; `v` and `fp` hold the last trial's state. */
export interface TrialPlayer {
  readonly v: Float64Array;
  readonly fp: Int32Array;
  /** Seed trial `trial`'s streams and run it; a NaN or a bad probability becomes a SimulationError. */
  play(trial: number, onStep?: (step: number) => void): void;
}

/**
 * Every caller that runs trials (simulate, trace, attribution) goes through this. With `stopOn` (an
 * outcome's index), a trial played without `onStep` stops once that outcome has happened (TrialFn):
 * only `fp[stopOn]` is then meaningful.
 */
export function trialPlayer(model: CompiledModel, seed: number | string, stopOn?: number): TrialPlayer {
  const plan = model.plan;
  const v = new Float64Array(plan.slotNames.length);
  // The streams and the trial's base (seed.ts baseSlot); in K, the site keys of the params the
  // trial draws itself, in the order it draws them.
  const { siteKeys, trial: run } = model;
  const drawnSites = run.drawnSites ?? [];
  const S = new Float64Array(baseSlot(plan.siteNames.length) + 1);
  const K = Int32Array.from(drawnSites, (s) => siteKeys[s]! | 0);
  const fp = new Int32Array(model.outcomeIds.length);
  const key = seedKey(seed);
  const once = onceSites(plan);
  const drawn = new Set(drawnSites);
  const only = Uint32Array.from(plan.siteNames.keys()).filter((s) => !drawn.has(s));
  return {
    v,
    fp,
    play(trial, onStep) {
      seedTrial(S, siteKeys, key, trial, once, only);
      try {
        try {
          run(v, S, fp, onStep, stopOn, K);
        } catch (e) {
          // Generated code defers its checks: replay a trial that failed one with every check in
          // place, so the error names the formula and step that failed first, as it always has.
          // The steps before `from` passed and were shown to `onStep` already: not again.
          if (!(e instanceof Recheck) || run.checked === undefined) throw e;
          const from = e.step;
          seedTrial(S, siteKeys, key, trial, once, only);
          run.checked(v, S, fp, onStep && ((t) => (t >= from ? onStep(t) : undefined)), stopOn, K);
        }
      } catch (e) {
        throw e instanceof TrialFailure ? runtimeError(model, e, trial) : e;
      }
    },
  };
}

/**
 * The sites drawn once a trial: every param's (both back ends draw a param, alone or in a correlated
 * group, with one `aleaOpen` of its stream before step 1, or generated code with `firstDraw`, the
 * same draw; nothing else reads that stream).
 */
export function onceSites(plan: Plan): Uint8Array {
  const once = new Uint8Array(plan.siteNames.length);
  for (const p of plan.params) once[p.site] = FIRST;
  return once;
}

export function runtimeError(model: CompiledModel, e: TrialFailure, trial: number): SimulationError {
  const path = [...(model.plan.formulaPaths[e.formula] ?? [])];
  const what = e.kind === 'value' ? `gave ${e.value}` : `gave a probability of ${e.value}, outside [0, 1]`;
  return new SimulationError(`${formatPath(path)} ${what} at step ${e.step} of trial ${trial}`, {
    path,
    step: e.step,
    trial,
    value: e.value,
  });
}
