import { parseDocument } from './document/parse.js';
import { type DocumentLoader, isRecord, type ResolvedDocument, resolveDocument } from './document/resolve.js';
import { type Result, ScenarioError } from './issues.js';
import { type CompiledModel, type CompileOptions, compileScenario } from './model/compile.js';
import { type ValidScenario, validateScenario } from './schema/validate.js';

export interface LoadOptions extends CompileOptions {
  /** The file name used in messages (and to resolve `extends` relative to it). */
  file?: string;
  /** Reads the documents that `extends:` names. Without one, `extends` is an error. */
  loader?: DocumentLoader;
  /**
   * Observations added to the document's own `given` (the CLI's `--given`), in the same language.
   * Their problems are located at file `--given`, line 1, with the column inside the clause.
   */
  given?: readonly string[];
}

/**
 * Parse, resolve `extends`, and validate scenario text (YAML or JSON): the schema, references,
 * formulas and `given` clauses, as `validateScenario` does; every problem of every stage that can
 * run is reported. What validates compiles (`loadScenario` accepts exactly what this accepts).
 */
export function validateText(text: string, options: LoadOptions = {}): Result<ValidScenario> {
  const parsed = parseDocument(text, options.file);
  if (!parsed.ok) return parsed;
  const resolved = resolveDocument(parsed.value, options.loader);
  if (!resolved.ok) return resolved;
  const given = options.given ?? [];
  return validateScenario(given.length === 0 ? resolved.value : withGiven(resolved.value, given));
}

/** The document with `extra` clauses appended to its `given`, located at `--given`. */
function withGiven(doc: ResolvedDocument, extra: readonly string[]): ResolvedDocument {
  const data = isRecord(doc.data) ? doc.data : {};
  const own = Array.isArray(data.given) ? (data.given as unknown[]) : [];
  return {
    ...doc,
    data: { ...data, given: [...own, ...extra] },
    locate(path, options) {
      const i = path[1];
      if (path[0] === 'given' && typeof i === 'number' && i >= own.length)
        return { file: '--given', line: 1, column: 1, path: [...path], scalar: true, quoted: false };
      return doc.locate(path, options);
    },
  };
}

/** The whole pipeline from text to a model ready to simulate. */
export function loadScenario(text: string, options: LoadOptions = {}): Result<CompiledModel> {
  const valid = validateText(text, options);
  if (!valid.ok) return valid;
  return compileScenario(valid.value, options);
}

/** As `loadScenario`, throwing a ScenarioError that lists every issue. */
export function loadScenarioOrThrow(text: string, options: LoadOptions = {}): CompiledModel {
  const r = loadScenario(text, options);
  if (!r.ok) throw new ScenarioError(r.issues);
  return r.value;
}

/**
 * Validate plain data (a scenario built in code, or edited with `variant`), as fully as
 * `validateText` (formulas included). Locations are paths only.
 */
export function validateData(data: unknown): Result<ValidScenario> {
  const document: ResolvedDocument = { data, chain: [], locate: (path) => ({ path: [...path] }) };
  return validateScenario(document);
}
