import { describe, expect, it } from 'vitest';
import {
  EvidenceError,
  estimate,
  loadScenario,
  mergeTallies,
  normalCdf,
  parseClause,
  run,
  simulate,
} from '../src/index.js';
import { issuesOf, model, scenario, withinSE } from './helpers.js';

const N = 40_000;

describe('conditioning on hard evidence is exact on analytic cases', () => {
  it('a constant hazard given "not hit by 12": P(by 24 | not by 12) = 1 − (1 − h)^12', () => {
    const h = 0.05;
    const body = `params: { h: ${h} }\noutcomes:\n  hit: { when: "bernoulli(h)" }\ngiven: ["not hit by 12"]`;
    const r = run(model(scenario(body, 'hit', 24)), { runs: N, seed: 11 });
    const accepted = (1 - h) ** 12;
    const e = r.evidence!;
    expect(withinSE(e.acceptanceRate, accepted, N)).toBe(true);
    expect(e.effectiveSampleSize).toBe(e.accepted);
    const truth = 1 - (1 - h) ** 12;
    const p = r.outcomes.hit!.probability;
    expect(withinSE(p, truth, e.accepted), `${p} vs ${truth}`).toBe(true);
    // Nothing can have happened by step 12 among accepted trials.
    expect(r.outcomes.hit!.byStep[11]!.probability).toBe(0);
    // The interval is a Wilson interval on the accepted trials, so it covers the truth here.
    expect(r.outcomes.hit!.ci95[0]).toBeLessThan(truth);
    expect(r.outcomes.hit!.ci95[1]).toBeGreaterThan(truth);
  });

  it('"hit by 6" keeps only trials where it happened by step 6', () => {
    const body = `params: { h: 0.1 }\noutcomes:\n  hit: { when: "bernoulli(h)" }\ngiven: ["hit by 6"]`;
    const r = run(model(scenario(body, 'hit', 12)), { runs: N, seed: 12 });
    expect(r.outcomes.hit!.byStep[5]!.probability).toBe(1);
    expect(withinSE(r.evidence!.acceptanceRate, 1 - 0.9 ** 6, N)).toBe(true);
  });

  it('a param conditioned on a range: uniform(0, 1) given x in 0.2..0.6 has posterior mean 0.4', () => {
    const body = `params:\n  x: { dist: uniform, min: 0, max: 1 }\noutcomes:\n  o: { when: "x > 0.5" }\ngiven: ["x in 0.2..0.6 at 0"]`;
    const r = run(model(scenario(body)), { runs: N, seed: 13 });
    const e = r.evidence!;
    expect(withinSE(e.acceptanceRate, 0.4, N)).toBe(true);
    // P(x > 0.5 | 0.2 ≤ x ≤ 0.6) = 0.1 / 0.4.
    expect(withinSE(r.outcomes.o!.probability, 0.25, e.accepted)).toBe(true);
    expect(e.params.x!.prior.mean).toBeCloseTo(0.5, 2);
    expect(e.params.x!.posterior.mean).toBeCloseTo(0.4, 2);
    expect(e.params.x!.posterior.p10).toBeGreaterThanOrEqual(0.2 * 0.99);
    expect(e.params.x!.posterior.p90).toBeLessThanOrEqual(0.6 * 1.01);
  });

  it('a regime state at a step, and an event by a step', () => {
    const body = `regimes:
  m:
    states: [A, B]
    initial: A
    transitions: { A: { B: 0.2 } }
events:
  shock: { hazard: 0.1 }
outcomes:
  o: { when: "m.B" }
given: ["m is A at 3", "not shock by 2"]`;
    const r = run(model(scenario(body, 'o', 6)), { runs: N, seed: 14 });
    // B is absorbing: A at step 3 means not yet in B; then P(B by 6) = 1 − 0.8³.
    expect(withinSE(r.outcomes.o!.probability, 1 - 0.8 ** 3, r.evidence!.accepted)).toBe(true);
    expect(withinSE(r.evidence!.acceptanceRate, 0.8 ** 3 * 0.9 ** 2, N)).toBe(true);
    expect(r.evidence!.clauses.map((c) => c.text)).toEqual(['m is A at 3', 'not shock by 2']);
  });
});

describe('soft evidence weights trials by the likelihood of the measurement', () => {
  // Prior x ~ N(0, 1); observed 1 with measurement sd 0.5. Conjugate posterior: N(0.8, 0.2).
  const body = `params:
  x: { dist: normal, mean: 0, sd: 1 }
outcomes:
  o: { when: "x > 1" }
given:
  - { observed: "x ~ normal(1, 0.5) at 0", note: a measurement }`;

  it('the posterior mean and P(x > 1) match the normal–normal closed form', () => {
    const r = run(model(scenario(body, 'o', 1)), { runs: N, seed: 15 });
    const e = r.evidence!;
    expect(e.params.x!.posterior.mean).toBeGreaterThan(0.8 - 0.02);
    expect(e.params.x!.posterior.mean).toBeLessThan(0.8 + 0.02);
    expect(e.params.x!.posterior.p50).toBeCloseTo(0.8, 1);
    const truth = 1 - normalCdf((1 - 0.8) / Math.sqrt(0.2));
    const p = r.outcomes.o!.probability;
    expect(withinSE(p, truth, e.effectiveSampleSize), `${p} vs ${truth}`).toBe(true);
    // ESS / N = (E w)² / E w² with w = exp(−(x − 1)² / 0.5): 0.2998² / 0.2137 = 0.4206.
    const ew = (0.5 / Math.sqrt(1.25)) * Math.exp(-1 / 2.5);
    const ew2 = Math.sqrt(0.125 / 1.125) * Math.exp(-1 / 2.25);
    expect(e.effectiveSampleSize / N).toBeCloseTo((ew * ew) / ew2, 1);
    expect(r.values).toEqual({});
  });

  it('weighted tallies merge to the same bits whatever the chunking', () => {
    const m = model(scenario(body, 'o', 1));
    const whole = estimate(m, simulate(m, { runs: 6_000, seed: 3 }));
    const a = simulate(m, { runs: 2_500, seed: 3 });
    const b = simulate(m, { runs: 3_500, seed: 3, firstTrial: 2_500 });
    const merged = estimate(m, { ...a, tallies: mergeTallies(a.tallies, b.tallies) });
    const chunked = estimate(m, simulate(m, { runs: 6_000, seed: 3, chunkSize: 777 }));
    expect(merged).toEqual(whole);
    expect(chunked).toEqual(whole);
  });
});

describe('evidence that nothing satisfies, and bad clauses', () => {
  it('an impossible clause is a clear error that names it, not a NaN', () => {
    const body = `params: { h: 0.1 }\noutcomes:\n  hit: { when: "bernoulli(h)" }\ngiven: ["hit by 3", "tie in 0..1 at 0"]`;
    expect(() => model(scenario(body, 'hit', 6))).toThrow(/"tie" is not a param/);
    const ok = `params:\n  x: { dist: uniform, min: 0, max: 1 }\noutcomes:\n  o: { when: "x > 0.5" }\ngiven: ["x > 2 at 0"]`;
    const m = model(scenario(ok));
    const sim = simulate(m, { runs: 1000, seed: 1 });
    expect(() => estimate(m, sim)).toThrow(EvidenceError);
    expect(() => estimate(m, sim)).toThrow(/"x > 2 at 0" alone rules out every trial/);
  });

  it('clause errors have a line, a column inside the clause, and a suggestion', () => {
    const text = scenario(
      'params: { h: 0.1 }\noutcomes:\n  cooled: { when: "bernoulli(h)" }\ngiven:\n  - not coold by 12\n  - "cooled by 99"\n  - "h ~ gamma(1, 2) at 0"',
      'cooled',
    );
    const issues = issuesOf(text);
    expect(issues.map((i) => i.code)).toEqual(['evidence.clause', 'evidence.clause', 'evidence.clause']);
    expect(issues[0]).toMatchObject({ line: 9, column: 9, suggestion: 'did you mean "cooled"?' });
    expect(issues[0]!.message).toContain('"coold" is not an outcome or an event');
    expect(issues[1]!.message).toContain('step 99 is outside the run (steps 1..12)');
    expect(issues[1]).toMatchObject({ line: 10, column: 16 });
    expect(issues[2]!.message).toContain('only normal(MEAN, SD)');
  });

  it('a source that is not in sources is reported like any other', () => {
    const text = scenario(
      'params: { h: 0.1 }\noutcomes:\n  o: { when: "bernoulli(h)" }\ngiven:\n  - { observed: "not o by 3", source: nowhere }',
    );
    expect(issuesOf(text).map((i) => i.code)).toContain('reference.source');
  });

  it('dates become steps when the horizon is in months from a YYYY-MM start', () => {
    expect(parseClause('not cooled by 2026-03', (d) => (d === '2026-03' ? 16 : undefined))).toEqual({
      kind: 'by',
      name: 'cooled',
      negated: true,
      step: 16,
    });
    const body = 'params: { h: 0.1 }\noutcomes:\n  o: { when: "bernoulli(h)" }\ngiven: ["not o by 2025-03"]';
    const text = scenario(body).replace('horizon: { steps: 12 }', 'horizon: { steps: 12, start: 2024-11 }');
    const r = loadScenario(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.evidence!.clauses[0]!.text).toBe('not o by 4');
  });
});
