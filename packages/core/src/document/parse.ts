import {
  Composer,
  CST,
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  type Node,
  Parser,
  type YAMLError,
  type YAMLMap,
} from 'yaml';
import { MAX_ALIAS_COUNT, MAX_DOCUMENT_DEPTH, MAX_DOCUMENT_NODES, MAX_DOCUMENT_SIZE } from '../defaults.js';
import type { Issue, Location, Result } from '../issues.js';
import { fail, ok } from '../issues.js';

/** A scenario file's data, with a way back from a path in it to a line and column. */
export interface ParsedDocument {
  /** The file name as the user gave it, used in messages. */
  readonly file: string | undefined;
  /** Plain data: objects, arrays, strings, numbers, booleans, null. */
  readonly data: unknown;
  /**
   * Where a path is in the text. Falls back to the nearest enclosing node that exists, so a
   * missing key points at the object that should hold it.
   */
  locate(path: readonly (string | number)[], options?: LocateOptions): Located & { found: boolean };
}

/** A location, and whether it is a string scalar (plain or quoted), so a formula's columns can be added. */
export type Located = Location & { quoted?: boolean; scalar?: boolean };

export interface LocateOptions {
  /** Point at the key of the last path element rather than its value (for unknown fields). */
  key?: boolean;
}

type Path = (string | number)[];

/**
 * Parse YAML or JSON text (JSON is YAML). Syntax errors come back as issues with line and column.
 *
 * The text is untrusted, so every step is bounded and linear: the size is checked first, nodes are
 * counted while the text is lexed (a huge document stops early), nesting is measured on the
 * concrete syntax tree without recursion before the yaml library composes it (its composer
 * recurses), duplicate keys are found with one hash lookup per key (the library's own check is
 * quadratic), and aliases may not multiply the data beyond MAX_ALIAS_COUNT (a "billion laughs").
 */
export function parseDocument(text: string, file?: string): Result<ParsedDocument> {
  const withFile = file === undefined ? {} : { file };
  const lineCounter = new LineCounter();
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const issue = (offset: number, code: string, message: string, rest: Partial<Issue> = {}): Issue => ({
    ...withFile,
    ...at(offset),
    path: [],
    code,
    message,
    ...rest,
  });

  if (text.length > MAX_DOCUMENT_SIZE) {
    return fail([
      {
        ...withFile,
        line: 1,
        column: 1,
        path: [],
        code: 'document.too-large',
        message: `the document is ${count(text.length)} characters long; the limit is ${count(MAX_DOCUMENT_SIZE)} (${MAX_DOCUMENT_SIZE / (1024 * 1024)} MiB)`,
      },
    ]);
  }

  // Lex and parse into a concrete syntax tree (both iterative), counting nodes as they come.
  const lexer = new Lexer();
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  let nodes = 0;
  for (const lexeme of lexer.lex(text)) {
    if (COUNTED.has(CST.tokenType(lexeme) ?? '')) nodes++;
    if (nodes > MAX_DOCUMENT_NODES) {
      // The parser has counted the lines up to here, so the position is right.
      return fail([
        issue(
          parser.offset,
          'document.too-large',
          `the document has more than ${count(MAX_DOCUMENT_NODES)} nodes (keys, values and list items); the limit is reached here`,
          { expected: `at most ${count(MAX_DOCUMENT_NODES)} nodes` },
        ),
      ]);
    }
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);

  const deep = deepestCollection(tokens);
  if (deep.depth > MAX_DOCUMENT_DEPTH) {
    return fail([
      issue(
        deep.offset,
        'document.too-deep',
        `mappings and lists nest ${count(deep.depth)} levels deep here; the limit is ${count(MAX_DOCUMENT_DEPTH)}`,
        { expected: `at most ${count(MAX_DOCUMENT_DEPTH)} levels of nesting` },
      ),
    ]);
  }

  // Compose the first document, as yaml's parseDocument does; a second one is an error.
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false });
  let doc: Document.Parsed | undefined;
  let secondDocument: number | undefined;
  for (const d of composer.compose(tokens, true, text.length)) {
    if (doc !== undefined) {
      secondDocument = d.range[0];
      break;
    }
    doc = d;
  }
  if (doc === undefined) throw new Error('internal: the YAML composer produced no document');
  const syntax = syntaxIssues(doc.errors, tokens, text).map(({ offset, message, suggestion }) =>
    issue(offset, 'document.syntax', message, {
      expected: 'valid YAML or JSON',
      ...(suggestion === undefined ? {} : { suggestion }),
    }),
  );
  if (secondDocument !== undefined)
    syntax.push(
      issue(secondDocument, 'document.syntax', 'the text holds a second YAML document', {
        expected: 'one document (no second "---" line)',
      }),
    );
  if (syntax.length > 0) return fail(syntax);

  if (isEmpty(doc)) {
    const comments = text.trim() !== '' && /^\s*#/m.test(text);
    return fail([
      issue(
        0,
        'document.empty',
        comments ? 'the document is empty: it holds only comments' : 'the document is empty',
        {
          expected: 'a mapping of fields (id: …, title: …, …)',
        },
      ),
    ]);
  }

  const { duplicates, aliases } = walk(doc);
  if (duplicates.length > 0) {
    return fail(
      duplicates.map(({ path, key, first }) => {
        const was = at(rangeStart(first));
        return issue(
          rangeStart(key),
          'document.duplicate-key',
          `duplicate key ${JSON.stringify(String(path[path.length - 1]))}: it is already at line ${was.line}, column ${was.column}`,
          { path, expected: 'each key once in a mapping (a later one would silently replace the first)' },
        );
      }),
    );
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // yaml throws a ReferenceError when aliases would multiply the data: a "billion laughs".
    if (!(e instanceof ReferenceError) || !/alias/i.test(e.message)) throw e;
    const worst = mostUsedAlias(aliases);
    return fail([
      issue(
        worst === undefined ? 0 : rangeStart(worst.node),
        'document.aliases',
        `aliases copy data too many times${worst === undefined ? '' : ` (*${worst.name} is used ${count(worst.uses)} times)`}: the document would grow exponentially (a "billion laughs"); the limit is ${count(MAX_ALIAS_COUNT)} copies`,
        { expected: `aliases (*name) that repeat data at most ${count(MAX_ALIAS_COUNT)} times in all` },
      ),
    ]);
  }

  const keyIndex = new WeakMap<YAMLMap, Map<string, { key: Node | undefined; value: unknown }>>();
  return ok({
    file,
    data,
    locate(path, options) {
      const { node, key, depth } = deepestNode(doc, path, keyIndex);
      const target = options?.key && depth === path.length && key !== undefined ? key : node;
      const offset = target?.range?.[0] ?? 0;
      const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
      const found = depth === path.length;
      const scalar = found && isScalar(node) && typeof node.value === 'string';
      return { ...withFile, ...at(offset), path: [...path], found, quoted, scalar };
    },
  });
}

/** Lexemes that start a node: scalars, aliases, collections, and the `-`, `?` and `:` of block items. */
const COUNTED: ReadonlySet<string> = new Set([
  'scalar',
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar-header',
  'alias',
  'flow-map-start',
  'flow-seq-start',
  'seq-item-ind',
  'explicit-key-ind',
  'map-value-ind',
]);

/** The deepest nesting of collections in a concrete syntax tree, and where it first occurs; no recursion. */
function deepestCollection(tokens: readonly CST.Token[]): { depth: number; offset: number } {
  let depth = 0;
  let offset = 0;
  const pending: { token: CST.Token; depth: number }[] = [];
  for (const t of tokens) if (t.type === 'document' && t.value) pending.push({ token: t.value, depth: 0 });
  while (pending.length > 0) {
    const { token, depth: outer } = pending.pop()!;
    if (!CST.isCollection(token)) continue;
    const d = outer + 1;
    if (d > depth || (d === depth && token.offset < offset)) {
      depth = d;
      offset = token.offset;
    }
    for (const item of token.items) {
      if (item.key) pending.push({ token: item.key, depth: d });
      if (item.value) pending.push({ token: item.value, depth: d });
    }
  }
  return { depth, offset };
}

interface Duplicate {
  path: Path;
  key: Node | undefined;
  first: Node | undefined;
}

/** Duplicate keys (one Map per mapping: linear) and every alias, found without recursion. */
function walk(doc: Document.Parsed): { duplicates: Duplicate[]; aliases: { name: string; node: Node }[] } {
  const duplicates: Duplicate[] = [];
  const aliases: { name: string; node: Node }[] = [];
  const pending: { node: unknown; path: Path }[] = [{ node: doc.contents, path: [] }];
  while (pending.length > 0) {
    const { node, path } = pending.pop()!;
    if (isAlias(node)) aliases.push({ name: node.source, node });
    else if (isMap(node)) {
      const seen = new Map<string, Node | undefined>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = isNode(pair.key) ? pair.key : undefined;
        if (isScalar(pair.key) || pair.key === null) {
          // toJS turns keys into strings, so 1 and "1", or null and "", are the same key.
          const value = isScalar(pair.key) ? pair.key.value : null;
          const name = value === null || value === undefined ? '' : String(value);
          if (seen.has(name)) duplicates.push({ path: [...path, name], key: keyNode, first: seen.get(name) });
          else seen.set(name, keyNode);
          pending.push({ node: pair.value, path: [...path, name] });
        } else {
          pending.push({ node: pair.key, path });
          pending.push({ node: pair.value, path });
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        pending.push({ node: item, path: [...path, i] });
      });
    }
  }
  duplicates.sort((a, b) => rangeStart(a.key) - rangeStart(b.key));
  return { duplicates, aliases };
}

/** The alias name used most often, with its first use. */
function mostUsedAlias(
  aliases: readonly { name: string; node: Node }[],
): { name: string; node: Node; uses: number } | undefined {
  const uses = new Map<string, { node: Node; uses: number }>();
  for (const a of aliases) {
    const u = uses.get(a.name);
    if (u === undefined) uses.set(a.name, { node: a.node, uses: 1 });
    else {
      u.uses++;
      if (rangeStart(a.node) < rangeStart(u.node)) u.node = a.node;
    }
  }
  let worst: { name: string; node: Node; uses: number } | undefined;
  for (const [name, u] of uses) if (worst === undefined || u.uses > worst.uses) worst = { name, ...u };
  return worst;
}

/** A document with no content: an empty text, only comments, or only a `---` line. */
function isEmpty(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && c.range[0] === c.range[1]);
}

interface SyntaxProblem {
  offset: number;
  message: string;
  suggestion?: string;
}

/**
 * The yaml library's errors, each at the place a person would fix. The library notices an
 * unclosed bracket or quote only where the text stops making sense (often the next line, or the end
 * of the file): those are reported at the bracket or quote that was never closed. A line indented
 * further than the key above it is read as that key's value going on, which the library reports at
 * the key above; it is reported at the line itself. Two errors about one place are one problem.
 */
function syntaxIssues(
  errors: readonly YAMLError[],
  tokens: readonly CST.Token[],
  text: string,
): SyntaxProblem[] {
  if (errors.length === 0) return [];
  const out: SyntaxProblem[] = [];
  const flows: CST.FlowCollection[] = [];
  const quoted: CST.FlowScalar[] = [];
  for (const token of allTokens(tokens)) {
    if (token.type === 'flow-collection') flows.push(token);
    else if (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar')
      quoted.push(token);
  }
  const lineStart = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
  const indentAt = (offset: number): number => {
    const start = lineStart(offset);
    let i = start;
    while (text[i] === ' ') i++;
    return i - start;
  };
  const multiline = new Set(errors.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY').map((e) => e.pos[0]));
  const closed = (f: CST.FlowCollection): boolean =>
    f.end.some((t) => t.type === (f.start.type === 'flow-map-start' ? 'flow-map-end' : 'flow-seq-end'));
  /** Strings never closed: each swallows the text after it, brackets included. */
  const openStrings: number[] = [];
  for (const e of errors) {
    const quote = /^Missing closing (["'])quote/.exec(firstLine(e.message));
    const open =
      quote && innermost(quoted.filter((q) => q.offset <= e.pos[0] && q.source.startsWith(quote[1]!)));
    if (open) openStrings.push(open.offset);
  }
  for (const e of errors) {
    const message = firstLine(e.message);
    const at = e.pos[0];
    if (/^Flow (map|sequence)\b.*\bend with a [}\]]/.test(message)) {
      const open = innermost(flows.filter((f) => f.offset <= at && !closed(f)));
      if (open !== undefined && openStrings.some((q) => q > open.offset && q <= at)) continue;
      if (open !== undefined) {
        const map = open.start.type === 'flow-map-start';
        out.push({
          offset: open.offset,
          message: `this "${map ? '{' : '['}" is never closed: end the ${map ? 'mapping' : 'list'} with "${map ? '}' : ']'}"`,
          ...(/in block collection/.test(message)
            ? {
                suggestion: `a ${map ? 'mapping' : 'list'} in brackets that goes on to more lines must indent them further than its key`,
              }
            : {}),
        });
        continue;
      }
    }
    const quote = /^Missing closing (["'])quote/.exec(message);
    const string = quote && innermost(quoted.filter((q) => q.offset <= at && q.source.startsWith(quote[1]!)));
    if (string) {
      out.push({
        offset: string.offset,
        message: `the string that starts here is never closed: end it with ${quote[1]}`,
      });
      continue;
    }
    if (e.code === 'MULTILINE_IMPLICIT_KEY' && indentAt(e.pos[1]) > indentAt(at)) {
      out.push({
        offset: lineStart(e.pos[1]) + indentAt(e.pos[1]),
        message:
          'this line is indented further than the line above it, so it reads as the value above going on; indent it as far as the keys beside it',
      });
      continue;
    }
    if (e.code === 'BLOCK_AS_IMPLICIT_KEY' && multiline.has(at)) continue;
    out.push({
      offset: at,
      message,
      ...(e.code === 'BLOCK_AS_IMPLICIT_KEY'
        ? { suggestion: 'put a value that contains ": " in quotes' }
        : {}),
    });
  }
  const seen = new Set<string>();
  return out.filter((p) => {
    const key = `${p.offset}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The one that starts last (the innermost of nested ones that all start before a place). */
function innermost<T extends { offset: number }>(candidates: readonly T[]): T | undefined {
  return candidates.reduce<T | undefined>(
    (a, b) => (a === undefined || b.offset > a.offset ? b : a),
    undefined,
  );
}

/** Every token of a concrete syntax tree, without recursion. */
function* allTokens(tokens: readonly CST.Token[]): Generator<CST.Token> {
  const pending: CST.Token[] = [...tokens].reverse();
  while (pending.length > 0) {
    const t = pending.pop()!;
    yield t;
    const children: (CST.Token | undefined)[] = [];
    if (t.type === 'document') children.push(t.value);
    else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection')
      for (const item of t.items)
        children.push(('key' in item ? item.key : undefined) ?? undefined, item.value);
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c !== undefined && c !== null) pending.push(c);
    }
  }
}

function rangeStart(node: Node | undefined): number {
  return node?.range?.[0] ?? 0;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** `12,345`, grouped by hand so messages do not depend on locale data. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The node at a path, or the deepest one that exists. Each mapping's keys are indexed once (on its
 * first lookup), so locating many issues in a large mapping stays linear.
 */
function deepestNode(
  doc: Document,
  path: readonly (string | number)[],
  index: WeakMap<YAMLMap, Map<string, { key: Node | undefined; value: unknown }>>,
): { node: Node | undefined; key: Node | undefined; depth: number } {
  let node: Node | undefined = isNode(doc.contents) ? doc.contents : undefined;
  let keyNode: Node | undefined;
  let depth = 0;
  for (const key of path) {
    let value: unknown;
    if (isMap(node)) {
      let keys = index.get(node);
      if (keys === undefined) {
        keys = new Map();
        for (const p of node.items) {
          const k = isScalar(p.key) ? String(p.key.value) : undefined;
          if (k !== undefined && !keys.has(k))
            keys.set(k, { key: isNode(p.key) ? p.key : undefined, value: p.value });
        }
        index.set(node, keys);
      }
      const pair = keys.get(String(key));
      value = pair?.value;
      keyNode = pair?.key;
    } else if (isSeq(node) && typeof key === 'number') {
      value = node.items[key];
      keyNode = undefined;
    }
    if (!isNode(value)) break;
    node = value;
    depth++;
  }
  return { node, key: keyNode, depth };
}
