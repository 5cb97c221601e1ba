import { describe, expect, it } from 'vitest';
import {
  type DocumentLoader,
  formatIssue,
  loadScenario,
  parseDocument,
  run,
  scenarioJsonSchema,
  validateText,
  variant,
} from '../src/index.js';
import { issuesOf, model } from './helpers.js';

const BASE = `id: base
title: Base
horizon: { steps: 12 }
params:
  h: 0.1
  w: { dist: uniform, min: 0, max: 1 }
events:
  ceasefire: { hazard: 0.05 }
outcomes:
  cooled: { when: "bernoulli(h)" }
primary: cooled
`;

describe('errors point at file, line and column', () => {
  it('a YAML syntax error', () => {
    const [i] = issuesOf('id: x\ntitle: [unclosed\nhorizon: 3\n');
    expect(i).toMatchObject({ file: 'test.yaml', code: 'document.syntax' });
    expect(i!.line).toBeGreaterThanOrEqual(2);
  });

  it('a duplicate key', () => {
    const [i] = issuesOf('id: x\nid: y\n');
    expect(i).toMatchObject({ code: 'document.syntax', line: 2 });
  });

  it('a schema violation: an unknown field with a suggestion and a missing field', () => {
    const issues = issuesOf(BASE.replace('min: 0, max: 1', 'min: 0, maks: 1'));
    expect(issues.map(formatIssue)).toEqual([
      'test.yaml:6:6: params.w.max: "max" is required (expected number)',
      'test.yaml:6:31: params.w.maks: unknown field "maks"; did you mean "max"?',
    ]);
  });

  it('an unknown distribution, with a suggestion', () => {
    const [i] = issuesOf(BASE.replace('dist: uniform', 'dist: unifrom'));
    expect(i).toMatchObject({
      code: 'schema.unknown-kind',
      line: 6,
      path: ['params', 'w', 'dist'],
      suggestion: 'did you mean "uniform"?',
    });
  });

  it('an invalid distribution', () => {
    const [i] = issuesOf(BASE.replace('min: 0, max: 1', 'min: 2, max: 1'));
    expect(formatIssue(i!)).toBe('test.yaml:6:36: params.w.max: max (1) must be greater than min (2)');
  });

  it('an unknown name in a formula: the column of the name itself', () => {
    const [i] = issuesOf(BASE.replace('"bernoulli(h)"', '"bernoulli(hh)"'));
    expect(i).toMatchObject({
      code: 'formula.unknown-name',
      line: 10,
      column: 30,
      suggestion: 'did you mean "h"?',
    });
    expect(i!.path).toEqual(['outcomes', 'cooled', 'when']);
  });

  it('a cycle among derived values, named', () => {
    const [i] = issuesOf(`${BASE}derived:\n  a: "b + 1"\n  b: "c * 2"\n  c: "a"\n`);
    expect(i?.code).toBe('formula.cycle');
    expect(i?.message).toContain('a → b → c → a');
    expect(i?.line).toBe(13);
  });

  it('every problem at once, not only the first', () => {
    const issues = issuesOf(
      BASE.replace('"bernoulli(h)"', '"foo + bar"').replace('hazard: 0.05', 'hazard: "baz"'),
    );
    expect(issues.map((i) => i.code)).toEqual([
      'formula.unknown-name',
      'formula.unknown-name',
      'formula.unknown-name',
    ]);
  });

  it('references: primary, effect targets, regime states, sources, reserved and duplicate names', () => {
    const text = `id: x
title: X
horizon: { steps: 5 }
sources: { mee: { title: Quiet friend } }
params:
  t: 1
  a: { dist: normal, mean: 0, sd: 1, source: mie }
derived:
  a: "1"
regimes:
  r: { states: [calm, hot], initial: clam, transitions: {} }
events:
  e1: { at: 9, effects: [{ set: nope, to: 1 }, { regime: r, to: warm }] }
outcomes:
  o: { when: "1" }
primary: oo
`;
    const codes = issuesOf(text).map((i) => `${i.code} ${i.path.join('.')}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'names.reserved params.t',
        'names.duplicate derived.a',
        'reference.outcome primary',
        'reference.source params.a.source',
        'regime.unknown-state regimes.r.initial',
        'event.after-horizon events.e1.at',
        'reference.target events.e1.effects.0.set',
        'regime.unknown-state events.e1.effects.1.to',
      ]),
    );
  });
});

describe('extends and overrides', () => {
  const files: Record<string, string> = {
    'base.yaml': BASE,
    'variant.yaml': 'extends: ./base.yaml\nid: variant\nparams:\n  h: 0.3\nevents:\n  ceasefire: null\n',
    'bad.yaml': 'extends: ./base.yaml\nparams:\n  w: { max: -1 }\n',
    'loop-a.yaml': 'extends: ./loop-b.yaml\n',
    'loop-b.yaml': 'extends: ./loop-a.yaml\n',
  };
  const loader: DocumentLoader = (ref) => {
    const name = ref.replace('./', '');
    const text = files[name];
    if (text === undefined)
      return { ok: false, issues: [{ path: [], code: 'file.missing', message: `no file ${ref}` }] };
    return parseDocument(text, name);
  };

  it('a variant changes values and removes items; the base is untouched', () => {
    const v = loadScenario(files['variant.yaml']!, { file: 'variant.yaml', loader });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.scenario.id).toBe('variant');
    expect(v.value.scenario.params?.h).toBe(0.3);
    expect(v.value.scenario.events).toEqual({});
    expect(v.value.scenario.params?.w).toEqual({ dist: 'uniform', min: 0, max: 1 });
    expect(run(v.value, { runs: 4000 }).outcomes.cooled!.probability).toBeGreaterThan(
      run(model(BASE), { runs: 4000 }).outcomes.cooled!.probability,
    );
  });

  it('an error in an override points into the file that set the value', () => {
    const r = validateText(files['bad.yaml']!, { file: 'bad.yaml', loader });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ file: 'bad.yaml', line: 3, path: ['params', 'w', 'max'] });
  });

  it('a cycle of extends is reported, not followed forever', () => {
    const r = validateText(files['loop-a.yaml']!, { file: 'loop-a.yaml', loader });
    expect(!r.ok && r.issues[0]?.code).toBe('extends.cycle');
  });

  it('variant() edits a draft with immer and validates the result', () => {
    const base = validateText(BASE);
    if (!base.ok) throw new Error('base invalid');
    const v = variant(base.value, (d) => {
      d.params!.h = 0.5;
      delete d.events!.ceasefire;
    });
    expect(v.ok && v.value.scenario.params?.h).toBe(0.5);
    expect(base.value.scenario.params?.h).toBe(0.1);
    const broken = variant(base.value, (d) => {
      d.primary = 'nothing';
    });
    expect(!broken.ok && broken.issues[0]?.code).toBe('reference.outcome');
  });
});

describe('JSON Schema for editors', () => {
  it('describes the sections and the distributions', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['extends', 'params', 'state', 'regimes', 'events', 'outcomes', 'primary']),
    );
    expect(schema.required).toEqual(
      expect.arrayContaining(['id', 'title', 'horizon', 'outcomes', 'primary']),
    );
    expect(JSON.stringify(schema)).toContain('"truncnormal"');
  });
});
