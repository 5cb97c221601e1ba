import { DEFAULT_SEED } from './defaults.js';
import type { CompiledModel } from './model/compile.js';
import { trialPlayer } from './simulate/player.js';

export interface TraceStep {
  step: number;
  /** Params, derived values and state variables after this step. */
  values: Record<string, number>;
  /** Each regime's state after this step. */
  regimes: Record<string, string>;
  /** Events that happened at this step. */
  events: string[];
  /** Outcomes that first held at this step. */
  outcomes: string[];
}

export interface Trace {
  seed: number | string;
  trial: number;
  steps: TraceStep[];
  /** First step at which each outcome held, or null: what `simulate` counts for this trial. */
  outcomes: Record<string, number | null>;
}

/**
 * Replay one trial alone, step by step. Trial k's streams depend only on (seed, k, site), so this is
 * the very trial that a run of any size with the same seed counted.
 */
export function trace(model: CompiledModel, options: { trial: number; seed?: number | string }): Trace {
  const { plan } = model;
  const seed = options.seed ?? DEFAULT_SEED;
  const { v, fp, play } = trialPlayer(model, seed);
  const s = model.scenario;
  const valueNames = [
    ...Object.keys(s.params ?? {}),
    ...Object.keys(s.derived ?? {}),
    ...Object.keys(s.state ?? {}),
  ];
  const valueSlots = valueNames.map((n) => plan.slotNames.indexOf(n));
  const regimes = Object.entries(s.regimes ?? {}).map(([name, r], i) => ({
    name,
    states: r.states,
    slot: plan.regimes[i]!.indexSlot,
  }));
  const events = Object.keys(s.events ?? {}).map((name, i) => ({ name, slot: plan.events[i]!.countSlot }));
  const steps: TraceStep[] = [];
  let lastCounts = events.map(() => 0);
  const seen = new Set<number>();
  const onStep = (step: number): void => {
    const counts = events.map((e) => v[e.slot]!);
    const firsts: string[] = [];
    model.outcomeIds.forEach((id, k) => {
      if (fp[k] === step && step > 0 && !seen.has(k)) {
        seen.add(k);
        firsts.push(id);
      }
    });
    steps.push({
      step,
      values: Object.fromEntries(valueNames.map((n, i) => [n, v[valueSlots[i]!]!])),
      regimes: Object.fromEntries(regimes.map((r) => [r.name, r.states[v[r.slot]!]!])),
      events: events.filter((_, i) => counts[i]! > lastCounts[i]!).map((e) => e.name),
      outcomes: firsts,
    });
    lastCounts = counts;
  };
  play(options.trial, onStep);
  return {
    seed,
    trial: options.trial,
    steps,
    outcomes: Object.fromEntries(model.outcomeIds.map((id, k) => [id, fp[k]! > 0 ? fp[k]! : null])),
  };
}
