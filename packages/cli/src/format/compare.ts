import type { RunResult } from '@entente/core';
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { shellWord } from '../options.js';
import {
  count,
  interval,
  percent,
  percentDigits,
  points,
  pointsDigits,
  pointsInterval,
  units,
} from './numbers.js';
import type { Format } from './run.js';
import { sparkline } from './sparkline.js';

export interface CompareReport {
  /** The first scenario's primary outcome: the one the table leads with. */
  primary: string;
  scenarios: {
    file: string;
    result: RunResult;
    difference?: Record<string, { estimate: number; ci95: [number, number] }>;
  }[];
  /** The `--set` flags as given, for the reproduce line (not part of the JSON). */
  setFlags?: string[];
}

/**
 * The decimals of a comparison table: one for its probabilities (from their intervals) and one for
 * its differences in points (from the paired intervals), as `percentDigits` chooses them.
 */
function digitsOf(r: CompareReport): { p: number; d: number } {
  const ci = <T extends { ci95: [number, number] }>(x: T | undefined): [number, number][] =>
    x === undefined ? [] : [x.ci95];
  const p = percentDigits(r.scenarios.flatMap((s) => ci(s.result.outcomes[r.primary])));
  const d = pointsDigits(r.scenarios.flatMap((s) => ci(s.difference?.[r.primary])));
  return { p, d };
}

/** The JSON shape documented in docs/CLI.md. */
function compareJson(r: CompareReport): unknown {
  const first = r.scenarios[0]!.result;
  return {
    engine: first.engine,
    seed: first.seed,
    runs: first.runs,
    primary: r.primary,
    scenarios: r.scenarios.map((s) => ({
      file: s.file,
      scenario: s.result.scenario,
      primary: s.result.primary,
      outcomes: s.result.outcomes,
      ...(s.difference === undefined ? {} : { difference: s.difference }),
    })),
  };
}

function compareTable(r: CompareReport, c: Colors): string {
  const first = r.scenarios[0]!.result;
  const unit = first.horizon.unit;
  const table = new Table({
    head: [
      'scenario',
      `P(${r.primary} within ${first.horizon.steps} ${units(unit, first.horizon.steps)})`,
      '95% CI',
      `Δ vs ${first.scenario.id}`,
      'paired 95% CI',
      `by ${unit}, 1–${first.horizon.steps}`,
    ],
    style: { head: [], border: [], compact: true },
    colAligns: ['left', 'right', 'left', 'right', 'left', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  const digits = digitsOf(r);
  // Every curve on the same scale (the highest end), so the sparklines compare by eye.
  const top = Math.max(0, ...r.scenarios.map((s) => s.result.outcomes[r.primary]?.probability ?? 0));
  for (const s of r.scenarios) {
    const o = s.result.outcomes[r.primary];
    const d = s.difference?.[r.primary];
    table.push([
      s.result.scenario.id,
      o ? percent(o.probability, digits.p) : '—',
      o ? interval(o.ci95, digits.p) : '',
      d ? points(d.estimate, digits.d) : s.difference ? '—' : '',
      d ? pointsInterval(d.ci95, digits.d) : '',
      o
        ? sparkline(
            o.byStep.map((x) => x.probability),
            top,
          )
        : '',
    ]);
  }
  return [
    c.bold(`${r.scenarios.length} scenarios on the same ${count(first.runs)} trials (common random numbers)`),
    table.toString(),
    c.dim(
      'Δ is each scenario minus the first, on the same trials: its interval counts only the trials where they differ.',
    ),
    c.dim(`seed ${String(first.seed)} · ${first.engine.name} ${first.engine.version}`),
    c.dim(
      `reproduce: entente compare ${r.scenarios.map((s) => s.file).join(' ')} --seed ${typeof first.seed === 'string' ? JSON.stringify(first.seed) : first.seed} --runs ${first.runs}${(r.setFlags ?? []).map((s) => ` --set ${shellWord(s)}`).join('')}`,
    ),
    '',
  ].join('\n');
}

function compareCsv(r: CompareReport): string {
  const rows = [
    'scenario,outcome,probability,ci95_low,ci95_high,difference,difference_ci95_low,difference_ci95_high',
  ];
  for (const s of r.scenarios) {
    for (const [id, o] of Object.entries(s.result.outcomes)) {
      const d = s.difference?.[id];
      rows.push(
        [
          s.result.scenario.id,
          id,
          o.probability,
          o.ci95[0],
          o.ci95[1],
          d?.estimate ?? '',
          d?.ci95[0] ?? '',
          d?.ci95[1] ?? '',
        ].join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}

function compareMarkdown(r: CompareReport): string {
  const first = r.scenarios[0]!.result;
  const lines = [
    `| scenario | P(${r.primary}) | 95% CI | Δ vs ${first.scenario.id} | paired 95% CI |`,
    '|---|---:|---|---:|---|',
  ];
  const digits = digitsOf(r);
  for (const s of r.scenarios) {
    const o = s.result.outcomes[r.primary];
    const d = s.difference?.[r.primary];
    lines.push(
      `| ${s.result.scenario.id} | ${o ? percent(o.probability, digits.p) : '—'} | ${o ? interval(o.ci95, digits.p) : ''} | ${d ? points(d.estimate, digits.d) : ''} | ${d ? pointsInterval(d.ci95, digits.d) : ''} |`,
    );
  }
  lines.push(
    '',
    `<sub>${count(first.runs)} trials, seed ${String(first.seed)}, ${first.engine.name} ${first.engine.version}</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatCompare(r: CompareReport, format: Format, c: Colors): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(compareJson(r), null, 2)}\n`;
    case 'csv':
      return compareCsv(r);
    case 'markdown':
      return compareMarkdown(r);
    case 'table':
    case 'tallies':
      return compareTable(r, c);
  }
}
