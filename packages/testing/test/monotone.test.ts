import { defaults } from '@entente/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MONOTONE_RUNS, monotoneIn } from '../src/properties/monotone.js';

// A constant hazard h per step: P(hit within 12 steps) = 1 − (1 − h)^12 rises with h, exactly so at a
// fixed seed (common random numbers: the same uniforms at every h).
const base = {
  id: 'hazard',
  title: 'Constant hazard',
  horizon: { steps: 12 },
  params: { h: 0.05 },
  outcomes: { hit: { when: 'bernoulli(h)' }, late: { when: 'false' } },
  primary: 'hit',
};
type Doc = typeof base;
const withHazard = (s: Doc, h: number): Doc => ({ ...s, params: { h } });
const hazards = fc.integer({ min: 0, max: 10 }).map((k) => k / 20);

/**
 * What fast-check reports for a property, or undefined when it holds: its message, then the error
 * the property threw (fast-check 4 attaches it as the `cause`, which test runners print).
 */
function failure(property: fc.IProperty<[number, number]>): string | undefined {
  try {
    fc.assert(property, { numRuns: 20, seed: 1 });
    return undefined;
  } catch (e) {
    if (!(e instanceof Error)) return String(e);
    return e.cause instanceof Error ? `${e.message}\nCaused by: ${e.cause.message}` : e.message;
  }
}

describe('monotoneIn (issue 16)', () => {
  it('holds for a true rule, and a false one fails with both probabilities, the trials and the seed', () => {
    expect(failure(monotoneIn(base, withHazard, hazards, { runs: 500 }))).toBeUndefined();
    const message = failure(monotoneIn(base, withHazard, hazards, { runs: 500, decreasing: true }));
    expect(message).toMatch(/Property failed/);
    // P(hit) rose as x rose: 0.046 at x = 0, 0.52 at x = 0.05 (500 trials each, seed 20241124; …)
    expect(message).toMatch(/P\(hit\) rose as x rose: [\d.e-]+ at x = [\d.]+, [\d.e-]+ at x = [\d.]+/);
    expect(message).toContain('500 trials each');
    expect(message).toContain(`seed ${defaults.DEFAULT_SEED}`);
  });

  it('names the seed given, and uses the documented defaults otherwise', () => {
    const message = failure(monotoneIn(base, withHazard, hazards, { decreasing: true, seed: 'mine' }));
    expect(message).toContain(`${MONOTONE_RUNS} trials each`);
    expect(message).toContain('seed "mine"');
    expect(MONOTONE_RUNS).toBe(2000);
  });

  it('refuses an invalid scenario before the property runs, with the real problem', () => {
    const broken = (s: Doc, h: number) => ({ ...s, params: { h: { dist: 'uniform', min: h } } });
    expect(() => monotoneIn(base, broken, hazards)).toThrow(
      /monotoneIn: apply\(base, [\d.]+\) is not a valid scenario/,
    );
    expect(() => monotoneIn(base, broken, hazards)).toThrow(/params\.h/);
    const typo = (s: Doc) => ({ ...s, primary: 'hitt' });
    expect(() => monotoneIn(base, typo, hazards)).toThrow(/"hitt" is not an outcome/);
  });

  it('refuses an unknown outcome name before the property runs, listing the outcomes', () => {
    expect(() => monotoneIn(base, withHazard, hazards, { outcome: 'hitt' })).toThrow(
      'monotoneIn: "hitt" is not an outcome of the scenario (its outcomes: hit, late)',
    );
    // A known outcome other than the primary is checked as asked.
    expect(failure(monotoneIn(base, withHazard, hazards, { outcome: 'late', runs: 200 }))).toBeUndefined();
  });
});
