import { ExactSum } from '../stats/exactSum.js';
import { QuantileSketch } from '../stats/sketch.js';

/** Running summary of one reported variable's value at the horizon. */
export interface ValueTally {
  readonly sum: ExactSum;
  readonly sumOfSquares: ExactSum;
  readonly sketch: QuantileSketch;
  min: number;
  max: number;
}

/**
 * Everything a run keeps: O(horizon + outcomes + sketch buckets), whatever the number of trials.
 * Counts are integers and sums exact, so tallies merge to the same bits in any order.
 */
export interface Tallies {
  readonly horizon: number;
  /** The first trial's number; trials are firstTrial … firstTrial + runs − 1. */
  firstTrial: number;
  runs: number;
  /** firstPassage[k][s]: trials in which outcome k first held at step s (index 0 unused). */
  readonly firstPassage: Float64Array[];
  readonly values: ValueTally[];
  /**
   * Present when the model conditions on evidence (`given`). Then `firstPassage` and `values` count
   * each accepted trial by its integer weight (1 with hard evidence only) and skip rejected ones.
   */
  readonly evidence?: EvidenceTally;
}

/** What conditioning kept, and each random param before and after it. */
export interface EvidenceTally {
  /** Trials consistent with every hard clause and with a weight above 0. */
  accepted: number;
  /** Σ of accepted trials' integer weights: the denominator of every estimate. */
  weight: number;
  /** Σ of squared weights, exactly: the effective sample size is weight² / weightSquared. */
  readonly weightSquared: ExactSum;
  /** failed[c]: trials that clause c alone rules out. */
  readonly failed: Float64Array;
  /** Each random param's value at step 0: over all trials (prior) and weighted over accepted ones. */
  readonly prior: ValueTally[];
  readonly posterior: ValueTally[];
}

export function emptyTallies(
  horizon: number,
  outcomes: number,
  values: number,
  firstTrial = 0,
  evidence?: { clauses: number; params: number },
): Tallies {
  return {
    horizon,
    firstTrial,
    runs: 0,
    firstPassage: Array.from({ length: outcomes }, () => new Float64Array(horizon + 1)),
    values: Array.from({ length: values }, emptyValue),
    ...(evidence === undefined
      ? {}
      : {
          evidence: {
            accepted: 0,
            weight: 0,
            weightSquared: new ExactSum(),
            failed: new Float64Array(evidence.clauses),
            prior: Array.from({ length: evidence.params }, emptyValue),
            posterior: Array.from({ length: evidence.params }, emptyValue),
          },
        }),
  };
}

export function emptyValue(): ValueTally {
  return {
    sum: new ExactSum(),
    sumOfSquares: new ExactSum(),
    sketch: new QuantileSketch(),
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
  };
}

/** Count value `x` with integer weight `w` (1 for an unweighted trial). */
export function addValue(t: ValueTally, x: number, w: number): void {
  t.sum.add(w * x);
  t.sumOfSquares.add(w * x * x);
  t.sketch.add(x, w);
  if (x < t.min) t.min = x;
  if (x > t.max) t.max = x;
}

/**
 * Add `b` into `a`. The trial ranges must be adjacent (b right after a, or a right after b), so a
 * merged tally still stands for one contiguous block of trials and its footer can say which.
 */
export function mergeTallies(a: Tallies, b: Tallies): Tallies {
  if (
    a.horizon !== b.horizon ||
    a.firstPassage.length !== b.firstPassage.length ||
    a.values.length !== b.values.length
  ) {
    throw new Error('cannot merge tallies of different models');
  }
  const aEnd = a.firstTrial + a.runs;
  const bEnd = b.firstTrial + b.runs;
  if (a.runs > 0 && b.runs > 0 && aEnd !== b.firstTrial && bEnd !== a.firstTrial) {
    throw new Error(
      `trial ranges [${a.firstTrial}, ${aEnd}) and [${b.firstTrial}, ${bEnd}) are not adjacent`,
    );
  }
  if (a.runs === 0 || b.firstTrial < a.firstTrial) a.firstTrial = b.firstTrial;
  a.runs += b.runs;
  a.firstPassage.forEach((row, k) => {
    const other = b.firstPassage[k]!;
    for (let s = 0; s < row.length; s++) row[s]! += other[s]!;
  });
  mergeValues(a.values, b.values);
  const ea = a.evidence;
  const eb = b.evidence;
  if ((ea === undefined) !== (eb === undefined))
    throw new Error('cannot merge tallies with and without evidence');
  if (ea !== undefined && eb !== undefined) {
    if (ea.failed.length !== eb.failed.length || ea.prior.length !== eb.prior.length)
      throw new Error('cannot merge tallies of different evidence');
    ea.accepted += eb.accepted;
    ea.weight += eb.weight;
    ea.weightSquared.merge(eb.weightSquared);
    for (let c = 0; c < ea.failed.length; c++) ea.failed[c]! += eb.failed[c]!;
    mergeValues(ea.prior, eb.prior);
    mergeValues(ea.posterior, eb.posterior);
  }
  return a;
}

function mergeValues(a: ValueTally[], b: ValueTally[]): void {
  a.forEach((v, i) => {
    const o = b[i]!;
    v.sum.merge(o.sum);
    v.sumOfSquares.merge(o.sumOfSquares);
    v.sketch.merge(o.sketch);
    v.min = Math.min(v.min, o.min);
    v.max = Math.max(v.max, o.max);
  });
}
