import { own } from '../document/names.js';
import { didYouMean } from '../suggest.js';
import {
  type FunctionSpec,
  isPureFunction,
  isRandomFunction,
  PURE_FUNCTIONS,
  RANDOM_FUNCTIONS,
} from './functions.js';
import type { BinaryOp, Expr } from './ir.js';
import { type MathNode, parseFormula } from './mathjs.js';

/** What a formula can see: names resolve to slots; each random call gets its own site. */
export interface FormulaScope {
  /** The slot of a plain name, or undefined if the name is unknown. */
  symbol(name: string): number | undefined;
  /** The slot of `object.member` (a regime's state, an event's count), or a message saying why not. */
  member(object: string, member: string): number | { message: string; suggestion?: string };
  /** Every name a formula could use, for did-you-mean suggestions. */
  names(): Iterable<string>;
  /** A random site for the k-th random call in this formula (in reading order). */
  site(k: number): number;
}

/** A problem with a formula; `offset` is the 0-based character in the formula's text. */
export interface FormulaProblem {
  code: string;
  message: string;
  offset?: number;
  expected?: string;
  suggestion?: string;
}

export type CheckedFormula =
  | { ok: true; expr: Expr; deps: ReadonlySet<string> }
  | { ok: false; problems: FormulaProblem[] };

/** mathjs operator functions and the binary operators they become. */
export const OPERATORS: Record<string, BinaryOp> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '^',
  mod: '%',
  smaller: '<',
  smallerEq: '<=',
  larger: '>',
  largerEq: '>=',
  equal: '==',
  unequal: '!=',
  and: 'and',
  or: 'or',
  xor: 'xor',
};

const ALL_FUNCTIONS: Record<string, FunctionSpec> = { ...PURE_FUNCTIONS, ...RANDOM_FUNCTIONS };

/**
 * Parse a formula with mathjs and check it: only whitelisted node types and functions, the right
 * number of arguments, known names. Every problem is reported, not only the first.
 */
export function checkFormula(source: string | number | boolean, scope: FormulaScope): CheckedFormula {
  if (typeof source === 'number') {
    return Number.isFinite(source)
      ? { ok: true, expr: { kind: 'num', value: source }, deps: new Set() }
      : { ok: false, problems: [{ code: 'formula.not-finite', message: 'a number here must be finite' }] };
  }
  if (typeof source === 'boolean')
    return { ok: true, expr: { kind: 'num', value: source ? 1 : 0 }, deps: new Set() };
  let root: MathNode;
  try {
    root = parseFormula(source);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /\(char (\d+)\)/.exec(message);
    const problem: FormulaProblem = {
      code: 'formula.syntax',
      message: `cannot parse formula: ${message.replace(/\s*\(char \d+\)/, '')}`,
      expected: 'a mathjs expression such as "0.5 * oil_share + normal(0, 0.1)"',
    };
    if (at) problem.offset = Math.max(0, Number(at[1]) - 1);
    return { ok: false, problems: [problem] };
  }
  const problems: FormulaProblem[] = [];
  const deps = new Set<string>();
  let randomCalls = 0;
  const offsetOf = (name: string): number | undefined => {
    const m = new RegExp(`(?<![\\w.])${name.replace(/[^\w]/g, '')}(?!\\w)`).exec(source);
    return m?.index;
  };
  const problem = (p: FormulaProblem, name?: string): Expr => {
    const offset = name === undefined ? undefined : offsetOf(name);
    problems.push(offset === undefined ? p : { ...p, offset });
    return { kind: 'num', value: 0 };
  };

  const visit = (node: MathNode): Expr => {
    const n = node as unknown as Record<string, unknown> & { type: string };
    switch (n.type) {
      case 'ConstantNode': {
        const v = n.value;
        if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'num', value: v };
        if (typeof v === 'boolean') return { kind: 'num', value: v ? 1 : 0 };
        return problem({
          code: 'formula.value',
          message: `${JSON.stringify(v)} is not a number`,
          expected: 'numbers only',
        });
      }
      case 'SymbolNode': {
        const name = n.name as string;
        const slot = scope.symbol(name);
        if (slot !== undefined) {
          deps.add(name);
          return { kind: 'slot', slot };
        }
        if (Object.hasOwn(ALL_FUNCTIONS, name)) {
          return problem(
            { code: 'formula.function-as-value', message: `"${name}" is a function; call it as ${name}(…)` },
            name,
          );
        }
        const suggestion = didYouMean(name, scope.names());
        return problem(
          {
            code: 'formula.unknown-name',
            message: `unknown name "${name}"`,
            expected: 'a param, derived value, state variable, event or built-in (t, horizon, pi, e)',
            ...(suggestion === undefined ? {} : { suggestion }),
          },
          name,
        );
      }
      case 'ParenthesisNode':
        return visit(n.content as MathNode);
      case 'ConditionalNode':
        return {
          kind: 'cond',
          test: visit(n.condition as MathNode),
          whenTrue: visit(n.trueExpr as MathNode),
          whenFalse: visit(n.falseExpr as MathNode),
        };
      case 'OperatorNode': {
        const args = (n.args as MathNode[]).map(visit);
        const fn = n.fn as string;
        if (fn === 'unaryMinus') return { kind: 'neg', arg: args[0]! };
        if (fn === 'unaryPlus') return args[0]!;
        if (fn === 'not') return { kind: 'not', arg: args[0]! };
        const op = own(OPERATORS, fn);
        if (op !== undefined && args.length === 2)
          return { kind: 'bin', op, left: args[0]!, right: args[1]! };
        return problem({
          code: 'formula.operator',
          message: `the operator "${n.op as string}" is not allowed in formulas`,
        });
      }
      case 'FunctionNode': {
        const fnNode = n.fn as unknown as { type: string; name?: string };
        const name = fnNode.type === 'SymbolNode' ? (fnNode.name ?? '') : '';
        const spec = own(ALL_FUNCTIONS, name);
        if (spec === undefined) {
          const suggestion = didYouMean(name, Object.keys(ALL_FUNCTIONS));
          return problem(
            {
              code: 'formula.unknown-function',
              message: name
                ? `"${name}" is not a function formulas may call`
                : 'only named functions may be called',
              expected: `one of ${Object.keys(ALL_FUNCTIONS).join(', ')}`,
              ...(suggestion === undefined ? {} : { suggestion }),
            },
            name || undefined,
          );
        }
        const args = (n.args as MathNode[]).map(visit);
        if (args.length < spec.minArgs || args.length > spec.maxArgs) {
          const want =
            spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
          return problem(
            {
              code: 'formula.arity',
              message: `${name} takes ${want} argument(s), got ${args.length}`,
              expected: spec.doc,
            },
            name,
          );
        }
        if (isRandomFunction(name)) return { kind: 'rand', fn: name, site: scope.site(randomCalls++), args };
        if (isPureFunction(name)) return { kind: 'call', fn: name, args };
        return problem({ code: 'formula.unknown-function', message: `"${name}" is not allowed` });
      }
      case 'AccessorNode': {
        const object = n.object as unknown as { type: string; name?: string };
        const index = n.index as unknown as {
          dotNotation?: boolean;
          dimensions?: { type: string; value?: unknown }[];
        };
        const member = index.dimensions?.[0]?.value;
        if (object.type !== 'SymbolNode' || !index.dotNotation || typeof member !== 'string') {
          return problem({
            code: 'formula.accessor',
            message: 'only name.member (a regime state or event.count) may be accessed',
          });
        }
        const objectName = object.name ?? '';
        const resolved = scope.member(objectName, member);
        if (typeof resolved === 'number') {
          deps.add(objectName);
          return { kind: 'slot', slot: resolved };
        }
        return problem(
          {
            code: 'formula.unknown-member',
            message: resolved.message,
            ...(resolved.suggestion === undefined ? {} : { suggestion: resolved.suggestion }),
          },
          objectName,
        );
      }
      default:
        return problem({
          code: 'formula.node',
          message: `${describe(n.type)} ${n.type === 'AssignmentNode' || n.type === 'FunctionAssignmentNode' ? 'are' : 'is'} not allowed in formulas`,
          expected: 'arithmetic, comparisons, `and`/`or`/`not`, `c ? a : b` and whitelisted functions',
        });
    }
  };
  const expr = visit(root);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, expr, deps };
}

function describe(type: string): string {
  const names: Record<string, string> = {
    AssignmentNode: 'assignments',
    FunctionAssignmentNode: 'function definitions',
    BlockNode: 'several statements',
    ArrayNode: 'matrices',
    ObjectNode: 'objects',
    RangeNode: 'ranges',
    IndexNode: 'indexing',
    RelationalNode: 'chained comparisons',
  };
  return names[type] ?? type;
}
