import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../src/formula/check.js';
import { exprToClosure } from '../src/formula/closure.js';
import { exprToJs } from '../src/formula/codegen.js';
import { helpers } from '../src/formula/functions.js';
import { measureFormulaText, measureTree, parseFormula } from '../src/formula/mathjs.js';
import { checkFormula, defaults, type Expr, type FormulaScope, loadScenario, run } from '../src/index.js';

const NAMES = ['oil_share', 'arms', 'pressure'];
const scope: FormulaScope = {
  symbol: (n) => (NAMES.includes(n) ? NAMES.indexOf(n) : n === 't' ? 9 : undefined),
  member: (o, m) => (o === 'turkey' && m === 'vocal' ? 5 : { message: `no ${o}.${m}` }),
  names: () => [...NAMES, 't'],
  site: (k) => k,
};

const problems = (text: string) => {
  const r = checkFormula(text, scope);
  return r.ok ? [] : r.problems;
};

describe('formula checking', () => {
  it('accepts arithmetic, comparisons, logic, conditionals and whitelisted functions', () => {
    for (const f of [
      '0.5 * oil_share + arms',
      '2 arms',
      'clamp(pressure + normal(0, 0.1), 0, 1)',
      'turkey.vocal ? 0.2 : 0.01',
      'not (oil_share > 0.3) and arms <= 2 or t == 3',
      'logistic(-2 + 3 * pressure) ^ 2 % 5',
      'max(oil_share, arms, pressure)',
      'true',
    ]) {
      expect(problems(f), f).toEqual([]);
    }
  });

  it('names an unknown variable, suggests the closest and points at its column', () => {
    const [p] = problems('0.5 * oil_shar + arms');
    expect(p).toMatchObject({
      code: 'formula.unknown-name',
      suggestion: 'did you mean "oil_share"?',
      offset: 6,
    });
  });

  it('rejects functions outside the whitelist, with a suggestion', () => {
    const [p] = problems('sqr(arms)');
    expect(p?.code).toBe('formula.unknown-function');
    expect(p?.suggestion).toBe('did you mean "sqrt"?');
    expect(problems('evaluate("1+1")')[0]?.code).toBe('formula.unknown-function');
    expect(problems('import(arms)')[0]?.code).toBe('formula.unknown-function');
  });

  it('rejects the wrong number of arguments', () => {
    expect(problems('normal(1)')[0]).toMatchObject({ code: 'formula.arity' });
    expect(problems('clamp(1, 2)')[0]).toMatchObject({ code: 'formula.arity' });
  });

  it('rejects assignments, function definitions, strings, matrices and property access', () => {
    expect(problems('arms = 3')[0]?.code).toBe('formula.node');
    expect(problems('f(x) = x')[0]?.code).toBe('formula.node');
    expect(problems('[1, 2]')[0]?.code).toBe('formula.node');
    expect(problems('"abc"')[0]?.code).toBe('formula.value');
    expect(problems('arms.constructor')[0]?.code).toBe('formula.unknown-member');
    expect(problems('arms; arms')[0]?.code).toBe('formula.node');
  });

  it('reports a syntax error with its position', () => {
    const [p] = problems('0.5 * (arms + ');
    expect(p?.code).toBe('formula.syntax');
    expect(p?.offset).toBeGreaterThan(0);
  });

  it('reports every problem, not only the first', () => {
    expect(problems('foo + bar(1) + normal(1)')).toHaveLength(3);
  });

  it('records the names a formula reads (for dependency order)', () => {
    const r = checkFormula('arms + turkey.vocal * oil_share', scope);
    expect(r.ok && [...r.deps].sort()).toEqual(['arms', 'oil_share', 'turkey']);
  });
});

/** Random expressions over 3 slots, including random draws and every operator. */
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.double({ min: -5, max: 5, noNaN: true }).map((value): Expr => ({ kind: 'num', value })),
    fc.integer({ min: 0, max: 2 }).map((slot): Expr => ({ kind: 'slot', slot })),
    tie('e').map((arg): Expr => ({ kind: 'neg', arg })),
    tie('e').map((arg): Expr => ({ kind: 'not', arg })),
    fc
      .tuple(fc.constantFrom(...Object.values(OPERATORS)), tie('e'), tie('e'))
      .map(([op, left, right]): Expr => ({ kind: 'bin', op, left, right })),
    fc
      .tuple(tie('e'), tie('e'), tie('e'))
      .map(([test, whenTrue, whenFalse]): Expr => ({ kind: 'cond', test, whenTrue, whenFalse })),
    fc
      .tuple(fc.constantFrom('abs', 'exp', 'logistic', 'tanh', 'floor' as const), tie('e'))
      .map(([fn, a]): Expr => ({ kind: 'call', fn, args: [a] })),
    fc
      .tuple(tie('e'), tie('e'), tie('e'))
      .map(([a, b, c]): Expr => ({ kind: 'call', fn: 'clamp', args: [a, b, c] })),
    fc.tuple(tie('e'), tie('e')).map(([a, b]): Expr => ({ kind: 'call', fn: 'max', args: [a, b] })),
    fc
      .tuple(fc.integer({ min: 0, max: 1 }), tie('e'))
      .map(
        ([site, a]): Expr => ({ kind: 'rand', fn: 'normal', site, args: [a, { kind: 'num', value: 0.5 }] }),
      ),
    fc
      .tuple(fc.integer({ min: 0, max: 1 }), tie('e'))
      .map(
        ([site, a]): Expr => ({ kind: 'rand', fn: 'uniform', site, args: [{ kind: 'num', value: -1 }, a] }),
      ),
  ),
})).e;

describe('generated code and the closure fallback', () => {
  it('give identical bits and consume the same random numbers', () => {
    fc.assert(
      fc.property(
        exprArb,
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (e, slots) => {
          const v = Float64Array.from(slots);
          const S1 = new Float64Array([0.1, 0.2, 0.3, 1, 0.4, 0.5, 0.6, 1]);
          const S2 = Float64Array.from(S1);
          const generated = new Function('H', `return (v, S) => ${exprToJs(e)};`)(helpers) as (
            v: Float64Array,
            S: Float64Array,
          ) => number;
          const a = generated(v, S1);
          const b = exprToClosure(e)(v, S2);
          expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))).toBe(true);
          expect([...S1]).toEqual([...S2]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('only numbers, indices and whitelisted names reach the source', () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        const src = exprToJs(e);
        // Identifiers in the output come from a fixed vocabulary.
        const words = src.match(/[A-Za-z_$][\w$]*/g) ?? [];
        const allowed = new Set([
          'v',
          'S',
          'H',
          'Math',
          'pow',
          'abs',
          'exp',
          'logistic',
          'tanh',
          'floor',
          'clamp',
          'max',
          'mod',
          'normal',
          'uniform',
          'e',
        ]);
        for (const w of words) expect(allowed.has(w), `${w} in ${src}`).toBe(true);
      }),
    );
  });
});

describe('the generated trial function', () => {
  it('contains no text from the scenario: names become slot numbers', async () => {
    const { model, scenario } = await import('./helpers.js');
    const { trialSource } = await import('../src/index.js');
    const m = model(
      scenario(
        'params:\n  process: 0.1\n  alert: { dist: normal, mean: 0, sd: 1 }\nstate:\n  constructor_x: { init: 0, update: "constructor_x + alert" }\noutcomes:\n  o: { when: "bernoulli(process)" }',
      ),
    );
    const src = trialSource(m.plan);
    for (const name of ['process', 'alert', 'constructor']) expect(src).not.toContain(name);
    const words = new Set(src.match(/[A-Za-z_$][\w$]*/g));
    for (const w of words)
      expect(
        /^(s\d+|z\d+|v|S|H|P|C|Z|U|fp|t|x|u|acc|dn|nx|fired|left|onStep|stopOn|K|j|pa|pw|L\d+|fail|next|open|trial|return|function|let|if|else|for|break|undefined|fill|value|probability|Math|pow|exp|normal|bernoulli|logistic|e)$/.test(
          w,
        ),
        w,
      ).toBe(true);
  });
});

describe('resource limits on formulas', () => {
  const { MAX_FORMULA_DEPTH, MAX_FORMULA_LENGTH, MAX_FORMULA_NODES } = defaults;
  const repeat = (n: number, s: string, sep = ''): string => Array.from({ length: n }, () => s).join(sep);
  /** Formula shapes n levels deep, each of which used to overflow the stack or crash `new Function`. */
  const SHAPES: Record<string, (n: number) => string> = {
    'nested not': (n) => `${'not '.repeat(n)}arms`,
    'unary minus': (n) => `${'-'.repeat(n)}arms`,
    brackets: (n) => `${'('.repeat(n)}arms${')'.repeat(n)}`,
    calls: (n) => `${'abs('.repeat(n)}arms${')'.repeat(n)}`,
    'conditionals, right': (n) => `${'arms > 0 ? 1 : '.repeat(n)}0`,
    'conditionals, left': (n) => `${'('.repeat(n)}arms${' ? 1 : 0)'.repeat(n)}`,
    'a sum': (n) => repeat(n + 1, 'arms', ' + '),
    'a chain of and': (n) => repeat(n + 1, 'arms', ' and '),
    '^ (right-associative)': (n) => repeat(n + 1, 'arms', ' ^ '),
    'a mixture': (n) => {
      const wrap = [
        ['not (', ')'],
        ['-', ''],
        ['clamp(', ', 0, 1)'],
        ['(arms > 1 ? ', ' : 2)'],
      ] as const;
      let before = '';
      let after = '';
      for (let i = 0; i < n; i++) {
        before += wrap[i % 4]![0];
        after = wrap[i % 4]![1] + after;
      }
      return `${before}arms${after}`;
    },
  };
  const ok = (text: string): boolean => checkFormula(text, scope).ok;
  const scenarioWith = (formula: string): string =>
    `id: t\ntitle: t\nhorizon: { steps: 2 }\nparams: { arms: 0.75 }\nderived:\n  d: ${JSON.stringify(formula)}\noutcomes: { o: { when: "d > 0" } }\nprimary: o\n`;

  it.each(Object.entries(SHAPES))(
    '%s thousands deep: a clear error with the limit and the value, no crash',
    (_name, shape) => {
      for (const n of [2_000, 5_000]) {
        const [p, ...rest] = problems(shape(n));
        expect(rest).toEqual([]);
        // Too deep, or (a long flat chain) too long to look at first.
        expect(p?.message).toMatch(/\d[\d,]* (levels deep|characters long); the limit is [\d,]+$/);
        expect(p?.code).toBe(p?.message.includes('levels') ? 'formula.too-deep' : 'formula.too-large');
        expect(p?.suggestion).toMatch(/derived values/);
      }
    },
  );

  it.each(Object.entries(SHAPES))(
    '%s: the deepest that validates compiles to generated code and to closures and runs',
    (_name, shape) => {
      let n = 1;
      while (ok(shape(n + 1))) n++;
      expect(n).toBeGreaterThan(MAX_FORMULA_DEPTH / 3);
      expect(problems(shape(n + 1))[0]?.code).toBe('formula.too-deep');
      for (const backend of ['codegen', 'closure'] as const) {
        const m = loadScenario(scenarioWith(shape(n)), { backend });
        if (!m.ok) throw new Error(m.issues.map((i) => i.message.slice(-200)).join('\n'));
        expect(m.value.backend).toBe(backend);
        expect(run(m.value, { runs: 1 }).runs).toBe(1);
      }
    },
  );

  it('the largest formulas by node count and by length compile on both back ends', () => {
    // n terms in bracketed groups of 40: many nodes, little depth (a sum of n terms would be n deep).
    const grouped = (n: number): string =>
      Array.from(
        { length: Math.ceil(n / 40) },
        (_, g) => `(${repeat(Math.min(40, n - 40 * g), '1', '+')})`,
      ).join('+');
    let n = 1;
    while (ok(grouped(n + 1))) n++;
    const widest = grouped(n);
    expect(measureTree(parseFormula(widest)).nodes).toBeGreaterThan(MAX_FORMULA_NODES - 4);
    expect(problems(grouped(n + 1))[0]?.message).toMatch(
      /^the formula has 2,00\d names, numbers and operations; the limit is 2,000$/,
    );
    const longest = `arms + ${'0'.repeat(MAX_FORMULA_LENGTH - 7)}`;
    expect(longest).toHaveLength(MAX_FORMULA_LENGTH);
    for (const f of [widest, longest]) {
      for (const backend of ['codegen', 'closure'] as const) {
        const m = loadScenario(scenarioWith(f), { backend });
        if (!m.ok) throw new Error(m.issues.map((i) => i.message.slice(-200)).join('\n'));
        expect(run(m.value, { runs: 1 }).runs).toBe(1);
      }
    }
    expect(problems(`${longest}0`)[0]).toMatchObject({
      code: 'formula.too-large',
      message: 'the formula is 10,001 characters long; the limit is 10,000',
    });
  });

  it('points at the place where the nesting passes the limit', () => {
    const [p] = problems(`${'not '.repeat(5000)}arms`);
    // The 100th `not` makes the 101st level (the name is the first).
    expect(p?.offset).toBe(4 * (MAX_FORMULA_DEPTH - 1));
  });

  it('% operands nested in brackets are refused before mathjs parses them (each level doubles its work)', () => {
    const t0 = performance.now();
    const [p] = problems(`${'arms % ('.repeat(40)}arms${')'.repeat(40)}`);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(p?.code).toBe('formula.too-deep');
    expect(p?.message).toContain('the limit is 4');
    expect(problems(`${'arms % ('.repeat(4)}arms${')'.repeat(4)}`)).toEqual([]);
  });

  it('brackets hidden in strings or comments do not hide the nesting', () => {
    for (const f of [
      `${'(")" '.repeat(3000)}arms${')'.repeat(3000)}`,
      `${"(')' ".repeat(3000)}arms${')'.repeat(3000)}`,
      `${'( # )\n'.repeat(3000)}arms${')'.repeat(3000)}`,
    ]) {
      expect(problems(f)[0]?.code).toBe('formula.too-deep');
    }
  });

  it('a % with nothing parseable after it is refused, not read as a percentage that drops the rest', () => {
    expect(problems('arms % (pressure +')[0]?.code).toBe('formula.operator');
    expect(problems('50%')[0]?.code).toBe('formula.operator');
    expect(problems('arms % 3')).toEqual([]);
  });

  it('NaN, Infinity and 1e309 are named as written: not finite numbers', () => {
    for (const [f, literal, offset] of [
      ['NaN + arms', 'NaN', 0],
      ['arms * Infinity', 'Infinity', 7],
      ['arms + 1e309', '1e309', 7],
    ] as const) {
      const [p] = problems(f);
      expect(p).toMatchObject({
        code: 'formula.not-finite',
        message: `${literal} is not a finite number`,
        offset,
      });
    }
  });

  /** Tokens of mathjs's grammar, to build formulas the measure must not misjudge. */
  const TOKENS = [
    'arms',
    'pressure',
    '2',
    '1e-3',
    '.5',
    '2.',
    '0x1F',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '-',
    '+',
    'not',
    '^',
    '.^',
    '?',
    ':',
    '*',
    '/',
    '%',
    'and',
    'or',
    'abs(',
    'max(',
    ',',
    ';',
    '!',
    '?.',
    '??',
    ' ',
    '\n',
    '#c\n',
    '=',
    '==',
    '!=',
    '<=',
    '.',
    'a.b',
    'mod',
    'in',
    'to',
    '~',
    '<',
    '>>>',
    '^|',
    '.*',
    '&',
    '|',
    'NaN',
    '2 arms',
    'true',
  ];

  it('the text measure never exceeds the parse tree: nothing valid is refused by the pre-check', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), (tokens) => {
        const text = tokens.join('');
        let root: ReturnType<typeof parseFormula>;
        try {
          root = parseFormula(text);
        } catch {
          return;
        }
        let percentage = false;
        root.traverse((n) => {
          if ((n as { isPercentage?: boolean }).isPercentage) percentage = true;
        });
        if (percentage) return; // refused anyway: mathjs dropped the rest of the text
        // Off by one only for an empty [] or {} (never valid).
        expect(measureFormulaText(text).depth).toBeLessThanOrEqual(measureTree(root).depth + 1);
      }),
      { numRuns: 3000 },
    );
  });

  it('mathjs never overflows: any formula, however deep, is checked without a stack overflow', () => {
    const run = fc.tuple(fc.constantFrom(...TOKENS, '"', "'"), fc.integer({ min: 1, max: 3000 }));
    fc.assert(
      fc.property(fc.array(run, { maxLength: 6 }), (runs) => {
        const text = runs.map(([t, k]) => t.repeat(k)).join('');
        const r = checkFormula(text, scope);
        if (!r.ok) for (const p of r.problems) expect(p.message).not.toMatch(/call stack|recursion/i);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the parser built from mathjs's factories", () => {
  // The reference: mathjs's own instance with everything parse depends on (what formula/mathjs.ts
  // used before). Both must give the same tree, or the same error, for any text.
  const reference = async () => {
    const { create, parseDependencies } = await import('mathjs');
    const math = create({ parseDependencies: parseDependencies! });
    return (text: string) => outcome(() => math.parse(text));
  };
  const outcome = (parse: () => unknown): string => {
    try {
      return JSON.stringify(parse());
    } catch (e) {
      return `error: ${e instanceof Error ? e.message : String(e)}`;
    }
  };
  const ours = (text: string) => outcome(() => parseFormula(text));

  it('gives the same trees and errors as mathjs with all its parse dependencies', async () => {
    const theirs = await reference();
    const corpus = [
      '0.5 * oil_share + normal(0, 0.1)',
      'turkey.vocal ? 0.2 : 0.01',
      'not (a > 0.3) and b <= 2 or t == 3 xor c != 1',
      '2 arms - -x ^ 2 % 3 mod 4',
      '0x1F + 0b101 + 0o17 + 0xffi8 + 1e3 + .5 + 2.5e-3 + 1e999',
      'true + false + null + undefined + NaN + Infinity + pi + e',
      'x[1] + y[1:3] + {a: 1}.a + [1, 2; 3, 4]',
      'f(x) = 2 x; a = 1; b',
      '"string" + \'single\'',
      '3 cm + 5 inch to m',
      'a ?? b + x?.y + x?.["y"]',
      '50% + 10 %',
      'a > b > c <= d',
      'x!',
      "x'",
      '1:2:10',
      'a ? b ? c : d : e',
      '',
      '(',
      '1 +',
      'a b c',
      '#comment\n1',
      'sqrt(-4) + abs(x) + max(a, b, c)',
      '\u00e9t\u00e9 + \u{1D400}',
    ];
    for (const text of corpus) expect(ours(text), text).toBe(theirs(text));
    // Token soup: random sequences of everything mathjs reads, most of them not formulas at all.
    const token = fc.constantFrom(
      ...'a b x1 t pi e true NaN 0 1 2.5 .5 1e3 0x1f 0b1 "s" ( ) [ ] { } , ; : ? . + - * / ^ % ! \' = == != < > <= >= and or not xor mod to in ?? ?. .* ./ .^ & | ~ << >> >>> \n # cm'.split(
        ' ',
      ),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const text = tokens.join(' ');
        expect(ours(text)).toBe(theirs(text));
      }),
      { seed: 20261129, numRuns: 3000 },
    );
  });

  it('cannot evaluate, compile or print as LaTeX: those need what it was not given', () => {
    const tree = parseFormula('x[1] + 2');
    expect(() => (tree as unknown as { evaluate: () => unknown }).evaluate()).toThrow();
    expect(tree.toString()).toBe('x[1] + 2');
  });
});
