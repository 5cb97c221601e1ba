import { describe, expect, it } from 'vitest';
import {
  type DocumentLoader,
  defaults,
  formatIssue,
  loadScenario,
  parseDocument,
  run,
  scenarioJsonSchema,
  validateData,
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

  it('a duplicate key, at the second one, naming the first', () => {
    const [i] = issuesOf('id: x\nid: y\n');
    expect(i).toMatchObject({ code: 'document.duplicate-key', line: 2, column: 1, path: ['id'] });
    expect(i?.message).toBe('duplicate key "id": it is already at line 1, column 1');
  });

  it('a schema violation: a misspelt field is one problem, the unknown field with a suggestion', () => {
    // The missing `max` is the same mistake as the unknown `maks`, so it is not reported again.
    const issues = issuesOf(BASE.replace('min: 0, max: 1', 'min: 0, maks: 1'));
    expect(issues.map(formatIssue)).toEqual([
      'test.yaml:6:31: params.w.maks: unknown field "maks"; did you mean "max"?',
    ]);
  });

  it('a missing required field says so, by name', () => {
    const issues = issuesOf(BASE.replace('min: 0, max: 1', 'min: 0'));
    expect(issues.map(formatIssue)).toEqual([
      'test.yaml:6:6: params.w.max: missing required field "max" (expected number)',
    ]);
    expect(issues[0]?.code).toBe('schema.missing');
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

  it("a distribution of another kind replaces the base's whole; the same kind merges", () => {
    const triangular = BASE.replace(
      '{ dist: uniform, min: 0, max: 1 }',
      '{ dist: triangular, min: 0, mode: 0.2, max: 1 }',
    );
    const child = (params: string) => `extends: ./base.yaml\nparams:\n${params}`;
    const load = (text: string) =>
      loadScenario(text, {
        file: 'child.yaml',
        loader: (ref) => parseDocument(ref === './base.yaml' ? triangular : '', ref),
      });
    // uniform over triangular: the triangular's `mode` does not stay behind (it used to: "unknown field mode").
    const uniform = load(child('  w: { dist: uniform, min: 0, max: 0.5 }\n'));
    expect(uniform.ok && uniform.value.scenario.params?.w).toEqual({ dist: 'uniform', min: 0, max: 0.5 });
    // The same kind, or no `dist`: only the fields given change.
    const same = load(child('  w: { dist: triangular, max: 0.5 }\n'));
    expect(same.ok && same.value.scenario.params?.w).toEqual({
      dist: 'triangular',
      min: 0,
      mode: 0.2,
      max: 0.5,
    });
    const bare = load(child('  w: { mode: 0.3 }\n'));
    expect(bare.ok && bare.value.scenario.params?.w).toEqual({
      dist: 'triangular',
      min: 0,
      mode: 0.3,
      max: 1,
    });
    // A number over a distribution, and a distribution over a number, replace as before.
    const number = load(child('  w: 0.4\n  h: { dist: beta, mean: 0.1, sd: 0.05 }\n'));
    expect(number.ok && number.value.scenario.params).toMatchObject({
      w: 0.4,
      h: { dist: 'beta', mean: 0.1, sd: 0.05 },
    });
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

describe('YAML syntax errors point at the mistake', () => {
  const syntax = (text: string) => {
    const r = parseDocument(text, 'test.yaml');
    if (r.ok) throw new Error('expected a syntax error');
    return r.issues.map((i) => `${i.line}:${i.column} ${i.message}`);
  };

  it('an unclosed "{" is reported at the "{", not on the next line or at the end of the file', () => {
    // The library notices only at line 4 (or at the end of the file): the bracket is on line 3.
    expect(syntax('id: x\ntitle: y\nhorizon: { steps: 12\nparams:\n  a: 1\n')).toEqual([
      '3:10 this "{" is never closed: end the mapping with "}"',
    ]);
    expect(
      syntax('id: x\nparams:\n  a: 1\n  b: { dist: uniform, min: 0, max: 1\n  c: 2\nhorizon: 3\n'),
    ).toEqual(['4:6 this "{" is never closed: end the mapping with "}"']);
    expect(syntax('params:\n  b: { dist: uniform, min: 0, max: 1\n')).toEqual([
      '2:6 this "{" is never closed: end the mapping with "}"',
    ]);
    expect(syntax('{ "id": "x", "title": "y"\n')).toEqual([
      '1:1 this "{" is never closed: end the mapping with "}"',
    ]);
  });

  it('an unclosed "[" is reported at the "["', () => {
    expect(syntax('id: x\nreport: [a, b\nhorizon: 3\n')).toEqual([
      '2:9 this "[" is never closed: end the list with "]"',
    ]);
  });

  it('an unclosed quote is reported where the string starts, once', () => {
    expect(syntax('id: x\ntitle: "abc\nhorizon: 3\nparams:\n  a: 1\n')).toEqual([
      '2:8 the string that starts here is never closed: end it with "',
    ]);
    expect(syntax("id: x\ntitle: 'abc\nhorizon: 3\n")).toEqual([
      "2:8 the string that starts here is never closed: end it with '",
    ]);
    // The string swallows the "}" after it: the unclosed string is the one problem.
    expect(syntax('id: x\nh: { a: "abc }\nz: 1\n')).toEqual([
      '2:9 the string that starts here is never closed: end it with "',
    ]);
  });

  it('bad indentation is reported at the line that is indented wrongly, once', () => {
    // Indented further than its siblings: the library blames the line above, twice.
    expect(syntax('id: x\nparams:\n  a: 1\n   b: 2\n  c: 3\n')).toEqual([
      '4:4 this line is indented further than the line above it, so it reads as the value above going on; indent it as far as the keys beside it',
    ]);
    expect(syntax('id: x\nparams:\n  a: 1\n b: 2\n')).toEqual([
      '4:1 All mapping items must start at the same column',
    ]);
  });

  it('a tab used for indentation is reported on its line', () => {
    expect(syntax('id: x\nparams:\n\ta: 1\n')).toEqual(['3:1 Tabs are not allowed as indentation']);
    expect(syntax('id: x\nparams:\n  a: 1\n\tb: 2\n')).toEqual(['4:1 Tabs are not allowed as indentation']);
  });

  it('a value with ": " in it suggests quotes', () => {
    const r = parseDocument('id: x\ntitle: a: b\n', 'test.yaml');
    expect(!r.ok && r.issues[0]).toMatchObject({
      line: 2,
      suggestion: 'put a value that contains ": " in quotes',
    });
  });
});

describe('an empty document says it is empty', () => {
  it('empty, only comments, or only "---"', () => {
    for (const [text, message] of [
      ['', 'the document is empty'],
      ['\n\n', 'the document is empty'],
      ['# a scenario, one day\n\n# more to come\n', 'the document is empty: it holds only comments'],
      ['---\n', 'the document is empty'],
    ] as const) {
      const r = loadScenario(text, { file: 'empty.yaml' });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ file: 'empty.yaml', line: 1, code: 'document.empty', message });
    }
  });

  it('data given in code that is missing says so too', () => {
    const r = validateData(undefined);
    expect(!r.ok && r.issues[0]).toMatchObject({ code: 'document.empty', message: 'the document is empty' });
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

describe('limits on documents', () => {
  const parseIssues = (text: string) => {
    const r = parseDocument(text, 'test.yaml');
    if (r.ok) throw new Error('expected the text to be rejected');
    return r.issues;
  };

  it('keys that only look different to JavaScript are duplicates too (1 and "1"; nested maps)', () => {
    const issues = parseIssues('a:\n  1: x\n  "1": y\nb: { c: 1, d: 2, c: 3 }\n');
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      [['a', '1'], 3, 3],
      [['b', 'c'], 4, 18],
    ]);
  });

  it('40,000 keys in one mapping parse in linear time, and 40,000 bad keys are located in linear time', () => {
    const keys = (n: number, name: (i: number) => string): string =>
      Array.from({ length: n }, (_, i) => `  ${name(i)}: ${i}`).join('\n');
    const time = (f: () => unknown): number => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    };
    // Twice the keys, about twice the time (four times with the library's quadratic duplicate check).
    const small = `m:\n${keys(20_000, (i) => `k${i}`)}`;
    const large = `m:\n${keys(40_000, (i) => `k${i}`)}`;
    time(() => parseDocument(small)); // warm up
    // The quickest of three of each, so that a busy machine (a pause in one timing) cannot fake a ratio.
    const best = (text: string): number => Math.min(...[0, 1, 2].map(() => time(() => parseDocument(text))));
    const ratio = best(large) / best(small);
    expect(ratio).toBeLessThan(3.5);
    // Every bad name is an issue, each located by an indexed lookup rather than a scan.
    const bad = loadScenario(BASE.replace('params:', `params:\n${keys(40_000, (i) => `"k ${i}"`)}`));
    expect(bad.ok ? 0 : bad.issues.length).toBe(40_000);
  }, 60_000);

  it('a document larger than the size limit is refused before it is parsed', () => {
    const [i] = parseIssues(`# ${'x'.repeat(defaults.MAX_DOCUMENT_SIZE)}\n`);
    expect(i).toMatchObject({ code: 'document.too-large', line: 1, column: 1 });
    expect(i?.message).toMatch(
      /^the document is 4,194,307 characters long; the limit is 4,194,304 \(4 MiB\)$/,
    );
  });

  it('a document with too many nodes stops while it is being read, at the node past the limit', () => {
    const t0 = performance.now();
    const [i] = parseIssues('- 1\n'.repeat(1_000_000));
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(i).toMatchObject({ code: 'document.too-large', line: defaults.MAX_DOCUMENT_NODES / 2 + 1 });
    expect(i?.message).toContain('more than 250,000 nodes');
  });

  it('nesting deeper than the limit is refused before the YAML library recurses into it', () => {
    for (const text of [
      `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `a: ${'{b: '.repeat(10_000)}1${'}'.repeat(10_000)}`,
      `${'- '.repeat(10_000)}1`,
    ]) {
      const [i] = parseIssues(text);
      expect(i?.code).toBe('document.too-deep');
      expect(i?.message).toMatch(/nest [\d,]+ levels deep here; the limit is 64$/);
    }
    expect(parseDocument(`a: ${'['.repeat(63)}${']'.repeat(63)}`).ok).toBe(true);
  });

  it('a billion laughs is a document error that names the alias limit, not an internal error', () => {
    const lol = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const x of 'bcdefghi') {
      const prev = String.fromCharCode(x.charCodeAt(0) - 1);
      lol.push(`${x}: &${x} [${Array.from({ length: 9 }, () => `*${prev}`).join(', ')}]`);
    }
    const [i, ...rest] = issuesOf(`${BASE}${lol.join('\n')}\n`);
    expect(rest).toEqual([]);
    expect(i).toMatchObject({ code: 'document.aliases', file: 'test.yaml' });
    expect(i?.message).toContain('the limit is 100 copies');
    expect(i?.line).toBeGreaterThan(12);
    // Reusing an anchor a few times is fine.
    expect(loadScenario(BASE.replace('h: 0.1', 'h: &h 0.1\n  h2: *h\n  h3: *h')).ok).toBe(true);
  });

  it('a second YAML document in the text is an error, as it was', () => {
    expect(parseIssues('a: 1\n---\nb: 2\n')[0]).toMatchObject({ code: 'document.syntax', line: 2 });
  });
});

describe("messages in the user's terms", () => {
  it('NaN, infinity and 1e309 are "not finite", never "null is not a number" or "expected number, got number"', () => {
    const cases: [string, string, string][] = [
      [BASE.replace('steps: 12', 'steps: .inf'), 'horizon.steps', 'expected a finite number, got infinity'],
      [BASE.replace('steps: 12', 'steps: 1e309'), 'horizon.steps', 'expected a finite number, got infinity'],
      [
        BASE.replace('h: 0.1', 'h: .nan'),
        'params.h',
        'expected a finite number or object, got NaN (.nan, not a number)',
      ],
      [BASE.replace('h: 0.1', 'h: -.inf'), 'params.h', 'expected a finite number or object, got -infinity'],
      [
        BASE.replace('"bernoulli(h)"', '"bernoulli(h) * 1e309"'),
        'outcomes.cooled.when',
        '1e309 is not a finite number',
      ],
      [BASE.replace('"bernoulli(h)"', '"NaN"'), 'outcomes.cooled.when', 'NaN is not a finite number'],
      [
        BASE.replace('"bernoulli(h)"', '"Infinity > h"'),
        'outcomes.cooled.when',
        'Infinity is not a finite number',
      ],
    ];
    for (const [text, path, message] of cases) {
      const [i] = issuesOf(text);
      expect(formatIssue(i!)).toContain(`${path}: `);
      expect(i?.message).toContain(message);
      expect(i?.code).toMatch(/not-finite$/);
    }
  });

  it('an invisible or stray character in a name is named with its code point, at the name', () => {
    const cases: [string, string][] = [
      ['oil\u200b', 'name "oil\\u200b" contains an invisible character U+200B (zero-width space)'],
      ['o\u200dil', 'name "o\\u200dil" contains an invisible character U+200D (zero-width joiner)'],
      ['oil\u00a0x', 'name "oil\\u00a0x" contains a space character U+00A0 (no-break space)'],
      ['oil x', 'name "oil x" contains a space'],
      ['oil-x', 'name "oil-x" contains "-" (U+002D), which names may not use'],
      ['_oil', 'name "_oil" starts with "_"'],
    ];
    for (const [name, message] of cases) {
      const [i] = issuesOf(BASE.replace('  h: 0.1', `  ${JSON.stringify(name)}: 0.1`));
      expect(i).toMatchObject({ code: 'schema.name', line: 5, column: 3 });
      expect(i?.message.startsWith(message), i?.message).toBe(true);
      expect(i?.message).toContain('names start with a letter and use letters, digits and _ only');
    }
    const [ref] = issuesOf(BASE.replace('primary: cooled', 'primary: "cooled\u2060"'));
    expect(ref?.message).toContain('U+2060 (word joiner)');
    expect(ref?.suggestion).toBe('did you mean "cooled"?');
  });
});
