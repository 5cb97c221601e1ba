import { type Driver, type RunResult, run } from '@entente/core';
import { InvalidArgumentError } from 'commander';
import { EXIT } from '../errors.js';
import { interval, percent } from '../format/numbers.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { applySet, type SetFlag } from '../options.js';
import { driversFor } from './run.js';

export interface TableFlags {
  at: number[];
  runs?: number;
  seed?: number | string;
  drivers: number;
  format: 'markdown' | 'json';
  out?: string;
  quiet?: boolean;
  /** Params bound at run time in every scenario (`--set NAME=VALUE`, repeatable). */
  set?: SetFlag[];
}

/** `--at 12,24,36`: the steps to report. */
export function parseSteps(text: string): number[] {
  const steps = text.split(',').map((s) => Number(s.trim()));
  if (steps.length === 0 || steps.some((s) => !Number.isSafeInteger(s) || s < 1)) {
    throw new InvalidArgumentError('expected steps such as 12,24,36');
  }
  return steps;
}

interface Row {
  file: string;
  result: RunResult;
  drivers: Driver[];
}

/**
 * A results table for several scenarios: the primary outcome's probability by chosen steps, with
 * intervals, and each scenario's top drivers. Each scenario is run as `run` would run it.
 */
export function tableCommand(files: string[], flags: TableFlags, io: CliIO): number {
  const rows: Row[] = files.map((file) => {
    const model = applySet(loadFileOrThrow(file), flags.set, file);
    const result = run(model, {
      ...(flags.runs === undefined ? {} : { runs: flags.runs }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    });
    const drivers = flags.drivers > 0 ? (driversFor(model, result) ?? []).slice(0, flags.drivers) : [];
    if (!flags.quiet) io.stderr.write(`${file}: done\n`);
    return { file, result, drivers };
  });
  writeOutput(
    io,
    flags,
    flags.format === 'json'
      ? `${JSON.stringify(rows.map(jsonRow(flags.at)), null, 2)}\n`
      : markdown(rows, flags.at),
  );
  return EXIT.ok;
}

const jsonRow = (at: number[]) => (r: Row) => ({
  file: r.file,
  scenario: r.result.scenario,
  primary: r.result.primary,
  at: at.map((step) => ({ step, ...pick(r.result, step) })),
  drivers: r.drivers,
});

function pick(r: RunResult, step: number): { probability: number; ci95: [number, number] } {
  const o = r.outcomes[r.primary]!;
  const s = o.byStep[Math.min(step, o.byStep.length) - 1]!;
  return { probability: s.probability, ci95: s.ci95 };
}

function markdown(rows: Row[], at: number[]): string {
  const first = rows[0]!.result;
  const unit = first.horizon.unit;
  const head = `| scenario | ${at.map((s) => `by ${unit} ${s}`).join(' | ')} | top drivers (effect on P) |`;
  const lines = [head, `|---|${at.map(() => '---:').join('|')}|---|`];
  for (const r of rows) {
    const cells = at.map((s) => {
      const p = pick(r.result, s);
      return `${percent(p.probability)} ${interval(p.ci95)}`;
    });
    const drivers = r.drivers
      .map((d) => `${d.id} ${d.effect > 0 ? '+' : ''}${(d.effect * 100).toFixed(1)}`)
      .join(', ');
    lines.push(
      `| [${r.result.scenario.id}](${r.file.split('/').pop()}) | ${cells.join(' | ')} | ${drivers} |`,
    );
  }
  lines.push(
    '',
    `<sub>${first.runs.toLocaleString('en-US')} trials per scenario, seed ${String(first.seed)}, ${first.engine.name} ${first.engine.version}. ` +
      'Cells: P(cooled by then) [Wilson 95% CI]. Drivers: percentage points of P(cooled within the horizon) between the 90th and 10th percentile of the input, same trials.</sub>',
  );
  return `${lines.join('\n')}\n`;
}
