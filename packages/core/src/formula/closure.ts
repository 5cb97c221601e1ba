import { STREAM_WIDTH } from '../random/alea.js';
import { helpers as H } from './functions.js';
import type { Expr } from './ir.js';

/** An expression as a closure over the slot and stream arrays. */
export type Evaluator = (v: Float64Array, S: Float64Array) => number;

/**
 * The fallback where code generation is unavailable (a strict Content-Security-Policy): the same
 * operations in the same order as exprToJs, so both give identical bits (test/formula.test.ts).
 */
export function exprToClosure(e: Expr): Evaluator {
  switch (e.kind) {
    case 'num': {
      const x = e.value;
      return () => x;
    }
    case 'slot': {
      const i = e.slot;
      return (v) => v[i]!;
    }
    case 'neg': {
      const a = exprToClosure(e.arg);
      return (v, S) => -a(v, S);
    }
    case 'not': {
      const a = exprToClosure(e.arg);
      return (v, S) => (a(v, S) === 0 ? 1 : 0);
    }
    case 'cond': {
      const c = exprToClosure(e.test);
      const a = exprToClosure(e.whenTrue);
      const b = exprToClosure(e.whenFalse);
      return (v, S) => (c(v, S) !== 0 ? a(v, S) : b(v, S));
    }
    case 'call': {
      const args = e.args.map(exprToClosure);
      const f = pureFunction(e.fn);
      return (v, S) => f(...args.map((a) => a(v, S)));
    }
    case 'rand': {
      const args = e.args.map(exprToClosure);
      const o = e.site * STREAM_WIDTH;
      const f = H[e.fn] as (S: Float64Array, o: number, ...xs: number[]) => number;
      return (v, S) => f(S, o, ...args.map((a) => a(v, S)));
    }
    case 'bin': {
      const l = exprToClosure(e.left);
      const r = exprToClosure(e.right);
      const op = binary(e.op);
      return (v, S) => op(l(v, S), r(v, S));
    }
  }
}

function pureFunction(name: string): (...xs: number[]) => number {
  const fromMath = (Math as unknown as Record<string, unknown>)[name];
  const own = (H as unknown as Record<string, unknown>)[name];
  const f = name in H ? own : fromMath;
  if (typeof f !== 'function') throw new Error(`internal: no implementation for ${name}`);
  return f as (...xs: number[]) => number;
}

function binary(op: string): (a: number, b: number) => number {
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => a / b;
    case '^':
      return Math.pow;
    case '%':
      return H.mod;
    case '<':
      return (a, b) => (a < b ? 1 : 0);
    case '<=':
      return (a, b) => (a <= b ? 1 : 0);
    case '>':
      return (a, b) => (a > b ? 1 : 0);
    case '>=':
      return (a, b) => (a >= b ? 1 : 0);
    case '==':
      return (a, b) => (a === b ? 1 : 0);
    case '!=':
      return (a, b) => (a !== b ? 1 : 0);
    case 'and':
      return (a, b) => (a !== 0 && b !== 0 ? 1 : 0);
    case 'or':
      return (a, b) => (a !== 0 || b !== 0 ? 1 : 0);
    case 'xor':
      return (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0);
  }
  throw new Error(`internal: unknown operator ${op}`);
}
