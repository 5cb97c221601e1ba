import { mix32 } from '../random/seed.js';

/** A point in the unit cube [0, 1]^d and the objective's value there (larger is better). */
export interface Evaluated {
  x: number[];
  value: number;
}

/** A deterministic stream of uniforms in [0, 1) from a seed (splitmix-style, via mix32). */
export function uniforms(seed: number): () => number {
  let state = mix32(seed >>> 0) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    return mix32(state) / 2 ** 32;
  };
}

/**
 * Latin hypercube sample of n points in [0, 1]^d: each dimension's n strata are each hit once, at a
 * random place inside the stratum, with the strata permuted independently per dimension.
 */
export function latinHypercube(n: number, d: number, seed: number): number[][] {
  const u = uniforms(seed);
  const points = Array.from({ length: n }, () => new Array<number>(d).fill(0));
  for (let j = 0; j < d; j++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const k = Math.floor(u() * (i + 1));
      [perm[i], perm[k]] = [perm[k]!, perm[i]!];
    }
    for (let i = 0; i < n; i++) points[i]![j] = (perm[i]! + u()) / n;
  }
  return points;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * Nelder–Mead maximisation in the unit cube (points are clamped onto it), from `start` with an
 * initial simplex of side `step`. Derivative-free, so it tolerates a Monte Carlo objective that is
 * piecewise flat on common random numbers. Stops after `maxEvals` evaluations or when the simplex's
 * values agree within `tolerance`. Every evaluation is reported to `seen`.
 */
export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  options: { step?: number; maxEvals?: number; tolerance?: number; seen?: (e: Evaluated) => void } = {},
): Evaluated {
  const d = start.length;
  const step = options.step ?? 0.1;
  const maxEvals = options.maxEvals ?? 100 * d;
  const tolerance = options.tolerance ?? 1e-6;
  let evals = 0;
  const evaluate = (x: number[]): Evaluated => {
    const p = x.map(clamp01);
    const value = f(p);
    evals++;
    const e = { x: p, value: Number.isFinite(value) ? value : Number.NEGATIVE_INFINITY };
    options.seen?.(e);
    return e;
  };
  let simplex: Evaluated[] = [evaluate(start)];
  for (let j = 0; j < d; j++) {
    const x = [...start];
    x[j] = x[j]! + step <= 1 ? x[j]! + step : x[j]! - step;
    simplex.push(evaluate(x));
  }
  const along = (a: number[], b: number[], t: number): number[] => a.map((ai, j) => ai + t * (b[j]! - ai));
  while (evals < maxEvals) {
    simplex.sort((a, b) => b.value - a.value);
    const best = simplex[0]!;
    const worst = simplex[d]!;
    if (Math.abs(best.value - worst.value) <= tolerance * (1 + Math.abs(best.value))) break;
    const centroid = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) centroid[j]! += simplex[i]!.x[j]! / d;
    const reflected = evaluate(along(centroid, worst.x, -1));
    if (reflected.value > best.value) {
      const expanded = evaluate(along(centroid, worst.x, -2));
      simplex[d] = expanded.value > reflected.value ? expanded : reflected;
    } else if (reflected.value > simplex[d - 1]!.value) {
      simplex[d] = reflected;
    } else {
      const contracted = evaluate(along(centroid, worst.x, 0.5));
      if (contracted.value > worst.value) simplex[d] = contracted;
      else simplex = simplex.map((s, i) => (i === 0 ? s : evaluate(along(best.x, s.x, 0.5))));
    }
  }
  simplex.sort((a, b) => b.value - a.value);
  return simplex[0]!;
}
