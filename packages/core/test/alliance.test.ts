import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { attribute, formatIssue, loadScenario, run, validateText } from '../src/index.js';
import { issuesOf, model, withinSE } from './helpers.js';

/** A small alliance scenario; `over` replaces lines by prefix for variants. */
function alliance(
  o: {
    turkeyWeight?: number;
    turkeyIntensity?: number;
    oilWeight?: number;
    rule?: string;
    extra?: string;
  } = {},
): string {
  return `id: small
title: Small alliance
horizon: { steps: 24 }
actors:
  AZ: { name: Azerbaijan }
  IL: { name: Israel }
  TR: { name: Turkey }
relationship: { focal: AZ, partner: IL, initial_tie: 0.9 }
interests:
  oil:
    direction: hold
    weight: ${o.oilWeight ?? 1}
    value: { dist: uniform, min: 0.1, max: 0.5 }
  arms:
    direction: hold
    weight: 0.5
    value: { init: 0.6, update: "arms - 0.005 + normal(0, 0.01)" }
pressures:
  turkey:
    actor: TR
    intensity: ${o.turkeyIntensity ?? 0.6}
    leverage: { dist: pert, min: 0.4, mode: 0.6, max: 0.9 }
    weight: ${o.turkeyWeight ?? 1}
decision:
  rule: ${o.rule ?? 'logit'}
  ladder: [maintain, criticise, downgrade]
  cooled: downgrade
  thresholds: { criticise: -0.3, downgrade: 0.1 }
  lambda: 5
  inertia: 1
${o.extra ?? ''}`;
}

const p = (text: string, runs = 6000): number => run(model(text), { runs }).outcomes.cooled!.probability;

describe('worked examples whose probability is known by hand', () => {
  it('logit, two rungs, no inertia: P(cool by T) = 1 − (1 − 1/(1 + e^{−λ(x−θ)}))^T', () => {
    const text = `id: w
title: worked
horizon: { steps: 12 }
actors: { A: { name: A }, B: { name: B }, C: { name: C } }
relationship: { focal: A, partner: B }
pressures:
  c: { actor: C, intensity: 0.5 }
decision: { ladder: [maintain, cool], thresholds: { cool: 1 }, lambda: 2, inertia: 0 }
`;
    // x = 0.5, θ = 1, λ = 2: per-step probability 1/(1 + e^{1}) = 0.26894.
    const h = 1 / (1 + Math.exp(1));
    const truth = 1 - (1 - h) ** 12;
    const r = run(model(text), { runs: 40_000, seed: 21 });
    expect(withinSE(r.outcomes.cooled!.probability, truth, 40_000)).toBe(true);
  });

  it('hazard rule: P(cool by T) = 1 − (1 − logistic(α + βx))^T', () => {
    const text = alliance({ rule: 'hazard' })
      .replace('  lambda: 5\n  inertia: 1\n', '  intercept: -3\n  slope: 2\n')
      .replace('value: { dist: uniform, min: 0.1, max: 0.5 }', 'value: 0.3')
      .replace('value: { init: 0.6, update: "arms - 0.005 + normal(0, 0.01)" }', 'value: 0.6')
      .replace('leverage: { dist: pert, min: 0.4, mode: 0.6, max: 0.9 }', 'leverage: 0.5');
    // x = 0.6·0.5·1 − (0.3 + 0.5·0.6) = −0.3; h = logistic(−3 − 0.6).
    const h = 1 / (1 + Math.exp(3.6));
    const truth = 1 - (1 - h) ** 24;
    const r = run(model(text), { runs: 40_000, seed: 22 });
    expect(withinSE(r.outcomes.cooled!.probability, truth, 40_000)).toBe(true);
  });

  it('threshold rule without noise: the tie index falls linearly and cools at a known step', () => {
    const text = `id: th
title: threshold
horizon: { steps: 20 }
actors: { A: { name: A }, B: { name: B }, C: { name: C } }
relationship: { focal: A, partner: B, initial_tie: 1 }
pressures:
  c: { actor: C, intensity: 1 }
decision: { rule: threshold, ladder: [maintain, cool], thresholds: { cool: 0.5 }, speed: 0.06, noise: 0 }
`;
    // tie_t = 1 − 0.06·t falls below 0.5 first at t = 9.
    const r = run(model(text), { runs: 100 });
    expect(r.outcomes.cooled!.byStep[7]!.probability).toBe(0);
    expect(r.outcomes.cooled!.byStep[8]!.probability).toBe(1);
  });
});

describe('monotonicity at a fixed seed (common random numbers make these exact)', () => {
  it('raising a pressure weight never lowers P(cool)', () => {
    const ps = [0, 0.5, 0.8, 1, 1.01, 1.2, 2].map((w) => p(alliance({ turkeyWeight: w })));
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThanOrEqual(ps[i - 1]!);
    expect(ps[ps.length - 1]!).toBeGreaterThan(ps[0]!);
  });
  it('raising a pressure intensity never lowers P(cool)', () => {
    const ps = [0, 0.3, 0.6, 0.61, 0.9].map((x) => p(alliance({ turkeyIntensity: x })));
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThanOrEqual(ps[i - 1]!);
  });
  it("raising an interest's weight never raises P(cool)", () => {
    const ps = [0, 0.5, 1, 1.02, 2].map((w) => p(alliance({ oilWeight: w })));
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeLessThanOrEqual(ps[i - 1]!);
  });
  it("a zero weight removes an input's effect exactly", () => {
    const withZero = run(model(alliance({ oilWeight: 0 })), { runs: 4000 });
    const without = run(model(alliance().replace(/ {2}oil:\n(?: {4}.*\n)+/, '')), { runs: 4000 });
    expect(withZero.outcomes.cooled).toEqual(without.outcomes.cooled);
  });
});

describe('attribution', () => {
  it('ranks drivers by effect, with signs that match their directions', () => {
    const drivers = attribute(model(alliance()), { runs: 4000 });
    expect(drivers.map((d) => d.id).sort()).toEqual(['arms', 'oil', 'turkey']);
    for (const d of drivers) {
      if (d.direction === 'push') {
        expect(d.contribution).toBeGreaterThan(0);
        expect(d.effect).toBeGreaterThanOrEqual(0);
      } else {
        expect(d.contribution).toBeLessThan(0);
        expect(d.effect).toBeLessThanOrEqual(0);
      }
      expect(d.low).toBeLessThanOrEqual(d.high);
      expect(d.effectCi95[0]).toBeLessThanOrEqual(d.effect);
    }
    for (let i = 1; i < drivers.length; i++)
      expect(Math.abs(drivers[i]!.effect)).toBeLessThanOrEqual(Math.abs(drivers[i - 1]!.effect));
    // Oil's value varies over [0.1, 0.5]: its effect is clearly non-zero.
    const oil = drivers.find((d) => d.id === 'oil')!;
    expect(oil.effectCi95[1]).toBeLessThan(0);
  });
  it('a constant input has no effect, exactly', () => {
    const text = alliance().replace(
      'leverage: { dist: pert, min: 0.4, mode: 0.6, max: 0.9 }',
      'leverage: 0.6',
    );
    const turkey = attribute(model(text), { runs: 2000 }).find((d) => d.id === 'turkey')!;
    expect(turkey.low).toBe(turkey.high);
    expect(turkey.effect).toBe(0);
    expect(turkey.effectCi95).toEqual([0, 0]);
  });
});

describe('expansion', () => {
  it('is deterministic and round-trips: the expanded core document loads back to the same model', () => {
    const a = validateText(alliance());
    const b = validateText(alliance());
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value.scenario).toEqual(b.value.scenario);
    const back = loadScenario(stringify(a.value.scenario));
    if (!back.ok) throw new Error(back.issues.map(formatIssue).join('\n'));
    const original = model(alliance());
    expect(back.value.hash).toBe(original.hash);
    expect(run(back.value, { runs: 2000 })).toEqual(run(original, { runs: 2000 }));
  });

  it('generates the documented names', () => {
    const v = validateText(alliance());
    if (!v.ok) throw new Error('invalid');
    const s = v.value.scenario;
    expect(Object.keys(s.derived ?? {})).toEqual([
      'oil_contribution',
      'arms_contribution',
      'turkey_contribution',
      'hold',
      'push',
      'net_incentive',
    ]);
    expect(Object.keys(s.params ?? {})).toEqual(
      expect.arrayContaining([
        'oil',
        'oil_weight',
        'turkey_leverage',
        'threshold_criticise',
        'decision_lambda',
      ]),
    );
    expect(s.regimes?.stance?.states).toEqual(['maintain', 'criticise', 'downgrade']);
    expect(Object.keys(s.outcomes)).toEqual(['cooled', 'reached_criticise', 'reached_downgrade']);
    expect(s.primary).toBe('cooled');
    expect(v.value.alliance?.inputs.map((i) => i.id)).toEqual(['oil', 'arms', 'turkey']);
  });

  it('errors point at the vocabulary the author wrote', () => {
    const bad = alliance()
      .replace('actor: TR', 'actor: TK')
      .replace('"arms - 0.005 + normal(0, 0.01)"', '"arms - drfit"');
    const [i] = issuesOf(bad);
    expect(formatIssue(i!)).toBe(
      'test.yaml:20:12: pressures.turkey.actor: "TK" is not in actors; did you mean "TR"?',
    );
    const formula = issuesOf(alliance().replace('"arms - 0.005 + normal(0, 0.01)"', '"arms - drfit"'));
    expect(formula[0]).toMatchObject({
      line: 17,
      column: 41,
      path: ['interests', 'arms', 'value', 'update'],
      code: 'formula.unknown-name',
    });
    const collision = issuesOf(alliance({ extra: 'derived:\n  hold: "1"\n' }));
    expect(collision[0]).toMatchObject({ code: 'alliance.collision', path: ['interests'] });
    const rung = issuesOf(alliance().replace('cooled: downgrade', 'cooled: downgarde'));
    expect(rung[0]).toMatchObject({ code: 'alliance.rung', suggestion: 'did you mean "downgrade"?' });
  });
});
