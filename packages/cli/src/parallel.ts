import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  ATTRIBUTION_STAGES,
  ATTRIBUTION_TOLERANCE,
  type AttributionOptions,
  type AttributionTolerance,
  analysisColumn,
  type Binding,
  type CalibrationFit,
  type ColumnRunner,
  type CompiledModel,
  type Discordance,
  type FitRunner,
  mergeOwnShards,
  type PairedSimulation,
  type Result,
  type ShardRecord,
  type Simulation,
  type SweepResult,
  shardRange,
  simulateAsync,
  toShard,
  turn,
} from '@entente/core';
import type { EpisodeReply, EpisodeTask, FitReply, FitTask } from './backtestWorker.js';
import type { Row } from './commands/table.js';
import { type Carried, reviveError } from './errors.js';
import type { SetFlag } from './options.js';
import {
  type ColumnReply,
  type ColumnTask,
  type ComparedResult,
  type ComparedTask,
  compileHeld,
  discordant,
  type PairReply,
  type PairTask,
  pairVariants,
  type RowReply,
  type RowTask,
  type ShardTask,
  type SweepReply,
  type SweepTask,
} from './worker.js';

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
    /** The first of the trials (default 0). */
    firstTrial?: number;
    /** The trials before `firstTrial` (0 … firstTrial − 1), already simulated: merged in. */
    before?: Simulation;
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
  const replies = await trialBlocks<{ shard: ShardRecord }>(
    options,
    (range) => {
      const task: ShardTask = {
        file,
        given: options.given ?? [],
        set: options.set ?? {},
        seed: options.seed,
        ...range,
      };
      return { task };
    },
    // This thread takes blocks too, with the model it has: one thread fewer to start, load and warm.
    // In short chunks: a worker's next block waits for this thread's next turn of the event loop.
    async (range) => {
      const sim = await simulateAsync(model, { seed: options.seed, ...range, chunkSize: LANE_CHUNK });
      options.signal?.throwIfAborted();
      return { shard: toShard(model, sim) };
    },
  );
  return mergeOwnShards(model, [
    ...(options.before === undefined ? [] : [toShard(model, options.before)]),
    ...replies.map((r) => r.shard),
  ]);
}

/** A range of trials moved on by `first`. */
const offset = (range: { firstTrial: number; runs: number }, first: number) => ({
  firstTrial: range.firstTrial + first,
  runs: range.runs,
});

/**
 * Trials between this thread's turns of the event loop while it takes blocks beside worker threads:
 * a worker that finishes a block waits for the next turn to be given its next one. At the default
 * 5,000 (~17 ms of flagship trials) the one worker of `--workers 2` waited 16–35 ms a block, a
 * quarter of its time; at 1,000 a turn costs a few microseconds in 3 ms.
 */
const LANE_CHUNK = 1_000;

/** Blocks of trials per thread: at 1,000,000 flagship trials on two threads, ~0.1 s each. */
const BLOCKS_PER_THREAD = 16;

/** What one block of trials sends back: its results, or the error it stopped on, as data. */
type BlockReply<R> = ({ ok: true } & R) | Carried;

/**
 * `runs` trials in contiguous blocks (BLOCKS_PER_THREAD per thread) on `options.workers` threads (lowered
 * to what the machine runs at once, with `onNote`), the next block to whichever thread is free;
 * `task` makes the task of a block (and names the worker's function, default the shard task). With
 * `here`, which computes a block's reply on this thread (giving the event loop turns), the threads
 * are this one and `workers − 1` pool threads. The replies come back in block order; the earliest
 * failing block's error is the one thrown, as one thread, running the blocks in order, meets it first.
 */
async function trialBlocks<R>(
  options: {
    runs: number;
    /** The first of the trials (default 0). */
    firstTrial?: number;
    workers: number;
    onShardDone?: (done: number, total: number) => void;
    onNote?: (line: string) => void;
    signal?: AbortSignal;
  },
  task: (range: { firstTrial: number; runs: number }) => { task: unknown; name?: string },
  here?: (range: { firstTrial: number; runs: number }) => Promise<R>,
): Promise<R[]> {
  const { workers, note } = capWorkers(options.workers);
  if (note !== undefined) options.onNote?.(note);
  // Small enough blocks that no thread waits long for the last one (a worker starts ~0.3 s late).
  const blocks = Math.max(1, Math.min(workers * BLOCKS_PER_THREAD, options.runs));
  const poolThreads = here === undefined ? workers : Math.max(1, workers - 1);
  const { pool, close } = await openPool(WORKER, poolThreads, options.signal);
  const replies: R[] = [];
  let done = 0;
  const finished = (k: number, reply: R, runs: number): void => {
    replies[k] = reply;
    done += runs;
    options.onShardDone?.(done, options.runs);
  };
  const block = async (k: number): Promise<void> => {
    const range = offset(shardRange(k, blocks, options.runs), options.firstTrial ?? 0);
    const t = task(range);
    const reply = (await pool.run(t.task, t.name === undefined ? {} : { name: t.name })) as BlockReply<R>;
    if (!reply.ok) throw reviveError(reply.error);
    finished(k, reply, range.runs);
  };
  const local = async (k: number): Promise<void> => {
    const range = offset(shardRange(k, blocks, options.runs), options.firstTrial ?? 0);
    finished(k, await here!(range), range.runs);
  };
  try {
    await inOrder(blocks, [
      ...Array.from({ length: Math.min(poolThreads, blocks) }, () => block),
      ...(here === undefined || workers < 2 ? [] : [local]),
    ]);
    return replies;
  } finally {
    await close();
  }
}

async function newPool(worker: URL, threads: number): Promise<import('piscina').Piscina> {
  const { Piscina } = await import('piscina');
  return new Piscina({ filename: worker.href, maxThreads: threads, minThreads: threads });
}

/** A pool started before it was needed (`prestartRun`), for the next `openPool` of the same shape. */
let early:
  | { worker: URL; threads: number; pool: Promise<import('piscina').Piscina>; failed?: unknown }
  | undefined;

/**
 * Start the worker threads of `run --workers N` (N > 1) before this thread loads the scenario, and
 * have each load and compile it too, so that a worker's start (loading the bundle, compiling the
 * scenario, building quantile tables: ~0.3 s of CPU) overlaps this thread's instead of following
 * it. `simulateInParallel` then takes the pool. Call the returned function when the command ends:
 * it shuts the pool down if nothing took it (a scenario with problems, a small run).
 */
export function prestartRun(
  file: string,
  options: { workers: number; given?: readonly string[]; set?: Binding },
): () => Promise<void> {
  const { workers } = capWorkers(options.workers);
  if (workers < 2 || !existsSync(fileURLToPath(WORKER))) return async () => {};
  const threads = workers - 1;
  const pool = newPool(WORKER, threads);
  const mine: NonNullable<typeof early> = { worker: WORKER, threads, pool };
  early = mine;
  const task = { file, given: options.given ?? [], set: options.set ?? {} };
  pool.then(
    (p) => {
      // Until openPool takes it (and listens), a worker's failure is kept for it to throw.
      p.on('error', (e: unknown) => {
        if (early === mine) mine.failed ??= e;
      });
      for (let k = 0; k < threads; k++) p.run(task, { name: 'prepareTask' }).catch(() => {});
    },
    (e: unknown) => {
      mine.failed = e;
    },
  );
  return async () => {
    if (early !== mine) return;
    early = undefined;
    await (await pool.catch(() => undefined))?.destroy();
  };
}

/**
 * A piscina pool of `threads` threads on `worker` (loaded only when a command goes parallel, so
 * start-up stays fast), with one abort listener for the whole pool: `signal` destroys it, which
 * rejects every pending task. A reply that lands while the pool is being destroyed on purpose is
 * ignored (otherwise it is a bug and crashes as before). `close` removes the listener and destroys it.
 */
async function openPool(
  worker: URL,
  threads: number,
  signal: AbortSignal | undefined,
): Promise<{ pool: import('piscina').Piscina; close: () => Promise<void> }> {
  const taken =
    early !== undefined && early.worker === worker && early.threads === threads ? early : undefined;
  if (taken !== undefined) early = undefined;
  const pool = taken === undefined ? await newPool(worker, threads) : await taken.pool;
  // A worker that failed before the pool was taken (an 'error' with no task to fail) fails it now.
  if (taken?.failed !== undefined) {
    await pool.destroy();
    throw taken.failed;
  }
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    void pool.destroy();
  };
  signal?.addEventListener('abort', stop, { once: true });
  pool.on('error', (e: unknown) => {
    if (!stopping) throw e;
  });
  // Ctrl-C may already have been pressed while the pool was starting.
  if (signal?.aborted) stop();
  return {
    pool,
    async close() {
      signal?.removeEventListener('abort', stop);
      stopping = true;
      await pool.destroy();
    },
  };
}

/**
 * Tasks 0 … count − 1 over `lanes` (each lane takes the next task when it is free), started in
 * order, or in the order `start` gives (a permutation, e.g. the costliest first). Once task k fails
 * no later task (k′ > k) starts (its error could not be the first), while the tasks before k finish:
 * one of them may fail earlier. Running tasks are never aborted (piscina can crash on the reply of a
 * task it has dropped). The earliest failure is thrown: the error one thread, running the tasks in
 * order, meets first, whatever the number of lanes and the order they start in.
 */
async function inOrder(
  count: number,
  lanes: readonly ((k: number) => Promise<void>)[],
  start: readonly number[] = Array.from({ length: count }, (_, k) => k),
): Promise<void> {
  const failures = new Map<number, unknown>();
  let firstFailure = count;
  let next = 0;
  await Promise.all(
    lanes.map(async (task) => {
      while (next < start.length) {
        const k = start[next++]!;
        if (k > firstFailure) continue;
        try {
          await task(k);
        } catch (e) {
          failures.set(k, e);
          firstFailure = Math.min(firstFailure, k);
        }
      }
    }),
  );
  if (failures.size > 0) throw failures.get(firstFailure);
}

/**
 * `entente compare` on `workers` threads: the trials split into contiguous blocks, every block runs
 * all scenarios on the same trials, each scenario's blocks merge exactly and the discordant counts
 * add up, so the comparison is the same bits as `simulatePaired` on one thread.
 */
export async function compareInParallel(
  models: readonly CompiledModel[],
  files: readonly string[],
  options: {
    runs: number;
    seed: number | string;
    workers: number;
    set: SetFlag[];
    onShardDone?: (done: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<PairedSimulation> {
  const replies = await trialBlocks<ComparedResult>(options, (range) => {
    const task: ComparedTask = { files: [...files], set: options.set, seed: options.seed, ...range };
    return { task, name: 'comparedTask' };
  });
  const simulations = models.map((m, i) =>
    mergeOwnShards(
      m,
      replies.map((r) => r.shards[i]!),
    ),
  );
  const discordance = models.map((_, i) => {
    const total: Record<string, Discordance> = {};
    for (const r of replies) {
      for (const [id, d] of Object.entries(r.discordance[i] ?? {})) {
        const t = total[id] ?? { n10: 0, n01: 0 };
        total[id] = { n10: t.n10 + d.n10, n01: t.n01 + d.n01 };
      }
    }
    return total;
  });
  return { simulations, discordance };
}

/**
 * A sweep's design points in `blocks` contiguous blocks on `threads` threads, each block computed as
 * `sweep --shard K/N` computes it, joined in order as `merge-sweep` joins them: the same result as
 * the whole sweep on one thread. A binding problem is returned as the sweep returns it; a run-time
 * error is the earliest block's, as one thread meets it first.
 */
export async function sweepInParallel(
  task: SweepTask,
  blocks: number,
  threads: number,
  options: { onBlockDone?: (done: number, total: number) => void; signal?: AbortSignal },
): Promise<Result<SweepResult>> {
  const { pool, close } = await openPool(WORKER, threads, options.signal);
  const results: SweepResult[] = [];
  let problems: { k: number; issues: Result<never> } | undefined;
  let done = 0;
  const block = async (k: number): Promise<void> => {
    const reply = (await pool.run(
      { ...task, shard: { index: k, count: blocks } },
      { name: 'sweepTask' },
    )) as SweepReply;
    if (!reply.ok && 'error' in reply) throw reviveError(reply.error);
    if (!reply.ok) {
      if (problems === undefined || k < problems.k)
        problems = { k, issues: { ok: false, issues: reply.issues } };
      throw new Error('binding problem'); // stops later blocks; reported below
    }
    results[k] = reply.result;
    options.onBlockDone?.(++done, blocks);
  };
  try {
    try {
      await inOrder(
        blocks,
        Array.from({ length: Math.min(threads, blocks) }, () => block),
      );
    } catch (e) {
      if (problems === undefined) throw e;
    }
    if (problems !== undefined) return problems.issues;
    const head = results[0]!;
    return { ok: true, value: { ...head, points: results.flatMap((r) => r.points), stopped: false } };
  } finally {
    await close();
  }
}

/** Threads for `entente table` when not told: every core for several files, when the worker script is there. */
export function defaultTableWorkers(files: number): number {
  return files > 1 && existsSync(fileURLToPath(WORKER)) ? availableParallelism() : 1;
}

/**
 * The rows of `entente table` on `threads` worker threads, one file per task, the costliest first
 * (`costs`, rough) so that no long row starts last. Each row is what one thread computes alone, so
 * the table is the same bytes for any number of threads. As on one thread, which runs the files in
 * order, the error thrown is the first failing file's: once file k has failed, only files before k
 * still start.
 */
export async function tableRowsInParallel(
  tasks: readonly RowTask[],
  costs: readonly number[],
  threads: number,
  onRowDone: (task: RowTask) => void,
  here?: (k: number, task: RowTask) => Promise<Row>,
): Promise<Row[]> {
  const order = tasks.map((_, k) => k).sort((a, b) => costs[b]! - costs[a]! || a - b);
  const lanes = Math.min(threads, tasks.length);
  const poolThreads = here === undefined ? lanes : lanes - 1;
  const { pool, close } = await openPool(WORKER, Math.max(1, poolThreads), undefined);
  const rows: Row[] = [];
  const there = async (k: number): Promise<void> => {
    const reply = (await pool.run(tasks[k], { name: 'rowTask' })) as RowReply;
    if (!reply.ok) throw reviveError(reply.error);
    rows[k] = reply.row;
    onRowDone(tasks[k]!);
  };
  const local = async (k: number): Promise<void> => {
    rows[k] = await here!(k, tasks[k]!);
    onRowDone(tasks[k]!);
  };
  try {
    await inOrder(
      tasks.length,
      [...Array.from({ length: poolThreads }, () => there), ...(here === undefined ? [] : [local])],
      order,
    );
    return rows;
  } finally {
    await close();
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
 * A calibration's fits (calibrateAsync's `fits`) on `workers` worker threads, whole fits at a time,
 * the next to whichever thread is free: each fit is seconds of work, so this thread, whose event
 * loop hands the next fit out, does not take one. Each fit depends only on its episodes and the
 * options: the same result as on one thread. `close` shuts the pool down.
 */
export async function fitsInParallel(
  task: Omit<FitTask, 'which'>,
  options: { workers: number; onNote?: (line: string) => void },
): Promise<{ runner: FitRunner; close: () => Promise<void> }> {
  const { workers, note } = capWorkers(options.workers);
  if (note !== undefined) options.onNote?.(note);
  const { pool, close } = await openPool(BACKTEST_WORKER, workers, undefined);
  const runner: FitRunner = {
    async run(sets) {
      // A fit left unrun (after an earlier one failed) is never read: the calibration stops there.
      const fits: PromiseSettledResult<CalibrationFit>[] = sets.map(() => ({
        status: 'rejected',
        reason: new Error('internal: a fit after a failed one was read'),
      }));
      const fit = async (k: number): Promise<void> => {
        const reply = (await pool.run({ ...task, which: [...sets[k]!] }, { name: 'fitTask' })) as FitReply;
        if (reply.ok) fits[k] = { status: 'fulfilled', value: reply.fit };
        else {
          const error = reviveError(reply.error);
          fits[k] = { status: 'rejected', reason: error };
          throw error;
        }
      };
      // inOrder starts no fit after the first that fails; the error is kept in `fits`, not thrown here.
      await inOrder(
        sets.length,
        Array.from({ length: Math.min(workers, sets.length) }, () => fit),
      ).catch(() => undefined);
      return fits;
    },
  };
  return { runner, close };
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
  const { pool, close } = await openPool(BACKTEST_WORKER, threads, options.signal);
  const sims: Simulation[] = [];
  let done = 0;
  const episode = async (k: number): Promise<void> => {
    const task: EpisodeTask = { file, episode: k, runs: options.runs, seed: options.seed };
    const reply = (await pool.run(task)) as EpisodeReply;
    if (!reply.ok) throw reviveError(reply.error);
    sims[k] = mergeOwnShards(models[k]!, [reply.shard]);
    done += options.runs;
    options.onEpisodeDone?.(done, episodes * options.runs);
  };
  try {
    await inOrder(
      episodes,
      Array.from({ length: threads }, () => episode),
    );
    return sims;
  } finally {
    await close();
  }
}

/**
 * Driver attribution goes to worker threads by default, on a machine with more than one core, once
 * its expected trials (attributionTrials) exceed this. A worker costs ~0.5 s of CPU to start, load,
 * compile and warm up, so it pays for the strategic flagship (18 inputs, 164,000 expected trials at
 * ~8 µs) and for a tolerance of 0 (the flagship: 300,000 trials), not for the flagship's default run
 * (7 inputs, 76,000 expected trials), nor on a loaded machine (BENCHMARKS.md): `--workers 1` keeps
 * attribution on one thread.
 */
export const ATTRIBUTION_PARALLEL_MIN_TRIALS = 100_000;

/**
 * The trials attribution is expected to run: a tracking pass on `runs` trials and two variants per
 * input, each on `runs` trials when the tolerance is 0, else on about two first stages (most pairs
 * stop within 2,000–6,000 trials: BENCHMARKS.md).
 */
export function attributionTrials(
  inputs: number,
  runs: number,
  tolerance: AttributionTolerance = ATTRIBUTION_TOLERANCE,
): number {
  if (inputs === 0) return 0;
  const fixed = !(tolerance.absolute > 0 || tolerance.relative > 0);
  const perPair = fixed ? runs : Math.min(runs, 2 * ATTRIBUTION_STAGES.first);
  return runs + 2 * inputs * perPair;
}

/** Threads for attribution when not told: every core for large attributions on a multi-core machine, else 1. */
export function defaultAttributionWorkers(trials: number): number {
  const cores = availableParallelism();
  return cores > 1 && trials > ATTRIBUTION_PARALLEL_MIN_TRIALS && existsSync(fileURLToPath(WORKER))
    ? cores
    : 1;
}

type PairRunner = NonNullable<AttributionOptions['pairs']>;
type HeldScenario = Parameters<PairRunner['run']>[0];

/** Trials the main thread runs between turns of the event loop (worker replies, Ctrl-C): ~10–20 ms. */
const MAIN_CHUNK = 1_000;

/** The fewest trials in a block of a pair of variants: a block costs a message and binding two variants. */
const MIN_PAIR_BLOCK = 1_000;

/**
 * Attribution's pairs of variants on `workers` threads, for `attributeAsync(model, { pairs: runner })`:
 * this thread (idle otherwise once it has tracked the contributions) and `workers − 1` piscina
 * threads, so that N workers use N cores and pay N − 1 thread start-ups, not N. While this thread
 * tracks the contributions, `prepare` has every pool thread compile the held scenario once. `run`
 * splits each pair's trials (its stage's range) into contiguous blocks (about four per worker over
 * all pairs, at least MIN_PAIR_BLOCK trials each); whichever
 * thread takes a block binds the two variants and counts the discordant trials, integers that add
 * up exactly: the drivers are the same bits for any number of workers, and as on one thread.
 * `signal` (Ctrl-C) destroys the pool and stops this thread's block at its next chunk. Call `close`
 * when attribution ends.
 */
export async function attributionPairs(options: {
  workers: number;
  signal?: AbortSignal;
}): Promise<{ runner: PairRunner; close: () => Promise<void> }> {
  const { workers } = capWorkers(options.workers);
  const threads = Math.max(1, workers - 1);
  const { pool, close } = await openPool(WORKER, threads, options.signal);
  const task = (
    held: HeldScenario,
    rest: Pick<PairTask, 'low' | 'high' | 'firstTrial' | 'runs'>,
  ): PairTask => ({
    scenario: held.scenario,
    hash: held.hash,
    outcome: held.primary,
    seed: held.seed,
    ...rest,
  });
  /** A block on this thread, in chunks, giving the event loop a turn between them. */
  let local: CompiledModel | undefined;
  const here = async (t: PairTask): Promise<{ n10: number; n01: number }> => {
    local ??= compileHeld(t);
    const variants = pairVariants(local, t);
    const total = { n10: 0, n01: 0 };
    for (let done = 0; done < t.runs; done += MAIN_CHUNK) {
      await turn();
      options.signal?.throwIfAborted();
      const d = discordant(variants, {
        ...t,
        firstTrial: t.firstTrial + done,
        runs: Math.min(MAIN_CHUNK, t.runs - done),
      });
      total.n10 += d.n10;
      total.n01 += d.n01;
    }
    return total;
  };
  const there = async (t: PairTask): Promise<{ n10: number; n01: number }> => {
    const reply = (await pool.run(t, { name: 'pairTask' })) as PairReply;
    if (!reply.ok) throw reviveError(reply.error);
    return reply;
  };
  const runner: PairRunner = {
    prepare(held) {
      // One warm-up per pool thread (piscina gives an idle thread the next task); a failure here
      // comes back from the real tasks too.
      for (let k = 0; k < threads; k++)
        pool
          .run(task(held, { low: {}, high: {}, firstTrial: 0, runs: 0 }), { name: 'pairTask' })
          .catch(() => {});
    },
    async run(held, pairs) {
      // About four blocks per thread over all pairs, none under MIN_PAIR_BLOCK trials.
      const total = pairs.reduce((sum, p) => sum + p.runs, 0);
      const size = Math.max(MIN_PAIR_BLOCK, Math.ceil(total / (4 * workers)));
      const tasks = pairs.flatMap((pair, p) => {
        const blocks = Math.max(1, Math.round(pair.runs / size));
        return Array.from({ length: blocks }, (_, k) => {
          const range = shardRange(k, blocks, pair.runs);
          return {
            p,
            task: task(held, {
              low: pair.low,
              high: pair.high,
              firstTrial: pair.firstTrial + range.firstTrial,
              runs: range.runs,
            }),
          };
        });
      });
      const counts = pairs.map(() => ({ n10: 0, n01: 0 }));
      // Blocks start in order (pair by pair, trials in order): the pool's lanes and this thread's.
      const lane =
        (runBlock: (t: PairTask) => Promise<{ n10: number; n01: number }>) =>
        async (k: number): Promise<void> => {
          const d = await runBlock(tasks[k]!.task);
          const c = counts[tasks[k]!.p]!;
          c.n10 += d.n10;
          c.n01 += d.n01;
        };
      await inOrder(tasks.length, [...Array.from({ length: threads }, () => lane(there)), lane(here)]);
      return counts;
    },
  };
  return { runner, close };
}

/** Trials in a block of an analysis column: small enough that no thread waits long for another. */
const COLUMN_BLOCK = 5_000;

/**
 * The columns of a sensitivity analysis of `file` (Sobol's matrices, a tornado's ends, Morris's
 * design points) on this thread and `workers − 1` worker threads, for `sobolIndicesAsync`,
 * `tornadoAsync` or `morrisAsync(model, { columns })`: each column's trials in contiguous blocks
 * of about COLUMN_BLOCK, the next block to whichever thread is free, each number written at its
 * trial's place. Every number depends only on its trial and column: the same columns, bit for bit,
 * as on one thread. `model` is the file's, loaded here; `onProgress` counts trials.
 */
export async function columnsInParallel(options: {
  file: string;
  model: CompiledModel;
  inputs?: string[];
  output?: string;
  workers: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Told, in one line, when `workers` is more than the machine runs at once and was lowered. */
  onNote?: (line: string) => void;
}): Promise<{ runner: ColumnRunner; close: () => Promise<void> }> {
  const { workers, note } = capWorkers(options.workers);
  if (note !== undefined) options.onNote?.(note);
  const threads = Math.max(1, workers - 1);
  const { pool, close } = await openPool(WORKER, threads, options.signal);
  const analysis = {
    ...(options.inputs === undefined ? {} : { inputs: options.inputs }),
    ...(options.output === undefined ? {} : { output: options.output }),
  };
  const runner: ColumnRunner = {
    async run(columns, { runs, seed, done: before = 0, total: all }) {
      const perColumn = Math.max(1, Math.ceil(runs / COLUMN_BLOCK));
      const tasks = columns.flatMap((column, c) =>
        Array.from({ length: perColumn }, (_, k) => ({
          c,
          task: {
            file: options.file,
            ...analysis,
            column,
            seed,
            ...shardRange(k, perColumn, runs),
          } as ColumnTask,
        })),
      );
      const y = columns.map(() => new Float64Array(runs));
      const total = all ?? runs * columns.length;
      let done = before;
      const finished = (k: number, block: Float64Array): void => {
        const { c, task } = tasks[k]!;
        y[c]!.set(block, task.firstTrial);
        done += task.runs;
        options.onProgress?.(done, total);
      };
      const there = async (k: number): Promise<void> => {
        const reply = (await pool.run(tasks[k]!.task, { name: 'columnTask' })) as ColumnReply;
        if (!reply.ok) throw reviveError(reply.error);
        finished(k, reply.y);
      };
      // This thread computes blocks too (each ~COLUMN_BLOCK trials, some tens of milliseconds), with
      // a turn of the event loop before each (worker replies, Ctrl-C).
      const here = async (k: number): Promise<void> => {
        await turn();
        options.signal?.throwIfAborted();
        const { task } = tasks[k]!;
        finished(k, analysisColumn(options.model, analysis, task.column, task));
      };
      await inOrder(tasks.length, [
        ...Array.from({ length: threads }, () => there),
        ...(workers > 1 ? [here] : []),
      ]);
      return y;
    },
  };
  return { runner, close };
}
