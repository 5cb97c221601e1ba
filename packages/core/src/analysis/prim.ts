import { betaI } from '../random/special.js';

/*
 * Scenario discovery by PRIM, the patient rule induction method (Friedman & Fisher 1999, "Bump
 * hunting in high-dimensional data"), as EMA Workbench uses it (Bryant & Lempert 2010): find a box of
 * input space, a few inputs each limited to an interval, where the trials that end in the outcome of
 * interest (the cases) are concentrated. docs/EXPERIMENTS.md explains how to read the result. This
 * file is the algorithm on arrays of inputs; discover.ts runs it on a scenario's trials.
 */

/**
 * The share of the box that one peel removes (EMA's `peel_alpha`, Friedman & Fisher's α). Smaller
 * is more patient (finer limits, longer trajectories, more noise per step); 0.05 is both sources'
 * default.
 */
export const PRIM_ALPHA = 0.05;

/** The smallest box peeling may leave, as a share of all trials (EMA's `mass_min`). */
export const PRIM_MIN_SUPPORT = 0.05;

/** A restriction's quasi-p-value below this counts as significant in the CLI's words. */
export const QUASI_P_SIGNIFICANT = 0.05;

/** One input of PRIM: its name, its value in every trial, and its prior's CDF (for quantiles). */
export interface PrimInput {
  readonly name: string;
  readonly values: Float64Array;
  /**
   * P(X ≤ x) under the input's prior, to state limits as quantiles of it; without it, limits are
   * stated as quantiles of the values given (the empirical CDF).
   */
  readonly cdf?: (x: number) => number;
}

/** How PRIM peels, pastes and chooses its box. */
export interface PrimOptions {
  /** Share of the box each peel removes, in (0, 0.5). @defaultValue PRIM_ALPHA (0.05) */
  alpha?: number;
  /** Share of the box each paste adds back. @defaultValue the peeling alpha */
  pasteAlpha?: number;
  /** Peeling stops before the box holds fewer than this share of the trials. @defaultValue PRIM_MIN_SUPPORT (0.05) */
  minSupport?: number;
  /** Paste the chosen box (extend its limits back while its density rises). @defaultValue true */
  paste?: boolean;
  /**
   * Choose the box with the largest coverage among those whose density is at least this. Without
   * it, the box with the best F1 score (the harmonic mean of density and coverage).
   */
  threshold?: number;
}

/** One restricted input of a box; an end that is not restricted is null. */
export interface PrimLimit {
  readonly input: string;
  /** Trials in the box have value ≥ lower and ≤ upper. */
  readonly lower: number | null;
  readonly upper: number | null;
  /** Each limit as a quantile of the input's prior: P(X ≤ limit). */
  readonly lowerQuantile: number | null;
  readonly upperQuantile: number | null;
  /**
   * Quasi-p-values (Bryant & Lempert 2010; EMA Workbench): the one-sided binomial probability of the
   * box's cases, or more, among its trials, at the density the box would have without this end's
   * restriction. Small: the restriction concentrates cases beyond chance. Given for the chosen box only.
   */
  readonly lowerP?: number | null;
  readonly upperP?: number | null;
}

/** A box on the peeling trajectory, or the chosen box. */
export interface PrimBox {
  /** Position on the peeling trajectory (0: every trial). */
  readonly index: number;
  /** Trials in the box. */
  readonly support: number;
  /** Cases in the box. */
  readonly cases: number;
  /** Share of all trials in the box. */
  readonly mass: number;
  /** Share of all cases that fall in the box (0 when there are no cases at all). */
  readonly coverage: number;
  /** Share of the box's trials that are cases. */
  readonly density: number;
  /** The restricted inputs, in input order. */
  readonly limits: readonly PrimLimit[];
  /** The peel that made this box from the one before it. */
  readonly peeled?: { readonly input: string; readonly end: 'lower' | 'upper' };
}

/** What PRIM found: the peeling trajectory and the box chosen from it, pasted. */
export interface PrimResult {
  readonly trials: number;
  readonly cases: number;
  /** Share of all trials that are cases: the density of the box that restricts nothing. */
  readonly baseDensity: number;
  readonly alpha: number;
  readonly pasteAlpha: number;
  readonly minSupport: number;
  readonly threshold: number | null;
  /** Boxes from every trial down to the last peel; coverage never rises, mass always falls. */
  readonly trajectory: readonly PrimBox[];
  readonly chosen: {
    /** Index of the chosen box on the trajectory (before pasting). */
    readonly index: number;
    /** `threshold`: largest coverage at density ≥ threshold; `f1`: best harmonic mean of density and coverage. */
    readonly rule: 'threshold' | 'f1';
    /** With a threshold: whether any box reached it (if not, the densest box was chosen). */
    readonly reached: boolean;
    /** Pastes applied to the chosen box. */
    readonly pastes: number;
  };
  /** The chosen box after pasting, with quasi-p-values. */
  readonly box: PrimBox;
}

interface Candidate {
  readonly input: number;
  readonly end: 'lower' | 'upper';
  readonly limit: number;
  /** Trials the step removes (peel) or adds (paste), and the cases among them. */
  readonly trials: number;
  readonly cases: number;
}

/**
 * PRIM on trial-level inputs against a 0/1 outcome (`cases[i]` is 1 when trial i is a case): peel
 * from every trial down to the minimum support, choose a box by the documented rule, paste it.
 * Deterministic: the same inputs and cases give the same boxes.
 */
export function prim(inputs: readonly PrimInput[], cases: Uint8Array, options: PrimOptions = {}): PrimResult {
  const alpha = options.alpha ?? PRIM_ALPHA;
  const pasteAlpha = options.pasteAlpha ?? alpha;
  const minSupport = options.minSupport ?? PRIM_MIN_SUPPORT;
  const threshold = options.threshold ?? null;
  const problem = optionProblem({ alpha, pasteAlpha, minSupport, threshold });
  if (problem !== undefined) throw new RangeError(problem);
  const N = cases.length;
  for (const input of inputs)
    if (input.values.length !== N)
      throw new RangeError(`input "${input.name}" has ${input.values.length} values for ${N} trials`);
  if (N === 0) throw new RangeError('PRIM needs at least one trial');

  const box = new BoxState(inputs, cases);
  const K = box.k;
  const snapshot = (index: number, peeled?: PrimBox['peeled']): PrimBox => ({
    index,
    support: box.n,
    cases: box.k,
    mass: box.n / N,
    coverage: K === 0 ? 0 : box.k / K,
    density: box.k / box.n,
    limits: box.limits(),
    ...(peeled === undefined ? {} : { peeled }),
  });

  const trajectory: PrimBox[] = [snapshot(0)];
  for (;;) {
    const step = box.bestPeel(alpha, Math.ceil(minSupport * N - 1e-9));
    if (step === undefined) break;
    box.setLimit(step.input, step.end, step.limit);
    trajectory.push(snapshot(trajectory.length, { input: inputs[step.input]!.name, end: step.end }));
  }

  const chosen = choose(trajectory, threshold, K);
  box.reset(trajectory[chosen.index]!.limits);
  let pastes = 0;
  if (options.paste ?? true) {
    for (let step = box.bestPaste(pasteAlpha); step !== undefined; step = box.bestPaste(pasteAlpha)) {
      box.setLimit(step.input, step.end, step.limit);
      pastes++;
    }
  }
  const final = snapshot(chosen.index);
  return {
    trials: N,
    cases: K,
    baseDensity: K / N,
    alpha,
    pasteAlpha,
    minSupport,
    threshold,
    trajectory,
    chosen: { ...chosen, pastes },
    box: { ...final, limits: box.limits(true) },
  };
}

/** Why PRIM's options are invalid, or undefined. */
export function optionProblem(o: {
  alpha?: number;
  pasteAlpha?: number;
  minSupport?: number;
  threshold?: number | null;
}): string | undefined {
  const inOpen = (x: number | undefined, hi: number): boolean => x === undefined || (x > 0 && x < hi);
  if (!inOpen(o.alpha, 0.5)) return `alpha must be between 0 and 0.5 (exclusive), not ${o.alpha}`;
  if (!inOpen(o.pasteAlpha, 0.5))
    return `the paste alpha must be between 0 and 0.5 (exclusive), not ${o.pasteAlpha}`;
  if (!inOpen(o.minSupport, 1)) return `the minimum support must be between 0 and 1, not ${o.minSupport}`;
  const t = o.threshold;
  if (t !== undefined && t !== null && !(t > 0 && t <= 1))
    return `the density threshold must be in (0, 1], not ${t}`;
  return undefined;
}

/**
 * The documented rule (docs/EXPERIMENTS.md). With a threshold D: the box with the largest coverage
 * among those with density ≥ D (on equal coverage, the denser); if none reaches D, the densest box.
 * Without one: the box with the largest F1 = 2·density·coverage / (density + coverage), which is the
 * box's overlap with the cases, 2·|box ∩ cases| / (|box| + |cases|): it falls when the box leaves out
 * cases and when it takes in non-cases, in the same currency. On equal F1, the earlier (larger) box.
 */
function choose(
  trajectory: readonly PrimBox[],
  threshold: number | null,
  totalCases: number,
): { index: number; rule: 'threshold' | 'f1'; reached: boolean } {
  if (threshold !== null) {
    let best = -1;
    let densest = 0;
    trajectory.forEach((b, i) => {
      if (b.density > trajectory[densest]!.density) densest = i;
      if (b.density < threshold) return;
      const o = best < 0 ? undefined : trajectory[best]!;
      if (o === undefined || b.coverage > o.coverage || (b.coverage === o.coverage && b.density > o.density))
        best = i;
    });
    return best < 0
      ? { index: densest, rule: 'threshold', reached: false }
      : { index: best, rule: 'threshold', reached: true };
  }
  let best = 0;
  let bestF1 = -1;
  trajectory.forEach((b, i) => {
    const f1 = (2 * b.cases) / (b.support + totalCases);
    if (f1 > bestF1) {
      best = i;
      bestF1 = f1;
    }
  });
  return { index: best, rule: 'f1', reached: true };
}

/** F1 of a box: the harmonic mean of its density and coverage (0 when there are no cases). */
export function boxF1(b: Pick<PrimBox, 'density' | 'coverage'>): number {
  return b.density + b.coverage === 0 ? 0 : (2 * b.density * b.coverage) / (b.density + b.coverage);
}

/**
 * A box over the trials, updated in place. Each input's trials are sorted once; `out[i]` counts the
 * limits that exclude trial i, so a trial is in the box when it is 0, and a trial outside one limit
 * only is a candidate for pasting that limit back. Moving a limit touches only the trials it passes.
 */
class BoxState {
  readonly N: number;
  private readonly x: readonly Float64Array[];
  private readonly order: readonly Uint32Array[];
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** Sorted positions [lowPos, highEnd) of input j hold the trials within its limits. */
  private readonly lowPos: Int32Array;
  private readonly highEnd: Int32Array;
  private readonly out: Uint16Array;
  /** Trials and cases in the box. */
  n: number;
  k: number;

  constructor(
    private readonly inputs: readonly PrimInput[],
    private readonly y: Uint8Array,
  ) {
    this.N = y.length;
    this.x = inputs.map((i) => i.values);
    this.order = this.x.map(argsort);
    const d = inputs.length;
    this.lo = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
    this.hi = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
    this.lowPos = new Int32Array(d);
    this.highEnd = new Int32Array(d).fill(this.N);
    this.out = new Uint16Array(this.N);
    this.n = this.N;
    this.k = 0;
    for (let i = 0; i < this.N; i++) this.k += y[i]! > 0 ? 1 : 0;
  }

  /** Back to the box with these limits (every other input unrestricted). */
  reset(limits: readonly PrimLimit[]): void {
    for (let j = 0; j < this.inputs.length; j++) {
      this.setLimit(j, 'lower', Number.NEGATIVE_INFINITY);
      this.setLimit(j, 'upper', Number.POSITIVE_INFINITY);
    }
    for (const l of limits) {
      const j = this.inputs.findIndex((i) => i.name === l.input);
      if (l.lower !== null) this.setLimit(j, 'lower', l.lower);
      if (l.upper !== null) this.setLimit(j, 'upper', l.upper);
    }
  }

  /** Move one limit (tighter or looser), updating which trials are in the box. */
  setLimit(j: number, end: 'lower' | 'upper', limit: number): void {
    const x = this.x[j]!;
    const o = this.order[j]!;
    if (end === 'lower') {
      let p = this.lowPos[j]!;
      if (limit > this.lo[j]!) for (; p < this.N && x[o[p]!]! < limit; p++) this.exclude(o[p]!);
      else for (; p > 0 && x[o[p - 1]!]! >= limit; p--) this.include(o[p - 1]!);
      this.lowPos[j] = p;
      this.lo[j] = limit;
    } else {
      let p = this.highEnd[j]!;
      if (limit < this.hi[j]!) for (; p > 0 && x[o[p - 1]!]! > limit; p--) this.exclude(o[p - 1]!);
      else for (; p < this.N && x[o[p]!]! <= limit; p++) this.include(o[p]!);
      this.highEnd[j] = p;
      this.hi[j] = limit;
    }
  }

  private exclude(i: number): void {
    const before = this.out[i]!;
    this.out[i] = before + 1;
    if (before === 0) {
      this.n--;
      this.k -= this.y[i]! > 0 ? 1 : 0;
    }
  }

  private include(i: number): void {
    const after = this.out[i]! - 1;
    this.out[i] = after;
    if (after === 0) {
      this.n++;
      this.k += this.y[i]! > 0 ? 1 : 0;
    }
  }

  /**
   * The peel that raises the box's density most per trial removed (EMA's default "lenient"
   * objective, which is Friedman & Fisher's when peels are of equal size and also handles ties),
   * among those that leave at least `minTrials`; undefined when none raises it.
   */
  bestPeel(alpha: number, minTrials: number): Candidate | undefined {
    const m = Math.max(1, Math.round(alpha * this.n));
    const density = this.k / this.n;
    let best: Candidate | undefined;
    let bestGain = 0;
    for (let j = 0; j < this.inputs.length; j++) {
      for (const end of ['lower', 'upper'] as const) {
        const c = this.edge(j, end, m, 0, end === 'lower' ? 1 : -1);
        if (c === undefined || this.n - c.trials < minTrials) continue;
        const gain = ((this.k - c.cases) / (this.n - c.trials) - density) / c.trials;
        if (gain > bestGain || (gain === bestGain && best !== undefined && this.prefer(c, best))) {
          best = c;
          bestGain = gain;
        }
      }
    }
    return best;
  }

  /** The paste of a restricted limit that raises the density most per trial added; undefined when none raises it. */
  bestPaste(alpha: number): Candidate | undefined {
    const m = Math.max(1, Math.round(alpha * this.n));
    const density = this.k / this.n;
    let best: Candidate | undefined;
    let bestGain = 0;
    for (let j = 0; j < this.inputs.length; j++) {
      for (const end of ['lower', 'upper'] as const) {
        if (
          end === 'lower' ? this.lo[j] === Number.NEGATIVE_INFINITY : this.hi[j] === Number.POSITIVE_INFINITY
        )
          continue;
        const c = this.edge(j, end, m, 1, end === 'lower' ? -1 : 1);
        if (c === undefined) continue;
        const gain = ((this.k + c.cases) / (this.n + c.trials) - density) / c.trials;
        if (gain > bestGain) {
          best = c;
          bestGain = gain;
        }
      }
    }
    return best;
  }

  /** On equal gain, tighten an input already restricted rather than restrict another (as EMA does). */
  private prefer(a: Candidate, b: Candidate): boolean {
    return this.restricted(a.input) && !this.restricted(b.input);
  }

  private restricted(j: number): boolean {
    return this.lo[j] !== Number.NEGATIVE_INFINITY || this.hi[j] !== Number.POSITIVE_INFINITY;
  }

  /**
   * Walk input j's sorted trials from one end of the box and take at least m of those with
   * `out === want` (0: in the box, to peel; 1: outside this limit only, to paste), with every tie of
   * the last value taken. The new limit lies halfway between the last value taken and the next one;
   * a paste that takes every candidate lifts the limit altogether. `dir` is the walking direction.
   */
  private edge(
    j: number,
    end: 'lower' | 'upper',
    m: number,
    want: number,
    dir: 1 | -1,
  ): Candidate | undefined {
    const x = this.x[j]!;
    const o = this.order[j]!;
    // Peeling walks into the box from its limit; pasting walks out of it.
    let p =
      want === 0
        ? end === 'lower'
          ? this.lowPos[j]!
          : this.highEnd[j]! - 1
        : end === 'lower'
          ? this.lowPos[j]! - 1
          : this.highEnd[j]!;
    let trials = 0;
    let cases = 0;
    let last = Number.NaN;
    for (; p >= 0 && p < this.N; p += dir) {
      const i = o[p]!;
      if (this.out[i] !== want) continue;
      const v = x[i]!;
      if (trials >= m && v !== last) {
        // Halfway between, unless last and v are adjacent doubles: a peel's limit must leave out
        // `last` (so it may fall on v, which stays in), a paste's must leave out v.
        const mid = (last + v) / 2;
        const limit = want === 0 ? (mid !== last ? mid : v) : mid !== v ? mid : last;
        return { input: j, end, limit, trials, cases };
      }
      trials++;
      cases += this.y[i]! > 0 ? 1 : 0;
      last = v;
    }
    if (want === 0 || trials === 0) return undefined; // a peel may not empty the box
    const open = end === 'lower' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return { input: j, end, limit: open, trials, cases };
  }

  /** The restricted inputs, with quantiles of their priors and, if asked, quasi-p-values. */
  limits(withP = false): PrimLimit[] {
    const limits: PrimLimit[] = [];
    for (let j = 0; j < this.inputs.length; j++) {
      if (!this.restricted(j)) continue;
      const lower = this.lo[j] === Number.NEGATIVE_INFINITY ? null : this.lo[j]!;
      const upper = this.hi[j] === Number.POSITIVE_INFINITY ? null : this.hi[j]!;
      const limit: PrimLimit = {
        input: this.inputs[j]!.name,
        lower,
        upper,
        lowerQuantile: lower === null ? null : this.quantile(j, lower),
        upperQuantile: upper === null ? null : this.quantile(j, upper),
      };
      limits.push(
        withP
          ? {
              ...limit,
              lowerP: lower === null ? null : this.quasiP(j, 'lower'),
              upperP: upper === null ? null : this.quasiP(j, 'upper'),
            }
          : limit,
      );
    }
    return limits;
  }

  /** P(X ≤ v) under the prior, or the share of trials whose value is below v. */
  private quantile(j: number, v: number): number {
    const cdf = this.inputs[j]!.cdf;
    if (cdf !== undefined) return cdf(v);
    const x = this.x[j]!;
    const o = this.order[j]!;
    let a = 0;
    let b = this.N;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (x[o[mid]!]! < v) a = mid + 1;
      else b = mid;
    }
    return a / this.N;
  }

  /**
   * One-sided binomial test of the box's cases at the density of the box without one end's limit
   * (EMA Workbench's quasi-p, after Bryant & Lempert 2010).
   */
  private quasiP(j: number, end: 'lower' | 'upper'): number {
    const x = this.x[j]!;
    let n = this.n;
    let k = this.k;
    for (let i = 0; i < this.N; i++) {
      if (this.out[i] !== 1) continue;
      if (end === 'lower' ? x[i]! < this.lo[j]! : x[i]! > this.hi[j]!) {
        n++;
        k += this.y[i]! > 0 ? 1 : 0;
      }
    }
    return binomialUpperTail(this.k, this.n, k / n);
  }
}

/** P(X ≥ k) for X ~ Binomial(n, p): the regularised incomplete beta I_p(k, n − k + 1). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  return betaI(p, k, n - k + 1);
}

/** Trial indices sorted by value (ties by index, so the order is deterministic). */
function argsort(x: Float64Array): Uint32Array {
  const order = new Uint32Array(x.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => x[a]! - x[b]! || a - b);
}
