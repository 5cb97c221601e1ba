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
    options: { runs: number; seed: number | string },
  ): Promise<Float64Array[]>;
}

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
 * The columns `specs` of an analysis, in order: from `o.columns` when given (yielded as a promise,
 * for `driveAsync`), else on this thread, ticking `o`'s progress over every trial.
 */
export function* columnsOf(
  model: CompiledModel,
  read: Resolved['read'],
  specs: readonly AnalysisColumn[],
  runs: number,
  seed: number | string,
  o: SensitivityOptions & { columns?: ColumnRunner },
): Generator<unknown, Float64Array[], unknown> {
  const y: Float64Array[] = [];
  if (o.columns !== undefined) y.push(...((yield o.columns.run(specs, { runs, seed })) as Float64Array[]));
  else {
    const t = ticker(runs * specs.length, o);
    for (const c of specs) y.push(yield* outputColumn(columnModel(model, c), read, runs, seed, t));
  }
  if (y.length !== specs.length)
    throw new Error(`internal: ${specs.length} columns asked, ${y.length} given`);
  return y;
}
