import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AttributionTolerance,
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
import { toleranceText } from '../options.js';
import { resultText, rungsFor } from './run.js';

export interface MergeFlags {
  format: Format;
  out?: string;
  quiet?: boolean;
  drivers?: boolean;
  /** When attribution stops each pair of variants (`--drivers-tolerance`). */
  driversTolerance?: AttributionTolerance;
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
  // Folders and patterns (`shards/`, 'shards/*.json') become their files, in a stable order.
  const expanded = expandShardArgs(shardFiles);
  const unreadable: Issue[] = [...expanded.issues];
  for (const f of expanded.files) {
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
  const rungs = rungsFor(model, result);
  const report: RunReport = {
    ...(partial === undefined ? {} : { partial }),
    ...result,
    ...(given.length > 0 ? { givenFlags: given } : {}),
    ...(rungs === undefined ? {} : { rungs }),
    ...(flags.drivers === false || flags.driversTolerance === undefined
      ? {}
      : { toleranceFlag: toleranceText(flags.driversTolerance) }),
  };
  writeOutput(io, flags, resultText(model, report, file, flags, io));
  return EXIT.ok;
}

/**
 * Shard arguments as files: a folder gives its `*.json` files (not those in subfolders, nor hidden
 * ones), and a pattern with `*` or `?` (quoted, so that the shell leaves it alone, or where there is
 * no shell: a Kubernetes manifest's args) gives the files that match it (not folders), `*` and `?`
 * matching within one path segment as in a shell (`**` is `*`; a hidden name matches only a pattern
 * segment that starts with a dot). Each folder's and pattern's files come in natural order (`shard-2` before `shard-10`); a
 * plain path is kept as given (missing files are reported when read). A pattern that matches nothing
 * and a folder with no `.json` file are issues, not an empty set.
 */
export function expandShardArgs(args: readonly string[]): { files: string[]; issues: Issue[] } {
  const files: string[] = [];
  const issues: Issue[] = [];
  const problem = (file: string, code: string, message: string): void => {
    issues.push({ file, path: [], code, message });
  };
  for (const arg of args) {
    if (/[*?]/.test(arg) && !existsSync(arg)) {
      const matches = globPaths(arg);
      if (matches.length === 0) problem(arg, 'shard.no-match', 'no file matches this pattern');
      files.push(...matches);
    } else if (isDirectory(arg)) {
      const inside = jsonFilesIn(arg);
      if (inside.length === 0)
        problem(arg, 'shard.empty-folder', 'not a regular file, and a folder with no .json file in it');
      files.push(...inside);
    } else files.push(arg);
  }
  return { files, issues };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A folder's `*.json` files (hidden ones left out), in natural order, as paths under the folder. */
function jsonFilesIn(dir: string): string[] {
  return entries(dir)
    .filter((e) => e.name.endsWith('.json') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(naturalCompare)
    .map((name) => join(dir, name))
    .filter(isFile);
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** The paths matching a pattern whose segments may hold `*` and `?`, in natural order per segment. */
function globPaths(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  let paths: string[] = [absolute ? '/' : ''];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of paths) {
      if (!/[*?]/.test(segment)) {
        const path = base === '' ? segment : join(base, segment);
        if (last ? isFile(path) : isDirectory(path)) next.push(path);
        continue;
      }
      const re = segmentPattern(segment);
      const names = entries(base === '' ? '.' : base)
        .map((e) => e.name)
        .filter((name) => re.test(name) && (segment.startsWith('.') || !name.startsWith('.')))
        .sort(naturalCompare);
      for (const name of names) {
        const path = base === '' ? name : join(base, name);
        if (last ? isFile(path) : isDirectory(path)) next.push(path);
      }
    }
    paths = next;
  }
  return paths.filter((p) => p !== '' && p !== '/');
}

/** One path segment's pattern as a regular expression: `*` any run of characters, `?` one. */
function segmentPattern(segment: string): RegExp {
  const body = [...segment]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
    .replace(/(\.\*)+/g, '.*');
  return new RegExp(`^${body}$`, 'su');
}

/** Natural order: runs of digits compare as numbers (`shard-2` before `shard-10`), the rest by code unit. */
export function naturalCompare(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (ra.length !== rb.length) return ra.length - rb.length;
  return a < b ? -1 : a > b ? 1 : 0;
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
