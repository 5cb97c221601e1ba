import { defaults } from '@entente/core';
import fc from 'fast-check';
import { stringify } from 'yaml';

/*
 * Hostile input: formulas and documents built to exhaust the engine (deep nesting, long chains,
 * exponential parses, huge and aliased documents) or to confuse its messages (non-finite numbers,
 * invisible characters in names). Every member must be answered with a result or with issues that
 * carry a code and a location; none may crash, hang or overflow the stack. Strings are built with
 * loops, never recursion, so a generator can make what it is testing the engine against.
 */

const DEPTH = defaults.MAX_FORMULA_DEPTH;

/** Sizes that matter: small, just under and over a limit, and far beyond it (the sizes that used to crash). */
function around(limit: number, far: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: Math.max(1, limit - 4), max: limit + 4 }),
    fc.integer({ min: limit + 5, max: far }),
  );
}

/** Ways of nesting one level: the text before and after the inner formula. */
const WRAPPERS: readonly (readonly [string, string])[] = [
  ['not ', ''],
  ['-', ''],
  ['+', ''],
  ['(', ')'],
  ['abs(', ')'],
  ['max(a, ', ')'],
  ['(a > 0.5 ? ', ' : 0.25)'],
  ['(a > 0.5 ? 0.25 : ', ')'],
  ['a ^ ', ''],
  ['a + (', ')'],
  ['clamp(', ', 0, 1)'],
  ['not (', ')'],
];

/** `n` levels of the wrappers picked by `pick` (cycled) around `leaf`, built without recursion. */
function nest(n: number, pick: readonly number[], leaf: string): string {
  const before: string[] = [];
  const after: string[] = [];
  for (let i = 0; i < n; i++) {
    const [b, a] = WRAPPERS[pick[i % pick.length]! % WRAPPERS.length]!;
    before.push(b);
    after.push(a);
  }
  return `${before.join('')}${leaf}${after.reverse().join('')}`;
}

/**
 * Deeply nested formulas over the name `a`: chains of `not`, unary minus and plus, brackets, calls,
 * conditionals (nested to the left and to the right), `^`, and random mixtures, from a few levels
 * to thousands. Those within the depth limit are valid formulas that evaluate to finite numbers.
 */
export function deepFormula(): fc.Arbitrary<string> {
  const n = around(DEPTH, 6000);
  return fc.oneof(
    n.map((k) => `${'not '.repeat(k)}a`),
    n.map((k) => `${'-'.repeat(k)}a`),
    n.map((k) => `${'('.repeat(k)}a${')'.repeat(k)}`),
    n.map((k) => `${'abs('.repeat(k)}a${')'.repeat(k)}`),
    n.map((k) => `${'a > 0.5 ? 1 : '.repeat(k)}0`),
    n.map((k) => `${'('.repeat(k)}a${' ? 1 : 0)'.repeat(k)}`),
    n.map((k) => Array.from({ length: k + 1 }, () => 'a').join(' ^ ')),
    fc
      .tuple(n, fc.array(fc.nat({ max: WRAPPERS.length - 1 }), { minLength: 1, maxLength: 64 }))
      .map(([k, pick]) => nest(k, pick, 'a')),
  );
}

/**
 * Long formulas: sums, products, mixed chains and `and` chains of up to thousands of terms (each
 * operator in a chain is one level deep), calls with thousands of arguments, and formulas padded
 * past the length limit.
 */
export function longFormula(): fc.Arbitrary<string> {
  const terms = around(DEPTH, 5000);
  const ops = fc.array(fc.constantFrom(' + ', ' - ', ' * ', ' / ', ' and ', ' or ', ' < '), {
    minLength: 1,
    maxLength: 16,
  });
  return fc.oneof(
    terms.map((k) => Array.from({ length: k }, () => 'a').join(' + ')),
    terms.map((k) => Array.from({ length: k }, () => 'a').join(' and ')),
    fc
      .tuple(terms, ops)
      .map(([k, o]) => Array.from({ length: k }, (_, i) => (i === 0 ? 'a' : `${o[i % o.length]}a`)).join('')),
    around(defaults.MAX_FORMULA_NODES, 6000).map(
      (k) => `max(${Array.from({ length: k }, () => 'a').join(', ')})`,
    ),
    // Balanced groups: many nodes, little depth.
    fc
      .tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }))
      .map(([g, k]) =>
        Array.from({ length: g }, () => `(${Array.from({ length: k }, () => 'a').join(' + ')})`).join(' + '),
      ),
    around(defaults.MAX_FORMULA_LENGTH, 40_000).map((k) => `a + ${'0'.repeat(k)}`),
  );
}

/**
 * Formulas aimed at the parser rather than at depth: `%` operands nested in brackets (mathjs parses
 * each twice, so time doubles per level), brackets hidden in strings and comments, unbalanced
 * brackets, long member chains, and non-finite literals.
 */
export function trickyFormula(): fc.Arbitrary<string> {
  const n = around(DEPTH, 3000);
  return fc.oneof(
    fc.integer({ min: 1, max: 40 }).map((k) => `${'a % ('.repeat(k)}a${')'.repeat(k)}`),
    fc.integer({ min: 1, max: 40 }).map((k) => `${'a % -('.repeat(k)}a${')'.repeat(k)}`),
    n.map((k) => `${'(")" '.repeat(k)}a${')'.repeat(k)}`),
    n.map((k) => `${"(')' ".repeat(k)}a${')'.repeat(k)}`),
    n.map((k) => `${'( # )\n'.repeat(k)}a${')'.repeat(k)}`),
    n.map((k) => '('.repeat(k)),
    n.map((k) => `a${'.b'.repeat(k)}`),
    n.map((k) => `a${'[1]'.repeat(k)}`),
    n.map((k) => `${'['.repeat(k)}a${']'.repeat(k)}`),
    n.map((k) => `${'x = '.repeat(k)}a`),
    fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', 'a + 1e309', '2 * NaN', 'a % (a +', '50%'),
  );
}

/** Any of the hostile formulas. */
export function hostileFormula(): fc.Arbitrary<string> {
  return fc.oneof(deepFormula(), longFormula(), trickyFormula());
}

/** A small valid scenario (as data) with `formula` in one of the places formulas go. */
function withFormula(formula: string, place: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    id: 'hostile',
    title: 'A hostile formula',
    horizon: { steps: 3 },
    params: { a: 0.75, p: 0.1 },
    derived: { d: 'a * 2' },
    state: { s: { init: 'a', update: 's * 0.9' } },
    events: { shock: { hazard: 'p' } },
    outcomes: { o: { when: 's < 0.5' } },
    primary: 'o',
  };
  switch (place % 5) {
    case 0:
      doc.derived = { d: formula };
      break;
    case 1:
      doc.state = { s: { init: 'a', update: formula } };
      break;
    case 2:
      doc.outcomes = { o: { when: formula } };
      break;
    case 3:
      doc.events = { shock: { hazard: `clamp(${formula}, 0, 1)` } };
      break;
    default:
      doc.state = { s: { init: formula, update: 's * 0.9' } };
  }
  return doc;
}

/** Scenario texts (YAML) with one hostile formula in a derived value, a state, an outcome or a hazard. */
export function hostileFormulaScenario(): fc.Arbitrary<string> {
  return fc
    .tuple(hostileFormula(), fc.nat())
    .map(([f, place]) => stringify(withFormula(f, place), { lineWidth: 0 }));
}

const BASE = `id: hostile
title: A hostile document
horizon: { steps: 3 }
params:
  a: 0.5
outcomes:
  o: { when: "a > 0.4" }
primary: o
`;

/** Characters that cannot be seen, or look like a space, for names. */
export const INVISIBLE_CHARACTERS: readonly string[] = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u202e',
  '\u2066',
  '\u00a0',
  '\u3000',
  '\u0007',
  '\u001b',
  '\u0085',
  '\u2028',
  '\ue000',
];

/** A valid scenario in which one name (param, derived, state, event, outcome) has an invisible character. */
export function invisibleName(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...INVISIBLE_CHARACTERS), fc.integer({ min: 0, max: 4 }), fc.nat({ max: 3 }))
    .map(([ch, section, at]) => {
      const name = `oil_${'x'.repeat(at)}`;
      const bad = `${name.slice(0, at + 1)}${ch}${name.slice(at + 1)}`;
      const doc: Record<string, unknown> = {
        id: 'hostile',
        title: 'An invisible character',
        horizon: { steps: 3 },
        params: { a: 0.5 },
        outcomes: { o: { when: 'a > 0.4' } },
        primary: 'o',
      };
      const sections = ['params', 'derived', 'state', 'events', 'outcomes'] as const;
      const where = sections[section]!;
      const value =
        where === 'params'
          ? 0.2
          : where === 'derived'
            ? 'a * 2'
            : where === 'state'
              ? { init: 'a' }
              : where === 'events'
                ? { hazard: 0.1 }
                : { when: 'a > 0.9' };
      doc[where] = { ...((doc[where] as Record<string, unknown> | undefined) ?? {}), [bad]: value };
      return stringify(doc, { lineWidth: 0 });
    });
}

/** A valid scenario with one number replaced by a non-finite one: .nan, .inf, -.inf, 1e309 (YAML or formula). */
export function nonFiniteNumbers(): fc.Arbitrary<string> {
  const bad = fc.constantFrom('.nan', '.NaN', '.inf', '-.inf', '+.inf', '1e309', '-1e309', '1.8e308');
  return fc.tuple(bad, fc.integer({ min: 0, max: 6 })).map(([x, place]) => {
    switch (place) {
      case 0:
        return BASE.replace('a: 0.5', `a: ${x}`);
      case 1:
        return BASE.replace('steps: 3', `steps: ${x}`);
      case 2:
        return BASE.replace('a: 0.5', `a: { dist: normal, mean: ${x}, sd: 1 }`);
      case 3:
        return `${BASE}derived:\n  d: ${x}\n`;
      case 4:
        return `${BASE}state:\n  s: { init: ${x}, update: "s" }\n`;
      case 5:
        return BASE.replace(
          '"a > 0.4"',
          `"a > ${x.replace(/^\.nan$|^\.NaN$/, 'NaN').replace('.inf', 'Infinity')}"`,
        );
      default:
        return BASE.replace('a: 0.5', `a: { dist: uniform, min: 0, max: ${x} }`);
    }
  });
}

/** A valid scenario with `n` params: `p0: 0`, `p1: 1`, … (one mapping with many keys). */
export function manyKeysText(n: number): string {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(`  p${i}: ${i % 7}`);
  return BASE.replace('params:\n  a: 0.5\n', `params:\n  a: 0.5\n${keys.join('\n')}\n`);
}

/** A "billion laughs": `levels` anchors, each a list of `width` aliases of the one before. */
export function aliasBombText(levels: number, width: number): string {
  const lines = ['lol0: &lol0 [lol]'];
  for (let i = 1; i <= levels; i++)
    lines.push(`lol${i}: &lol${i} [${Array.from({ length: width }, () => `*lol${i - 1}`).join(', ')}]`);
  return `${BASE}${lines.join('\n')}\n`;
}

/** Mappings (or lists) nested `n` deep inside a param. */
export function deepDocumentText(n: number, flow: boolean): string {
  if (flow) return BASE.replace('a: 0.5', `a: ${'['.repeat(n)}1${']'.repeat(n)}`);
  const lines: string[] = [];
  // One more space a level (the text grows as n²/2: 2,000 levels are 2 MB).
  for (let i = 0; i < n; i++) lines.push(`${' '.repeat(3 + i)}k${i}:`);
  return BASE.replace('  a: 0.5\n', `  a: 0.5\n  deep:\n${lines.join('\n')} 1\n`);
}

/**
 * Documents that are odd rather than wrong-headed: many keys in one mapping, alias chains (a few
 * reuses pass, a billion laughs does not), collections nested far too deep, duplicate keys (also
 * `1` and `"1"`), non-finite numbers, invisible characters in names, and a second YAML document.
 */
export function hostileDocument(options: { maxKeys?: number } = {}): fc.Arbitrary<string> {
  const maxKeys = options.maxKeys ?? 5000;
  return fc.oneof(
    fc.integer({ min: 0, max: maxKeys }).map(manyKeysText),
    fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))
      .map(([levels, width]) => aliasBombText(levels, width)),
    around(defaults.MAX_DOCUMENT_DEPTH, 20_000).map((n) => deepDocumentText(n, true)),
    around(defaults.MAX_DOCUMENT_DEPTH, 2_000).map((n) => deepDocumentText(n, false)),
    fc.constantFrom(
      `${BASE}params:\n  b: 1\n`,
      BASE.replace('a: 0.5', 'a: 0.5\n  1: 2\n  "1": 3'),
      `${BASE}---\nid: second\n`,
      BASE.replace('a: 0.5', 'a: &x 0.5\n  b: *x\n  c: *x'),
    ),
    nonFiniteNumbers(),
    invisibleName(),
  );
}
