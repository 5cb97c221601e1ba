import {
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
  MAX_FORMULA_NODES,
  MAX_FORMULA_PERCENT_NESTING,
} from '../defaults.js';
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
import { type MathNode, measureFormulaText, measureTree, parseFormula } from './mathjs.js';

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
  const tooBig = sizeProblem(source);
  if (tooBig !== undefined) return { ok: false, problems: [tooBig] };
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
  const tree = measureTree(root);
  if (tree.depth > MAX_FORMULA_DEPTH) {
    return {
      ok: false,
      problems: [
        {
          code: 'formula.too-deep',
          message: `the formula is ${count(tree.depth)} levels deep; the limit is ${count(MAX_FORMULA_DEPTH)}`,
          expected: `at most ${count(MAX_FORMULA_DEPTH)} levels (every bracket, call, conditional, unary operator and ^, and every operator in a chain such as a + b + c, adds one)`,
          suggestion: SPLIT,
        },
      ],
    };
  }
  if (tree.nodes > MAX_FORMULA_NODES) {
    return {
      ok: false,
      problems: [
        {
          code: 'formula.too-large',
          message: `the formula has ${count(tree.nodes)} names, numbers and operations; the limit is ${count(MAX_FORMULA_NODES)}`,
          expected: `at most ${count(MAX_FORMULA_NODES)}`,
          suggestion: SPLIT,
        },
      ],
    };
  }
  const nonFinite = nonFiniteLiterals(source);
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
        if (typeof v === 'number') {
          // NaN, Infinity, or a literal too large for a double (1e309): name it as written.
          const literal = nonFinite.shift();
          problems.push({
            code: 'formula.not-finite',
            message: `${literal?.text ?? String(v)} is not a finite number`,
            expected: 'finite numbers (at most about 1.8e308 in size)',
            ...(literal === undefined ? {} : { offset: literal.offset }),
          });
          return { kind: 'num', value: 0 };
        }
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
        if (n.isPercentage === true) {
          // mathjs reads `x %` with nothing it can parse after it as x / 100 and drops the rest.
          return problem({
            code: 'formula.operator',
            message:
              '"%" needs a number or name after it (mathjs would read it as a percentage and ignore the rest)',
            expected: 'a % b for the remainder of a divided by b, or a / 100 for a percentage',
          });
        }
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

const SPLIT = 'split it into derived values and combine them in a shorter formula';

/** `12,345`: grouping by hand, so messages do not depend on the platform's locale data. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A formula too long or too deeply nested to hand to mathjs, whose parser is recursive: measured in
 * one iterative pass over the text (mathjs.ts), so the limits hold before anything can overflow.
 */
function sizeProblem(source: string): FormulaProblem | undefined {
  const shape = measureFormulaText(source, MAX_FORMULA_DEPTH);
  if (shape.depth > MAX_FORMULA_DEPTH) {
    return {
      code: 'formula.too-deep',
      message: `the formula nests ${count(shape.depth)} levels deep; the limit is ${count(MAX_FORMULA_DEPTH)}`,
      expected: `at most ${count(MAX_FORMULA_DEPTH)} levels of brackets, calls, conditionals, unary operators (-, not) and ^`,
      suggestion: SPLIT,
      offset: shape.limitAt ?? shape.depthAt,
    };
  }
  if (source.length > MAX_FORMULA_LENGTH) {
    return {
      code: 'formula.too-large',
      message: `the formula is ${count(source.length)} characters long; the limit is ${count(MAX_FORMULA_LENGTH)}`,
      expected: `at most ${count(MAX_FORMULA_LENGTH)} characters`,
      suggestion: SPLIT,
    };
  }
  if (shape.percentNesting > MAX_FORMULA_PERCENT_NESTING) {
    return {
      code: 'formula.too-deep',
      message: `the formula nests % inside the operand of another % ${count(shape.percentNesting)} levels deep; the limit is ${MAX_FORMULA_PERCENT_NESTING} (each level doubles the time to parse it)`,
      expected: `at most ${MAX_FORMULA_PERCENT_NESTING} levels`,
      suggestion: SPLIT,
      offset: shape.percentAt,
    };
  }
  return undefined;
}

/** `NaN`, `Infinity` and number literals that overflow to infinity, in reading order, with their offsets. */
function nonFiniteLiterals(source: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const literal = /(?<![\w.$])(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+)(?![\w$])/g;
  for (const m of source.matchAll(literal)) {
    if (!Number.isFinite(Number(m[0]))) out.push({ text: m[0], offset: m.index });
  }
  return out;
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
