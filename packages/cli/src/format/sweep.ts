import type { SweepPoint, SweepResult } from '@entente/core';
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { shellWord } from '../options.js';
import { count, interval, percent, units, value } from './numbers.js';

export type SweepFormat = 'table' | 'json' | 'csv';
export const SWEEP_FORMATS: readonly SweepFormat[] = ['table', 'json', 'csv'];

/** A sweep's result with what the command line said, for the reproduce line and the JSON. */
export interface SweepReport {
  result: SweepResult;
  file: string;
  /** `--vary` flags as given (`turkey_weight=0.8..1.4:7`). */
  varyFlags: string[];
  /** `--set` flags as given, and what they bound. */
  setFlags: string[];
  set: Record<string, unknown>;
}

export function formatSweep(r: SweepReport, format: SweepFormat, c: Colors): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(sweepJson(r), null, 2)}\n`;
    case 'csv':
      return sweepCsv(r.result);
    case 'table':
      return sweepTable(r, c);
  }
}

/** The JSON shape documented in docs/EXPERIMENTS.md. */
function sweepJson(r: SweepReport): unknown {
  const { stopped: _stopped, ...result } = r.result;
  return {
    ...result,
    ...(Object.keys(r.set).length > 0 ? { set: r.set } : {}),
  };
}

const points = (x: number): string => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
const pointsInterval = ([lo, hi]: [number, number]): string => `[${points(lo)}, ${points(hi)}]`;

function reproduce(r: SweepReport): string {
  const res = r.result;
  const seed = typeof res.seed === 'string' ? JSON.stringify(res.seed) : String(res.seed);
  const parts = [
    `entente sweep ${r.file}`,
    ...r.varyFlags.map((v) => `--vary ${shellWord(v)}`),
    ...(res.design === 'grid' ? [] : [`--design ${res.design} --points ${res.points.length}`]),
    ...r.setFlags.map((s) => `--set ${shellWord(s)}`),
    `--seed ${seed} --runs ${res.runs}`,
    ...(res.at.length > 0 ? [`--at ${res.at.join(',')}`] : []),
  ];
  return parts.join(' ');
}

/** The table: one row per point, the answer and its interval, P by each step of interest, Δ. */
function sweepTable(r: SweepReport, c: Colors): string {
  const res = r.result;
  const unit = res.horizon.unit;
  const names = res.inputs.map((x) => x.name);
  const paired = res.points.some((p) => p.difference !== undefined);
  const head = [
    ...names,
    `P(${res.primary})`,
    '95% CI',
    ...res.at.map((s) => `by ${unit} ${s}`),
    ...(paired ? ['Δ from previous', '95% CI'] : []),
  ];
  const table = new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: [
      ...names.map(() => 'right' as const),
      'right',
      'left',
      ...res.at.map(() => 'right' as const),
      ...(paired ? (['right', 'left'] as const) : []),
    ],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const p of res.points) {
    const d = p.difference;
    table.push([
      ...names.map((n) => value(p.values[n]!)),
      percent(p.probability),
      interval(p.ci95),
      ...p.at.map((s) => `${percent(s.probability)} ${c.dim(interval(s.ci95))}`),
      ...(paired ? (d ? [points(d.estimate), pointsInterval(d.ci95)] : ['', '']) : []),
    ]);
  }
  const n = res.points.length;
  const what =
    res.design === 'grid'
      ? `at ${n} grid point${n === 1 ? '' : 's'} of ${names.join(' × ')}`
      : `at ${n} ${res.design === 'lhs' ? 'Latin hypercube' : 'Sobol'} point${n === 1 ? '' : 's'} of ${names.join(', ')}`;
  const out = [
    c.bold(res.scenario.title),
    `${c.bold(`P(${res.primary} within ${res.horizon.steps} ${units(unit, res.horizon.steps)})`)} ${what}, each on the same ${count(res.runs)} trials`,
    ...(r.setFlags.length > 0 ? [c.dim(`with ${r.setFlags.join(', ')}`)] : []),
    '',
    table.toString(),
  ];
  if (paired) {
    out.push(
      c.dim(
        `Δ: P minus P at the previous value of ${names[names.length - 1]} (the other inputs equal), on the same trials; its interval counts only the trials where the two differ.`,
      ),
    );
  }
  out.push(
    '',
    c.dim(
      `${count(n)} points × ${count(res.runs)} trials · seed ${String(res.seed)} · scenario ${res.scenario.id} (hash ${res.scenario.hash}) · ${res.engine.name} ${res.engine.version}`,
    ),
    c.dim(`reproduce: ${reproduce(r)}`),
  );
  return `${out.join('\n')}\n`;
}

/** CSV: one row per point; differences only for grid designs (empty on the first value of a row). */
function sweepCsv(res: SweepResult): string {
  const names = res.inputs.map((x) => x.name);
  const paired = res.design === 'grid' && res.points.some((p) => p.difference !== undefined);
  const triple = (label: string) => [label, `${label}_ci95_low`, `${label}_ci95_high`];
  const head = [
    'point',
    ...names,
    ...triple('probability'),
    ...res.at.flatMap((s) => triple(`p_by_${s}`)),
    ...(paired ? [...triple('difference'), ...res.at.flatMap((s) => triple(`difference_by_${s}`))] : []),
  ];
  const row = (p: SweepPoint, i: number): string => {
    const d = p.difference;
    const blank = (k: number): string[] => new Array<string>(k).fill('');
    return [
      String(i),
      ...names.map((n) => String(p.values[n])),
      ...[p.probability, ...p.ci95].map(String),
      ...p.at.flatMap((s) => [s.probability, ...s.ci95].map(String)),
      ...(paired
        ? d
          ? [
              ...[d.estimate, ...d.ci95].map(String),
              ...d.at.flatMap((s) => [s.estimate, ...s.ci95].map(String)),
            ]
          : blank(3 * (1 + res.at.length))
        : []),
    ].join(',');
  };
  return `${[head.join(','), ...res.points.map(row)].join('\n')}\n`;
}
