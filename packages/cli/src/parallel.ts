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
import type { ShardTask } from './worker.js';

/** Below this many trials a run stays on one thread: starting workers costs more than it saves. */
export const PARALLEL_MIN_RUNS = 100_000;

/** The bundled worker script, next to the bundled CLI (absent when the CLI runs from source). */
const WORKER = new URL('./worker.mjs', import.meta.url);

/** Workers to use when not told: every core for large runs, none for small ones or without a worker script. */
export function defaultWorkers(runs: number): number {
  return runs >= PARALLEL_MIN_RUNS && existsSync(fileURLToPath(WORKER)) ? availableParallelism() : 1;
}

/**
 * Run `runs` trials on `workers` threads (piscina), one contiguous block each, and merge the blocks'
 * tallies: bit-identical to a single-threaded run. `onShardDone` reports progress as blocks finish;
 * `signal` aborts the run.
 */
export async function simulateInParallel(
  model: CompiledModel,
  file: string,
  options: {
    runs: number;
    seed: number | string;
    workers: number;
    onShardDone?: (done: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<Simulation> {
  const blocks = Math.max(options.workers * 4, 1);
  // Loaded only when a run goes parallel, so start-up stays fast.
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: WORKER.href,
    maxThreads: options.workers,
    minThreads: options.workers,
  });
  let done = 0;
  // One listener for the whole pool (not one per task): destroying it rejects every pending block.
  const stop = (): void => void pool.destroy();
  options.signal?.addEventListener('abort', stop, { once: true });
  // Ctrl-C may already have been pressed while the pool was starting.
  if (options.signal?.aborted) stop();
  try {
    const shards = await Promise.all(
      Array.from({ length: blocks }, (_, k) => {
        const task: ShardTask = { file, seed: options.seed, ...shardRange(k, blocks, options.runs) };
        return pool.run(task).then((shard: ShardRecord) => {
          done += task.runs;
          options.onShardDone?.(done, options.runs);
          return shard;
        });
      }),
    );
    return mergeShards(model, shards);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await pool.destroy();
  }
}
