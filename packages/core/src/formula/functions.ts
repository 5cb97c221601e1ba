import { aleaNext, aleaOpen } from '../random/alea.js';
import { normalQuantile } from '../random/special.js';

/**
 * The functions a formula may call. Anything else is rejected when the scenario is loaded. Generated
 * code and the closure fallback call these same implementations, so both give the same bits.
 */

export interface FunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly doc: string;
}

export const PURE_FUNCTIONS = {
  abs: { minArgs: 1, maxArgs: 1, doc: 'absolute value' },
  sqrt: { minArgs: 1, maxArgs: 1, doc: 'square root' },
  exp: { minArgs: 1, maxArgs: 1, doc: 'e to the power x' },
  log: { minArgs: 1, maxArgs: 2, doc: 'natural logarithm, or log(x, base)' },
  log10: { minArgs: 1, maxArgs: 1, doc: 'base-10 logarithm' },
  floor: { minArgs: 1, maxArgs: 1, doc: 'round down' },
  ceil: { minArgs: 1, maxArgs: 1, doc: 'round up' },
  round: { minArgs: 1, maxArgs: 1, doc: 'round to nearest' },
  sign: { minArgs: 1, maxArgs: 1, doc: '-1, 0 or 1' },
  min: { minArgs: 1, maxArgs: 16, doc: 'smallest argument' },
  max: { minArgs: 1, maxArgs: 16, doc: 'largest argument' },
  pow: { minArgs: 2, maxArgs: 2, doc: 'x to the power y' },
  clamp: { minArgs: 3, maxArgs: 3, doc: 'clamp(x, lo, hi)' },
  logistic: { minArgs: 1, maxArgs: 1, doc: '1 / (1 + e^-x)' },
  logit: { minArgs: 1, maxArgs: 1, doc: 'log(p / (1 - p))' },
  tanh: { minArgs: 1, maxArgs: 1, doc: 'hyperbolic tangent' },
} as const satisfies Record<string, FunctionSpec>;

export const RANDOM_FUNCTIONS = {
  normal: { minArgs: 2, maxArgs: 2, doc: 'normal(mean, sd): a fresh draw each evaluation' },
  uniform: { minArgs: 2, maxArgs: 2, doc: 'uniform(min, max)' },
  bernoulli: { minArgs: 1, maxArgs: 1, doc: 'bernoulli(p): 1 with probability p, else 0' },
  lognormal: { minArgs: 2, maxArgs: 2, doc: 'lognormal(mu, sigma) of the underlying normal' },
} as const satisfies Record<string, FunctionSpec>;

export type PureFunction = keyof typeof PURE_FUNCTIONS;
export type RandomFunction = keyof typeof RANDOM_FUNCTIONS;

export const isPureFunction = (name: string): name is PureFunction => Object.hasOwn(PURE_FUNCTIONS, name);
export const isRandomFunction = (name: string): name is RandomFunction =>
  Object.hasOwn(RANDOM_FUNCTIONS, name);

/** Runtime helpers. Invalid arguments give NaN, which the engine reports with the formula's path. */
export const helpers = {
  log: (x: number, base?: number): number =>
    base === undefined ? Math.log(x) : Math.log(x) / Math.log(base),
  clamp: (x: number, lo: number, hi: number): number => (x < lo ? lo : Math.min(x, hi)),
  logistic: (x: number): number => 1 / (1 + Math.exp(-x)),
  logit: (p: number): number => Math.log(p / (1 - p)),
  /** mathjs's `mod`: the result has the sign of the divisor. */
  mod: (x: number, y: number): number => (y === 0 ? x : x - y * Math.floor(x / y)),
  normal: (S: Float64Array, o: number, mean: number, sd: number): number =>
    sd >= 0 ? mean + sd * normalQuantile(aleaOpen(S, o)) : Number.NaN,
  uniform: (S: Float64Array, o: number, a: number, b: number): number =>
    b >= a ? a + (b - a) * aleaNext(S, o) : Number.NaN,
  bernoulli: (S: Float64Array, o: number, p: number): number =>
    p >= 0 && p <= 1 ? (aleaNext(S, o) < p ? 1 : 0) : Number.NaN,
  lognormal: (S: Float64Array, o: number, mu: number, sigma: number): number =>
    sigma >= 0 ? Math.exp(mu + sigma * normalQuantile(aleaOpen(S, o))) : Number.NaN,
};

export type Helpers = typeof helpers;

/** Pure functions that map straight onto `Math`. */
export const MATH_NAMES: Partial<Record<PureFunction, string>> = {
  abs: 'abs',
  sqrt: 'sqrt',
  exp: 'exp',
  log10: 'log10',
  floor: 'floor',
  ceil: 'ceil',
  round: 'round',
  sign: 'sign',
  min: 'min',
  max: 'max',
  pow: 'pow',
  tanh: 'tanh',
};
