import { ATTRIBUTION_RUNS, attribute, runAsync } from '@entente/core';
import cliProgress from 'cli-progress';
import { createColors } from 'picocolors';
import { EXIT } from '../errors.js';
import { type Format, formatRun } from '../format/run.js';
import { loadFileOrThrow, writeFileAtomic } from '../io.js';
import { type CliIO, colorEnabled } from '../io-streams.js';

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

/** A progress bar appears only on a terminal, not with --quiet, and only once a run has lasted a second. */
const PROGRESS_AFTER_MS = 1000;

export async function runCommand(file: string, flags: RunFlags, io: CliIO): Promise<number> {
  const model = loadFileOrThrow(file);
  let interrupted = false;
  const removeHandler = io.onInterrupt(() => {
    interrupted = true;
  });
  const started = Date.now();
  const showProgress = io.stderr.isTTY === true && !flags.quiet;
  let bar: cliProgress.SingleBar | undefined;
  try {
    const result = await runAsync(model, {
      ...(flags.runs === undefined ? {} : { runs: flags.runs }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(flags.precision === undefined ? {} : { precision: flags.precision }),
      onProgress(done, total) {
        if (interrupted) return false;
        if (showProgress && bar === undefined && Date.now() - started > PROGRESS_AFTER_MS) {
          bar = new cliProgress.SingleBar(
            {
              stream: io.stderr as NodeJS.WritableStream,
              format: 'trials {bar} {value}/{total} ({percentage}%) eta {eta}s',
              clearOnComplete: true,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done);
        }
        bar?.update(done);
        return undefined;
      },
    });
    bar?.stop();
    const drivers =
      model.alliance !== undefined && flags.drivers !== false && !interrupted
        ? attribute(model, { runs: Math.min(result.runs, ATTRIBUTION_RUNS), seed: result.seed })
        : undefined;
    if (interrupted) {
      io.stderr.write('interrupted: no result written\n');
      return EXIT.interrupted;
    }
    const colors = createColors(flags.out === undefined && colorEnabled(io.stdout, io.env));
    const text = formatRun(
      drivers === undefined ? result : { ...result, drivers },
      flags.format,
      file,
      colors,
    );
    if (flags.out !== undefined) {
      writeFileAtomic(flags.out, text);
      if (!flags.quiet) io.stderr.write(`wrote ${flags.out}\n`);
    } else io.stdout.write(text);
    return EXIT.ok;
  } finally {
    bar?.stop();
    removeHandler();
  }
}
