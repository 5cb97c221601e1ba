import type { z } from 'zod';
import { didYouMean } from '../suggest.js';

/** A zod issue reduced to what a person needs: where, what, what was expected, a suggestion. */
export interface SchemaProblem {
  path: (string | number)[];
  code: string;
  message: string;
  expected?: string;
  suggestion?: string;
  /** Point at the field's key rather than its value (an unknown field). */
  atKey?: boolean;
}

type RawIssue = z.core.$ZodIssue;

/**
 * Turn zod's issues into one plain problem each. A union that failed is reported through the
 * branch that came closest (the one whose type matched, with the fewest issues), so a typo in a
 * distribution's field reads "unknown field sdd; did you mean sd?", not a list of every branch.
 */
export function explainZodIssues(
  issues: readonly RawIssue[],
  data: unknown,
  knownKeys: ReadonlySet<string>,
): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const visit = (issue: RawIssue, base: (string | number)[]): void => {
    const path = [...base, ...(issue.path as (string | number)[])];
    switch (issue.code) {
      case 'invalid_union': {
        if (issue.errors.length === 0) {
          const value = valueAt(data, path);
          const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
          const suggestion = typeof value === 'string' ? didYouMean(value, options) : undefined;
          out.push({
            path,
            code: 'schema.unknown-kind',
            message: `unknown ${path[path.length - 1] === 'dist' ? 'distribution' : 'kind'} ${JSON.stringify(value)}`,
            expected: `one of ${options.join(', ')}`,
            ...(suggestion === undefined ? {} : { suggestion }),
          });
          return;
        }
        const branches = issue.errors;
        const typeOnly = branches.every(
          (b) => b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0,
        );
        if (typeOnly) {
          const expected = branches.map((b) => (b[0] as { expected: string }).expected).join(' or ');
          out.push(typeProblem(path, expected, valueAt(data, path)));
          return;
        }
        const rootMismatch = (b: RawIssue[]): boolean =>
          b.some((i) => i.code === 'invalid_type' && i.path.length === 0);
        const candidates = branches.filter((b) => !rootMismatch(b));
        const best = (candidates.length > 0 ? candidates : branches).reduce((a, b) =>
          b.length < a.length ? b : a,
        );
        for (const inner of best) visit(inner, path);
        return;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const suggestion = didYouMean(key, knownKeys);
          out.push({
            path: [...path, key],
            code: 'schema.unknown-field',
            message: `unknown field "${key}"`,
            atKey: true,
            ...(suggestion === undefined ? {} : { suggestion }),
          });
        }
        return;
      case 'invalid_type':
        out.push(typeProblem(path, issue.expected, valueAt(data, path)));
        return;
      default:
        out.push({ path, code: `schema.${issue.code}`, message: issue.message });
    }
  };
  for (const issue of issues) visit(issue, []);
  return out;
}

function typeProblem(path: (string | number)[], expected: string, value: unknown): SchemaProblem {
  if (value === undefined) {
    return {
      path,
      code: 'schema.missing',
      message: `"${String(path[path.length - 1])}" is required`,
      expected,
    };
  }
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
  return { path, code: 'schema.type', message: `expected ${expected}, got ${got}`, expected };
}

export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let x = data;
  for (const key of path) {
    if (typeof x !== 'object' || x === null) return undefined;
    x = (x as Record<string | number, unknown>)[key];
  }
  return x;
}

/** Every field name any object in a schema may have, for did-you-mean on unknown fields. */
export function collectKeys(
  schema: z.core.$ZodType,
  into = new Set<string>(),
  seen = new Set<unknown>(),
): Set<string> {
  if (seen.has(schema)) return into;
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const children: unknown[] = [];
  if (def.type === 'object') {
    const shape = def.shape as Record<string, unknown>;
    for (const k of Object.keys(shape)) into.add(k);
    children.push(...Object.values(shape));
  }
  for (const key of ['options', 'items'])
    if (Array.isArray(def[key])) children.push(...(def[key] as unknown[]));
  for (const key of ['innerType', 'valueType', 'element', 'in', 'out', 'rest'])
    if (def[key]) children.push(def[key]);
  for (const c of children) collectKeys(c as z.core.$ZodType, into, seen);
  return into;
}
