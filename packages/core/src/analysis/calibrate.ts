import type { ParsedDocument } from '../document/parse.js';
import type { ResolvedDocument } from '../document/resolve.js';
import { drive, driveAsync } from '../drive.js';
import { fail, type Issue, ok, type Result } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { type RunOptions, withDefaults } from '../simulate/options.js';
import { effectiveCurve, simulate } from '../simulate/simulate.js';
import type { Backtest } from './backtest.js';
import { episodeModel } from './backtest.js';
import { bindParams } from './bind.js';
import { type Evaluated, latinHypercube, nelderMead } from './optimize.js';
import { type BacktestScores, type ScoredEpisode, scoreBacktest } from './scores.js';

/** A param to fit, searched over [lo, hi]. */
export interface FreeParam {
  name: string;
  lo: number;
  hi: number;
}

export interface CalibrateOptions extends Pick<RunOptions, 'seed'> {
  /** Trials per episode per evaluation (all on the same seed: common random numbers). @defaultValue 2000 */
  runs?: number;
  /** Latin hypercube points evaluated before the local search. @defaultValue max(20, 10 × free params) */
  starts?: number;
  /** Evaluations of the local search (Nelder–Mead). @defaultValue 60 × free params */
  maxEvals?: number;
  /** Folds of cross-validation (0 for none). @defaultValue 5 */
  folds?: number;
  /** Fit on episodes whose as_of is at or before this date (YYYY-MM), score those after. */
  trainUntil?: string;
}

export interface CalibrationResult {
  id: string;
  seed: number | string;
  runs: number;
  horizon: number;
  free: FreeParam[];
  /** The fitted values: the largest simulated survival log-likelihood found. */
  fitted: Record<string, number>;
  logLikelihood: number;
  /**
   * Approximate 95% intervals: the range of each param over evaluated points whose log-likelihood
   * is within 1.92 (half the χ²₁ 95% quantile) of the best, a profile-likelihood interval read off
   * the search's points rather than a full profile.
   */
  intervals: Record<string, [number, number]>;
  evaluations: number;
  /** Scores of the fitted model on the episodes it was fitted to. */
  inSample: BacktestScores;
  /** Out-of-fold forecasts (each fold's episodes forecast by a model fitted without them), scored together. */
  crossValidated: { folds: number; scores: BacktestScores } | null;
  /** With `trainUntil`: fitted on the episodes up to that date, scored on the later ones. */
  outOfTime?: { trainUntil: string; trained: number; tested: number; scores: BacktestScores | null };
}

/** One fit: the best point found on some episodes, every point evaluated, and how many evaluations. */
export interface CalibrationFit {
  best: Evaluated;
  seen: Evaluated[];
  evaluations: number;
}

/**
 * Computes fits elsewhere (worker threads): `run` resolves to one outcome per list of episode
 * indices, in order: what `calibrationFit` returns for it, or the error it throws. A fit depends only
 * on its episodes and the options, so where it is computed does not change a bit. Once a fit fails,
 * later ones may be left unrun (any outcome): the calibration stops at the first failure, meeting it
 * where one thread would, after the forecasts that come before it.
 */
export interface FitRunner {
  run(fits: readonly (readonly number[])[]): Promise<PromiseSettledResult<CalibrationFit>[]>;
}

/** Half the 95% quantile of χ² with one degree of freedom. */
const PROFILE_DROP = 3.841458820694124 / 2;

/**
 * Fit free params of a backtest's template to its episodes by maximising the simulated discrete-time
 * survival log-likelihood of the observed times (scores.ts), on common random numbers so that the
 * objective is comparable across candidate values: a Latin hypercube start, then Nelder–Mead from
 * the best point. Every candidate is evaluated by binding the free params in each episode's model
 * (analysis/bind.ts), never by recompiling.
 */
export function calibrate(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
  free: readonly FreeParam[],
  options: CalibrateOptions = {},
): Result<CalibrationResult> {
  const setup = calibration(template, backtestDoc, b, free, options);
  return setup.ok ? drive(calibrateWork(setup.value, b, free, options)) : setup;
}

/**
 * As `calibrate`, with its fits (the whole set, each cross-validation fold's training set, the
 * out-of-time training set) computed by `fits` (worker threads) when given. The same result.
 */
export async function calibrateAsync(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
  free: readonly FreeParam[],
  options: CalibrateOptions & { fits?: FitRunner } = {},
): Promise<Result<CalibrationResult>> {
  const setup = calibration(template, backtestDoc, b, free, options);
  return setup.ok ? driveAsync(calibrateWork(setup.value, b, free, options)) : setup;
}

/**
 * The fits of `calibrate`: for episodes `which` (indices into `b.episodes`), what a FitRunner
 * computes. The episodes are compiled once, here; keep the function to fit several sets.
 */
export function calibrationFit(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
  free: readonly FreeParam[],
  options: CalibrateOptions,
): (which: readonly number[]) => CalibrationFit {
  const setup = calibration(template, backtestDoc, b, free, options);
  if (!setup.ok) throw new RangeError(`calibrationFit: ${setup.issues[0]?.message}`);
  return setup.value.fit;
}

/** What every fit and score of a calibration needs, once its inputs are checked. */
interface Calibration {
  seed: number | string;
  runs: number;
  horizon: number;
  values: (x: readonly number[]) => Record<string, number>;
  forecast: (x: readonly number[], which: readonly number[]) => ScoredEpisode[];
  score: (episodes: ScoredEpisode[]) => BacktestScores;
  fit: (which: readonly number[]) => CalibrationFit;
}

function calibration(
  template: ResolvedDocument,
  backtestDoc: ParsedDocument,
  b: Backtest,
  free: readonly FreeParam[],
  options: CalibrateOptions,
): Result<Calibration> {
  const seed = withDefaults({ ...(options.seed === undefined ? {} : { seed: options.seed }) }).seed;
  const runs = options.runs ?? 2000;
  const issues: Issue[] = [];
  const models: CompiledModel[] = [];
  b.episodes.forEach((_e, i) => {
    const m = episodeModel(template, backtestDoc, b, i);
    if (m.ok) models.push(m.value);
    else issues.push(...m.issues);
  });
  if (issues.length > 0) return fail(issues);
  free.forEach((p, j) => {
    if (!(Number.isFinite(p.lo) && Number.isFinite(p.hi) && p.lo < p.hi))
      issues.push({
        path: ['free', j],
        code: 'calibrate.range',
        message: `${p.name}: the range ${p.lo}..${p.hi} is empty`,
      });
  });
  if (free.length === 0)
    issues.push({ path: ['free'], code: 'calibrate.free', message: 'name at least one param to fit' });
  const probe =
    issues.length > 0
      ? undefined
      : bindParams(models[0]!, Object.fromEntries(free.map((p) => [p.name, p.lo])));
  if (probe !== undefined && !probe.ok) issues.push(...probe.issues);
  if (issues.length > 0) return fail(issues);

  const horizon = b.horizon ?? models[0]!.plan.horizon;
  const observed = b.episodes.map((e) =>
    'happened' in e.observed ? { at: e.observed.happened } : { notBy: e.observed.not_by },
  );
  const values = (x: readonly number[]): Record<string, number> =>
    Object.fromEntries(free.map((p, j) => [p.name, p.lo + x[j]! * (p.hi - p.lo)]));
  const forecast = (x: readonly number[], which: readonly number[]): ScoredEpisode[] =>
    which.map((i) => {
      const bound = bindParams(models[i]!, values(x));
      if (!bound.ok) throw new Error(`internal: binding checked above failed: ${bound.issues[0]?.message}`);
      const m = bound.value;
      const sim = simulate(m, { runs, seed });
      const cumulative = effectiveCurve(sim.tallies, m.primary).map((c) => c.p);
      return { id: b.episodes[i]!.id, cumulative, observed: observed[i]! };
    });
  const score = (episodes: ScoredEpisode[]): BacktestScores => scoreBacktest(episodes, { horizon });
  const fit = (which: readonly number[]): CalibrationFit => {
    const d = free.length;
    let evaluations = 0;
    const seen: Evaluated[] = [];
    const objective = (x: number[]): number => {
      evaluations++;
      return score(forecast(x, which)).survival.total;
    };
    const record = (e: Evaluated): void => {
      seen.push(e);
    };
    const starts = latinHypercube(searchStarts(options, d), d, mixSeed(seed, which.length));
    let best: Evaluated | undefined;
    for (const x of starts) {
      const e = { x, value: objective(x) };
      record(e);
      if (best === undefined || e.value > best.value) best = e;
    }
    const local = nelderMead(objective, best!.x, {
      step: 0.1,
      maxEvals: searchEvals(options, d),
      seen: record,
    });
    return { best: local.value > best!.value ? local : best!, seen, evaluations };
  };
  return ok({ seed, runs, horizon, values, forecast, score, fit });
}

function* calibrateWork(
  c: Calibration,
  b: Backtest,
  free: readonly FreeParam[],
  options: CalibrateOptions & { fits?: FitRunner },
): Generator<unknown, Result<CalibrationResult>, unknown> {
  const { seed, runs, horizon, values, forecast, score } = c;
  const { all, folds, until, train, sets } = fitSets(b, options);
  const settled =
    options.fits === undefined
      ? undefined
      : ((yield options.fits.run(sets)) as PromiseSettledResult<CalibrationFit>[]);
  if (settled !== undefined && settled.length !== sets.length)
    throw new Error(`internal: ${sets.length} fits asked, ${settled.length} given`);
  // Fit k, here or from the runner, in the order one thread meets them (so is any error).
  let evaluations = 0;
  const fit = (k: number): CalibrationFit => {
    const r = settled?.[k] ?? { status: 'fulfilled', value: c.fit(sets[k]!) };
    if (r.status === 'rejected') throw r.reason;
    evaluations += r.value.evaluations;
    return r.value;
  };
  const { best, seen } = fit(0);
  const intervals = Object.fromEntries(
    free.map((p, j) => {
      const near = seen
        .filter((e) => e.value >= best.value - PROFILE_DROP)
        .map((e) => p.lo + e.x[j]! * (p.hi - p.lo));
      return [p.name, [Math.min(...near), Math.max(...near)] as [number, number]];
    }),
  );

  let crossValidated: CalibrationResult['crossValidated'] = null;
  if (folds >= 2) {
    const outOfFold: ScoredEpisode[] = new Array(all.length);
    for (let k = 0; k < folds; k++) {
      const test = all.filter((i) => i % folds === k);
      forecast(fit(1 + k).best.x, test).forEach((e, t) => {
        outOfFold[test[t]!] = e;
      });
    }
    crossValidated = { folds, scores: score(outOfFold) };
  }

  let outOfTime: CalibrationResult['outOfTime'];
  if (until !== undefined) {
    const test = all.filter((i) => !train.includes(i));
    const trained = train.length > 0 ? fit(sets.length - 1).best : undefined;
    outOfTime = {
      trainUntil: until,
      trained: train.length,
      tested: test.length,
      scores: trained === undefined || test.length === 0 ? null : score(forecast(trained.x, test)),
    };
  }

  return ok({
    id: b.id,
    seed,
    runs,
    horizon,
    free: [...free],
    fitted: values(best.x),
    logLikelihood: best.value,
    intervals,
    evaluations,
    inSample: score(forecast(best.x, all)),
    crossValidated,
    ...(outOfTime === undefined ? {} : { outOfTime }),
  });
}

/** Latin hypercube points before the local search, for `d` free params. */
const searchStarts = (o: CalibrateOptions, d: number): number => o.starts ?? Math.max(20, 10 * d);

/** Evaluations of the local search, for `d` free params. */
const searchEvals = (o: CalibrateOptions, d: number): number => o.maxEvals ?? 60 * d;

/**
 * The episodes of each fit, in order: the whole set, each fold's training set, the training set up
 * to `trainUntil` (when it has any). Every fit is independent of the others.
 */
function fitSets(b: Backtest, options: CalibrateOptions) {
  const all = b.episodes.map((_e, i) => i);
  const folds = Math.min(options.folds ?? 5, all.length);
  const until = options.trainUntil;
  const train = until === undefined ? [] : all.filter((i) => String(b.episodes[i]!.as_of ?? '') <= until);
  const sets = [
    all,
    ...(folds >= 2 ? Array.from({ length: folds }, (_, k) => all.filter((i) => i % folds !== k)) : []),
    ...(until !== undefined && train.length > 0 ? [train] : []),
  ];
  return { all, folds, until, train, sets };
}

/**
 * How much a calibration does, to choose how many threads it gets: its fits, and a bound on its
 * trials (every evaluation of every fit playing every episode, `runs` trials each; the search may
 * stop early, and a fold's set holds fewer episodes).
 */
export function calibrationWork(
  b: Backtest,
  free: readonly FreeParam[],
  options: CalibrateOptions,
): { fits: number; trials: number } {
  const d = free.length;
  const fits = fitSets(b, options).sets.length;
  const evaluations = searchStarts(options, d) + searchEvals(options, d);
  return { fits, trials: fits * evaluations * b.episodes.length * (options.runs ?? 2000) };
}

/** A number seed for the search's Latin hypercube from the run's seed (numbers or strings). */
function mixSeed(seed: number | string, salt: number): number {
  let h = salt >>> 0;
  for (const ch of String(seed)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}
