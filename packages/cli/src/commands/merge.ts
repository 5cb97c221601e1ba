import { readFileSync } from 'node:fs';
import { estimate, mergeShards, type ShardRecord } from '@entente/core';
import { EXIT, UsageError } from '../errors.js';
import type { Format } from '../format/run.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { resultText } from './run.js';

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
  writeOutput(io, flags, resultText(model, estimate(model, mergeShards(model, shards)), file, flags, io));
  return EXIT.ok;
}
