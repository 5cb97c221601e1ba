import cliProgress from 'cli-progress';
import { EXIT } from './errors.js';
import type { CliIO } from './io-streams.js';

const INTERRUPTED = EXIT.interrupted;

/**
 * A progress bar appears only on a terminal, not with --quiet, and only once a run has lasted a second
 * (ENTENTE_PROGRESS_DELAY_MS changes the delay; tests set it to 0).
 */
const PROGRESS_AFTER_MS = 1000;

/** How long after the first batch of trials a run's pace is measured (see progressFor). */
const PACE_AFTER_MS = 250;

/** A first batch that took this long gives the pace itself: warming up is a fraction of it. */
const TRUSTED_BATCH_MS = 1_000;

/** A run estimated to take longer than this (after its first batch) is announced on stderr, once. */
export const LONG_RUN_MS = 60_000;

/** What `run` suggests for a long run: precision mode, which stops once the answer is precise enough. */
export const PRECISION_SUGGESTION =
  'precision mode stops as soon as the primary outcome is known to ±0.5 points: --precision 0.005';

/** What is suggested for a long run when the command says nothing more specific. */
const DEFAULT_SUGGESTION = 'fewer --runs finish sooner, and Ctrl-C stops it';

export interface ProgressOptions {
  /** Told, after the estimate of a long run, what would finish sooner (default: fewer --runs). */
  suggestion?: string;
  /** The clock, in milliseconds (tests pass a fake one). @defaultValue Date.now */
  now?: () => number;
}

/** A duration for people: `13 ms`, `40 s`, `12 min`, `3 h 20 min`, `9 days`, `32 years`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (!Number.isFinite(s)) return 'forever';
  if (ms < 999.5) return `${Math.max(1, Math.round(ms))} ms`;
  if (s < 59.5) return `${Math.round(s)} s`;
  if (s < 3570) return `${Math.round(s / 60)} min`;
  if (s < 86_400) {
    const minutes = Math.round(s / 60);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const days = Math.round(s / 86_400);
  if (days < 365) return `${days} day${days === 1 ? '' : 's'}`;
  const years = Math.round(s / (365.25 * 86_400));
  return `${years.toLocaleString('en-US')} year${years === 1 ? '' : 's'}`;
}

/**
 * The bar's time to go: empty until some work is done (no `eta INFs` on the first frame), then
 * `eta 12 s` at the pace so far (`eta <1 s` at the end).
 */
export function etaText(elapsedMs: number, done: number, total: number): string {
  if (!(done > 0) || !(elapsedMs > 0)) return '';
  const remaining = (elapsedMs * Math.max(0, total - done)) / done;
  return remaining < 1000 ? 'eta <1 s' : `eta ${formatDuration(remaining)}`;
}

/**
 * The note for a run whose first `done` of `total` trials took `elapsedMs`: undefined when the
 * whole run should take at most LONG_RUN_MS, else how long it will take and what would be faster.
 * `estimate` is the whole run's time (default: at the pace so far).
 */
export function longRunNote(
  elapsedMs: number,
  done: number,
  total: number,
  suggestion: string = DEFAULT_SUGGESTION,
  estimate: number = (elapsedMs * total) / done,
): string | undefined {
  if (!(done > 0) || !(elapsedMs > 0) || done >= total) return undefined;
  if (estimate <= LONG_RUN_MS) return undefined;
  return `note: at this pace the ${total.toLocaleString('en-US')} trials take about ${formatDuration(estimate)} (the first ${done.toLocaleString('en-US')} took ${formatDuration(elapsedMs)}); ${suggestion}\n`;
}

/**
 * Progress and Ctrl-C for a long run: `onProgress` draws the bar and returns false once Ctrl-C was
 * pressed, which stops the engine at the next chunk; `signal` is aborted at the same moment, for
 * work that does not report progress (worker threads, driver attribution). A second Ctrl-C exits
 * 130 at once (see processIO). Call `endBar()` when the trials are done and more work follows
 * (attribution: Ctrl-C still stops it), and `done()` when the command ends.
 *
 * The whole run's time is estimated at the pace of the trials after the first batch, a quarter of a
 * second (PACE_AFTER_MS) after it: the first batches pay for compiling and warming up (`run` on the
 * flagship: the first 5,000 trials took 133 ms and the first 10,000 178 ms, against ~15 ms per
 * 5,000 once warm, and a 9 s run was announced as "about 1 min"). A run that will take more than a
 * minute says so on stderr once, with `options.suggestion` (unless quiet, terminal or not). A run
 * that is short even at the first batch's pace says nothing.
 */
export function progressFor(io: CliIO, quiet: boolean | undefined, options: ProgressOptions = {}) {
  let interrupted = false;
  const controller = new AbortController();
  const removeHandler = io.onInterrupt(() => {
    interrupted = true;
    controller.abort();
  });
  const now = options.now ?? Date.now;
  const started = now();
  const delay = Number(io.env.ENTENTE_PROGRESS_DELAY_MS ?? PROGRESS_AFTER_MS);
  const show = io.stderr.isTTY === true && !quiet;
  let estimated = false;
  /** The first batch: when it was done and how many trials it held. */
  let first: { at: number; done: number } | undefined;
  let bar: cliProgress.SingleBar | undefined;
  return {
    get interrupted(): boolean {
      return interrupted;
    },
    /** Aborted on Ctrl-C, for work that does not report progress (worker threads, attribution). */
    signal: controller.signal,
    onProgress(done: number, total: number): boolean | undefined {
      if (interrupted) return false;
      const elapsed = now() - started;
      // The run's time, once: at the first batch's pace if even that is short, or if the batch took
      // a second or more (mostly trials, not warming up; coarse progress, such as a few large
      // blocks, might not report again before the end); else at the pace a quarter second on.
      let estimate: number | undefined;
      if (!estimated && done > 0 && first === undefined) {
        first = { at: elapsed, done };
        if (longRunNote(elapsed, done, total) === undefined) estimated = true;
        else if (elapsed >= TRUSTED_BATCH_MS) estimate = (elapsed * total) / done;
      } else if (
        !estimated &&
        first !== undefined &&
        done > first.done &&
        elapsed >= first.at + PACE_AFTER_MS
      ) {
        const pace = (elapsed - first.at) / (done - first.done);
        estimate = pace > 0 ? elapsed + pace * (total - done) : (elapsed * total) / done;
      }
      if (estimate !== undefined) {
        estimated = true;
        const note = quiet ? undefined : longRunNote(elapsed, done, total, options.suggestion, estimate);
        if (note !== undefined) {
          // Above the bar, not through it.
          bar?.stop();
          bar = undefined;
          io.stderr.write(note);
        }
      }
      const eta = etaText(elapsed, done, total);
      if (show && bar === undefined && elapsed >= delay) {
        bar = new cliProgress.SingleBar(
          {
            stream: io.stderr as NodeJS.WritableStream,
            format: 'trials {bar} {value}/{total} ({percentage}%) {remaining}',
            clearOnComplete: true,
            hideCursor: true,
            noTTYOutput: false,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, { remaining: eta });
      }
      bar?.update(done, { remaining: eta });
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
