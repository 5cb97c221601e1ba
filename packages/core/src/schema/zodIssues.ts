import type { z } from 'zod';
import { closest, didYouMean, editDistance } from '../suggest.js';

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
 *
 * An unknown field is compared with the fields allowed where it is written (found by walking
 * `schema` along its path), so a field that is valid elsewhere is not suggested back as itself;
 * without `schema`, or where the walk cannot tell, every field of `knownKeys` but the key itself is
 * a candidate. A required field that is absent reads "missing required field "x"", and is left out
 * when an unknown field beside it is the same field misspelled (the unknown field's suggestion
 * already names it): one mistake, one problem.
 */
export function explainZodIssues(
  issues: readonly RawIssue[],
  data: unknown,
  knownKeys: ReadonlySet<string>,
  schema?: z.core.$ZodType,
): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  /** The field an unknown-field problem suggests, to drop the "missing" problem it explains. */
  const suggested = new Map<SchemaProblem, string>();
  const visit = (issue: RawIssue, base: (string | number)[], at: z.core.$ZodType | undefined): void => {
    const path = [...base, ...(issue.path as (string | number)[])];
    const relative = issue.path as (string | number)[];
    if (
      (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union') &&
      isMissingField(data, path)
    ) {
      out.push(missingProblem(path, missingExpectation(issue)));
      return;
    }
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
          const expected = [...new Set(branches.map((b) => (b[0] as { expected: string }).expected))].join(
            ' or ',
          );
          out.push(typeProblem(path, expected, valueAt(data, path)));
          return;
        }
        const rootMismatch = (b: RawIssue[]): boolean =>
          b.some((i) => i.code === 'invalid_type' && i.path.length === 0);
        const candidates = branches.filter((b) => !rootMismatch(b));
        // zod lists one error list per option, in the options' order.
        const options = unionOptionsAt(at, relative, valueAt(data, base));
        const optionOf = (b: RawIssue[]) => options?.[(branches as RawIssue[][]).indexOf(b)];
        // Of two branches as close, the one an unknown field misspells a field of: `{ regimex: r, to: s }`
        // is the regime effect with `regime` misspelt, not a `set` effect.
        const typos = (b: RawIssue[]): number => {
          const fields = fieldsAt(optionOf(b), [], valueAt(data, path));
          if (fields === undefined) return 0;
          return b
            .flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : []))
            .filter((k) => closest(k, fields) !== undefined).length;
        };
        const best = (candidates.length > 0 ? candidates : branches).reduce((a, b) =>
          b.length < a.length || (b.length === a.length && typos(b) > typos(a)) ? b : a,
        );
        for (const inner of best) visit(inner, path, optionOf(best));
        return;
      }
      case 'unrecognized_keys': {
        const allowed = fieldsAt(at, relative, valueAt(data, base));
        for (const key of issue.keys) {
          // A field of another kind of item is likely in the wrong place rather than misspelt: list the
          // fields allowed here, and suggest one only if it is a letter away (`state` for `states`).
          const elsewhere = allowed !== undefined && knownKeys.has(key);
          const named = elsewhere
            ? [...allowed].find((f) => f !== key && editDistance(key.toLowerCase(), f.toLowerCase()) <= 1)
            : closest(key, allowed ?? knownKeys);
          const problem: SchemaProblem = {
            path: [...path, key],
            code: 'schema.unknown-field',
            message: `unknown field "${key}"`,
            atKey: true,
            ...(elsewhere && allowed.size <= MAX_LISTED_FIELDS
              ? { expected: `one of the fields ${[...allowed].join(', ')}` }
              : {}),
            ...(named === undefined ? {} : { suggestion: `did you mean "${named}"?` }),
          };
          if (named !== undefined) suggested.set(problem, named);
          out.push(problem);
        }
        return;
      }
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
  for (const issue of issues) visit(issue, [], schema);
  // A missing field that an unknown field beside it misspells is one mistake: keep the unknown one.
  // So is a rule of that object the field would have satisfied ("a lognormal needs mu and sigma, or
  // ci90" beside `ci90x`).
  const misspelled = new Set(
    [...suggested].map(([p, name]) => JSON.stringify([...p.path.slice(0, -1), name])),
  );
  const holders = new Set(
    [...suggested].filter(([p]) => p.path.length > 1).map(([p]) => JSON.stringify(p.path.slice(0, -1))),
  );
  return out.filter((p) => {
    if (p.code === 'schema.missing') return !misspelled.has(JSON.stringify(p.path));
    if (p.code === 'schema.custom')
      return !holders.has(JSON.stringify(p.path)) && !holders.has(JSON.stringify(p.path.slice(0, -1)));
    return true;
  });
}

/** Fields allowed where an unknown one is written are listed when there are at most this many. */
const MAX_LISTED_FIELDS = 10;

/** Is `path` a field absent from a mapping that exists? */
function isMissingField(data: unknown, path: readonly (string | number)[]): boolean {
  if (path.length === 0) return false;
  const key = path[path.length - 1];
  const parent = valueAt(data, path.slice(0, -1));
  return (
    typeof key === 'string' &&
    typeof parent === 'object' &&
    parent !== null &&
    !Array.isArray(parent) &&
    !Object.hasOwn(parent, key)
  );
}

function missingProblem(path: (string | number)[], expected: string | undefined): SchemaProblem {
  return {
    path,
    code: 'schema.missing',
    message: `missing required field "${String(path[path.length - 1])}"`,
    ...(expected === undefined ? {} : { expected }),
  };
}

/** What a missing field should have held, in the words of the issue that found it absent. */
function missingExpectation(issue: RawIssue): string | undefined {
  if (issue.code === 'invalid_type') return issue.expected;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_union') {
    const expected = issue.errors.map((b) =>
      b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0
        ? (b[0] as { expected: string }).expected
        : undefined,
    );
    if (expected.length > 0 && expected.every((e) => e !== undefined))
      return [...new Set(expected)].join(' or ');
  }
  return undefined;
}

function typeProblem(path: (string | number)[], expected: string, value: unknown): SchemaProblem {
  if (value === undefined && path.length === 0)
    return { path, code: 'document.empty', message: 'the document is empty', expected };
  if (value === undefined) return missingProblem(path, expected);
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

type AnySchema = z.core.$ZodType;
const defOf = (schema: AnySchema): Record<string, unknown> & { type: string } =>
  schema._zod.def as unknown as Record<string, unknown> & { type: string };

/** The fields an object may have at `path` below `schema` (with `data` there), if the schema says. */
function fieldsAt(
  schema: AnySchema | undefined,
  path: readonly (string | number)[],
  data: unknown,
): ReadonlySet<string> | undefined {
  const { schema: at, data: here } = walk(schema, path, data);
  const object = unwrap(at, here, true);
  return object === undefined || defOf(object).type !== 'object'
    ? undefined
    : new Set(Object.keys(defOf(object).shape as object));
}

/** The options of the union at `path` below `schema`, in zod's order. */
function unionOptionsAt(
  schema: AnySchema | undefined,
  path: readonly (string | number)[],
  data: unknown,
): readonly AnySchema[] | undefined {
  const { schema: at, data: here } = walk(schema, path, data);
  const union = unwrap(at, here, false);
  return union !== undefined && defOf(union).type === 'union'
    ? (defOf(union).options as AnySchema[])
    : undefined;
}

/** The schema and the data at `path`, choosing a union's option by the data where it must. */
function walk(
  schema: AnySchema | undefined,
  path: readonly (string | number)[],
  data: unknown,
): { schema: AnySchema | undefined; data: unknown } {
  let at = schema;
  let here = data;
  for (const key of path) {
    const container = unwrap(at, here, true);
    if (container === undefined) return { schema: undefined, data: undefined };
    const def = defOf(container);
    if (def.type === 'object') {
      const shape = def.shape as Record<string, AnySchema>;
      at = typeof key === 'string' && Object.hasOwn(shape, key) ? shape[key] : undefined;
    } else if (def.type === 'record') at = def.valueType as AnySchema;
    else if (def.type === 'array') at = def.element as AnySchema;
    else at = undefined;
    here = valueAt(here, [key]);
  }
  return { schema: at, data: here };
}

/**
 * Look through wrappers (optional, default, pipe, lazy, …) and, when `throughUnions`, through
 * unions to the option that fits `data`: by its discriminator, else the object option sharing most
 * fields with it.
 */
function unwrap(schema: AnySchema | undefined, data: unknown, throughUnions: boolean): AnySchema | undefined {
  let at = schema;
  for (let i = 0; at !== undefined && i < 64; i++) {
    const def = defOf(at);
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'catch':
      case 'readonly':
      case 'nonoptional':
        at = def.innerType as AnySchema;
        break;
      case 'pipe':
        at = def.in as AnySchema;
        break;
      case 'lazy':
        at = (def.getter as () => AnySchema)();
        break;
      case 'union':
        if (!throughUnions) return at;
        at = optionFor(def.options as AnySchema[], def.discriminator as string | undefined, data);
        break;
      default:
        return at;
    }
  }
  return at;
}

function optionFor(
  options: readonly AnySchema[],
  discriminator: string | undefined,
  data: unknown,
): AnySchema | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const keys = Object.keys(data);
  let best: AnySchema | undefined;
  let bestShared = -1;
  for (const option of options) {
    const object = unwrap(option, data, true);
    if (object === undefined || defOf(object).type !== 'object') continue;
    const shape = defOf(object).shape as Record<string, AnySchema>;
    if (discriminator !== undefined) {
      const tag = Object.hasOwn(shape, discriminator)
        ? unwrap(shape[discriminator], undefined, false)
        : undefined;
      const values = tag === undefined ? undefined : (defOf(tag).values as unknown[] | undefined);
      if (values?.includes((data as Record<string, unknown>)[discriminator])) return object;
      continue;
    }
    const shared = keys.filter((k) => Object.hasOwn(shape, k)).length;
    if (shared > bestShared) {
      best = object;
      bestShared = shared;
    }
  }
  return best;
}
