import type { Expr } from '../formula/ir.js';
import type { Sampler } from '../random/distributions.js';

/**
 * A scenario laid out for execution: every value has a slot in one Float64Array, every place that
 * draws randomness has a site (its own stream), and every formula has an id that names it in
 * run-time errors. Both back ends (generated code and closures) execute exactly this plan.
 */
export interface Plan {
  readonly horizon: number;
  /** Slot names, for traces: `t`, `oil_share`, `turkey.vocal`, `ceasefire.count`, … */
  readonly slotNames: readonly string[];
  /** Site names; the stream of a site is keyed by its name (see random/seed.ts). */
  readonly siteNames: readonly string[];
  /** Where each formula id came from in the document. */
  readonly formulaPaths: readonly (readonly (string | number)[])[];
  /**
   * Values fixed for the whole run. Those that are params carry their name: generated code reads
   * them from an array rather than inlining them, so a param can be bound to another value at run
   * time without recompiling (analysis/bind.ts).
   */
  readonly constants: readonly { slot: number; value: number; param?: string }[];
  readonly params: readonly PlannedParam[];
  /**
   * Groups of params drawn together through a Gaussian copula (`correlations:`); a param in no
   * group is drawn alone, from its own stream, exactly as if there were no correlations.
   */
  readonly copulas: readonly PlannedCopula[];
  /** Derived values and state initial values, in dependency order, evaluated once at step 0. */
  readonly init: readonly Assignment[];
  readonly regimes: readonly PlannedRegime[];
  readonly events: readonly PlannedEvent[];
  /** Derived values in dependency order, recomputed after events fire and after each state update. */
  readonly derived: readonly Assignment[];
  /** State updates, applied simultaneously: each reads the values of the previous step. */
  readonly updates: readonly (Assignment & { temp: number })[];
  readonly outcomes: readonly Formula[];
  /** Slots whose final values are reported. */
  readonly reports: readonly { name: string; slot: number }[];
}

export interface Formula {
  readonly expr: Expr;
  /** Index into `formulaPaths`. */
  readonly id: number;
}

export interface Assignment extends Formula {
  readonly slot: number;
}

export interface PlannedParam {
  readonly slot: number;
  readonly site: number;
  readonly sampler: Sampler;
}

/**
 * A correlated group (random/copula.ts). Member j's uniform u_j comes from its own stream as usual;
 * with z = Φ⁻¹(u), it is drawn at Φ(Σ_{k≤j} factor[j][k] z_k). Member 0 keeps u_0 itself.
 */
export interface PlannedCopula {
  /** Indices into `params`, in the group's order. */
  readonly members: readonly number[];
  /** The Cholesky factor of the members' normal correlations: row j has j + 1 entries. */
  readonly factor: readonly (readonly number[])[];
}

export interface PlannedRegime {
  readonly indexSlot: number;
  /** One 0/1 slot per state, so formulas can say `turkey.coercive`. */
  readonly flagSlots: readonly number[];
  readonly initial: number;
  readonly site: number;
  /** For each current state, the states it may move to and the per-step probability of each move. */
  readonly moves: readonly (readonly PlannedMove[])[];
  /** For each current state, the id naming its row of transitions (reported when the row sums past 1). */
  readonly rows: readonly number[];
}

/** A move to another state; `down` moves go to an earlier state and are drawn from the top of [0, 1). */
export interface PlannedMove {
  readonly to: number;
  readonly p: Formula;
  readonly down: boolean;
}

export type PlannedEffect =
  | { readonly kind: 'set' | 'scale' | 'add'; readonly slot: number; readonly value: Formula }
  | { readonly kind: 'regime'; readonly regime: number; readonly state: number };

export interface PlannedEvent {
  readonly happenedSlot: number;
  readonly countSlot: number;
  readonly site: number;
  readonly hazard: Formula | undefined;
  /** Steps at which it happens for certain, ascending. */
  readonly at: readonly number[];
  readonly repeat: boolean;
  readonly effects: readonly PlannedEffect[];
}

/** Fixed slots every model has. */
export const SLOT_T = 0;
export const SLOT_HORIZON = 1;
