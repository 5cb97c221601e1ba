import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type CompiledModel,
  mergeShards,
  type ShardRecord,
  type Simulation,
  shardRange,
} from '@entente/core';
import { reviveError } from './errors.js';
import type { ShardReply, ShardTask } from './worker.js';

/** Below this many trials a run stays on one thread: starting workers costs more than it saves. */
export const PARALLEL_MIN_RUNS = 100_000;

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
