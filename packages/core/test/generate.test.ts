import { describe, expect, it } from 'vitest';
import { bindParams, type CompiledModel, run, SimulationError, simulate, trace } from '../src/index.js';
import {
  CHUNK_CHARS,
  estimatedBytecode,
  SPLIT_BYTECODE,
  trialFactory,
  trialSource,
} from '../src/model/generate.js';
import { fixedSlots, stepDerived } from '../src/model/hoist.js';
import { model, scenario } from './helpers.js';

/** The model with its trial function laid out as one function (false) or in chunks (true). */
const laidOut = (m: CompiledModel, split: boolean): CompiledModel => ({
  ...m,
  trial: trialFactory(m.plan, { split })(m.plan),
});

/** Every back end and layout of a scenario: generated (as compiled, one function, split) and closures. */
const backends = (text: string): Record<string, CompiledModel> => {
  const m = model(text);
  return {
    codegen: m,
    single: laidOut(m, false),
    split: laidOut(m, true),
    closure: model(text, { backend: 'closure' }),
  };
};

const slotsOf = (m: CompiledModel, names: string[]): number[] =>
  names.map((n) => m.plan.slotNames.indexOf(n));

describe('derived values fixed for the trial (hoist.ts)', () => {
  const hoistText = scenario(`params:
  a: { dist: uniform, min: 1, max: 2 }
  b: 3
  k: 1
state:
  x: { init: 0, update: "x + a" }
regimes:
  r: { states: [calm, hot], initial: calm, transitions: { calm: { hot: 0.1 } } }
events:
  ev: { hazard: 0.2, effects: [{ scale: k, by: 2 }] }
derived:
  ab: "a * b + pi"
  ab2: "ab / horizon"
  withT: "a * t"
  withState: "x + ab"
  withRegime: "r.hot ? ab : 0"
  drawn: "normal(ab, 1)"
  withK: "k * a"
  afterK: "withK + ab"
outcomes:
  o: { when: "x > 100" }`);
  const m = model(hoistText);

  it('are those that draw nothing and read only params, constants and other fixed values', () => {
    const fixed = fixedSlots(m.plan);
    for (const name of ['a', 'b', 'ab', 'ab2', 'horizon', 'pi'])
      expect(fixed.has(m.plan.slotNames.indexOf(name)), name).toBe(true);
    // t, state, regimes, random draws, and whatever an event changes (and what reads it) are not.
    for (const name of [
      't',
      'x',
      'withT',
      'withState',
      'withRegime',
      'drawn',
      'k',
      'withK',
      'hit',
      'afterHit',
    ])
      expect(fixed.has(m.plan.slotNames.indexOf(name)), name).toBe(false);
    expect(stepDerived(m.plan).map((a) => m.plan.slotNames[a.slot])).toEqual([
      'withT',
      'withState',
      'withRegime',
      'drawn',
      'withK',
      'afterK',
    ]);
  });

  it('are computed once, at step 0: the generated step loop never assigns them', () => {
    const src = trialSource(m.plan);
    const loop = src.slice(src.indexOf('for (t = 1;'));
    for (const [name, slot] of [
      ['ab', slotsOf(m, ['ab'])[0]!] as const,
      ['ab2', slotsOf(m, ['ab2'])[0]!] as const,
    ])
      expect(loop, name).not.toMatch(new RegExp(`\\bs${slot} = `));
    expect(loop).toMatch(new RegExp(`\\bs${slotsOf(m, ['withT'])[0]!} = `));
  });

  it('keep their value in every step of a trace, on every back end, and give the same bits', () => {
    const all = backends(hoistText);
    const reference = run(all.closure!, { runs: 2000, seed: 3 });
    for (const [name, b] of Object.entries(all)) {
      expect(run(b, { runs: 2000, seed: 3 }), name).toEqual(reference);
      const t = trace(b, { trial: 7, seed: 3 });
      expect(t, name).toEqual(trace(all.closure!, { trial: 7, seed: 3 }));
      for (const s of t.steps) expect(s.values.ab2, name).toBe(t.steps[0]!.values.ab2);
    }
  });
});

describe('loop invariants (hoist.ts): computed once a trial, the same bits', () => {
  // A per-step sum whose first terms are fixed (params and a fixed derived value) and whose last is
  // a state; a conditional with a fixed branch; a draw with fixed arguments; and an event that
  // changes a param (`k`), so nothing that reads k is an invariant.
  const text = scenario(`params:
  a: { dist: uniform, min: 1, max: 2 }
  b: { dist: normal, mean: 0, sd: 1 }
  c: { dist: beta, alpha: 2, beta: 3 }
  k: 1
state:
  x: { init: 0, update: "x * 0.9 + ((a * c + b) + exp(c)) * 0.1 + normal(a * c, 0.1)" }
regimes:
  r: { states: [calm, hot], initial: calm, transitions: { calm: { hot: "0.05 * c + 0.01 * t / horizon" } } }
events:
  ev: { hazard: "0.02 * (a + c)", repeat: true, effects: [{ scale: k, by: 1.1 }] }
derived:
  ab: "a * b"
  sum: "((ab + a) + c) + x"
  pick: "r.hot ? max(a, c) * 2 : k * a"
outcomes:
  o: { when: "sum + pick > 8" }
  q: { when: "a * c > 0.9" }`);
  const m = model(text);

  it('are the largest fixed subexpressions of the formulas a step evaluates, never what reads k or t', () => {
    const src = trialSource(m.plan, { split: false });
    const loop = src.slice(src.indexOf('for (t = 1;'));
    const [ab, a, c, x, k] = slotsOf(m, ['ab', 'a', 'c', 'x', 'k']).map((n) => `s${n}`);
    const start = src.slice(0, src.indexOf('for (t = 1;'));
    const hoisted = start.match(/h\d+ = [^;]*;/g) ?? [];
    const name = (js: string): string => {
      const line = hoisted.find((h) => h.endsWith(` = ${js};`));
      if (line === undefined) throw new Error(`${js} is not hoisted: ${hoisted.join(' ')}`);
      return line.slice(0, line.indexOf(' '));
    };
    // `(ab + a) + c` of sum, `((a * c + b) + exp(c)) * 0.1` of x's update, `a * c` in the draw,
    // `max(a, c) * 2` of a conditional's branch, `0.05 * c` of a transition, and outcome q whole.
    const sum = name(`((${ab} + ${a}) + ${c})`);
    name(`((((${a} * ${c}) + s5) + Math.exp(${c})) * 0.1)`);
    name(`(Math.max(${a}, ${c}) * 2)`);
    name(`(0.05 * ${c})`);
    name(`((${a} * ${c}) > 0.9 ? 1 : 0)`);
    // Nothing that reads k (an event scales it) or t (s0).
    expect(hoisted.join(' ')).not.toMatch(new RegExp(`\\b(${k}|s0)\\b`));
    // In the loop: sum adds x to its invariant; what reads k or t is computed every step.
    expect(loop).toContain(`(${sum} + ${x})`);
    expect(loop).toContain(`(${k} * ${a})`);
    expect(loop).toContain('((0.01 * s0) / s1)');
    expect(loop).not.toContain(`(${ab} + ${a})`);
  });

  it('give every back end and layout the same bits, with and without a binding', () => {
    const all = backends(text);
    const reference = run(all.closure!, { runs: 4000, seed: 9 });
    for (const [name, b] of Object.entries(all)) {
      expect(run(b, { runs: 4000, seed: 9 }), name).toEqual(reference);
      expect(trace(b, { trial: 3, seed: 9 }), name).toEqual(trace(all.closure!, { trial: 3, seed: 9 }));
    }
    // A binding makes other params constants and others distributions: the same source, the same bits.
    const binding = { a: 1.5, c: { dist: 'uniform', min: 0.2, max: 0.4 } } as const;
    const bound = bindParams(all.codegen!, binding);
    const boundClosure = bindParams(all.closure!, binding);
    if (!bound.ok || !boundClosure.ok) throw new Error('binding failed');
    expect(run(bound.value, { runs: 4000, seed: 9 })).toEqual(
      run(boundClosure.value, { runs: 4000, seed: 9 }),
    );
  });
});

describe('many params in one function: drawn in a loop, the same bits', () => {
  // 30 params drawn alone (uniform, beta, normal), two constants and a correlated pair; `between`
  // puts a constant after every `between` params, which scatters their slots.
  const manyParams = (between = 0): string => {
    const params = Array.from({ length: 30 }, (_, k) => [
      k % 3 === 0
        ? `  p${k}: { dist: uniform, min: ${k}, max: ${k + 1} }`
        : k % 3 === 1
          ? `  p${k}: { dist: beta, alpha: 2, beta: ${k} }`
          : `  p${k}: { dist: normal, mean: 0, sd: ${k} }`,
      ...(between > 0 && k % between === 0 ? [`  c${k}: ${k}`] : []),
    ]).flat();
    return scenario(`params:
${params.join('\n')}
  k1: 2
  k2: 3
  ca: { dist: normal, mean: 0, sd: 1 }
  cb: { dist: uniform, min: 0, max: 1 }
correlations:
  - { between: [ca, cb], rank: 0.6 }
state:
  x: { init: "p0 + p1 * k1", update: "x + (${Array.from({ length: 30 }, (_, k) => `p${k}`).join(' + ')}) / 100 + ca * cb + normal(0, k2)" }
outcomes:
  o: { when: "x > 40" }`);
  };
  const text = manyParams();

  it('every layout and back end agrees, with and without a binding', () => {
    const all = backends(text);
    // One run of consecutive slots: stored at v[offset + j].
    expect(trialSource(all.codegen!.plan, { split: false })).toMatch(
      /for \(let j = 0; j < 30; j\+\+\) \{ const a = pa\[j\], d = first\(b, k\[j\]\); if \(a === a\) v\[\d+ \+ j\] = /,
    );
    const reference = run(all.closure!, { runs: 3000, seed: 4 });
    for (const [name, b] of Object.entries(all)) {
      expect(run(b, { runs: 3000, seed: 4 }), name).toEqual(reference);
      expect(trace(b, { trial: 5, seed: 4 }), name).toEqual(trace(all.closure!, { trial: 5, seed: 4 }));
    }
    // Bound: a uniform becomes a beta, a beta a number, and a number another number.
    const binding = {
      p0: { dist: 'beta', alpha: 2, beta: 2 },
      p1: 0.25,
      k1: 5,
    } as const;
    const single = bindParams(all.single!, binding);
    const closure = bindParams(all.closure!, binding);
    if (!single.ok || !closure.ok) throw new Error('binding failed');
    expect(run(single.value, { runs: 3000, seed: 4 })).toEqual(run(closure.value, { runs: 3000, seed: 4 }));
  });

  it('a split trial runs statements of one shape as a loop (model/runs.ts), with the same bits', () => {
    const text = scenario(
      `params:\n${Array.from({ length: 20 }, (_, k) => `  w${k}: { dist: uniform, min: 0, max: ${k + 1} }`).join('\n')}\nstate:\n  x: { init: 1, update: "x * 0.95 + normal(0, 0.2)" }\nderived:\n${Array.from({ length: 20 }, (_, k) => `  c${k}: "w${k} * x"`).join('\n')}\n  s: "${Array.from({ length: 20 }, (_, k) => `c${k}`).join(' + ')}"\noutcomes:\n  o: { when: "s > 60" }`,
      'o',
      24,
    );
    const all = backends(text);
    expect(trialSource(all.codegen!.plan, { split: true, checks: 'deferred' })).toMatch(
      /for \(let j = 0; j < 20; j\+\+\) \{ x = \(v\[\d+ \+ j\] \* v\[\d+\]\); chk \+= x; v\[\d+ \+ j\] = x; \}/,
    );
    const reference = run(all.closure!, { runs: 3000, seed: 8 });
    for (const [name, b] of Object.entries(all)) {
      expect(run(b, { runs: 3000, seed: 8 }), name).toEqual(reference);
      expect(trace(b, { trial: 7, seed: 8 }), name).toEqual(trace(all.closure!, { trial: 7, seed: 8 }));
    }
  });

  it('params in a few runs of slots, or scattered, give the same bits as the closures', () => {
    // A constant after every 10th param: 3 runs, a loop each; after every 2nd: 15 runs, one loop
    // over the slot list.
    for (const [between, form] of [
      [10, /(for \(let j = \d+; j < \d+; j\+\+\) \{[^}]*v\[\d+ \+ j\][^}]*\} ){2}for/],
      [2, /for \(let j = 0; j < 30; j\+\+\) \{ [^}]*v\[ps\[j\]\]/],
    ] as const) {
      const all = backends(manyParams(between));
      expect(trialSource(all.codegen!.plan, { split: false })).toMatch(form);
      const reference = run(all.closure!, { runs: 2000, seed: 6 });
      for (const [name, b] of Object.entries(all))
        expect(run(b, { runs: 2000, seed: 6 }), `${between} ${name}`).toEqual(reference);
    }
  });
});

const scenarioText = scenario(
  `params:
  a: { dist: pert, min: 0, mode: 0.3, max: 1 }
  b: { dist: normal, mean: 0, sd: 1 }
  c: { dist: uniform, min: 0.5, max: 2 }
  k: 1
correlations:
  - { between: [a, b], rank: 0.5 }
state:
  x: { init: "a", update: "x * 0.9 + normal(0, 0.1) * c + k" }
  y: { init: 0, update: "y + r.hot" }
regimes:
  r:
    states: [calm, hot]
    initial: calm
    transitions: { calm: { hot: "0.05 * c" }, hot: { calm: 0.2 } }
events:
  ev: { hazard: "0.02 * c", repeat: true, effects: [{ scale: k, by: 1.1 }, { add: x, by: "fixed" }] }
  shock: { at: [5, 9], effects: [{ regime: r, to: hot }, { set: c, to: 1 }] }
derived:
  fixed: "a * c + b"
  ab: "a * b + pi"
  ab2: "ab / horizon"
  mix: "x + ab2 + k"
  noisy: "uniform(0, ab2 + 1)"
outcomes:
  o: { when: "x > 12" }
  q: { when: "ev.count >= 2" }`,
  'o',
  24,
);

describe('one function or chunks: the same bits', () => {
  it('every layout and back end agrees on a scenario with correlations, regimes, events and effects', () => {
    const all = backends(scenarioText);
    const reference = run(all.closure!, { runs: 3000, seed: 11 });
    for (const [name, b] of Object.entries(all))
      expect(run(b, { runs: 3000, seed: 11 }), name).toEqual(reference);
    for (const k of [0, 3, 99]) {
      const t = trace(all.closure!, { trial: k, seed: 11 });
      for (const [name, b] of Object.entries(all)) expect(trace(b, { trial: k, seed: 11 }), name).toEqual(t);
    }
  });

  it('a uniform param drawn inline in chunks follows a binding that makes it another distribution', () => {
    const all = backends(scenarioText);
    const rebind = { c: { dist: 'normal', mean: 1, sd: 0.2 }, k: 2 } as const;
    const bound = Object.entries(all).map(([name, b]) => {
      const r = bindParams(b, rebind);
      if (!r.ok) throw new Error(name);
      return [name, r.value] as const;
    });
    const reference = run(bound[0]![1], { runs: 2000, seed: 5 });
    expect(reference).not.toEqual(run(all.closure!, { runs: 2000, seed: 5 }));
    for (const [name, b] of bound) expect(run(b, { runs: 2000, seed: 5 }), name).toEqual(reference);
  });

  it('a model too large for one optimisable function is split into chunks of bounded size', () => {
    const n = 600;
    const body = [
      'params:',
      ...Array.from({ length: n }, (_, k) => `  w${k}: { dist: uniform, min: 0, max: 1 }`),
      'state:',
      ...Array.from(
        { length: n },
        (_, k) => `  s${k}: { init: 0, update: "s${k} * 0.9 + w${k} * normal(0, 1)" }`,
      ),
      'outcomes:',
      '  o: { when: "s0 + s1 > 3" }',
    ].join('\n');
    const m = model(scenario(body, 'o', 3));
    const single = trialSource(m.plan, { split: false });
    expect(estimatedBytecode(single)).toBeGreaterThan(SPLIT_BYTECODE);
    const src = trialSource(m.plan);
    const chunks = src.split('const f').slice(1);
    expect(chunks.length).toBeGreaterThan(10);
    // Every statement here is short, so a chunk ends within one statement of the budget.
    for (const c of chunks) expect(c.length).toBeLessThan(CHUNK_CHARS + 1000);
    // As compiled (split by size): the same bits as closures.
    expect(m.trial.toString()).not.toContain('s0 = 0'); // slots live in v, not in locals
    const closure = model(scenario(body, 'o', 3), { backend: 'closure' });
    expect(run(m, { runs: 50, seed: 1 })).toEqual(run(closure, { runs: 50, seed: 1 }));
  }, 60_000);

  it('only numbers and indices reach the split and deferred sources', () => {
    const m = model(scenarioText);
    for (const split of [false, true])
      for (const checks of ['each', 'deferred'] as const) {
        const src = trialSource(m.plan, { split, checks });
        const words = new Set(src.match(/[A-Za-z_$][\w$]*/g));
        for (const w of words)
          expect(
            /^(s\d+|z\d+|f\d+|h\d+|hv|new|Float64Array|v|S|H|P|C|Z|U|PA|PW|k|a|fp|t|x|u|acc|dn|nx|fired|left|chk|cs|pk|ps|length|onStep|stopOn|K|j|pa|pw|L\d+|fail|recheck|next|open|first|d|b|Int32Array|trial|return|function|const|let|if|else|for|break|undefined|fill|value|probability|Math|pow|exp|normal|uniform|bernoulli|logistic|e)$/.test(
              w,
            ),
            `${w} (split ${split}, ${checks})`,
          ).toBe(true);
      }
  });
});

describe('deferred checks: a failing trial is replayed with every check', () => {
  /** Scenarios that fail, each in a different place; the closure back end checks every formula. */
  const failing: Record<string, string> = {
    'NaN in a derived value': scenario(
      'state:\n  x: { init: 1, update: "x - 0.5" }\nderived:\n  y: "sqrt(x)"\noutcomes:\n  o: { when: "y > 5" }',
      'o',
      5,
    ),
    // y is NaN only in the recomputation after the event fires; the value kept at the end of the
    // step is finite again. The first failure is still that one.
    'NaN only between an event and the end of its step': scenario(
      'state:\n  x: { init: 1, update: "x + 1" }\nevents:\n  ev: { at: 3, effects: [{ set: x, to: -1 }] }\nderived:\n  y: "sqrt(x)"\noutcomes:\n  o: { when: "x > 50" }',
      'o',
      6,
    ),
    '∞ in a state update, then a bad probability it causes': scenario(
      'params:\n  a: { dist: uniform, min: 0, max: 1 }\nstate:\n  x: { init: 1, update: "x / (t - 4)" }\nevents:\n  ev: { hazard: "x > 10 ? 2 : 0.1", repeat: true }\noutcomes:\n  o: { when: "ev" }',
      'o',
      8,
    ),
    'NaN in an outcome': scenario(
      'state:\n  x: { init: 2, update: "x - 1" }\noutcomes:\n  o: { when: "log(x)" }',
      'o',
      5,
    ),
    'a hazard outside [0, 1]': scenario(
      'state:\n  x: { init: 0, update: "x + 0.3" }\nevents:\n  ev: { hazard: "x", repeat: true }\noutcomes:\n  o: { when: "ev" }',
      'o',
      10,
    ),
    // 30 params drawn in a loop (by the trial itself, not seeded): the replay must draw the same.
    'NaN at a step that the params drawn in a loop decide': scenario(
      `params:\n${Array.from({ length: 30 }, (_, k) => `  p${k}: { dist: uniform, min: 0, max: 1 }`).join('\n')}\nstate:\n  x: { init: 3, update: "x - (${Array.from({ length: 30 }, (_, k) => `p${k}`).join(' + ')}) / 10" }\nderived:\n  y: "sqrt(x)"\noutcomes:\n  o: { when: "y > 5" }`,
      'o',
      12,
    ),
    // 12 derived values of one shape, a loop in the split source (model/runs.ts): one of them is
    // the first NaN, as x falls below zero.
    'NaN in a run of derived values of one shape': scenario(
      `params:\n${Array.from({ length: 12 }, (_, k) => `  w${k}: { dist: uniform, min: ${k}, max: ${k + 1} }`).join('\n')}\nstate:\n  x: { init: 2, update: "x - 0.3 + normal(0, 0.1)" }\nderived:\n${Array.from({ length: 12 }, (_, k) => `  c${k}: "sqrt(x) * w${k}"`).join('\n')}\noutcomes:\n  o: { when: "c0 + c11 > 40" }`,
      'o',
      12,
    ),
    'an effect that gives NaN': scenario(
      'params:\n  h: { dist: uniform, min: 0.1, max: 0.3 }\nstate:\n  x: { init: 1, update: "x" }\nevents:\n  ev: { hazard: "h", effects: [{ scale: x, by: "log(-h)" }] }\noutcomes:\n  o: { when: "x > 5" }',
      'o',
      30,
    ),
  };

  const outcome = (f: () => unknown): unknown => {
    try {
      f();
      return 'no error';
    } catch (e) {
      if (!(e instanceof SimulationError)) throw e;
      return { message: e.message, where: e.where };
    }
  };

  for (const [what, text] of Object.entries(failing)) {
    it(`${what}: the same error, formula, step and trial on every back end and layout`, () => {
      const all = backends(text);
      const expected = outcome(() => run(all.closure!, { runs: 50, seed: 4 }));
      expect(expected).not.toBe('no error');
      for (const [name, b] of Object.entries(all)) {
        expect(b.trial.checked === undefined, name).toBe(name === 'closure');
        expect(
          outcome(() => run(b, { runs: 50, seed: 4 })),
          name,
        ).toEqual(expected);
        // A trace keeps every step up to the failure once, as before.
        expect(trace(b, { trial: 0, seed: 4, keepFailure: true }), name).toEqual(
          trace(all.closure!, { trial: 0, seed: 4, keepFailure: true }),
        );
      }
    });
  }

  it('the fast functions test no formula where it is computed, and the replay tests every one', () => {
    const m = model(scenarioText);
    expect(trialSource(m.plan, { checks: 'deferred' })).not.toContain('fail(');
    expect(trialSource(m.plan, { checks: 'each' })).not.toContain('recheck(');
    expect(trialSource(m.plan, { checks: 'each' }).match(/fail\(/g)!.length).toBeGreaterThan(10);
  });

  it('a sum of checks that overflows without any failure costs a replay, not a result', () => {
    // Every value is finite, but their sum is not: the deferred check trips, the replay passes.
    const text = scenario(
      'params:\n  a: { dist: uniform, min: 1e307, max: 1.7e308 }\nderived:\n  b: "a * 0.9"\nstate:\n  x: { init: "a", update: "x * 0.999" }\noutcomes:\n  o: { when: "x < 1e300" }',
      'o',
      5,
    );
    const all = backends(text);
    const reference = run(all.closure!, { runs: 100, seed: 2 });
    for (const [name, b] of Object.entries(all)) {
      expect(run(b, { runs: 100, seed: 2 }), name).toEqual(reference);
      expect(trace(b, { trial: 1, seed: 2 }), name).toEqual(trace(all.closure!, { trial: 1, seed: 2 }));
    }
    expect(simulate(all.codegen!, { runs: 10 }).tallies.values[0]!.max).toBeGreaterThan(1e307);
  });
});
