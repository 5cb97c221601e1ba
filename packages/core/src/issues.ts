/**
 * Expected failures are data: a list of issues, each with a code and a location. Bugs throw.
 */

/** Where in the user's input a problem was found. */
export interface Location {
  /** The file as the user named it, if the input came from a file. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** The path in the document, e.g. `["params", "oil_share", "sd"]`. */
  path: (string | number)[];
}

/** One problem with a scenario, reported to the user as a line of text or a JSON object. */
export interface Issue extends Location {
  /** Stable machine-readable code, e.g. `formula.unknown-name`. */
  code: string;
  /** What is wrong, in plain words. */
  message: string;
  /** What was expected, when that helps. */
  expected?: string;
  /** A suggested fix, e.g. a name the user probably meant. */
  suggestion?: string;
}

/** A value or the list of issues that prevented it. */
export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(issues: Issue[]): Result<T> => ({ ok: false, issues });

/** Thrown by the `…OrThrow` conveniences of the library API; carries every issue. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(readonly issues: Issue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

/** Thrown when a formula produces NaN or ±∞, or a probability leaves [0, 1], during a trial. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
  constructor(
    message: string,
    readonly where: { path: (string | number)[]; step: number; trial: number; value: number },
  ) {
    super(message);
  }
}

/** `file:line:column: path: message (expected …) — did you mean …?` */
export function formatIssue(issue: Issue): string {
  const at = [issue.file, issue.line, issue.column].filter((x) => x !== undefined).join(':');
  const path = issue.path.length > 0 ? formatPath(issue.path) : '(document)';
  let text = `${at ? `${at}: ` : ''}${path}: ${issue.message}`;
  if (issue.expected) text += ` (expected ${issue.expected})`;
  if (issue.suggestion) text += `; ${issue.suggestion}`;
  return text;
}

/** `params.oil_share.sd`, `events.ban.effects[0].to`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Thrown by `estimate` when no trial is consistent with a scenario's evidence (`given`). */
export class EvidenceError extends Error {
  override readonly name = 'EvidenceError';
  constructor(
    message: string,
    /** How many trials each clause, alone, ruled out; and how many were run. */
    readonly ruledOut: { clause: string; trials: number }[],
    readonly runs: number,
  ) {
    super(message);
  }
}
