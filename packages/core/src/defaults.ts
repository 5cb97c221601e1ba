/**
 * Every number that shapes a result lives here, with its reason, so that a reader can find it
 * and a change to it is one line.
 */

/** The seed used when none is given: runs agree with each other unless asked otherwise. */
export const DEFAULT_SEED = 20241124;

/** Trials per run when none is given: ±0.005 at p = 0.5 needs ≈ 38,415 (1.96² · p(1−p) / ε²). */
export const DEFAULT_RUNS = 40_000;

/**
 * Trials per chunk. Results do not depend on it (tallies are exact and merge in any order); it only
 * bounds how long the engine runs between progress callbacks.
 */
export const DEFAULT_CHUNK_SIZE = 5_000;

/** Precision mode checks its stopping rule after every batch of this many trials, so it stays deterministic. */
export const PRECISION_BATCH = 10_000;

/** Precision mode never runs more trials than this unless told. */
export const DEFAULT_MAX_RUNS = 2_000_000;

/** Two-sided 95% normal quantile, used by every interval. */
export const Z95 = 1.959963984540054;

/** Relative accuracy of the quantile sketch: a reported quantile is within 0.5% of a true sample value. */
export const SKETCH_RELATIVE_ACCURACY = 0.005;

/** Default number of steps and their unit when a scenario does not say. */
export const DEFAULT_HORIZON_UNIT = 'month';

/** Quantiles reported for every tracked variable. */
export const REPORTED_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Default PERT shape (the classic λ = 4). */
export const PERT_LAMBDA = 4;

/**
 * Soft evidence weights a trial by a likelihood in (0, 1], kept as an integer number of units of
 * 2^-24 so that sums over trials are exact integers (mergeable in any order, like counts) up to
 * 2^29 ≈ 5·10^8 trials. A likelihood below 2^-25 of the largest possible one rounds to 0: that
 * trial counts as rejected.
 */
export const EVIDENCE_WEIGHT_UNIT = 2 ** 24;

/** Quantiles of each param's prior and posterior reported under evidence. */
export const EVIDENCE_QUANTILES = [0.1, 0.5, 0.9] as const;
