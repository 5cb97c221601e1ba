import './quickStart.js';
import {
  type AnalysisColumn,
  type AttributionTolerance,
  analysisColumn,
  type Binding,
  bindParams,
  type CompiledModel,
  compileScenario,
  type Discordance,
  type Issue,
  pairedDiscordance,
  type Scenario,
  ScenarioError,
  type ShardRecord,
  type SweepResult,
  simulate,
  simulatePaired,
  toShard,
  validateData,
} from '@entente/core';
import { type SweepRunOptions, sweepBlock } from './commands/sweep.js';
import { type Row, tableRow } from './commands/table.js';
import { type Carried, carried } from './errors.js';
import { loadFileOrThrow } from './io.js';
import { applySet, type SetFlag } from './options.js';

/** Models this thread has compiled, by file, `--given` and `--set`: a run sends each thread several blocks. */
const compiled = new Map<string, CompiledModel>();

/** The model under `key`, made by `make` the first time this thread needs it. */
function cached(key: unknown[], make: () => CompiledModel): CompiledModel {
  const k = JSON.stringify(key);
  let model = compiled.get(k);
  if (model === undefined) {
    model = make();
    compiled.set(k, model);
  }
  return model;
}

/** A scenario file with `--set` bound, as the main thread bound it (the flags name themselves in errors). */
const withSet = (file: string, set: SetFlag[]): CompiledModel =>
  cached(['set', file, set], () => applySet(loadFileOrThrow(file), set, file));

/** A shard task's file with its `--given` and `--set`, compiled once per thread. */
const shardModel = (task: Pick<ShardTask, 'file' | 'given' | 'set'>): CompiledModel =>
  cached([task.file, task.given, task.set], () => {
    const loaded = loadFileOrThrow(task.file, task.given);
    if (Object.keys(task.set).length === 0) return loaded;
    const bound = bindParams(loaded, task.set);
    if (!bound.ok) throw new ScenarioError(bound.issues);
    return bound.value;
  });

/** One worker thread's task: a contiguous block of trials of a scenario file. */
export interface ShardTask {
  file: string;
  /** `--given` clauses, added to the file's own. */
  given: readonly string[];
  /** `--set` values, bound after loading, as the main thread bound them. */
  set: Binding;
  seed: number | string;
  firstTrial: number;
  runs: number;
}

/**
 * What a block sends back: its tallies, or the user-facing error it stopped on (a formula's NaN, a
 * scenario problem) as data, so that the main thread can report it exactly as one thread would.
 */
export type ShardReply = { ok: true; shard: ShardRecord } | Carried;

/**
 * Load the scenario (each thread compiles its own copy; functions cannot cross threads) and return
 * the block's tallies. The main thread merges them exactly, so the result does not depend on the
 * number of workers. Anything else thrown is a bug and crosses the boundary as piscina clones it.
 */
export default function runShardTask(task: ShardTask): ShardReply {
  try {
    const model = shardModel(task);
    const sim = simulate(model, { seed: task.seed, firstTrial: task.firstTrial, runs: task.runs });
    return { ok: true, shard: toShard(model, sim) };
  } catch (e) {
    return carried(e);
  }
}

/**
 * Another task kind (`{ name: 'prepareTask' }`): load and compile a scenario file, as `runShardTask`
 * would for its first block, while the main thread is still loading it (parallel.ts, prestartRun).
 * A problem is not reported here: the main thread reports it, or the first block meets it again.
 */
export function prepareTask(task: Omit<ShardTask, 'seed' | 'firstTrial' | 'runs'>): boolean {
  try {
    shardModel(task);
    return true;
  } catch {
    return false;
  }
}

/**
 * Another task kind (run with `{ name: 'pairTask' }`; parallel.ts, attributionPairs): a block of
 * trials of a pair of variants of one scenario, for driver attribution. The scenario arrives as
 * plain data (attribution's held scenario: every contribution can be held by binding two params);
 * the thread validates and compiles it once, then binds each variant, which costs microseconds.
 */
export interface PairTask {
  /** A valid core scenario, as data. */
  scenario: Scenario;
  /** Its fingerprint: this thread compiles each scenario once. */
  hash: string;
  /** The two variants, as bindings of the scenario's params. */
  low: Binding;
  high: Binding;
  /** The outcome whose discordant trials are counted. */
  outcome: string;
  seed: number | string;
  firstTrial: number;
  /** 0: only compile the scenario (a warm-up while the main thread tracks the contributions). */
  runs: number;
}

/** The block's discordant counts (only `low`: n10; only `high`: n01), or the error it stopped on. */
export type PairReply = { ok: true; n10: number; n01: number } | Carried;

/** Held scenarios this thread has compiled, by hash. */
const heldModels = new Map<string, CompiledModel>();

/** A pair task's scenario, validated and compiled once per worker thread. */
function heldModel(task: Pick<PairTask, 'scenario' | 'hash'>): CompiledModel {
  let model = heldModels.get(task.hash);
  if (model === undefined) {
    model = compileHeld(task);
    heldModels.set(task.hash, model);
  }
  return model;
}

/** A pair task's scenario, validated and compiled. */
export function compileHeld(task: Pick<PairTask, 'scenario'>): CompiledModel {
  const valid = validateData(task.scenario);
  if (!valid.ok) throw new ScenarioError(valid.issues);
  const compiled = compileScenario(valid.value);
  if (!compiled.ok) throw new ScenarioError(compiled.issues);
  return compiled.value;
}

/** The pair's two variants: the held model with each binding, bound at run time. */
export function pairVariants(model: CompiledModel, task: Pick<PairTask, 'low' | 'high'>): CompiledModel[] {
  return [task.low, task.high].map((b) => {
    const bound = bindParams(model, b);
    if (!bound.ok) throw new ScenarioError(bound.issues);
    return bound.value;
  });
}

/** Discordant trials of two variants on an outcome, over a block of trials. */
export function discordant(
  variants: readonly CompiledModel[],
  block: Pick<PairTask, 'outcome' | 'seed' | 'firstTrial' | 'runs'>,
): { n10: number; n01: number } {
  return pairedDiscordance(variants, block.outcome, block);
}

export function pairTask(task: PairTask): PairReply {
  try {
    const model = heldModel(task);
    if (task.runs === 0) return { ok: true, n10: 0, n01: 0 };
    return { ok: true, ...discordant(pairVariants(model, task), task) };
  } catch (e) {
    return carried(e);
  }
}

/**
 * A third task kind (run with `{ name: 'rowTask' }`; parallel.ts, tableRowsInParallel): one whole
 * row of `entente table` — load the file, bind `--set`, run it and attribute its drivers — exactly
 * as the main thread would on its own.
 */
export interface RowTask {
  file: string;
  set: SetFlag[];
  runs?: number;
  seed?: number | string;
  /** Top drivers to keep (0: no attribution). */
  drivers: number;
  /** When attribution stops each pair of variants (`--drivers-tolerance`; default ATTRIBUTION_TOLERANCE). */
  tolerance?: AttributionTolerance;
}

export type RowReply = { ok: true; row: Row } | Carried;

export function rowTask(task: RowTask): RowReply {
  try {
    const loaded = loadFileOrThrow(task.file);
    return { ok: true, row: tableRow(task.file, loaded, applySet(loaded, task.set, task.file), task) };
  } catch (e) {
    return carried(e);
  }
}

/**
 * A fourth task kind (run with `{ name: 'comparedTask' }`; parallel.ts, compareInParallel): a block
 * of trials of several scenarios on the same trials, for `entente compare`. Each scenario's tallies
 * come back as a shard; the discordant counts, integers, add up across blocks.
 */
export interface ComparedTask {
  files: string[];
  set: SetFlag[];
  seed: number | string;
  firstTrial: number;
  runs: number;
}

/** Each scenario's tallies over the block, and the discordant counts against the first. */
export interface ComparedResult {
  shards: ShardRecord[];
  discordance: Record<string, Discordance>[];
}

export function comparedTask(task: ComparedTask): ({ ok: true } & ComparedResult) | Carried {
  try {
    const models = task.files.map((file) => withSet(file, task.set));
    const paired = simulatePaired(models, { seed: task.seed, firstTrial: task.firstTrial, runs: task.runs });
    return {
      ok: true,
      shards: paired.simulations.map((sim, i) => toShard(models[i]!, sim)),
      discordance: paired.discordance,
    };
  } catch (e) {
    return carried(e);
  }
}

/**
 * A fifth task kind (run with `{ name: 'sweepTask' }`; parallel.ts, sweepInParallel): block K of N
 * of a sweep's design points, computed as `sweep --shard K/N` computes it (commands/sweep.ts,
 * sweepBlock), so the blocks join into exactly the whole sweep.
 */
export interface SweepTask {
  file: string;
  set: SetFlag[];
  options: Omit<SweepRunOptions, 'onProgress'>;
  shard: { index: number; count: number };
}

export type SweepReply = { ok: true; result: SweepResult } | { ok: false; issues: Issue[] } | Carried;

export async function sweepTask(task: SweepTask): Promise<SweepReply> {
  try {
    const model = withSet(task.file, task.set);
    const r = await sweepBlock(model, { ...task.options, onProgress: () => undefined }, task.shard);
    return r.ok ? { ok: true, result: r.value } : { ok: false, issues: r.issues };
  } catch (e) {
    return carried(e);
  }
}

/**
 * Another task kind (run with `{ name: 'columnTask' }`; parallel.ts, columnsInParallel): a block of
 * trials of one column of a sensitivity analysis, `analysisColumn` of the file's model.
 */
export interface ColumnTask {
  file: string;
  /** The analysis's `--inputs` and `--output`, resolved against the model on this thread too. */
  inputs?: string[];
  output?: string;
  column: AnalysisColumn;
  seed: number | string;
  firstTrial: number;
  runs: number;
}

export type ColumnReply = { ok: true; y: Float64Array } | Carried;

export function columnTask(task: ColumnTask): ColumnReply {
  try {
    const model = cached([task.file], () => loadFileOrThrow(task.file));
    const options = {
      ...(task.inputs === undefined ? {} : { inputs: task.inputs }),
      ...(task.output === undefined ? {} : { output: task.output }),
    };
    return { ok: true, y: analysisColumn(model, options, task.column, task) };
  } catch (e) {
    return carried(e);
  }
}
