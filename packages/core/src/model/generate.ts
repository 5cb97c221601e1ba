import { exprToJs, integer, numberLiteral } from '../formula/codegen.js';
import { helpers } from '../formula/functions.js';
import { aleaNext, aleaOpen } from '../random/alea.js';
import { copulaUniform, normalScore } from '../random/copula.js';
import type { Assignment, Formula, Plan, PlannedEffect } from './plan.js';
import { SLOT_T } from './plan.js';
import { failTrial, PROBABILITY_SLACK, streamOffset, type TrialFn } from './trial.js';

/**
 * Compile a plan into one JavaScript function for the whole trial, so the engine runs as fast as a
 * hand-written loop. Only numbers and indices from the plan reach the source (see exprToJs); the
 * function sees nothing but its arguments and the helpers passed in. Throws if the platform forbids
 * code generation, in which case the caller uses the interpreter (interpret.ts).
 */
export function generateTrial(plan: Plan): TrialFn {
  return trialFactory(plan)(plan);
}

/**
 * Compile a plan's source once and return a function that makes its trial function for any plan
 * of the same shape (the same source): a plan whose params have other samplers or values, as
 * binding makes (the copulas' factors are in the source, so they must be the plan's own). Creating
 * a trial from the factory costs microseconds; compiling costs milliseconds.
 */
export function trialFactory(plan: Plan): (bound: Plan) => TrialFn {
  const factory = new Function(
    'P',
    'C',
    'H',
    'fail',
    'next',
    'open',
    'Z',
    'U',
    `"use strict";\n${trialSource(plan)}`,
  ) as (...args: unknown[]) => TrialFn;
  return (bound) =>
    factory(
      bound.params.map((p) => p.sampler.quantile),
      Float64Array.from(paramConstants(bound), (c) => c.value),
      helpers,
      failTrial,
      aleaNext,
      aleaOpen,
      normalScore,
      copulaUniform,
    );
}

/** The constants that are params, in the order generated code reads them from `C`. */
export const paramConstants = (plan: Plan): Plan['constants'] =>
  plan.constants.filter((c) => c.param !== undefined);

/**
 * The generated source, exported so a test can read it and a curious user can see it. Slots live in
 * local variables (`s0`, `s1`, …) while the trial runs, as they would in a hand-written loop, and are
 * written back to `v` before each `onStep` call and when the trial ends.
 */
export function trialSource(plan: Plan): string {
  const L: string[] = [];
  const i = integer;
  const sv = (slot: number): string => `s${i(slot)}`;
  const js = (e: Formula['expr']): string => exprToJs(e, sv);
  const flush = plan.slotNames.map((_, k) => `v[${i(k)}] = ${sv(k)};`).join(' ');
  const check = (id: number, step: string): string => `if (x - x !== 0) fail(${i(id)}, ${step}, x, 'value');`;
  const assign = (a: Assignment, step: string): string =>
    `x = ${js(a.expr)}; ${check(a.id, step)} ${sv(a.slot)} = x;`;
  const probability = (f: Formula): string =>
    `x = ${js(f.expr)}; if (!(x >= 0 && x <= 1)) fail(${i(f.id)}, t, x, 'probability');`;
  const setRegime = (flagSlots: readonly number[], indexSlot: number, state: string): string =>
    `${sv(indexSlot)} = ${state}; ${flagSlots.map((f, k) => `${sv(f)} = ${state} === ${k} ? 1 : 0;`).join(' ')}`;
  const effect = (e: PlannedEffect): string => {
    if (e.kind === 'regime') {
      const r = plan.regimes[e.regime]!;
      return setRegime(r.flagSlots, r.indexSlot, String(i(e.state)));
    }
    const value = js(e.value.expr);
    const slot = sv(e.slot);
    const x = e.kind === 'set' ? value : e.kind === 'scale' ? `${slot} * ${value}` : `${slot} + ${value}`;
    return `x = ${x}; ${check(e.value.id, 't')} ${slot} = x;`;
  };
  const stopEarly = plan.reports.length === 0;

  L.push('return function trial(v, S, fp, onStep) {');
  L.push(`let t = 0, x = 0, u = 0, acc = 0, dn = 0, nx = 0, fired = 0, left = ${i(plan.outcomes.length)};`);
  L.push(`let ${plan.slotNames.map((_, k) => `${sv(k)} = 0`).join(', ')};`);
  let fromC = 0;
  for (const c of plan.constants)
    L.push(`${sv(c.slot)} = ${c.param === undefined ? numberLiteral(c.value) : `C[${i(fromC++)}]`};`);
  const correlated = new Set(plan.copulas.flatMap((g) => g.members));
  plan.params.forEach((p, k) => {
    if (!correlated.has(k)) L.push(`${sv(p.slot)} = P[${i(k)}](open(S, ${i(streamOffset(p.site))}));`);
  });
  // A correlated group (random/copula.ts): z_j = Z(u_j) from each member's own stream, then member j
  // draws at U(Σ_{k≤j} L[j][k] z_k), summed left to right as interpret.ts does; member 0 keeps u_0.
  const groupSize = Math.max(0, ...plan.copulas.map((g) => g.members.length));
  if (groupSize > 0) L.push(`let ${Array.from({ length: groupSize }, (_, j) => `z${i(j)} = 0`).join(', ')};`);
  for (const g of plan.copulas) {
    g.members.forEach((k, j) => {
      const p = plan.params[k]!;
      const draw = `open(S, ${i(streamOffset(p.site))})`;
      if (j === 0) {
        L.push(`u = ${draw}; z0 = Z(u); ${sv(p.slot)} = P[${i(k)}](u);`);
        return;
      }
      const row = g.factor[j]!;
      let w = `${numberLiteral(row[0]!)} * z0`;
      for (let m = 1; m <= j; m++) w = `(${w}) + ${numberLiteral(row[m]!)} * z${i(m)}`;
      L.push(`z${i(j)} = Z(${draw}); ${sv(p.slot)} = P[${i(k)}](U(${w}));`);
    });
  }
  for (const r of plan.regimes) L.push(setRegime(r.flagSlots, r.indexSlot, String(i(r.initial))));
  for (const a of plan.init) L.push(assign(a, '0'));
  L.push(`fp.fill(0, 0, ${i(plan.outcomes.length)});`);
  L.push(`if (onStep !== undefined) { ${flush} onStep(0); }`);

  L.push(`for (t = 1; t <= ${i(plan.horizon)}; t++) {`);
  L.push(`${sv(SLOT_T)} = t;`);
  for (const r of plan.regimes) {
    const index = sv(r.indexSlot);
    L.push(`u = next(S, ${i(streamOffset(r.site))}); acc = 0; dn = 0; nx = ${index};`);
    r.moves.forEach((moves, from) => {
      if (moves.length === 0) return;
      L.push(`if (${index} === ${i(from)}) {`);
      for (const m of moves) {
        L.push(
          m.down
            ? `${probability(m.p)} dn += x; if (nx === ${i(from)} && u >= 1 - dn) nx = ${i(m.to)};`
            : `${probability(m.p)} acc += x; if (nx === ${i(from)} && u < acc) nx = ${i(m.to)};`,
        );
      }
      L.push(
        `if (acc + dn > ${numberLiteral(1 + PROBABILITY_SLACK)}) fail(${i(r.rows[from]!)}, t, acc + dn, 'probability');`,
      );
      L.push('}');
    });
    L.push(`if (nx !== ${index}) { ${setRegime(r.flagSlots, r.indexSlot, 'nx')} }`);
  }
  for (const e of plan.events) {
    L.push(e.repeat ? '{' : `if (${sv(e.happenedSlot)} === 0) {`);
    L.push(`u = 0;`);
    if (e.at.length > 0) L.push(`if (${e.at.map((s) => `t === ${i(s)}`).join(' || ')}) u = 1;`);
    if (e.hazard) L.push(`${probability(e.hazard)} if (next(S, ${i(streamOffset(e.site))}) < x) u = 1;`);
    L.push(`if (u !== 0) { ${sv(e.happenedSlot)} = 1; ${sv(e.countSlot)} += 1; fired = 1;`);
    for (const ef of e.effects) L.push(effect(ef));
    L.push('}}');
  }
  if (plan.derived.length > 0) {
    L.push('if (fired !== 0) {');
    for (const a of plan.derived) L.push(assign(a, 't'));
    L.push('}');
  }
  L.push('fired = 0;');
  for (const a of plan.updates) L.push(`x = ${js(a.expr)}; ${check(a.id, 't')} ${sv(a.temp)} = x;`);
  for (const a of plan.updates) L.push(`${sv(a.slot)} = ${sv(a.temp)};`);
  for (const a of plan.derived) L.push(assign(a, 't'));
  plan.outcomes.forEach((o, k) => {
    L.push(
      `if (fp[${i(k)}] === 0) { x = ${js(o.expr)}; ${check(o.id, 't')} if (x !== 0) { fp[${i(k)}] = t; left--; } }`,
    );
  });
  L.push(
    `if (onStep !== undefined) { ${flush} onStep(t); }${stopEarly ? ' else if (left === 0) break;' : ''}`,
  );
  L.push('}');
  L.push(flush);
  L.push('};');
  return L.join('\n');
}
