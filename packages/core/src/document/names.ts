/**
 * Names that are members of every JavaScript object. A document may not use them as keys: a merge
 * that wrote `__proto__` would change Object.prototype for the whole process, and a lookup of
 * `toString` in a table would find a function instead of nothing. We reject them everywhere a key
 * enters (documents, `extends` merges, data given to `validateData`, variants) rather than support
 * them as ordinary names, because a rejection is one check at the door while support would need
 * every table in every consumer of our output to be a Map. The list is written out, not read from
 * `Object.prototype` at run time, so that an already polluted prototype cannot change it.
 */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

export const isPrototypeName = (name: string): boolean => PROTOTYPE_NAMES.has(name);

/** The value a table holds under `key` as its own property; never one inherited from a prototype. */
export function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

export type KeyPath = (string | number)[];

/**
 * Every mapping key in plain data that names a member of Object.prototype, with its path. Walks
 * with an explicit stack, so a deeply nested document cannot overflow the call stack, and visits
 * each object once, so shared (aliased) subtrees cost nothing extra.
 */
export function prototypeKeys(data: unknown): KeyPath[] {
  const found: KeyPath[] = [];
  const seen = new Set<object>();
  const stack: [unknown, KeyPath][] = [[data, []]];
  while (stack.length > 0) {
    const [x, path] = stack.pop()!;
    if (typeof x !== 'object' || x === null || seen.has(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push([x[i], [...path, i]]);
      continue;
    }
    const keys = Object.keys(x);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      if (isPrototypeName(k)) found.push([...path, k]);
      else stack.push([(x as Record<string, unknown>)[k], [...path, k]]);
    }
  }
  return found;
}

/** The message for a key that names an Object.prototype member. */
export function prototypeKeyMessage(name: string): string {
  return `"${name}" cannot be used as a name: every JavaScript object already has a member called that`;
}
