import { type Driver, defaults, type PartialMerge, type RungShares, type RunResult } from '@entente/core';
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { shellWord } from '../options.js';
import { evidenceTable } from './evidence.js';
import {
  count,
  curveSteps,
  interval,
  percent,
  percentDigits,
  points,
  pointsDigits,
  pointsInterval,
  units,
  valueFormat,
} from './numbers.js';
import { rungsMarkdown, rungsTable } from './rungs.js';
import { sparkline } from './sparkline.js';

export type Format = 'table' | 'json' | 'csv' | 'markdown' | 'tallies';

/** A run's result, with drivers when the scenario uses the alliance vocabulary; `partial` from `merge --partial`. */
export type RunReport = RunResult & {
  drivers?: Driver[];
  partial?: PartialMerge;
  givenFlags?: string[];
  /** `--set` flags as given (`h=0.1`), for the reproduce line only: JSON carries the result, which is the edited file's. */
  setFlags?: string[];
  /** `--drivers-tolerance` as given, for the reproduce line only. */
  toleranceFlag?: string;
  /** Each deciding actor's share of trials on each rung at every step (scenarios with strategic actors). */
  rungs?: { runs: number; actors: RungShares[] };
};
export const FORMATS: readonly Format[] = ['table', 'json', 'csv', 'markdown'];

/** The reproduce line every human-readable result ends with (a partial merge: the merge, not a run). */
function reproduce(r: RunReport, file: string): string {
  const seed = typeof r.seed === 'string' ? JSON.stringify(r.seed) : String(r.seed);
  const flags =
    (r.givenFlags ?? []).map((g) => ` --given ${JSON.stringify(g)}`).join('') +
    (r.setFlags ?? []).map((s) => ` --set ${shellWord(s)}`).join('') +
    (r.toleranceFlag === undefined ? '' : ` --drivers-tolerance ${r.toleranceFlag}`);
  if (r.partial !== undefined) {
    return `entente merge ${file} <shards ${r.partial.shards.join(',')} of ${r.partial.count}> --partial${flags}`;
  }
  return `entente run ${file} --seed ${seed} --runs ${r.runs}${flags}`;
}

/** `PARTIAL: shards 1,3 of 4 — 20,000 of 40,000 trials`, or undefined for a whole run. */
function partialLine(r: RunReport): string | undefined {
  const p = r.partial;
  return (
    p &&
    `PARTIAL: shards ${p.shards.join(',')} of ${p.count} — ${count(p.runs)} of ${count(p.totalRuns)} trials`
  );
}

/** The table: the answer first, then the curve, time to event, other outcomes, values, footer. */
export function runTable(r: RunReport, file: string, c: Colors): string {
  const out: string[] = [];
  const primary = r.outcomes[r.primary]!;
  const unit = r.horizon.unit;
  const partial = partialLine(r);
  if (partial !== undefined) out.push(c.bold(c.yellow(partial)));
  out.push(c.bold(r.scenario.title));
  // The answer and the curve are one table: the answer is its last row.
  const shown = curveSteps(r.horizon.steps).map((s) => primary.byStep[s - 1]!);
  const d = percentDigits([primary.ci95, ...shown.map((e) => e.ci95)]);
  // The curve by step as a one-line chart, scaled to its end: its shape (early, steady, late) at a glance.
  const spark = sparkline(primary.byStep.map((s) => s.probability));
  out.push(
    `${c.bold(`P(${primary.label ?? r.primary} within ${r.horizon.steps} ${units(unit, r.horizon.steps)})`)} = ${c.bold(percent(primary.probability, d))}  ${c.dim(`95% CI ${interval(primary.ci95, d)}`)}  ${spark} ${c.dim(`${unit} 1–${r.horizon.steps}`)}`,
  );
  out.push('');
  const curve = new Table({
    head: [unit, `P(${r.primary} by ${unit})`, '95% CI'],
    style: { head: [], border: [], compact: true },
    colAligns: ['right', 'right', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const e of shown) curve.push([String(e.step), percent(e.probability, d), interval(e.ci95, d)]);
  out.push(curve.toString());
  const t = primary.timeToEvent;
  if (t.median !== null) {
    out.push(
      `Time to ${r.primary} (trials where it happened): median ${t.median} ${units(unit, t.median)}, 10–90%: ${t.p10}–${t.p90}; ` +
        (primary.medianTime === null
          ? `fewer than half of all trials reach it within the horizon.`
          : `half of all trials reach it by ${unit} ${primary.medianTime}.`),
    );
  } else out.push(`${r.primary} did not happen in any trial.`);
  const examples = examplesLine(r, file);
  if (examples !== undefined) out.push(c.dim(examples));

  if (r.drivers !== undefined && r.drivers.length > 0) {
    out.push(
      '',
      c.bold(`Drivers of ${r.primary}`) +
        c.dim(' (effect: P at the 90th minus the 10th percentile of the input, same trials)'),
    );
    out.push(driversTable(r.drivers));
  }
  const others = Object.entries(r.outcomes).filter(([id]) => id !== r.primary);
  if (others.length > 0) {
    out.push('', c.bold('Other outcomes (by the horizon)'));
    const od = percentDigits(others.map(([, o]) => o.ci95));
    const width = Math.max(...others.map(([, o]) => percent(o.probability, od).length));
    for (const [id, o] of others)
      out.push(
        `  ${id.padEnd(24)} ${percent(o.probability, od).padStart(width)}  ${c.dim(interval(o.ci95, od))}`,
      );
  }
  if (r.rungs !== undefined) out.push('', rungsTable(r.rungs.actors, r.rungs.runs, unit, c));
  const values = Object.entries(r.values);
  if (values.length > 0) {
    out.push('', c.bold(`Values at ${unit} ${r.horizon.steps}`));
    const table = new Table({
      head: ['', 'mean', 'sd', 'p5', 'p50', 'p95'],
      style: { head: [], border: [], compact: true },
      colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const [name, v] of values) table.push([name, ...valueCells(v)]);
    out.push(table.toString());
  }
  if (r.evidence !== undefined) out.push('', evidenceTable(r.evidence, r.runs, c));
  if (r.precision) {
    out.push(
      '',
      r.precision.reached
        ? `Precision target ±${r.precision.target} reached (±${r.precision.halfWidth.toFixed(4)}).`
        : c.yellow(
            `Precision target ±${r.precision.target} NOT reached: ±${r.precision.halfWidth.toFixed(4)} after ${count(r.runs)} trials (the cap).`,
          ),
    );
  }
  out.push(
    '',
    c.dim(
      `${count(r.runs)} trials · seed ${String(r.seed)} · scenario ${r.scenario.id} (hash ${r.scenario.hash}) · ${r.engine.name} ${r.engine.version}`,
    ),
    c.dim(`reproduce: ${reproduce(r, file)}`),
  );
  return `${out.join('\n')}\n`;
}

/** One value's row: mean, sd, p5, p50, p95, all with the same decimals (the row is one variable, in its own units). */
function valueCells(v: RunResult['values'][string]): string[] {
  const cells = [v.mean, v.sd, v.quantiles.p5!, v.quantiles.p50!, v.quantiles.p95!];
  const f = valueFormat([...cells, v.min, v.max]);
  return cells.map(f);
}

/**
 * `Trials where cooled happened: 3, 17, 22 (replay one: entente trace FILE --trial 3)`, or undefined
 * when the run lists none; `code` wraps the command (Markdown's backticks).
 */
function examplesLine(r: RunReport, file: string, code = (s: string) => s): string | undefined {
  const examples = r.examples;
  if (examples === undefined || examples.length === 0) return undefined;
  const list = `Trials where ${r.primary} happened: ${examples.join(', ')}`;
  // trace replays the file as written: with --set the trials are another model's.
  if ((r.setFlags ?? []).length > 0) return list;
  const seed =
    r.seed === defaults.DEFAULT_SEED
      ? ''
      : ` --seed ${typeof r.seed === 'string' ? JSON.stringify(r.seed) : r.seed}`;
  return `${list} (replay one: ${code(`entente trace ${file} --trial ${examples[0]}${seed}`)})`;
}

/** A driver whose contribution is the same in every trial (its 10th and 90th percentiles agree). */
export const isFixed = (d: Driver): boolean => d.low === d.high;
/** What a fixed driver's effect column says instead of `0.0 pts`. */
export const FIXED = 'fixed in this scenario';

function driversTable(drivers: Driver[]): string {
  const table = new Table({
    head: ['', 'kind', 'contribution', 'effect', '95% CI', 'trials'],
    style: { head: [], border: [], compact: true },
    colAligns: ['left', 'left', 'right', 'right', 'left', 'right'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  const contribution = valueFormat(
    drivers.map((d) => d.contribution),
    3,
  );
  const pd = pointsDigits(drivers.filter((d) => !isFixed(d)).map((d) => d.effectCi95));
  for (const d of drivers) {
    table.push([
      d.label ? `${d.id} (${d.label})` : d.id,
      `${d.kind}, ${d.direction}`,
      signed(contribution, d.contribution),
      isFixed(d) ? FIXED : points(d.effect, pd),
      isFixed(d) ? '' : pointsInterval(d.effectCi95, pd),
      isFixed(d) ? '' : count(d.runs),
    ]);
  }
  return table.toString();
}

const signed = (f: (x: number) => string, x: number): string => {
  const text = f(x);
  return x > 0 && /[1-9]/.test(text) ? `+${text}` : text;
};

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(x: string | number | undefined): string {
  if (x === undefined) return '';
  const text = String(x);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The columns of `run --format csv` (docs/CLI.md): one table, rows told apart by `section`. */
export const RUN_CSV_COLUMNS = [
  'section',
  'outcome',
  'step',
  'probability',
  'ci95_low',
  'ci95_high',
  'name',
  'label',
  'kind',
  'direction',
  'contribution',
  'low',
  'high',
  'effect',
  'effect_ci95_low',
  'effect_ci95_high',
  'fixed',
  'mean',
  'sd',
  'min',
  'max',
  'p5',
  'p25',
  'p50',
  'p75',
  'p95',
  'scenario',
  'scenario_hash',
  'seed',
  'runs',
  'engine',
  'engine_version',
  // Added after the others (issue 13), so that files written before and after line up.
  'driver_runs',
] as const;
type CsvColumn = (typeof RUN_CSV_COLUMNS)[number];

/**
 * CSV, for spreadsheets and pandas: one table with a header row and no comment lines, so that
 * `pandas.read_csv` and a spreadsheet open it as it is. `section` tells the rows apart: `curve` (one
 * per outcome and step), `driver` (one per interest or pressure, alliance scenarios) and `value`
 * (one per reported value at the horizon); cells that do not apply to a section are empty. Every
 * row ends with the run's metadata (scenario id and hash, seed, runs, engine and version), so rows
 * stay attributable when files are concatenated or filtered.
 */
export function runCsv(r: RunReport): string {
  const meta: Partial<Record<CsvColumn, string | number>> = {
    scenario: r.scenario.id,
    scenario_hash: r.scenario.hash,
    seed: r.seed,
    runs: r.runs,
    engine: r.engine.name,
    engine_version: r.engine.version,
  };
  const row = (cells: Partial<Record<CsvColumn, string | number | undefined>>): string =>
    RUN_CSV_COLUMNS.map((k) => csvField(cells[k] ?? meta[k])).join(',');
  const rows = [RUN_CSV_COLUMNS.join(',')];
  for (const [id, o] of Object.entries(r.outcomes)) {
    for (const s of o.byStep)
      rows.push(
        row({
          section: 'curve',
          outcome: id,
          step: s.step,
          probability: s.probability,
          ci95_low: s.ci95[0],
          ci95_high: s.ci95[1],
        }),
      );
  }
  for (const d of r.drivers ?? []) {
    rows.push(
      row({
        section: 'driver',
        outcome: r.primary,
        name: d.id,
        label: d.label,
        kind: d.kind,
        direction: d.direction,
        contribution: d.contribution,
        low: d.low,
        high: d.high,
        effect: d.effect,
        effect_ci95_low: d.effectCi95[0],
        effect_ci95_high: d.effectCi95[1],
        fixed: isFixed(d) ? 'true' : 'false',
        driver_runs: d.runs,
      }),
    );
  }
  for (const [name, v] of Object.entries(r.values)) {
    const q = v.quantiles;
    rows.push(
      row({
        section: 'value',
        step: r.horizon.steps,
        name,
        mean: v.mean,
        sd: v.sd,
        min: v.min,
        max: v.max,
        p5: q.p5,
        p25: q.p25,
        p50: q.p50,
        p75: q.p75,
        p95: q.p95,
      }),
    );
  }
  return `${rows.join('\n')}\n`;
}

/** Markdown: the answer, the curve of every outcome, the drivers and the values, for reports and READMEs. */
export function runMarkdown(r: RunReport, file: string): string {
  const primary = r.outcomes[r.primary]!;
  const unit = r.horizon.unit;
  const steps = curveSteps(r.horizon.steps);
  const outcomes = Object.values(r.outcomes);
  const d = percentDigits([
    primary.ci95,
    ...outcomes.flatMap((o) => steps.map((s) => o.byStep[s - 1]!.ci95)),
  ]);
  const lines = [
    ...(r.partial === undefined ? [] : [`**${partialLine(r)}**`, '']),
    `**${r.scenario.title}**: P(${r.primary} within ${r.horizon.steps} ${units(unit, r.horizon.steps)}) = **${percent(primary.probability, d)}** (95% CI ${interval(primary.ci95, d)})`,
    '',
    `| ${unit} | ${Object.keys(r.outcomes).join(' | ')} |`,
    `|---:|${Object.keys(r.outcomes)
      .map(() => '---:')
      .join('|')}|`,
  ];
  for (const s of steps) {
    const cells = outcomes.map(
      (o) => `${percent(o.byStep[s - 1]!.probability, d)} ${interval(o.byStep[s - 1]!.ci95, d)}`,
    );
    lines.push(`| ${s} | ${cells.join(' | ')} |`);
  }
  const examples = examplesLine(r, file, (x) => `\`${x}\``);
  if (examples !== undefined) lines.push('', examples);
  if (r.drivers !== undefined && r.drivers.length > 0) {
    const contribution = valueFormat(
      r.drivers.map((x) => x.contribution),
      3,
    );
    const pd = pointsDigits(r.drivers.filter((x) => !isFixed(x)).map((x) => x.effectCi95));
    lines.push(
      '',
      `**Drivers of ${r.primary}** (effect: P at the 90th minus the 10th percentile of the input, same trials)`,
      '',
      '| driver | kind | contribution | effect | 95% CI | trials |',
      '|---|---|---:|---:|---|---:|',
    );
    for (const x of r.drivers) {
      const name = x.label ? `${x.id} (${x.label})` : x.id;
      lines.push(
        `| ${mdCell(name)} | ${x.kind}, ${x.direction} | ${signed(contribution, x.contribution)} | ${isFixed(x) ? FIXED : points(x.effect, pd)} | ${isFixed(x) ? '' : pointsInterval(x.effectCi95, pd)} | ${isFixed(x) ? '' : count(x.runs)} |`,
      );
    }
  }
  if (r.rungs !== undefined) lines.push('', rungsMarkdown(r.rungs.actors, r.rungs.runs, unit));
  const values = Object.entries(r.values);
  if (values.length > 0) {
    lines.push(
      '',
      `**Values at ${unit} ${r.horizon.steps}**`,
      '',
      '| value | mean | sd | p5 | p50 | p95 |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const [name, v] of values) lines.push(`| ${mdCell(name)} | ${valueCells(v).join(' | ')} |`);
  }
  lines.push(
    '',
    `<sub>${count(r.runs)} trials, seed ${String(r.seed)}, scenario hash ${r.scenario.hash}, ${r.engine.name} ${r.engine.version}; reproduce with \`${reproduce(r, file)}\`</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

/** Text that is safe inside a Markdown table cell. */
const mdCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function formatRun(r: RunReport, format: Format, file: string, c: Colors): string {
  switch (format) {
    case 'json': {
      // A run with --set is the run of the edited file, byte for byte; scenario.hash tells them apart.
      const { setFlags: _set, ...result } = r;
      return `${JSON.stringify(result, null, 2)}\n`;
    }
    case 'csv':
      return runCsv(r);
    case 'markdown':
      return runMarkdown(r, file);
    case 'table':
    case 'tallies':
      return runTable(r, file, c);
  }
}
