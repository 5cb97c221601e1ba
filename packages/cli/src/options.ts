import {
  type Binding,
  bindParams,
  type CompiledModel,
  type Issue,
  type Result,
  ScenarioError,
} from '@entente/core';
import { InvalidArgumentError } from 'commander';

/** `--runs`: a positive integer; `100000`, `100_000`, `1e5` and `100k` all work. */
export function parseRuns(text: string): number {
  const m = /^(\d[\d_,]*(?:\.\d+)?(?:e\d+)?)(k|m)?$/i.exec(text.trim());
  const n = m
    ? Number(m[1]!.replace(/[_,]/g, '')) * (m[2] ? (m[2].toLowerCase() === 'k' ? 1e3 : 1e6) : 1)
    : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a positive whole number such as 40000, 40_000, 4e4 or 40k');
  return n;
}

/** `--seed`: an integer stays a number; anything else is a string seed. */
export function parseSeed(text: string): number | string {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  if (text.length === 0) throw new InvalidArgumentError('a seed cannot be empty');
  return text;
}

/** `--precision`: a half-width in (0, 0.5), e.g. 0.005. */
export function parsePrecision(text: string): number {
  const x = Number(text);
  if (!(x > 0 && x < 0.5))
    throw new InvalidArgumentError('expected a half-width between 0 and 0.5, such as 0.005');
  return x;
}

/**
 * `--drivers-tolerance A[,R]`: stop each driver's pair of variants once its effect's 95% half-width
 * is at most A (a probability) or R × |effect|, whichever is larger; R is 0 when not given, so `0`
 * runs every pair on all of attribution's trials.
 */
export function parseTolerance(text: string): { absolute: number; relative: number } {
  const parts = text.split(',').map((s) => s.trim());
  const [absolute, relative = 0] = parts.map((s) => (s === '' ? Number.NaN : Number(s)));
  const ok = (x: number | undefined): boolean => x !== undefined && x >= 0 && x < 1;
  if (parts.length > 2 || !ok(absolute) || !ok(relative))
    throw new InvalidArgumentError(
      'expected A or A,R with 0 ≤ A, R < 1, such as 0.005,0.1 (±0.5 points or ±10% of the effect) or 0 (every trial)',
    );
  return { absolute: absolute!, relative };
}

/** `--drivers-tolerance` as it would be written, for reproduce lines. */
export function toleranceText(t: { absolute: number; relative: number }): string {
  return t.relative === 0 ? String(t.absolute) : `${t.absolute},${t.relative}`;
}

/** `--trial`: a non-negative integer. */
export function parseTrial(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError('expected a trial number: 0, 1, 2, …');
  return n;
}

/**
 * `--shard K/N`: shard K (0-based) of N, e.g. 0/4 … 3/4; or `--shard auto`: K and N from the batch
 * system the process runs under (Kubernetes Indexed Job, Slurm array, AWS Batch array, GNU parallel),
 * resolved when the command runs (shardEnv.ts).
 */
export function parseShard(text: string): { index: number; count: number } | 'auto' {
  if (text.trim().toLowerCase() === 'auto') return 'auto';
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index < count)) {
    throw new InvalidArgumentError(
      'expected K/N with 0 ≤ K < N, such as 0/4, or auto (K and N from a Kubernetes Indexed Job, a Slurm array, an AWS Batch array job or GNU parallel)',
    );
  }
  return { index, count };
}

/** `--workers N`: a positive number of threads. */
export function parseWorkers(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 256)
    throw new InvalidArgumentError('expected a number of threads from 1 to 256');
  return n;
}

/** One `--set NAME=VALUE`: the param, the value to bind it to, and the flag's text for a reproduce line. */
export interface SetFlag {
  name: string;
  value: number | Record<string, unknown>;
  /** `h=0.1`, or `h={"dist":"uniform","min":0,"max":1}` (JSON without spaces). */
  text: string;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const SET_EXAMPLE = 'h=0.1, or h={"dist":"uniform","min":0,"max":1}';

/**
 * `--set NAME=VALUE` (repeatable): VALUE is a number, or a distribution as a JSON object. Whether
 * NAME is a param, and the distribution valid, is checked against the scenario (`bindSet`).
 */
export function parseSet(text: string, previous: SetFlag[] | undefined): SetFlag[] {
  const eq = text.indexOf('=');
  const name = eq < 0 ? '' : text.slice(0, eq).trim();
  const raw = eq < 0 ? '' : text.slice(eq + 1).trim();
  if (name === '' || raw === '')
    throw new InvalidArgumentError(`expected NAME=VALUE, such as ${SET_EXAMPLE}`);
  let value: SetFlag['value'];
  if (raw.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw new InvalidArgumentError(
        `the value of ${name} is not valid JSON (${(e as Error).message}); quote it for the shell: --set '${name}={"dist":"uniform","min":0,"max":1}'`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new InvalidArgumentError(`the value of ${name} must be a number or a JSON object`);
    value = parsed as Record<string, unknown>;
  } else {
    value = NUMBER.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value))
      throw new InvalidArgumentError(
        `the value of ${name} must be a finite number or a JSON distribution, not ${JSON.stringify(raw)} (${SET_EXAMPLE})`,
      );
  }
  if (previous?.some((p) => p.name === name)) throw new InvalidArgumentError(`${name} is set twice`);
  const shown = typeof value === 'number' ? raw : JSON.stringify(value);
  return [...(previous ?? []), { name, value, text: `${name}=${shown}` }];
}

/** The `--set` flags as a binding for `bindParams` (and for worker threads, which bind it themselves). */
export function bindingOf(set: readonly SetFlag[] | undefined): Binding {
  return Object.fromEntries((set ?? []).map((s) => [s.name, s.value])) as Binding;
}

/**
 * The model with the `--set` values bound at run time (no recompiling): bit for bit what editing the
 * params in `file` gives. A name that is not a param (with a suggestion), a distribution for a param
 * that is a number in the file, or an invalid distribution is an issue that names the flag.
 */
export function bindSet(
  model: CompiledModel,
  set: readonly SetFlag[] | undefined,
  file: string,
): Result<CompiledModel> {
  if (set === undefined || set.length === 0) return { ok: true, value: model };
  const bound = bindParams(model, bindingOf(set));
  if (bound.ok) return bound;
  const flag = new Map(set.map((s) => [s.name, s.text]));
  return {
    ok: false,
    issues: bound.issues.map(
      (i): Issue => ({
        ...i,
        file,
        message: `--set ${flag.get(String(i.path[1])) ?? String(i.path[1])}: ${i.message}`,
      }),
    ),
  };
}

/** As `bindSet`, throwing its issues (exit 2, every problem listed). */
export function applySet(
  model: CompiledModel,
  set: readonly SetFlag[] | undefined,
  file: string,
): CompiledModel {
  const bound = bindSet(model, set, file);
  if (!bound.ok) throw new ScenarioError(bound.issues);
  return bound.value;
}

/** A word for a POSIX shell: as it is when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:=+\-/@%]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
