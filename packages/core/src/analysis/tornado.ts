import { DEFAULT_SEED, Z95 } from '../defaults.js';
import { ok, type Result } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { type AnalysisColumn, type ColumnRunner, eachColumn } from './columns.js';
import {
  drive,
  driveAsync,
  mean,
  resolveAnalysis,
  type SensitivityInput,
  type SensitivityOptions,
  type SensitivityOutput,
  TORNADO_HIGH,
  TORNADO_LOW,
  TORNADO_RUNS,
} from './sensitivity.js';

export interface TornadoOptions extends SensitivityOptions {
  /** The low end, as a percentile of each param. @defaultValue TORNADO_LOW (0.1) */
  low?: number;
  /** The high end. @defaultValue TORNADO_HIGH (0.9) */
  high?: number;
  /**
   * Where the columns (the baseline, then each input's low and high end) are computed (worker
   * threads); on this thread when absent. `tornadoAsync` only. The same result either way.
   */
  columns?: ColumnRunner;
}

/** One end of a bar: the params' values there and the output's estimate. */
export interface TornadoEnd {
  values: Record<string, number>;
  estimate: number;
}

export interface TornadoBar extends SensitivityInput {
  low: TornadoEnd;
  high: TornadoEnd;
  /** high − low, on the same trials. */
  difference: number;
  /** Paired 95% interval of the difference. */
  ci95: [number, number];
}

export interface TornadoResult {
  method: 'tornado';
  output: SensitivityOutput;
  /** Trials per end (and for the baseline). */
  runs: number;
  trials: number;
  seed: number | string;
  low: number;
  high: number;
  /** The output's estimate with every param as in the scenario, on the same trials. */
  baseline: number;
  /** One per input, by decreasing |difference|. */
  bars: TornadoBar[];
}

/**
 * A tornado: the output with each input held at its 10th and at its 90th percentile (bound at run
 * time; every other param drawn as in the scenario), on the same trials, with the paired difference
 * and its 95% interval (SE from the per-trial differences: only the trials where the two ends differ
 * carry information). An input that stands for several params sets each to that percentile.
 * Costs (2k + 1)·runs trials.
 */
export function tornado(model: CompiledModel, options: TornadoOptions = {}): Result<TornadoResult> {
  if (options.columns !== undefined)
    throw new TypeError('tornado runs its columns on this thread: use tornadoAsync for options.columns');
  return drive(tornadoWork(model, options));
}

/** As `tornado`, giving the event loop a turn between chunks of trials. The same result. */
export function tornadoAsync(
  model: CompiledModel,
  options: TornadoOptions = {},
): Promise<Result<TornadoResult>> {
  return driveAsync(tornadoWork(model, options));
}

function* tornadoWork(
  model: CompiledModel,
  o: TornadoOptions,
): Generator<unknown, Result<TornadoResult>, unknown> {
  const resolved = resolveAnalysis(model, o);
  if (!resolved.ok) return resolved;
  const { inputs, output, read } = resolved.value;
  const runs = o.runs ?? TORNADO_RUNS;
  const seed = o.seed ?? DEFAULT_SEED;
  const lo = o.low ?? TORNADO_LOW;
  const hi = o.high ?? TORNADO_HIGH;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError('runs must be a positive integer');
  if (!(lo > 0 && lo < hi && hi < 1)) throw new RangeError('percentiles must satisfy 0 < low < high < 1');
  const plan = model.plan;
  const samplers = new Map(plan.params.map((q) => [plan.slotNames[q.slot]!, q.sampler]));
  const at = (input: SensitivityInput, q: number): Record<string, number> =>
    Object.fromEntries(input.params.map((name) => [name, samplers.get(name)!.quantile(q)]));
  // The columns: the baseline, then each input's low and high end, on the same trials.
  const ends = inputs.map((input) => ({ low: at(input, lo), high: at(input, hi) }));
  const specs: AnalysisColumn[] = [{}, ...ends.flatMap((e) => [{ bind: e.low }, { bind: e.high }])];
  let baseline = Number.NaN;
  let low: Float64Array | undefined;
  const bars: TornadoBar[] = [];
  const bound = output.kind === 'outcome' ? 1 : Number.POSITIVE_INFINITY;
  // Each input's bar from its two ends, as soon as both are in: only the low end waits for its pair.
  yield* eachColumn(model, read, specs, runs, seed, o, (y, k) => {
    if (k === 0) baseline = mean(y);
    else if (k % 2 === 1) low = y;
    else {
      const j = k / 2 - 1;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < runs; i++) {
        const d = y[i]! - low![i]!;
        sum += d;
        squares += d * d;
      }
      const difference = sum / runs;
      const se = Math.sqrt(Math.max(0, squares / runs - difference * difference) / runs);
      bars.push({
        ...inputs[j]!,
        low: { values: ends[j]!.low, estimate: mean(low!) },
        high: { values: ends[j]!.high, estimate: mean(y) },
        difference,
        ci95: [Math.max(-bound, difference - Z95 * se), Math.min(bound, difference + Z95 * se)],
      });
      low = undefined;
    }
  });
  bars.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || a.name.localeCompare(b.name));
  return ok({
    method: 'tornado',
    output,
    runs,
    trials: (2 * inputs.length + 1) * runs,
    seed,
    low: lo,
    high: hi,
    baseline,
    bars,
  });
}
