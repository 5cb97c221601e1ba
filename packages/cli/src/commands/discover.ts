import {
  DISCOVERY_RUNS,
  type DiscoverOptions,
  defaults,
  discover,
  discoveryIssues,
  parseWhere,
  type WhereClause,
} from '@entente/core';
import { InvalidArgumentError } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { discoveryCsv, discoveryTable } from '../format/discover.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import type { CliIO } from '../io-streams.js';

export interface DiscoverFlags {
  runs?: number;
  seed?: number | string;
  outcome?: string;
  where?: WhereClause;
  alpha?: number;
  threshold?: number;
  minSupport?: number;
  /** `--no-paste` sets it to false. */
  paste?: boolean;
  inputs?: string[];
  format: 'table' | 'json' | 'csv';
  out?: string;
  quiet?: boolean;
}

/** `--where "NAME > 0.5"` (also >=, <, <=). */
export function parseWhereFlag(text: string): WhereClause {
  const w = parseWhere(text);
  if (w === undefined)
    throw new InvalidArgumentError('expected a reported value compared with a number, such as "tie < 0.5"');
  return w;
}

/** `--inputs a,b,c`. */
export function parseInputs(text: string): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected random params, comma-separated');
  return names;
}

/** A share strictly between 0 and `hi` (`--alpha`, `--min-support`), or in (0, 1] for `--threshold`. */
export function parseShare(hi: number, closed = false): (text: string) => number {
  return (text) => {
    const x = Number(text);
    if (!(x > 0 && (closed ? x <= hi : x < hi)))
      throw new InvalidArgumentError(`expected a number above 0 and ${closed ? 'at most' : 'below'} ${hi}`);
    return x;
  };
}

/** PRIM on the trials' inputs: where in input space the outcome concentrates. */
export function discoverCommand(file: string, flags: DiscoverFlags, io: CliIO): number {
  const model = loadFileOrThrow(file);
  const runs = flags.runs ?? DISCOVERY_RUNS;
  const seed = flags.seed ?? defaults.DEFAULT_SEED;
  const options: DiscoverOptions = {
    runs,
    seed,
    ...(flags.outcome === undefined ? {} : { outcome: flags.outcome }),
    ...(flags.where === undefined ? {} : { where: flags.where }),
    ...(flags.alpha === undefined ? {} : { alpha: flags.alpha }),
    ...(flags.threshold === undefined ? {} : { threshold: flags.threshold }),
    ...(flags.minSupport === undefined ? {} : { minSupport: flags.minSupport }),
    ...(flags.paste === false ? { paste: false } : {}),
    ...(flags.inputs === undefined ? {} : { inputs: flags.inputs }),
  };
  // Every mistake is reported before a trial is played (and before the line that announces them).
  const issues = discoveryIssues(model, options);
  if (issues.length > 0)
    throw new UsageError(
      issues.map((i) => `${i.message}${i.suggestion ? `; ${i.suggestion}` : ''}`).join('\nerror: '),
    );
  if (!flags.quiet) io.stderr.write(`playing ${runs.toLocaleString('en-US')} trials and peeling…\n`);
  const r = discover(model, options);
  if (!r.ok) throw new UsageError(r.issues.map((i) => i.message).join('\nerror: '));
  const d = r.value;
  const text =
    flags.format === 'json'
      ? `${JSON.stringify(d, null, 2)}\n`
      : flags.format === 'csv'
        ? discoveryCsv(d)
        : discoveryTable(d, file, reproduce(file, flags, runs, seed));
  writeOutput(io, flags, text);
  return EXIT.ok;
}

/** The command line that gives this discovery again. */
function reproduce(file: string, f: DiscoverFlags, runs: number, seed: number | string): string {
  const parts = ['entente discover', file, '--runs', String(runs), '--seed', JSON.stringify(seed)];
  if (typeof seed === 'number') parts[parts.length - 1] = String(seed);
  if (f.outcome !== undefined) parts.push('--outcome', f.outcome);
  if (f.where !== undefined)
    parts.push('--where', JSON.stringify(`${f.where.report} ${f.where.op} ${f.where.value}`));
  if (f.inputs !== undefined) parts.push('--inputs', f.inputs.join(','));
  if (f.alpha !== undefined) parts.push('--alpha', String(f.alpha));
  if (f.minSupport !== undefined) parts.push('--min-support', String(f.minSupport));
  if (f.threshold !== undefined) parts.push('--threshold', String(f.threshold));
  if (f.paste === false) parts.push('--no-paste');
  return parts.join(' ');
}
