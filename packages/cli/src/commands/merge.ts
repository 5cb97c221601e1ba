import { readFileSync, statSync } from 'node:fs';
import {
  checkShard,
  estimate,
  formatShardIssue,
  type Issue,
  mergeShardFiles,
  type ShardInput,
  shardShape,
} from '@entente/core';
import { EXIT, UsageError } from '../errors.js';
import type { Format, RunReport } from '../format/run.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { resultText } from './run.js';

export interface MergeFlags {
  format: Format;
  out?: string;
  quiet?: boolean;
  drivers?: boolean;
  /** Merge an incomplete set of shards; the output then says which shards it holds. */
  partial?: boolean;
  /** `--given` clauses, as the shards were run with: added to the scenario's own `given`. */
  given?: string[];
}

/** No shard file is this large (a scenario's horizon is at most 100,000 steps). */
const MAX_SHARD_BYTES = 256 * 1024 * 1024;

/**
 * Join shard files (from `run --shard K/N --format tallies`) into the result one run would give.
 * Shard files are untrusted: every file is checked (shardSchema.ts in the core) and the set must be
 * complete unless `--partial`; every problem is printed, with its file and path, and exits 2.
 */
export function mergeCommand(file: string, shardFiles: string[], flags: MergeFlags, io: CliIO): number {
  if (flags.format === 'tallies')
    throw new UsageError('merge prints a result; its formats are table, json, csv and markdown');
  // The clauses are part of the scenario (and of its hash): load it as the shards were run.
  const given = flags.given ?? [];
  const model = loadFileOrThrow(file, given);
  const inputs: ShardInput[] = [];
  const unreadable: Issue[] = [];
  for (const f of shardFiles) {
    const r = readShard(f);
    if ('issue' in r) unreadable.push(r.issue);
    else inputs.push({ file: f, data: r.data });
  }
  // With a file unreadable, the set cannot be judged: report each readable file's own problems only.
  const merged =
    unreadable.length === 0
      ? mergeShardFiles(model, inputs, { partial: flags.partial === true })
      : {
          ok: false as const,
          issues: [
            ...unreadable,
            ...inputs.flatMap((i) => {
              const r = checkShard(i.data, shardShape(model), i.file);
              return r.ok ? [] : r.issues;
            }),
          ],
        };
  if (!merged.ok) {
    for (const issue of merged.issues) io.stderr.write(`error: ${formatShardIssue(issue)}\n`);
    io.stderr.write(`${merged.issues.length} problem(s) with the shards; nothing was merged\n`);
    return EXIT.input;
  }
  const { simulation, partial } = merged.value;
  const result = estimate(model, simulation);
  if (partial !== undefined) {
    io.stderr.write(
      `warning: partial merge of shards ${partial.shards.join(',')} of ${partial.count} (${partial.runs} of ${partial.totalRuns} trials): not the result of the full run\n`,
    );
  }
  const report: RunReport = {
    ...(partial === undefined ? {} : { partial }),
    ...result,
    ...(given.length > 0 ? { givenFlags: given } : {}),
  };
  writeOutput(io, flags, resultText(model, report, file, flags, io));
  return EXIT.ok;
}

/** A shard file's JSON, or why it cannot be read: only regular files of a sane size are read. */
function readShard(f: string): { data: unknown } | { issue: Issue } {
  const problem = (code: string, message: string) => ({ issue: { file: f, path: [], code, message } });
  try {
    const stats = statSync(f);
    if (!stats.isFile()) return problem('shard.not-file', 'not a regular file');
    if (stats.size > MAX_SHARD_BYTES) {
      return problem(
        'shard.too-large',
        `${stats.size} bytes: larger than any shard file (${MAX_SHARD_BYTES})`,
      );
    }
    const text = readFileSync(f, 'utf8');
    try {
      return { data: JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) };
    } catch (e) {
      return problem('shard.json', `not JSON (${(e as Error).message})`);
    }
  } catch (e) {
    return problem('shard.unreadable', `cannot read it (${(e as Error).message})`);
  }
}
