import { makeSampler } from '@entente/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  allianceScenario,
  bounded,
  checkTypedFailure,
  compileData,
  coreScenario,
  deterministic,
  invalidDistribution,
  mangledText,
  monotoneIn,
  nearValid,
  renameInvariant,
  reorderInvariant,
  roundTrips,
  typedFailuresOnly,
  validDistribution,
  zeroWeightRemoves,
} from '../src/index.js';

// Our own suite uses the kit. numRuns are kept small enough for CI (the whole file runs in well
// under a minute); `pnpm fuzz` runs the long fuzz (docs/TESTING.md records its figures).

describe('arbitraries', () => {
  it('valid distributions are accepted, near-valid ones rejected with the field at fault', () => {
    fc.assert(fc.property(validDistribution(), (d) => makeSampler(d).ok));
    fc.assert(
      fc.property(invalidDistribution(), (d) => {
        const r = makeSampler(d);
        return !r.ok && r.problems.every((p) => p.path.length > 0);
      }),
    );
  });
  it('generated scenarios load, in both layers', () => {
    fc.assert(
      fc.property(coreScenario(), (doc) => compileData(doc) !== undefined),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(allianceScenario(), (doc) => compileData(doc).alliance !== undefined),
      { numRuns: 40 },
    );
  });
});

describe('properties of the engine, checked with the kit', () => {
  it('samplers: every quantile function is monotone on the uniform grid and stays in its support', () => {
    const grid = fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((k) => (k + 0.5) / 2 ** 32);
    fc.assert(
      fc.property(validDistribution(), grid, grid, (d, u, w) => {
        const s = makeSampler(d);
        if (!s.ok) return false;
        const [a, b] = u < w ? [u, w] : [w, u];
        const x = s.sampler.quantile(a);
        return x <= s.sampler.quantile(b) && s.sampler.cdf(x) >= 0 && Number.isFinite(x);
      }),
      { numRuns: 300 },
    );
  });
  it('results are bounded and consistent', () => {
    fc.assert(bounded(coreScenario()), { numRuns: 30 });
    fc.assert(bounded(allianceScenario()), { numRuns: 30 });
  });
  it('determinism across chunk sizes and back ends', () => {
    fc.assert(deterministic(coreScenario({ maxSteps: 12 })), { numRuns: 20 });
    fc.assert(deterministic(allianceScenario({ maxSteps: 12 })), { numRuns: 20 });
  });
  it('round trip: a resolved scenario serialised and loaded back is the same model', () => {
    fc.assert(roundTrips(allianceScenario({ maxSteps: 12 })), { numRuns: 20 });
    fc.assert(roundTrips(coreScenario({ maxSteps: 12 })), { numRuns: 20 });
  });
  it('reordering items changes nothing; renaming changes nothing beyond Monte Carlo noise', () => {
    fc.assert(reorderInvariant(coreScenario({ maxSteps: 12 })), { numRuns: 20 });
    fc.assert(renameInvariant(coreScenario({ maxSteps: 6 })), { numRuns: 10 });
  });
  it("a zero weight removes an interest's influence exactly", () => {
    fc.assert(zeroWeightRemoves(allianceScenario({ maxSteps: 12 })), { numRuns: 20 });
  });
  it('more pressure never lowers P(cool) in generated alliance scenarios', () => {
    fc.assert(
      fc.property(allianceScenario({ maxSteps: 12 }), (doc) => {
        const pressures = doc.pressures as Record<string, Record<string, unknown>> | undefined;
        fc.pre(pressures !== undefined);
        const name = Object.keys(pressures)[0]!;
        const withWeight = (d: Record<string, unknown>, w: number) => ({
          ...d,
          pressures: { ...pressures, [name]: { ...pressures[name], weight: w } },
        });
        fc.assert(
          monotoneIn(
            doc,
            withWeight,
            fc.integer({ min: 0, max: 8 }).map((k) => k / 4),
            { runs: 300 },
          ),
          { numRuns: 5 },
        );
      }),
      { numRuns: 10 },
    );
  });
});

describe('fuzz: generated and mutated documents give typed results only', () => {
  it('near-valid documents are rejected with located issues', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(
        nearValid(fc.oneof(coreScenario({ maxSteps: 6 }), allianceScenario({ maxSteps: 6 }))),
        (doc) => {
          const o = checkTypedFailure(stringify(doc));
          outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
        },
      ),
      { numRuns: 150 },
    );
    expect(outcomes.get('rejected') ?? 0).toBeGreaterThan(50);
  });
  it('mangled text never crashes the loader', () => {
    fc.assert(
      typedFailuresOnly(
        mangledText(fc.oneof(coreScenario({ maxSteps: 6 }), allianceScenario({ maxSteps: 6 }))),
      ),
      { numRuns: 150 },
    );
  });
});
