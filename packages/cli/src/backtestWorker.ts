import './quickStart.js';
import { episodeModel, ScenarioError, type ShardRecord, simulate, toShard } from '@entente/core';
import { loadBacktest } from './commands/backtest.js';
import { type Carried, carried } from './errors.js';

/** Backtest files this thread has loaded (with their templates): a backtest sends each thread several episodes. */
const loaded = new Map<string, ReturnType<typeof loadBacktest>>();

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
    let b = loaded.get(task.file);
    if (b === undefined) {
      b = loadBacktest(task.file);
      loaded.set(task.file, b);
    }
    const model = episodeModel(b.template, b.doc, b.backtest, task.episode);
    if (!model.ok) throw new ScenarioError(model.issues);
    const sim = simulate(model.value, { runs: task.runs, seed: task.seed });
    return { ok: true, shard: toShard(model.value, sim) };
  } catch (e) {
    return carried(e);
  }
}
