import { MAX_SHARDS } from '@entente/core';
import { UsageError } from './errors.js';

/** Shard K (0-based) of N: the block of trials (run) or of design points (sweep) this process does. */
export interface Shard {
  index: number;
  count: number;
}

/** A shard resolved from the environment, and where it came from (for a note on stderr). */
export interface ShardFromEnv extends Shard {
  /** The batch system, in words: `Kubernetes Indexed Job`. */
  system: string;
  /** The variables it was read from, as `NAME=value`. */
  from: string[];
}

/** The variable that carries the shard count where the batch system does not give it to the job. */
export const SHARDS_VARIABLE = 'ENTENTE_SHARDS';

/** What `--shard auto` looks for, in the order it is told (the index variable of each system). */
export const SHARD_SYSTEMS = [
  { system: 'Kubernetes Indexed Job', index: 'JOB_COMPLETION_INDEX' },
  { system: 'Slurm job array', index: 'SLURM_ARRAY_TASK_ID' },
  { system: 'AWS Batch array job', index: 'AWS_BATCH_JOB_ARRAY_INDEX' },
  { system: 'GNU parallel', index: 'PARALLEL_SEQ' },
] as const;

type Env = Readonly<Record<string, string | undefined>>;

const LOOKED_FOR = `looked for ${SHARD_SYSTEMS.map((s) => `${s.index} (${s.system})`).join(', ')}`;

const fail = (message: string): never => {
  throw new UsageError(`--shard auto: ${message}`);
};

/** A variable's value if it is set and not blank. */
function get(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** A whole number ≥ 0 from a variable (no sign, no fraction, no exponent), or a usage error. */
function whole(env: Env, name: string, system: string): number {
  const text = get(env, name)!;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n))
    fail(`${name}=${JSON.stringify(env[name])} is not a whole number (${system})`);
  return n;
}

/** ENTENTE_SHARDS, for the systems that do not tell a job how many tasks there are (`found`: what was). */
function shardsVariable(env: Env, system: string, found: string, why: string): number {
  if (get(env, SHARDS_VARIABLE) === undefined)
    fail(
      `found a ${system} (${found}) but ${SHARDS_VARIABLE} is not set: ${why}; set ${SHARDS_VARIABLE} to the number of shards`,
    );
  const n = whole(env, SHARDS_VARIABLE, system);
  if (n < 1 || n > MAX_SHARDS)
    fail(`${SHARDS_VARIABLE}=${n}: the number of shards is from 1 to ${MAX_SHARDS}`);
  return n;
}

/**
 * The shard this process runs, from the environment of the batch system it runs under (`--shard
 * auto`). Exactly one system's index variable must be set:
 *
 * - Kubernetes Indexed Job: `JOB_COMPLETION_INDEX` (0-based). Kubernetes does not give pods the
 *   Job's `completions`, so the count is `ENTENTE_SHARDS`, set in the manifest to `completions`.
 * - Slurm job array: `SLURM_ARRAY_TASK_ID`, counted from `SLURM_ARRAY_TASK_MIN` in steps of
 *   `SLURM_ARRAY_TASK_STEP` (`--array=1-8` gives shards 0 … 7); the count is `SLURM_ARRAY_TASK_COUNT`
 *   (or `ENTENTE_SHARDS`, which must agree when both are set). An array whose task ids are not one
 *   evenly spaced range (`--array=1,4,9`) is refused: give `--shard K/N`.
 * - AWS Batch array job: `AWS_BATCH_JOB_ARRAY_INDEX` (0-based); the count is `ENTENTE_SHARDS`.
 * - GNU parallel: `PARALLEL_SEQ` (1-based: job 1 is shard 0); the count is `ENTENTE_SHARDS`.
 *
 * Anything missing, malformed or inconsistent, or the variables of two systems at once (a Slurm task
 * running GNU parallel: which index is meant?), is a UsageError (exit 2) naming the variables.
 */
export function shardFromEnv(env: Env): ShardFromEnv {
  const found = SHARD_SYSTEMS.filter((s) => get(env, s.index) !== undefined);
  if (found.length === 0)
    fail(`no supported batch system in the environment (${LOOKED_FOR}); give --shard K/N instead`);
  if (found.length > 1)
    fail(
      `the variables of more than one batch system are set (${found.map((s) => `${s.index}=${get(env, s.index)} (${s.system})`).join(', ')}), so the shard is ambiguous; give --shard K/N instead`,
    );
  const { system, index: indexName } = found[0]!;
  const raw = whole(env, indexName, system);
  const shown = (name: string): string => `${name}=${get(env, name)}`;
  let index: number;
  let count: number;
  const from = [shown(indexName)];
  switch (indexName) {
    case 'JOB_COMPLETION_INDEX':
      count = shardsVariable(
        env,
        system,
        from[0]!,
        "Kubernetes does not pass the Job's completions to its pods, so the manifest sets it (to spec.completions)",
      );
      index = raw;
      from.push(shown(SHARDS_VARIABLE));
      break;
    case 'AWS_BATCH_JOB_ARRAY_INDEX':
      count = shardsVariable(env, system, from[0]!, 'AWS Batch does not pass the array size to its jobs');
      index = raw;
      from.push(shown(SHARDS_VARIABLE));
      break;
    case 'PARALLEL_SEQ':
      count = shardsVariable(env, system, from[0]!, 'GNU parallel does not pass the number of jobs to them');
      if (raw < 1) fail(`PARALLEL_SEQ=${raw}: GNU parallel numbers its jobs from 1`);
      index = raw - 1;
      from.push(shown(SHARDS_VARIABLE));
      break;
    default: {
      ({ index, count } = slurm(env, raw, system));
      for (const name of [
        'SLURM_ARRAY_TASK_COUNT',
        'SLURM_ARRAY_TASK_MIN',
        'SLURM_ARRAY_TASK_MAX',
        'SLURM_ARRAY_TASK_STEP',
        SHARDS_VARIABLE,
      ])
        if (get(env, name) !== undefined) from.push(shown(name));
    }
  }
  if (index >= count)
    fail(
      `${from.join(', ')} (${system}) gives shard ${index}, not below the number of shards, ${count}: ${
        indexName === 'SLURM_ARRAY_TASK_ID'
          ? 'the array does not match its own count'
          : `${SHARDS_VARIABLE} must equal the number of tasks`
      }`,
    );
  return { index, count, system, from };
}

/** A Slurm array task's shard: its id counted from the array's first id, in the array's steps. */
function slurm(env: Env, id: number, system: string): Shard {
  const opt = (name: string): number | undefined =>
    get(env, name) === undefined ? undefined : whole(env, name, system);
  const min = opt('SLURM_ARRAY_TASK_MIN') ?? 0;
  const max = opt('SLURM_ARRAY_TASK_MAX');
  const step = opt('SLURM_ARRAY_TASK_STEP') ?? 1;
  const taskCount = opt('SLURM_ARRAY_TASK_COUNT');
  const shards = get(env, SHARDS_VARIABLE) === undefined ? undefined : shardsVariable(env, system, '', '');
  const shown = (name: string): string => `${name}=${get(env, name)}`;
  if (taskCount === undefined && shards === undefined)
    fail(
      `found a ${system} (SLURM_ARRAY_TASK_ID=${id}) but neither SLURM_ARRAY_TASK_COUNT nor ${SHARDS_VARIABLE} is set`,
    );
  if (taskCount !== undefined && shards !== undefined && taskCount !== shards)
    fail(
      `SLURM_ARRAY_TASK_COUNT=${taskCount} but ${SHARDS_VARIABLE}=${shards}: the array has one task per shard; unset ${SHARDS_VARIABLE} or make them agree`,
    );
  const count = taskCount ?? shards!;
  if (count < 1 || count > MAX_SHARDS)
    fail(`SLURM_ARRAY_TASK_COUNT=${count}: the number of shards is from 1 to ${MAX_SHARDS}`);
  if (step < 1) fail(`${shown('SLURM_ARRAY_TASK_STEP')}: not a step`);
  // The task ids must be one evenly spaced range min, min + step, …, so that each maps to one shard.
  if (max !== undefined && (max - min) / step + 1 !== count)
    fail(
      `the array's task ids are not one range of ${count} (SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_MAX=${max}, SLURM_ARRAY_TASK_STEP=${step}, SLURM_ARRAY_TASK_COUNT=${count}): submit with --array=FIRST-LAST[:STEP], or give --shard K/N`,
    );
  if (id < min || (id - min) % step !== 0)
    fail(
      `SLURM_ARRAY_TASK_ID=${id} is not in the array ${min}${max === undefined ? '…' : `-${max}`}${step === 1 ? '' : `:${step}`}`,
    );
  return { index: (id - min) / step, count };
}

/** `--shard K/N` as given, or the shard `--shard auto` finds in the environment. */
export function resolveShard(
  shard: Shard | 'auto' | undefined,
  env: Env,
  note?: (line: string) => void,
): Shard | undefined {
  if (shard !== 'auto') return shard;
  const found = shardFromEnv(env);
  note?.(`shard ${found.index}/${found.count} (${found.system}: ${found.from.join(', ')})\n`);
  return { index: found.index, count: found.count };
}
