import { STREAM_WIDTH } from '../random/alea.js';

/**
 * Runs one trial in place: `v` holds the slots, `S` the trial's seeded streams; on return `fp[k]`
 * is the first step at which outcome k held, or 0 if it never did. `onStep` (for traces) is called
 * after every step; without it a trial may stop early once every outcome has happened and nothing
 * is reported, which does not change any result. With `stopOn` (an outcome's index) and without
 * `onStep`, it also stops once that outcome has happened: `fp[stopOn]` is then what it would have
 * been, while later steps, other outcomes' `fp` and the slots are not computed (attribution's pairs
 * of variants read nothing else), nor checked: a failure after that step goes unnoticed.
 */
export interface TrialFn {
  (
    v: Float64Array,
    S: Float64Array,
    fp: Int32Array,
    onStep?: (t: number) => void,
    stopOn?: number,
    /** The site keys of `drawnSites`, in that order, as signed 32-bit integers (the same bits). */
    K?: Int32Array,
  ): void;
  /**
   * Present when this function defers its checks (generate.ts): it then throws a Recheck instead of
   * a TrialFailure, and this is the same trial with every check where it was, to replay it from the
   * same seed so that the error names the formula and step that failed first.
   */
  readonly checked?: TrialFn;
  /**
   * The sites this function draws itself, in the order it draws them (generated code: the params
   * it draws in a loop, each with `firstDraw` from the trial's base at `baseSlot` and its site key,
   * which `K` holds in this order). The player makes K once and does not seed those streams
   * (simulate/player.ts).
   */
  readonly drawnSites?: readonly number[];
}

/**
 * A deferred check failed during the trial (or may have: a sum of finite values can overflow): replay
 * it with `checked`. Every step before `step` passed its checks and was passed to `onStep`.
 */
export class Recheck extends Error {
  constructor(readonly step: number) {
    super(`a check failed by step ${step}; replay the trial with every check`);
  }
}

/** Called by generated code that defers its checks; never returns. */
export function recheck(step: number): never {
  throw new Recheck(step);
}

/** Why a trial could not go on; the simulator adds the trial number and the formula's path. */
export class TrialFailure extends Error {
  constructor(
    readonly formula: number,
    readonly step: number,
    readonly value: number,
    readonly kind: 'value' | 'probability',
  ) {
    super(kind === 'value' ? `formula ${formula} gave ${value}` : `probability ${value} outside [0, 1]`);
  }
}

/** Called by both back ends; never returns. */
export function failTrial(
  formula: number,
  step: number,
  value: number,
  kind: 'value' | 'probability',
): never {
  throw new TrialFailure(formula, step, value, kind);
}

/** A probability sum may exceed 1 by rounding; more than this is the author's mistake. */
export const PROBABILITY_SLACK = 1e-9;

export const streamOffset = (site: number): number => site * STREAM_WIDTH;
