import {
  type AttributionTolerance,
  type CompiledModel,
  type ContributionTracker,
  type Driver,
  defaults,
  estimate,
  type RunOptions,
  type RunResult,
  simulate,
  simulateAsync,
} from '@entente/core';
import { InvalidArgumentError } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { interval, percent, units } from '../format/numbers.js';
import { FIXED } from '../format/run.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { applySet, bindingOf, type SetFlag } from '../options.js';
import { capWorkers, defaultTableWorkers, tableRowsInParallel } from '../parallel.js';
import type { RowTask } from '../worker.js';
import { attributionPlan, driversFor, driversForAsync } from './run.js';

export interface TableFlags {
  /** Threads for the scenarios (`--workers`): by default every core when there are several files. */
  workers?: number;
  /** Steps to report (`--at`); by default thirds of the shortest horizon (`defaultSteps`). */
  at?: number[];
  runs?: number;
  seed?: number | string;
  drivers: number;
  /** When attribution stops each pair of variants (`--drivers-tolerance`). */
  driversTolerance?: AttributionTolerance;
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

/** Thirds of the horizon, rounded and distinct: 12, 24, 36 for 36 steps; 8, 16, 24 for 24. */
export function defaultSteps(horizon: number): number[] {
  return [...new Set([1, 2, 3].map((k) => Math.max(1, Math.round((k * horizon) / 3))))];
}

/** `--at` steps the shortest horizon among the files can report, or exit 2 naming the step and the file. */
function stepsFor(at: number[] | undefined, files: string[], models: CompiledModel[]): number[] {
  let shortest = 0;
  models.forEach((m, i) => {
    if (m.plan.horizon < models[shortest]!.plan.horizon) shortest = i;
  });
  const m = models[shortest]!;
  const horizon = m.plan.horizon;
  if (at === undefined) return defaultSteps(horizon);
  const beyond = at.filter((s) => s > horizon);
  if (beyond.length > 0) {
    const unit = m.scenario.horizon.unit;
    throw new UsageError(
      `--at ${beyond.join(',')}: beyond the horizon of ${files[shortest]} (${horizon} ${units(unit, horizon)}); give steps from 1 to ${horizon}`,
    );
  }
  return at;
}

export interface Row {
  file: string;
  result: RunResult;
  drivers: Driver[];
}

/**
 * A results table for several scenarios: the primary outcome's probability by chosen steps, with
 * intervals, and each scenario's top drivers. Each scenario is run as `run` would run it, on one
 * thread each: several scenarios go to worker threads, one file per task (`--workers`; by default
 * every core), and the table is the same bytes for any number of threads.
 */
export async function tableCommand(files: string[], flags: TableFlags, io: CliIO): Promise<number> {
  // Every file is loaded, and --at checked against every horizon, before any scenario runs.
  const loaded = files.map((file) => loadFileOrThrow(file));
  const models = loaded.map((m, i) => applySet(m, flags.set, files[i]!));
  const at = stepsFor(flags.at, files, models);
  const done = (file: string): void => {
    if (!flags.quiet) io.stderr.write(`${file}: done\n`);
  };
  const requested = flags.workers ?? defaultTableWorkers(files.length);
  const capped = capWorkers(requested);
  if (capped.note !== undefined && !flags.quiet) io.stderr.write(capped.note);
  const workers = Math.min(capped.workers, files.length);
  const rows: Row[] =
    workers > 1
      ? await tableRowsInParallel(
          files.map((file) => rowTaskFor(file, flags)),
          models.map((m) => rowCost(m, flags.drivers > 0)),
          workers,
          (task) => done(task.file),
          // This thread takes rows too, with the models it has loaded: one thread fewer to start.
          (k, task) => tableRowAsync(files[k]!, loaded[k]!, models[k]!, task),
        )
      : files.map((file, i) => {
          const row = tableRow(file, loaded[i]!, models[i]!, rowTaskFor(file, flags));
          done(file);
          return row;
        });
  writeOutput(
    io,
    flags,
    flags.format === 'json' ? `${JSON.stringify(rows.map(jsonRow(at)), null, 2)}\n` : markdown(rows, at),
  );
  return EXIT.ok;
}

/**
 * A row's rough cost, to start the heaviest rows first (a long row started last would leave the
 * other threads idle at the end): the trials it runs (the run, and attribution's tracking pass and
 * two variants per input) times the formulas a step evaluates.
 */
function rowCost(model: CompiledModel, drivers: boolean): number {
  const inputs = drivers ? (model.alliance?.inputs.length ?? 0) : 0;
  const p = model.plan;
  const perStep =
    1 + p.regimes.length + p.events.length + p.derived.length + p.updates.length + p.outcomes.length;
  return (2 + 2 * inputs) * perStep;
}

/** What a thread needs to make one row: the file and the flags that change its numbers. */
function rowTaskFor(file: string, flags: TableFlags): RowTask {
  return {
    file,
    set: flags.set ?? [],
    drivers: flags.drivers,
    ...(flags.driversTolerance === undefined ? {} : { tolerance: flags.driversTolerance }),
    ...(flags.runs === undefined ? {} : { runs: flags.runs }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
  };
}

/** One scenario's row: its run, and its top drivers (attribution binds --set in each variant). */
export function tableRow(file: string, loaded: CompiledModel, model: CompiledModel, task: RowTask): Row {
  const { playing, holdable, tracker } = rowPlan(loaded, model, task);
  const result = estimate(model, simulate(playing, runOptions(task, tracker)));
  const bind = task.set.length === 0 ? undefined : bindingOf(task.set);
  const drivers =
    task.drivers > 0
      ? (driversFor(loaded, result, bind, task.tolerance, tracker, holdable) ?? []).slice(0, task.drivers)
      : [];
  return { file, result, drivers };
}

/**
 * What a row plays its trials with. With drivers, the scenario's holdable form (`holdableModel`, with
 * the `--set` values bound and nothing held: the same trials, bit for bit), so that its code is warm
 * when attribution binds its variants to it, and attribution's tracking done by the same run.
 */
function rowPlan(
  loaded: CompiledModel,
  model: CompiledModel,
  task: RowTask,
): { playing: CompiledModel; holdable?: CompiledModel; tracker?: ContributionTracker } {
  if (task.drivers === 0 || model.evidence !== undefined) return { playing: model };
  return attributionPlan(loaded, model, task.set, {
    runs: task.runs ?? defaults.DEFAULT_RUNS,
    seed: task.seed ?? defaults.DEFAULT_SEED,
  });
}

function runOptions(task: RowTask, tracker: ContributionTracker | undefined): RunOptions {
  return {
    ...(task.runs === undefined ? {} : { runs: task.runs }),
    ...(task.seed === undefined ? {} : { seed: task.seed }),
    ...(tracker === undefined ? {} : { track: tracker.track }),
  };
}

/**
 * As `tableRow`, giving the event loop a turn between chunks of trials: the row `table` computes on
 * the main thread while worker threads compute others (their replies are handled between chunks).
 * The same row, bit for bit.
 */
export async function tableRowAsync(
  file: string,
  loaded: CompiledModel,
  model: CompiledModel,
  task: RowTask,
): Promise<Row> {
  const { playing, holdable, tracker } = rowPlan(loaded, model, task);
  const result = estimate(model, await simulateAsync(playing, runOptions(task, tracker)));
  const bind = task.set.length === 0 ? {} : bindingOf(task.set);
  const drivers =
    task.drivers > 0 && loaded.evidence === undefined
      ? await driversForAsync(
          loaded,
          bind,
          result,
          { workers: 1, ...(task.tolerance === undefined ? {} : { driversTolerance: task.tolerance }) },
          new AbortController().signal,
          tracker,
          holdable,
        )
      : undefined;
  return { file, result, drivers: (drivers ?? []).slice(0, task.drivers) };
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
      .map((d) =>
        d.low === d.high
          ? `${d.id} (${FIXED})`
          : `${d.id} ${d.effect > 0 ? '+' : ''}${(d.effect * 100).toFixed(1)}`,
      )
      .join(', ');
    lines.push(
      `| [${r.result.scenario.id}](${r.file.split('/').pop()}) | ${cells.join(' | ')} | ${drivers} |`,
    );
  }
  lines.push(
    '',
    `<sub>${first.runs.toLocaleString('en-US')} trials per scenario, seed ${String(first.seed)}, ${first.engine.name} ${first.engine.version}. ` +
      'Cells: P(cooled by then) [Wilson 95% CI]. Drivers: percentage points of P(cooled within the horizon) between the 90th and 10th percentile of the input, same trials, each on as many of them as its tolerance needs (docs/ALLIANCE.md, Attribution).</sub>',
  );
  return `${lines.join('\n')}\n`;
}
