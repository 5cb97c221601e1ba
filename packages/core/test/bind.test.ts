import { describe, expect, it } from 'vitest';
import { bindParams, compileScenario, run, validateText, variant } from '../src/index.js';
import { model, scenario } from './helpers.js';

const TEXT = scenario(
  `params:
  h: { dist: uniform, min: 0.01, max: 0.1 }
  k: 2
  w: { dist: normal, mean: 0, sd: 1 }
derived:
  d: "h * k"
state:
  x: { init: 0, update: "x + w * 0.1 + normal(0, 0.01)" }
outcomes:
  o: { when: "bernoulli(d)" }
report: [x]`,
  'o',
  24,
);

/** The scenario edited and compiled from scratch: what binding must reproduce bit for bit. */
function recompiled(edit: Record<string, unknown>) {
  const valid = validateText(TEXT);
  if (!valid.ok) throw new Error('invalid');
  const edited = variant(valid.value, (d) => {
    for (const [k, v] of Object.entries(edit)) (d.params as Record<string, unknown>)[k] = v;
  });
  if (!edited.ok) throw new Error(edited.issues.map((i) => i.message).join('; '));
  const m = compileScenario(edited.value);
  if (!m.ok) throw new Error('compile');
  return m.value;
}

describe('binding params at run time', () => {
  for (const [label, edit] of [
    ['a number param to another number', { k: 3 }],
    ['a random param to a number', { h: 0.05 }],
    ['a random param to another distribution', { h: { dist: 'beta', mean: 0.05, sd: 0.02 } }],
    ['several at once', { k: 1.5, w: { dist: 'normal', mean: 0.5, sd: 2 }, h: 0.02 }],
  ] as const) {
    it(`${label} gives bit for bit the result of editing the file and recompiling`, () => {
      const base = model(TEXT);
      const bound = bindParams(base, edit);
      expect(bound.ok).toBe(true);
      if (!bound.ok) return;
      const fresh = recompiled(edit);
      expect(bound.value.hash).toBe(fresh.hash);
      expect(run(bound.value, { runs: 3000, seed: 8 })).toEqual(run(fresh, { runs: 3000, seed: 8 }));
      // The original model is untouched.
      expect(run(base, { runs: 3000, seed: 8 })).toEqual(run(model(TEXT), { runs: 3000, seed: 8 }));
    });
  }

  it('works on the closure back end too', () => {
    const base = model(TEXT, { backend: 'closure' });
    const bound = bindParams(base, { k: 3, h: 0.05 });
    if (!bound.ok) throw new Error('bind');
    expect(run(bound.value, { runs: 2000, seed: 1 })).toEqual(
      run(recompiled({ k: 3, h: 0.05 }), { runs: 2000, seed: 1 }),
    );
  });

  it('refuses unknown names (with a suggestion), a distribution for a number param, and invalid values', () => {
    const r = bindParams(model(TEXT), {
      kk: 1,
      k: { dist: 'uniform', min: 0, max: 1 },
      h: { dist: 'uniform', min: 1, max: 0 },
      w: Number.NaN,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.code)).toEqual([
      'bind.unknown',
      'bind.fixed',
      'bind.distribution',
      'bind.value',
    ]);
    expect(r.issues[0]!.suggestion).toBe('did you mean "k"?');
  });

  it('names the field a bound distribution lacks or gets wrong', () => {
    const r = bindParams(model(TEXT), {
      h: { dist: 'uniform', min: 0 },
      w: { dist: 'uniform', min: 0, max: 'x' },
    } as never);
    expect(!r.ok && r.issues.map((i) => i.message)).toEqual([
      '"h": missing field "max"',
      '"w": max: Invalid input: expected number, received string',
    ]);
  });
});
