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
}

export function emptyTallies(horizon: number, outcomes: number, values: number, firstTrial = 0): Tallies {
  return {
    horizon,
    firstTrial,
    runs: 0,
    firstPassage: Array.from({ length: outcomes }, () => new Float64Array(horizon + 1)),
    values: Array.from({ length: values }, () => ({
      sum: new ExactSum(),
      sumOfSquares: new ExactSum(),
      sketch: new QuantileSketch(),
      min: Number.POSITIVE_INFINITY,
      max: Number.NEGATIVE_INFINITY,
    })),
  };
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
  a.values.forEach((v, i) => {
    const o = b.values[i]!;
    v.sum.merge(o.sum);
    v.sumOfSquares.merge(o.sumOfSquares);
    v.sketch.merge(o.sketch);
    v.min = Math.min(v.min, o.min);
    v.max = Math.max(v.max, o.max);
  });
  return a;
}
