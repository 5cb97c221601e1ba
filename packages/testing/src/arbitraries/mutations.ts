import fc from 'fast-check';
import { stringify } from 'yaml';
import { invalidDistribution } from './distributions.js';
import type { ScenarioData } from './scenarios.js';

type Json = Record<string, unknown>;

/** Every path to a value in a document (objects and arrays walked), for picking a place to break. */
function paths(x: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof x !== 'object' || x === null) return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(x)
    ? x.map((v, i) => [i, v])
    : Object.entries(x);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function edit(doc: Json, path: (string | number)[], f: (parent: Json, key: string | number) => void): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  if (path.length === 0) return copy;
  let parent: Json = copy;
  for (const k of path.slice(0, -1)) parent = parent[k as string] as Json;
  f(parent, path[path.length - 1]!);
  return copy;
}

/**
 * Documents that are almost valid: one structural mistake each (a missing or misspelt key, a value
 * of the wrong type, an invalid distribution, an unknown name or a syntax error in a formula, a
 * cycle). The core must answer each with issues that carry a code and a location, never a crash.
 */
export function nearValid(valid: fc.Arbitrary<ScenarioData>): fc.Arbitrary<Json> {
  return fc
    .tuple(valid, fc.nat(), fc.integer({ min: 0, max: 7 }), invalidDistribution())
    .map(([doc, pick, kind, bad]) => {
      const all = paths(doc).filter((p) => p.length > 0);
      const path = all[pick % all.length]!;
      switch (kind) {
        case 0:
          return edit(doc, path, (parent, key) => {
            if (Array.isArray(parent)) parent.splice(key as number, 1);
            else delete parent[key];
          });
        case 1:
          return edit(doc, path, (parent, key) => {
            if (Array.isArray(parent)) return;
            parent[`${String(key)}x`] = parent[key];
            delete parent[key];
          });
        case 2:
          return edit(doc, path, (parent, key) => {
            (parent as Record<string | number, unknown>)[key] =
              typeof parent[key as string] === 'string' ? 42 : 'oops';
          });
        case 3:
          return { ...doc, params: { ...((doc.params as Json | undefined) ?? {}), broken: bad } };
        case 4:
          return {
            ...doc,
            derived: { ...((doc.derived as Json | undefined) ?? {}), typo: 'no_such_name * 2' },
          };
        case 5:
          return { ...doc, derived: { ...((doc.derived as Json | undefined) ?? {}), unfinished: '(1 + ' } };
        case 6:
          return {
            ...doc,
            derived: {
              ...((doc.derived as Json | undefined) ?? {}),
              loop_a: 'loop_b + 1',
              loop_b: 'loop_a * 2',
            },
          };
        default:
          return {
            ...doc,
            derived: { ...((doc.derived as Json | undefined) ?? {}), evil: 'x = 1; import("fs")' },
          };
      }
    });
}

/** YAML text of a document with a few characters inserted, deleted or the text cut short. */
export function mangledText(doc: fc.Arbitrary<Json>): fc.Arbitrary<string> {
  return fc
    .tuple(
      doc,
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom('insert', 'delete', 'cut'),
          fc.constantFrom(':', '{', '"', '-', ' ', '\n', '\t', '[', 'x', '#'),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([d, edits]) => {
      let text = stringify(d);
      for (const [at, op, ch] of edits) {
        const i = at % Math.max(1, text.length);
        if (op === 'insert') text = text.slice(0, i) + ch + text.slice(i);
        else if (op === 'delete') text = text.slice(0, i) + text.slice(i + 1);
        else text = text.slice(0, i);
      }
      return text;
    });
}
