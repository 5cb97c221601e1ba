/**
 * The alliance benchmark family (bench/models/alliance.ts) written by hand, independently of the
 * engine: one seedrandom stream, textbook samplers, the logit ladder of docs/ALLIANCE.md as a person
 * would code it from the text. Every choice at step t reads the net incentive and tie at the end of
 * step t − 1; the interests are param-only, so their sum is computed once per trial.
 */
import type { AllianceSpec } from '../models/alliance.js';
import { pert, polar, type Rng } from './textbook.js';

export function allianceLoop(spec: AllianceSpec, rng: Rng, runs: number): number {
  const normal = polar(rng);
  const { interests, lambda: L, inertia: I, tieRate, tie0 } = spec;
  const theta = [0, spec.thresholds[0], spec.thresholds[1]];
  const n = interests.length;
  const lo = Float64Array.from(interests, (x) => x.lo);
  const span = Float64Array.from(interests, (x) => x.hi - x.lo);
  const wlo = Float64Array.from(interests, (x) => x.wlo);
  const wspan = Float64Array.from(interests, (x) => x.whi - x.wlo);
  const sign = Float64Array.from(interests, (x) => (x.hold ? -1 : 1));
  let hits = 0;
  for (let trial = 0; trial < runs; trial++) {
    let interestSum = 0;
    for (let i = 0; i < n; i++) {
      const v = lo[i]! + span[i]! * rng();
      const w = wlo[i]! + wspan[i]! * rng();
      interestSum += sign[i]! * w * v;
    }
    const rivalLeverage = pert(rng, normal, 0.5, 0.7, 0.9);
    const patronLeverage = 0.3 + 0.5 * rng();
    let rival = 0.5;
    let angry = 0;
    let rung = 0;
    let tie = tie0;
    let x = interestSum + rival * rivalLeverage + 0.2 * patronLeverage;
    for (let t = 1; t <= 36; t++) {
      // Choices from the end of the previous step: the patron's mood and the focal's rung.
      const um = rng();
      if (angry === 0) {
        if (um < 0.05) angry = 1;
      } else if (um >= 0.9) angry = 0;
      const up = rung < 2 ? L * (x - theta[rung + 1]! - I * tie) : Number.NEGATIVE_INFINITY;
      const down = rung > 0 ? L * (theta[rung]! - x - I * (1 - tie)) : Number.NEGATIVE_INFINITY;
      const pUp = rung < 2 ? 1 / (Math.exp(-up) + 1 + Math.exp(down - up)) : 0;
      const pDown = rung > 0 ? 1 / (Math.exp(-down) + 1 + Math.exp(up - down)) : 0;
      const u = rng();
      if (u < pUp) rung++;
      else if (u >= 1 - pDown) rung--;
      // Then the states, from the new rung.
      rival = Math.min(1, Math.max(0, rival + 0.05 * normal()));
      tie += tieRate * (tie0 * (1 - rung / 2) - tie);
      x = interestSum + rival * rivalLeverage + (angry ? 0.6 : 0.2) * patronLeverage;
      if (rung === 2) {
        hits++;
        break;
      }
    }
  }
  return hits;
}
