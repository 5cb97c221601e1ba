import { readFileSync } from 'node:fs';
import { ATTRIBUTION_RUNS, attribute, estimate, mergeShards, type ShardRecord } from '@entente/core';
import { createColors } from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { type Format, formatRun } from '../format/run.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';

export interface MergeFlags {
  format: Format;
  out?: string;
  quiet?: boolean;
  drivers?: boolean;
}

/** Join shard files (from `run --shard K/N --format tallies`) into the result one run would give. */
export function mergeCommand(file: string, shardFiles: string[], flags: MergeFlags, io: CliIO): number {
  if (flags.format === 'tallies')
    throw new UsageError('merge prints a result; its formats are table, json, csv and markdown');
  const model = loadFileOrThrow(file);
  const shards = shardFiles.map((f): ShardRecord => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as ShardRecord;
    } catch (e) {
      throw new UsageError(`${f}: not a readable tallies file (${(e as Error).message})`);
    }
  });
  const result = estimate(model, mergeShards(model, shards));
  const drivers =
    model.alliance !== undefined && flags.drivers !== false
      ? attribute(model, { runs: Math.min(result.runs, ATTRIBUTION_RUNS), seed: result.seed })
      : undefined;
  const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
  writeOutput(
    io,
    flags,
    formatRun(drivers === undefined ? result : { ...result, drivers }, flags.format, file, colors),
  );
  return EXIT.ok;
}
