import { makeSampler, type ScenarioInput } from '@entente/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monotoneIn, validDistribution } from '../src/index.js';

const base: ScenarioInput = {
  id: 'rule',
  title: 'A hazard driven by pressure',
  horizon: { steps: 12 },
  params: { pressure: 0.2, noise: { dist: 'normal', mean: 0, sd: 0.5 } },
  outcomes: { cooled: { when: 'bernoulli(logistic(-4 + 3 * pressure + noise))' } },
  primary: 'cooled',
};
// Pressures on a grid of 0.05: fast-check's doubles favour edge values such as 0 and 1.
const pressure = fc.integer({ min: 0, max: 20 }).map((k) => k / 20);
const withPressure = (s: ScenarioInput, x: number): ScenarioInput => ({
  ...s,
  params: { ...s.params, pressure: x },
});

describe('@entente/testing', () => {
  it('validDistribution only makes distributions the core accepts', () => {
    fc.assert(fc.property(validDistribution(), (d) => makeSampler(d).ok));
  });

  it('monotoneIn holds exactly for a monotone rule at a fixed seed (common random numbers)', () => {
    fc.assert(monotoneIn(base, withPressure, pressure), { numRuns: 20 });
  });

  it('monotoneIn finds the counterexample when the rule is not monotone', () => {
    const humped: ScenarioInput = {
      ...base,
      outcomes: { cooled: { when: 'bernoulli(logistic(-4 + 12 * pressure * (1 - pressure) + noise))' } },
    };
    expect(() => fc.assert(monotoneIn(humped, withPressure, pressure), { numRuns: 50 })).toThrow(
      /Property failed/,
    );
  });
});
