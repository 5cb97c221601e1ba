import { formatIssue, type Issue } from '@entente/core';
import { EXIT } from '../errors.js';
import { loadFile } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { outputFormat } from './trace.js';

export interface ValidateFlags {
  /** `table` (default): `FILE: valid` or one line per problem; `json`: every file's problems as JSON. */
  format?: 'table' | 'json';
  /** `--json`, kept as an alias of `--format json`. */
  json?: boolean;
  /** No summary line on stderr. */
  quiet?: boolean;
}

/** Check every file (schema, references and formulas); print every problem; exit 0 if all are valid. */
export function validateCommand(files: string[], flags: ValidateFlags, io: CliIO): number {
  const json = outputFormat(flags) === 'json';
  const all: Issue[] = [];
  const report: { file: string; valid: boolean; issues: Issue[] }[] = [];
  for (const file of files) {
    const r = loadFile(file);
    const issues = r.ok ? [] : r.issues;
    all.push(...issues);
    report.push({ file, valid: r.ok, issues });
    if (!json) {
      if (r.ok) io.stdout.write(`${file}: valid\n`);
      else for (const i of issues) io.stdout.write(`${formatIssue(i)}\n`);
    }
  }
  if (json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (all.length > 0 && !flags.quiet)
    io.stderr.write(
      `${all.length} problem(s) in ${report.filter((r) => !r.valid).length} of ${files.length} file(s)\n`,
    );
  return all.length === 0 ? EXIT.ok : EXIT.input;
}
