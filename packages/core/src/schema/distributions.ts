import * as z from 'zod';

const cite = {
  /** A short label for tables and traces. */
  label: z.string().optional(),
  /** The id of an entry in the document's `sources`. */
  source: z.string().optional(),
  /** The reasoning behind an assumed value. */
  note: z.string().optional(),
  unit: z.string().optional(),
};
const num = z.number();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const ConstantDist = z.strictObject({ dist: z.literal('constant'), value: finite, ...cite });
export const UniformDist = z.strictObject({ dist: z.literal('uniform'), min: finite, max: finite, ...cite });
export const TriangularDist = z.strictObject({
  dist: z.literal('triangular'),
  min: finite,
  mode: finite,
  max: finite,
  ...cite,
});
export const PertDist = z.strictObject({
  dist: z.literal('pert'),
  min: finite,
  mode: finite,
  max: finite,
  /** Weight of the mode; 4 is the classic PERT. */
  lambda: num.optional(),
  ...cite,
});
export const NormalDist = z.strictObject({ dist: z.literal('normal'), mean: finite, sd: num, ...cite });
export const TruncatedNormalDist = z.strictObject({
  dist: z.literal('truncnormal'),
  mean: finite,
  sd: num,
  min: num.optional(),
  max: num.optional(),
  ...cite,
});
/** Either `mu`/`sigma` of the underlying normal, or `ci90: [low, high]`, a 90% interval (as Squiggle's `low to high`). */
export const LognormalDist = z.strictObject({
  dist: z.literal('lognormal'),
  mu: finite.optional(),
  sigma: num.optional(),
  ci90: z.tuple([num, num]).optional(),
  ...cite,
});
/** Either `alpha`/`beta`, or `mean`/`sd`. */
export const BetaDist = z.strictObject({
  dist: z.literal('beta'),
  alpha: num.optional(),
  beta: num.optional(),
  mean: num.optional(),
  sd: num.optional(),
  ...cite,
});
/** `shape` with `scale` or `rate`, or `mean`/`sd`. */
export const GammaDist = z.strictObject({
  dist: z.literal('gamma'),
  shape: num.optional(),
  scale: num.optional(),
  rate: num.optional(),
  mean: num.optional(),
  sd: num.optional(),
  ...cite,
});
export const BernoulliDist = z.strictObject({ dist: z.literal('bernoulli'), p: num, ...cite });
/** Numeric values with probabilities that sum to 1, drawn in the order given. */
export const CategoricalDist = z.strictObject({
  dist: z.literal('categorical'),
  values: z.array(finite).min(1),
  p: z.array(num).min(1),
  ...cite,
});
/** Observed values, optionally weighted; a draw picks one of them. */
export const EmpiricalDist = z.strictObject({
  dist: z.literal('empirical'),
  samples: z.array(finite).min(1),
  weights: z.array(num).optional(),
  ...cite,
});

export const Distribution = z.discriminatedUnion('dist', [
  ConstantDist,
  UniformDist,
  TriangularDist,
  PertDist,
  NormalDist,
  TruncatedNormalDist,
  LognormalDist,
  BetaDist,
  GammaDist,
  BernoulliDist,
  CategoricalDist,
  EmpiricalDist,
]);
export type Distribution = z.infer<typeof Distribution>;

export const DISTRIBUTION_NAMES = Distribution.options.map((o) => o.shape.dist.value);
