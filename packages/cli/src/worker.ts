import { type ShardRecord, simulate, toShard } from '@entente/core';
import { loadFileOrThrow } from './io.js';

/** Models this thread has compiled, by file: a run sends each thread several blocks. */
const compiled = new Map<string, ReturnType<typeof loadFileOrThrow>>();

/** One worker thread's task: a contiguous block of trials of a scenario file. */
export interface ShardTask {
  file: string;
  seed: number | string;
  firstTrial: number;
  runs: number;
}

/**
 * Load the scenario (each thread compiles its own copy; functions cannot cross threads) and return
 * the block's tallies. The main thread merges them exactly, so the result does not depend on the
 * number of workers.
 */
export default function runShardTask(task: ShardTask): ShardRecord {
  let model = compiled.get(task.file);
  if (model === undefined) {
    model = loadFileOrThrow(task.file);
    compiled.set(task.file, model);
  }
  return toShard(model, simulate(model, { seed: task.seed, firstTrial: task.firstTrial, runs: task.runs }));
}
