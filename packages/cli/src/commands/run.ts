import { ATTRIBUTION_RUNS, attribute, runAsync } from '@entente/core';
import { createColors } from 'picocolors';
import { EXIT } from '../errors.js';
import { type Format, formatRun } from '../format/run.js';
import { loadFileOrThrow, writeOutput } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';
import { progressFor } from '../progress.js';

export interface RunFlags {
  runs?: number;
  seed?: number | string;
  precision?: number;
  format: Format;
  out?: string;
  quiet?: boolean;
  /** Attribution to interests and pressures (default on for scenarios that use the alliance vocabulary). */
  drivers?: boolean;
}

export async function runCommand(file: string, flags: RunFlags, io: CliIO): Promise<number> {
  const model = loadFileOrThrow(file);
  const progress = progressFor(io, flags.quiet);
  try {
    const result = await runAsync(model, {
      ...(flags.runs === undefined ? {} : { runs: flags.runs }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(flags.precision === undefined ? {} : { precision: flags.precision }),
      onProgress: progress.onProgress,
    });
    progress.done();
    const drivers =
      model.alliance !== undefined && flags.drivers !== false && !progress.interrupted
        ? attribute(model, { runs: Math.min(result.runs, ATTRIBUTION_RUNS), seed: result.seed })
        : undefined;
    if (progress.interrupted) {
      io.stderr.write('interrupted: no result written\n');
      return EXIT.interrupted;
    }
    const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
    writeOutput(
      io,
      flags,
      formatRun(drivers === undefined ? result : { ...result, drivers }, flags.format, file, colors),
    );
    return EXIT.ok;
  } finally {
    progress.done();
  }
}
