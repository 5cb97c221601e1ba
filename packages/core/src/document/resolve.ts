import { type Draft, produce } from 'immer';
import type { Issue, Result } from '../issues.js';
import { fail, ok } from '../issues.js';
import { isPrototypeName, prototypeKeyMessage, prototypeKeys } from './names.js';
import type { Located, LocateOptions, ParsedDocument } from './parse.js';

/**
 * Reads the document that an `extends:` names, relative to the file that names it. File I/O is the
 * caller's (the CLI passes one that reads from disk; a browser could fetch, a test can use a map).
 */
export type DocumentLoader = (ref: string, from: string | undefined) => Result<ParsedDocument>;

/** A document with its `extends` chain applied: plain data, and locations traced to the file that set each value. */
export interface ResolvedDocument {
  readonly data: unknown;
  /** The files from the one the user named down to the root base. */
  readonly chain: readonly ParsedDocument[];
  /** `scalar` says the path holds a string as written (so formula columns can be added); `quoted` that it is in quotes. */
  locate(path: readonly (string | number)[], options?: LocateOptions): Located;
}

const MAX_EXTENDS_DEPTH = 16;

/**
 * Apply `extends: ./base.yaml` chains. The extending document is an override of its base: mappings
 * merge key by key, `null` removes an item, and anything else (numbers, strings, lists) replaces.
 * A distribution (a mapping with a `dist` key) of another kind replaces the base's whole: its
 * parameters are not the base's (see `mergeInto`).
 */
export function resolveDocument(doc: ParsedDocument, load?: DocumentLoader): Result<ResolvedDocument> {
  const chain: ParsedDocument[] = [doc];
  const issues: Issue[] = [];
  let current = doc;
  while (isRecord(current.data) && Object.hasOwn(current.data, 'extends')) {
    const ref = current.data.extends;
    const where = current.locate(['extends']);
    if (typeof ref !== 'string') {
      issues.push({
        ...where,
        code: 'extends.type',
        message: '`extends` must name a file',
        expected: 'a path such as ./base.yaml',
      });
      break;
    }
    if (load === undefined) {
      issues.push({
        ...where,
        code: 'extends.no-loader',
        message: `cannot read "${ref}": no document loader was given`,
      });
      break;
    }
    const loaded = load(ref, current.file);
    if (!loaded.ok) {
      issues.push(
        ...loaded.issues.map((i) => (i.file === undefined ? { ...where, ...i, path: where.path } : i)),
      );
      break;
    }
    if (chain.some((d) => d.file !== undefined && d.file === loaded.value.file)) {
      const names = [...chain, loaded.value].map((d) => d.file ?? '(text)').join(' → ');
      issues.push({
        ...where,
        code: 'extends.cycle',
        message: `\`extends\` goes round in a cycle: ${names}`,
      });
      break;
    }
    if (chain.length > MAX_EXTENDS_DEPTH) {
      issues.push({
        ...where,
        code: 'extends.depth',
        message: `\`extends\` chains more than ${MAX_EXTENDS_DEPTH} files deep (${chain[0]!.file ?? '(text)'} → … → ${loaded.value.file ?? '(text)'})`,
        expected: `at most ${MAX_EXTENDS_DEPTH} levels of \`extends\``,
      });
      break;
    }
    if (!isRecord(loaded.value.data)) {
      issues.push({
        ...where,
        code: 'extends.not-mapping',
        message: `"${ref}" is not a scenario: its top level is ${describe(loaded.value.data)}, not a mapping of fields`,
        expected: 'a YAML or JSON file whose top level is a mapping (id:, title:, …)',
      });
      break;
    }
    chain.push(loaded.value);
    current = loaded.value;
  }
  if (issues.length > 0) return fail(issues);
  // Keys such as `__proto__` are refused before any merge can write through them.
  for (const d of chain) {
    for (const path of prototypeKeys(d.data)) {
      const { found: _found, quoted: _q, scalar: _s, ...at } = d.locate(path, { key: true });
      issues.push({
        ...at,
        code: 'names.prototype',
        message: prototypeKeyMessage(String(path[path.length - 1])),
      });
    }
  }
  if (issues.length > 0) return fail(issues);

  let data: unknown = withoutExtends(chain[chain.length - 1]!.data);
  for (let i = chain.length - 2; i >= 0; i--) data = applyOverride(data, withoutExtends(chain[i]!.data));
  return ok({
    data,
    chain,
    locate(path, options) {
      for (const d of chain) {
        const loc = d.locate(path, options);
        if (loc.found) return stripFound(loc);
      }
      return stripFound(chain[0]!.locate(path, options));
    },
  });
}

/** Merge `override` onto `base` (immer keeps `base` untouched and shares what did not change). */
export function applyOverride(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  return produce(base, (draft) => {
    mergeInto(draft, override);
  });
}

function mergeInto(draft: Draft<Record<string, unknown>>, override: Record<string, unknown>): void {
  for (const key of Object.keys(override)) {
    // resolveDocument refuses these keys first; this guard keeps applyOverride safe on its own.
    if (isPrototypeName(key)) throw new Error(`internal: refusing to merge the key "${key}"`);
    const value = override[key];
    const existing = Object.hasOwn(draft, key) ? draft[key] : undefined;
    if (value === null) delete draft[key];
    else if (isRecord(value) && isRecord(existing) && !otherDistribution(existing, value))
      mergeInto(existing as Draft<Record<string, unknown>>, value);
    else draft[key] = value;
  }
}

/**
 * Does `override` give a distribution of another kind than `base` (or a distribution where the base
 * has none)? Then it replaces the base whole: a `uniform` over a `triangular` must not keep the
 * triangular's `mode`. The same kind merges, so `{ max: 0.9 }` or `{ dist: pert, max: 0.9 }`
 * over a pert changes only `max`.
 */
function otherDistribution(base: Record<string, unknown>, override: Record<string, unknown>): boolean {
  return Object.hasOwn(override, 'dist') && (!Object.hasOwn(base, 'dist') || base.dist !== override.dist);
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return 'empty';
  if (Array.isArray(x)) return 'a list';
  return `a ${typeof x} (${JSON.stringify(x).slice(0, 40)})`;
}

function withoutExtends(data: unknown): unknown {
  if (!isRecord(data) || !Object.hasOwn(data, 'extends')) return data;
  const { extends: _ignored, ...rest } = data;
  return rest;
}

function stripFound(loc: Located & { found: boolean }): Located {
  const { found: _found, ...rest } = loc;
  return rest;
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
