import type { CompiledModel } from '../model/compile.js';
import { mix32, siteKey } from '../random/seed.js';
import { withDefaults } from '../simulate/options.js';
import { trialPlayer } from '../simulate/player.js';

/**
 * Trial-level inputs and outputs, for the analyses that need more than tallies (Sobol indices,
 * scenario discovery): for trials firstTrial … firstTrial + runs − 1, each random param's value as
 * drawn, each outcome's first-passage step (0: never) and each reported value at the horizon.
 * Memory is O(runs × (params + outcomes + reports)): bound `runs` accordingly.
 */
export interface TrialTable {
  readonly runs: number;
  readonly firstTrial: number;
  readonly seed: number | string;
  /** Random params, in plan order, and their values as drawn (one array per param). */
  readonly params: readonly string[];
  readonly inputs: readonly Float64Array[];
  /** Outcome ids and, per outcome, the first-passage step of every trial. */
  readonly outcomes: readonly string[];
  readonly firstPassage: readonly Int32Array[];
  /** Reported values and, per value, its value at the horizon in every trial. */
  readonly reports: readonly string[];
  readonly values: readonly Float64Array[];
}

/** Play trials and keep every trial's inputs and outputs (see TrialTable). */
export function trialTable(
  model: CompiledModel,
  options: { runs?: number; seed?: number | string; firstTrial?: number } = {},
): TrialTable {
  const o = withDefaults(options);
  const plan = model.plan;
  const { v, fp, play } = trialPlayer(model, o.seed);
  const paramSlots = plan.params.map((p) => p.slot);
  const reportSlots = plan.reports.map((r) => r.slot);
  const inputs = paramSlots.map(() => new Float64Array(o.runs));
  const firstPassage = model.outcomeIds.map(() => new Int32Array(o.runs));
  const values = reportSlots.map(() => new Float64Array(o.runs));
  let i = 0;
  const atStart = (t: number): void => {
    if (t === 0) for (let j = 0; j < paramSlots.length; j++) inputs[j]![i] = v[paramSlots[j]!]!;
  };
  for (; i < o.runs; i++) {
    play(o.firstTrial + i, atStart);
    for (let k = 0; k < fp.length; k++) firstPassage[k]![i] = fp[k]!;
    for (let r = 0; r < reportSlots.length; r++) values[r]![i] = v[reportSlots[r]!]!;
  }
  return {
    runs: o.runs,
    firstTrial: o.firstTrial,
    seed: o.seed,
    params: paramSlots.map((s) => plan.slotNames[s]!),
    inputs,
    outcomes: [...model.outcomeIds],
    firstPassage,
    reports: plan.reports.map((r) => r.name),
    values,
  };
}

/**
 * The model with the random streams of some sites replaced by independent ones: the named params'
 * sites (`params`), or, with `aleatory: true`, every site that is not a param's (events, regimes,
 * draws inside formulas). Every other site keeps its stream, trial by trial. This is what
 * pick-freeze estimators of Sobol indices need: re-draw one input while all others stay as they
 * were. `salt` chooses which independent stream (different salts, different streams).
 */
export function redrawSites(
  model: CompiledModel,
  which: { params?: readonly string[]; aleatory?: boolean },
  salt = 1,
): CompiledModel {
  const plan = model.plan;
  const paramSite = new Map(plan.params.map((p) => [plan.slotNames[p.slot]!, p.site]));
  const redraw = new Set<number>();
  for (const name of which.params ?? []) {
    const site = paramSite.get(name);
    if (site === undefined) throw new RangeError(`"${name}" is not a random param of this model`);
    redraw.add(site);
  }
  if (which.aleatory) {
    const params = new Set(plan.params.map((p) => p.site));
    plan.siteNames.forEach((_n, s) => {
      if (!params.has(s)) redraw.add(s);
    });
  }
  const keys = Uint32Array.from(plan.siteNames, (name, s) =>
    redraw.has(s) ? mix32(siteKey(name) ^ mix32(0x5a17 + salt)) : model.siteKeys[s]!,
  );
  return { ...model, siteKeys: keys };
}
