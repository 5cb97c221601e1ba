import { DEFAULT_SEED } from '../defaults.js';
import { fail, ok, type Result } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { mix32, seedKey, siteKey } from '../random/seed.js';
import { type AnalysisColumn, type ColumnRunner, eachColumn } from './columns.js';
import { uniforms } from './optimize.js';
import {
  drive,
  driveAsync,
  quantileSorted,
  resolveAnalysis,
  type SensitivityInput,
  type SensitivityOptions,
  type SensitivityOutput,
  SOBOL_RESAMPLES,
  SOBOL_RUNS,
} from './sensitivity.js';

export interface SobolIndicesOptions extends SensitivityOptions {
  /** Bootstrap resamples of the trials behind each interval. @defaultValue SOBOL_RESAMPLES (500) */
  resamples?: number;
  /** Which independent streams matrix B draws from: another salt, another B. @defaultValue 1 */
  salt?: number;
  /**
   * Where the matrices' columns are computed (worker threads); on this thread when absent.
   * `sobolIndicesAsync` only. The result is the same bits either way.
   */
  columns?: ColumnRunner;
}

/** A share of the output's variance, with its bootstrap 95% interval (percentile method). */
export interface SobolShare {
  estimate: number;
  ci95: [number, number];
}

export interface SobolIndex extends SensitivityInput {
  /** S_j = Var(E[Y | X_j]) / Var(Y): what input j explains alone. */
  first: SobolShare;
  /**
   * S_Tj = E[Var(Y | everything but X_j)] / Var(Y): what it explains with all its interactions,
   * including those with the trial's noise (large for a binary output, see docs/EXPERIMENTS.md).
   */
  total: SobolShare;
  /**
   * The same two indices of m(X) = E[Y | every param] — P(outcome | params) for an outcome — the
   * part of Y that the params can explain: shares of Var(m) = Var(Y)·(1 − noise), interactions
   * with the noise removed. Omitted when the params explain too little of Var(Y) to estimate these
   * ratios at this N (the upper end of the noise share's interval leaves less than half of 1 − noise).
   */
  conditional?: { first: SobolShare; total: SobolShare };
}

export interface SobolIndicesResult {
  method: 'sobol';
  output: SensitivityOutput;
  /** N: trials per matrix (A, B, one A_B per input, and the noise matrices). */
  runs: number;
  /** Trials played in all. */
  trials: number;
  seed: number | string;
  resamples: number;
  /** P(outcome by the horizon), or the value's mean, over the trials of A and B. */
  mean: number;
  /** Var(Y) over A and B: p(1 − p) for an outcome. The indices apportion it. */
  variance: number;
  /** One per input, by decreasing total index. */
  indices: SobolIndex[];
  /**
   * The aleatory share: E[Var(Y | every random param)] / Var(Y) = 1 − S_closed(all params), the
   * variance left when every param is held and only the trial's noise (events, regimes, draws
   * inside formulas) is re-drawn. 0 exactly for a model without noise.
   */
  noise: SobolShare;
  /** S_closed of the inputs together: Var(E[Y | inputs]) / Var(Y) (= 1 − noise when every param is an input). */
  closed: SobolShare;
  /** Random params left out of the inputs: re-drawn in B, held in each A_B, like the noise. */
  unselected: string[];
}

/**
 * First-order and total Sobol indices of an outcome's indicator by the horizon (or of a reported
 * value) by pick-freeze on per-site streams: A is the model; B re-draws every random site from
 * independent streams; A_B^j re-draws only input j's params, from B's streams. Saltelli et al.
 * (2010) estimate S_j, Jansen (1999) S_Tj; the noise share is Jansen's total index of the aleatory
 * sites. Intervals: bootstrap over trials. Costs N(k + 3) trials (N more if params are left out).
 */
export function sobolIndices(
  model: CompiledModel,
  options: SobolIndicesOptions = {},
): Result<SobolIndicesResult> {
  if (options.columns !== undefined)
    throw new TypeError(
      'sobolIndices runs its columns on this thread: use sobolIndicesAsync for options.columns',
    );
  return drive(sobolWork(model, options));
}

/** As `sobolIndices`, giving the event loop a turn between chunks of trials. The same result. */
export function sobolIndicesAsync(
  model: CompiledModel,
  options: SobolIndicesOptions = {},
): Promise<Result<SobolIndicesResult>> {
  return driveAsync(sobolWork(model, options));
}

function* sobolWork(
  model: CompiledModel,
  o: SobolIndicesOptions,
): Generator<unknown, Result<SobolIndicesResult>, unknown> {
  const resolved = resolveAnalysis(model, o);
  if (!resolved.ok) return resolved;
  const { inputs, output, read, unselected } = resolved.value;
  const runs = o.runs ?? SOBOL_RUNS;
  const seed = o.seed ?? DEFAULT_SEED;
  const resamples = o.resamples ?? SOBOL_RESAMPLES;
  const salt = o.salt ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 2) throw new RangeError('runs must be an integer ≥ 2');
  if (!Number.isSafeInteger(resamples) || resamples < 2)
    throw new RangeError('resamples must be an integer ≥ 2');
  const specs = design(model, inputs, unselected, salt);
  // Every column is needed at once: the estimators and the bootstrap read them row by row.
  const y: Float64Array[] = [];
  yield* eachColumn(model, read, specs, runs, seed, o, (column) => {
    y.push(column);
  });
  const noisy = model.plan.siteNames.length > model.plan.params.length;
  const k = inputs.length;
  const cols: Columns = {
    a: y[0]!,
    b: y[1]!,
    ab: y.slice(2, 2 + k),
    noise: noisy ? y[2 + k] : undefined,
    rest: unselected.length > 0 ? y[y.length - 1] : undefined,
  };
  const point = estimate(cols, undefined);
  if (!(point.variance > 0))
    return fail([
      {
        path: ['output'],
        code: 'sensitivity.constant',
        message: `"${output.name}" took the same value in all ${2 * runs} trials of A and B: there is no variance to apportion`,
      },
    ]);
  const boot = bootstrap(cols, resamples, mix32(seedKey(seed)[0] ^ siteKey('sobol:bootstrap')));
  const share = (estimate: number, draws: number[]): SobolShare => ({
    estimate,
    ci95: percentileInterval(draws),
  });
  const draws = (pick: (e: Estimate) => number): number[] => boot.map(pick);
  const noise = share(
    point.noise,
    draws((b) => b.noise),
  );
  // Indices of m are ratios to the explained share 1 − noise: give them only where that share is
  // known to within half of itself, not where a noise share near 1 would make them meaningless.
  const explainable = point.explained > 0 && 1 - noise.ci95[1] >= point.explained / 2;
  const indices: SobolIndex[] = inputs.map((input, j) => ({
    ...input,
    first: share(
      point.first[j]!,
      draws((b) => b.first[j]!),
    ),
    total: share(
      point.total[j]!,
      draws((b) => b.total[j]!),
    ),
    ...(explainable
      ? {
          conditional: {
            first: share(
              point.first[j]! / point.explained,
              draws((b) => b.first[j]! / b.explained),
            ),
            total: share(
              point.conditionalTotal[j]!,
              draws((b) => b.conditionalTotal[j]!),
            ),
          },
        }
      : {}),
  }));
  indices.sort((p, q) => q.total.estimate - p.total.estimate || p.name.localeCompare(q.name));
  return ok({
    method: 'sobol',
    output,
    runs,
    trials: runs * specs.length,
    seed,
    resamples,
    mean: point.mean,
    variance: point.variance,
    indices,
    noise,
    closed: share(
      point.closed,
      draws((b) => b.closed),
    ),
    unselected,
  });
}

/**
 * How many matrices (columns of `runs` trials each) a Sobol analysis of `model` with `options` plays,
 * or undefined when its inputs or output do not resolve (the analysis then reports why).
 */
export function sobolMatrices(
  model: CompiledModel,
  options: Pick<SensitivityOptions, 'inputs' | 'output'>,
): number | undefined {
  const resolved = resolveAnalysis(model, options);
  if (!resolved.ok) return undefined;
  return design(model, resolved.value.inputs, resolved.value.unselected, 1).length;
}

/**
 * The matrices, in order: A (the model), B (every site from other streams), one A_B per input (its
 * params from B's streams), the noise matrix (A's params, B's noise) when the model draws anything
 * but params, and the closed matrix of the unselected params when there are any.
 */
function design(
  model: CompiledModel,
  inputs: readonly { params: readonly string[] }[],
  unselected: readonly string[],
  salt: number,
): AnalysisColumn[] {
  const plan = model.plan;
  const all = plan.params.map((p) => plan.slotNames[p.slot]!);
  const noisy = plan.siteNames.length > plan.params.length;
  return [
    { salt },
    { redraw: { params: all, aleatory: true }, salt },
    ...inputs.map((i) => ({ redraw: { params: i.params }, salt })),
    ...(noisy ? [{ redraw: { aleatory: true }, salt }] : []),
    ...(unselected.length > 0 ? [{ redraw: { params: unselected, aleatory: true }, salt }] : []),
  ];
}

/** The analysis's output columns: A, B, one A_B per input, and the noise and closed matrices if any. */
export interface Columns {
  a: Float64Array;
  b: Float64Array;
  ab: Float64Array[];
  noise: Float64Array | undefined;
  rest: Float64Array | undefined;
}

export interface Estimate {
  mean: number;
  variance: number;
  first: number[];
  total: number[];
  noise: number;
  closed: number;
  /** 1 − noise: Var(m) / Var(Y), with m = E[Y | every param]. */
  explained: number;
  /** E[Var(m | every param but X_j)] / Var(m). */
  conditionalTotal: number[];
}

/** The estimators over the trials, each counted w[i] times (once each without w): `resampled` over every row. */
export function estimate(c: Columns, w: Int32Array | undefined): Estimate {
  const n = c.a.length;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  return resampled(c, w ?? new Int32Array(n).fill(1), rows, n);
}

/** The estimators on `resamples` bootstrap resamples of the trials (rows resampled whole). */
export function bootstrap(c: Columns, resamples: number, seed: number): Estimate[] {
  const n = c.a.length;
  const u = uniforms(seed);
  const w = new Int32Array(n);
  const rows = new Int32Array(n);
  const out: Estimate[] = [];
  // Skipping rows drawn no time is exact only while every term is finite: 0 · ∞ is NaN in
  // `estimate`. Values this large (their squares overflow) take the pass over every row.
  const fused = [c.a, c.b, ...c.ab, ...(c.noise ? [c.noise] : []), ...(c.rest ? [c.rest] : [])].every((y) =>
    y.every((x) => Math.abs(x) <= SAFE_MAGNITUDE),
  );
  for (let r = 0; r < resamples; r++) {
    w.fill(0);
    for (let i = 0; i < n; i++) w[Math.floor(u() * n)]! += 1;
    let count = 0;
    for (let i = 0; i < n; i++) if (w[i] !== 0) rows[count++] = i;
    out.push(fused ? resampled(c, w, rows, count) : estimate(c, w));
  }
  return out;
}

/** Below this magnitude, every difference and square of two values is finite. */
const SAFE_MAGNITUDE = 1e150;

/**
 * The estimators over the rows `rows[0 … count)` (in order), row i counted w[i] times, in two passes:
 * the mean, then every other sum. Over the rows a resample drew it is `estimate(c, w)` (every row)
 * bit for bit, for values within ±SAFE_MAGNITUDE: each sum adds the same terms in the same order,
 * and a row drawn no time adds w·t = 0, which leaves a finite sum as it was. About a third of the
 * rows are drawn no time.
 *
 * Jansen: ½ E[(f(X) − f(X′))²] = E[Var(Y | what X and X′ share)], for two matrices that share some
 * sites and draw the others independently (total indices, the noise, the closed matrix). Saltelli
 * 2010: E[f(B)(f(A_B) − f(A))], with f(B) centred (same expectation, less variance): first-order
 * indices. The noise matrix (params of A, noise of B) and A_B^j (X_j of B, the rest of A) share
 * every param but X_j and nothing else, so their Jansen term is E[Var(Y | params but X_j)]; less the
 * noise's E[Var(Y | params)], it is E[Var(m | params but X_j)]: the total index of m, for free.
 */
export function resampled(c: Columns, w: Int32Array, rows: Int32Array, count: number): Estimate {
  const n = c.a.length;
  const { a, b, ab, noise: z, rest } = c;
  const k = ab.length;
  let sum = 0;
  for (let r = 0; r < count; r++) {
    const i = rows[r]!;
    sum += w[i]! * (a[i]! + b[i]!);
  }
  const mean = sum / (2 * n);
  let ss = 0;
  let noiseSum = 0;
  let restSum = 0;
  const total = new Float64Array(k);
  const first = new Float64Array(k);
  const conditional = new Float64Array(k);
  for (let r = 0; r < count; r++) {
    const i = rows[r]!;
    const wi = w[i]!;
    const ai = a[i]!;
    const bi = b[i]!;
    ss += wi * ((ai - mean) ** 2 + (bi - mean) ** 2);
    if (z !== undefined) noiseSum += wi * (ai - z[i]!) ** 2;
    if (rest !== undefined) restSum += wi * (ai - rest[i]!) ** 2;
    for (let j = 0; j < k; j++) {
      const x = ab[j]![i]!;
      total[j]! += wi * (ai - x) ** 2;
      first[j]! += wi * (bi - mean) * (x - ai);
      if (z !== undefined) conditional[j]! += wi * (z[i]! - x) ** 2;
    }
  }
  const variance = ss / (2 * n);
  const noise = z === undefined ? 0 : noiseSum / (2 * n) / variance;
  const explained = 1 - noise;
  return {
    mean,
    variance,
    first: Array.from(first, (s) => s / n / variance),
    total: Array.from(total, (s) => s / (2 * n) / variance),
    noise,
    closed: 1 - (rest === undefined ? noise : restSum / (2 * n) / variance),
    explained,
    conditionalTotal: Array.from(total, (s, j) =>
      z === undefined ? s / (2 * n) / variance : (conditional[j]! / (2 * n) / variance - noise) / explained,
    ),
  };
}

/** The 2.5th and 97.5th percentiles of the bootstrap draws (a resample with no variance is left out). */
function percentileInterval(draws: number[]): [number, number] {
  const sorted = draws.filter(Number.isFinite).sort((p, q) => p - q);
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}
