import './quickStart.js';
import {
  type CalibrateOptions,
  type CalibrationFit,
  calibrationFit,
  episodeModel,
  type FreeParam,
  ScenarioError,
  type ShardRecord,
  simulate,
  toShard,
} from '@entente/core';
import { loadBacktest } from './commands/backtest.js';
import { type Carried, carried } from './errors.js';

/** `make()` the first time this thread asks for `key`, then what it made. */
function once<T>(made: Map<string, T>, key: unknown[], make: () => T): T {
  const k = JSON.stringify(key);
  let value = made.get(k);
  if (value === undefined) {
    value = make();
    made.set(k, value);
  }
  return value;
}

/** Backtest files this thread has loaded (with their templates): a backtest sends each thread several episodes. */
const loaded = new Map<string, ReturnType<typeof loadBacktest>>();

/** The backtest `file` with its own template, or `template` instead, loaded once per thread. */
const backtestOf = (file: string, template?: string): ReturnType<typeof loadBacktest> =>
  once(loaded, [file, template ?? null], () => loadBacktest(file, template));

/** One worker thread's task: every trial of one episode of a backtest file. */
export interface EpisodeTask {
  file: string;
  /** The episode's index in the file's `episodes`. */
  episode: number;
  runs: number;
  seed: number | string;
}

/**
 * What an episode sends back: its tallies (trials 0 … runs − 1, as a shard, which the main thread
 * checks against its own model of the episode and merges exactly), or the user-facing error it
 * stopped on (a formula's NaN, a scenario problem) as data, so that the main thread reports it
 * exactly as one thread would.
 */
export type EpisodeReply = { ok: true; shard: ShardRecord } | Carried;

/**
 * Load the backtest and its template, build the episode's model (each thread compiles its own:
 * functions cannot cross threads) and simulate it. Anything thrown that is not a user's error is a
 * bug and crosses the boundary as piscina clones it.
 */
export default function runEpisodeTask(task: EpisodeTask): EpisodeReply {
  try {
    const b = backtestOf(task.file);
    const model = episodeModel(b.template, b.doc, b.backtest, task.episode);
    if (!model.ok) throw new ScenarioError(model.issues);
    const sim = simulate(model.value, { runs: task.runs, seed: task.seed });
    return { ok: true, shard: toShard(model.value, sim) };
  } catch (e) {
    return carried(e);
  }
}

/**
 * Another task kind (`{ name: 'fitTask' }`; parallel.ts, fitsInParallel): one fit of a calibration
 * of the backtest `file` (or of `template` on its episodes) to the episodes `which`.
 */
export interface FitTask {
  file: string;
  template?: string;
  free: FreeParam[];
  options: CalibrateOptions;
  which: number[];
}

export type FitReply = { ok: true; fit: CalibrationFit } | Carried;

/** Calibrations this thread has set up (their episodes compiled), by file, template, free params and options. */
const fitters = new Map<string, (which: readonly number[]) => CalibrationFit>();

export function fitTask(task: FitTask): FitReply {
  try {
    const fit = once(fitters, [task.file, task.template ?? null, task.free, task.options], () => {
      const b = backtestOf(task.file, task.template);
      return calibrationFit(b.template, b.doc, b.backtest, task.free, task.options);
    });
    return { ok: true, fit: fit(task.which) };
  } catch (e) {
    return carried(e);
  }
}
