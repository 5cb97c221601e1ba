import { drive } from '../drive.js';
import type { CompiledModel } from '../model/compile.js';
import { bindParams } from './bind.js';
import {
  outputColumn,
  type Resolved,
  resolveAnalysis,
  type SensitivityOptions,
  type Ticker,
  ticker,
} from './sensitivity.js';
import { redrawSites } from './trials.js';

/**
 * One column of a sensitivity analysis: the output of trials 0 … runs − 1 of the model with some
 * params bound to numbers (`bind`: a tornado's end, a Morris point), or with some of its sites drawn
 * from other streams (`redraw`, `salt`: a Sobol matrix, `redrawSites`), or as it is.
 */
export interface AnalysisColumn {
  readonly bind?: Readonly<Record<string, number>>;
  readonly redraw?: { readonly params?: readonly string[]; readonly aleatory?: boolean };
  /** Which independent streams `redraw` draws from. @defaultValue 1 */
  readonly salt?: number;
}

/**
 * Computes an analysis's columns elsewhere (worker threads): `run` resolves to one column per spec,
 * in order, each the output of trials 0 … runs − 1 with `seed` (`analysisColumn` computes any block
 * of one). Each number depends only on its trial and column, so any split into blocks gives the
 * same columns.
 */
export interface ColumnRunner {
  run(
    columns: readonly AnalysisColumn[],
    options: {
      runs: number;
      seed: number | string;
      /** For progress: the analysis's trials played before these columns, and its trials in all. */
      done?: number;
      total?: number;
    },
  ): Promise<Float64Array[]>;
  /** Columns are given `run` about this many trials' worth at a time. @defaultValue COLUMN_BATCH_TRIALS */
  readonly batchTrials?: number;
}

/**
 * A runner is given at most this many trials' worth of columns at a time (16 MB of outputs), so an
 * analysis that reduces each column as it comes (Morris to its mean, a tornado's pair of ends to its
 * bar) holds about that much, not every column: Morris's 130 columns at --runs 1,000,000 would be 1 GB.
 */
export const COLUMN_BATCH_TRIALS = 2_000_000;

/** The model a column plays: bound, then redrawn. */
function columnModel(model: CompiledModel, column: AnalysisColumn): CompiledModel {
  let m = model;
  if (column.bind !== undefined) {
    const bound = bindParams(m, column.bind);
    if (!bound.ok) throw new Error(`internal: an analysis column does not bind: ${bound.issues[0]?.message}`);
    m = bound.value;
  }
  return column.redraw === undefined ? m : redrawSites(m, column.redraw, column.salt ?? 1);
}

/**
 * The output of trials `firstTrial` … `firstTrial + runs − 1` in one column: what a ColumnRunner
 * computes for a block. `options` are the analysis's (inputs, output), resolved against `model`.
 */
export function analysisColumn(
  model: CompiledModel,
  options: Pick<SensitivityOptions, 'inputs' | 'output'>,
  column: AnalysisColumn,
  block: { seed: number | string; firstTrial: number; runs: number },
): Float64Array {
  const resolved = resolveAnalysis(model, options);
  if (!resolved.ok) throw new RangeError(`analysisColumn: ${resolved.issues[0]?.message}`);
  const none: Ticker = {
    *tick() {
      yield;
    },
  };
  return drive(
    outputColumn(
      columnModel(model, column),
      resolved.value.read,
      block.runs,
      block.seed,
      none,
      block.firstTrial,
    ),
  );
}

/**
 * The columns `specs` of an analysis, each given to `use` with its index, in order, as it is ready
 * (`use` keeps what it needs): from `o.columns` when given, in batches of about COLUMN_BATCH_TRIALS
 * (each yielded as a promise, for `driveAsync`), else one at a time on this thread, ticking `o`'s
 * progress over every trial.
 */
export function* eachColumn(
  model: CompiledModel,
  read: Resolved['read'],
  specs: readonly AnalysisColumn[],
  runs: number,
  seed: number | string,
  o: SensitivityOptions & { columns?: ColumnRunner },
  use: (y: Float64Array, k: number) => void,
): Generator<unknown, void, unknown> {
  const runner = o.columns;
  if (runner === undefined) {
    const t = ticker(runs * specs.length, o);
    for (const [k, c] of specs.entries())
      use(yield* outputColumn(columnModel(model, c), read, runs, seed, t), k);
    return;
  }
  const batch = Math.max(1, Math.floor((runner.batchTrials ?? COLUMN_BATCH_TRIALS) / runs));
  const total = runs * specs.length;
  for (let first = 0; first < specs.length; first += batch) {
    const part = specs.slice(first, first + batch);
    const ys = (yield runner.run(part, { runs, seed, done: runs * first, total })) as Float64Array[];
    if (ys.length !== part.length)
      throw new Error(`internal: ${part.length} columns asked, ${ys.length} given`);
    for (const [j, y] of ys.entries()) use(y, first + j);
  }
}

/** @deprecated The name before tornado and Morris columns: use AnalysisColumn. */
export type SobolColumn = AnalysisColumn;

/** @deprecated The name before tornado and Morris columns: use analysisColumn. */
export const sobolColumn = analysisColumn;
