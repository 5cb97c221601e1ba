import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monotoneIn } from '../src/properties/monotone.js';

/**
 * Monotonicity with strategic actors (docs/ALLIANCE.md, "Strategic actors", which states which of
 * these hold and why). Baku (AZ) feels a Turkish pressure that grows with Turkey's rung; Turkey
 * (TR) pushes up its ladder with its Gaza opinion (weight `gaza`) and, with `feedback` > 0, is held
 * back by Baku's own rung: Baku's criticism buys Ankara off.
 */
function scenario(o: { gaza: number; turkeyWeight: number; feedback: number }) {
  return {
    id: 'strategic-monotone',
    title: 'Strategic monotonicity',
    horizon: { steps: 24 },
    actors: {
      AZ: { name: 'Azerbaijan' },
      IL: { name: 'Israel' },
      TR: {
        name: 'Turkey',
        interests: {
          gaza: { direction: 'push', weight: o.gaza, value: { dist: 'uniform', min: 0.3, max: 0.9 } },
          btc: { direction: 'hold', value: { dist: 'uniform', min: 0.1, max: 0.4 } },
          bought_off: { direction: 'hold', weight: o.feedback, value: 'AZ_rung' },
        },
        decision: {
          toward: 'AZ',
          ladder: ['quiet', 'criticise', 'coerce'],
          initial: 'criticise',
          thresholds: { criticise: 0.1, coerce: 0.5 },
          lambda: 3,
          inertia: 0.5,
        },
      },
    },
    relationship: { focal: 'AZ', partner: 'IL', initial_tie: 0.9 },
    interests: { oil: { direction: 'hold', value: { dist: 'uniform', min: 0.1, max: 0.5 } } },
    pressures: {
      turkey: {
        actor: 'TR',
        intensity: '0.1 + 0.35 * TR_rung',
        leverage: { dist: 'pert', min: 0.4, mode: 0.6, max: 0.9 },
        weight: o.turkeyWeight,
      },
    },
    decision: {
      ladder: ['maintain', 'criticise', 'downgrade'],
      cooled: 'downgrade',
      thresholds: { criticise: -0.3, downgrade: 0.1 },
      lambda: 5,
      inertia: 1,
    },
  };
}
type Doc = ReturnType<typeof scenario>;
const BASE = { gaza: 1, turkeyWeight: 1, feedback: 0 };
const weights = fc.integer({ min: 0, max: 12 }).map((k) => k / 4);

/** fast-check's report of a property, or undefined when it holds. */
function failure(property: fc.IProperty<[number, number]>, numRuns = 25): string | undefined {
  try {
    fc.assert(property, { numRuns, seed: 14 });
    return undefined;
  } catch (e) {
    if (!(e instanceof Error)) return String(e);
    return e.cause instanceof Error ? `${e.message}\nCaused by: ${e.cause.message}` : e.message;
  }
}

describe('monotone in the inputs when nothing feeds back (these hold exactly at a fixed seed)', () => {
  it("Turkey's own rung: more weight on its Gaza opinion never lowers P(Turkey reaches coerce)", () => {
    const withGaza = (_: Doc, x: number) => scenario({ ...BASE, gaza: x });
    expect(
      failure(monotoneIn(scenario(BASE), withGaza, weights, { outcome: 'TR_reached_coerce', runs: 1500 })),
    ).toBeUndefined();
  });
  it("Baku's cooling, through Turkey's rung: more Turkish Gaza weight never lowers P(cooled)", () => {
    const withGaza = (_: Doc, x: number) => scenario({ ...BASE, gaza: x });
    expect(failure(monotoneIn(scenario(BASE), withGaza, weights, { runs: 1500 }))).toBeUndefined();
  });
  it("Baku's cooling in the Turkish pressure's weight, as with no deciding actor", () => {
    const withWeight = (_: Doc, x: number) => scenario({ ...BASE, turkeyWeight: x });
    expect(failure(monotoneIn(scenario(BASE), withWeight, weights, { runs: 1500 }))).toBeUndefined();
  });
});

describe('what the feedback breaks (documented counter-examples)', () => {
  it("with Baku's criticism buying Ankara off, more pressure on Baku makes Ankara coerce less", () => {
    const fed = { ...BASE, feedback: 1.5 };
    const withWeight = (_: Doc, x: number) => scenario({ ...fed, turkeyWeight: x });
    // Still monotone, but the other way: Turkey's coercion falls as its pressure on Baku works.
    expect(
      failure(
        monotoneIn(scenario(fed), withWeight, weights, {
          outcome: 'TR_reached_coerce',
          runs: 1500,
          decreasing: true,
        }),
      ),
    ).toBeUndefined();
    // So "more Turkish pressure, more Turkish coercion" fails, with a counter-example at this seed.
    const message = failure(
      monotoneIn(scenario(fed), withWeight, weights, { outcome: 'TR_reached_coerce', runs: 1500 }),
    );
    expect(message).toMatch(/P\(TR_reached_coerce\) fell as x rose/);
  });
  it("with a strong feedback, P(cooled) is not monotone in Turkey's Gaza weight: a counter-example", () => {
    // Found by scanning the weight from 0 to 4 in steps of 0.1 at feedbacks 1.5, 3 and 6 (4,000
    // trials, the default seed): the only fall is at feedback 6, between 2.7 and 2.8 (0.191 to
    // 0.19075). With the same trials at both values this is a real reversal, not noise: in one
    // trial a more hawkish Ankara pushes Baku to criticise sooner, is bought off sooner, and the
    // pressure that would have taken Baku to a downgrade is gone when it mattered.
    const fed = { ...BASE, feedback: 6 };
    const withGaza = (_: Doc, x: number) => scenario({ ...fed, gaza: x });
    const message = failure(
      monotoneIn(scenario(fed), withGaza, fc.constantFrom(2.7, 2.8), { runs: 4000 }),
      20,
    );
    expect(message).toMatch(/P\(cooled\) fell as x rose: 0\.191 at x = 2\.7, 0\.19075 at x = 2\.8/);
  });
});
