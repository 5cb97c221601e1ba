import { own } from '../document/names.js';
import { STREAM_WIDTH } from '../random/alea.js';
import { MATH_NAMES } from './functions.js';
import type { Expr } from './ir.js';

/**
 * JavaScript source for a checked expression. Only numbers (printed by `String` from finite
 * numbers), slot and stream offsets, and names from our own whitelists reach the output; the
 * generated code reads slots through `slot` (by default `v[i]`), streams from `S` and helpers from `H`.
 * Logical operators evaluate both sides (as the closure fallback does) so both consume the same
 * random numbers; `c ? a : b` evaluates one branch in both.
 */
export function exprToJs(e: Expr, slot: (index: number) => string = (i) => `v[${integer(i)}]`): string {
  const js = (x: Expr): string => exprToJs(x, slot);
  switch (e.kind) {
    case 'num':
      return numberLiteral(e.value);
    case 'slot':
      return slot(e.slot);
    case 'neg':
      return `(-${js(e.arg)})`;
    case 'not':
      return `(${js(e.arg)} === 0 ? 1 : 0)`;
    case 'cond':
      return `(${js(e.test)} !== 0 ? ${js(e.whenTrue)} : ${js(e.whenFalse)})`;
    case 'call': {
      const args = e.args.map(js).join(', ');
      const math = own(MATH_NAMES, e.fn);
      return math === undefined ? `H.${e.fn}(${args})` : `Math.${math}(${args})`;
    }
    case 'rand':
      return `H.${e.fn}(S, ${integer(e.site * STREAM_WIDTH)}, ${e.args.map(js).join(', ')})`;
    case 'bin': {
      const l = js(e.left);
      const r = js(e.right);
      switch (e.op) {
        case '+':
        case '-':
        case '*':
        case '/':
          return `(${l} ${e.op} ${r})`;
        case '^':
          return `Math.pow(${l}, ${r})`;
        case '%':
          return `H.mod(${l}, ${r})`;
        case '<':
        case '<=':
        case '>':
        case '>=':
          return `(${l} ${e.op} ${r} ? 1 : 0)`;
        case '==':
          return `(${l} === ${r} ? 1 : 0)`;
        case '!=':
          return `(${l} !== ${r} ? 1 : 0)`;
        case 'and':
          return `((${l} !== 0) & (${r} !== 0))`;
        case 'or':
          return `((${l} !== 0) | (${r} !== 0))`;
        case 'xor':
          return `((${l} !== 0) ^ (${r} !== 0))`;
      }
    }
  }
}

/** A finite number as a JavaScript literal; anything else is a bug upstream, so it throws. */
export function numberLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`internal: non-finite literal ${x}`);
  if (Object.is(x, -0)) return '(-0)';
  return x < 0 ? `(${String(x)})` : String(x);
}

/** A non-negative integer for an index; anything else is a bug upstream. */
export function integer(i: number): string {
  if (!Number.isSafeInteger(i) || i < 0) throw new Error(`internal: bad index ${i}`);
  return String(i);
}
