import { DEFAULT_CHUNK_SIZE, DEFAULT_MAX_RUNS, DEFAULT_RUNS, DEFAULT_SEED } from '../defaults.js';

/** How to run a simulation. Every field is optional; `withDefaults` says what an omitted one means. */
export interface RunOptions {
  /**
   * The seed: an integer or any string. A result is a function of (scenario, seed, runs) alone.
   * @defaultValue DEFAULT_SEED (20241124)
   */
  seed?: number | string;
  /**
   * Number of trials. In precision mode, the number to run at most (else DEFAULT_MAX_RUNS).
   * @defaultValue DEFAULT_RUNS (40,000: ±0.005 at 95% in the worst case)
   */
  runs?: number;
  /**
   * Number of the first trial. Shards of one estimate use disjoint ranges of trial numbers and
   * merge exactly. @defaultValue 0
   */
  firstTrial?: number;
  /** Trials between progress callbacks; results do not depend on it. @defaultValue DEFAULT_CHUNK_SIZE */
  chunkSize?: number;
  /**
   * Stop when the primary outcome's 95% half-width at the horizon is at most this, checked after
   * every PRECISION_BATCH trials (so the stopping point is deterministic).
   */
  precision?: number;
  /** Called after every chunk with trials done and the planned total; return `false` to stop early. */
  onProgress?: (done: number, total: number) => boolean | undefined;
  /**
   * Sum some slots over each trial's steps 1 … horizon while the run plays it (trials numbered below
   * `trials` only): what attribution's tracking pass computes, without playing those trials a
   * second time (`trackContributions` in analysis/attribution.ts). The result does not depend on it.
   * Not with evidence.
   */
  track?: TrialTracking;
}

/** Slots to sum over each trial's steps, and where each trial's sums go (RunOptions.track). */
export interface TrialTracking {
  readonly slots: readonly number[];
  /** Trials numbered 0 … trials − 1 are tracked, in order, each once. */
  readonly trials: number;
  /**
   * Called once per tracked trial with its sums and its first-passage steps (`fp[k]` > 0 when
   * outcome k happened; the same arrays each time: copy what you keep).
   */
  onTrial(trial: number, sums: Float64Array, fp: Int32Array): void;
}

export interface ResolvedRunOptions {
  seed: number | string;
  runs: number;
  firstTrial: number;
  chunkSize: number;
  precision: number | undefined;
  onProgress: RunOptions['onProgress'];
  track: TrialTracking | undefined;
}

export function withDefaults(o: RunOptions = {}): ResolvedRunOptions {
  const runs = o.runs ?? (o.precision === undefined ? DEFAULT_RUNS : DEFAULT_MAX_RUNS);
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new RangeError(what);
  };
  check(Number.isSafeInteger(runs) && runs >= 1, `runs must be a positive integer, got ${runs}`);
  check(
    o.firstTrial === undefined || (Number.isSafeInteger(o.firstTrial) && o.firstTrial >= 0),
    'firstTrial must be a non-negative integer',
  );
  check(
    o.chunkSize === undefined || (Number.isSafeInteger(o.chunkSize) && o.chunkSize >= 1),
    'chunkSize must be a positive integer',
  );
  check(
    o.precision === undefined || (o.precision > 0 && o.precision < 0.5),
    'precision must lie in (0, 0.5)',
  );
  check(
    o.seed === undefined || typeof o.seed === 'string' || Number.isFinite(o.seed),
    'seed must be a finite number or a string',
  );
  return {
    seed: o.seed ?? DEFAULT_SEED,
    runs,
    firstTrial: o.firstTrial ?? 0,
    chunkSize: o.chunkSize ?? DEFAULT_CHUNK_SIZE,
    precision: o.precision,
    onProgress: o.onProgress,
    track: o.track,
  };
}
