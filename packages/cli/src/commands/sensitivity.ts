import {
  analysisInputs,
  type ColumnRunner,
  type CompiledModel,
  ENGINE_NAME,
  ENGINE_VERSION,
  formatIssue,
  type Issue,
  MORRIS_RUNS,
  MORRIS_TRAJECTORIES,
  morrisAsync,
  type Result,
  type SensitivityOptions,
  SOBOL_RUNS,
  sobolIndicesAsync,
  sobolMatrices,
  TORNADO_RUNS,
  tornadoAsync,
} from '@entente/core';
import { InvalidArgumentError } from 'commander';
import { createColors } from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { formatSensitivity, type SensitivityFormat, type SensitivityResult } from '../format/sensitivity.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';
import { columnsInParallel, defaultWorkers } from '../parallel.js';
import { progressFor } from '../progress.js';

export const SENSITIVITY_METHODS = ['sobol', 'morris', 'tornado'] as const;

export interface SensitivityFlags {
  method: (typeof SENSITIVITY_METHODS)[number];
  inputs?: string[];
  output?: string;
  runs?: number;
  seed?: number | string;
  resamples?: number;
  trajectories?: number;
  levels?: number;
  format: SensitivityFormat;
  out?: string;
  quiet?: boolean;
  /** Threads for the analysis's columns (default: every core from ANALYSIS_PARALLEL_MIN_TRIALS trials in all); the same result. */
  workers?: number;
}

/** `--inputs a,b,@turkey,oil*` (repeatable): one input per comma-separated item. */
export function parseInputList(text: string, previous: string[] | undefined): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0)
    throw new InvalidArgumentError('expected inputs separated by commas, such as oil,@turkey,decision_*');
  return [...(previous ?? []), ...items];
}

/** `--levels`: an even number of levels, at least 2. */
export function parseLevels(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 2 || n % 2 !== 0 || n > 1000)
    throw new InvalidArgumentError('expected an even number of levels, such as 4 or 6');
  return n;
}

/** `--resamples`: at least 2 bootstrap resamples. */
export function parseResamples(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 2 || n > 100_000)
    throw new InvalidArgumentError('expected a number of bootstrap resamples from 2 to 100,000, such as 500');
  return n;
}

/**
 * An analysis's columns go to worker threads by default from this many trials in all. On the
 * flagship, a second thread (~0.5 s of CPU to start) saved nothing for the default Sobol (300,000
 * trials) and Morris (260,000), and 0.2–0.8 s from 500,000 up: the default tornado 3.0 → 2.2 s,
 * Sobol at 600,000 2.7 → 2.4 s, Morris at 520,000 1.5 → 1.3 s (docs/EXPERIMENTS.md).
 */
export const ANALYSIS_PARALLEL_MIN_TRIALS = 400_000;

/** Which inputs matter: Sobol indices, Morris screening or a tornado, printed as a table, JSON or CSV. */
export async function sensitivityCommand(file: string, flags: SensitivityFlags, io: CliIO): Promise<number> {
  const misplaced = [
    ...(flags.method !== 'sobol' && flags.resamples !== undefined ? ['--resamples (sobol)'] : []),
    ...(flags.method !== 'morris' && flags.trajectories !== undefined ? ['--trajectories (morris)'] : []),
    ...(flags.method !== 'morris' && flags.levels !== undefined ? ['--levels (morris)'] : []),
  ];
  if (misplaced.length > 0)
    throw new UsageError(`${misplaced.join(', ')} does not apply to --method ${flags.method}`);
  const model = loadFileOrThrow(file);
  const progress = progressFor(io, flags.quiet);
  try {
    let result: Result<SensitivityResult>;
    try {
      result = await analyse(
        model,
        file,
        flags,
        progress.signal,
        {
          ...(flags.inputs === undefined ? {} : { inputs: flags.inputs }),
          ...(flags.output === undefined ? {} : { output: flags.output }),
          ...(flags.runs === undefined ? {} : { runs: flags.runs }),
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
          onProgress: progress.onProgress,
          signal: progress.signal,
        },
        (line) => {
          if (!flags.quiet) io.stderr.write(line);
        },
      );
    } catch (e) {
      if (progress.interrupted) return progress.stopped();
      throw e;
    }
    progress.done();
    if (!result.ok) return problems(result.issues, file, io);
    const s = model.scenario;
    const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
    const text = formatSensitivity(
      {
        file,
        scenario: { id: s.id, title: s.title, hash: model.hash },
        horizon: { steps: s.horizon.steps, unit: s.horizon.unit },
        engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
        result: result.value,
        reproduce: reproduce(file, flags, result.value),
      },
      flags.format,
      colors,
    );
    writeOutput(io, flags, text);
    return EXIT.ok;
  } finally {
    progress.done();
  }
}

async function analyse(
  model: CompiledModel,
  file: string,
  flags: SensitivityFlags,
  signal: AbortSignal,
  options: SensitivityOptions,
  note: (line: string) => void,
): Promise<Result<SensitivityResult>> {
  const start = (columns: ColumnRunner | undefined): Promise<Result<SensitivityResult>> => {
    const o = { ...options, ...(columns === undefined ? {} : { columns }) };
    switch (flags.method) {
      case 'sobol':
        return sobolIndicesAsync(model, {
          ...o,
          ...(flags.resamples === undefined ? {} : { resamples: flags.resamples }),
        });
      case 'morris':
        return morrisAsync(model, {
          ...o,
          ...(flags.trajectories === undefined ? {} : { trajectories: flags.trajectories }),
          ...(flags.levels === undefined ? {} : { levels: flags.levels }),
        });
      case 'tornado':
        return tornadoAsync(model, o);
    }
  };
  // Inputs or an output that do not resolve are reported by the analysis, before any pool starts.
  const trials = analysisTrials(model, flags, options);
  const workers =
    trials === undefined
      ? 1
      : (flags.workers ?? (trials >= ANALYSIS_PARALLEL_MIN_TRIALS ? defaultWorkers(trials) : 1));
  if (workers <= 1) return start(undefined);
  const pool = await columnsInParallel({
    file,
    model,
    ...(flags.inputs === undefined ? {} : { inputs: flags.inputs }),
    ...(flags.output === undefined ? {} : { output: flags.output }),
    workers,
    signal,
    onNote: note,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  try {
    return await start(pool.runner);
  } finally {
    await pool.close();
  }
}

/** The trials an analysis plays in all (columns × trials per column), or undefined if it does not resolve. */
function analysisTrials(
  model: CompiledModel,
  flags: SensitivityFlags,
  options: SensitivityOptions,
): number | undefined {
  if (flags.method === 'sobol') {
    const matrices = sobolMatrices(model, options);
    return matrices === undefined ? undefined : matrices * (options.runs ?? SOBOL_RUNS);
  }
  const k = analysisInputs(model, options);
  if (k === undefined) return undefined;
  return flags.method === 'morris'
    ? (flags.trajectories ?? MORRIS_TRAJECTORIES) * (k + 1) * (options.runs ?? MORRIS_RUNS)
    : (2 * k + 1) * (options.runs ?? TORNADO_RUNS);
}

/** Problems with --inputs or --output name the flag; one with the scenario names the file. */
function problems(issues: Issue[], file: string, io: CliIO): number {
  for (const i of issues) {
    const [head, item] = i.path;
    const path = head === 'inputs' ? [`--inputs ${String(item)}`] : head === 'output' ? ['--output'] : i.path;
    const where = head === 'inputs' || head === 'output' ? {} : { file };
    io.stderr.write(`${formatIssue({ ...i, ...where, path })}\n`);
  }
  io.stderr.write(`${issues.length} problem(s); nothing was run\n`);
  return EXIT.input;
}

function reproduce(file: string, flags: SensitivityFlags, r: SensitivityResult): string {
  const q = (s: string): string => (/^[\w@+.,/-]+$/.test(s) ? s : JSON.stringify(s));
  const seed = typeof r.seed === 'string' ? JSON.stringify(r.seed) : String(r.seed);
  const parts = [
    'entente sensitivity',
    q(file),
    '--method',
    r.method,
    '--runs',
    String(r.runs),
    '--seed',
    seed,
  ];
  if (flags.inputs !== undefined) parts.push('--inputs', q(flags.inputs.join(',')));
  if (flags.output !== undefined) parts.push('--output', q(flags.output));
  if (r.method === 'sobol') parts.push('--resamples', String(r.resamples));
  if (r.method === 'morris')
    parts.push('--trajectories', String(r.trajectories), '--levels', String(r.levels));
  return parts.join(' ');
}
