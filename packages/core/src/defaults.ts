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

/*
 * Limits on untrusted input. Scenario files may come from anyone, so everything that grows with the
 * input is bounded, each far above what a real model needs (docs/SCENARIOS.md, "Limits"), and checked
 * by a cheap iterative measure before anything recursive or quadratic sees the input.
 */

/**
 * The longest formula, in characters. The longest in the scenario packs (after the alliance
 * vocabulary is expanded) has 294; the vocabulary's longest is a sum with one term per interest or
 * pressure, about 25 characters each.
 */
export const MAX_FORMULA_LENGTH = 10_000;

/**
 * How deeply a formula may nest: every bracket, function call, conditional and unary operator (`-`,
 * `not`), every `^`, and every operator in a chain such as `a + b + c` adds a level (a lone name is
 * 1); the deepest formula in the scenario packs is 15 levels deep. The parser, the checker, code
 * generation and the closure fallback all recurse once per level; at 100 levels the costliest kind
 * (brackets, in mathjs's first, unoptimised parse) uses about 40% of Node's default stack and every
 * other kind less than 20%, so a formula that validates compiles and runs even when called from deep
 * inside a caller's own code.
 */
export const MAX_FORMULA_DEPTH = 100;

/** Nodes in a formula's parse tree (names, numbers, operators, calls, brackets); the packs' largest has 51. */
export const MAX_FORMULA_NODES = 2_000;

/**
 * Brackets nested in the operand of a `%` inside the operand of another `%`: mathjs parses such an
 * operand twice (to tell modulo from percentage), so parse time doubles with each level.
 */
export const MAX_FORMULA_PERCENT_NESTING = 4;

/** The largest scenario document: 4 MiB (bytes for a file, characters for text given to the library). */
export const MAX_DOCUMENT_SIZE = 4 * 1024 * 1024;

/**
 * The most YAML nodes in a document, counted as the YAML lexer meets them: each scalar (key or
 * value), alias and flow collection, and each `-`, `?` and `:` of a block collection. The largest file
 * in the scenario packs has 3,602; an empirical distribution with 200,000 samples in a flow list fits.
 */
export const MAX_DOCUMENT_NODES = 250_000;

/** How deeply mappings and lists may nest in a document (5 in the scenario packs). */
export const MAX_DOCUMENT_DEPTH = 64;

/**
 * How far YAML aliases (`*name`) may multiply a document, as the yaml library counts it
 * (`maxAliasCount`): a few reused anchors pass, a "billion laughs" does not.
 */
export const MAX_ALIAS_COUNT = 100;
