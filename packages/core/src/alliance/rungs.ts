import { DEFAULT_SEED } from '../defaults.js';
import type { CompiledModel } from '../model/compile.js';
import { trialPlayer } from '../simulate/player.js';

/** One deciding actor's ladder and the share of trials on each of its rungs at every step. */
export interface RungShares {
  /** The actor's id (the focal actor's for the `stance` ladder). */
  actor: string;
  /** The regime over its ladder: the actor's id, or `stance` for the focal actor. */
  regime: string;
  ladder: string[];
  /** `shares[t][k]`: the share of trials on rung k at the end of step t (t = 0 … horizon); each row sums to 1. */
  shares: number[][];
}

export interface RungSharesOptions {
  /** @defaultValue 10,000 */
  runs?: number;
  seed?: number | string;
  /** @defaultValue 0 */
  firstTrial?: number;
}

/**
 * For every deciding actor of an alliance scenario (the focal actor under the logit rule, and each
 * actor with a ladder of its own), the distribution of its rung at every step over the same trials
 * `run` plays: "how often is Ankara coercing in month 12?". Over all trials played, before any
 * evidence (`given:`) is applied. Empty for a scenario without ladders.
 */
export function rungShares(model: CompiledModel, options: RungSharesOptions = {}): RungShares[] {
  const info = model.alliance;
  if (info === undefined) return [];
  const ladders = [
    ...(info.rule === 'logit' ? [{ actor: info.focal, regime: 'stance', ladder: info.ladder }] : []),
    ...(info.actors ?? []).map((a) => ({ actor: a.actor, regime: a.regime, ladder: a.ladder })),
  ];
  if (ladders.length === 0) return [];
  const runs = options.runs ?? 10_000;
  const first = options.firstTrial ?? 0;
  const horizon = model.plan.horizon;
  const names = Object.keys(model.scenario.regimes ?? {});
  const slots = ladders.map((l) => {
    const i = names.indexOf(l.regime);
    if (i < 0) throw new Error(`internal: no regime "${l.regime}" in the compiled scenario`);
    return model.plan.regimes[i]!.indexSlot;
  });
  const counts = ladders.map((l) =>
    Array.from({ length: horizon + 1 }, () => new Array<number>(l.ladder.length).fill(0)),
  );
  const { v, play } = trialPlayer(model, options.seed ?? DEFAULT_SEED);
  const onStep = (t: number): void => {
    for (let j = 0; j < slots.length; j++) counts[j]![t]![v[slots[j]!]!]! += 1;
  };
  for (let trial = first; trial < first + runs; trial++) play(trial, onStep);
  return ladders.map((l, j) => ({
    ...l,
    shares: counts[j]!.map((row) => row.map((c) => c / runs)),
  }));
}
