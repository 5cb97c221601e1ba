import {
  ATTRIBUTION_RUNS,
  ATTRIBUTION_TOLERANCE,
  type AttributionTolerance,
  attribute,
  attributeAsync,
  type Binding,
  bindParams,
  type CompiledModel,
  type ContributionTracker,
  contributionTracker,
  type Driver,
  defaults,
  estimate,
  holdableModel,
  mergeTallies,
  type RungShares,
  type RunResult,
  rungShares,
  type Simulation,
  shardRange,
  simulateAsync,
  toShard,
} from '@entente/core';
import { createColors } from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { type Format, formatRun, type RunReport } from '../format/run.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';
import { applySet, bindingOf, type SetFlag, toleranceText } from '../options.js';
import {
  attributionPairs,
  attributionTrials,
  defaultAttributionWorkers,
  defaultWorkers,
  prestartRun,
  simulateInParallel,
} from '../parallel.js';
import { PRECISION_SUGGESTION, progressFor } from '../progress.js';
import { resolveShard, type Shard } from '../shardEnv.js';

export interface RunFlags {
  runs?: number;
  seed?: number | string;
  precision?: number;
  format: Format;
  out?: string;
  quiet?: boolean;
  /** Attribution to interests and pressures (default on for scenarios that use the alliance vocabulary). */
  drivers?: boolean;
  /** When attribution stops each pair of variants (`--drivers-tolerance`; default ATTRIBUTION_TOLERANCE). */
  driversTolerance?: AttributionTolerance;
  /** Run only shard K of N (0-based) of the trials and write its tallies; `auto`: K and N from the batch system's environment. */
  shard?: Shard | 'auto';
  /** Worker threads (default: every core for 100,000 trials or more, else 1). Results do not depend on it. */
  workers?: number;
  /** Observations (`--given`, repeatable), added to the scenario's own `given`. */
  given?: string[];
  /** Params bound at run time (`--set NAME=VALUE`, repeatable): the same bits as editing the file. */
  set?: SetFlag[];
}

export async function runCommand(file: string, flags: RunFlags, io: CliIO): Promise<number> {
  if ((flags.shard !== undefined) !== (flags.format === 'tallies')) {
    throw new UsageError(
      '--shard K/N and --format tallies go together: a shard writes tallies for `entente merge`',
    );
  }
  if (flags.shard !== undefined && flags.precision !== undefined) {
    throw new UsageError('--precision cannot be split into shards: give --runs');
  }
  if (flags.shard !== undefined && (flags.set?.length ?? 0) > 0) {
    // merge checks every shard against the file's own scenario, which --set changes.
    throw new UsageError(
      '--set cannot be split into shards (entente merge checks shards against the file as written): write the values into a scenario that extends this one, and shard that',
    );
  }
  // --shard auto: K and N from the batch system (a usage error, exit 2, when none is found).
  const shard = resolveShard(flags.shard, io.env, flags.quiet ? undefined : (line) => io.stderr.write(line));
  // With --workers N the worker threads start now and load the file while this thread does.
  const release =
    shard === undefined && flags.precision === undefined && flags.workers !== undefined && flags.workers > 1
      ? prestartRun(file, { workers: flags.workers, given: flags.given ?? [], set: bindingOf(flags.set) })
      : undefined;
  try {
    return await runFile(file, flags, io, shard);
  } finally {
    await release?.();
  }
}

async function runFile(file: string, flags: RunFlags, io: CliIO, shard: Shard | undefined): Promise<number> {
  // Attribution gets the file's model and the --set binding (not the bound model): see driversFor.
  const loaded = loadFileOrThrow(file, flags.given);
  const model = applySet(loaded, flags.set, file);
  const progress = progressFor(
    io,
    flags.quiet,
    flags.precision === undefined ? { suggestion: PRECISION_SUGGESTION } : {},
  );
  try {
    let text: string;
    try {
      if (shard === undefined) {
        // Attribution's tracking pass rides on the run when it plays the trials on this thread.
        // With drivers, the run plays its trials with the scenario's holdable form (the same trials,
        // bit for bit), so that the code attribution binds its variants to is warm.
        const attributes =
          flags.drivers !== false && flags.precision === undefined && model.evidence === undefined;
        const plan = attributes
          ? attributionPlan(loaded, model, flags.set, {
              runs: flags.runs ?? defaults.DEFAULT_RUNS,
              seed: flags.seed ?? defaults.DEFAULT_SEED,
            })
          : { playing: model };
        const { result, tracked } = await simulateRun(
          model,
          file,
          flags,
          progress,
          io,
          plan.tracker,
          plan.playing,
        );
        // Stop at once on Ctrl-C: no attribution after an interrupted run, and Ctrl-C aborts it too.
        if (progress.interrupted) return progress.stopped();
        const drivers =
          flags.drivers === false || model.evidence !== undefined
            ? undefined
            : await driversForAsync(
                loaded,
                bindingOf(flags.set),
                result,
                flags,
                progress.signal,
                tracked,
                plan.holdable,
              );
        const given = flags.given ?? [];
        const set = (flags.set ?? []).map((s) => s.text);
        const rungs = rungsFor(model, result);
        text = resultText(
          model,
          {
            ...result,
            ...(given.length > 0 ? { givenFlags: given } : {}),
            ...(set.length > 0 ? { setFlags: set } : {}),
            ...(drivers === undefined || flags.driversTolerance === undefined
              ? {}
              : { toleranceFlag: toleranceText(flags.driversTolerance) }),
            ...(rungs === undefined ? {} : { rungs }),
          },
          file,
          flags,
          io,
          drivers,
        );
      } else {
        text = await shardText(model, flags, shard, progress);
      }
    } catch (e) {
      if (progress.interrupted) return progress.stopped();
      throw e;
    }
    if (progress.interrupted) return progress.stopped();
    writeOutput(io, flags, text);
    return EXIT.ok;
  } finally {
    progress.done();
  }
}

type Progress = ReturnType<typeof progressFor>;

/**
 * How a run that attribution follows plays its trials (`run`, and each row of `table`): with the
 * scenario's holdable form (`--set` bound as `model` has it; nothing held: the same trials, bit for
 * bit), whose warm code attribution then binds its variants to, tracking the contributions as it goes.
 * `loaded` is the file's model, `model` the one the run reports (with `--set`).
 */
export function attributionPlan(
  loaded: CompiledModel,
  model: CompiledModel,
  set: readonly SetFlag[] | undefined,
  trials: { runs: number; seed: number | string },
): { playing: CompiledModel; holdable?: CompiledModel; tracker?: ContributionTracker } {
  const holdable = holdableModel(loaded);
  let playing = model;
  if (holdable !== undefined) {
    const bound = set === undefined || set.length === 0 ? undefined : bindParams(holdable, bindingOf(set));
    if (bound === undefined) playing = holdable;
    else if (bound.ok) playing = bound.value;
  }
  const tracker = contributionTracker(model, {
    runs: Math.min(trials.runs, ATTRIBUTION_RUNS),
    seed: trials.seed,
    playing,
  });
  return {
    playing,
    ...(holdable === undefined ? {} : { holdable }),
    ...(tracker === undefined ? {} : { tracker }),
  };
}

/**
 * Trials a run plays on this thread before it decides, by their time, whether worker threads pay
 * (when `--workers` is not given): as many as attribution tracks, so the tracking rides on them.
 */
const PILOT_RUNS = 20_000;

/**
 * Worker threads start when the trials after the pilot would take longer than this on one thread:
 * a worker costs ~0.3–0.5 s of CPU to start, load, compile and warm up, and on two cores it saves
 * about half of what is left (BENCHMARKS.md). A cheap model at 1,000,000 trials stays on one thread.
 * ENTENTE_WORKERS_PAY_MS changes it (0: always, once past the pilot).
 */
const WORKERS_PAY_MS = 1_000;

/** ENTENTE_WORKERS_PAY_MS when it is a number of milliseconds (≥ 0), else WORKERS_PAY_MS. */
function workersPayMs(text: string | undefined): number {
  const ms = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : WORKERS_PAY_MS;
}

/**
 * The run itself. With `--workers N` (N > 1), on this thread and N − 1 worker threads; with
 * `--workers 1`, below PARALLEL_MIN_RUNS trials, or in precision mode, on this thread; otherwise the
 * first PILOT_RUNS trials on this thread, and the rest on every core if they would take longer than
 * WORKERS_PAY_MS. The result is the same bits whichever way: blocks of trials merge exactly.
 */
async function simulateRun(
  model: CompiledModel,
  file: string,
  flags: RunFlags,
  progress: Progress,
  io: CliIO,
  tracker?: ContributionTracker,
  playing: CompiledModel = model,
): Promise<{ result: RunResult; tracked?: ContributionTracker }> {
  const runs = flags.runs ?? defaults.DEFAULT_RUNS;
  const seed = flags.seed ?? defaults.DEFAULT_SEED;
  const track = tracker === undefined ? {} : { track: tracker.track };
  const done = (result: RunResult, tracked: boolean) => {
    progress.endBar();
    return tracked && tracker !== undefined ? { result, tracked: tracker } : { result };
  };
  const parallel = (workers: number, before?: Simulation): Promise<Simulation> => {
    const firstTrial = before?.tallies.runs ?? 0;
    return simulateInParallel(model, file, {
      runs: runs - firstTrial,
      firstTrial,
      ...(before === undefined ? {} : { before }),
      seed,
      workers,
      given: flags.given ?? [],
      set: bindingOf(flags.set),
      onNote: (line) => {
        if (!flags.quiet) io.stderr.write(line);
      },
      onShardDone: (d) => progress.onProgress(firstTrial + d, runs),
      signal: progress.signal,
    });
  };
  if (flags.precision === undefined && flags.workers !== undefined && flags.workers > 1)
    return done(estimate(model, await parallel(flags.workers)), false);
  const workers = flags.precision === undefined ? (flags.workers ?? defaultWorkers(runs)) : 1;
  if (workers <= 1) {
    const sim = await simulateAsync(playing, {
      // Precision mode runs at most DEFAULT_MAX_RUNS unless told.
      ...(flags.runs === undefined && flags.precision !== undefined ? {} : { runs }),
      seed,
      ...(flags.precision === undefined ? {} : { precision: flags.precision }),
      ...track,
      onProgress: progress.onProgress,
    });
    return done(estimate(model, sim), true);
  }
  // Not told how many threads: a pilot on this thread, timed, says whether workers pay.
  const pilotRuns = Math.min(runs, PILOT_RUNS);
  // Timed from its second half: the first trials pay for compiling and warming up the trial code
  // and building quantile tables, which the rest does not (a cheap model's estimate doubled).
  let half: { at: number; done: number } | undefined;
  const pilot = await simulateAsync(playing, {
    runs: pilotRuns,
    seed,
    ...track,
    onProgress: (d) => {
      if (half === undefined && d >= pilotRuns / 2) half = { at: performance.now(), done: d };
      return progress.onProgress(d, runs);
    },
  });
  const perTrial =
    half === undefined || half.done >= pilotRuns
      ? Number.POSITIVE_INFINITY
      : (performance.now() - half.at) / (pilotRuns - half.done);
  const rest = runs - pilotRuns;
  let sim = pilot;
  if (!pilot.stopped && rest > 0) {
    if (perTrial * rest > workersPayMs(io.env.ENTENTE_WORKERS_PAY_MS)) sim = await parallel(workers, pilot);
    else {
      const after = await simulateAsync(playing, {
        firstTrial: pilotRuns,
        runs: rest,
        seed,
        onProgress: (d) => progress.onProgress(pilotRuns + d, runs),
      });
      sim = { ...after, tallies: mergeTallies(pilot.tallies, after.tallies) };
    }
  }
  return done(estimate(model, sim), true);
}

/**
 * Each deciding actor's rung shares by step, for a scenario with strategic actors and no evidence
 * (the shares are over all trials played), on min(runs, RUNG_RUNS) of the result's trials.
 */
export function rungsFor(
  model: CompiledModel,
  result: RunResult,
): { runs: number; actors: RungShares[] } | undefined {
  if ((model.alliance?.actors ?? []).length === 0 || model.evidence !== undefined) return undefined;
  const runs = Math.min(result.runs, RUNG_RUNS);
  return { runs, actors: rungShares(model, { runs, seed: result.seed, firstTrial: result.firstTrial }) };
}
const RUNG_RUNS = 20_000;

/**
 * Drivers of an alliance scenario's result (undefined for a core scenario), attributed with the
 * result's seed on min(runs, ATTRIBUTION_RUNS) trials: the same drivers wherever they are shown.
 * With `bind` (the `--set` values), `model` is the file's model before binding: attribution binds
 * them itself, which also works for a param in `correlations:` bound to a number.
 */
export function driversFor(
  model: CompiledModel,
  result: RunResult,
  bind?: Binding,
  tolerance?: AttributionTolerance,
  tracked?: ContributionTracker,
  holdable?: CompiledModel,
): Driver[] | undefined {
  // Attribution runs unconditioned variants; under evidence it would answer another question.
  if (model.alliance === undefined || model.evidence !== undefined) return undefined;
  return attribute(model, {
    runs: Math.min(result.runs, ATTRIBUTION_RUNS),
    seed: result.seed,
    ...(bind === undefined ? {} : { bind }),
    ...(tolerance === undefined ? {} : { tolerance }),
    ...(tracked === undefined ? {} : { tracked }),
    ...(holdable === undefined ? {} : { holdable }),
  });
}

/**
 * As `driversFor`, giving the event loop a turn between chunks so that Ctrl-C (`signal`) stops it,
 * with the pairs of variants on worker threads (`--workers`; by default every core once attribution
 * runs more than 100,000 trials on a machine with more than one): the same drivers either way.
 */
export async function driversForAsync(
  model: CompiledModel,
  bind: Binding,
  result: RunResult,
  flags: Pick<RunFlags, 'workers' | 'driversTolerance'>,
  signal: AbortSignal,
  tracked?: ContributionTracker,
  holdable?: CompiledModel,
): Promise<Driver[] | undefined> {
  if (model.alliance === undefined) return undefined;
  const runs = Math.min(result.runs, ATTRIBUTION_RUNS);
  const tolerance = flags.driversTolerance ?? ATTRIBUTION_TOLERANCE;
  const options = {
    runs,
    seed: result.seed,
    signal,
    bind,
    tolerance,
    ...(tracked === undefined ? {} : { tracked }),
    ...(holdable === undefined ? {} : { holdable }),
  };
  const workers =
    flags.workers ??
    defaultAttributionWorkers(attributionTrials(model.alliance.inputs.length, runs, tolerance));
  if (workers <= 1) return attributeAsync(model, options);
  const pool = await attributionPairs({ workers, signal });
  try {
    return await attributeAsync(model, { ...options, pairs: pool.runner });
  } finally {
    await pool.close();
  }
}

/**
 * A result as text in the chosen format, with drivers for alliance scenarios (unless --no-drivers):
 * what `run` and `merge` print.
 */
export function resultText(
  model: CompiledModel,
  result: RunReport,
  file: string,
  flags: { format: Format; out?: string; drivers?: boolean; driversTolerance?: AttributionTolerance },
  io: CliIO,
  drivers: Driver[] | undefined = flags.drivers === false
    ? undefined
    : driversFor(model, result, undefined, flags.driversTolerance),
): string {
  const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
  return formatRun(drivers === undefined ? result : { ...result, drivers }, flags.format, file, colors);
}

/** One shard's tallies, for `entente merge`. */
async function shardText(
  model: CompiledModel,
  flags: RunFlags,
  shard: Shard,
  progress: Progress,
): Promise<string> {
  const sim = await simulateAsync(model, {
    ...shardRange(shard.index, shard.count, flags.runs ?? defaults.DEFAULT_RUNS),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    onProgress: progress.onProgress,
  });
  progress.done();
  return `${JSON.stringify(toShard(model, sim, { ...shard, totalRuns: flags.runs ?? defaults.DEFAULT_RUNS }))}\n`;
}
