import {
  aleaNext,
  aleaOpen,
  type Distribution,
  makeSampler,
  normalQuantile,
  type SeedKey,
  STREAM_WIDTH,
  seedTrial,
  siteKey,
} from '@entente/core';

/**
 * bench/model.yaml written by hand: the loop an expert would write for this one model, with the
 * same generator and the same stream for each random site, so it must count the very same hits.
 */
const SITES = [
  'param:a',
  'param:b',
  'param:c',
  'param:d',
  'param:drift',
  'param:g',
  'param:h',
  'param:k',
  'regime:r',
  'event:shock',
  'state.w.update#0',
  'outcomes.o.when#0',
];
const [A, B, C, D, DRIFT, G, H, K, R, SHOCK, W, O] = SITES.map((_, i) => i * STREAM_WIDTH) as number[];
const DISTS: Distribution[] = [
  { dist: 'uniform', min: 0.5, max: 1.5 },
  { dist: 'normal', mean: 0, sd: 0.2 },
  { dist: 'triangular', min: 0, mode: 0.3, max: 1 },
  { dist: 'pert', min: 0, mode: 0.2, max: 0.6 },
  { dist: 'lognormal', ci90: [0.05, 0.2] },
  { dist: 'truncnormal', mean: 0.5, sd: 0.2, min: 0, max: 1 },
  { dist: 'bernoulli', p: 0.3 },
  { dist: 'uniform', min: 0.01, max: 0.05 },
];
const Q = DISTS.map((d) => {
  const s = makeSampler(d);
  if (!s.ok) throw new Error('bad benchmark distribution');
  return s.sampler.quantile;
});

/** Hits by step for trials [first, first + runs). */
export function handwritten(key: SeedKey, first: number, runs: number): Float64Array {
  const hits = new Float64Array(37);
  const S = new Float64Array(SITES.length * STREAM_WIDTH);
  const keys = Uint32Array.from(SITES, siteKey);
  const [qa, qb, qc, qd, qdrift, qg, qh, qk] = Q as ((u: number) => number)[];
  for (let trial = first; trial < first + runs; trial++) {
    seedTrial(S, keys, key, trial);
    const a = qa!(aleaOpen(S, A!));
    const b = qb!(aleaOpen(S, B!));
    const c = qc!(aleaOpen(S, C!));
    const d = qd!(aleaOpen(S, D!));
    const drift = qdrift!(aleaOpen(S, DRIFT!));
    const g = qg!(aleaOpen(S, G!));
    const h = qh!(aleaOpen(S, H!));
    const k = qk!(aleaOpen(S, K!));
    let regime = 0;
    let shock = 0;
    let w = 0;
    for (let t = 1; t <= 36; t++) {
      const u = aleaNext(S, R!);
      // Moves up are drawn from the bottom of [0, 1), moves down from the top (as the engine does).
      if (regime === 0) {
        if (u < k + 0.05 * g) regime = 1;
      } else if (regime === 1) {
        if (u < 0.02 + d * 0.1) regime = 2;
        else if (u >= 1 - 0.05) regime = 0;
      } else if (u >= 1 - 0.1) regime = 1;
      if (shock === 0 && aleaNext(S, SHOCK!) < 0.02) {
        shock = 1;
        w += 0.5;
      }
      w =
        w + drift * (regime === 2 ? 1 : regime === 1 ? 0.5 : 0) + (0 + 0.1 * normalQuantile(aleaOpen(S, W!)));
      const p = 1 / (1 + Math.exp(-(-6 + a * w + b + c * shock + h * 0.5)));
      if (aleaNext(S, O!) < p) {
        hits[t]! += 1;
        break;
      }
    }
  }
  return hits;
}
