import type { Distribution } from '@entente/core';
import fc from 'fast-check';
import { validDistribution } from './distributions.js';
import { formula, probabilityFormula } from './formulas.js';

/** A scenario document as plain data (what YAML or JSON would hold). */
export type ScenarioData = Record<string, unknown>;

const small = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => Math.round(x * 1000) / 1000);
const nonNegative: fc.Arbitrary<number | Distribution> = fc.oneof(
  small(0, 2),
  fc
    .tuple(small(0, 1), small(0.01, 1))
    .map(([min, w]): Distribution => ({ dist: 'uniform', min, max: min + w })),
);

/** States and their ids, for actors and items. */
export function actors(count: number): fc.Arbitrary<Record<string, { name: string }>> {
  return fc.constant(
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`S${i}`, { name: `State ${i}` }])),
  );
}

/** An interest: a direction, a non-negative weight and a value (a number, a distribution or a process). */
export function interest(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    direction: fc.constantFrom('hold', 'push'),
    weight: nonNegative,
    value: fc.oneof(
      small(0, 1),
      validDistribution(),
      fc.tuple(small(0, 1), small(0.9, 1.05)).map(([init, rate]) => ({ init, update: `SELF * ${rate}` })),
    ),
  });
}

/** A pressure from actor `actor`: a non-negative intensity, leverage and weight. */
export function pressure(actor: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    actor: fc.constant(actor),
    intensity: nonNegative,
    leverage: nonNegative,
    weight: nonNegative,
  });
}

export interface ScenarioOptions {
  /** Longest horizon to generate. @defaultValue 24 */
  maxSteps?: number;
}

/**
 * Valid scenario documents in the alliance vocabulary: 1–3 interests, 0–2 pressures, an optional
 * regime and hazard event, and any decision rule. Every one must load; running it may still stop
 * with a typed SimulationError if a generated formula gives NaN.
 */
export function allianceScenario(options: ScenarioOptions = {}): fc.Arbitrary<ScenarioData> {
  const maxSteps = options.maxSteps ?? 24;
  return fc
    .record({
      steps: fc.integer({ min: 1, max: maxSteps }),
      interests: fc.array(interest(), { minLength: 1, maxLength: 3 }),
      pressures: fc.array(pressure('S2'), { maxLength: 2 }),
      rule: fc.constantFrom('logit', 'threshold', 'hazard'),
      rungs: fc.integer({ min: 2, max: 4 }),
      lambda: small(0.5, 5),
      inertia: small(0, 2),
      shock: fc.option(small(0, 0.2), { nil: undefined }),
    })
    .map((g): ScenarioData => {
      const interests = Object.fromEntries(
        g.interests.map((it, i) => {
          const value = it.value as { update?: string };
          const fixed =
            typeof value === 'object' && value.update
              ? { ...value, update: value.update.replace('SELF', `i${i}`) }
              : value;
          return [`i${i}`, { ...it, value: fixed }];
        }),
      );
      const pressures = Object.fromEntries(g.pressures.map((p, i) => [`p${i}`, p]));
      const ladder = ['maintain', 'r1', 'r2', 'r3'].slice(0, g.rungs);
      const thresholds =
        g.rule === 'threshold'
          ? Object.fromEntries(ladder.slice(1).map((r, i) => [r, 0.8 - 0.2 * i]))
          : Object.fromEntries(ladder.slice(1).map((r, i) => [r, -0.5 + 0.4 * i]));
      const doc: ScenarioData = {
        id: 'generated',
        title: 'A generated alliance scenario',
        horizon: { steps: g.steps },
        actors: { S0: { name: 'Focal' }, S1: { name: 'Partner' }, S2: { name: 'Third' } },
        relationship: { focal: 'S0', partner: 'S1', initial_tie: 0.9 },
        interests,
        ...(g.pressures.length > 0 ? { pressures } : {}),
        decision: {
          rule: g.rule,
          ladder,
          thresholds,
          ...(g.rule === 'logit' ? { lambda: g.lambda, inertia: g.inertia } : {}),
          ...(g.rule === 'threshold' ? { speed: 0.05, noise: 0.02 } : {}),
        },
      };
      if (g.shock !== undefined)
        doc.events = { shock: { hazard: g.shock, effects: [{ scale: 'i0_weight', by: 0.5 }] } };
      return doc;
    });
}

/**
 * Valid documents in the core layer: params from every distribution, derived values and state
 * updates written as random formulas over earlier names, a regime, a hazard event and outcomes.
 */
export function coreScenario(options: ScenarioOptions = {}): fc.Arbitrary<ScenarioData> {
  const maxSteps = options.maxSteps ?? 24;
  return fc
    .record({
      steps: fc.integer({ min: 1, max: maxSteps }),
      params: fc.array(validDistribution(), { minLength: 1, maxLength: 4 }),
      derived: fc.array(fc.nat(), { maxLength: 3 }),
      seeds: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      regime: fc.boolean(),
      event: fc.boolean(),
    })
    .chain((g) => {
      const params = g.params.map((_, i) => `x${i}`);
      const derivedNames = g.derived.map((_, i) => `d${i}`);
      const derivedFormulas = derivedNames.map((_, i) =>
        formula([...params, ...derivedNames.slice(0, i)], 2),
      );
      return fc
        .tuple(
          fc.tuple(...(derivedFormulas.length > 0 ? derivedFormulas : [fc.constant('0')])),
          formula([...params, 'w', 't'], 2),
          probabilityFormula([...params, 'w']),
          formula([...params, 'w', ...derivedNames], 2),
        )
        .map(([derived, update, hazard, outcome]): ScenarioData => {
          const doc: ScenarioData = {
            id: 'generated-core',
            title: 'A generated core scenario',
            horizon: { steps: g.steps },
            params: Object.fromEntries(g.params.map((d, i) => [params[i]!, d])),
            ...(derivedNames.length > 0
              ? { derived: Object.fromEntries(derivedNames.map((n, i) => [n, derived[i]!])) }
              : {}),
            state: { w: { init: 0, update: `clamp(w + 0.1 * (${update}) + normal(0, 0.1), -100, 100)` } },
            outcomes: { o: { when: `${outcome} > 0.5` }, big: { when: 'w > 1' } },
            primary: 'o',
          };
          if (g.regime) {
            doc.regimes = {
              r: {
                states: ['low', 'high'],
                initial: 'low',
                transitions: { low: { high: 0.1 }, high: { low: 0.2 } },
              },
            };
          }
          if (g.event) doc.events = { ev: { hazard, repeat: true, effects: [{ add: 'w', by: 0.2 }] } };
          return doc;
        });
    });
}
