import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  type CompiledModel,
  compileScenario,
  type DocumentLoader,
  parseDocument,
  type Result,
  ScenarioError,
  type ValidScenario,
  validateText,
} from '@entente/core';
import type { CliIO } from './io-streams.js';

/** A file's text; a missing or unreadable file is an issue, not a crash. */
function readText(path: string, shownAs: string): Result<string> {
  try {
    return { ok: true, value: readFileSync(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot read: ${(e as Error).message}`;
    return { ok: false, issues: [{ file: shownAs, path: [], code: 'file.read', message }] };
  }
}

/** Resolve `extends:` relative to the file that says it. */
export const fileLoader: DocumentLoader = (ref, from) => {
  const path = from === undefined ? resolve(ref) : resolve(dirname(from), ref);
  const shown = from === undefined ? ref : join(dirname(from), ref);
  const text = readText(path, shown);
  return text.ok ? parseDocument(text.value, shown) : text;
};

/** Read and validate a scenario file, following `extends`. */
export function validateFile(path: string): Result<ValidScenario> {
  const text = readText(path, path);
  return text.ok ? validateText(text.value, { file: path, loader: fileLoader }) : text;
}

/** Read, validate and compile a scenario file. */
export function loadFile(path: string): Result<CompiledModel> {
  const valid = validateFile(path);
  if (!valid.ok) return valid;
  return compileScenario(valid.value);
}

/** The model, or a ScenarioError carrying every issue (exit code 2). */
export function loadFileOrThrow(path: string): CompiledModel {
  const r = loadFile(path);
  if (!r.ok) throw new ScenarioError(r.issues);
  return r.value;
}

/** Write a result to `--out` (atomically) or to stdout. */
export function writeOutput(io: CliIO, flags: { out?: string; quiet?: boolean }, text: string): void {
  if (flags.out === undefined) {
    io.stdout.write(text);
    return;
  }
  writeFileAtomic(flags.out, text);
  if (!flags.quiet) io.stderr.write(`wrote ${flags.out}\n`);
}

/**
 * Write a file atomically: a temporary file in the same folder, then a rename over the target, so
 * a reader sees the old file or the new one, never half of one, and an interrupted run leaves none.
 */
export function writeFileAtomic(path: string, text: string): void {
  const temp = join(
    dirname(path),
    `.${basename(path)}.entente-tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
