import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../src/formula/check.js';
import { exprToClosure } from '../src/formula/closure.js';
import { exprToJs } from '../src/formula/codegen.js';
import { helpers } from '../src/formula/functions.js';
import { checkFormula, type Expr, type FormulaScope } from '../src/index.js';

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
        /^(s\d+|v|S|H|P|fp|t|x|u|acc|dn|nx|fired|left|onStep|fail|next|open|trial|return|function|let|if|else|for|break|undefined|fill|value|probability|Math|pow|exp|normal|bernoulli|logistic|e)$/.test(
          w,
        ),
        w,
      ).toBe(true);
  });
});
