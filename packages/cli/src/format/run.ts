import type { Driver, PartialMerge, RunResult } from '@entente/core';
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { shellWord } from '../options.js';
import { evidenceTable } from './evidence.js';
import { count, curveSteps, interval, percent, units, value } from './numbers.js';

export type Format = 'table' | 'json' | 'csv' | 'markdown' | 'tallies';

/** A run's result, with drivers when the scenario uses the alliance vocabulary; `partial` from `merge --partial`. */
export type RunReport = RunResult & {
  drivers?: Driver[];
  partial?: PartialMerge;
  givenFlags?: string[];
  /** `--set` flags as given (`h=0.1`), for the reproduce line only: JSON carries the result, which is the edited file's. */
  setFlags?: string[];
};
export const FORMATS: readonly Format[] = ['table', 'json', 'csv', 'markdown'];

/** The reproduce line every human-readable result ends with (a partial merge: the merge, not a run). */
function reproduce(r: RunReport, file: string): string {
  const seed = typeof r.seed === 'string' ? JSON.stringify(r.seed) : String(r.seed);
  const flags =
    (r.givenFlags ?? []).map((g) => ` --given ${JSON.stringify(g)}`).join('') +
    (r.setFlags ?? []).map((s) => ` --set ${shellWord(s)}`).join('');
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
  out.push(
    `${c.bold(`P(${primary.label ?? r.primary} within ${r.horizon.steps} ${units(unit, r.horizon.steps)})`)} = ${c.bold(percent(primary.probability))}  ${c.dim(`95% CI ${interval(primary.ci95)}`)}`,
  );
  out.push('');
  const curve = new Table({
    head: [unit, `P(${r.primary} by ${unit})`, '95% CI'],
    style: { head: [], border: [], compact: true },
    colAligns: ['right', 'right', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const s of curveSteps(r.horizon.steps)) {
    const e = primary.byStep[s - 1]!;
    curve.push([String(s), percent(e.probability), interval(e.ci95)]);
  }
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
    for (const [id, o] of others)
      out.push(`  ${id.padEnd(24)} ${percent(o.probability).padStart(7)}  ${c.dim(interval(o.ci95))}`);
  }
  const values = Object.entries(r.values);
  if (values.length > 0) {
    out.push('', c.bold(`Values at ${unit} ${r.horizon.steps}`));
    const table = new Table({
      head: ['', 'mean', 'sd', 'p5', 'p50', 'p95'],
      style: { head: [], border: [], compact: true },
      colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const [name, v] of values) {
      table.push([
        name,
        value(v.mean),
        value(v.sd),
        value(v.quantiles.p5!),
        value(v.quantiles.p50!),
        value(v.quantiles.p95!),
      ]);
    }
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

function driversTable(drivers: Driver[]): string {
  const table = new Table({
    head: ['', 'kind', 'contribution', 'effect', '95% CI'],
    style: { head: [], border: [], compact: true },
    colAligns: ['left', 'left', 'right', 'right', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const d of drivers) {
    table.push([
      d.label ? `${d.id} (${d.label})` : d.id,
      `${d.kind}, ${d.direction}`,
      signed(d.contribution),
      signedPoints(d.effect),
      `[${signedPoints(d.effectCi95[0])}, ${signedPoints(d.effectCi95[1])}]`,
    ]);
  }
  return table.toString();
}

const signed = (x: number): string => `${x > 0 ? '+' : ''}${value(x)}`;
/** A difference of probabilities in percentage points. */
const signedPoints = (x: number): string => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;

/** CSV: one row per outcome and step, for spreadsheets and plotting. */
export function runCsv(r: RunReport): string {
  const rows = ['outcome,step,probability,ci95_low,ci95_high'];
  for (const [id, o] of Object.entries(r.outcomes)) {
    for (const s of o.byStep) rows.push(`${id},${s.step},${s.probability},${s.ci95[0]},${s.ci95[1]}`);
  }
  return `${rows.join('\n')}\n`;
}

/** Markdown: the answer and the curve, for reports and READMEs. */
export function runMarkdown(r: RunReport, file: string): string {
  const primary = r.outcomes[r.primary]!;
  const unit = r.horizon.unit;
  const lines = [
    ...(r.partial === undefined ? [] : [`**${partialLine(r)}**`, '']),
    `**${r.scenario.title}**: P(${r.primary} within ${r.horizon.steps} ${units(unit, r.horizon.steps)}) = **${percent(primary.probability)}** (95% CI ${interval(primary.ci95)})`,
    '',
    `| ${unit} | ${Object.keys(r.outcomes).join(' | ')} |`,
    `|---:|${Object.keys(r.outcomes)
      .map(() => '---:')
      .join('|')}|`,
  ];
  for (const s of curveSteps(r.horizon.steps)) {
    const cells = Object.values(r.outcomes).map(
      (o) => `${percent(o.byStep[s - 1]!.probability)} ${interval(o.byStep[s - 1]!.ci95)}`,
    );
    lines.push(`| ${s} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    `<sub>${count(r.runs)} trials, seed ${String(r.seed)}, scenario hash ${r.scenario.hash}, ${r.engine.name} ${r.engine.version}; reproduce with \`${reproduce(r, file)}\`</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

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
