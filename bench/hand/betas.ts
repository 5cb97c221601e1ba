/** bench/models/betas.yaml written by hand, independently of the engine (see hand/model.ts). */
import { beta, gamma, logistic, pert, polar, type Rng } from './textbook.js';

export function betasLoop(rng: Rng, runs: number): number {
  const normal = polar(rng);
  let hits = 0;
  for (let trial = 0; trial < runs; trial++) {
    const b1 = beta(rng, normal, 2, 5);
    const b2 = beta(rng, normal, 0.7, 1.6);
    const b3 = beta(rng, normal, 8, 3);
    const q1 = pert(rng, normal, 0, 0.3, 1);
    const q2 = pert(rng, normal, 0.1, 0.15, 0.6);
    const g = 0.02 * gamma(rng, normal, 2.5);
    let x = 0;
    for (let t = 1; t <= 36; t++) {
      x += g * (b1 + q1 - b2) + 0.05 * normal();
      if (rng() < logistic(-5.5 + 2 * x + b3 + q2)) {
        hits++;
        break;
      }
    }
  }
  return hits;
}
