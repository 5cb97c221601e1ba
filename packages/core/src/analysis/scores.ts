import { wilsonInterval } from '../stats/wilson.js';

/**
 * Log scores floor the probability given to what happened at 1e-4, so one confident miss costs at
 * most ln(10^4) ≈ 9.21 nats instead of infinity, and a single episode cannot swamp the mean.
 */
export const DEFAULT_SCORE_CLIP = 1e-4;

/** Reliability bins when none are asked for: five keeps a few episodes per bin in a small backtest. */
export const DEFAULT_RELIABILITY_BINS = 5;

/** One episode of a backtest: the model's forecast and what was observed. */
export interface ScoredEpisode {
  /** Names the episode in the per-episode table and in `excluded`. */
  id: string;
  /** Forecast P(event by step s) for s = 1..H (cumulative incidence, nondecreasing), from the model. */
  cumulative: readonly number[];
  /** The observation: the event happened at step `at` (1-based, ≤ H), or was censored: not by step `notBy`. */
  observed: { at: number } | { notBy: number };
}

export interface ScoreOptions {
  /** Step at which forecasts are scored as yes/no: p = cumulative[horizon − 1]. */
  horizon: number;
  /** Floor on every probability inside a logarithm. @defaultValue {@link DEFAULT_SCORE_CLIP} */
  clip?: number;
  /** Number of equal-width reliability bins on [0, 1]. @defaultValue {@link DEFAULT_RELIABILITY_BINS} */
  bins?: number;
}

/** One row of the per-episode table. */
export interface EpisodeScore {
  /** The episode's id, as given. */
  id: string;
  /** Forecast P(by horizon). */
  pHorizon: number;
  /** Forecast P(by the observed step): P(by k) for an event at k, P(by c) for censoring at c. */
  pObserved: number;
  /** 1 if the event happened by the horizon, 0 if known not to have; null when censored before it. */
  y: 0 | 1 | null;
  /** Leave-one-out base rate scored against this episode; null when excluded or no base rate. */
  baseRate: number | null;
  /** (pHorizon − y)²; null when y is null. */
  brier: number | null;
  /** −ln of the (clipped) probability given to y; null when y is null. */
  log: number | null;
  /** This episode's term in the survival log-likelihood (≤ 0). */
  survival: number;
}

/** One bin of the reliability table. */
export interface ReliabilityBin {
  /** Bin bounds: [lower, upper), the last bin closed at 1. */
  lower: number;
  /** See `lower`. */
  upper: number;
  /** Binary-scored episodes whose pHorizon falls in the bin. */
  count: number;
  /** How many of them had y = 1. */
  events: number;
  /** Mean pHorizon in the bin; null when empty. */
  meanForecast: number | null;
  /** events / count; null when empty. */
  observedFrequency: number | null;
  /** Wilson 95% interval of the observed frequency; null when empty. */
  interval: [number, number] | null;
}

/** Every score of a backtest. Binary scores use only episodes with a known outcome at the horizon. */
export interface BacktestScores {
  /** The step at which the binary scores were taken. */
  horizon: number;
  /** The floor used inside every logarithm. */
  clip: number;
  /** Per-episode table, in input order. */
  episodes: EpisodeScore[];
  /** Episodes left out of the binary scores (they still count in the survival log-likelihood). */
  excluded: { id: string; reason: string }[];
  /** Number of binary-scored episodes. */
  binaryCount: number;
  /** Mean (p − y)² over binary episodes; null when there are none. */
  brier: number | null;
  /** Mean −[y ln p + (1 − y) ln(1 − p)], p clipped to [clip, 1 − clip]; null when no binary episodes. */
  logScore: number | null;
  /** Discrete-time survival log-likelihood of the observed times, over every episode. */
  survival: { total: number; mean: number | null };
  /**
   * Leave-one-out base rate: episode i is scored against the share of the other binary episodes
   * with y = 1. It cannot peek at i, which also makes it a harsher reference than the in-sample
   * rate in small backtests. Null with fewer than 2 binary episodes.
   */
  baseRate: {
    /** In-sample share of y = 1, for reading only; it is not used as a forecast. */
    overall: number;
    /** Brier score of the leave-one-out base rate. */
    brier: number;
    /** Brier skill score 1 − Brier(model) / Brier(base rate); null when the reference Brier is 0 (see `skillNote`). */
    skill: number | null;
    /** Why `skill` is null, or null when it is not. */
    skillNote: string | null;
  } | null;
  /** Reliability table, `bins` equal-width bins on [0, 1]. */
  reliability: ReliabilityBin[];
  /** AUC = P(p₊ > p₋) + ½ P(p₊ = p₋) over positive/negative pairs; null when a class is empty. */
  discrimination: { auc: number | null; positives: number; negatives: number };
}

const stepOf = (o: ScoredEpisode['observed']): number => ('at' in o ? o.at : o.notBy);

/** P(by step s) with P(by 0) = 0; the caller has checked 0 ≤ s ≤ cumulative.length. */
const by = (e: ScoredEpisode, s: number): number => (s === 0 ? 0 : e.cumulative[s - 1]!);

function check(e: ScoredEpisode, horizon: number): void {
  const h = e.cumulative.length;
  const fail = (why: string) => {
    throw new RangeError(`episode ${e.id}: ${why}`);
  };
  if (horizon > h) fail(`horizon ${horizon} is beyond its ${h} forecast steps`);
  e.cumulative.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) fail(`P(by ${i + 1}) = ${p} is not a probability`);
    if (i > 0 && p < e.cumulative[i - 1]!) fail(`P(by ${i + 1}) = ${p} falls below P(by ${i})`);
  });
  const s = stepOf(e.observed);
  const min = 'at' in e.observed ? 1 : 0;
  if (!Number.isInteger(s) || s < min || s > h) fail(`observed step ${s} is not in ${min}..${h}`);
}

/**
 * Scores a backtest's forecasts against what happened: Brier, clipped log score, survival
 * log-likelihood, leave-one-out base-rate skill, reliability and AUC. Pure; throws a RangeError on
 * malformed input (a caller's bug: backtest files are validated before they reach here).
 */
export function scoreBacktest(episodes: readonly ScoredEpisode[], options: ScoreOptions): BacktestScores {
  const { horizon, clip = DEFAULT_SCORE_CLIP, bins = DEFAULT_RELIABILITY_BINS } = options;
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon ${horizon} is not a step ≥ 1`);
  if (!(clip > 0 && clip < 0.5)) throw new RangeError(`clip ${clip} is not in (0, 0.5)`);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins ${bins} is not an integer ≥ 1`);
  const ln = (q: number) => Math.log(Math.max(q, clip));

  const excluded: { id: string; reason: string }[] = [];
  let survivalTotal = 0;
  const rows: EpisodeScore[] = episodes.map((e) => {
    check(e, horizon);
    const event = 'at' in e.observed;
    const s = stepOf(e.observed);
    const pHorizon = by(e, horizon);
    const pObserved = by(e, s);
    const y: 0 | 1 | null = event ? (s <= horizon ? 1 : 0) : s >= horizon ? 0 : null;
    const survival = ln(event ? pObserved - by(e, s - 1) : 1 - pObserved);
    survivalTotal += survival;
    if (y === null)
      excluded.push({ id: e.id, reason: `censored at step ${s}, before the horizon ${horizon}` });
    // Flooring the probability of what happened at `clip` is clipping p to [clip, 1 − clip], without
    // the rounding of 1 − (1 − clip).
    const brier = y === null ? null : (pHorizon - y) ** 2;
    const log = y === null ? null : -ln(y === 1 ? pHorizon : 1 - pHorizon);
    return { id: e.id, pHorizon, pObserved, y, baseRate: null, brier, log, survival };
  });

  const binary = rows.filter((r): r is EpisodeScore & { y: 0 | 1 } => r.y !== null);
  const n = binary.length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const brier = n === 0 ? null : mean(binary.map((r) => r.brier!));
  const logScore = n === 0 ? null : mean(binary.map((r) => r.log!));
  const positives = binary.filter((r) => r.y === 1).length;
  const negatives = n - positives;

  let baseRate: BacktestScores['baseRate'] = null;
  if (n >= 2) {
    for (const r of binary) r.baseRate = (positives - r.y) / (n - 1);
    const reference = mean(binary.map((r) => (r.baseRate! - r.y) ** 2));
    // The reference is 0 only when every episode has the same outcome: no skill to measure.
    const skill = reference === 0 ? null : 1 - brier! / reference;
    const skillNote =
      skill === null ? `every binary episode has y = ${binary[0]!.y}: base-rate Brier is 0` : null;
    baseRate = { overall: positives / n, brier: reference, skill, skillNote };
  }

  const reliability: ReliabilityBin[] = Array.from({ length: bins }, (_, b) => {
    const inBin = binary.filter((r) => Math.min(bins - 1, Math.floor(r.pHorizon * bins)) === b);
    const count = inBin.length;
    const events = inBin.filter((r) => r.y === 1).length;
    const empty = count === 0;
    return {
      lower: b / bins,
      upper: (b + 1) / bins,
      count,
      events,
      meanForecast: empty ? null : mean(inBin.map((r) => r.pHorizon)),
      observedFrequency: empty ? null : events / count,
      interval: empty ? null : wilsonInterval(events, count),
    };
  });

  // All pairs: backtests hold tens to hundreds of episodes, and the pair count is exact on ties.
  let wins = 0;
  for (const a of binary.filter((r) => r.y === 1)) {
    for (const b of binary.filter((r) => r.y === 0))
      wins += a.pHorizon > b.pHorizon ? 1 : a.pHorizon === b.pHorizon ? 0.5 : 0;
  }
  const auc = positives > 0 && negatives > 0 ? wins / (positives * negatives) : null;

  return {
    horizon,
    clip,
    episodes: rows,
    excluded,
    binaryCount: n,
    brier,
    logScore,
    survival: { total: survivalTotal, mean: rows.length === 0 ? null : survivalTotal / rows.length },
    baseRate,
    reliability,
    discrimination: { auc, positives, negatives },
  };
}
