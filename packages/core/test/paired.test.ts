import { describe, expect, it } from 'vitest';
import { pairedDifference, simulate, simulatePaired } from '../src/index.js';
import { model, scenario } from './helpers.js';

const hazard = (h: number) =>
  model(scenario(`params: { h: ${h} }\noutcomes:\n  o: { when: "bernoulli(h)" }`, 'o', 24));

describe('paired simulation', () => {
  it('each model gets exactly its own simulation; discordance follows the coupling', () => {
    const a = hazard(0.05);
    const b = hazard(0.06);
    const paired = simulatePaired([a, b], { runs: 20_000, seed: 4 });
    expect(paired.simulations[0]!.tallies).toEqual(simulate(a, { runs: 20_000, seed: 4 }).tallies);
    expect(paired.simulations[1]!.tallies).toEqual(simulate(b, { runs: 20_000, seed: 4 }).tallies);
    // Same uniforms at the same site: whenever u < 0.05, also u < 0.06. Never the other way round.
    expect(paired.discordance[1]!.o!.n10).toBe(0);
    const d = pairedDifference(paired.discordance[1]!.o!, 20_000);
    const truth = 0.95 ** 24 - 0.94 ** 24;
    expect(d.ci95[0]).toBeLessThan(truth);
    expect(d.ci95[1]).toBeGreaterThan(truth);
    // Far narrower than two independent estimates would allow (±0.0089 each side).
    expect(d.ci95[1] - d.ci95[0]).toBeLessThan(0.008);
  });

  it('the paired interval formula matches the published one', () => {
    // n = 100, n10 = 5, n01 = 15: Δ = 0.1, SE = √(20 − 100/100)/100 = √19/100.
    const d = pairedDifference({ n10: 5, n01: 15 }, 100);
    expect(d.estimate).toBeCloseTo(0.1, 15);
    expect(d.ci95[1] - d.estimate).toBeCloseTo((1.959963984540054 * Math.sqrt(19)) / 100, 12);
  });
});
