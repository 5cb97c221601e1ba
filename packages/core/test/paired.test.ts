import { describe, expect, it } from 'vitest';
import { pairedDifference, pairedDiscordance, simulate, simulatePaired } from '../src/index.js';
import { trialPlayer } from '../src/simulate/player.js';
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

  it('pairedDiscordance counts what simulatePaired counts, on any split of the trials', () => {
    // Two outcomes, so that the one asked for is found by id, not by position.
    const two = (h: number) =>
      model(
        scenario(
          `params: { h: ${h} }\noutcomes:\n  other: { when: "bernoulli(0.5)" }\n  o: { when: "bernoulli(h) or bernoulli(0.01)" }`,
          'o',
          12,
        ),
      );
    const a = two(0.05);
    const b = two(0.03);
    const whole = simulatePaired([a, b], { runs: 6_000, seed: 'x' }).discordance[1]!.o!;
    expect(whole.n10).toBeGreaterThan(0);
    expect(pairedDiscordance([a, b], 'o', { seed: 'x', firstTrial: 0, runs: 6_000 })).toEqual(whole);
    const parts = [0, 1, 2_500, 6_000].slice(1).map((end, k, ends) => {
      const start = k === 0 ? 0 : ends[k - 1]!;
      return pairedDiscordance([a, b], 'o', { seed: 'x', firstTrial: start, runs: end - start });
    });
    expect(parts.reduce((s, d) => s + d.n10, 0)).toBe(whole.n10);
    expect(parts.reduce((s, d) => s + d.n01, 0)).toBe(whole.n01);
    expect(pairedDiscordance([a, b], 'missing', { seed: 'x', firstTrial: 0, runs: 100 })).toEqual({
      n10: 0,
      n01: 0,
    });
  });

  it.each(['codegen', 'closure'] as const)(
    'a trial told to stop on an outcome (%s back end) stops there, with the same first passage',
    (backend) => {
      // `o` happens at step 3 in every trial; `late` counts the steps it ran.
      const m = model(
        scenario(
          `state: { steps: { init: 0, update: "steps + 1" } }\noutcomes:\n  late: { when: "steps >= 20" }\n  o: { when: "t >= 3" }`,
          'o',
          24,
        ),
        { backend },
      );
      const whole = trialPlayer(m, 1);
      const stopped = trialPlayer(m, 1, m.outcomeIds.indexOf('o'));
      whole.play(0);
      stopped.play(0);
      const o = m.outcomeIds.indexOf('o');
      const late = m.outcomeIds.indexOf('late');
      expect(stopped.fp[o]).toBe(3);
      expect(whole.fp[o]).toBe(3);
      // The whole trial ran on to step 20; the stopped one did not get there.
      expect(whole.fp[late]).toBe(20);
      expect(stopped.fp[late]).toBe(0);
      // With onStep (a trace), no trial stops early.
      const seen: number[] = [];
      stopped.play(0, (t) => seen.push(t));
      expect(seen.length).toBe(25);
      expect(stopped.fp[late]).toBe(20);
    },
  );
});
