import cliProgress from 'cli-progress';
import { EXIT } from './errors.js';
import type { CliIO } from './io-streams.js';

const INTERRUPTED = EXIT.interrupted;

/**
 * A progress bar appears only on a terminal, not with --quiet, and only once a run has lasted a second
 * (ENTENTE_PROGRESS_DELAY_MS changes the delay; tests set it to 0).
 */
const PROGRESS_AFTER_MS = 1000;

/**
 * Progress and Ctrl-C for a long run: `onProgress` draws the bar and returns false once Ctrl-C was
 * pressed, which stops the engine at the next chunk; `signal` is aborted at the same moment, for
 * work that does not report progress (worker threads, driver attribution). A second Ctrl-C exits
 * 130 at once (see processIO). Call `endBar()` when the trials are done and more work follows
 * (attribution: Ctrl-C still stops it), and `done()` when the command ends.
 */
export function progressFor(io: CliIO, quiet: boolean | undefined) {
  let interrupted = false;
  const controller = new AbortController();
  const removeHandler = io.onInterrupt(() => {
    interrupted = true;
    controller.abort();
  });
  const started = Date.now();
  const delay = Number(io.env.ENTENTE_PROGRESS_DELAY_MS ?? PROGRESS_AFTER_MS);
  const show = io.stderr.isTTY === true && !quiet;
  let bar: cliProgress.SingleBar | undefined;
  return {
    get interrupted(): boolean {
      return interrupted;
    },
    /** Aborted on Ctrl-C, for work that does not report progress (worker threads, attribution). */
    signal: controller.signal,
    onProgress(done: number, total: number): boolean | undefined {
      if (interrupted) return false;
      if (show && bar === undefined && Date.now() - started >= delay) {
        bar = new cliProgress.SingleBar(
          {
            stream: io.stderr as NodeJS.WritableStream,
            format: 'trials {bar} {value}/{total} ({percentage}%) eta {eta}s',
            clearOnComplete: true,
            hideCursor: true,
            noTTYOutput: false,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar?.update(done);
      return undefined;
    },
    /** Say that nothing was written and give the exit code for an interrupted run. */
    stopped(): number {
      io.stderr.write('interrupted: no result written\n');
      return INTERRUPTED;
    },
    /** Clear the bar; Ctrl-C still goes to this run until `done()`. */
    endBar(): void {
      bar?.stop();
      bar = undefined;
    },
    done(): void {
      bar?.stop();
      bar = undefined;
      removeHandler();
    },
  };
}
