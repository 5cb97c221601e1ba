import type { BacktestScores, CalibrationResult } from '@entente/core';
import { value } from './numbers.js';
import { boxTable, markdownTable } from './tables.js';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(3));

function scoreRow(label: string, s: BacktestScores | null | undefined): string[] {
  if (s === null || s === undefined) return [label, '—', '—', '—', '—', '—'];
  return [
    label,
    f3(s.brier),
    f3(s.baseRate?.skill ?? null),
    f3(s.logScore),
    f3(s.survival.mean),
    f3(s.discrimination.auc),
  ];
}

/** Fitted values with intervals, then in-sample next to cross-validated (and out-of-time) scores. */
export function calibrationTable(r: CalibrationResult, file: string, markdown = false): string {
  const fitted = r.free.map((p) => [
    p.name,
    value(r.fitted[p.name]!),
    `${value(r.intervals[p.name]![0])} – ${value(r.intervals[p.name]![1])}`,
    `${p.lo}..${p.hi}`,
  ]);
  const scores = [
    scoreRow('in-sample (fitted on every episode)', r.inSample),
    scoreRow(
      r.crossValidated ? `cross-validated (${r.crossValidated.folds} folds)` : 'cross-validated (not run)',
      r.crossValidated?.scores,
    ),
    ...(r.outOfTime
      ? [
          scoreRow(
            `out-of-time (fit ≤ ${r.outOfTime.trainUntil}: ${r.outOfTime.trained}; scored: ${r.outOfTime.tested})`,
            r.outOfTime.scores,
          ),
        ]
      : []),
  ];
  const scoreHead = ['', 'Brier', 'skill vs base rate', 'log score', 'survival LL / episode', 'AUC'];
  const footer = `${r.evaluations} evaluations · ${r.runs} trials per episode per evaluation · seed ${String(r.seed)} · ${file}`;
  if (markdown) {
    return `${[
      markdownTable(['param', 'fitted', '≈95% interval', 'searched'], fitted),
      '',
      markdownTable(scoreHead, scores),
      '',
      `<sub>${footer}</sub>`,
    ].join('\n')}\n`;
  }
  return `${[
    `Fitted by maximum simulated survival likelihood (log-likelihood ${r.logLikelihood.toFixed(2)})`,
    boxTable(['param', 'fitted', '≈95% interval', 'searched'], fitted),
    'Scores: always read cross-validated next to in-sample',
    boxTable(scoreHead, scores),
    footer,
  ].join('\n')}\n`;
}
