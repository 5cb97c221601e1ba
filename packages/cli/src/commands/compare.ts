import {
  type CompiledModel,
  defaults,
  estimate,
  pairedDifference,
  ScenarioError,
  simulatePairedAsync,
} from '@entente/core';
import { createColors } from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { type CompareReport, formatCompare } from '../format/compare.js';
import type { Format } from '../format/run.js';
import { loadFile, writeOutput } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';
import { bindSet, type SetFlag } from '../options.js';
import { capWorkers, compareInParallel, defaultWorkers } from '../parallel.js';
import { progressFor } from '../progress.js';

export interface CompareFlags {
  runs?: number;
  seed?: number | string;
  format: Format;
  out?: string;
  quiet?: boolean;
  /** Params bound at run time in every scenario (`--set NAME=VALUE`, repeatable). */
  set?: SetFlag[];
  /** Threads (`--workers`): by default every core from 100,000 trials; the same bits either way. */
  workers?: number;
}

/** Scenarios side by side on the same trials: each probability, and each difference from the first with a paired interval. */
export async function compareCommand(files: string[], flags: CompareFlags, io: CliIO): Promise<number> {
  if (files.length < 2) throw new UsageError('compare needs at least two scenario files');
  // --set binds the same values in every scenario; a name must be a param of each.
  const loaded = files.map((f) => {
    const r = loadFile(f);
    return r.ok ? bindSet(r.value, flags.set, f) : r;
  });
  const issues = loaded.flatMap((r) => (r.ok ? [] : r.issues));
  if (issues.length > 0) throw new ScenarioError(issues);
  const models = loaded.map((r) => (r as { value: CompiledModel }).value);
  const horizon = models[0]!.plan.horizon;
  const other = models.findIndex((m) => m.plan.horizon !== horizon);
  if (other >= 0) {
    throw new UsageError(
      `${files[other]} has a horizon of ${models[other]!.plan.horizon} steps but ${files[0]} has ${horizon}; compare scenarios over the same horizon`,
    );
  }
  const progress = progressFor(io, flags.quiet);
  try {
    const runs = flags.runs ?? defaults.DEFAULT_RUNS;
    const { workers, note } = capWorkers(flags.workers ?? defaultWorkers(runs));
    if (note !== undefined && !flags.quiet) io.stderr.write(note);
    const paired =
      workers > 1
        ? await compareInParallel(models, files, {
            runs,
            seed: flags.seed ?? defaults.DEFAULT_SEED,
            workers,
            set: flags.set ?? [],
            onShardDone: progress.onProgress,
            signal: progress.signal,
          })
        : await simulatePairedAsync(models, {
            runs,
            ...(flags.seed === undefined ? {} : { seed: flags.seed }),
            onProgress: progress.onProgress,
          });
    progress.done();
    if (progress.interrupted) return progress.stopped();
    const report: CompareReport = {
      ...(flags.set === undefined || flags.set.length === 0
        ? {}
        : { setFlags: flags.set.map((s) => s.text) }),
      primary: models[0]!.scenario.primary,
      scenarios: models.map((m, i) => {
        const result = estimate(m, paired.simulations[i]!);
        const n = result.runs;
        return {
          file: files[i]!,
          result,
          ...(i === 0
            ? {}
            : {
                difference: Object.fromEntries(
                  Object.entries(paired.discordance[i]!).map(([id, d]) => [id, pairedDifference(d, n)]),
                ),
              }),
        };
      }),
    };
    const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
    writeOutput(io, flags, formatCompare(report, flags.format, colors));
    return EXIT.ok;
  } finally {
    progress.done();
  }
}
