import { formatIssue, type Issue } from '@entente/core';
import { EXIT } from '../errors.js';
import { loadFile } from '../io.js';
import type { CliIO } from '../io-streams.js';

/** Check every file (schema, references and formulas); print every problem; exit 0 if all are valid. */
export function validateCommand(files: string[], flags: { json?: boolean }, io: CliIO): number {
  const all: Issue[] = [];
  const report: { file: string; valid: boolean; issues: Issue[] }[] = [];
  for (const file of files) {
    const r = loadFile(file);
    const issues = r.ok ? [] : r.issues;
    all.push(...issues);
    report.push({ file, valid: r.ok, issues });
    if (!flags.json) {
      if (r.ok) io.stdout.write(`${file}: valid\n`);
      else for (const i of issues) io.stdout.write(`${formatIssue(i)}\n`);
    }
  }
  if (flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (all.length > 0)
    io.stderr.write(
      `${all.length} problem(s) in ${report.filter((r) => !r.valid).length} of ${files.length} file(s)\n`,
    );
  return all.length === 0 ? EXIT.ok : EXIT.input;
}
