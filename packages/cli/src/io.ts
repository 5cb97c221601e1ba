import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import {
  type CompiledModel,
  closest,
  compileScenario,
  type DocumentLoader,
  defaults,
  parseDocument,
  type Result,
  ScenarioError,
  type ValidScenario,
  validateText,
} from '@entente/core';
import { describeErrno, OutputError, UsageError } from './errors.js';
import type { CliIO } from './io-streams.js';

/**
 * A scenario file's text; a missing, unreadable, oversized or special file is an issue, not a crash
 * or a hang. Only regular files are read (checked with fstat on the open file, so the answer cannot
 * change between the check and the read): `/dev/zero`, a FIFO or a directory is refused at once, and
 * at most MAX_DOCUMENT_SIZE bytes are ever read, even from a file that grows while it is read.
 */
function readText(path: string, shownAs: string): Result<string> {
  const problem = (message: string, code = 'file.read'): Result<string> => ({
    ok: false,
    issues: [{ file: shownAs, path: [], code, message }],
  });
  const limit = defaults.MAX_DOCUMENT_SIZE;
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (fstat then refuses it).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return problem('is a directory, not a file');
    if (!stats.isFile())
      return problem(`is ${fileKind(stats)}, not a regular file; give a scenario file`, 'file.not-regular');
    if (stats.size > limit)
      return problem(`is ${bytes(stats.size)} long; the limit is ${bytes(limit)}`, 'file.too-large');
    // Read to the end, but never more than one byte past the limit: the file may grow meanwhile,
    // and some files (in /proc) say they are empty.
    const buffer = Buffer.allocUnsafe(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) return problem(`is longer than the limit of ${bytes(limit)}`, 'file.too-large');
    return { ok: true, value: buffer.toString('utf8', 0, length) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return problem(
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot read: ${(e as Error).message}`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What a file that is not a regular one is, in a user's words. */
function fileKind(stats: Stats): string {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

/** `4,194,304 bytes (4 MiB)`: exact, so a file just over the limit does not read as equal to it. */
function bytes(n: number): string {
  const grouped = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped} bytes (${Number((n / (1024 * 1024)).toFixed(1))} MiB)`;
}

/**
 * Resolve `extends:` relative to the file that says it. A base that cannot be read is reported at
 * the `extends:` line that names it (so the issue carries no file of its own).
 */
export const fileLoader: DocumentLoader = (ref, from) => {
  const path = from === undefined ? resolve(ref) : resolve(dirname(from), ref);
  const shown = from === undefined || isAbsolute(ref) ? ref : join(dirname(from), ref);
  const text = readText(path, shown);
  if (text.ok) return parseDocument(text.value, shown);
  return {
    ok: false,
    issues: text.issues.map(({ file: _file, ...issue }) => {
      const suggestion = issue.message === 'no such file' ? nearestFile(path, ref) : undefined;
      return {
        ...issue,
        message: `cannot read the base file ${JSON.stringify(shown)}: ${issue.message.replace(/^cannot read: /, '')}`,
        ...(suggestion === undefined ? {} : { suggestion }),
      };
    }),
  };
};

/**
 * For a base file that does not exist, the scenario file (.yaml, .yml, .json) in the same folder
 * whose name is closest, written as the `extends:` line wrote its path: `did you mean
 * "./baseline.yaml"?`. Undefined when the folder cannot be listed or nothing is close.
 */
function nearestFile(path: string, ref: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dirname(path)).filter((n) => /\.(ya?ml|json)$/i.test(n));
  } catch {
    return undefined;
  }
  const best = closest(basename(path), names);
  return best === undefined
    ? undefined
    : `did you mean "${ref.slice(0, ref.length - basename(ref).length)}${best}"?`;
}

/** Read and validate a scenario file, following `extends`; `given` adds observations (`--given`). */
export function validateFile(path: string, given: readonly string[] = []): Result<ValidScenario> {
  const text = readText(path, path);
  return text.ok ? validateText(text.value, { file: path, loader: fileLoader, given }) : text;
}

/** Read, validate and compile a scenario file. */
export function loadFile(path: string, given: readonly string[] = []): Result<CompiledModel> {
  const valid = validateFile(path, given);
  if (!valid.ok) return valid;
  return compileScenario(valid.value);
}

/** The model, or a ScenarioError carrying every issue (exit code 2). */
export function loadFileOrThrow(path: string, given: readonly string[] = []): CompiledModel {
  const r = loadFile(path, given);
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
 * Check, before any work, that `--out PATH` can be written: its folder exists and is writable, and
 * PATH is not a folder or a device. Throws a UsageError (exit 2) naming what is wrong, so a long run
 * is not lost to a typo in a path. A later failure (a full disk) is still possible and reported by
 * `writeFileAtomic`.
 */
export function checkOutputPath(path: string): void {
  if (path === '') throw new UsageError('--out needs a file name');
  const target = resolve(path);
  let existing: Stats | undefined;
  try {
    existing = statSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new UsageError(`cannot write ${path}: a part of the path is not a folder`);
    if (code !== 'ENOENT') throw new UsageError(`cannot write ${path}: ${reason(e)}`);
  }
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${path}: it is a folder; give a file name`);
  if (existing !== undefined && !existing.isFile()) {
    throw new UsageError(
      `cannot write ${path}: it is not a regular file (to write to a device or a pipe, leave out --out and redirect stdout)`,
    );
  }
  const folder = dirname(target);
  const shownFolder = dirname(path);
  let folderStats: Stats;
  try {
    folderStats = statSync(folder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `cannot write ${path}: the folder ${shownFolder} does not exist`
        : `cannot write ${path}: ${reason(e)}`,
    );
  }
  if (!folderStats.isDirectory())
    throw new UsageError(`cannot write ${path}: ${shownFolder} is not a folder`);
  try {
    // Writing the temporary file and renaming it needs write and search permission on the folder.
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${reason(e)} (folder ${shownFolder})`);
  }
}

/** The file operations `writeFileAtomic` uses; tests pass failing ones (a full disk). */
export interface WriteOps {
  writeFileSync(path: string, text: string, options: { flag: string }): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: boolean }): void;
}

const realWriteOps: WriteOps = { writeFileSync, renameSync, rmSync };

/**
 * Write a file atomically: a temporary file in the same folder, then a rename over the target, so
 * a reader sees the old file or the new one, never half of one, and an interrupted run leaves none.
 * If writing fails (a full disk, a read-only file system, no permission), the temporary file is
 * removed, the target is untouched, and an OutputError (exit 1) says why in plain words.
 */
export function writeFileAtomic(path: string, text: string, ops: WriteOps = realWriteOps): void {
  const temp = join(
    dirname(path),
    `.${basename(path)}.entente-tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    ops.writeFileSync(temp, text, { flag: 'wx' });
    ops.renameSync(temp, path);
  } catch (e) {
    try {
      ops.rmSync(temp, { force: true });
    } catch {
      // The folder itself may have become unwritable; the write error is the one to report.
    }
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw new OutputError(`cannot write ${path}: ${reason(e)}; nothing was written`);
  }
}

/** An errno error in the user's words: `no space left on device (ENOSPC)`. */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const said = describeErrno(code);
  return said === undefined ? (e as Error).message : `${said} (${code})`;
}
