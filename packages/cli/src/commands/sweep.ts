import { type Issue, ScenarioError, type SweepDesign, sweepAsync, sweepDesign } from '@entente/core';
import { InvalidArgumentError } from 'commander';
import { createColors } from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { formatSweep, type SweepFormat } from '../format/sweep.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';
import { applySet, bindingOf, type SetFlag } from '../options.js';
import { progressFor } from '../progress.js';

/** One `--vary NAME=LOW..HIGH[:STEPS]`, and its text for the reproduce line. */
export interface VaryFlag {
  name: string;
  lo: number;
  hi: number;
  steps?: number;
  text: string;
}

export interface SweepFlags {
  vary: VaryFlag[];
  design: SweepDesign;
  points?: number;
  set?: SetFlag[];
  runs?: number;
  seed?: number | string;
  at?: number[];
  format: SweepFormat;
  out?: string;
  quiet?: boolean;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const VARY_EXAMPLE = 'turkey_weight=0.8..1.4:7';

/** `--vary NAME=LOW..HIGH[:STEPS]` (repeatable): a param, its range, and on a grid its number of values. */
export function parseVary(text: string, previous: VaryFlag[] | undefined): VaryFlag[] {
  const m = /^\s*([^=\s]+)\s*=\s*(\S+?)\.\.(\S+?)(?::(\d+))?\s*$/.exec(text);
  const lo = m && NUMBER.test(m[2]!) ? Number(m[2]) : Number.NaN;
  const hi = m && NUMBER.test(m[3]!) ? Number(m[3]) : Number.NaN;
  if (!m || !Number.isFinite(lo) || !Number.isFinite(hi))
    throw new InvalidArgumentError(
      `expected NAME=LOW..HIGH or NAME=LOW..HIGH:STEPS, such as ${VARY_EXAMPLE}`,
    );
  if (!(lo < hi)) throw new InvalidArgumentError(`${m[1]}: LOW must be below HIGH, not ${m[2]}..${m[3]}`);
  const steps = m[4] === undefined ? undefined : Number(m[4]);
  if (steps !== undefined && !(Number.isSafeInteger(steps) && steps >= 2))
    throw new InvalidArgumentError(`${m[1]}: a grid needs at least 2 steps, not ${m[4]}`);
  if (previous?.some((p) => p.name === m[1])) throw new InvalidArgumentError(`${m[1]} is varied twice`);
  return [
    ...(previous ?? []),
    { name: m[1]!, lo, hi, ...(steps === undefined ? {} : { steps }), text: text.trim().replace(/\s+/g, '') },
  ];
}

/**
 * Evaluate the primary outcome over a design of param values: each point binds the varied params at
 * run time (compiled once) and runs the same trials with the same seed, so a point is what `run --set`
 * gives there and a grid's neighbouring points have paired differences.
 */
export async function sweepCommand(file: string, flags: SweepFlags, io: CliIO): Promise<number> {
  for (const v of flags.vary) {
    if (flags.design !== 'grid' && v.steps !== undefined)
      throw new UsageError(
        `--vary ${v.text}: :STEPS is for grid designs; --design ${flags.design} takes --points`,
      );
    if (flags.set?.some((s) => s.name === v.name))
      throw new UsageError(`${v.name} is both varied (--vary) and fixed (--set); give one`);
  }
  if (flags.design === 'grid' && flags.points !== undefined)
    throw new UsageError(
      "--points is for --design lhs or sobol; a grid's points are the product of each --vary's :STEPS",
    );
  const inputs = flags.vary.map(({ name, lo, hi, steps }) => ({
    name,
    lo,
    hi,
    ...(steps === undefined ? {} : { steps }),
  }));
  const points = flags.points === undefined ? {} : { points: flags.points };
  try {
    // The design's own checks (too many grid points, too many Sobol dimensions) before any work.
    sweepDesign(inputs, flags.design, points);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  const model = applySet(loadFileOrThrow(file), flags.set, file);
  const horizon = model.plan.horizon;
  const beyond = (flags.at ?? []).find((s) => s > horizon);
  if (beyond !== undefined)
    throw new UsageError(`--at ${beyond}: the scenario's horizon is ${horizon} steps`);
  const progress = progressFor(io, flags.quiet);
  try {
    const r = await sweepAsync(model, {
      vary: inputs,
      design: flags.design,
      ...points,
      ...(flags.runs === undefined ? {} : { runs: flags.runs }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      steps: flags.at ?? [],
      onProgress: progress.onProgress,
    });
    progress.done();
    if (progress.interrupted) return progress.stopped();
    if (!r.ok) throw new ScenarioError(r.issues.map((i) => varyIssue(i, flags.vary, file)));
    const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
    const text = formatSweep(
      {
        result: r.value,
        file,
        varyFlags: flags.vary.map((v) => v.text),
        setFlags: (flags.set ?? []).map((s) => s.text),
        set: bindingOf(flags.set),
      },
      flags.format,
      colors,
    );
    writeOutput(io, flags, text);
    return EXIT.ok;
  } finally {
    progress.done();
  }
}

/** A binding problem names the `--vary` flag it came from, in the scenario file. */
function varyIssue(i: Issue, vary: readonly VaryFlag[], file: string): Issue {
  const flag = vary.find((v) => v.name === i.path[1]);
  return { ...i, file, message: `${flag ? `--vary ${flag.text}: ` : ''}${i.message}` };
}
