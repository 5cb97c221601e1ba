import { describe, expect, it } from 'vitest';
import {
  bindParams,
  compileScenario,
  makeSampler,
  run,
  trace,
  trialSource,
  trialTable,
  validateText,
  variant,
} from '../src/index.js';
import { cholesky, copulaUniform, normalFromRank } from '../src/random/copula.js';
import { issuesOf, model, scenario } from './helpers.js';

/** Spearman's rank correlation (no ties: the params here are continuous). */
function spearman(x: Float64Array, y: Float64Array): number {
  const rank = (a: Float64Array): Float64Array => {
    const idx = Array.from(a.keys()).sort((i, j) => a[i]! - a[j]!);
    const r = new Float64Array(a.length);
    idx.forEach((i, k) => {
      r[i] = k;
    });
    return r;
  };
  const [rx, ry] = [rank(x), rank(y)];
  const n = x.length;
  const mean = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mean) * (ry[i]! - mean);
    sxx += (rx[i]! - mean) ** 2;
  }
  return sxy / sxx;
}

/** Kolmogorov–Smirnov distance between a sample and a continuous CDF. */
function ksDistance(xs: Float64Array, cdf: (x: number) => number): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs((i + 1) / s.length - f));
  });
  return d;
}

const N = 20_000;
/** KS critical distance at α = 1e-6 for n = 20,000. */
const KS_CRITICAL = Math.sqrt(Math.log(2e6) / (2 * N));

const PARAMS = `params:
  a: { dist: uniform, min: 0, max: 10 }
  b: { dist: lognormal, ci90: [1, 6] }
  c: { dist: gamma, shape: 2, scale: 1.5 }
  d: { dist: normal, mean: 0, sd: 1 }
  k: 3
derived:
  total: "a + b + c + d + k"
state:
  x: { init: 0, update: "x + normal(0, 0.1)" }
outcomes:
  o: { when: "bernoulli(0.02) or total > 30" }
report: [x, total]`;

const withCorrelations = (section: string): string => scenario(`${PARAMS}\ncorrelations:\n${section}`);
const columns = (m: ReturnType<typeof model>, runs = N, seed: number | string = 11) => {
  const t = trialTable(m, { runs, seed });
  return Object.fromEntries(t.params.map((name, i) => [name, t.inputs[i]!]));
};

describe('rank correlations through a Gaussian copula', () => {
  for (const r of [-0.7, 0.3, 0.8]) {
    it(`realises a rank correlation of ${r} within ±0.02 over 20,000 trials, marginals unchanged`, () => {
      const m = model(withCorrelations(`  - { between: [a, b], rank: ${r} }`));
      const col = columns(m);
      expect(Math.abs(spearman(col.a!, col.b!) - r)).toBeLessThan(0.02);
      // Each keeps its distribution: KS against its own CDF, and its quantiles.
      const made = makeSampler({ dist: 'lognormal', ci90: [1, 6] });
      if (!made.ok) throw new Error('sampler');
      expect(ksDistance(col.b!, made.sampler.cdf)).toBeLessThan(KS_CRITICAL);
      expect(ksDistance(col.a!, (x) => Math.min(1, Math.max(0, x / 10)))).toBeLessThan(KS_CRITICAL);
      const sorted = [...col.b!].sort((x, y) => x - y);
      for (const q of [0.05, 0.5, 0.95])
        expect(made.sampler.cdf(sorted[Math.floor(q * N)]!)).toBeCloseTo(q, 2);
    });
  }

  it('realises a 3 × 3 group, each pair within ±0.02', () => {
    const m = model(
      withCorrelations(`  - { between: [a, b], rank: 0.5 }
  - { between: [c, b], rank: 0.4, note: judged }
  - { between: [a, c], rank: -0.2 }`),
    );
    expect(m.plan.copulas).toHaveLength(1);
    expect(m.plan.copulas[0]!.members.map((k) => m.plan.slotNames[m.plan.params[k]!.slot])).toEqual([
      'a',
      'b',
      'c',
    ]);
    const col = columns(m);
    expect(Math.abs(spearman(col.a!, col.b!) - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(spearman(col.b!, col.c!) - 0.4)).toBeLessThan(0.02);
    expect(Math.abs(spearman(col.a!, col.c!) + 0.2)).toBeLessThan(0.02);
    const made = makeSampler({ dist: 'gamma', shape: 2, scale: 1.5 });
    if (!made.ok) throw new Error('sampler');
    expect(ksDistance(col.c!, made.sampler.cdf)).toBeLessThan(KS_CRITICAL);
    // d is in no correlation: independent of the group.
    expect(Math.abs(spearman(col.a!, col.d!))).toBeLessThan(0.03);
  });

  it('maps a rank correlation to the normal correlation 2 sin(π r / 6)', () => {
    expect(normalFromRank(0.5)).toBeCloseTo(0.5176380902050415, 15);
    expect(normalFromRank(0)).toBe(0);
    expect(normalFromRank(-1)).toBeCloseTo(-1, 15);
    const f = cholesky([
      [1, 0.5],
      [0.5, 1],
    ]);
    expect(f.ok && f.factor[0]).toEqual([1]);
    // Φ of an extreme score stays inside the uniforms a sampler is checked on.
    expect(copulaUniform(-40)).toBe(2 ** -33);
    expect(copulaUniform(40)).toBe(1 - 2 ** -33);
  });
});

describe('common random numbers and reproducibility', () => {
  const plain = scenario(PARAMS);
  const correlated = withCorrelations(
    '  - { between: [a, b], rank: 0.6 }\n  - { between: [b, c], rank: 0.3 }',
  );

  it('params in no correlation, and the first of a group, draw bit for bit what they draw without the section', () => {
    const before = columns(model(plain), 3000);
    const after = columns(model(correlated), 3000);
    expect([...after.d!]).toEqual([...before.d!]);
    expect([...after.a!]).toEqual([...before.a!]);
    expect([...after.b!]).not.toEqual([...before.b!]);
    // The formula draws (state x) are untouched as well.
    const r0 = run(model(plain), { runs: 3000, seed: 5 });
    const r1 = run(model(correlated), { runs: 3000, seed: 5 });
    expect(r1.values.x).toEqual(r0.values.x);
  });

  it('a scenario without correlations generates the same source as before (no copula code)', () => {
    const src = trialSource(model(plain).plan);
    expect(src).not.toMatch(/\bz0\b|\bZ\(|\bU\(/);
    expect(trialSource(model(correlated).plan)).toMatch(/z1 = Z\(open\(S, \d+\)\); s\d+ = P\[\d+\]\(U\(/);
  });

  it('only numbers and indices reach the generated copula code', () => {
    const m = model(
      scenario(`params:
  process: { dist: uniform, min: 0, max: 1 }
  constructor_x: { dist: normal, mean: 0, sd: 1 }
  alert: { dist: beta, mean: 0.3, sd: 0.1 }
correlations:
  - { between: [process, constructor_x], rank: -0.45 }
  - { between: [alert, process], rank: 0.2 }
outcomes:
  o: { when: "process + alert + constructor_x > 2" }`),
    );
    const src = trialSource(m.plan);
    for (const name of ['process', 'alert', 'constructor']) expect(src).not.toContain(name);
    const words = new Set(src.match(/[A-Za-z_$][\w$]*/g));
    for (const w of words)
      expect(
        /^(s\d+|z\d+|h\d+|hv|new|Float64Array|v|S|H|P|C|Z|U|fp|t|x|u|acc|dn|nx|fired|left|onStep|stopOn|K|j|pa|pw|L\d+|fail|next|open|trial|return|function|let|if|else|for|break|undefined|fill|value|probability|Math|pow|exp|normal|bernoulli|logistic|e)$/.test(
          w,
        ),
        w,
      ).toBe(true);
  });

  it('the code generator and the closure back end agree bit for bit', () => {
    const g = model(correlated);
    const c = model(correlated, { backend: 'closure' });
    expect(g.backend).toBe('codegen');
    expect(c.backend).toBe('closure');
    const [cg, cc] = [columns(g, 5000), columns(c, 5000)];
    for (const name of ['a', 'b', 'c', 'd']) expect([...cg[name]!]).toEqual([...cc[name]!]);
    expect(run(g, { runs: 5000, seed: 3 })).toEqual(run(c, { runs: 5000, seed: 3 }));
  });

  it('a trial traced alone is the trial the run drew', () => {
    const m = model(correlated);
    const col = columns(m, 50, 'replay');
    for (const k of [0, 17, 49]) {
      const values = trace(m, { trial: k, seed: 'replay' }).steps[0]!.values;
      for (const name of ['a', 'b', 'c', 'd']) expect(values[name]).toBe(col[name]![k]);
    }
  });

  it("a later member's value depends on its own stream and the streams before it, not after", () => {
    // Reordering the list reorders the group: with c first, c keeps its own draw and a does not.
    const m = model(
      withCorrelations('  - { between: [c, b], rank: 0.3 }\n  - { between: [a, b], rank: 0.6 }'),
    );
    const before = columns(model(plain), 2000);
    const after = columns(m, 2000);
    expect([...after.c!]).toEqual([...before.c!]);
    expect([...after.a!]).not.toEqual([...before.a!]);
  });
});

describe('binding a correlated param at run time', () => {
  const text = withCorrelations('  - { between: [a, b], rank: 0.6 }\n  - { between: [b, c], rank: 0.3 }');

  it('to a number: only that param changes; the others keep their draws and their correlation', () => {
    const m = model(text);
    const base = columns(m, 3000);
    for (const name of ['a', 'b']) {
      const bound = bindParams(m, { [name]: 4 });
      if (!bound.ok) throw new Error(bound.issues[0]!.message);
      const col = columns(bound.value, 3000);
      expect(col[name]!.every((x) => x === 4)).toBe(true);
      for (const other of ['a', 'b', 'c', 'd'].filter((n) => n !== name))
        expect([...col[other]!]).toEqual([...base[other]!]);
    }
  });

  it('to another distribution: the copula is kept (same ranks), as editing the file would give', () => {
    const m = model(text);
    const dist = { dist: 'uniform', min: -1, max: 1 } as const;
    const bound = bindParams(m, { b: dist });
    if (!bound.ok) throw new Error(bound.issues[0]!.message);
    const [base, col] = [columns(m, 4000), columns(bound.value, 4000)];
    // A strictly increasing quantile of the same copula uniform: ranks, hence Spearman, identical.
    expect(spearman(col.a!, col.b!)).toBe(spearman(base.a!, base.b!));
    expect(Math.abs(spearman(col.a!, col.b!) - 0.6)).toBeLessThan(0.04);
    expect([...col.c!]).toEqual([...base.c!]);
    const valid = validateText(text);
    if (!valid.ok) throw new Error('invalid');
    const edited = variant(valid.value, (d) => {
      d.params!.b = dist;
    });
    if (!edited.ok) throw new Error('variant');
    const fresh = compileScenario(edited.value);
    if (!fresh.ok) throw new Error('compile');
    expect(bound.value.hash).toBe(fresh.value.hash);
    expect(run(bound.value, { runs: 3000, seed: 8 })).toEqual(run(fresh.value, { runs: 3000, seed: 8 }));
  });
});

describe('checking the section', () => {
  const codes = (section: string) => issuesOf(withCorrelations(section));

  it('rejects a matrix that is not positive definite, naming the pair', () => {
    const [issue, ...rest] = codes(`  - { between: [a, b], rank: 0.9 }
  - { between: [b, c], rank: 0.9 }
  - { between: [a, c], rank: -0.9 }`);
    expect(rest).toEqual([]);
    expect(issue!.code).toBe('correlation.inconsistent');
    expect(issue!.path).toEqual(['correlations', 2, 'rank']);
    expect(issue!.line).toBe(21);
    expect(issue!.message).toContain(
      'the pair [a, c] (rank -0.9) conflicts with [a, b] (rank 0.9) and [b, c] (rank 0.9)',
    );
  });

  it('counts pairs that are not listed as independent, and says so', () => {
    const [issue] = codes('  - { between: [a, b], rank: 0.95 }\n  - { between: [b, c], rank: 0.95 }');
    expect(issue!.code).toBe('correlation.inconsistent');
    expect(issue!.path).toEqual(['correlations', 1, 'rank']);
    expect(issue!.message).toContain('[a, c] (not listed, so independent: rank 0)');
  });

  it('rejects an unknown name with a suggestion, a number param, a derived value, a pair with itself, a pair twice', () => {
    const issues = codes(`  - { between: [a, bb], rank: 0.3 }
  - { between: [a, k], rank: 0.3 }
  - { between: [total, a], rank: 0.3 }
  - { between: [c, c], rank: 0.3 }
  - { between: [c, d], rank: 0.3 }
  - { between: [d, c], rank: -0.2 }`);
    const by = (code: string) => issues.filter((i) => i.code === code);
    expect(by('reference.correlated')[0]).toMatchObject({
      path: ['correlations', 0, 'between', 1],
      message: '"bb" is not a param',
      suggestion: 'did you mean "b"?',
    });
    expect(by('correlation.fixed')[0]!.path).toEqual(['correlations', 1, 'between', 1]);
    expect(by('correlation.fixed')[0]!.message).toContain('"k" is a fixed number');
    expect(by('reference.correlated')[1]!.message).toContain('"total" is a derived value, not a param');
    expect(by('correlation.self')[0]!.path).toEqual(['correlations', 3, 'between']);
    expect(by('correlation.duplicate')[0]!.message).toContain('already correlated by entry 5');
    expect(issues).toHaveLength(5);
  });

  it('rejects a constant distribution, a rank of 1 and an unknown field', () => {
    const text = scenario(
      `${PARAMS.replace('k: 3', 'k: { dist: constant, value: 3 }')}\ncorrelations:\n  - { between: [a, k], rank: 0.3 }`,
    );
    expect(issuesOf(text)[0]!.code).toBe('correlation.fixed');
    const [one] = codes('  - { between: [a, b], rank: 1 }');
    expect(one!.message).toContain('strictly between -1 and 1');
    expect(codes('  - { between: [a, b], rank: 0.2, sauce: x }')[0]!.path).toEqual([
      'correlations',
      0,
      'sauce',
    ]);
    const [short] = codes('  - { between: [a], rank: 0.2 }');
    expect(short).toMatchObject({
      path: ['correlations', 0, 'between'],
      message: 'between lists two params, as [first, second]',
    });
    expect(codes('  - { between: a, rank: 0.2 }')).toHaveLength(1);
  });

  it('checks a source it cites', () => {
    const [issue] = codes('  - { between: [a, b], rank: 0.3, source: nowhere }');
    expect(issue).toMatchObject({ code: 'reference.source', path: ['correlations', 0, 'source'] });
  });
});
