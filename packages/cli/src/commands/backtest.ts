import {
  type Backtest,
  type BacktestResult,
  type CompiledModel,
  defaults,
  type Issue,
  type ParsedDocument,
  parseDocument,
  type ResolvedDocument,
  resolveDocument,
  runBacktest,
  ScenarioError,
  type Simulation,
  simulateAsync,
  validateBacktest,
} from '@entente/core';
import { EXIT } from '../errors.js';
import { backtestCsv, backtestTable } from '../format/backtest.js';
import { fileLoader, writeOutput } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { defaultBacktestWorkers, simulateEpisodesInParallel } from '../parallel.js';
import { progressFor } from '../progress.js';

export interface BacktestFlags {
  runs?: number;
  seed?: number | string;
  format: 'table' | 'json' | 'csv' | 'markdown';
  out?: string;
  quiet?: boolean;
  /**
   * Worker threads, each simulating whole episodes (default: every core once episodes × runs
   * reaches 100,000, else 1). Results do not depend on it.
   */
  workers?: number;
}

type Progress = ReturnType<typeof progressFor>;

/** Forecast every episode of a backtest file with its template and score the forecasts. */
export async function backtestCommand(file: string, flags: BacktestFlags, io: CliIO): Promise<number> {
  const loaded = loadBacktest(file);
  const runs = flags.runs ?? defaults.DEFAULT_RUNS;
  const workers = flags.workers ?? defaultBacktestWorkers(runs * loaded.backtest.episodes.length);
  const progress = progressFor(io, flags.quiet);
  try {
    let result: BacktestResult;
    try {
      result = orThrow(
        await runBacktest(loaded.template, loaded.doc, loaded.backtest, {
          ...(flags.runs === undefined ? {} : { runs: flags.runs }),
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
          simulateEpisodes: (models, run) =>
            workers > 1
              ? simulateEpisodesInParallel(file, models, {
                  ...run,
                  workers,
                  onEpisodeDone: progress.onProgress,
                  onNote: (line) => {
                    if (!flags.quiet) io.stderr.write(line);
                  },
                  signal: progress.signal,
                })
              : simulateEpisodesHere(models, run, progress),
        }),
      );
    } catch (e) {
      if (progress.interrupted) return progress.stopped();
      throw e;
    }
    if (progress.interrupted) return progress.stopped();
    progress.endBar();
    const text =
      flags.format === 'json'
        ? `${JSON.stringify(result, null, 2)}\n`
        : flags.format === 'csv'
          ? backtestCsv(result)
          : backtestTable(result, file, flags.format === 'markdown');
    writeOutput(io, flags, text);
    return EXIT.ok;
  } finally {
    progress.done();
  }
}

/**
 * The episodes simulated on this thread, in order, a chunk at a time (the same tallies as
 * `simulate`), so that the progress bar redraws and Ctrl-C stops the backtest.
 */
async function simulateEpisodesHere(
  models: readonly CompiledModel[],
  run: { runs: number; seed: number | string },
  progress: Progress,
): Promise<Simulation[]> {
  const sims: Simulation[] = [];
  const total = models.length * run.runs;
  for (const [i, model] of models.entries()) {
    const sim = await simulateAsync(model, {
      ...run,
      onProgress: (done) => progress.onProgress(i * run.runs + done, total),
    });
    // Ctrl-C: the caller sees `progress.interrupted` and writes nothing.
    if (sim.stopped) throw new Error('interrupted');
    sims.push(sim);
  }
  return sims;
}

const orThrow = <T>(r: { ok: true; value: T } | { ok: false; issues: Issue[] }): T => {
  if (!r.ok) throw new ScenarioError(r.issues);
  return r.value;
};

/**
 * The backtest file and its template (with `extends`), or `otherTemplate` (a path from the current
 * directory: calibrate's --template) instead, as the commands and their worker threads load them;
 * any problem is a ScenarioError (exit 2).
 */
export function loadBacktest(
  file: string,
  otherTemplate?: string,
): {
  doc: ParsedDocument;
  backtest: Backtest;
  template: ResolvedDocument;
} {
  const doc = orThrow(fileLoader(file, undefined));
  const backtest = orThrow(validateBacktest(doc));
  const templateDoc =
    otherTemplate === undefined ? fileLoader(backtest.template, file) : fileLoader(otherTemplate, undefined);
  if (!templateDoc.ok) {
    const at = doc.locate(['template']);
    throw new ScenarioError(templateDoc.issues.map((i) => ({ ...i, ...at, path: ['template'] })));
  }
  const template = orThrow(resolveDocument(templateDoc.value, fileLoader));
  return { doc, backtest, template };
}

/** The backtest file, its template and the run, on this thread; any problem is a ScenarioError (exit 2). */
export function loadAndRun(file: string, flags: { runs?: number; seed?: number | string }): BacktestResult {
  const { doc, backtest, template } = loadBacktest(file);
  return orThrow(
    runBacktest(template, doc, backtest, {
      ...(flags.runs === undefined ? {} : { runs: flags.runs }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    }),
  );
}

// parseDocument is re-exported for callers that hold backtest text in memory.
export { parseDocument };
