import * as z from 'zod';
import { Distribution } from '../schema/distributions.js';
import { Name } from '../schema/scenario.js';

/**
 * The alliance vocabulary: what a scenario author writes in the language of the mission. It expands
 * into the core layer (expand.ts); docs/ALLIANCE.md gives the equations.
 */

const cite = { label: z.string().optional(), source: z.string().optional(), note: z.string().optional() };
const Formula = z.string().min(1);

/** A number or a distribution: drawn once per trial. */
export const Uncertain = z.union([z.number().refine(Number.isFinite, 'must be finite'), Distribution]);
export type Uncertain = z.infer<typeof Uncertain>;

/** A quantity that may change over time: one of five forms. */
export const Quantity = z.union([
  z.number().refine(Number.isFinite, 'must be finite'),
  Distribution,
  Formula,
  /** A process: an initial value and a per-step update (as a core state variable). */
  z.strictObject({ init: z.union([z.number(), Formula]), update: z.union([z.number(), Formula]) }),
  /** A value per state of a regime, e.g. `{ regime: turkey, values: { calm: 0.2, vocal: 0.5, coercive: 0.9 } }`. */
  z.strictObject({ regime: Name, values: z.record(Name, z.union([z.number(), Formula])) }),
]);
export type Quantity = z.infer<typeof Quantity>;

export const Relationship = z.strictObject({
  /** The actor that may cool ties. */
  focal: Name,
  /** The actor it may cool them with. */
  partner: Name,
  /** Tie strength at step 0, in [0, 1]. @defaultValue 1 */
  initial_tie: z.number().min(0).max(1).optional(),
  ...cite,
});

export const Interest = z.strictObject({
  /** `hold`: keeps the focal actor with the partner; `push`: pushes it away. */
  direction: z.enum(['hold', 'push']),
  /** How much the focal actor cares, per unit of value. @defaultValue 1 */
  weight: Uncertain.optional(),
  value: Quantity,
  ...cite,
});
export type Interest = z.infer<typeof Interest>;

/**
 * Another actor's own response ladder toward a target (docs/ALLIANCE.md, "Strategic actors"): a
 * logit choice each step, one rung up or down or stay, on its own net incentive.
 */
export const ActorDecision = z.strictObject({
  /** The actor this ladder is aimed at (e.g. Turkey's ladder toward AZ). */
  toward: Name,
  /** Only the logit rule has a ladder of rungs; the others are the focal tie's. @defaultValue logit */
  rule: z.literal('logit').optional(),
  /** Its rungs, from the least to the most escalated, e.g. [quiet, criticise, condition, coerce]. */
  ladder: z.array(Name).min(2),
  /** The rung it stands on at step 0. @defaultValue the first rung */
  initial: Name.optional(),
  /** The actor's net incentive at which each rung above the first is worth its step. */
  thresholds: z.record(Name, Uncertain),
  /** How deterministic the choice is (λ). @defaultValue 4 */
  lambda: Uncertain.optional(),
  /** Resistance to any move, up or down (no tie scales it). @defaultValue 2 */
  inertia: Uncertain.optional(),
  ...cite,
});
export type ActorDecision = z.infer<typeof ActorDecision>;

/**
 * A state. Besides the focal one, any actor may weigh interests of its own (`push` up its ladder,
 * `hold` down it) and decide on a ladder toward a target; its rung is then readable by the others.
 */
export const Actor = z.strictObject({
  name: z.string(),
  interests: z.record(Name, Interest).optional(),
  decision: ActorDecision.optional(),
  ...cite,
});
export type Actor = z.infer<typeof Actor>;

export const Pressure = z.strictObject({
  /** The third actor doing the pushing. */
  actor: Name,
  /** How hard it pushes. */
  intensity: Quantity,
  /** How much the focal actor depends on it (alliance, transit, airspace). @defaultValue 1 */
  leverage: Quantity.optional(),
  /** @defaultValue 1 */
  weight: Uncertain.optional(),
  /** The effective push, if not intensity × leverage × weight; may use NAME_intensity, NAME_leverage, NAME_weight. */
  push: Formula.optional(),
  ...cite,
});
export type Pressure = z.infer<typeof Pressure>;

export const Decision = z.strictObject({
  /**
   * `logit` (default): a random-utility choice each step to move one rung up or down the ladder or
   * stay; `threshold`: a latent tie index that drifts with the net incentive, rungs are thresholds
   * on it; `hazard`: a discrete-time hazard of cooling, logistic in the net incentive.
   */
  rule: z.enum(['logit', 'threshold', 'hazard']).optional(),
  /** Response ladder, from the status quo up, e.g. [maintain, criticise, downgrade, suspend]. */
  ladder: z.array(Name).min(2).optional(),
  /** The lowest rung that counts as cooled. @defaultValue the second rung */
  cooled: Name.optional(),
  /** logit: the net incentive at which each rung above the first is worth its step. threshold: the tie level below which it is reached. */
  thresholds: z.record(Name, Uncertain).optional(),
  /** logit: how deterministic the choice is (λ). @defaultValue 4 */
  lambda: Uncertain.optional(),
  /** logit: resistance to change, scaled by tie strength (up) and its complement (down). @defaultValue 2 */
  inertia: Uncertain.optional(),
  /** Share of the gap to the rung's tie level closed each step (logit). @defaultValue 0.2 */
  tie_rate: Uncertain.optional(),
  /** threshold: change of the tie index per unit of net incentive per step. @defaultValue 0.05 */
  speed: Uncertain.optional(),
  /** threshold: sd of the tie index's monthly noise. @defaultValue 0.02 */
  noise: Uncertain.optional(),
  /** hazard: log-odds of cooling in a step when the net incentive is 0. @defaultValue -4 */
  intercept: Uncertain.optional(),
  /** hazard: change of those log-odds per unit of net incentive. @defaultValue 3 */
  slope: Uncertain.optional(),
  ...cite,
});
export type Decision = z.infer<typeof Decision>;

/** The alliance sections a scenario may have beside the core ones. */
export const AllianceSections = z.object({
  actors: z.record(Name, Actor),
  relationship: Relationship,
  interests: z.record(Name, Interest).optional(),
  pressures: z.record(Name, Pressure).optional(),
  decision: Decision.optional(),
});
export type AllianceSections = z.infer<typeof AllianceSections>;

export const ALLIANCE_KEYS = ['actors', 'relationship', 'interests', 'pressures', 'decision'] as const;
