import { DEFAULT_SEED } from '../defaults.js';
import { ok, type Result } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { mix32, seedKey, siteKey } from '../random/seed.js';
import { type AnalysisColumn, type ColumnRunner, eachColumn } from './columns.js';
import { uniforms } from './optimize.js';
import {
  drive,
  driveAsync,
  MORRIS_LEVELS,
  MORRIS_RUNS,
  MORRIS_TRAJECTORIES,
  mean,
  quantileSorted,
  resolveAnalysis,
  type SensitivityInput,
  type SensitivityOptions,
  type SensitivityOutput,
} from './sensitivity.js';

export interface MorrisOptions extends SensitivityOptions {
  /** r: one-at-a-time trajectories through the levels. @defaultValue MORRIS_TRAJECTORIES (10) */
  trajectories?: number;
  /** p: levels per input, even. @defaultValue MORRIS_LEVELS (4) */
  levels?: number;
  /**
   * Where the design points' columns are computed (worker threads); on this thread when absent.
   * `morrisAsync` only. The same result either way.
   */
  columns?: ColumnRunner;
}

export interface MorrisEffect extends SensitivityInput {
  /** Mean elementary effect: its sign says which way the input moves the output. */
  mu: number;
  /** Mean absolute elementary effect: the screening measure (Campolongo et al. 2007). */
  muStar: number;
  /** Bootstrap 95% interval of μ* over the trajectories. */
  muStarCi95: [number, number];
  /** Standard deviation of the elementary effects: nonlinearity or interactions. */
  sigma: number;
}

export interface MorrisResult {
  method: 'morris';
  output: SensitivityOutput;
  /** Trials per design point. */
  runs: number;
  trajectories: number;
  levels: number;
  /** The step on the quantile scale: every move is from the u-quantile to the (u ± delta)-quantile. */
  delta: number;
  /** Design points, r(k + 1). */
  points: number;
  trials: number;
  seed: number | string;
  /** One per input, by decreasing μ*. */
  effects: MorrisEffect[];
}

/** Resamples of the trajectories behind the interval of μ*. */
const MU_STAR_RESAMPLES = 1_000;

/**
 * Morris elementary effects on the inputs' quantile scale: r trajectories through p levels of
 * [0, 1]^k (the midpoints (i + ½)/p of p equal cells, so unbounded params stay finite), each point
 * mapped through every param's quantile and bound at run time; each point's output is estimated over
 * `runs` trials with the same random numbers, so an elementary effect is a paired difference. An
 * input that stands for several params moves them together: each to the same quantile.
 * Costs r(k + 1)·runs trials.
 */
export function morris(model: CompiledModel, options: MorrisOptions = {}): Result<MorrisResult> {
  if (options.columns !== undefined)
    throw new TypeError('morris runs its columns on this thread: use morrisAsync for options.columns');
  return drive(morrisWork(model, options));
}

/** As `morris`, giving the event loop a turn between chunks of trials. The same result. */
export function morrisAsync(
  model: CompiledModel,
  options: MorrisOptions = {},
): Promise<Result<MorrisResult>> {
  return driveAsync(morrisWork(model, options));
}

function* morrisWork(
  model: CompiledModel,
  o: MorrisOptions,
): Generator<unknown, Result<MorrisResult>, unknown> {
  const resolved = resolveAnalysis(model, o);
  if (!resolved.ok) return resolved;
  const { inputs, output, read } = resolved.value;
  const runs = o.runs ?? MORRIS_RUNS;
  const seed = o.seed ?? DEFAULT_SEED;
  const r = o.trajectories ?? MORRIS_TRAJECTORIES;
  const p = o.levels ?? MORRIS_LEVELS;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError('runs must be a positive integer');
  if (!Number.isSafeInteger(r) || r < 1) throw new RangeError('trajectories must be a positive integer');
  if (!Number.isSafeInteger(p) || p < 2 || p % 2 !== 0)
    throw new RangeError('levels must be an even integer ≥ 2');
  const k = inputs.length;
  const jump = p / 2;
  const delta = jump / p;
  const plan = model.plan;
  const samplers = new Map(plan.params.map((q) => [plan.slotNames[q.slot]!, q.sampler]));
  const u = uniforms(mix32(seedKey(seed)[0] ^ siteKey('morris:design')));
  const point = (levels: Int32Array): AnalysisColumn => {
    const binding: Record<string, number> = {};
    inputs.forEach((input, j) => {
      for (const name of input.params) binding[name] = samplers.get(name)!.quantile((levels[j]! + 0.5) / p);
    });
    return { bind: binding };
  };
  // The design first (it draws only from `u`), then every point's output on the same trials.
  const moves: { j: number; up: boolean }[][] = [];
  const specs: AnalysisColumn[] = [];
  for (let traj = 0; traj < r; traj++) {
    // A base cell pair (b, b + jump) per input, a random end to start from, a random order of moves.
    const x = Int32Array.from(inputs, () => Math.floor(u() * (p - jump)) + (u() < 0.5 ? 0 : jump));
    const order = inputs.map((_, j) => j);
    for (let i = k - 1; i > 0; i--) {
      const s = Math.floor(u() * (i + 1));
      [order[i], order[s]] = [order[s]!, order[i]!];
    }
    specs.push(point(x));
    moves.push(
      order.map((j) => {
        // Levels below `jump` are the low end of their pair (b < p − jump = jump): move up; else down.
        const up = x[j]! < jump;
        x[j] = x[j]! + (up ? jump : -jump);
        specs.push(point(x));
        return { j, up };
      }),
    );
  }
  const y = new Float64Array(specs.length);
  yield* eachColumn(model, read, specs, runs, seed, o, (column, k) => {
    y[k] = mean(column);
  });
  const effects = inputs.map(() => new Float64Array(r));
  moves.forEach((trajectory, traj) => {
    trajectory.forEach(({ j, up }, i) => {
      const before = y[traj * (k + 1) + i]!;
      const after = y[traj * (k + 1) + i + 1]!;
      effects[j]![traj] = (after - before) / (up ? delta : -delta);
    });
  });
  const ru = uniforms(mix32(seedKey(seed)[0] ^ siteKey('morris:bootstrap')));
  const result = inputs.map((input, j) => {
    const e = effects[j]!;
    const mu = mean(e);
    const muStar = mean(e.map(Math.abs));
    const sigma = r > 1 ? Math.sqrt(e.reduce((s, x) => s + (x - mu) ** 2, 0) / (r - 1)) : 0;
    const draws: number[] = [];
    for (let b = 0; b < MU_STAR_RESAMPLES; b++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += Math.abs(e[Math.floor(ru() * r)]!);
      draws.push(s / r);
    }
    draws.sort((a, c) => a - c);
    const ci: [number, number] = [quantileSorted(draws, 0.025), quantileSorted(draws, 0.975)];
    return { ...input, mu, muStar, muStarCi95: ci, sigma };
  });
  result.sort((a, b) => b.muStar - a.muStar || a.name.localeCompare(b.name));
  return ok({
    method: 'morris',
    output,
    runs,
    trajectories: r,
    levels: p,
    delta,
    points: r * (k + 1),
    trials: r * (k + 1) * runs,
    seed,
    effects: result,
  });
}
