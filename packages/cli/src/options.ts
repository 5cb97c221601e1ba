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

/** `--trial`: a non-negative integer. */
export function parseTrial(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError('expected a trial number: 0, 1, 2, …');
  return n;
}

/** `--shard K/N`: shard K (0-based) of N, e.g. 0/4 … 3/4; Kubernetes' JOB_COMPLETION_INDEX and Slurm's SLURM_ARRAY_TASK_ID fit K. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index < count)) {
    throw new InvalidArgumentError('expected K/N with 0 ≤ K < N, such as 0/4');
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
