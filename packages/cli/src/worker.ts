import { type Binding, bindParams, ScenarioError, type ShardRecord, simulate, toShard } from '@entente/core';
import { type CarriedError, carryError } from './errors.js';
import { loadFileOrThrow } from './io.js';

/** Models this thread has compiled, by file, `--given` and `--set`: a run sends each thread several blocks. */
const compiled = new Map<string, ReturnType<typeof loadFileOrThrow>>();

/** One worker thread's task: a contiguous block of trials of a scenario file. */
export interface ShardTask {
  file: string;
  /** `--given` clauses, added to the file's own. */
  given: readonly string[];
  /** `--set` values, bound after loading, as the main thread bound them. */
  set: Binding;
  seed: number | string;
  firstTrial: number;
  runs: number;
}

/**
 * What a block sends back: its tallies, or the user-facing error it stopped on (a formula's NaN, a
 * scenario problem) as data, so that the main thread can report it exactly as one thread would.
 */
export type ShardReply = { ok: true; shard: ShardRecord } | { ok: false; error: CarriedError };

/**
 * Load the scenario (each thread compiles its own copy; functions cannot cross threads) and return
 * the block's tallies. The main thread merges them exactly, so the result does not depend on the
 * number of workers. Anything else thrown is a bug and crosses the boundary as piscina clones it.
 */
export default function runShardTask(task: ShardTask): ShardReply {
  try {
    const key = JSON.stringify([task.file, task.given, task.set]);
    let model = compiled.get(key);
    if (model === undefined) {
      model = loadFileOrThrow(task.file, task.given);
      if (Object.keys(task.set).length > 0) {
        const bound = bindParams(model, task.set);
        if (!bound.ok) throw new ScenarioError(bound.issues);
        model = bound.value;
      }
      compiled.set(key, model);
    }
    const sim = simulate(model, { seed: task.seed, firstTrial: task.firstTrial, runs: task.runs });
    return { ok: true, shard: toShard(model, sim) };
  } catch (e) {
    const error = carryError(e);
    if (error === undefined) throw e;
    return { ok: false, error };
  }
}
