import {
  createAccessorNode,
  createArrayNode,
  createAssignmentNode,
  createBlockNode,
  createConditionalNode,
  createConstantNode,
  createFunctionAssignmentNode,
  createFunctionNode,
  createIndexNode,
  createNode,
  createNumber,
  createNumeric,
  createObjectNode,
  createOperatorNode,
  createParenthesisNode,
  createParse,
  createRangeNode,
  createRelationalNode,
  createResultSet,
  createSymbolNode,
  createTyped,
} from 'mathjs';

/**
 * mathjs's parser, built from its own factories (mathjs's documented way to build a custom
 * instance) with only what parsing needs. Following mathjs's security guidance we never evaluate
 * user text with it: the parse tree is checked against our whitelist and turned into our own
 * expression type, and only that is compiled. So the node classes get no math namespace and no
 * `subset`, `size` or `isBounded`: those serve evaluating, compiling and printing a tree as LaTeX,
 * which we never do, and anything that reached them would throw. This is the same parser, giving
 * the same trees (formula.test.ts compares it with `create({ parseDependencies })` on a corpus),
 * at a fraction of the start-up: `create({ parseDependencies })` built ~50 typed functions and the
 * matrix machinery on the first parse (~60 ms), this builds `typed`, `number` and `numeric` (~2 ms).
 */
const unavailable = (name: string) => (): never => {
  throw new Error(`mathjs's ${name} is not available: Entente only parses formulas`);
};
const typed = createTyped({});
const Node = createNode({ mathWithTransform: {} });
const nodeDeps = {
  Node,
  typed,
  math: {},
  subset: unavailable('subset'),
  size: unavailable('size'),
  isBounded: unavailable('isBounded'),
  ResultSet: createResultSet({}),
};
const SymbolNode = createSymbolNode(nodeDeps);
const withSymbol = { ...nodeDeps, SymbolNode };
const parse = createParse({
  typed,
  // Number literals as doubles, as in mathjs's default configuration (`number: 'number'`).
  config: { number: 'number' },
  numeric: createNumeric({ number: createNumber({ typed }) }),
  SymbolNode,
  AccessorNode: createAccessorNode(withSymbol),
  ArrayNode: createArrayNode(withSymbol),
  AssignmentNode: createAssignmentNode(withSymbol),
  BlockNode: createBlockNode(withSymbol),
  ConditionalNode: createConditionalNode(withSymbol),
  ConstantNode: createConstantNode(withSymbol),
  FunctionAssignmentNode: createFunctionAssignmentNode(withSymbol),
  FunctionNode: createFunctionNode(withSymbol),
  IndexNode: createIndexNode(withSymbol),
  ObjectNode: createObjectNode(withSymbol),
  OperatorNode: createOperatorNode(withSymbol),
  ParenthesisNode: createParenthesisNode(withSymbol),
  RangeNode: createRangeNode(withSymbol),
  RelationalNode: createRelationalNode(withSymbol),
}) as (text: string) => unknown;

export type MathNode = import('mathjs').MathNode;

/**
 * Parse a formula. mathjs's parser is recursive, so the caller must first have measured the text
 * with `measureFormulaText` and refused anything deeper than the limits in defaults.ts.
 */
export function parseFormula(text: string): MathNode {
  return parse(text) as MathNode;
}

/** What a single pass over a formula's text says about its shape, before mathjs sees it. */
export interface TextShape {
  /**
   * How deep the parse will nest: open brackets (and calls), conditionals and assignments, and
   * chains of unary operators (`-`, `+`, `~`, `not`) and `^`. Every such level is at least one level
   * of mathjs's recursive descent and one level of the parse tree, so the tree is at least this deep.
   */
  depth: number;
  /** The 0-based offset at which `depth` first reached its maximum. */
  depthAt: number;
  /** The 0-based offset at which `depth` first passed `limit`, if it did. */
  limitAt: number | undefined;
  /**
   * How many brackets are nested in the operand of a `%`: mathjs tries to parse that operand once to
   * decide between modulo and percentage and then parses it again, so each level doubles the work.
   */
  percentNesting: number;
  /** The 0-based offset of the bracket at which `percentNesting` first reached its maximum. */
  percentAt: number;
}

/** The tokens of mathjs that are three or two characters long (parse.js, DELIMITERS). */
const LONG_DELIMITERS = ['>>>', '.*', './', '.^', '^|', '?.', '??', '==', '!=', '<=', '>=', '<<', '>>'];
/** mathjs's named operators (NAMED_DELIMITERS); `not` is the only unary one. */
const BINARY_WORDS = new Set(['and', 'or', 'xor', 'mod', 'to', 'in']);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
/** Letters mathjs accepts in names, and more (over-including is safe: mathjs stops at a bad one). */
const isNameChar = (c: string): boolean =>
  (c >= 'a' && c <= 'z') ||
  (c >= 'A' && c <= 'Z') ||
  isDigit(c) ||
  c === '_' ||
  c === '$' ||
  (c > '\u007f' && /[\p{L}\p{N}\u2100-\u214F\uD800-\uDFFF]/u.test(c));

interface Frame {
  /** Conditionals and assignments open in this bracket: they last until it closes or a `,`/`;`. */
  persistent: number;
  /** The chain of unary operators and `^` being read; a binary operator ends it. */
  transient: number;
  /** A `%` whose operand is being read: brackets opened now are parsed twice. */
  percent: boolean;
  /** How many `%` operands enclose this bracket. */
  percentNesting: number;
}

/**
 * Measure a formula's nesting in one iterative pass over its characters, following mathjs's
 * tokenizer, so a formula that would overflow mathjs's recursive parser (or make it work
 * exponentially) is refused before mathjs sees it. Where the text is ambiguous the measure errs
 * high: a formula with a quote in it (strings are never valid in formulas anyway) counts every
 * bracket and operator as if nothing ever closed.
 */
export function measureFormulaText(text: string, limit = Number.POSITIVE_INFINITY): TextShape {
  // Without quotes there are no strings, so every bracket and operator is what it looks like.
  const exact = !/["']/.test(text);
  const frames: Frame[] = [{ persistent: 0, transient: 0, percent: false, percentNesting: 0 }];
  let top = frames[0]!;
  // Σ (1 + persistent + transient) over the frames below the top: they cannot change while it is open.
  let below = 0;
  let depth = 1;
  let depthAt = 0;
  let limitAt: number | undefined;
  let percentNesting = 0;
  let percentAt = 0;
  // Whether the last token ended an operand (so `-` is binary and a name is implicit multiplication).
  let afterOperand = false;
  let i = 0;

  const note = (at: number): void => {
    const d = below + 1 + top.persistent + top.transient;
    if (d > depth) {
      depth = d;
      depthAt = at;
      if (d > limit && limitAt === undefined) limitAt = at;
    }
  };
  /** A binary operator, `,`, `?`, `:`: the chain of unary operators and `^` before it is complete. */
  const endChain = (): void => {
    if (!exact) return;
    top.transient = 0;
    top.percent = false;
  };
  const stack = (at: number): void => {
    top.transient++;
    afterOperand = false;
    note(at);
  };

  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u00A0') {
      i++;
      continue;
    }
    if (c === '#' && exact) {
      // A comment runs to the end of the line (mathjs's getToken).
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const long = '>.^?=!<'.includes(c) ? LONG_DELIMITERS.find((d) => text.startsWith(d, i)) : undefined;
    if (long !== undefined && !(long === '?.' && isDigit(text[i + 2] ?? ''))) {
      i += long.length;
      if (long === '.^') stack(i - 2);
      else if (long === '?.')
        afterOperand = false; // optional chaining: an accessor, not an operator
      else if (long === '??')
        afterOperand = false; // binds tighter than unary operators: no end of chain
      else {
        endChain();
        afterOperand = false;
      }
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      if (afterOperand) endChain(); // `2 x`: implicit multiplication
      i = endOfNumber(text, i);
      afterOperand = true;
      continue;
    }
    if (isNameChar(c)) {
      const start = i;
      while (i < n && isNameChar(text[i]!)) i++;
      const word = text.slice(start, i);
      if (word === 'not') stack(start);
      else if (BINARY_WORDS.has(word)) {
        endChain();
        afterOperand = false;
      } else {
        if (afterOperand) endChain();
        afterOperand = true;
      }
      continue;
    }
    const at = i;
    i++;
    switch (c) {
      case '(':
      case '[':
      case '{': {
        below += 1 + top.persistent + top.transient;
        const nesting = top.percentNesting + (top.percent ? 1 : 0);
        top = { persistent: 0, transient: 0, percent: false, percentNesting: nesting };
        frames.push(top);
        if (nesting > percentNesting) {
          percentNesting = nesting;
          percentAt = at;
        }
        afterOperand = false;
        note(at);
        break;
      }
      case ')':
      case ']':
      case '}':
        if (exact && frames.length > 1) {
          frames.pop();
          top = frames[frames.length - 1]!;
          below -= 1 + top.persistent + top.transient;
        }
        afterOperand = true;
        break;
      case '-':
      case '+':
        if (afterOperand) {
          endChain();
          afterOperand = false;
        } else stack(at);
        break;
      case '~':
      case '^':
        stack(at);
        break;
      case '?':
      case '=':
        // A conditional or an assignment: the rest of the bracket is parsed inside it.
        endChain();
        top.persistent++;
        afterOperand = false;
        note(at);
        break;
      case ',':
      case ';':
        if (exact) {
          top.persistent = 0;
          top.transient = 0;
          top.percent = false;
        }
        afterOperand = false;
        break;
      case '%':
        endChain();
        top.percent = true;
        afterOperand = false;
        break;
      case '!':
      case "'":
        // Postfix (factorial, transpose), or a string: either way no new level.
        afterOperand = true;
        break;
      case '.':
        afterOperand = false; // dot notation: a member name follows
        break;
      default:
        // `*`, `/`, `&`, `|`, `<`, `>`, `:`, and anything mathjs would refuse.
        endChain();
        afterOperand = false;
    }
  }
  return { depth, depthAt, limitAt, percentNesting, percentAt };
}

/** The end of a number token starting at `i`, as mathjs's tokenizer reads it. */
function endOfNumber(text: string, start: number): number {
  let i = start;
  const prefix = text.slice(i, i + 2);
  if (prefix === '0b' || prefix === '0o' || prefix === '0x') {
    i += 2;
    while (i < text.length && isNameChar(text[i]!)) i++;
    if (text[i] === '.') {
      i++;
      while (i < text.length && isNameChar(text[i]!)) i++;
    }
    return i;
  }
  const decimalMark = (k: number): boolean => text[k] === '.' && !['/', '*', '^'].includes(text[k + 1] ?? '');
  if (text[i] === '.') i++;
  else {
    while (isDigit(text[i] ?? '')) i++;
    if (decimalMark(i)) i++;
  }
  while (isDigit(text[i] ?? '')) i++;
  if ((text[i] === 'e' || text[i] === 'E') && /[\d+-]/.test(text[i + 1] ?? '')) {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    while (isDigit(text[i] ?? '')) i++;
  }
  return i;
}

/** The depth (a lone name or number is 1) and the number of nodes of a parse tree, measured without recursion. */
export function measureTree(root: MathNode): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  const pending: MathNode[] = [root];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const d = depths.pop()!;
    nodes++;
    if (d > depth) depth = d;
    node.forEach((child) => {
      pending.push(child);
      depths.push(d + 1);
    });
  }
  return { depth, nodes };
}
