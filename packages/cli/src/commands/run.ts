import {
  ATTRIBUTION_RUNS,
  attribute,
  defaults,
  estimate,
  type RunResult,
  runAsync,
  shardRange,
  simulateAsync,
  toShard,
} from '@entente/core';
import { createColors } from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { type Format, formatRun } from '../format/run.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';
import { defaultWorkers, simulateInParallel } from '../parallel.js';
import { progressFor } from '../progress.js';

export interface RunFlags {
  runs?: number;
  seed?: number | string;
  precision?: number;
  format: Format;
  out?: string;
  quiet?: boolean;
  /** Attribution to interests and pressures (default on for scenarios that use the alliance vocabulary). */
  drivers?: boolean;
  /** Run only shard K of N (0-based) of the trials and write its tallies. */
  shard?: { index: number; count: number };
  /** Worker threads (default: every core for 100,000 trials or more, else 1). Results do not depend on it. */
  workers?: number;
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
  const model = loadFileOrThrow(file);
  if (flags.shard !== undefined) return runShard(model, file, flags, flags.shard, io);
  const progress = progressFor(io, flags.quiet);
  try {
    const runs = flags.runs ?? defaults.DEFAULT_RUNS;
    const workers = flags.precision === undefined ? (flags.workers ?? defaultWorkers(runs)) : 1;
    let result: RunResult;
    if (workers > 1) {
      try {
        const seed = flags.seed ?? defaults.DEFAULT_SEED;
        const sim = await simulateInParallel(model, file, {
          runs,
          seed,
          workers,
          onShardDone: progress.onProgress,
          signal: progress.signal,
        });
        result = estimate(model, sim);
      } catch (e) {
        if (!progress.interrupted) throw e;
        io.stderr.write('interrupted: no result written\n');
        return EXIT.interrupted;
      }
    } else {
      result = await runAsync(model, {
        ...(flags.runs === undefined ? {} : { runs: flags.runs }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.precision === undefined ? {} : { precision: flags.precision }),
        onProgress: progress.onProgress,
      });
    }
    progress.done();
    const drivers =
      model.alliance !== undefined && flags.drivers !== false && !progress.interrupted
        ? attribute(model, { runs: Math.min(result.runs, ATTRIBUTION_RUNS), seed: result.seed })
        : undefined;
    if (progress.interrupted) {
      io.stderr.write('interrupted: no result written\n');
      return EXIT.interrupted;
    }
    const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
    writeOutput(
      io,
      flags,
      formatRun(drivers === undefined ? result : { ...result, drivers }, flags.format, file, colors),
    );
    return EXIT.ok;
  } finally {
    progress.done();
  }
}

async function runShard(
  model: ReturnType<typeof loadFileOrThrow>,
  _file: string,
  flags: RunFlags,
  shard: { index: number; count: number },
  io: CliIO,
): Promise<number> {
  const range = shardRange(shard.index, shard.count, flags.runs ?? defaults.DEFAULT_RUNS);
  const progress = progressFor(io, flags.quiet);
  try {
    const sim = await simulateAsync(model, {
      ...range,
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      onProgress: progress.onProgress,
    });
    progress.done();
    if (progress.interrupted) {
      io.stderr.write('interrupted: no result written\n');
      return EXIT.interrupted;
    }
    writeOutput(io, flags, `${JSON.stringify(toShard(model, sim))}\n`);
    return EXIT.ok;
  } finally {
    progress.done();
  }
}
