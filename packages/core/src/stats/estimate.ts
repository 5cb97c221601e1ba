import { EVIDENCE_QUANTILES, REPORTED_QUANTILES } from '../defaults.js';
import { EvidenceError } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { effectiveCounts, effectiveCurve, type Simulation } from '../simulate/simulate.js';
import type { ValueTally } from '../simulate/tallies.js';
import { findTrials } from '../trace.js';
import { ENGINE_NAME, ENGINE_VERSION } from '../version.js';
import { wilsonInterval } from './wilson.js';

export interface StepEstimate {
  step: number;
  probability: number;
  ci95: [number, number];
}

export interface OutcomeEstimate {
  label?: string;
  /** Trials in which the outcome happened by the horizon. */
  hits: number;
  /** P(outcome by the horizon), with its Wilson 95% interval. */
  probability: number;
  ci95: [number, number];
  /** Cumulative incidence: P(outcome by step s) for every step 1 … horizon. */
  byStep: StepEstimate[];
  /** Time to the outcome among trials where it happened (steps); null when it never happened. */
  timeToEvent: { mean: number | null; median: number | null; p10: number | null; p90: number | null };
  /** The first step by which at least half of all trials had the outcome, or null. */
  medianTime: number | null;
}

export interface ValueEstimate {
  mean: number;
  sd: number;
  min: number;
  max: number;
  /**
   * Quantiles from a bounded-memory sketch: within 0.5% relative of a seen value at that rank, and
   * never outside [min, max] (a bucket's representative value is clamped to the values seen).
   */
  quantiles: Record<string, number>;
}

/** Everything a run says, ready to print or serialise. */
export interface RunResult {
  engine: { name: string; version: string };
  scenario: { id: string; title: string; hash: string };
  seed: number | string;
  runs: number;
  firstTrial: number;
  horizon: { steps: number; unit: string; start?: string | number };
  primary: string;
  outcomes: Record<string, OutcomeEstimate>;
  /**
   * Trials (numbers for `trace`) in which the primary outcome happened: the first EXAMPLE_TRIALS of
   * the run's trials that had it (and that its evidence accepted), looked for among its first
   * EXAMPLE_SEARCH trials; fewer, or none, when fewer had it there.
   */
  examples: number[];
  values: Record<string, ValueEstimate>;
  precision?: { target: number; halfWidth: number; reached: boolean };
  /** Present when the scenario conditions on observations: what was kept and what it taught. */
  evidence?: EvidenceSummary;
}

/**
 * The estimate of the scenario's primary outcome (the one named by `result.primary`): P(outcome by
 * the horizon) with its Wilson 95% interval, the curve by step and the time to event.
 *
 * Every result holds an estimate for its primary outcome, so this is `result.outcomes[result.primary]`
 * with a type that needs no `undefined` check under `noUncheckedIndexedAccess`. Other outcomes are in
 * `result.outcomes` by name.
 *
 * @example
 * const answer = primaryOutcome(run(model, { runs: 100_000, seed: 'baku' }));
 * answer.probability; // with .ci95, .byStep, .timeToEvent
 *
 * @throws TypeError when `result` has no estimate named `result.primary` (only possible for an object
 * that `estimate` did not make, such as hand-edited JSON).
 */
export function primaryOutcome(result: RunResult): OutcomeEstimate {
  const { outcomes, primary } = result;
  const found = Object.hasOwn(outcomes, primary) ? outcomes[primary] : undefined;
  if (found === undefined)
    throw new TypeError(`the result has no estimate for its primary outcome "${primary}"`);
  return found;
}

/** A param's distribution summarised: mean and the 10th, 50th and 90th percentiles. */
export interface Summary {
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface EvidenceSummary {
  clauses: { text: string; soft: boolean; ruledOut: number }[];
  /** Trials consistent with the evidence, of `runs`. */
  accepted: number;
  acceptanceRate: number;
  /**
   * Effective sample size, (Σw)² / Σw²: equal to `accepted` with hard evidence only. Intervals are
   * Wilson intervals with n = ESS (documented in docs/EVIDENCE.md).
   */
  effectiveSampleSize: number;
  /** Each random param before (all trials) and after (accepted trials, weighted) conditioning. */
  params: Record<string, { prior: Summary; posterior: Summary }>;
}
/**
 * Turn tallies into probabilities with intervals, time-to-event and value summaries. `examples`: how
 * many trial numbers to list where the primary outcome happened (RunResult.examples; 0 to skip the
 * replay that finds them, for callers that only read probabilities).
 */
export function estimate(
  model: CompiledModel,
  sim: Simulation,
  options: { examples?: number } = {},
): RunResult {
  const { tallies } = sim;
  const n = tallies.runs;
  const s = model.scenario;
  const e = tallies.evidence;
  if (e !== undefined && e.accepted === 0 && n > 0) throw noTrialAccepted(model, sim);
  const outcomes: Record<string, OutcomeEstimate> = {};
  model.outcomeIds.forEach((id, k) => {
    const row = tallies.firstPassage[k]!;
    const byStep: StepEstimate[] = [];
    let medianTime: number | null = null;
    const curve = effectiveCurve(tallies, k);
    for (let step = 1; step <= tallies.horizon; step++) {
      const c = curve[step - 1]!;
      const p = c.n === 0 ? 0 : c.p;
      if (medianTime === null && p >= 0.5) medianTime = step;
      byStep.push({ step, probability: p, ci95: wilsonInterval(c.hits, c.n) });
    }
    const last = byStep[byStep.length - 1]!;
    const unit = model.evidence?.unit ?? 1;
    let cumulative = 0;
    for (let step = 1; step <= tallies.horizon; step++) cumulative += row[step]!;
    const label = s.outcomes[id]?.label;
    outcomes[id] = {
      ...(label === undefined ? {} : { label }),
      hits: unit === 1 ? cumulative : cumulative / unit,
      probability: last.probability,
      ci95: last.ci95,
      byStep,
      timeToEvent: timeToEvent(row, cumulative),
      medianTime,
    };
  });
  const values: Record<string, ValueEstimate> = {};
  const total = e === undefined ? n : e.weight;
  const ess = e === undefined ? n : effectiveCounts(tallies, model.primary, 1).n;
  model.plan.reports.forEach((r, i) => {
    const t = tallies.values[i]!;
    const mean = t.sum.value() / total;
    // Weighted variance with the reliability-weights correction ESS / (ESS − 1): n / (n − 1) unweighted.
    const second = t.sumOfSquares.value() / total;
    const variance = ess > 1 ? (Math.max(0, second - mean * mean) * ess) / (ess - 1) : 0;
    values[r.name] = {
      mean,
      sd: Math.sqrt(variance),
      min: t.min,
      max: t.max,
      quantiles: Object.fromEntries(
        REPORTED_QUANTILES.map((q) => [`p${Math.round(q * 100)}`, quantileOf(t, q)]),
      ),
    };
  });
  return {
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
    scenario: { id: s.id, title: s.title, hash: model.hash },
    seed: sim.seed,
    runs: n,
    firstTrial: tallies.firstTrial,
    horizon: {
      steps: s.horizon.steps,
      unit: s.horizon.unit,
      ...(s.horizon.start === undefined ? {} : { start: s.horizon.start }),
    },
    primary: s.primary,
    outcomes,
    examples: exampleTrials(model, sim, outcomes[s.primary]!.hits, options.examples ?? EXAMPLE_TRIALS),
    values,
    ...(sim.precision === undefined ? {} : { precision: sim.precision }),
    ...(e === undefined ? {} : { evidence: evidenceSummary(model, sim, ess) }),
  };
}

/** Trial numbers a run lists where its primary outcome happened (`RunResult.examples`). */
export const EXAMPLE_TRIALS = 5;
/** The run's first trials searched for them: at most a fraction of a second for most scenarios. */
export const EXAMPLE_SEARCH = 20_000;

/**
 * The first `count` trials of the run (among its first EXAMPLE_SEARCH) in which the primary
 * outcome happened and the evidence, if any, accepted the trial: replayed from the seed, so they are
 * the same whatever the chunks, threads or shards of the run. None to look for when it never happened.
 */
function exampleTrials(model: CompiledModel, sim: Simulation, hits: number, count: number): number[] {
  const t = sim.tallies;
  if (!(hits > 0) || t.runs === 0 || !(count > 0)) return [];
  return findTrials(model, sim.seed, {
    outcome: model.scenario.primary,
    from: t.firstTrial,
    end: t.firstTrial + Math.min(t.runs, EXAMPLE_SEARCH),
    count,
  }).trials;
}

/**
 * The q-quantile of a tally's values, within the values seen: the sketch answers with its bucket's
 * representative value, which can lie up to its relative accuracy beyond the smallest or largest
 * value (0.9003 for a tie that never exceeds 0.9), so it is clamped to [min, max].
 */
export function quantileOf(t: ValueTally, q: number): number {
  const x = t.sketch.quantile(q);
  if (Number.isNaN(x) || !(t.min <= t.max)) return x;
  return Math.min(t.max, Math.max(t.min, x));
}

function evidenceSummary(model: CompiledModel, sim: Simulation, ess: number): EvidenceSummary {
  const e = sim.tallies.evidence!;
  const program = model.evidence!;
  const summary = (t: ValueTally, total: number): Summary => {
    const [p10, p50, p90] = EVIDENCE_QUANTILES.map((q) => quantileOf(t, q)) as [number, number, number];
    return { mean: t.sum.value() / total, p10, p50, p90 };
  };
  return {
    clauses: program.clauses.map((c, i) => ({ text: c.text, soft: c.soft, ruledOut: e.failed[i]! })),
    accepted: e.accepted,
    acceptanceRate: sim.tallies.runs === 0 ? 0 : e.accepted / sim.tallies.runs,
    effectiveSampleSize: ess,
    params: Object.fromEntries(
      program.params.map((p, i) => [
        p.name,
        { prior: summary(e.prior[i]!, sim.tallies.runs), posterior: summary(e.posterior[i]!, e.weight) },
      ]),
    ),
  };
}

/** No trial survived the evidence: say which clauses ruled trials out, and how many each. */
function noTrialAccepted(model: CompiledModel, sim: Simulation): EvidenceError {
  const e = sim.tallies.evidence!;
  const runs = sim.tallies.runs;
  const clauses = model.evidence!.clauses;
  const worst = clauses
    .map((c, i) => ({ c, out: e.failed[i]! }))
    .filter((x) => x.out > 0)
    .sort((a, b) => b.out - a.out);
  const lines = worst.map(
    ({ c, out }) =>
      `"${c.written}" rules out ${out.toLocaleString('en-US')} of ${runs.toLocaleString('en-US')}`,
  );
  const alone = worst.find((x) => x.out === runs);
  return new EvidenceError(
    `no trial is consistent with the evidence${alone ? `: "${alone.c.written}" alone rules out every trial` : ''} (${lines.join('; ')}). Check the clause against the model, or run more trials if the evidence is merely rare.`,
    clauses.map((c, i) => ({ clause: c.written, trials: e.failed[i]! })),
    runs,
  );
}

/** Exact order statistics of the first-passage step, from its histogram. */
function timeToEvent(row: Float64Array, hits: number): OutcomeEstimate['timeToEvent'] {
  if (hits === 0) return { mean: null, median: null, p10: null, p90: null };
  let sum = 0;
  for (let s = 1; s < row.length; s++) sum += s * row[s]!;
  const at = (q: number): number => {
    const rank = Math.floor(q * (hits - 1));
    let seen = 0;
    for (let s = 1; s < row.length; s++) {
      seen += row[s]!;
      if (seen > rank) return s;
    }
    return row.length - 1;
  };
  return { mean: sum / hits, median: at(0.5), p10: at(0.1), p90: at(0.9) };
}
