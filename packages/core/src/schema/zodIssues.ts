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
      case 'invalid_key': {
        // A record key that is not a valid name: say which character is wrong, at the key.
        const key = path[path.length - 1];
        const inner = issue.issues[0];
        const suggestion = typeof key === 'string' ? nameSuggestion(key) : undefined;
        out.push({
          path,
          code: 'schema.name',
          message: inner?.message ?? invalidNameMessage(key),
          atKey: true,
          ...(suggestion === undefined ? {} : { suggestion }),
        });
        return;
      }
      case 'invalid_format': {
        if (issue.format === 'regex' && (issue as { pattern?: string }).pattern === String(NAME_PATTERN)) {
          const value = valueAt(data, path);
          const suggestion = typeof value === 'string' ? nameSuggestion(value) : undefined;
          out.push({
            path,
            code: 'schema.name',
            message: issue.message,
            ...(suggestion === undefined ? {} : { suggestion }),
          });
          return;
        }
        out.push({ path, code: `schema.${issue.code}`, message: issue.message });
        return;
      }
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
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // YAML's .nan and .inf, and literals such as 1e309 that overflow a double.
    const finite = /\bnumber\b/.test(expected)
      ? expected.replace(/\bnumber\b/, 'a finite number')
      : `${expected} (a finite number)`;
    return {
      path,
      code: 'schema.not-finite',
      message: `expected ${finite}, got ${nonFiniteName(value)}`,
      ...(Number.isNaN(value)
        ? {}
        : {
            suggestion:
              'write a finite number: .inf, and literals of 1.8e308 or more such as 1e309, are infinite',
          }),
    };
  }
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
  return { path, code: 'schema.type', message: `expected ${expected}, got ${got}`, expected };
}

function nonFiniteName(x: number): string {
  if (Number.isNaN(x)) return 'NaN (.nan, not a number)';
  return x > 0 ? 'infinity' : '-infinity';
}

/** What a name (of a param, state, event, outcome, actor, …) must look like. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const NAME_RULE = 'names start with a letter and use letters, digits and _ only';

/** Well-known characters that cannot be seen, or look like a space, by code point. */
const CHARACTER_NAMES: Readonly<Record<number, string>> = {
  0: 'null',
  9: 'tab',
  10: 'line feed',
  13: 'carriage return',
  27: 'escape',
  127: 'delete',
  160: 'no-break space',
  173: 'soft hyphen',
  847: 'combining grapheme joiner',
  1564: 'Arabic letter mark',
  6158: 'Mongolian vowel separator',
  8203: 'zero-width space',
  8204: 'zero-width non-joiner',
  8205: 'zero-width joiner',
  8206: 'left-to-right mark',
  8207: 'right-to-left mark',
  8232: 'line separator',
  8233: 'paragraph separator',
  8234: 'left-to-right embedding',
  8235: 'right-to-left embedding',
  8236: 'pop directional formatting',
  8237: 'left-to-right override',
  8238: 'right-to-left override',
  8288: 'word joiner',
  8294: 'left-to-right isolate',
  8295: 'right-to-left isolate',
  8296: 'first strong isolate',
  8297: 'pop directional isolate',
  12288: 'ideographic space',
  65279: 'zero-width no-break space (byte order mark)',
};

/** Control, format (zero-width, bidirectional), unassigned, private-use and surrogate code points. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u;

const codePoint = (ch: string): string =>
  `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** A name as a quoted string a reader can see: invisible and space-like characters as \u escapes. */
export function showName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch !== ' ' && (INVISIBLE.test(ch) || /[\p{Z}\p{M}]/u.test(ch))) {
      const cp = ch.codePointAt(0)!;
      out += cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `"${out}"`;
}

/**
 * Why a name is not valid, naming the offending character: `name "oil\u200b" contains an invisible
 * character U+200B (zero-width space)` rather than zod's "Invalid key in record".
 */
export function invalidNameMessage(name: unknown): string {
  if (typeof name !== 'string') return NAME_RULE;
  if (name.length === 0) return `a name cannot be empty; ${NAME_RULE}`;
  const shown = showName(name);
  const chars = [...name];
  const label = (ch: string): string => {
    const known = CHARACTER_NAMES[ch.codePointAt(0)!] ?? categoryName(ch);
    return `${codePoint(ch)}${known === undefined ? '' : ` (${known})`}`;
  };
  const invisible = chars.find((ch) => INVISIBLE.test(ch));
  if (invisible !== undefined)
    return `name ${shown} contains an invisible character ${label(invisible)}; ${NAME_RULE}`;
  const space = chars.find((ch) => /\p{Z}/u.test(ch));
  if (space !== undefined)
    return `name ${shown} contains a space${space === ' ' ? '' : ` character ${label(space)}`}; ${NAME_RULE}`;
  const other = chars.find((ch) => !/[A-Za-z0-9_]/.test(ch));
  if (other !== undefined) {
    const seen = /\p{M}/u.test(other) ? 'a combining mark' : `"${other}"`;
    return `name ${shown} contains ${seen} (${label(other)}), which names may not use; ${NAME_RULE}`;
  }
  return `name ${shown} starts with "${chars[0]}"; ${NAME_RULE}`;
}

function categoryName(ch: string): string | undefined {
  if (/\p{Cc}/u.test(ch)) return 'a control character';
  if (/\p{Cf}/u.test(ch)) return 'a format character';
  if (/\p{Co}/u.test(ch)) return 'a private-use character';
  if (/\p{Cn}/u.test(ch)) return 'an unassigned code point';
  if (/\p{Cs}/u.test(ch)) return 'half of a broken surrogate pair';
  return undefined;
}

/** The name with the characters names may not use removed, when that leaves a valid name. */
function nameSuggestion(name: string): string | undefined {
  const cleaned = [...name].filter((ch) => /[A-Za-z0-9_]/.test(ch)).join('');
  return cleaned !== name && NAME_PATTERN.test(cleaned) ? `did you mean "${cleaned}"?` : undefined;
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
