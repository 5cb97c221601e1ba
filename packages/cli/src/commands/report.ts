import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AttributionTolerance,
  type CompiledModel,
  type Driver,
  defaults,
  ENGINE_NAME,
  ENGINE_VERSION,
  estimate,
  formatIssue,
  type PairedSimulation,
  pairedDifference,
  parseDocument,
  resolveDocument,
  ScenarioError,
  type Simulation,
  SOBOL_RUNS,
  type SobolIndicesResult,
  simulateAsync,
  simulatePairedAsync,
  sobolIndicesAsync,
} from '@entente/core';
import type { ReportInput, ReportScenario } from '@entente/report';
import { EXIT, UsageError } from '../errors.js';
import { checkOutputPath, fileLoader, loadFile, writeFileAtomic } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { bindingOf, bindSet, type SetFlag, shellWord, toleranceText } from '../options.js';
import { capWorkers, compareInParallel, defaultWorkers, simulateInParallel } from '../parallel.js';
import { progressFor } from '../progress.js';
import { driversForAsync } from './run.js';

export interface ReportFlags {
  out?: string;
  /** Write every figure as an SVG file into this folder (created if missing). */
  svg?: string;
  runs?: number;
  seed?: number | string;
  given?: string[];
  set?: SetFlag[];
  /** Add Sobol indices of the first scenario, on min(runs, 20,000) trials per matrix (slower). */
  sobol?: boolean;
  /** Leave out the drivers (attribution runs its own trials). */
  drivers?: boolean;
  /** When attribution stops each pair of variants (`--drivers-tolerance`). */
  driversTolerance?: AttributionTolerance;
  /**
   * Threads (`--workers`) for the runs (blocks of trials, as `compare` and `run`) and the drivers'
   * pairs of variants (as `run`); by default every core from 100,000 trials. The same page either way.
   */
  workers?: number;
  quiet?: boolean;
}

/** The file `entente report` writes when --out is not given. */
export const DEFAULT_REPORT = 'report.html';

/**
 * `entente report FILE…`: run the scenarios on the same trials, attribute the first one's drivers
 * (and, with --sobol, its Sobol indices), and write one self-contained HTML page (and, with --svg,
 * every chart as an SVG file). Vega and the page assembly are loaded only here.
 */
export async function reportCommand(files: string[], flags: ReportFlags, io: CliIO): Promise<number> {
  if (files.length === 0) throw new UsageError('report needs at least one scenario file');
  const out = flags.out ?? DEFAULT_REPORT;
  if (flags.out === undefined) checkOutputPath(out);
  // The SVG folder too is made (or refused) before any work.
  if (flags.svg !== undefined) makeFolder(flags.svg);
  const given = flags.given ?? [];
  const loaded = files.map((f) => loadFile(f, given));
  const bound = loaded.map((r, i) => (r.ok ? bindSet(r.value, flags.set, files[i]!) : r));
  const issues = bound.flatMap((r) => (r.ok ? [] : r.issues));
  if (issues.length > 0) throw new ScenarioError(issues);
  const models = bound.map((r) => (r as { value: CompiledModel }).value);
  const horizon = models[0]!.scenario.horizon;
  const other = models.findIndex(
    (m) => m.plan.horizon !== horizon.steps || m.scenario.horizon.unit !== horizon.unit,
  );
  if (other >= 0) {
    const h = models[other]!.scenario.horizon;
    throw new UsageError(
      `${files[other]} has a horizon of ${h.steps} ${h.unit}(s) but ${files[0]} has ${horizon.steps} ${horizon.unit}(s); a report compares scenarios over the same horizon`,
    );
  }
  const runs = flags.runs ?? defaults.DEFAULT_RUNS;
  const seed = flags.seed ?? defaults.DEFAULT_SEED;
  const { workers, note } = capWorkers(flags.workers ?? defaultWorkers(runs));
  if (note !== undefined && !flags.quiet) io.stderr.write(note);
  const progress = progressFor(io, flags.quiet);
  try {
    let input: ReportInput;
    try {
      input = await gather(
        files,
        models,
        loaded.map((r) => (r as { value: CompiledModel }).value),
        flags,
        { runs, seed, workers },
        progress,
      );
    } catch (e) {
      if (progress.interrupted) return progress.stopped();
      throw e;
    }
    if (progress.interrupted) return progress.stopped();
    progress.done();
    // Vega and Vega-Lite load here only (a chunk of their own in the bundle): other commands start as fast as before.
    const { buildReport, slug } = await import('@entente/report');
    const report = await buildReport(input);
    if (flags.svg !== undefined) {
      for (const f of report.figures) {
        writeFileAtomic(join(flags.svg, `${slug(f.id)}.svg`), `${f.svg}\n`);
        writeFileAtomic(join(flags.svg, `${slug(f.id)}.vl.json`), `${JSON.stringify(f.spec, null, 2)}\n`);
      }
      if (!flags.quiet)
        io.stderr.write(
          `wrote ${report.figures.length} charts to ${flags.svg} (each as .svg and its Vega-Lite spec .vl.json)\n`,
        );
    }
    writeFileAtomic(out, report.html);
    if (!flags.quiet)
      io.stderr.write(`wrote ${out} (${Math.round(Buffer.byteLength(report.html) / 1024)} KiB)\n`);
    return EXIT.ok;
  } finally {
    progress.done();
  }
}

type Progress = ReturnType<typeof progressFor>;

/** Run everything the report shows; `files[i]` was loaded as `unbound[i]` and bound by --set into `models[i]`. */
async function gather(
  files: string[],
  models: CompiledModel[],
  unbound: CompiledModel[],
  flags: ReportFlags,
  trials: { runs: number; seed: number | string; workers: number },
  progress: Progress,
): Promise<ReportInput> {
  const { allianceCites, paramRows, valueQuantiles } = await import('@entente/report');
  const { runs, seed, workers } = trials;
  const conditioned = models.some((m) => m.evidence !== undefined);
  // Paired runs tally no evidence: conditioned scenarios run one by one, on the same trials and seed.
  // On worker threads: blocks of trials, merged exactly (the same bits as one thread).
  const options = { runs, seed, onProgress: progress.onProgress };
  const parallel = { runs, seed, workers, onShardDone: progress.onProgress, signal: progress.signal };
  let simulations: Simulation[];
  let discordance: PairedSimulation['discordance'] = [];
  if (conditioned) {
    simulations = [];
    for (const [i, m] of models.entries())
      simulations.push(
        workers > 1
          ? await simulateInParallel(m, files[i]!, {
              ...parallel,
              given: flags.given ?? [],
              set: bindingOf(flags.set),
            })
          : await simulateAsync(m, options),
      );
  } else {
    const paired =
      workers > 1
        ? await compareInParallel(models, files, { ...parallel, set: flags.set ?? [] })
        : await simulatePairedAsync(models, options);
    simulations = paired.simulations;
    discordance = paired.discordance;
  }
  if (progress.interrupted) throw new Error('interrupted');
  progress.endBar();
  const setNames = (flags.set ?? []).map((s) => s.name);
  const scenarios: ReportScenario[] = models.map((m, i) => {
    const sim = simulations[i]!;
    const result = estimate(m, sim);
    // Differences are in the first scenario's primary outcome, as compare reports them.
    const d = i > 0 ? discordance[i]?.[models[0]!.scenario.primary] : undefined;
    const description = m.scenario.description?.trim();
    return {
      file: files[i]!,
      result,
      ...(description === undefined || description === '' ? {} : { description }),
      ...(d === undefined ? {} : { difference: pairedDifference(d, result.runs) }),
      valueQuantiles: valueQuantiles(m, sim),
      params: paramRows(m, setNames, allianceCites(documentOf(files[i]!))),
    };
  });
  const notes: NonNullable<ReportInput['notes']> = {};
  if (conditioned && models.length > 1)
    notes.differences =
      'Paired differences are not shown: under --given or a scenario’s given section, trials are weighted by the evidence, so the same trials no longer pair.';
  let drivers: Driver[] | undefined;
  if (flags.drivers !== false) {
    const first = unbound[0]!;
    if (first.alliance === undefined)
      notes.drivers =
        'No drivers: the first scenario does not use the alliance vocabulary (interests and pressures).';
    else if (first.evidence !== undefined)
      notes.drivers =
        'No drivers under evidence: attribution runs unconditioned variants and would answer another question.';
    else {
      // As `run` attributes (the same drivers on any number of threads).
      drivers = await driversForAsync(
        first,
        bindingOf(flags.set),
        scenarios[0]!.result,
        {
          ...(flags.workers === undefined ? {} : { workers }),
          ...(flags.driversTolerance === undefined ? {} : { driversTolerance: flags.driversTolerance }),
        },
        progress.signal,
      );
    }
  }
  let sobol: SobolIndicesResult | undefined;
  if (flags.sobol) {
    const r = await sobolIndicesAsync(models[0]!, {
      seed,
      runs: Math.min(runs, SOBOL_RUNS),
      onProgress: progress.onProgress,
      signal: progress.signal,
    });
    if (r.ok) sobol = r.value;
    else notes.sobol = `No Sobol indices: ${r.issues.map(formatIssue).join('; ')}`;
    progress.endBar();
  }
  return {
    scenarios,
    ...(drivers === undefined ? {} : { drivers }),
    ...(sobol === undefined ? {} : { sobol }),
    ...(Object.keys(notes).length === 0 ? {} : { notes }),
    manifest: {
      engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
      seed,
      runs,
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      command: reproduce(files, flags, runs, seed),
      given: flags.given ?? [],
      set: (flags.set ?? []).map((s) => s.text),
    },
  };
}

/** The command that reproduces the report's numbers. */
function reproduce(files: string[], flags: ReportFlags, runs: number, seed: number | string): string {
  const words = [
    'entente',
    'report',
    ...files.map(shellWord),
    '--seed',
    typeof seed === 'string' ? shellWord(seed) : String(seed),
    '--runs',
    String(runs),
    ...(flags.given ?? []).flatMap((g) => ['--given', shellWord(g)]),
    ...(flags.set ?? []).flatMap((s) => ['--set', shellWord(s.text)]),
    ...(flags.sobol ? ['--sobol'] : []),
    ...(flags.drivers === false ? ['--no-drivers'] : []),
    ...(flags.drivers !== false && flags.driversTolerance !== undefined
      ? ['--drivers-tolerance', toleranceText(flags.driversTolerance)]
      : []),
  ];
  return words.join(' ');
}

/**
 * A scenario file's document as written, `extends` resolved, before the alliance vocabulary is
 * expanded: where generated params' sources and notes are. The file has already loaded, so this
 * read succeeds; anything else gives an empty document (the table then shows no generated cites).
 */
function documentOf(file: string): unknown {
  const parsed = parseDocument(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) return {};
  const resolved = resolveDocument(parsed.value, fileLoader);
  return resolved.ok ? resolved.value.data : {};
}

/** `--svg DIR`: the folder, created with its parents if missing; a file there, or no permission, is a usage error. */
function makeFolder(dir: string): void {
  if (dir === '') throw new UsageError('--svg needs a folder name');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `--svg ${dir}: a file is in the way; give a folder`
        : `--svg ${dir}: cannot create the folder (${(e as Error).message})`,
    );
  }
  if (!statSync(dir).isDirectory()) throw new UsageError(`--svg ${dir}: not a folder`);
}
