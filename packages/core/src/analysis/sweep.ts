import { drive, driveAsync } from '../drive.js';
import { EvidenceError, fail, ok, type Result, SimulationError } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { mix32, seedKey } from '../random/seed.js';
import { withDefaults } from '../simulate/options.js';
import { pairedDifference } from '../simulate/paired.js';
import { evidenceShape, trialRunner } from '../simulate/simulate.js';
import { emptyTallies } from '../simulate/tallies.js';
import { estimate } from '../stats/estimate.js';
import { ENGINE_NAME, ENGINE_VERSION } from '../version.js';
import { bindParams } from './bind.js';
import { latinHypercube } from './optimize.js';
import { sobolPoints } from './sobol.js';

export type SweepDesign = 'grid' | 'lhs' | 'sobol';

/** One input to vary: a param of the scenario and its range. */
export interface SweepInput {
  name: string;
  lo: number;
  hi: number;
  /** Grid designs: values from lo to hi inclusive, equally spaced. @defaultValue DEFAULT_SWEEP_STEPS */
  steps?: number;
}

/** Grid values per input when a grid input does not say: lo, hi and three between. */
export const DEFAULT_SWEEP_STEPS = 5;
/** Points of a space-filling (lhs, sobol) design when not told. */
export const DEFAULT_SWEEP_POINTS = 16;
/** The most design points one sweep evaluates (a grid's is the product of its inputs' steps). */
export const MAX_SWEEP_POINTS = 10_000;
/** Design values are rounded to this many significant digits, so that each is the decimal it prints as. */
const VALUE_DIGITS = 12;
/** Salt of the Latin hypercube's own stream, which comes from the sweep's seed. */
const LHS_SALT = 0x1a75;

export interface SweepOptions {
  /** The params to vary, each bound to a number at every design point. */
  vary: readonly SweepInput[];
  /**
   * `grid`: every combination of each input's steps (the last input varies fastest); `lhs`: a Latin
   * hypercube of `points` from the seed; `sobol`: the first `points` of the Sobol sequence.
   * @defaultValue 'grid'
   */
  design?: SweepDesign;
  /** Points of an lhs or sobol design. @defaultValue DEFAULT_SWEEP_POINTS */
  points?: number;
  /** Trials per design point; every point runs the same trials. @defaultValue DEFAULT_RUNS */
  runs?: number;
  /** @defaultValue DEFAULT_SEED */
  seed?: number | string;
  /** @defaultValue 0 */
  firstTrial?: number;
  /** Trials between progress callbacks; results do not depend on it. @defaultValue DEFAULT_CHUNK_SIZE */
  chunkSize?: number;
  /** Steps of interest: P(primary by each), besides the horizon. @defaultValue [] */
  steps?: readonly number[];
  /** Called after every chunk with trials done over all points and the total; `false` stops. */
  onProgress?: (done: number, total: number) => boolean | undefined;
}

export interface SweepStep {
  step: number;
  probability: number;
  ci95: [number, number];
}

/** P at a point minus P at the previous point of the same grid row, paired on the same trials. */
export interface SweepDifference {
  /** Index of the point it is measured from. */
  from: number;
  /** By the horizon. */
  estimate: number;
  ci95: [number, number];
  /** By each step of interest. */
  at: { step: number; estimate: number; ci95: [number, number] }[];
}

export interface SweepPoint {
  /** The value every varied param was bound to here. */
  values: Record<string, number>;
  /** Trials (weighted, under evidence) in which the primary outcome happened by the horizon. */
  hits: number;
  /** P(primary by the horizon), with its Wilson 95% interval: what `run` gives at these values. */
  probability: number;
  ci95: [number, number];
  /** P(primary by each step of interest). */
  at: SweepStep[];
  /** Grid designs without evidence, from the second value of the last input on. */
  difference?: SweepDifference;
}

export interface SweepResult {
  engine: { name: string; version: string };
  /** The model swept (before the design's bindings). */
  scenario: { id: string; title: string; hash: string };
  primary: string;
  horizon: { steps: number; unit: string };
  design: SweepDesign;
  /** The inputs as swept (grid inputs with their number of steps). */
  inputs: SweepInput[];
  seed: number | string;
  runs: number;
  firstTrial: number;
  at: number[];
  points: SweepPoint[];
  /** True when `onProgress` stopped the sweep; `points` then holds the points finished before. */
  stopped: boolean;
}

/**
 * Evaluate the primary outcome at every point of a design over some params, binding them at run time
 * (compile once). Every point runs the same trials with the same seed, so each point's estimate is
 * bit for bit what `run` gives on the model bound to its values, and neighbouring grid points differ
 * only through the params: their paired difference is far more precise than either estimate. A name
 * that is not a param is an issue (with a suggestion); a malformed design throws a RangeError.
 */
export function sweep(model: CompiledModel, options: SweepOptions): Result<SweepResult> {
  return drive(sweepChunks(model, options));
}

/** As `sweep`, giving the event loop a turn between chunks (progress bars, Ctrl-C). Same result. */
export async function sweepAsync(model: CompiledModel, options: SweepOptions): Promise<Result<SweepResult>> {
  return driveAsync(sweepChunks(model, options));
}

/** The design's points as values of the inputs, and each grid point's predecessor in its row. */
export function sweepDesign(
  inputs: readonly SweepInput[],
  design: SweepDesign,
  options: { points?: number; seed?: number | string } = {},
): { inputs: SweepInput[]; values: number[][]; previous: (number | undefined)[] } {
  const d = inputs.length;
  if (d === 0) throw new RangeError('a sweep needs at least one input to vary');
  const names = new Set<string>();
  for (const x of inputs) {
    if (names.has(x.name)) throw new RangeError(`"${x.name}" is varied twice`);
    names.add(x.name);
    if (!(Number.isFinite(x.lo) && Number.isFinite(x.hi) && x.lo < x.hi))
      throw new RangeError(`"${x.name}": the range needs finite LOW < HIGH, not ${x.lo}..${x.hi}`);
    if (x.steps !== undefined && (design !== 'grid' || !Number.isSafeInteger(x.steps) || x.steps < 2))
      throw new RangeError(
        design === 'grid'
          ? `"${x.name}": a grid needs at least 2 steps, not ${x.steps}`
          : `"${x.name}": steps are for grid designs; give the number of points of a ${design} design instead`,
      );
  }
  const scale = (x: SweepInput, u: number): number => round(x.lo + (x.hi - x.lo) * u);
  if (design === 'grid') {
    const swept = inputs.map((x) => ({ ...x, steps: x.steps ?? DEFAULT_SWEEP_STEPS }));
    const total = swept.reduce((n, x) => n * x.steps, 1);
    if (total > MAX_SWEEP_POINTS)
      throw new RangeError(`the grid has ${total} points; at most ${MAX_SWEEP_POINTS} are allowed`);
    const values: number[][] = [];
    const previous: (number | undefined)[] = [];
    const last = swept[d - 1]!.steps;
    for (let p = 0; p < total; p++) {
      let rest = p;
      const point = new Array<number>(d);
      for (let j = d - 1; j >= 0; j--) {
        const x = swept[j]!;
        const i = rest % x.steps;
        rest = Math.floor(rest / x.steps);
        point[j] = i === x.steps - 1 ? x.hi : scale(x, i / (x.steps - 1));
      }
      values.push(point);
      previous.push(p % last === 0 ? undefined : p - 1);
    }
    return { inputs: swept, values, previous };
  }
  const n = options.points ?? DEFAULT_SWEEP_POINTS;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_SWEEP_POINTS)
    throw new RangeError(`a ${design} design has 1 to ${MAX_SWEEP_POINTS} points, not ${n}`);
  const unit = design === 'sobol' ? sobolPoints(n, d) : latinHypercube(n, d, lhsSeed(options.seed ?? 0));
  return {
    inputs: inputs.map((x) => ({ name: x.name, lo: x.lo, hi: x.hi })),
    values: unit.map((u) => u.map((uj, j) => scale(inputs[j]!, uj))),
    previous: unit.map(() => undefined),
  };
}

const round = (x: number): number => Number(x.toPrecision(VALUE_DIGITS));

function lhsSeed(seed: number | string): number {
  const [a, b] = seedKey(seed);
  return mix32(a ^ mix32(b ^ LHS_SALT));
}

function* sweepChunks(model: CompiledModel, options: SweepOptions): Generator<void, Result<SweepResult>> {
  const design = options.design ?? 'grid';
  const o = withDefaults({
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.firstTrial === undefined ? {} : { firstTrial: options.firstTrial }),
    ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const horizon = model.plan.horizon;
  const at = [...(options.steps ?? [])];
  for (const s of at)
    if (!Number.isSafeInteger(s) || s < 1 || s > horizon)
      throw new RangeError(`step ${s} is outside the horizon, 1 … ${horizon}`);
  const plan = sweepDesign(options.vary, design, {
    ...(options.points === undefined ? {} : { points: options.points }),
    seed: o.seed,
  });
  const names = plan.inputs.map((x) => x.name);
  const bindingAt = (p: number): Record<string, number> =>
    Object.fromEntries(names.map((name, j) => [name, plan.values[p]![j]!]));
  // Bind the first point before any trial runs: a name that is not a param is reported at once.
  const first = bindParams(model, bindingAt(0));
  if (!first.ok) return fail(first.issues);
  // Paired differences need each trial's first passage at the neighbouring point. Under evidence a
  // trial is weighted differently at each point, so only the estimates are given.
  const paired = design === 'grid' && model.evidence === undefined;
  const k = model.primary;
  const total = plan.values.length * o.runs;
  let before = paired ? new Int32Array(o.runs) : undefined;
  let here = paired ? new Int32Array(o.runs) : undefined;
  const points: SweepPoint[] = [];
  let stopped = false;
  for (let p = 0; p < plan.values.length && !stopped; p++) {
    const values = bindingAt(p);
    const bound = p === 0 ? first : bindParams(model, values);
    if (!bound.ok) return fail(bound.issues);
    const m = bound.value;
    const tallies = emptyTallies(
      horizon,
      m.outcomeIds.length,
      m.plan.reports.length,
      o.firstTrial,
      evidenceShape(m),
    );
    const runner = trialRunner(m, o.seed);
    const fp = runner.fp;
    let done = 0;
    try {
      while (done < o.runs) {
        const count = Math.min(o.chunkSize, o.runs - done);
        for (let i = done; i < done + count; i++) {
          runner.run(o.firstTrial + i, tallies);
          if (here !== undefined) here[i] = fp[k]!;
        }
        done += count;
        tallies.runs = done;
        if (o.onProgress?.(p * o.runs + done, total) === false) {
          stopped = true;
          break;
        }
        if (p * o.runs + done < total) yield;
      }
      if (stopped) break;
      const result = estimate(m, { tallies, seed: o.seed, stopped: false });
      const primary = result.outcomes[result.primary]!;
      const from = plan.previous[p];
      points.push({
        values,
        hits: primary.hits,
        probability: primary.probability,
        ci95: primary.ci95,
        at: at.map((step) => {
          const s = primary.byStep[step - 1]!;
          return { step, probability: s.probability, ci95: s.ci95 };
        }),
        ...(from === undefined || before === undefined || here === undefined
          ? {}
          : { difference: difference(from, before, here, horizon, at) }),
      });
    } catch (e) {
      throw atPoint(e, values);
    }
    [before, here] = [here, before];
  }
  const s = model.scenario;
  return ok({
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
    scenario: { id: s.id, title: s.title, hash: model.hash },
    primary: s.primary,
    horizon: { steps: s.horizon.steps, unit: s.horizon.unit },
    design,
    inputs: plan.inputs,
    seed: o.seed,
    runs: o.runs,
    firstTrial: o.firstTrial,
    at,
    points,
    stopped,
  });
}

/** P(here) − P(before) by the horizon and by each step of interest, from the trials' first passages. */
function difference(
  from: number,
  before: Int32Array,
  here: Int32Array,
  horizon: number,
  at: readonly number[],
): SweepDifference {
  const by = (step: number): { estimate: number; ci95: [number, number] } => {
    let n10 = 0;
    let n01 = 0;
    for (let i = 0; i < here.length; i++) {
      const a = before[i]! > 0 && before[i]! <= step;
      const b = here[i]! > 0 && here[i]! <= step;
      if (a && !b) n10++;
      else if (b && !a) n01++;
    }
    return pairedDifference({ n10, n01 }, here.length);
  };
  return { from, ...by(horizon), at: at.map((step) => ({ step, ...by(step) })) };
}

/** A run-time error at a design point says which point (the values), keeping its kind and details. */
function atPoint(e: unknown, values: Record<string, number>): unknown {
  const where = Object.entries(values)
    .map(([name, v]) => `${name}=${v}`)
    .join(', ');
  if (e instanceof SimulationError) return new SimulationError(`at ${where}: ${e.message}`, e.where);
  if (e instanceof EvidenceError) return new EvidenceError(`at ${where}: ${e.message}`, e.ruledOut, e.runs);
  return e;
}
