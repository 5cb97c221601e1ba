import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import {
  compileScenario,
  type DocumentLoader,
  loadScenario,
  parseDocument,
  resolveDocument,
  trialSource,
  validateData,
  validateText,
  variant,
} from '../src/index.js';

// Issue 10, class 1: user text must never reach Object.prototype, and a name that collides with one
// of its members must be an ordinary error, never a crash. Every key and every string value of two
// valid documents (the core layer and the alliance vocabulary) is replaced in turn by each hostile
// name, directly and through `extends`, and loaded through every public entry point.

const HOSTILE = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
  'then',
];

const CORE = `id: core
title: Core
horizon: { steps: 6 }
sources:
  src1: { title: a source }
params:
  h: { dist: uniform, min: 0.01, max: 0.2, source: src1 }
  k: 2
derived:
  d: "h * k"
state:
  x: { init: 0, update: "x + d" }
regimes:
  r:
    states: [calm, tense]
    initial: calm
    transitions: { calm: { tense: "h" }, tense: { calm: 0.1 } }
events:
  shock: { hazard: "h", effects: [{ regime: r, to: tense }, { add: x, by: 1 }, { set: k, to: 3 }] }
outcomes:
  o: { when: "r.tense and x > 0.1" }
  p: { when: "shock.count > 0" }
report: [x]
primary: o
`;

const ALLIANCE = `id: ally
title: Alliance
horizon: { steps: 6 }
actors:
  AZ: { name: Azerbaijan }
  IL: { name: Israel }
  TR: { name: Turkey }
relationship: { focal: AZ, partner: IL, initial_tie: 0.9 }
interests:
  oil: { direction: hold, value: { dist: uniform, min: 0.1, max: 0.5 } }
pressures:
  turkey: { actor: TR, intensity: 0.6, leverage: 0.5 }
decision:
  ladder: [maintain, criticise, downgrade]
  cooled: downgrade
  thresholds: { criticise: -0.3, downgrade: 0.1 }
  lambda: 5
  inertia: 1
`;

type Path = (string | number)[];

/** Every path to a mapping key, and every path to a string value, in plain data. */
function places(data: unknown, path: Path = []): { keys: Path[]; strings: Path[] } {
  const keys: Path[] = [];
  const strings: Path[] = [];
  if (typeof data === 'string') strings.push(path);
  else if (Array.isArray(data)) {
    data.forEach((x, i) => {
      const sub = places(x, [...path, i]);
      keys.push(...sub.keys);
      strings.push(...sub.strings);
    });
  } else if (typeof data === 'object' && data !== null) {
    for (const [k, v] of Object.entries(data)) {
      keys.push([...path, k]);
      const sub = places(v, [...path, k]);
      keys.push(...sub.keys);
      strings.push(...sub.strings);
    }
  }
  return { keys, strings };
}

/** A copy of `data` with the key at `path` renamed (keeping its place) or the value at `path` replaced. */
function edit(data: unknown, path: Path, how: { rename: string } | { value: unknown }): unknown {
  if (path.length === 0) return 'value' in how ? how.value : data;
  const [head, ...rest] = path;
  if (Array.isArray(data)) return data.map((x, i) => (i === head ? edit(x, rest, how) : x));
  const entries = Object.entries(data as Record<string, unknown>).map(([k, v]): [string, unknown] => {
    if (k !== head) return [k, v];
    if (rest.length === 0 && 'rename' in how) return [how.rename, v];
    return [k, edit(v, rest, how)];
  });
  // defineProperty keeps `__proto__` an ordinary own key, as a YAML or JSON parser would.
  const out = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
  return out;
}

function hostileDocuments(text: string): string[] {
  const data = parseYaml(text) as unknown;
  const { keys, strings } = places(data);
  const docs: string[] = [];
  for (const name of HOSTILE) {
    for (const p of keys) docs.push(stringify(edit(data, p, { rename: name })));
    for (const p of strings) docs.push(stringify(edit(data, p, { value: name })));
    for (const p of strings) docs.push(stringify(edit(data, p, { value: `${name} + 1` })));
  }
  // The mapping under a hostile key is what a merge would write into the prototype.
  const payload = { logit: 'x); globalThis.PWNED = 1; (1', polluted: 1, toString: 'x' };
  for (const p of keys)
    docs.push(
      stringify(
        edit(edit(data, p, { rename: '__proto__' }), p.slice(0, -1).concat('__proto__'), { value: payload }),
      ),
    );
  return docs;
}

const snapshot = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
const PRISTINE = snapshot();

afterEach(() => {
  expect(snapshot()).toEqual(PRISTINE);
  expect((globalThis as Record<string, unknown>).PWNED).toBeUndefined();
});

function loadAll(text: string, base: string): void {
  const loader: DocumentLoader = (ref) => parseDocument(ref === 'base.yaml' ? base : text, ref);
  const direct = loadScenario(text, { file: 'h.yaml' });
  // Through `extends`, the hostile document is an override merged onto a valid base.
  const child = `extends: base.yaml\n${text.replace(/^id: .*\n/, '')}`;
  const extended = loadScenario(child, { file: 'child.yaml', loader });
  validateText(text, { file: 'h.yaml' });
  const parsed = parseDocument(text, 'h.yaml');
  if (parsed.ok) {
    validateData(parsed.value.data);
    resolveDocument(parsed.value, loader);
  }
  for (const r of [direct, extended]) {
    if (r.ok) continue;
    for (const issue of r.issues) {
      expect(issue.code).toMatch(/^[a-z_-]+\.[a-z_.-]+$/i);
      expect(issue.message).not.toMatch(/TypeError|is not a function|Cannot read/);
    }
  }
}

describe('names that collide with Object.prototype members', () => {
  for (const [label, text] of [
    ['core', CORE],
    ['alliance', ALLIANCE],
  ] as const) {
    it(`${label}: every key and string value replaced by each hostile name loads without a throw or a trace`, () => {
      expect(loadScenario(text).ok).toBe(true);
      const docs = hostileDocuments(text);
      expect(docs.length).toBeGreaterThan(500);
      for (const doc of docs) {
        expect(() => loadAll(doc, text), doc).not.toThrow();
      }
      // Over a thousand documents through five entry points each: seconds of work on a loaded machine.
    }, 60_000);
  }

  it('a hostile key is rejected with its line and column, saying why', () => {
    const r = loadScenario(CORE.replace('  k: 2', '  constructor: 2'), { file: 'h.yaml' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues.find((i) => i.code === 'names.prototype');
    expect(issue).toMatchObject({ file: 'h.yaml', line: 8, column: 3, path: ['params', 'constructor'] });
    expect(issue?.message).toContain('"constructor"');
  });

  it('a reference to a hostile name is an unknown name, not a crash', () => {
    const r = loadScenario(CORE.replace('{ regime: r, to: tense }', '{ regime: toString, to: tense }'), {
      file: 'h.yaml',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.code)).toContain('reference.regime');
  });

  it('variant refuses a hostile key added in code, and leaves the prototype alone', () => {
    const valid = validateText(CORE);
    expect(valid.ok).toBe(true);
    if (!valid.ok) return;
    const edited = variant(valid.value, (d) => {
      Reflect.set(d.params!, 'constructor', 1);
    });
    expect(edited.ok).toBe(false);
    if (!edited.ok) expect(edited.issues.map((i) => i.code)).toContain('names.prototype');
  });
});

describe('code generation does not read the prototype', () => {
  const keys = ['logit', 'logistic', 'clamp', 'abs', 'exp', 'normal', 'mod'];
  afterEach(() => {
    for (const k of keys) delete (Object.prototype as Record<string, unknown>)[k];
  });

  it('the generated source is the same with a polluted Object.prototype', () => {
    const text = CORE.replace(
      '"h * k"',
      '"logit(h) + clamp(k, 0, 1) + abs(-1) + exp(0) + logistic(0) + (k % 2)"',
    );
    const compile = (): string => {
      const v = validateText(text);
      if (!v.ok) throw new Error('invalid');
      const m = compileScenario(v.value);
      if (!m.ok) throw new Error(m.issues.map((i) => i.message).join('; '));
      return trialSource(m.value.plan);
    };
    const clean = compile();
    for (const k of keys)
      Object.defineProperty(Object.prototype, k, {
        value: 'x); globalThis.PWNED = 1; (1',
        configurable: true,
        writable: true,
      });
    const polluted = compile();
    for (const k of keys) delete (Object.prototype as Record<string, unknown>)[k];
    expect(polluted).toBe(clean);
  });
});
