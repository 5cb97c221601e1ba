import type { Expr } from '../formula/ir.js';
import type { Assignment, Plan } from './plan.js';

/**
 * The derived values that must be recomputed every step, in dependency order: all of `plan.derived`
 * but those fixed for the whole trial. A derived value is fixed when its formula draws nothing and
 * reads only constants, params and other fixed derived values, and no event effect changes it or
 * anything it reads. Both back ends compute every derived value once at step 0 (`plan.init` holds
 * them all), so a fixed one keeps that value, bit for bit what recomputing it would give, and a
 * failure in it is reported at step 0 as before. Traces and evidence read it from its slot, which
 * keeps it. Binding a param to another value changes no slot's kind, so a plan and its bound
 * variants (analysis/bind.ts, attribution's `entente_hold_*`) recompute the same values.
 */
export function stepDerived(plan: Plan): readonly Assignment[] {
  const fixed = fixedSlots(plan);
  return plan.derived.filter((a) => !fixed.has(a.slot));
}

/** Slots whose values do not change during a trial once step 0 is done. */
export function fixedSlots(plan: Plan): ReadonlySet<number> {
  const changed = new Set<number>();
  for (const e of plan.events) for (const ef of e.effects) if (ef.kind !== 'regime') changed.add(ef.slot);
  const fixed = new Set<number>();
  for (const c of plan.constants) if (!changed.has(c.slot)) fixed.add(c.slot);
  for (const p of plan.params) if (!changed.has(p.slot)) fixed.add(p.slot);
  // `plan.derived` is in dependency order, so one pass sees every derived value a formula reads.
  for (const a of plan.derived) if (!changed.has(a.slot) && readsOnly(a.expr, fixed)) fixed.add(a.slot);
  return fixed;
}

/** Whether an expression draws nothing and reads only the given slots. */
function readsOnly(e: Expr, slots: ReadonlySet<number>): boolean {
  switch (e.kind) {
    case 'num':
      return true;
    case 'slot':
      return slots.has(e.slot);
    case 'neg':
    case 'not':
      return readsOnly(e.arg, slots);
    case 'bin':
      return readsOnly(e.left, slots) && readsOnly(e.right, slots);
    case 'cond':
      return readsOnly(e.test, slots) && readsOnly(e.whenTrue, slots) && readsOnly(e.whenFalse, slots);
    case 'call':
      return e.args.every((a) => readsOnly(a, slots));
    case 'rand':
      return false;
  }
}

/**
 * Loop-invariant subexpressions of the formulas a trial evaluates every step, for generated code to
 * compute once a trial (generate.ts). `rewrite` replaces each largest subexpression that draws
 * nothing and reads only fixed slots (`fixedSlots`, which never holds `t`), other than a lone number or slot, by
 * slot −1 − k, the k-th invariant (the same subexpression, the same k). Generated code computes the
 * invariants after step 0's values, from the same slots, with the same operations in the same
 * order, so every value is the same double it would be recomputed each step: a per-step sum such as
 * `push = ((((push_upto_448 + i449) + …) + i500) + rival) + patron` adds its 52 param-only terms once.
 * Formulas are pure, so computing a branch of a conditional that a step would not take changes
 * nothing. The closure back end (interpret.ts) recomputes them, to the same bits.
 */
export interface Invariants {
  rewrite(e: Expr): Expr;
  /** The invariant subexpressions found so far, k = 0, 1, … */
  readonly exprs: readonly Expr[];
}

export function invariants(plan: Plan): Invariants {
  const fixed = fixedSlots(plan);
  const exprs: Expr[] = [];
  const index = new Map<string, number>();
  const rewrite = (e: Expr): Expr => {
    if (e.kind === 'num' || e.kind === 'slot') return e;
    if (readsOnly(e, fixed)) {
      const key = JSON.stringify(e);
      let k = index.get(key);
      if (k === undefined) {
        k = exprs.length;
        exprs.push(e);
        index.set(key, k);
      }
      return { kind: 'slot', slot: -1 - k };
    }
    switch (e.kind) {
      case 'neg':
      case 'not':
        return { ...e, arg: rewrite(e.arg) };
      case 'bin':
        return { ...e, left: rewrite(e.left), right: rewrite(e.right) };
      case 'cond':
        return {
          ...e,
          test: rewrite(e.test),
          whenTrue: rewrite(e.whenTrue),
          whenFalse: rewrite(e.whenFalse),
        };
      case 'call':
      case 'rand':
        return { ...e, args: e.args.map(rewrite) };
    }
  };
  return { rewrite, exprs };
}
