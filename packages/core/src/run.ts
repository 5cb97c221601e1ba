import type { CompiledModel } from './model/compile.js';
import type { RunOptions } from './simulate/options.js';
import { simulate, simulateAsync } from './simulate/simulate.js';
import { estimate, type RunResult } from './stats/estimate.js';

/** Simulate and estimate in one call. */
export function run(model: CompiledModel, options?: RunOptions): RunResult {
  return estimate(model, simulate(model, options));
}

/** As `run`, yielding to the event loop between chunks. */
export async function runAsync(model: CompiledModel, options?: RunOptions): Promise<RunResult> {
  return estimate(model, await simulateAsync(model, options));
}
