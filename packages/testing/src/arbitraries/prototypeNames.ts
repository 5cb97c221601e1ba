import fc from 'fast-check';
import { stringify } from 'yaml';
import type { ScenarioData } from './scenarios.js';

/** Names every JavaScript object has: the class of keys that once polluted Object.prototype. */
export const PROTOTYPE_NAME_LIST = [
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
] as const;

type Path = (string | number)[];

function places(x: unknown, prefix: Path = []): { keys: Path[]; strings: Path[] } {
  if (typeof x === 'string') return { keys: [], strings: [prefix] };
  if (typeof x !== 'object' || x === null) return { keys: [], strings: [] };
  const entries: [string | number, unknown][] = Array.isArray(x)
    ? x.map((v, i) => [i, v])
    : Object.entries(x);
  const keys: Path[] = [];
  const strings: Path[] = [];
  for (const [k, v] of entries) {
    if (typeof k === 'string') keys.push([...prefix, k]);
    const sub = places(v, [...prefix, k]);
    keys.push(...sub.keys);
    strings.push(...sub.strings);
  }
  return { keys, strings };
}

/** A copy with the key at `path` renamed, or the value there replaced; `__proto__` stays an own key. */
function edit(x: unknown, path: Path, how: { rename: string } | { value: unknown }): unknown {
  if (path.length === 0) return 'value' in how ? how.value : x;
  const [head, ...rest] = path;
  if (Array.isArray(x)) return x.map((v, i) => (i === head ? edit(v, rest, how) : v));
  const out = {};
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
    const key = k === head && rest.length === 0 && 'rename' in how ? how.rename : k;
    const value = k === head && !(rest.length === 0 && 'rename' in how) ? edit(v, rest, how) : v;
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Scenario text in which one key or one string value is a name every JavaScript object has, and
 * where a renamed key's value may be a mapping of function names (what a merge into the prototype
 * would plant). Loading it must give located issues or a result, and leave Object.prototype alone.
 */
export function prototypeNamed(valid: fc.Arbitrary<ScenarioData>): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.nat(), fc.constantFrom(...PROTOTYPE_NAME_LIST), fc.boolean(), fc.boolean())
    .map(([doc, pick, name, asKey, plant]) => {
      const { keys, strings } = places(doc);
      const list = asKey || strings.length === 0 ? keys : strings;
      const path = list[pick % list.length]!;
      let out =
        asKey || strings.length === 0 ? edit(doc, path, { rename: name }) : edit(doc, path, { value: name });
      if (plant && asKey)
        out = edit(out, [...path.slice(0, -1), name], {
          value: { logit: 'x); globalThis.PWNED = 1; (1', polluted: 1 },
        });
      return stringify(out);
    });
}
