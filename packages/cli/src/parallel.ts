import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type Binding,
  type CompiledModel,
  mergeShards,
  type ShardRecord,
  type Simulation,
  shardRange,
} from '@entente/core';
import type { EpisodeReply, EpisodeTask } from './backtestWorker.js';
import { reviveError } from './errors.js';
import type { ShardReply, ShardTask } from './worker.js';

/** Below this many trials a run stays on one thread: starting workers costs more than it saves. */
export const PARALLEL_MIN_RUNS = 100_000;

/**
 * A backtest goes parallel by default only from this many trials (episodes × runs): each thread
 * pays about a second to start, load mathjs and compile its episodes, and a backtest's episodes are
 * small models (israel-ties: 58 × 40,000 trials in about 2.5 s on one thread, slower on two).
 */
export const BACKTEST_PARALLEL_MIN_TRIALS = 10_000_000;

/** The bundled worker script, next to the bundled CLI (absent when the CLI runs from source). */
const WORKER = new URL('./worker.mjs', import.meta.url);

/** Workers to use when not told: every core for large runs, none for small ones or without a worker script. */
export function defaultWorkers(runs: number): number {
  return runs >= PARALLEL_MIN_RUNS && existsSync(fileURLToPath(WORKER)) ? availableParallelism() : 1;
}

/**
 * Threads to start when `requested` are asked for: at most the number this machine runs at once
 * (os.availableParallelism()). More would only multiply memory (each thread loads and compiles the
 * scenario) and contend for the same cores; the result is the same bits either way. `note` (one line)
 * says so when the request was lowered.
 */
export function capWorkers(
  requested: number,
  available: number = availableParallelism(),
): { workers: number; note?: string } {
  const cap = Math.max(1, Math.floor(available));
  if (requested <= cap) return { workers: requested };
  return {
    workers: cap,
    note: `--workers ${requested}: this machine runs ${cap} thread${cap === 1 ? '' : 's'} at once, so ${cap} will be used (the result is the same)\n`,
  };
}

/**
 * Run `runs` trials on `workers` threads (piscina), one contiguous block each, and merge the blocks'
 * tallies: bit-identical to a single-threaded run. `onShardDone` reports progress as blocks finish;
 * `signal` aborts the run. A formula error in a block is rebuilt here as the SimulationError one
 * thread throws, and the earliest failing block's error is the one thrown.
 */
export async function simulateInParallel(
  model: CompiledModel,
  file: string,
  options: {
    runs: number;
    seed: number | string;
    workers: number;
    /** `--given` clauses, which every thread adds to the file's own. */
    given?: readonly string[];
    /** `--set` values, which every thread binds after loading the file (`model` has them bound). */
    set?: Binding;
    onShardDone?: (done: number, total: number) => void;
    /** Told, in one line, when `workers` is more than the machine runs at once and was lowered. */
    onNote?: (line: string) => void;
    signal?: AbortSignal;
  },
): Promise<Simulation> {
  const { workers, note } = capWorkers(options.workers);
  if (note !== undefined) options.onNote?.(note);
  const blocks = Math.max(workers * 4, 1);
  // Loaded only when a run goes parallel, so start-up stays fast.
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: WORKER.href,
    maxThreads: workers,
    minThreads: workers,
  });
  let done = 0;
  let stopping = false;
  // One listener for the whole pool (not one per task): destroying it rejects every pending block.
  const stop = (): void => {
    stopping = true;
    void pool.destroy();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  // A worker's reply that lands while the pool is being destroyed is no longer expected: ignore it
  // then (and only then; otherwise it is a bug and crashes as before).
  pool.on('error', (e: unknown) => {
    if (!stopping) throw e;
  });
  // Ctrl-C may already have been pressed while the pool was starting.
  if (options.signal?.aborted) stop();
  // Blocks start in trial order, one per thread at a time. Once block k fails, no later block is
  // started (its error could not be the first), while the blocks before k finish: one of them may
  // fail at an earlier trial. Running blocks are never aborted (piscina can then crash on the
  // reply of a task it has dropped); at most one block per thread runs on after a failure.
  const shards: ShardRecord[] = [];
  const failures = new Map<number, unknown>();
  let firstFailure = blocks;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < firstFailure) {
      const k = next++;
      const task: ShardTask = {
        file,
        given: options.given ?? [],
        set: options.set ?? {},
        seed: options.seed,
        ...shardRange(k, blocks, options.runs),
      };
      try {
        const reply = (await pool.run(task)) as ShardReply;
        if (!reply.ok) throw reviveError(reply.error);
        shards[k] = reply.shard;
        done += task.runs;
        options.onShardDone?.(done, options.runs);
      } catch (e) {
        failures.set(k, e);
        firstFailure = Math.min(firstFailure, k);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(workers, blocks) }, lane));
    // The first failure in trial order, which is the one a single thread meets first: the same
    // message (path, step, trial) whatever the number of workers.
    if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
    return mergeShards(model, shards);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stopping = true;
    await pool.destroy();
  }
}

/** The bundled backtest worker script (packages/cli/src/backtestWorker.ts), next to the bundled CLI. */
const BACKTEST_WORKER = new URL('./backtest-worker.mjs', import.meta.url);

/**
 * Workers for a backtest when not told: every core once the trials of all episodes together
 * (episodes × runs) reach BACKTEST_PARALLEL_MIN_TRIALS; else, or without a worker script, none.
 */
export function defaultBacktestWorkers(trials: number): number {
  return trials >= BACKTEST_PARALLEL_MIN_TRIALS && existsSync(fileURLToPath(BACKTEST_WORKER))
    ? availableParallelism()
    : 1;
}

/**
 * Simulate every episode of the backtest `file` (one model each, built and checked on this thread)
 * on worker threads, whole episodes at a time, each on trials 0 … runs − 1 with `seed`: the result
 * is what `simulate(models[i], { runs, seed })` gives on this thread, bit for bit (each episode's
 * tallies come back as a shard, checked against `models[i]` and merged). At most one thread per
 * episode. `onEpisodeDone` reports progress in trials as episodes finish; `signal` aborts. An
 * error in an episode is rebuilt here as the error one thread throws, and the earliest failing
 * episode's is the one thrown, as on one thread, which simulates them in order.
 */
export async function simulateEpisodesInParallel(
  file: string,
  models: readonly CompiledModel[],
  options: {
    runs: number;
    seed: number | string;
    workers: number;
    onEpisodeDone?: (doneTrials: number, totalTrials: number) => void;
    /** Told, in one line, when `workers` is more than the machine runs at once and was lowered. */
    onNote?: (line: string) => void;
    signal?: AbortSignal;
  },
): Promise<Simulation[]> {
  const { workers, note } = capWorkers(options.workers);
  if (note !== undefined) options.onNote?.(note);
  const episodes = models.length;
  const threads = Math.max(1, Math.min(workers, episodes));
  const { Piscina } = await import('piscina');
  const pool = new Piscina({ filename: BACKTEST_WORKER.href, maxThreads: threads, minThreads: threads });
  // As in simulateInParallel: one abort listener for the pool, and replies that land while it is
  // being destroyed on purpose are ignored.
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    void pool.destroy();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  pool.on('error', (e: unknown) => {
    if (!stopping) throw e;
  });
  if (options.signal?.aborted) stop();
  // Episodes start in order, one per thread at a time; once episode k fails no later one starts,
  // while the earlier ones still running finish (one of them may fail too, and its error comes first).
  const sims: Simulation[] = [];
  const failures = new Map<number, unknown>();
  let firstFailure = episodes;
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < firstFailure) {
      const k = next++;
      const task: EpisodeTask = { file, episode: k, runs: options.runs, seed: options.seed };
      try {
        const reply = (await pool.run(task)) as EpisodeReply;
        if (!reply.ok) throw reviveError(reply.error);
        sims[k] = mergeShards(models[k]!, [reply.shard]);
        done += options.runs;
        options.onEpisodeDone?.(done, episodes * options.runs);
      } catch (e) {
        failures.set(k, e);
        firstFailure = Math.min(firstFailure, k);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
    if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
    return sims;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stopping = true;
    await pool.destroy();
  }
}
