import * as z from 'zod';
import { DEFAULT_HORIZON_UNIT } from '../defaults.js';
import { Distribution } from './distributions.js';
import { invalidNameMessage, NAME_PATTERN } from './zodIssues.js';

/**
 * The scenario document schema: the source of truth for the TypeScript types and for the JSON
 * Schema that editors use (`scenarioJsonSchema`). Cross-references (does `primary` name an outcome?)
 * are checked in references.ts; formulas in the compiler.
 */

/** A name: a letter, then letters, digits and _; an invalid one is reported with the character at fault. */
export const Name = z.string().regex(NAME_PATTERN, { error: (issue) => invalidNameMessage(issue.input) });

/** A mathjs formula, or a plain number or boolean where a formula is expected. */
export const Formula = z.union([z.string().min(1), z.number(), z.boolean()]);
export type Formula = z.infer<typeof Formula>;

const cite = {
  label: z.string().optional(),
  /** The id of an entry in `sources`. */
  source: z.string().optional(),
  /** Reasoning, especially for a value that is an assumption. */
  note: z.string().optional(),
};

export const Source = z.strictObject({
  title: z.string(),
  publisher: z.string().optional(),
  date: z.union([z.string(), z.number()]).optional(),
  url: z.string().optional(),
  note: z.string().optional(),
});

/** A param is drawn once per trial: a number (a constant) or a distribution. */
export const Param = z.union([z.number().refine(Number.isFinite, 'must be finite'), Distribution]);
export type Param = z.infer<typeof Param>;

/**
 * A rank (Spearman) correlation between two params drawn from distributions, realised with a
 * Gaussian copula (random/copula.ts): each param keeps its distribution and its own random stream.
 */
export const Correlation = z.strictObject({
  /** The two params, by name; both must be drawn from a distribution. */
  between: z
    .array(Name)
    .refine((names) => names.length === 2, 'between lists two params, as [first, second]')
    .meta({ minItems: 2, maxItems: 2 }),
  /** Spearman's rank correlation of the two, strictly between −1 and 1. */
  rank: z
    .number()
    .gt(
      -1,
      'a rank correlation lies strictly between -1 and 1 (at -1 one param would be a function of the other: use a derived value)',
    )
    .lt(
      1,
      'a rank correlation lies strictly between -1 and 1 (at 1 one param would be a function of the other: use a derived value)',
    ),
  ...cite,
});
export type Correlation = z.infer<typeof Correlation>;

/** A derived value is recomputed from other values whenever they may have changed. */
export const Derived = z.union([
  Formula,
  z.strictObject({ formula: Formula, unit: z.string().optional(), ...cite }),
]);
export type Derived = z.infer<typeof Derived>;

export const StateVar = z.strictObject({
  /** Value at step 0; may refer to params and derived values. */
  init: Formula,
  /** Value at step t from the values at step t − 1; omit for a variable only events change. */
  update: Formula.optional(),
  unit: z.string().optional(),
  ...cite,
});
export type StateVar = z.infer<typeof StateVar>;

export const Regime = z.strictObject({
  states: z.array(Name).min(2),
  initial: Name,
  /** from-state → to-state → per-step probability (a formula); what is left is the chance of staying. */
  transitions: z.record(Name, z.record(Name, Formula)),
  ...cite,
});
export type Regime = z.infer<typeof Regime>;

export const Effect = z.union([
  z.strictObject({ set: Name, to: Formula }),
  z.strictObject({ scale: Name, by: Formula }),
  z.strictObject({ add: Name, by: Formula }),
  z.strictObject({ regime: Name, to: Name }),
]);
export type Effect = z.infer<typeof Effect>;

export const Event = z.strictObject({
  /** Per-step probability (a formula) that the event happens. */
  hazard: Formula.optional(),
  /** Step or steps at which the event happens for certain. */
  at: z.union([z.int().min(1), z.array(z.int().min(1)).min(1)]).optional(),
  /** May the event happen more than once? Default: no. */
  repeat: z.boolean().optional(),
  effects: z.array(Effect).optional(),
  ...cite,
});
export type Event = z.infer<typeof Event>;

export const Outcome = z.strictObject({
  /** A predicate (non-zero is true); the outcome happens at the first step where it holds. */
  when: Formula,
  description: z.string().optional(),
  ...cite,
});
export type Outcome = z.infer<typeof Outcome>;

export const Horizon = z.strictObject({
  steps: z.int().min(1).max(100_000),
  unit: z.string().default(DEFAULT_HORIZON_UNIT),
  /** The calendar date of step 0, for labels (e.g. "2024-11"). */
  start: z.union([z.string(), z.number()]).optional(),
});

/**
 * One observation: a clause in the evidence language (see evidence/clause.ts and docs/EVIDENCE.md),
 * alone or with its source and a note.
 */
export const Given = z.union([z.string().min(1), z.strictObject({ observed: z.string().min(1), ...cite })]);
export type Given = z.infer<typeof Given>;

export const Scenario = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'ids use letters, digits, ".", "_" and "-"'),
  title: z.string(),
  description: z.string().optional(),
  sources: z.record(z.string(), Source).optional(),
  horizon: Horizon,
  params: z.record(Name, Param).optional(),
  /** Rank correlations among params drawn from distributions (docs/SCENARIOS.md, "Correlations"). */
  correlations: z.array(Correlation).optional(),
  derived: z.record(Name, Derived).optional(),
  state: z.record(Name, StateVar).optional(),
  regimes: z.record(Name, Regime).optional(),
  events: z.record(Name, Event).optional(),
  outcomes: z
    .record(Name, Outcome)
    .refine((o) => Object.keys(o).length > 0, 'a scenario needs at least one outcome'),
  /** The outcome that answers the scenario's question. */
  primary: Name,
  /** Variables whose values at the horizon are summarised (default: every state variable). */
  report: z.array(Name).optional(),
  /** What has been observed: estimates are then conditional on it. */
  given: z.array(Given).optional(),
});
export type Scenario = z.infer<typeof Scenario>;
/** What a user writes (defaults not yet applied). */
export type ScenarioInput = z.input<typeof Scenario>;

/** JSON Schema (draft 2020-12) of scenario documents, for editors and the YAML language server. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Scenario, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'Entente scenario',
    description: 'A scenario for the Entente simulation engine. `extends: ./base.yaml` may also appear.',
    properties: { extends: { type: 'string' }, ...(schema.properties as Record<string, unknown>) },
  };
}
