import { dirname, relative } from 'node:path';
import {
  type CalibrateOptions,
  type CalibrationResult,
  calibrateAsync,
  calibrationWork,
  type FreeParam,
  type Issue,
  ScenarioError,
} from '@entente/core';
import { InvalidArgumentError } from 'commander';
import { stringify } from 'yaml';
import { EXIT } from '../errors.js';
import { calibrationTable } from '../format/calibrate.js';
import { writeFileAtomic, writeOutput } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { defaultBacktestWorkers, fitsInParallel } from '../parallel.js';
import { loadBacktest } from './backtest.js';

export interface CalibrateFlags {
  free: FreeParam[];
  runs?: number;
  seed?: number | string;
  starts?: number;
  maxEvals?: number;
  folds?: number;
  trainUntil?: string;
  format: 'table' | 'json' | 'csv' | 'markdown';
  out?: string;
  writeScenario?: string;
  /** Another template for the same episodes (a rival model family), instead of the backtest's own. */
  template?: string;
  quiet?: boolean;
  /** Threads for the fits (default: every core once the fits' trials reach BACKTEST_PARALLEL_MIN_TRIALS); the same result. */
  workers?: number;
}

/** `--free NAME=LOW..HIGH` (repeatable). */
export function parseFree(text: string, previous: FreeParam[] | undefined): FreeParam[] {
  const m = /^([A-Za-z][A-Za-z0-9_]*)=(.+)\.\.(.+)$/.exec(text.trim());
  const lo = m ? Number(m[2]) : Number.NaN;
  const hi = m ? Number(m[3]) : Number.NaN;
  if (!m || !Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi))
    throw new InvalidArgumentError('expected NAME=LOW..HIGH with LOW < HIGH, such as alpha=-6..-2');
  return [...(previous ?? []), { name: m[1]!, lo, hi }];
}

/** `--train-until YYYY-MM`. */
export function parseMonth(text: string): string {
  if (!/^\d{4}-\d{2}$/.test(text))
    throw new InvalidArgumentError('expected a month as YYYY-MM, such as 2015-12');
  return text;
}

/** Fit free params of a backtest's template to its episodes; print fitted values and scores. */
export async function calibrateCommand(file: string, flags: CalibrateFlags, io: CliIO): Promise<number> {
  const { doc, backtest, template } = loadBacktest(file, flags.template);
  if (!flags.quiet)
    io.stderr.write(
      `calibrating ${flags.free.map((f) => f.name).join(', ')} on ${backtest.episodes.length} episodes…\n`,
    );
  const options: CalibrateOptions = {
    ...(flags.runs === undefined ? {} : { runs: flags.runs }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.starts === undefined ? {} : { starts: flags.starts }),
    ...(flags.maxEvals === undefined ? {} : { maxEvals: flags.maxEvals }),
    ...(flags.folds === undefined ? {} : { folds: flags.folds }),
    ...(flags.trainUntil === undefined ? {} : { trainUntil: flags.trainUntil }),
  };
  const work = calibrationWork(backtest, flags.free, options);
  const workers = flags.workers ?? (work.fits > 1 ? defaultBacktestWorkers(work.trials) : 1);
  const orThrow = <T>(r: { ok: true; value: T } | { ok: false; issues: Issue[] }): T => {
    if (!r.ok) throw new ScenarioError(r.issues);
    return r.value;
  };
  let result: CalibrationResult;
  if (workers <= 1) result = orThrow(await calibrateAsync(template, doc, backtest, flags.free, options));
  else {
    const pool = await fitsInParallel(
      {
        file,
        ...(flags.template === undefined ? {} : { template: flags.template }),
        free: flags.free,
        options,
      },
      { workers, onNote: (line) => (flags.quiet ? undefined : io.stderr.write(line)) },
    );
    try {
      result = orThrow(
        await calibrateAsync(template, doc, backtest, flags.free, { ...options, fits: pool.runner }),
      );
    } finally {
      await pool.close();
    }
  }
  if (flags.writeScenario !== undefined) {
    const templatePath = flags.template ?? `${dirname(file)}/${backtest.template}`;
    writeFileAtomic(
      flags.writeScenario,
      calibratedScenario(result, templatePath, flags.writeScenario, file, flags.template),
    );
    if (!flags.quiet) io.stderr.write(`wrote ${flags.writeScenario}\n`);
  }
  const text =
    flags.format === 'json'
      ? `${JSON.stringify(result, null, 2)}\n`
      : calibrationTable(result, file, flags.format === 'markdown');
  writeOutput(io, flags, text);
  return EXIT.ok;
}

/** A scenario that extends the template with the fitted values, so it runs, compares and backtests like any other. */
export function calibratedScenario(
  r: CalibrationResult,
  templatePath: string,
  outPath: string,
  backtestFile: string,
  otherTemplate?: string,
): string {
  let ref = relative(dirname(outPath), templatePath);
  if (!ref.startsWith('.')) ref = `./${ref}`;
  const params = Object.fromEntries(Object.entries(r.fitted).map(([k, v]) => [k, Number(v.toPrecision(6))]));
  const notes = Object.entries(r.intervals)
    .map(([k, [lo, hi]]) => `${k} ${Number(lo.toPrecision(3))}..${Number(hi.toPrecision(3))}`)
    .join(', ');
  const header = [
    `# Calibrated by: entente calibrate ${backtestFile}${otherTemplate === undefined ? '' : ` --template ${otherTemplate}`} ${r.free.map((f) => `--free ${f.name}=${f.lo}..${f.hi}`).join(' ')} --seed ${String(r.seed)} --runs ${r.runs}`,
    `# Fitted by maximum simulated survival likelihood on ${r.inSample.episodes.length} episodes (log-likelihood ${r.logLikelihood.toFixed(2)}).`,
    `# Approximate 95% intervals: ${notes}.`,
  ];
  return `${header.join('\n')}\n${stringify({ extends: ref, id: `${r.id}-calibrated`, title: `Calibrated on ${r.id}`, params })}`;
}
