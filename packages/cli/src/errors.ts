/** Exit codes, documented in docs/CLI.md. */
export const EXIT = { ok: 0, runtime: 1, input: 2, interrupted: 130 } as const;

/** A usage mistake the CLI reports in one line with exit code 2 (bad flag value, missing file…). */
export class UsageError extends Error {}
