import { type CompiledModel, defaults, didYouMean, SimulationError, type Trace, trace } from '@entente/core';
import { EXIT, UsageError } from '../errors.js';
import { count, value } from '../format/numbers.js';
import { loadFileOrThrow } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { progressFor } from '../progress.js';

export interface TraceFlags {
  /** The trial to replay. */
  trial?: number;
  /** Instead: the first trial (from 0) in which this outcome happened; `true` for the primary outcome. */
  firstHit?: string | true;
  /** With `firstHit`: how many trials to search (default FIRST_HIT_SEARCH). */
  runs?: number;
  seed?: number | string;
  format?: 'table' | 'json';
  /** `--json`, kept as an alias of `--format json`. */
  json?: boolean;
  quiet?: boolean;
}

/** Trials `--first-hit` searches unless `--runs` says otherwise. */
export const FIRST_HIT_SEARCH = 1_000_000;
/** Trials searched between progress updates (and Ctrl-C checks). */
const SEARCH_CHUNK = 10_000;

/** `--format` and its alias `--json`, which must not disagree. */
export function outputFormat(flags: { format?: 'table' | 'json'; json?: boolean }): 'table' | 'json' {
  if (flags.json && flags.format !== undefined && flags.format !== 'json')
    throw new UsageError(`--json is --format json: it cannot go with --format ${flags.format}`);
  return flags.json ? 'json' : (flags.format ?? 'table');
}

/**
 * One trial step by step: the same trial that `run` counted with the same seed. Values that stay
 * the same throughout the trial (params, and whatever derives only from them) are listed once; the
 * table has one column per value that changes, one per regime, and what happened at each step.
 *
 * `--first-hit [OUTCOME]` finds the trial first: the first from trial 0 in which the outcome (by
 * default the primary) happened, searching up to `--runs` trials. A trial that fails (a formula gives
 * NaN or ±∞) is printed up to the step before the failure, then the error (exit 1).
 */
export async function traceCommand(file: string, flags: TraceFlags, io: CliIO): Promise<number> {
  const format = outputFormat(flags);
  if ((flags.trial === undefined) === (flags.firstHit === undefined))
    throw new UsageError(
      flags.trial === undefined
        ? 'give --trial K (the trial to replay) or --first-hit [OUTCOME] (find the first trial in which it happened)'
        : '--trial and --first-hit do not go together: --first-hit finds the trial itself',
    );
  if (flags.runs !== undefined && flags.firstHit === undefined)
    throw new UsageError('--runs bounds the search of --first-hit; with --trial there is nothing to search');
  const model = loadFileOrThrow(file);
  const seed = flags.seed;
  let t: Trace;
  let found: string | undefined;
  if (flags.firstHit === undefined) {
    t = trace(model, { trial: flags.trial!, keepFailure: true, ...(seed === undefined ? {} : { seed }) });
  } else {
    const outcome = flags.firstHit === true ? model.scenario.primary : flags.firstHit;
    if (!model.outcomeIds.includes(outcome)) {
      const hint = didYouMean(outcome, model.outcomeIds);
      throw new UsageError(
        `--first-hit: "${outcome}" is not an outcome of ${file} (its outcomes: ${model.outcomeIds.join(', ')})${hint === undefined ? '' : `; ${hint}`}`,
      );
    }
    const limit = flags.runs ?? FIRST_HIT_SEARCH;
    const hit = await firstHit(model, outcome, limit, seed, io, flags.quiet);
    if (hit === 'interrupted') return EXIT.interrupted;
    if (hit === undefined) {
      io.stderr.write(
        `error: ${outcome} did not happen in any of trials 0 to ${count(limit - 1)} (seed ${String(seed ?? defaults.DEFAULT_SEED)})` +
          (model.evidence === undefined ? '' : ' that the evidence accepts') +
          `; search more with --runs (e.g. --runs ${limit < 1e7 ? '10m' : count(limit * 10)}), or check that the outcome can happen\n`,
      );
      return EXIT.runtime;
    }
    t = hit;
    found =
      hit.failure === undefined
        ? `the first trial (from trial 0) in which ${outcome} happened`
        : `it failed before ${outcome} happened in any trial`;
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(t, null, 2)}\n`);
  else io.stdout.write(traceTable(model, t, found));
  if (t.failure !== undefined) {
    io.stderr.write(`error: ${t.failure.message}\n`);
    return EXIT.runtime;
  }
  return EXIT.ok;
}

/**
 * The first trial in which `outcome` happened, in chunks so that a progress bar can show and Ctrl-C
 * stop a long search; a trial that fails on the way is returned, traced up to its failure.
 */
async function firstHit(
  model: CompiledModel,
  outcome: string,
  limit: number,
  seed: number | string | undefined,
  io: CliIO,
  quiet: boolean | undefined,
): Promise<Trace | undefined | 'interrupted'> {
  const progress = progressFor(io, quiet);
  const seeded = seed === undefined ? {} : { seed };
  try {
    for (let from = 0; from < limit; from += SEARCH_CHUNK) {
      const chunk = Math.min(SEARCH_CHUNK, limit - from);
      let t: Trace | undefined;
      try {
        t = trace(model, { firstHit: outcome, from, limit: chunk, ...seeded });
      } catch (e) {
        if (!(e instanceof SimulationError)) throw e;
        progress.endBar();
        return trace(model, { trial: e.where.trial, keepFailure: true, ...seeded });
      }
      if (t !== undefined) return { ...t, searched: t.trial + 1 };
      if (progress.onProgress(from + chunk, limit) === false) {
        progress.stopped();
        return 'interrupted';
      }
      if (from + chunk < limit) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    return undefined;
  } finally {
    progress.done();
  }
}

/** The trace as a table, with `found` (how the trial was chosen) in its first line. */
function traceTable(model: CompiledModel, t: Trace, found: string | undefined): string {
  const unit = model.scenario.horizon.unit;
  const first = t.steps[0];
  const names = Object.keys(first?.values ?? {});
  const varies = (n: string): boolean => t.steps.some((s) => s.values[n] !== first!.values[n]);
  const changing = names.filter(varies);
  const fixed = names.filter((n) => !varies(n));
  const regimes = Object.keys(first?.regimes ?? {});
  const lines = [
    `trial ${t.trial} of ${model.scenario.id}, seed ${String(t.seed)}${found === undefined ? '' : `: ${found}`}`,
    '',
  ];
  if (fixed.length > 0) {
    lines.push(
      t.failure === undefined ? 'constant in this trial:' : 'constant in this trial until it failed:',
    );
    const cells = fixed.map((n) => `${n} = ${value(first!.values[n]!)}`);
    for (let i = 0; i < cells.length; i += 4) lines.push(`  ${cells.slice(i, i + 4).join('   ')}`);
    lines.push('');
  }
  const width = (n: string): number => Math.max(9, n.length);
  lines.push(
    [
      unit.padStart(6),
      ...changing.map((n) => n.padStart(width(n))),
      ...regimes.map((r) => r.padEnd(Math.max(10, r.length))),
      'events, ⇒ outcomes',
    ].join(' '),
  );
  for (const s of t.steps) {
    lines.push(
      [
        String(s.step).padStart(6),
        ...changing.map((n) => value(s.values[n]!).padStart(width(n))),
        ...regimes.map((r) => s.regimes[r]!.padEnd(Math.max(10, r.length))),
        [...s.events, ...s.outcomes.map((o) => `⇒ ${o}`)].join(', '),
      ].join(' '),
    );
  }
  if (t.failure !== undefined) {
    lines.push(
      `${String(t.failure.step).padStart(6)} failed: ${t.failure.message.replace(/ at step \d+ of trial \d+$/, '')}`,
    );
  }
  lines.push(
    '',
    `first step each outcome held${t.failure === undefined ? '' : ` before the failure at ${unit} ${t.failure.step}`}: ${Object.entries(
      t.outcomes,
    )
      .map(([id, step]) => `${id} ${step ?? 'never'}`)
      .join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
