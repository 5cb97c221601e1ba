import { describe, expect, it } from 'vitest';
import { attribute, run, rungShares, sobolIndices } from '../src/index.js';
import { issuesOf, model } from './helpers.js';

/**
 * Strategic actors (docs/ALLIANCE.md, "Strategic actors"): Turkey decides on its own ladder toward
 * AZ; `turkeyReads` is the Turkish pressure's intensity, `tr` extra lines of Turkey's interests.
 */
function strategic(o: { turkeyIntensity?: string; trInterests?: string; trDecision?: boolean } = {}): string {
  const decision =
    o.trDecision === false
      ? ''
      : `
    decision:
      toward: AZ
      ladder: [quiet, criticise, coerce]
      initial: criticise
      thresholds: { criticise: 0.1, coerce: 0.5 }
      lambda: 3
      inertia: 0.5`;
  return `id: strategic
title: Strategic actors
horizon: { steps: 24 }
actors:
  AZ: { name: Azerbaijan }
  IL: { name: Israel }
  TR:
    name: Turkey
    interests:
      gaza:
        label: Turkey's domestic Gaza opinion
        direction: push
        value: { dist: uniform, min: 0.3, max: 0.9 }
      btc:
        direction: hold
        value: { dist: uniform, min: 0.1, max: 0.4 }
${o.trInterests ?? ''}${decision}
relationship: { focal: AZ, partner: IL, initial_tie: 0.9 }
interests:
  oil:
    direction: hold
    value: { dist: uniform, min: 0.1, max: 0.5 }
pressures:
  turkey:
    actor: TR
    intensity: ${o.turkeyIntensity ?? '0.6'}
    leverage: { dist: pert, min: 0.4, mode: 0.6, max: 0.9 }
decision:
  ladder: [maintain, criticise, downgrade]
  cooled: downgrade
  thresholds: { criticise: -0.3, downgrade: 0.1 }
  lambda: 5
  inertia: 1
`;
}

describe('the expansion of an actor that decides', () => {
  it('makes prefixed params, a regime over its ladder, its rung, its net incentive and outcomes', () => {
    const m = model(strategic());
    const s = m.scenario;
    expect(Object.keys(s.params!)).toEqual(
      expect.arrayContaining([
        'TR_gaza',
        'TR_gaza_weight',
        'TR_threshold_criticise',
        'TR_threshold_coerce',
        'TR_decision_lambda',
        'TR_decision_inertia',
      ]),
    );
    expect(s.regimes!.TR!.states).toEqual(['quiet', 'criticise', 'coerce']);
    expect(s.regimes!.TR!.initial).toBe('criticise');
    expect(s.derived!.TR_rung).toBe('1 * TR.criticise + 2 * TR.coerce');
    expect(s.derived!.AZ_rung).toBe('1 * stance.criticise + 2 * stance.downgrade');
    expect(s.derived!.TR_net_incentive).toBe('TR_push - TR_hold');
    expect(m.outcomeIds).toEqual(
      expect.arrayContaining(['TR_reached_criticise', 'TR_reached_coerce', 'cooled']),
    );
    expect(s.report).toEqual(['net_incentive', 'hold', 'push', 'tie', 'AZ_rung', 'TR_rung']);
    expect(m.alliance!.actors).toEqual([
      { actor: 'TR', toward: 'AZ', regime: 'TR', ladder: ['quiet', 'criticise', 'coerce'], rung: 'TR_rung' },
    ]);
    // The actor's interests are inputs of their own, after the focal actor's, labelled and attributed to it.
    expect(m.alliance!.inputs.map((i) => [i.id, i.actor, i.label])).toEqual([
      ['oil', undefined, undefined],
      ['turkey', undefined, undefined],
      ['TR_gaza', 'TR', "Turkey's domestic Gaza opinion"],
      ['TR_btc', 'TR', 'Turkey: btc'],
    ]);
  });

  it('leaves a scenario without deciding actors exactly as before (no new names)', () => {
    const m = model(strategic({ trDecision: false }));
    expect(m.scenario.derived!.AZ_rung).toBeUndefined();
    expect(Object.keys(m.scenario.regimes ?? {})).toEqual(['stance']);
    expect(m.scenario.report).toEqual(['net_incentive', 'hold', 'push', 'tie']);
  });
});

describe('validation', () => {
  it('a misspelt rung read gets a did-you-mean', () => {
    const issues = issuesOf(strategic({ turkeyIntensity: '"TR.coerse ? 0.9 : 0.4"' }));
    expect(issues.map((i) => `${i.message} ${i.suggestion ?? ''}`).join('\n')).toMatch(/coerse[\s\S]*coerce/);
  });
  it('a misspelt rung in a `{ regime, values }` quantity on an actor is reported with its rungs', () => {
    const issues = issuesOf(
      strategic({ turkeyIntensity: '{ regime: TR, values: { quiet: 0.2, criticise: 0.5, coerse: 0.9 } }' }),
    );
    const i = issues.find((x) => x.code === 'alliance.regime-state')!;
    expect(i.message).toContain('"coerse" is not a state of regime "TR"');
    expect(i.suggestion).toContain('coerce');
  });
  it('reads `{ regime: TR, values }` on the generated ladder', () => {
    const m = model(
      strategic({ turkeyIntensity: '{ regime: TR, values: { quiet: 0.2, criticise: 0.5, coerce: 0.9 } }' }),
    );
    expect(m.scenario.derived!.turkey_intensity).toBe('TR.quiet ? (0.2) : TR.criticise ? (0.5) : (0.9)');
  });
  it('a generated name the scenario defines is an error naming both', () => {
    const issues = issuesOf(`${strategic()}params:\n  TR_rung: 1\n`);
    expect(issues.some((i) => i.code === 'alliance.collision' && i.message.includes('"TR_rung"'))).toBe(true);
  });
  it('a threshold under a misspelt rung, a ladder aimed at an unknown actor, the focal actor deciding twice', () => {
    const bad = strategic().replace('coerce: 0.5 }', 'coerse: 0.5 }').replace('toward: AZ', 'toward: AX');
    const issues = issuesOf(bad);
    const rung = issues.find((i) => i.code === 'alliance.rung')!;
    expect(rung.message).toContain('"coerse" is not a rung above the first');
    expect(rung.suggestion).toContain('coerce');
    const toward = issues.find((i) => i.code === 'alliance.actor')!;
    expect(toward.message).toContain('"AX" is not in actors');
    expect(toward.suggestion).toContain('AZ');
    const focal = issuesOf(
      strategic().replace(
        'AZ: { name: Azerbaijan }',
        'AZ: { name: Azerbaijan, interests: { x: { direction: hold, value: 1 } } }',
      ),
    );
    expect(focal.some((i) => i.code === 'alliance.focal-actor')).toBe(true);
  });
});

describe('uncoupled actors are the same actors modelled separately, bit for bit', () => {
  it("Turkey's ladder changes nothing for Baku when nothing reads it, and Baku changes nothing for Turkey", () => {
    const joint = run(model(strategic()), { runs: 4000 });
    const baku = run(model(strategic({ trDecision: false })), { runs: 4000 });
    expect(joint.outcomes.cooled).toEqual(baku.outcomes.cooled);
    expect(joint.values.net_incentive).toEqual(baku.values.net_incentive);
    // Turkey alone: the same actor, with a focal actor that never moves and no pressure.
    const alone = strategic()
      .replace(/pressures:\n(?: {2}.*\n)+/, '')
      .replace(/interests:\n {2}oil:\n(?: {4}.*\n)+/, '');
    const turkey = run(model(alone), { runs: 4000 });
    expect(turkey.outcomes.TR_reached_coerce).toEqual(joint.outcomes.TR_reached_coerce);
    expect(turkey.outcomes.TR_reached_criticise).toEqual(joint.outcomes.TR_reached_criticise);
    expect(turkey.values.TR_rung).toBeDefined();
    expect(turkey.values.TR_rung).toEqual(joint.values.TR_rung);
    expect(joint.outcomes.TR_reached_coerce!.probability).toBeGreaterThan(0.05);
  });
});

/**
 * Two actors that read only each other: A (the focal actor, no inertia, so its tie plays no part)
 * feels a pressure that grows with B's rung; B pushes up its own ladder by a constant and is held
 * back by A's rung. Nothing else is random, so (A's rung, B's rung) is a Markov chain on 9 states
 * whose transition matrix is the product of the two logit rules, each on the other's previous rung.
 */
const LAMBDA_A = 3;
const LAMBDA_B = 2.5;
const INERTIA_B = 0.3;
const THETA_A = [0.3, 0.6];
const THETA_B = [0.2, 0.6];
const xA = (j: number): number => 0.2 + 0.4 * j;
const xB = (i: number): number => 0.5 - 0.35 * i;
const STEPS = [1, 2, 6];

function coupled(): string {
  const outcomes = STEPS.flatMap((t) =>
    [0, 1, 2].flatMap((i) =>
      [0, 1, 2].map((j) => `  s${t}_${i}${j}: { when: "t == ${t} and A_rung == ${i} and B_rung == ${j}" }`),
    ),
  ).join('\n');
  return `id: exact
title: two coupled ladders
horizon: { steps: 6 }
actors:
  A: { name: A }
  P: { name: P }
  B:
    name: B
    interests:
      base: { direction: push, value: 0.5 }
      fromA: { direction: hold, value: "0.35 * A_rung" }
    decision:
      toward: A
      ladder: [b0, b1, b2]
      initial: b1
      thresholds: { b1: ${THETA_B[0]}, b2: ${THETA_B[1]} }
      lambda: ${LAMBDA_B}
      inertia: ${INERTIA_B}
relationship: { focal: A, partner: P }
pressures:
  fromB: { actor: B, intensity: "0.2 + 0.4 * B_rung" }
decision:
  ladder: [a0, a1, a2]
  thresholds: { a1: ${THETA_A[0]}, a2: ${THETA_A[1]} }
  lambda: ${LAMBDA_A}
  inertia: 0
outcomes:
${outcomes}
`;
}

/** P(next rung | rung k) of a logit ladder (docs/ALLIANCE.md), written out independently of the expansion. */
function logitRow(k: number, x: number, theta: number[], lambda: number, inertia: number): number[] {
  const K = theta.length;
  const u: [number, number][] = [[k, 0]];
  if (k < K) u.push([k + 1, x - theta[k]! - inertia]);
  if (k > 0) u.push([k - 1, theta[k - 1]! - x - inertia]);
  const z = u.reduce((s, [, v]) => s + Math.exp(lambda * v), 0);
  const row = new Array<number>(K + 1).fill(0);
  for (const [to, v] of u) row[to] = Math.exp(lambda * v) / z;
  return row;
}

/** π_t = π₀ Tᵗ for t = 0 … 6, over the joint states 3i + j (A on rung i, B on rung j). */
function exactDistribution(): Map<number, number[]> {
  // The two actors draw on their own sites, so given the state they move independently.
  const T = Array.from({ length: 9 }, (_, s) => {
    const i = Math.floor(s / 3);
    const j = s % 3;
    const a = logitRow(i, xA(j), THETA_A, LAMBDA_A, 0);
    const b = logitRow(j, xB(i), THETA_B, LAMBDA_B, INERTIA_B);
    return Array.from({ length: 9 }, (_, s2) => a[Math.floor(s2 / 3)]! * b[s2 % 3]!);
  });
  let pi = new Array<number>(9).fill(0);
  pi[1] = 1; // A on a0, B on b1
  const exact = new Map<number, number[]>([[0, pi]]);
  for (let t = 1; t <= 6; t++) {
    pi = pi.map((_, s2) => pi.reduce((acc, p, s) => acc + p * T[s]![s2]!, 0));
    exact.set(t, pi);
  }
  return exact;
}

describe('two coupled actors against the powers of their joint transition matrix', () => {
  it('P(rungs = (i, j) at step t) matches π₀ Tᵗ within 4.5 standard errors at 200,000 trials', () => {
    const exact = exactDistribution();
    const n = 200_000;
    const r = run(model(coupled()), { runs: n, seed: 14 });
    let checked = 0;
    for (const t of STEPS) {
      for (let s = 0; s < 9; s++) {
        const truth = exact.get(t)![s]!;
        const estimate = r.outcomes[`s${t}_${Math.floor(s / 3)}${s % 3}`]!.probability;
        const se = Math.sqrt((truth * (1 - truth)) / n);
        expect(
          Math.abs(estimate - truth),
          `t = ${t}, state ${s}: ${estimate} vs ${truth}`,
        ).toBeLessThanOrEqual(4.5 * Math.max(se, 1 / n));
        checked += truth > 0.01 ? 1 : 0;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it("moves are simultaneous: an actor sees the other's rung of the previous step, whatever the order", () => {
    // A jumps to a1 at step 1 for sure; B climbs only once A is on a1. B must wait a step.
    const text = (bFirst: boolean): string => {
      const b = `  B:
    name: B
    interests: { fromA: { direction: push, value: "100 * A_rung" } }
    decision: { toward: A, ladder: [b0, b1], thresholds: { b1: 50 }, lambda: 1, inertia: 0 }
`;
      return `id: sim
title: simultaneous
horizon: { steps: 4 }
actors:
${bFirst ? b : ''}  A: { name: A }
  P: { name: P }
${bFirst ? '' : b}relationship: { focal: A, partner: P }
pressures: { c: { actor: P, intensity: 100 } }
decision: { ladder: [a0, a1], thresholds: { a1: 0 }, lambda: 1, inertia: 0 }
`;
    };
    for (const bFirst of [true, false]) {
      const r = run(model(text(bFirst)), { runs: 500 });
      expect(r.outcomes.cooled!.byStep[0]!.probability).toBe(1);
      expect(r.outcomes.B_reached_b1!.byStep[0]!.probability).toBe(0);
      expect(r.outcomes.B_reached_b1!.byStep[1]!.probability).toBe(1);
    }
  });
});

describe("attribution to other actors' interests", () => {
  it("holds an actor's interest at its percentiles; its effect runs through its rung to the focal outcome", () => {
    const m = model(strategic({ turkeyIntensity: '"0.2 + 0.4 * TR_rung"' }));
    const drivers = attribute(m, { runs: 4000 });
    const gaza = drivers.find((d) => d.id === 'TR_gaza')!;
    expect(gaza).toMatchObject({ actor: 'TR', label: "Turkey's domestic Gaza opinion", direction: 'push' });
    expect(gaza.contribution).toBeGreaterThan(0);
    // More Gazan opinion in Ankara: a higher Turkish rung, more pressure on Baku, more cooling.
    expect(gaza.effectCi95[0]).toBeGreaterThan(0);
    const btc = drivers.find((d) => d.id === 'TR_btc')!;
    expect(btc.contribution).toBeLessThan(0);
    expect(btc.effect).toBeLessThanOrEqual(0);
    // Uncoupled, Turkey's interests cannot move Baku: their effects are exactly zero.
    const none = attribute(model(strategic()), { runs: 2000 });
    for (const d of none.filter((x) => x.actor === 'TR')) expect(d.effect).toBe(0);
  });
});

describe('rung shares by step', () => {
  it("each actor's share on each rung at every step is the exact marginal of π₀ Tᵗ", () => {
    const exact = exactDistribution();
    const n = 100_000;
    const shares = rungShares(model(coupled()), { runs: n, seed: 15 });
    expect(shares.map((s) => [s.actor, s.regime, s.ladder.join(' ')])).toEqual([
      ['A', 'stance', 'a0 a1 a2'],
      ['B', 'B', 'b0 b1 b2'],
    ]);
    for (let t = 0; t <= 6; t++) {
      const pi = exact.get(t)!;
      for (let k = 0; k < 3; k++) {
        const truthA = pi[3 * k]! + pi[3 * k + 1]! + pi[3 * k + 2]!;
        const truthB = pi[k]! + pi[3 + k]! + pi[6 + k]!;
        for (const [estimate, truth] of [
          [shares[0]!.shares[t]![k]!, truthA],
          [shares[1]!.shares[t]![k]!, truthB],
        ] as const) {
          const se = Math.sqrt((truth * (1 - truth)) / n);
          expect(Math.abs(estimate - truth), `t = ${t}, rung ${k}`).toBeLessThanOrEqual(
            4.5 * Math.max(se, 1 / n),
          );
        }
      }
      expect(shares[1]!.shares[t]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    // Step 0 is the initial rungs exactly.
    expect(shares[1]!.shares[0]).toEqual([0, 1, 0]);
  });
  it('is empty for a scenario without ladders', () => {
    const hazard = strategic({ trDecision: false }).replace(
      'decision:\n  ladder',
      'decision:\n  rule: hazard\n  ladder',
    );
    expect(rungShares(model(hazard), { runs: 10 })).toEqual([]);
  });
});

describe("evidence on an actor's rung", () => {
  it('"TR is coerce at 6" keeps exactly the trials rungShares counts on that rung at step 6', () => {
    const text = strategic({ turkeyIntensity: '"0.2 + 0.4 * TR_rung"' });
    const runs = 3000;
    const shares = rungShares(model(text), { runs });
    const tr = shares.find((x) => x.actor === 'TR')!;
    const onCoerce = tr.shares[6]![tr.ladder.indexOf('coerce')]!;
    expect(onCoerce).toBeGreaterThan(0.05);
    const r = run(model(`${text}given: ["TR is coerce at 6"]\n`), { runs });
    expect(r.evidence!.accepted).toBe(Math.round(onCoerce * runs));
    const issues = issuesOf(`${text}given: ["TR is coerse at 6"]\n`);
    expect(issues[0]!.message).toContain('regime "TR" has no state "coerse"');
    expect(issues[0]!.suggestion).toContain('coerce');
  });
});

describe("experiments on an actor's inputs", () => {
  it("a Sobol group @TR_gaza: no share of Baku's cooling when no one reads Turkey, a positive one when Baku does", () => {
    const indices = (text: string) => {
      const r = sobolIndices(model(text), {
        inputs: ['@TR_gaza', '@oil'],
        runs: 2000,
        resamples: 50,
        seed: 3,
      });
      if (!r.ok) throw new Error('sobol failed');
      return Object.fromEntries(r.value.indices.map((i) => [i.name, i]));
    };
    const uncoupled = indices(strategic());
    expect(uncoupled['@TR_gaza']!.params).toEqual(['TR_gaza']);
    expect(uncoupled['@TR_gaza']!.total.estimate).toBe(0);
    expect(uncoupled['@oil']!.total.estimate).toBeGreaterThan(0);
    const coupled = indices(strategic({ turkeyIntensity: '"0.2 + 0.4 * TR_rung"' }));
    expect(coupled['@TR_gaza']!.total.ci95[0]).toBeGreaterThan(0);
  });
});
