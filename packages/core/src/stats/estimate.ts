import { REPORTED_QUANTILES } from '../defaults.js';
import type { CompiledModel } from '../model/compile.js';
import type { Simulation } from '../simulate/simulate.js';
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
  /** Quantiles from a bounded-memory sketch: within 0.5% relative of a seen value at that rank. */
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
  values: Record<string, ValueEstimate>;
  precision?: { target: number; halfWidth: number; reached: boolean };
}

/** Turn tallies into probabilities with intervals, time-to-event and value summaries. */
export function estimate(model: CompiledModel, sim: Simulation): RunResult {
  const { tallies } = sim;
  const n = tallies.runs;
  const s = model.scenario;
  const outcomes: Record<string, OutcomeEstimate> = {};
  model.outcomeIds.forEach((id, k) => {
    const row = tallies.firstPassage[k]!;
    const byStep: StepEstimate[] = [];
    let cumulative = 0;
    let medianTime: number | null = null;
    for (let step = 1; step <= tallies.horizon; step++) {
      cumulative += row[step]!;
      const p = n === 0 ? 0 : cumulative / n;
      if (medianTime === null && p >= 0.5) medianTime = step;
      byStep.push({ step, probability: p, ci95: wilsonInterval(cumulative, n) });
    }
    const label = s.outcomes[id]?.label;
    outcomes[id] = {
      ...(label === undefined ? {} : { label }),
      hits: cumulative,
      probability: n === 0 ? 0 : cumulative / n,
      ci95: wilsonInterval(cumulative, n),
      byStep,
      timeToEvent: timeToEvent(row, cumulative),
      medianTime,
    };
  });
  const values: Record<string, ValueEstimate> = {};
  model.plan.reports.forEach((r, i) => {
    const t = tallies.values[i]!;
    const mean = t.sum.value() / n;
    const variance = n > 1 ? Math.max(0, (t.sumOfSquares.value() - n * mean * mean) / (n - 1)) : 0;
    values[r.name] = {
      mean,
      sd: Math.sqrt(variance),
      min: t.min,
      max: t.max,
      quantiles: Object.fromEntries(
        REPORTED_QUANTILES.map((q) => [`p${Math.round(q * 100)}`, t.sketch.quantile(q)]),
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
    values,
    ...(sim.precision === undefined ? {} : { precision: sim.precision }),
  };
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
