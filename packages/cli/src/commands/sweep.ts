import { readFileSync, statSync } from 'node:fs';
import {
  bindParams,
  type CompiledModel,
  canonicalJson,
  defaults,
  ENGINE_VERSION,
  EvidenceError,
  fail,
  fingerprint,
  formatShardIssue,
  type Issue,
  MAX_SHARDS,
  MAX_SWEEP_POINTS,
  ok,
  type Result,
  runAsync,
  ScenarioError,
  SHARD_FORMAT,
  SimulationError,
  type SweepDesign,
  type SweepInput,
  type SweepPoint,
  type SweepResult,
  shardRange,
  sweepAsync,
  sweepDesign,
} from '@entente/core';
import { InvalidArgumentError } from 'commander';
import { createColors } from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { formatSweep, type SweepFormat } from '../format/sweep.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';
import { applySet, bindingOf, type SetFlag } from '../options.js';
import { capWorkers, defaultWorkers, sweepInParallel } from '../parallel.js';
import { progressFor } from '../progress.js';
import { resolveShard, type Shard } from '../shardEnv.js';
import { expandShardArgs } from './merge.js';

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
  /**
   * Evaluate only block K of N of the design's points (contiguous blocks) and write them as JSON for
   * `entente merge-sweep`; `auto`: K and N from the batch system's environment.
   */
  shard?: Shard | 'auto';
  /** Threads (`--workers`): blocks of design points; by default every core from 100,000 trials in all. */
  workers?: number;
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
  if (flags.shard !== undefined && flags.format !== 'json')
    throw new UsageError(
      '--shard writes a block of design points as JSON for `entente merge-sweep`: give --format json',
    );
  const inputs = flags.vary.map(({ name, lo, hi, steps }) => ({
    name,
    lo,
    hi,
    ...(steps === undefined ? {} : { steps }),
  }));
  const points = flags.points === undefined ? {} : { points: flags.points };
  let totalPoints: number;
  try {
    // The design's own checks (too many grid points, too many Sobol dimensions) before any work.
    totalPoints = sweepDesign(inputs, flags.design, points).values.length;
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  // --shard auto: K and N from the batch system (a usage error, exit 2, when none is found).
  const shard = resolveShard(flags.shard, io.env, flags.quiet ? undefined : (line) => io.stderr.write(line));
  const model = applySet(loadFileOrThrow(file), flags.set, file);
  const horizon = model.plan.horizon;
  const beyond = (flags.at ?? []).find((s) => s > horizon);
  if (beyond !== undefined)
    throw new UsageError(`--at ${beyond}: the scenario's horizon is ${horizon} steps`);
  const progress = progressFor(io, flags.quiet);
  try {
    const options = {
      vary: inputs,
      design: flags.design,
      ...points,
      ...(flags.runs === undefined ? {} : { runs: flags.runs }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      steps: flags.at ?? [],
      onProgress: progress.onProgress,
    };
    const runs = flags.runs ?? defaults.DEFAULT_RUNS;
    const capped =
      shard === undefined && totalPoints > 1
        ? capWorkers(flags.workers ?? defaultWorkers(runs * totalPoints))
        : { workers: 1 };
    if (capped.note !== undefined && !flags.quiet) io.stderr.write(capped.note);
    const threads = Math.min(capped.workers, totalPoints);
    const r =
      shard !== undefined
        ? await sweepBlock(model, options, shard)
        : threads > 1
          ? await sweepInParallel(
              {
                file,
                set: flags.set ?? [],
                options: withoutProgress(options),
                shard: { index: 0, count: 1 },
              },
              Math.min(totalPoints, threads * 4),
              threads,
              { onBlockDone: (done, total) => progress.onProgress(done, total), signal: progress.signal },
            )
          : await sweepAsync(model, options);
    progress.done();
    if (progress.interrupted) return progress.stopped();
    if (!r.ok) throw new ScenarioError(r.issues.map((i) => varyIssue(i, flags.vary, file)));
    const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
    const report = {
      result: r.value,
      file,
      varyFlags: flags.vary.map((v) => v.text),
      setFlags: (flags.set ?? []).map((s) => s.text),
      set: bindingOf(flags.set),
    };
    const text =
      shard === undefined
        ? formatSweep(report, flags.format, colors)
        : shardJson(formatSweep(report, 'json', colors), shard, totalPoints, report);
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

// ─── Sharded sweeps ─────────────────────────────────────────────────────────────────────────────
//
// `sweep --shard K/N` evaluates block K of N of the design's points (contiguous, as `run --shard`
// splits trials) and writes the sweep's JSON for those points, with a `shard` field; `merge-sweep`
// joins the blocks into exactly the JSON (or table, or CSV) of the whole sweep. Every point runs the
// same trials whatever its block, so only the grid's paired differences need care: the difference
// at a point is measured from its predecessor in its grid row, which may lie in the previous block.

/** What `sweepAsync` is given by `sweep`. */
export interface SweepRunOptions {
  vary: SweepInput[];
  design: SweepDesign;
  points?: number;
  runs?: number;
  seed?: number | string;
  steps: number[];
  onProgress: (done: number, total: number) => boolean | undefined;
}

/**
 * Block `shard` of the design's points, each bit for bit what the whole sweep gives there, computed by
 * the core's own sweep so that nothing is re-implemented:
 *
 * - the result's header (and every check the whole sweep makes first) from a sweep stopped after
 *   one trial;
 * - lhs and sobol points (no differences) one at a time, each run on the model bound to its values;
 * - grid points row segment by row segment (the other inputs bound, the last one swept): a segment
 *   that starts its row is the row's own sweep, stopped after the segment; a segment that starts
 *   mid-row needs the point before it, so it is either the row's sweep from its start, or a
 *   two-point sweep (previous value, this value) per point, whichever runs fewer points.
 */
export async function sweepBlock(
  model: CompiledModel,
  options: SweepRunOptions,
  shard: Shard,
): Promise<Result<SweepResult>> {
  const { onProgress, ...rest } = options;
  const head = await sweepAsync(model, { ...rest, chunkSize: 1, onProgress: () => false });
  if (!head.ok) return head;
  const h = head.value;
  const plan = sweepDesign(h.inputs, h.design, {
    ...(rest.points === undefined ? {} : { points: rest.points }),
    seed: h.seed,
  });
  const { firstTrial: first, runs: count } = shardRange(shard.index, shard.count, plan.values.length);
  const names = h.inputs.map((x) => x.name);
  const valuesAt = (p: number): Record<string, number> =>
    Object.fromEntries(names.map((name, j) => [name, plan.values[p]![j]!]));
  const runs = h.runs;
  const common = { runs, seed: h.seed, firstTrial: h.firstTrial };
  const points: SweepPoint[] = [];
  let interrupted = false;
  let base = 0;
  let planned = 1;
  const tick = (done: number): boolean | undefined => {
    if (onProgress(Math.min(base + done, planned), planned) === false) interrupted = true;
    return interrupted ? false : undefined;
  };
  const stopped = (): Result<SweepResult> => ok({ ...h, points, stopped: true });

  if (h.design !== 'grid') {
    planned = count * runs;
    for (let p = first; p < first + count; p++) {
      const values = valuesAt(p);
      const bound = bindParams(model, values);
      if (!bound.ok) return fail(bound.issues);
      let r: Awaited<ReturnType<typeof runAsync>>;
      try {
        r = await runAsync(bound.value, { ...common, onProgress: (done) => tick(done) });
      } catch (e) {
        if (interrupted) return stopped();
        throw atPoint(e, values);
      }
      if (interrupted) return stopped();
      const primary = r.outcomes[r.primary]!;
      points.push({
        values,
        hits: primary.hits,
        probability: primary.probability,
        ci95: primary.ci95,
        at: h.at.map((step) => {
          const s = primary.byStep[step - 1]!;
          return { step, probability: s.probability, ci95: s.ci95 };
        }),
      });
      base += runs;
    }
    return ok({ ...h, points, stopped: false });
  }

  const d = names.length;
  const last = h.inputs[d - 1]!;
  const width = last.steps!;
  const segments: { row: number; i0: number; i1: number; pairs: boolean }[] = [];
  for (let p = first; p < first + count; ) {
    const row = Math.floor(p / width);
    const i0 = p - row * width;
    const i1 = Math.min(width - 1, first + count - 1 - row * width);
    const pairs =
      i0 > 0 && 2 * (i1 - i0 + 1) < i1 + 1 && pairsExact(plan.values, row * width, i0, i1, d, last);
    segments.push({ row, i0, i1, pairs });
    p = row * width + i1 + 1;
  }
  planned = segments.reduce((n, s) => n + (s.pairs ? 2 * (s.i1 - s.i0 + 1) : s.i1 + 1) * runs, 0);
  /** A point of a sub-sweep as the whole sweep has it: all its values, its difference's global index. */
  const place = (pt: SweepPoint, p: number, from: number): SweepPoint => {
    if (pt.values[last.name] !== plan.values[p]![d - 1])
      throw new Error(`sweep block: point ${p} was evaluated at ${last.name}=${pt.values[last.name]}`);
    return {
      ...pt,
      values: valuesAt(p),
      ...(pt.difference === undefined ? {} : { difference: { ...pt.difference, from } }),
    };
  };
  for (const seg of segments) {
    const start = seg.row * width;
    const outer = Object.fromEntries(names.slice(0, -1).map((name, j) => [name, plan.values[start]![j]!]));
    const bound = d === 1 ? ok(model) : bindParams(model, outer);
    if (!bound.ok) return fail(bound.issues);
    const m = bound.value;
    const sub = { ...common, design: 'grid' as const, steps: h.at };
    try {
      if (seg.pairs) {
        for (let i = seg.i0; i <= seg.i1; i++) {
          const lo = plan.values[start + i - 1]![d - 1]!;
          const hi = plan.values[start + i]![d - 1]!;
          const r = await sweepAsync(m, {
            ...sub,
            vary: [{ name: last.name, lo, hi, steps: 2 }],
            onProgress: (done) => tick(done),
          });
          if (interrupted) return stopped();
          if (!r.ok) return fail(r.issues);
          points.push(place(r.value.points[1]!, start + i, start + i - 1));
          base += 2 * runs;
        }
      } else {
        // The row's own sweep, stopped at the first chunk past the segment's last point.
        const upTo = (seg.i1 + 1) * runs;
        const early = seg.i1 < width - 1;
        const r = await sweepAsync(m, {
          ...sub,
          vary: [last],
          ...(early ? { chunkSize: Math.max(1, Math.ceil(runs / 8)) } : {}),
          onProgress: (done) => (done > upTo ? false : tick(done)),
        });
        if (interrupted) return stopped();
        if (!r.ok) return fail(r.issues);
        const got = r.value.points;
        if (got.length < seg.i1 + 1) throw new Error(`sweep block: row ${seg.row} stopped early`);
        for (let i = seg.i0; i <= seg.i1; i++) {
          const pt = got[i]!;
          points.push(place(pt, start + i, start + (pt.difference?.from ?? 0)));
        }
        base += upTo;
      }
    } catch (e) {
      if (interrupted) return stopped();
      // The sub-sweep names only the last input's value: name the point as the whole sweep does.
      throw d === 1 ? e : widenAtPoint(e, outer);
    }
  }
  return ok({ ...h, points, stopped: false });
}

/**
 * Whether two-point sweeps (previous value, this value) give exactly the row's values: the core
 * rounds a grid's first value, so each previous value must survive that rounding unchanged.
 */
function pairsExact(
  values: readonly number[][],
  start: number,
  i0: number,
  i1: number,
  d: number,
  last: SweepInput,
): boolean {
  for (let i = i0; i <= i1; i++) {
    const lo = values[start + i - 1]![d - 1]!;
    const hi = values[start + i]![d - 1]!;
    try {
      const two = sweepDesign([{ name: last.name, lo, hi, steps: 2 }], 'grid').values;
      if (two[0]![0] !== lo || two[1]![0] !== hi) return false;
    } catch {
      return false;
    }
  }
  return true;
}

const valueWords = (values: Record<string, number>): string =>
  Object.entries(values)
    .map(([name, v]) => `${name}=${v}`)
    .join(', ');

/** The options a worker thread is sent: everything but the progress callback. */
function withoutProgress(options: SweepRunOptions): Omit<SweepRunOptions, 'onProgress'> {
  const { onProgress: _, ...rest } = options;
  return rest;
}

/** A run-time error at a design point says which point, as the whole sweep says it. */
function atPoint(e: unknown, values: Record<string, number>): unknown {
  const where = valueWords(values);
  if (e instanceof SimulationError) return new SimulationError(`at ${where}: ${e.message}`, e.where);
  if (e instanceof EvidenceError) return new EvidenceError(`at ${where}: ${e.message}`, e.ruledOut, e.runs);
  return e;
}

/** `at last=v: …` from a row's sweep becomes `at a=1, b=2, last=v: …`. */
function widenAtPoint(e: unknown, outer: Record<string, number>): unknown {
  const widen = (message: string): string =>
    message.startsWith('at ') ? `at ${valueWords(outer)}, ${message.slice(3)}` : message;
  if (e instanceof SimulationError) return new SimulationError(widen(e.message), e.where);
  if (e instanceof EvidenceError) return new EvidenceError(widen(e.message), e.ruledOut, e.runs);
  return e;
}

/** What a sweep shard file adds to the sweep's JSON, under `shard`. */
interface SweepShardMeta {
  index: number;
  count: number;
  /** The block's first point (0-based) and the number of points of the whole design. */
  firstPoint: number;
  totalPoints: number;
  /** The flags as given, for the table's reproduce line after the merge. */
  varyFlags: string[];
  setFlags: string[];
  /** Of the whole file without this field (canonical JSON): a file changed after it was written is refused. */
  checksum: string;
}

/** The checksum of a sweep shard's contents, its own `shard.checksum` left out. */
function sweepShardChecksum(data: Record<string, unknown>): string {
  const shard = data.shard as Record<string, unknown>;
  return fingerprint(canonicalJson({ ...data, shard: { ...shard, checksum: undefined } }));
}

/** The block's JSON: the sweep's JSON for its points, and a `shard` field saying which block it is. */
function shardJson(
  json: string,
  shard: Shard,
  totalPoints: number,
  flags: { varyFlags: string[]; setFlags: string[] },
): string {
  const data = JSON.parse(json) as Record<string, unknown>;
  const meta: Omit<SweepShardMeta, 'checksum'> & { checksum?: string } = {
    index: shard.index,
    count: shard.count,
    firstPoint: shardRange(shard.index, shard.count, totalPoints).firstTrial,
    totalPoints,
    varyFlags: flags.varyFlags,
    setFlags: flags.setFlags,
  };
  data.shard = meta;
  meta.checksum = sweepShardChecksum(data);
  return `${JSON.stringify(data, null, 2)}\n`;
}

// ─── merge-sweep ────────────────────────────────────────────────────────────────────────────────

export interface MergeSweepFlags {
  format: SweepFormat;
  out?: string;
  quiet?: boolean;
}

/** A sweep shard file as checked: the sweep's JSON for its block, and the block. */
interface SweepShard {
  file: string;
  data: Record<string, unknown> & {
    scenario: { id: string; title: string; hash: string };
    design: SweepDesign;
    inputs: SweepInput[];
    seed: number | string;
    points: SweepPoint[];
    set?: Record<string, unknown>;
    shard: SweepShardMeta;
  };
}

/** No sweep shard file is this large (10,000 points with a few steps of interest are a few MB). */
const MAX_SWEEP_SHARD_BYTES = 256 * 1024 * 1024;

/**
 * Join the blocks of a sharded sweep (`sweep --shard K/N --format json`) into what the whole sweep
 * prints, bit for bit, in any of its formats. Shard files are untrusted: each is checked (its engine
 * version, its checksum, its shape), then the set (one sweep, of this scenario with its --set values,
 * the design's points in each block, every block once); every problem is printed and exits 2.
 */
export function mergeSweepCommand(file: string, args: string[], flags: MergeSweepFlags, io: CliIO): number {
  const model = loadFileOrThrow(file);
  const expanded = expandShardArgs(args);
  const issues: Issue[] = [...expanded.issues];
  const shards: SweepShard[] = [];
  for (const f of expanded.files) {
    const read = readJsonFile(f);
    if ('issue' in read) {
      issues.push(read.issue);
      continue;
    }
    const checked = checkSweepShard(read.data, f);
    if (checked.length > 0) issues.push(...checked);
    else shards.push({ file: f, data: read.data as SweepShard['data'] });
  }
  if (issues.length === 0) issues.push(...checkSweepSet(model, file, shards));
  if (issues.length > 0) {
    for (const issue of issues) io.stderr.write(`error: ${formatShardIssue(issue)}\n`);
    io.stderr.write(`${issues.length} problem(s) with the sweep shards; nothing was merged\n`);
    return EXIT.input;
  }
  const ordered = [...shards].sort((a, b) => a.data.shard.index - b.data.shard.index);
  const ref = ordered[0]!.data;
  const merged = ordered.flatMap((s) => s.data.points);
  // The whole sweep's result: the shards' header, field by field in their order, with every point.
  const result = Object.fromEntries(
    Object.entries(ref)
      .filter(([k]) => k !== 'shard' && k !== 'set')
      .map(([k, v]) => [k, k === 'points' ? merged : v]),
  ) as unknown as SweepResult;
  result.stopped = false;
  const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
  const text = formatSweep(
    {
      result,
      file,
      varyFlags: ref.shard.varyFlags,
      setFlags: ref.shard.setFlags,
      set: ref.set ?? {},
    },
    flags.format,
    colors,
  );
  writeOutput(io, flags, text);
  return EXIT.ok;
}

/** A file's JSON, or why it cannot be read: only regular files of a sane size are read. */
function readJsonFile(f: string): { data: unknown } | { issue: Issue } {
  const problem = (code: string, message: string) => ({ issue: { file: f, path: [], code, message } });
  try {
    const stats = statSync(f);
    if (!stats.isFile()) return problem('sweep-shard.not-file', 'not a regular file');
    if (stats.size > MAX_SWEEP_SHARD_BYTES)
      return problem('sweep-shard.too-large', `${stats.size} bytes: larger than any sweep shard file`);
    const text = readFileSync(f, 'utf8');
    try {
      return { data: JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) };
    } catch (e) {
      return problem('sweep-shard.json', `not JSON (${(e as Error).message})`);
    }
  } catch (e) {
    return problem('sweep-shard.unreadable', `cannot read it (${(e as Error).message})`);
  }
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const shown = (x: unknown): string => {
  const text = JSON.stringify(x) ?? String(x);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** One sweep shard file's own problems (none: it can be merged, as far as it alone can tell). */
function checkSweepShard(data: unknown, file: string): Issue[] {
  const issues: Issue[] = [];
  const bad = (path: (string | number)[], message: string): void => {
    issues.push({ file, path, code: 'sweep-shard', message });
  };
  if (!isObject(data)) {
    bad([], 'not a sweep shard: not a JSON object');
    return issues;
  }
  if (data.format === SHARD_FORMAT) {
    bad([], 'a tallies shard of `entente run`, not of a sweep: join those with `entente merge`');
    return issues;
  }
  const shard = data.shard;
  if (!isObject(shard)) {
    bad(
      [],
      'not a sweep shard (no "shard" field): write the blocks with `entente sweep … --shard K/N --format json`',
    );
    return issues;
  }
  const engine = data.engine;
  if (!isObject(engine) || typeof engine.version !== 'string') {
    bad(['engine'], 'no engine version: not written by `entente sweep --shard`');
    return issues;
  }
  if (engine.version !== ENGINE_VERSION) {
    bad(
      ['engine', 'version'],
      `written by entente ${engine.version}, and this is ${ENGINE_VERSION}: a shard is merged only by the version that wrote it (re-run it, or merge with that version)`,
    );
    return issues;
  }
  if (typeof shard.checksum !== 'string' || shard.checksum !== sweepShardChecksum(data)) {
    bad(
      ['shard', 'checksum'],
      'the checksum does not match the contents: the file was changed after it was written',
    );
    return issues;
  }
  // The shape, field by field (a checksum only shows that the file is as some writer left it).
  const whole = (
    x: unknown,
    path: (string | number)[],
    min: number,
    max = Number.MAX_SAFE_INTEGER,
  ): boolean => {
    const good = typeof x === 'number' && Number.isSafeInteger(x) && x >= min && x <= max;
    if (!good) bad(path, `expected a whole number from ${min} to ${max}, not ${shown(x)}`);
    return good;
  };
  const within = (x: unknown, path: (string | number)[], lo: number, hi: number): void => {
    if (!(typeof x === 'number' && x >= lo && x <= hi))
      bad(path, `expected a number from ${lo} to ${hi}, not ${shown(x)}`);
  };
  const interval = (x: unknown, path: (string | number)[], lo: number, hi: number): void => {
    if (
      !(
        Array.isArray(x) &&
        x.length === 2 &&
        x.every((v) => typeof v === 'number' && v >= lo && v <= hi) &&
        x[0] <= x[1]
      )
    )
      bad(path, `expected an interval [low, high] within [${lo}, ${hi}], not ${shown(x)}`);
  };
  const text = (x: unknown, path: (string | number)[]): void => {
    if (typeof x !== 'string') bad(path, `expected a string, not ${shown(x)}`);
  };
  const texts = (x: unknown, path: (string | number)[]): void => {
    if (!(Array.isArray(x) && x.every((v) => typeof v === 'string')))
      bad(path, `expected a list of strings, not ${shown(x)}`);
  };
  if (whole(shard.count, ['shard', 'count'], 1, MAX_SHARDS) && whole(shard.index, ['shard', 'index'], 0))
    if ((shard.index as number) >= (shard.count as number))
      bad(['shard', 'index'], `shard ${shard.index} of ${shard.count}: expected 0 ≤ index < count`);
  whole(shard.totalPoints, ['shard', 'totalPoints'], 1, MAX_SWEEP_POINTS);
  whole(shard.firstPoint, ['shard', 'firstPoint'], 0, MAX_SWEEP_POINTS);
  texts(shard.varyFlags, ['shard', 'varyFlags']);
  texts(shard.setFlags, ['shard', 'setFlags']);
  const scenario = data.scenario;
  if (isObject(scenario)) for (const k of ['id', 'title', 'hash']) text(scenario[k], ['scenario', k]);
  else bad(['scenario'], `expected the scenario's id, title and hash, not ${shown(scenario)}`);
  text(data.primary, ['primary']);
  const horizon = data.horizon;
  let steps = 0;
  if (isObject(horizon) && whole(horizon.steps, ['horizon', 'steps'], 1)) steps = horizon.steps as number;
  if (isObject(horizon)) text(horizon.unit, ['horizon', 'unit']);
  else bad(['horizon'], `expected the horizon, not ${shown(horizon)}`);
  if (!['grid', 'lhs', 'sobol'].includes(data.design as string))
    bad(['design'], `expected grid, lhs or sobol, not ${shown(data.design)}`);
  const inputs = data.inputs;
  const names: string[] = [];
  if (!(Array.isArray(inputs) && inputs.length > 0))
    bad(['inputs'], `expected the inputs varied, not ${shown(inputs)}`);
  else
    inputs.forEach((x, i) => {
      if (!isObject(x) || typeof x.name !== 'string') {
        bad(['inputs', i], `expected an input, not ${shown(x)}`);
        return;
      }
      names.push(x.name);
      within(x.lo, ['inputs', i, 'lo'], -Number.MAX_VALUE, Number.MAX_VALUE);
      within(x.hi, ['inputs', i, 'hi'], -Number.MAX_VALUE, Number.MAX_VALUE);
      if (x.steps !== undefined) whole(x.steps, ['inputs', i, 'steps'], 2, MAX_SWEEP_POINTS);
    });
  if (!(typeof data.seed === 'string' || (typeof data.seed === 'number' && Number.isSafeInteger(data.seed))))
    bad(['seed'], `expected a seed, not ${shown(data.seed)}`);
  whole(data.runs, ['runs'], 1);
  whole(data.firstTrial, ['firstTrial'], 0);
  const at = data.at;
  if (!Array.isArray(at)) bad(['at'], `expected the steps of interest, not ${shown(at)}`);
  else for (const [i, step] of at.entries()) whole(step, ['at', i], 1, Math.max(1, steps));
  if (data.set !== undefined && !isObject(data.set))
    bad(['set'], `expected the --set values, not ${shown(data.set)}`);
  const atSteps = Array.isArray(at) ? at : [];
  if (!Array.isArray(data.points)) bad(['points'], `expected the block's points, not ${shown(data.points)}`);
  else
    data.points.forEach((pt, i) => {
      const path = ['points', i];
      if (!isObject(pt)) {
        bad(path, `expected a point, not ${shown(pt)}`);
        return;
      }
      const values = pt.values;
      if (
        !isObject(values) ||
        Object.keys(values).length !== names.length ||
        !names.every((n) => typeof values[n] === 'number' && Number.isFinite(values[n]))
      )
        bad(
          [...path, 'values'],
          `expected a value of each input (${names.join(', ')}), not ${shown(values)}`,
        );
      within(pt.hits, [...path, 'hits'], 0, Number.MAX_SAFE_INTEGER);
      within(pt.probability, [...path, 'probability'], 0, 1);
      interval(pt.ci95, [...path, 'ci95'], 0, 1);
      const byStep = (
        list: unknown,
        where: (string | number)[],
        each: (x: Record<string, unknown>, p: (string | number)[]) => void,
      ): void => {
        if (!(Array.isArray(list) && list.length === atSteps.length)) {
          bad(where, `expected one entry per step of interest (${atSteps.length}), not ${shown(list)}`);
          return;
        }
        list.forEach((x, j) => {
          if (!isObject(x) || x.step !== atSteps[j]) {
            bad([...where, j], `expected step ${atSteps[j]}, not ${shown(x)}`);
            return;
          }
          each(x, [...where, j]);
        });
      };
      byStep(pt.at, [...path, 'at'], (x, p) => {
        within(x.probability, [...p, 'probability'], 0, 1);
        interval(x.ci95, [...p, 'ci95'], 0, 1);
      });
      const diff = pt.difference;
      if (diff !== undefined) {
        if (!isObject(diff)) {
          bad([...path, 'difference'], `expected a difference, not ${shown(diff)}`);
          return;
        }
        whole(diff.from, [...path, 'difference', 'from'], 0, MAX_SWEEP_POINTS);
        within(diff.estimate, [...path, 'difference', 'estimate'], -1, 1);
        interval(diff.ci95, [...path, 'difference', 'ci95'], -1, 1);
        byStep(diff.at, [...path, 'difference', 'at'], (x, p) => {
          within(x.estimate, [...p, 'estimate'], -1, 1);
          interval(x.ci95, [...p, 'ci95'], -1, 1);
        });
      }
    });
  return issues;
}

/**
 * The set's problems: one sweep (the same header, seed, runs, design and flags in every file), of
 * this scenario with the shards' --set values, each block holding the design's points of its block
 * (and differences from their grid predecessors), and every block of the N given exactly once.
 */
function checkSweepSet(model: CompiledModel, scenarioFile: string, shards: readonly SweepShard[]): Issue[] {
  const issues: Issue[] = [];
  const setIssue = (code: string, message: string, file?: string, path: (string | number)[] = []): void => {
    issues.push({ ...(file === undefined ? {} : { file }), path, code, message });
  };
  if (shards.length === 0) {
    setIssue('sweep-shard.none', 'no sweep shard files given');
    return issues;
  }
  const ref = shards[0]!;
  const identity = (s: SweepShard): Record<string, string> => {
    const { points: _points, shard, ...head } = s.data;
    return Object.fromEntries(
      [
        ...Object.entries(head),
        ['shard.count', shard.count],
        ['shard.totalPoints', shard.totalPoints],
        ['shard.varyFlags', shard.varyFlags],
        ['shard.setFlags', shard.setFlags],
      ].map(([k, v]) => [k as string, canonicalJson(v)]),
    );
  };
  const mine = identity(ref);
  for (const s of shards.slice(1)) {
    const theirs = identity(s);
    const differ = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter(
      (k) => mine[k] !== theirs[k],
    );
    if (differ.length > 0)
      setIssue(
        'sweep-shard.mixed',
        `not a block of the same sweep as ${ref.file}: ${differ.join(', ')} differ${differ.length === 1 ? 's' : ''}`,
        s.file,
      );
  }
  if (issues.length > 0) return issues;
  const d = ref.data;
  // Of this scenario, with the --set values the shards were run with.
  const bound = bindParams(model, (d.set ?? {}) as Parameters<typeof bindParams>[1]);
  if (!bound.ok) {
    for (const i of bound.issues)
      setIssue('sweep-shard.set', `--set ${i.path[1]}: ${i.message}`, ref.file, ['set']);
    return issues;
  }
  if (bound.value.hash !== d.scenario.hash || model.scenario.id !== d.scenario.id)
    setIssue(
      'sweep-shard.scenario',
      `a sweep of another scenario (${d.scenario.id}, hash ${d.scenario.hash}); ${scenarioFile}${d.set === undefined ? '' : ' with the shards’ --set values'} is ${model.scenario.id}, hash ${bound.value.hash}`,
      ref.file,
      ['scenario'],
    );
  let plan: ReturnType<typeof sweepDesign>;
  try {
    plan = sweepDesign(d.inputs, d.design, {
      ...(d.design === 'grid' ? {} : { points: d.shard.totalPoints }),
      seed: d.seed,
    });
  } catch (e) {
    setIssue('sweep-shard.design', `not a design a sweep makes: ${(e as Error).message}`, ref.file, [
      'inputs',
    ]);
    return issues;
  }
  const total = plan.values.length;
  if (total !== d.shard.totalPoints)
    setIssue('sweep-shard.design', `the design has ${total} points, not ${d.shard.totalPoints}`, ref.file, [
      'shard',
      'totalPoints',
    ]);
  if (issues.length > 0) return issues;
  const names = d.inputs.map((x) => x.name);
  const count = d.shard.count;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const { index, firstPoint } = s.data.shard;
    const block = shardRange(index, count, total);
    const n = s.data.points.length;
    if (firstPoint !== block.firstTrial || n !== block.runs) {
      setIssue(
        'sweep-shard.block',
        `shard ${index} of ${count} holds ${pointsWords(block.firstTrial, block.runs)} of ${total}, but this file has ${pointsWords(firstPoint, n)}`,
        s.file,
        ['shard'],
      );
      continue;
    }
    s.data.points.forEach((pt, i) => {
      const p = firstPoint + i;
      if (!names.every((name, j) => pt.values[name] === plan.values[p]![j]))
        setIssue(
          'sweep-shard.point',
          `not the design's point ${p} (${names.map((name, j) => `${name}=${plan.values[p]![j]}`).join(', ')})`,
          s.file,
          ['points', i, 'values'],
        );
      const from = pt.difference?.from;
      if (from !== undefined && from !== plan.previous[p])
        setIssue(
          'sweep-shard.point',
          `a difference from point ${from}, but point ${p} ${plan.previous[p] === undefined ? 'has no predecessor' : `follows point ${plan.previous[p]}`}`,
          s.file,
          ['points', i, 'difference', 'from'],
        );
    });
    const other = seen.get(index);
    if (other !== undefined)
      setIssue('sweep-shard.duplicate', `shard ${index} of ${count} is given twice (${other} and ${s.file})`);
    else seen.set(index, s.file);
  }
  const missing: number[] = [];
  for (let k = 0; k < count; k++) if (!seen.has(k)) missing.push(k);
  if (missing.length > 0) {
    const blocks = missing.map((k) => {
      const b = shardRange(k, count, total);
      return b.runs === 0
        ? `shard ${k}: no points`
        : `${b.firstTrial}${b.runs === 1 ? '' : ` to ${b.firstTrial + b.runs - 1}`}`;
    });
    setIssue(
      'sweep-shard.incomplete',
      `incomplete set: missing shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} (points ${blocks.join(', ')} of ${total} are missing); merge every shard`,
    );
  }
  return issues;
}

const pointsWords = (first: number, n: number): string =>
  n === 0 ? 'no points' : n === 1 ? `point ${first}` : `points ${first} to ${first + n - 1}`;
