/**
 * Textbook samplers on one seedrandom stream: what a person writes without this engine. Nothing here
 * imports @entente/core. Each sampler takes the stream and returns one draw.
 */
import seedrandom from 'seedrandom';

export type Rng = () => number;

/** One Alea stream for the whole loop, as seedrandom gives it. */
export function stream(seed: number): Rng {
  return seedrandom.alea(`bench:${seed}`);
}

/** Marsaglia's polar method; the second value of each pair is kept for the next call. */
export function polar(rng: Rng): () => number {
  let spare = 0;
  let has = false;
  return () => {
    if (has) {
      has = false;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * rng() - 1;
      v = 2 * rng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    has = true;
    return u * f;
  };
}

/** Marsaglia & Tsang (2000) for shape ≥ 1; shape < 1 by the boost gamma(a + 1)·U^(1/a). */
export function gamma(rng: Rng, normal: () => number, shape: number): number {
  if (shape < 1) return gamma(rng, normal, shape + 1) * rng() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as X / (X + Y) of two gammas. */
export function beta(rng: Rng, normal: () => number, a: number, b: number): number {
  const x = gamma(rng, normal, a);
  return x / (x + gamma(rng, normal, b));
}

/** PERT(min, mode, max) with λ = 4: a scaled beta. */
export function pert(rng: Rng, normal: () => number, min: number, mode: number, max: number): number {
  const r = max - min;
  return min + r * beta(rng, normal, 1 + (4 * (mode - min)) / r, 1 + (4 * (max - mode)) / r);
}

/** Triangular by its closed-form inverse CDF. */
export function triangular(u: number, min: number, mode: number, max: number): number {
  const f = (mode - min) / (max - min);
  return u < f
    ? min + Math.sqrt(u * (max - min) * (mode - min))
    : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
}

/** A normal truncated to [lo, hi] by rejection (fine when the interval holds most of the mass). */
export function truncnormal(normal: () => number, mean: number, sd: number, lo: number, hi: number): number {
  for (;;) {
    const x = mean + sd * normal();
    if (x >= lo && x <= hi) return x;
  }
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
