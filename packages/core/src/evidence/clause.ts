/**
 * The language of observations (`given:` and `--given`). Each clause reads as a sentence:
 *
 *   cooled by 20                      the outcome (or event) happened at some step ≤ 20
 *   not cooled by 16                  … had not happened by step 16
 *   turkey is vocal at 12             a regime was in a state at step 12 (`is not` for the converse)
 *   tie in 0.5..0.9 at 12             a value lay in a closed range at step 12
 *   tie >= 0.5 at 12                  a value compared with a number (<, <=, >, >=) at step 12
 *   oil ~ normal(0.12, 0.02) at 0     soft evidence: the value was measured as 0.12 with error sd 0.02
 *
 * A step is a number, or a date `YYYY-MM` when the horizon is in months with a `YYYY-MM` start.
 * This module only parses; names are bound to a model in bind.ts.
 */

export type Comparison = '<' | '<=' | '>' | '>=';

export type Clause =
  | { kind: 'by'; name: string; negated: boolean; step: number }
  | { kind: 'regime'; name: string; state: string; negated: boolean; step: number }
  | { kind: 'range'; name: string; lo: number; hi: number; step: number }
  | { kind: 'compare'; name: string; op: Comparison; value: number; step: number }
  | { kind: 'soft'; name: string; mean: number; sd: number; step: number };

/** A problem in a clause, at `offset` characters into its text. */
export interface ClauseProblem {
  message: string;
  offset: number;
  expected?: string;
}

/** Turns a date in a clause into a step, when the horizon allows it. */
export type StepOf = (date: string) => number | undefined;

interface Token {
  text: string;
  offset: number;
  kind: 'word' | 'number' | 'date' | 'punct';
}

const TOKEN =
  /\s*(?:(\d{4}-\d{2})(?![\d.])|([-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\.\.|<=|>=|[<>~(),]))/y;

function tokenize(text: string): Token[] | ClauseProblem {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (m === null) {
      const offset = at + (text.slice(at).length - text.slice(at).trimStart().length);
      return { message: `unexpected "${text.slice(offset, offset + 1)}"`, offset };
    }
    const raw = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    const offset = m.index + m[0].length - raw.length;
    tokens.push({
      text: raw,
      offset,
      kind: m[1] ? 'date' : m[2] ? 'number' : m[3] ? 'word' : 'punct',
    });
    at = TOKEN.lastIndex;
  }
  return tokens;
}

const FORMS = [
  '[not] NAME by STEP',
  'REGIME is [not] STATE at STEP',
  'NAME in LOW..HIGH at STEP',
  'NAME >= NUMBER at STEP',
  'NAME ~ normal(MEAN, SD) at STEP',
].join(' | ');

/** Parse one clause. `stepOf` turns a `YYYY-MM` date into a step (or says it cannot). */
export function parseClause(text: string, stepOf: StepOf): Clause | ClauseProblem {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return tokens;
  let i = 0;
  const end = text.length;
  const peek = (): Token | undefined => tokens[i];
  const fail = (expected: string, what?: string): ClauseProblem => {
    const t = tokens[i];
    return {
      message:
        t === undefined
          ? `the clause ends where ${expected} should come`
          : `expected ${expected}, got "${t.text}"`,
      offset: t?.offset ?? end,
      expected: what ?? FORMS,
    };
  };
  const word = (w?: string): string | undefined => {
    const t = peek();
    if (t?.kind !== 'word' || (w !== undefined && t.text !== w)) return undefined;
    i++;
    return t.text;
  };
  const punct = (p: string): boolean => {
    if (peek()?.kind === 'punct' && peek()?.text === p) {
      i++;
      return true;
    }
    return false;
  };
  const number = (): number | undefined => {
    const t = peek();
    if (t?.kind !== 'number') return undefined;
    const x = Number(t.text);
    if (!Number.isFinite(x)) return undefined;
    i++;
    return x;
  };
  const step = (): number | ClauseProblem => {
    const t = peek();
    if (t?.kind === 'number' && /^\d+$/.test(t.text)) {
      i++;
      return Number(t.text);
    }
    if (t?.kind === 'date') {
      const s = stepOf(t.text);
      if (s === undefined)
        return {
          message: `cannot turn the date ${t.text} into a step: the horizon needs \`unit: month\` and a \`start\` such as 2024-11`,
          offset: t.offset,
        };
      i++;
      return s;
    }
    return fail('a step (a whole number, or a date YYYY-MM)');
  };
  const done = <C extends Clause>(c: C): C | ClauseProblem =>
    i === tokens.length
      ? c
      : { message: `unexpected "${tokens[i]!.text}" after the clause`, offset: tokens[i]!.offset };

  const negated = word('not') !== undefined;
  const name = word();
  if (name === undefined) return fail('a name (an outcome, event, regime or value)');
  if (word('by')) {
    const k = step();
    return typeof k === 'number' ? done({ kind: 'by', name, negated, step: k }) : k;
  }
  if (negated) return fail('"by" (only "not NAME by STEP" starts with "not")');
  if (word('is')) {
    const not = word('not') !== undefined;
    const state = word();
    if (state === undefined) return fail('a state of the regime');
    if (!word('at')) return fail('"at STEP"');
    const k = step();
    return typeof k === 'number' ? done({ kind: 'regime', name, state, negated: not, step: k }) : k;
  }
  if (word('in')) {
    const lo = number();
    if (lo === undefined) return fail('a number (the low end of LOW..HIGH)');
    if (!punct('..')) return fail('".." between the ends of the range');
    const hi = number();
    if (hi === undefined) return fail('a number (the high end of LOW..HIGH)');
    if (hi < lo) return { message: `the range ${lo}..${hi} is empty`, offset: tokens[i - 1]!.offset };
    if (!word('at')) return fail('"at STEP"');
    const k = step();
    return typeof k === 'number' ? done({ kind: 'range', name, lo, hi, step: k }) : k;
  }
  for (const op of ['<=', '>=', '<', '>'] as const) {
    if (punct(op)) {
      const value = number();
      if (value === undefined) return fail('a number');
      if (!word('at')) return fail('"at STEP"');
      const k = step();
      return typeof k === 'number' ? done({ kind: 'compare', name, op, value, step: k }) : k;
    }
  }
  if (punct('~')) {
    const dist = peek();
    if (!word('normal'))
      return dist === undefined
        ? fail('normal(MEAN, SD)')
        : {
            message: `only normal(MEAN, SD) measurement errors are supported, not "${dist.text}"`,
            offset: dist.offset,
          };
    if (!punct('(')) return fail('"("');
    const mean = number();
    if (mean === undefined) return fail('the observed value (a number)');
    if (!punct(',')) return fail('","');
    const sdAt = peek();
    const sd = number();
    if (sd === undefined) return fail('the measurement error sd (a number)');
    if (!(sd > 0))
      return { message: `the measurement error sd must be positive, got ${sd}`, offset: sdAt!.offset };
    if (!punct(')')) return fail('")"');
    if (!word('at')) return fail('"at STEP"');
    const k = step();
    return typeof k === 'number' ? done({ kind: 'soft', name, mean, sd, step: k }) : k;
  }
  return fail('"by", "is", "in", a comparison or "~" after the name');
}

/** A clause as text, in the canonical form (for reports and JSON). */
export function clauseText(c: Clause): string {
  switch (c.kind) {
    case 'by':
      return `${c.negated ? 'not ' : ''}${c.name} by ${c.step}`;
    case 'regime':
      return `${c.name} is ${c.negated ? 'not ' : ''}${c.state} at ${c.step}`;
    case 'range':
      return `${c.name} in ${c.lo}..${c.hi} at ${c.step}`;
    case 'compare':
      return `${c.name} ${c.op} ${c.value} at ${c.step}`;
    case 'soft':
      return `${c.name} ~ normal(${c.mean}, ${c.sd}) at ${c.step}`;
  }
}

/** Months from a `YYYY-MM` start to a `YYYY-MM` date, or undefined if either is not such a date. */
export function monthsBetween(start: string | number | undefined, date: string): number | undefined {
  const parse = (x: string): number | undefined => {
    const m = /^(\d{4})-(\d{2})$/.exec(x);
    if (m === null) return undefined;
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? Number(m[1]) * 12 + month - 1 : undefined;
  };
  const a = typeof start === 'string' ? parse(start) : undefined;
  const b = parse(date);
  return a === undefined || b === undefined ? undefined : b - a;
}
