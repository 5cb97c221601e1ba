import { EvidenceError, type Issue, ScenarioError, SimulationError } from '@entente/core';

/** Exit codes, documented in docs/CLI.md. */
export const EXIT = { ok: 0, runtime: 1, input: 2, interrupted: 130 } as const;

/** A usage mistake the CLI reports in one line with exit code 2 (bad flag value, missing file…). */
export class UsageError extends Error {}

/**
 * The output could not be written (a full disk, a read-only file system, no permission): reported in
 * one line with exit code 1. Nothing half-written is left behind.
 */
export class OutputError extends Error {}

/** What an errno code means, in the user's words (`no space left on device`), or undefined. */
export function describeErrno(code: string | undefined): string | undefined {
  switch (code) {
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EFBIG':
      return 'file too large';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'EIO':
      return 'input/output error';
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EEXIST':
      return 'already exists';
    case 'EXDEV':
      return 'cannot rename across file systems';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return undefined;
  }
}

/**
 * An error that must cross a worker thread's boundary as data: piscina rejects with a structured
 * clone that keeps only an Error's message and stack, not its class or fields, so a worker returns
 * this instead and the main thread rebuilds the same error the single-threaded run throws.
 */
export type CarriedError =
  | { kind: 'simulation'; message: string; where: SimulationError['where'] }
  | { kind: 'scenario'; issues: Issue[] }
  | { kind: 'evidence'; message: string; ruledOut: EvidenceError['ruledOut']; runs: number };

/** The data of an error a user should see as such (not a bug), or undefined for anything else. */
export function carryError(e: unknown): CarriedError | undefined {
  if (e instanceof SimulationError) {
    return { kind: 'simulation', message: e.message, where: { ...e.where, path: [...e.where.path] } };
  }
  if (e instanceof ScenarioError) return { kind: 'scenario', issues: e.issues };
  if (e instanceof EvidenceError)
    return { kind: 'evidence', message: e.message, ruledOut: e.ruledOut, runs: e.runs };
  return undefined;
}

/** A worker task's failure as data, for the reply (`{ ok: false, error }`). */
export type Carried = { ok: false; error: CarriedError };

/** In a worker task's `catch`: the error as data for the reply, or thrown again when it is a bug. */
export function carried(e: unknown): Carried {
  const error = carryError(e);
  if (error === undefined) throw e;
  return { ok: false, error };
}

/** The error `carryError` was given, rebuilt with its class, message and fields. */
export function reviveError(c: CarriedError): SimulationError | ScenarioError | EvidenceError {
  if (c.kind === 'simulation') return new SimulationError(c.message, c.where);
  if (c.kind === 'evidence') return new EvidenceError(c.message, c.ruledOut, c.runs);
  return new ScenarioError(c.issues);
}
