import { type Evaluator, exprToClosure } from '../formula/closure.js';
import { aleaNext, aleaOpen } from '../random/alea.js';
import { copulaUniform, normalScore } from '../random/copula.js';
import { stepDerived } from './hoist.js';
import type { Formula, Plan } from './plan.js';
import { SLOT_T } from './plan.js';
import { failTrial, PROBABILITY_SLACK, streamOffset, type TrialFn } from './trial.js';

/**
 * The closure back end: the same plan, the same operations in the same order as generate.ts, for
 * platforms that forbid code generation. Slower, bit-identical (test/backends.test.ts).
 */
export function interpretTrial(plan: Plan): TrialFn {
  const fn = (f: Formula): { run: Evaluator; id: number } => ({ run: exprToClosure(f.expr), id: f.id });
  const init = plan.init.map((a) => ({ ...fn(a), slot: a.slot }));
  // Derived values fixed for the trial keep the value `init` gives them (hoist.ts).
  const derived = stepDerived(plan).map((a) => ({ ...fn(a), slot: a.slot }));
  const updates = plan.updates.map((a) => ({ ...fn(a), slot: a.slot, temp: a.temp }));
  const outcomes = plan.outcomes.map(fn);
  const regimes = plan.regimes.map((r) => ({
    ...r,
    offset: streamOffset(r.site),
    moves: r.moves.map((ms) => ms.map((m) => ({ to: m.to, down: m.down, p: fn(m.p) }))),
  }));
  const events = plan.events.map((e) => ({
    ...e,
    offset: streamOffset(e.site),
    hazard: e.hazard && fn(e.hazard),
    effects: e.effects.map((ef) => (ef.kind === 'regime' ? ef : { ...ef, value: fn(ef.value) })),
  }));
  const allParams = plan.params.map((p) => ({
    slot: p.slot,
    offset: streamOffset(p.site),
    quantile: p.sampler.quantile,
  }));
  const correlated = new Set(plan.copulas.flatMap((g) => g.members));
  const params = allParams.filter((_, k) => !correlated.has(k));
  const copulas = plan.copulas.map((g) => ({
    members: g.members.map((k) => allParams[k]!),
    factor: g.factor,
    z: new Float64Array(g.members.length),
  }));
  const stopEarly = plan.reports.length === 0;
  const value = (x: number, id: number, t: number): number =>
    x - x !== 0 ? failTrial(id, t, x, 'value') : x;
  const probability = (x: number, id: number, t: number): number =>
    x >= 0 && x <= 1 ? x : failTrial(id, t, x, 'probability');
  const setRegime = (v: Float64Array, r: (typeof regimes)[number], state: number): void => {
    v[r.indexSlot] = state;
    r.flagSlots.forEach((f, k) => {
      v[f] = state === k ? 1 : 0;
    });
  };

  return (v, S, fp, onStep, stopOn) => {
    v[SLOT_T] = 0;
    for (const c of plan.constants) v[c.slot] = c.value;
    for (const p of params) v[p.slot] = p.quantile(aleaOpen(S, p.offset));
    // Correlated groups, as generate.ts draws them: z_j from member j's own stream, member 0 keeps
    // its uniform, member j draws at Φ(Σ_{k≤j} L[j][k] z_k) summed left to right.
    for (const { members, factor, z } of copulas) {
      for (let j = 0; j < members.length; j++) {
        const p = members[j]!;
        const u = aleaOpen(S, p.offset);
        z[j] = normalScore(u);
        if (j === 0) {
          v[p.slot] = p.quantile(u);
          continue;
        }
        const row = factor[j]!;
        let w = row[0]! * z[0]!;
        for (let m = 1; m <= j; m++) w = w + row[m]! * z[m]!;
        v[p.slot] = p.quantile(copulaUniform(w));
      }
    }
    for (const r of regimes) setRegime(v, r, r.initial);
    for (const e of events) v[e.happenedSlot] = v[e.countSlot] = 0;
    for (const a of init) v[a.slot] = value(a.run(v, S), a.id, 0);
    fp.fill(0, 0, outcomes.length);
    let left = outcomes.length;
    if (onStep !== undefined) onStep(0);
    for (let t = 1; t <= plan.horizon; t++) {
      v[SLOT_T] = t;
      for (const r of regimes) {
        const u = aleaNext(S, r.offset);
        const current = v[r.indexSlot]!;
        const moves = r.moves[current]!;
        let acc = 0;
        let dn = 0;
        let nx = current;
        for (const m of moves) {
          const p = probability(m.p.run(v, S), m.p.id, t);
          if (m.down) {
            dn += p;
            if (nx === current && u >= 1 - dn) nx = m.to;
          } else {
            acc += p;
            if (nx === current && u < acc) nx = m.to;
          }
        }
        if (moves.length > 0 && acc + dn > 1 + PROBABILITY_SLACK)
          failTrial(r.rows[current]!, t, acc + dn, 'probability');
        if (nx !== current) setRegime(v, r, nx);
      }
      let fired = false;
      for (const e of events) {
        if (!e.repeat && v[e.happenedSlot] !== 0) continue;
        let occurs = e.at.includes(t);
        if (e.hazard) {
          const h = probability(e.hazard.run(v, S), e.hazard.id, t);
          if (aleaNext(S, e.offset) < h) occurs = true;
        }
        if (!occurs) continue;
        v[e.happenedSlot] = 1;
        v[e.countSlot]! += 1;
        fired = true;
        for (const ef of e.effects) {
          if (ef.kind === 'regime') setRegime(v, regimes[ef.regime]!, ef.state);
          else {
            const x = ef.value.run(v, S);
            const old = v[ef.slot]!;
            v[ef.slot] = value(
              ef.kind === 'set' ? x : ef.kind === 'scale' ? old * x : old + x,
              ef.value.id,
              t,
            );
          }
        }
      }
      if (fired) for (const a of derived) v[a.slot] = value(a.run(v, S), a.id, t);
      for (const a of updates) v[a.temp] = value(a.run(v, S), a.id, t);
      for (const a of updates) v[a.slot] = v[a.temp]!;
      for (const a of derived) v[a.slot] = value(a.run(v, S), a.id, t);
      for (let k = 0; k < outcomes.length; k++) {
        if (fp[k] !== 0) continue;
        const o = outcomes[k]!;
        if (value(o.run(v, S), o.id, t) !== 0) {
          fp[k] = t;
          left--;
        }
      }
      if (onStep !== undefined) onStep(t);
      else if (stopEarly && left === 0) break;
      else if (stopOn !== undefined && fp[stopOn] !== 0) break;
    }
  };
}
