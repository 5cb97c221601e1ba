import { describe, expect, it } from 'vitest';
import { loadScenarioOrThrow, trace } from '../src/index.js';

/** An alliance scenario with `n` hold interests and one pressure, every value a param. */
function scenario(n: number): string {
  const interests = Array.from(
    { length: n },
    (_, i) =>
      `  i${i}: { direction: hold, value: { dist: uniform, min: 0, max: ${(1 + (i % 5)) / 10} }, weight: ${1 + (i % 3)} }`,
  );
  return [
    'id: many-interests',
    'title: Many interests',
    'horizon: { steps: 3 }',
    'actors: { A: { name: A }, B: { name: B }, C: { name: C } }',
    'relationship: { focal: A, partner: B }',
    'interests:',
    ...interests,
    'pressures:',
    '  c: { actor: C, intensity: { dist: uniform, min: 0, max: 20 } }',
    'decision: { thresholds: { cool: 0 } }',
    '',
  ].join('\n');
}

describe('alliance sums over many inputs', () => {
  it('chains the sum through partial sums, adding in the same order as one long sum', () => {
    // 200 terms would be a formula 200 levels deep, past the limit of 100 (docs/SCENARIOS.md).
    const model = loadScenarioOrThrow(scenario(200));
    const values = trace(model, { trial: 3, seed: 11 }).steps[0]!.values;
    let left = 0;
    for (let i = 0; i < 200; i++) left += values[`i${i}_contribution`]!;
    expect(values.hold).toBe(left); // bit for bit: left to right, as `c0 + c1 + … + c199` adds
    expect(values.hold_upto_64).toBeDefined();
    expect(values.hold_upto_192).toBeDefined();
    expect(values.hold_upto_256).toBeUndefined();
    expect(values.net_incentive).toBe(values.push! - left);
  });

  it('keeps a single sum, with no partial sums, up to 64 terms', () => {
    const values = trace(loadScenarioOrThrow(scenario(64)), { trial: 0, seed: 1 }).steps[0]!.values;
    expect(Object.keys(values).some((k) => k.includes('_upto_'))).toBe(false);
  });

  it('loads 1000 interests, which a single generated sum could not', () => {
    expect(() => loadScenarioOrThrow(scenario(1000))).not.toThrow();
  });

  it("chains a deciding actor's sums too", () => {
    const interests = Array.from(
      { length: 150 },
      (_, i) =>
        `      j${i}: { direction: push, value: { dist: uniform, min: 0, max: ${(1 + (i % 4)) / 10} } }`,
    );
    const text = scenario(3)
      .replace(
        'C: { name: C } }',
        'C: { name: C }, D: { name: D, decision: { toward: A, ladder: [calm, loud], thresholds: { loud: 1 } }, interests: {} } }',
      )
      .replace('interests: {} } }', `interests: {\n${interests.join(',\n')}\n    } } }`);
    const values = trace(loadScenarioOrThrow(text), { trial: 2, seed: 5 }).steps[0]!.values;
    let left = 0;
    for (let i = 0; i < 150; i++) left += values[`D_j${i}_contribution`]!;
    expect(values.D_push).toBe(left);
    expect(values.D_push_upto_128).toBeDefined();
  });
});
