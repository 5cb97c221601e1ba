import {
  type BacktestResult,
  type Issue,
  parseDocument,
  resolveDocument,
  runBacktest,
  ScenarioError,
  validateBacktest,
} from '@entente/core';
import { EXIT } from '../errors.js';
import { backtestCsv, backtestTable } from '../format/backtest.js';
import { fileLoader, writeOutput } from '../io.js';
import type { CliIO } from '../io-streams.js';

export interface BacktestFlags {
  runs?: number;
  seed?: number | string;
  format: 'table' | 'json' | 'csv' | 'markdown';
  out?: string;
  quiet?: boolean;
}

/** Forecast every episode of a backtest file with its template and score the forecasts. */
export function backtestCommand(file: string, flags: BacktestFlags, io: CliIO): number {
  const result = loadAndRun(file, flags);
  const text =
    flags.format === 'json'
      ? `${JSON.stringify(result, null, 2)}\n`
      : flags.format === 'csv'
        ? backtestCsv(result)
        : backtestTable(result, file, flags.format === 'markdown');
  writeOutput(io, flags, text);
  return EXIT.ok;
}

/** The backtest file, its template (with `extends`), and the run; any problem is a ScenarioError (exit 2). */
export function loadAndRun(file: string, flags: { runs?: number; seed?: number | string }): BacktestResult {
  const orThrow = <T>(r: { ok: true; value: T } | { ok: false; issues: Issue[] }): T => {
    if (!r.ok) throw new ScenarioError(r.issues);
    return r.value;
  };
  const doc = orThrow(fileLoader(file, undefined));
  const backtest = orThrow(validateBacktest(doc));
  const templateDoc = fileLoader(backtest.template, file);
  if (!templateDoc.ok) {
    const at = doc.locate(['template']);
    throw new ScenarioError(templateDoc.issues.map((i) => ({ ...i, ...at, path: ['template'] })));
  }
  const template = orThrow(resolveDocument(templateDoc.value, fileLoader));
  return orThrow(
    runBacktest(template, doc, backtest, {
      ...(flags.runs === undefined ? {} : { runs: flags.runs }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    }),
  );
}

// parseDocument is re-exported for callers that hold backtest text in memory.
export { parseDocument };
