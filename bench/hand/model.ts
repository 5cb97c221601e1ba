/**
 * bench/model.yaml written by hand, independently of the engine: one seedrandom stream, textbook
 * samplers. It computes the same model, so its P(o by 36) must agree with the engine's within Monte
 * Carlo error (bench/run.ts checks it); the draws themselves differ.
 */
import { logistic, pert, polar, type Rng, triangular, truncnormal } from './textbook.js';

const LN_MU = (Math.log(0.05) + Math.log(0.2)) / 2;
const LN_SIGMA = (Math.log(0.2) - Math.log(0.05)) / (2 * 1.6448536269514722);

export function modelLoop(rng: Rng, runs: number): number {
  const normal = polar(rng);
  let hits = 0;
  for (let trial = 0; trial < runs; trial++) {
    const a = 0.5 + rng();
    const b = 0.2 * normal();
    const c = triangular(rng(), 0, 0.3, 1);
    const d = pert(rng, normal, 0, 0.2, 0.6);
    const drift = Math.exp(LN_MU + LN_SIGMA * normal());
    const g = truncnormal(normal, 0.5, 0.2, 0, 1);
    const h = rng() < 0.3 ? 1 : 0;
    const k = 0.01 + 0.04 * rng();
    let regime = 0;
    let shock = 0;
    let w = 0;
    for (let t = 1; t <= 36; t++) {
      const u = rng();
      if (regime === 0) {
        if (u < k + 0.05 * g) regime = 1;
      } else if (regime === 1) {
        if (u < 0.02 + d * 0.1) regime = 2;
        else if (u >= 0.95) regime = 0;
      } else if (u >= 0.9) regime = 1;
      if (shock === 0 && rng() < 0.02) {
        shock = 1;
        w += 0.5;
      }
      w += drift * (regime === 2 ? 1 : regime === 1 ? 0.5 : 0) + 0.1 * normal();
      if (rng() < logistic(-6 + a * w + b + c * shock + h * 0.5)) {
        hits++;
        break;
      }
    }
  }
  return hits;
}
