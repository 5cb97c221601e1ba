import {
  type Document,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument as parseYaml,
} from 'yaml';
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

/** Parse YAML or JSON text (JSON is YAML). Syntax errors come back as issues with line and column. */
export function parseDocument(text: string, file?: string): Result<ParsedDocument> {
  const lineCounter = new LineCounter();
  const doc = parseYaml(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const withFile = file === undefined ? {} : { file };
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map(
        (e): Issue => ({
          ...withFile,
          ...at(e.pos[0]),
          path: [],
          code: 'document.syntax',
          message: firstLine(e.message),
          expected: 'valid YAML or JSON',
        }),
      ),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  return ok({
    file,
    data,
    locate(path, options) {
      const { node, key, depth } = deepestNode(doc, path);
      const target = options?.key && depth === path.length && key !== undefined ? key : node;
      const offset = target?.range?.[0] ?? 0;
      const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
      const found = depth === path.length;
      const scalar = found && isScalar(node) && typeof node.value === 'string';
      return { ...withFile, ...at(offset), path: [...path], found, quoted, scalar };
    },
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function deepestNode(
  doc: Document,
  path: readonly (string | number)[],
): { node: Node | undefined; key: Node | undefined; depth: number } {
  let node: Node | undefined = isNode(doc.contents) ? doc.contents : undefined;
  let keyNode: Node | undefined;
  let depth = 0;
  for (const key of path) {
    let value: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      value = pair?.value;
      keyNode = isNode(pair?.key) ? pair.key : undefined;
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
