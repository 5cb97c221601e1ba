import * as z from 'zod';
import { SKETCH_RELATIVE_ACCURACY } from '../defaults.js';
import { canonicalJson, fingerprint } from '../hash.js';
import { fail, type Issue, ok, type Result } from '../issues.js';
import { ExactSum } from '../stats/exactSum.js';
import { ENGINE_NAME, ENGINE_VERSION } from '../version.js';

/**
 * What a shard (tallies) file must be before it is merged. Shard files come from other machines and
 * may be truncated, edited or from another engine, so nothing in one is trusted: the file is checked
 * in stages (a JSON object → this format and this engine version → this scenario → the zod schema
 * below, with every array's length fixed by the scenario → the invariants between fields), and each
 * problem comes back as an Issue naming the file and the path in it. No input throws.
 */

export const SHARD_FORMAT = 'entente-tallies';
export const SHARD_FORMAT_VERSION = 1;
/** More shards than this in one set is refused (the missing ones are listed one by one). */
export const MAX_SHARDS = 1_000_000;
/** Non-overlapping partials of an exact sum of doubles span at most the 2,098 bits of the double range. */
const MAX_PARTIALS = 2_100;
/** Buckets per sign that a sketch keeps before it collapses its smallest (stats/sketch.ts). */
const MAX_BUCKETS = 2_048;
/** Problems reported per file; past this many the rest are counted, not listed. */
const MAX_ISSUES_PER_FILE = 20;

const LOG_GAMMA = Math.log((1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY));
/** Bucket keys that some double can fall into: ⌈ln|x| / ln γ⌉ for |x| from 2^-1074 to the largest double. */
const MIN_KEY = Math.floor(Math.log(Number.MIN_VALUE) / LOG_GAMMA) - 1;
const MAX_KEY = Math.ceil(Math.log(Number.MAX_VALUE) / LOG_GAMMA) + 1;

/** A JSON value in a few words, for messages (`-4`, `null`, `the string "x"`, `an array of 3`). */
export function describeValue(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (typeof x === 'number') return String(x);
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'object') return 'an object';
  return `${typeof x} ${String(x)}`;
}

function countProblem(x: unknown, what: string): string | undefined {
  if (typeof x !== 'number') return `expected a ${what} (a whole number ≥ 0), got ${describeValue(x)}`;
  if (!Number.isFinite(x)) return `${what} ${x} is not a finite number`;
  if (x < 0) return `${what} ${x} is negative`;
  if (!Number.isInteger(x)) return `${what} ${x} is not a whole number`;
  if (x > Number.MAX_SAFE_INTEGER) return `${what} ${x} is too large to be exact (above 2^53 − 1)`;
  return undefined;
}

/** A leaf checked by a function that says what is wrong in plain words, or undefined when nothing is. */
const leaf = <T>(problem: (x: unknown) => string | undefined) =>
  z.custom<T>((x) => problem(x) === undefined, { error: (iss) => problem(iss.input) });

const count = (what = 'count') => leaf<number>((x) => countProblem(x, what));
const finite = (what: string) =>
  leaf<number>((x) =>
    typeof x !== 'number'
      ? `expected ${what} (a finite number), got ${describeValue(x)}`
      : Number.isFinite(x)
        ? undefined
        : `${what} ${x} is not a finite number`,
  );
const text = (what: string) =>
  leaf<string>((x) =>
    typeof x === 'string' ? undefined : `expected ${what} (a string), got ${describeValue(x)}`,
  );

const bucketKey = leaf<number>((x) =>
  typeof x === 'number' && Number.isInteger(x) && x >= MIN_KEY && x <= MAX_KEY
    ? undefined
    : `sketch bucket key ${describeValue(x)} is not a whole number from ${MIN_KEY} to ${MAX_KEY}`,
);
const bucketCount = leaf<number>(
  (x) =>
    countProblem(x, 'bucket count') ??
    (x === 0 ? 'bucket count 0: an empty bucket is never written' : undefined),
);

/** An array whose length is fixed: a wrong length is one issue, and its elements are not read. */
const exactly = <T extends z.ZodType>(item: T, n: number, what: string) =>
  z.array(item).length(n, {
    error: (iss) => `expected ${what}: ${n} item${n === 1 ? '' : 's'}, got ${describeValue(iss.input)}`,
  });
const atMost = <T extends z.ZodType>(item: T, n: number, what: string) =>
  z.array(item).max(n, { error: (iss) => `${what}: at most ${n} items, got ${describeValue(iss.input)}` });

/** The dimensions of a conditioned model's evidence tallies. */
export interface EvidenceShape {
  /** Each clause in canonical form (`not hit by 6`). */
  clauses: readonly string[];
  /** The random params whose prior and posterior are tallied. */
  params: readonly string[];
  /** One weight unit: 1 with hard evidence only, EVIDENCE_WEIGHT_UNIT when any clause is soft. */
  unit: number;
}

/** The dimensions a shard of a model must have. */
export interface ShardShape {
  hash: string;
  id: string;
  horizon: number;
  outcomes: readonly string[];
  values: readonly string[];
  /** Present when the model conditions on evidence: then so must its shards, and not otherwise. */
  evidence?: EvidenceShape;
}

/**
 * The zod schema of a shard file of a model with this shape: every array's length is fixed. The
 * `evidence` part is present exactly when the shape has one (a shard of a conditioned run).
 */
export function shardSchema(shape: ShardShape) {
  const sketchSide = (sign: string) =>
    atMost(z.tuple([bucketKey, bucketCount]), MAX_BUCKETS, `${sign} buckets ([key, count] pairs)`);
  const partials = (what: string) => atMost(finite('a partial sum'), MAX_PARTIALS, what);
  const tally = z.strictObject({
    sum: partials('the exact sum’s partials'),
    sumOfSquares: partials('the exact sum of squares’ partials'),
    sketch: z.strictObject({
      alpha: leaf<number>((x) =>
        x === SKETCH_RELATIVE_ACCURACY
          ? undefined
          : `sketch accuracy ${describeValue(x)} is not this engine's ${SKETCH_RELATIVE_ACCURACY}`,
      ),
      zeros: count('count of zeros'),
      positive: sketchSide('positive'),
      negative: sketchSide('negative'),
    }),
    min: z.union([z.null(), finite('the minimum')]),
    max: z.union([z.null(), finite('the maximum')]),
  });
  const e = shape.evidence ?? { clauses: [], params: [], unit: 1 };
  const evidence = z.strictObject({
    clauses: exactly(text('a clause'), e.clauses.length, 'the clauses'),
    params: exactly(text('a param name'), e.params.length, 'the random params'),
    unit: leaf<number>((x) =>
      x === e.unit
        ? undefined
        : `weight unit ${describeValue(x)} is not this evidence's ${e.unit} (${e.unit === 1 ? 'hard evidence only' : 'soft evidence'})`,
    ),
    accepted: count('number of accepted trials'),
    weight: count('weight'),
    weightSquared: partials('the exact sum of squared weights’ partials'),
    failed: exactly(count('count of trials ruled out'), e.clauses.length, 'one count per clause'),
    prior: exactly(tally, e.params.length, 'one tally per random param'),
    posterior: exactly(tally, e.params.length, 'one tally per random param'),
  });
  return z
    .strictObject({
      format: z.literal(SHARD_FORMAT),
      version: z.literal(SHARD_FORMAT_VERSION),
      engine: z.strictObject({ name: z.literal(ENGINE_NAME), version: z.literal(ENGINE_VERSION) }),
      scenario: z.strictObject({ id: text('a scenario id'), hash: z.literal(shape.hash) }),
      seed: leaf<number | string>((x) =>
        typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))
          ? undefined
          : `expected a seed (a finite number or a string), got ${describeValue(x)}`,
      ),
      firstTrial: count('first trial'),
      runs: count('number of runs'),
      horizon: z.literal(shape.horizon),
      outcomes: exactly(text('an outcome id'), shape.outcomes.length, 'the outcome ids'),
      values: exactly(text('a value name'), shape.values.length, 'the reported value names'),
      firstPassage: exactly(
        exactly(count(), shape.horizon + 1, `one count per step 0 … ${shape.horizon}`),
        shape.outcomes.length,
        'one row of first-passage counts per outcome',
      ),
      tallies: exactly(tally, shape.values.length, 'one tally per reported value'),
      // Optional in the type; the refinement below (and `header`, which runs first) make it
      // present exactly when the shape conditions on evidence.
      evidence: evidence.optional(),
      checksum: leaf<string>((x) =>
        typeof x === 'string' && /^[0-9a-f]{16}$/.test(x)
          ? undefined
          : `expected a checksum (16 hex digits), got ${describeValue(x)}`,
      ).optional(),
      shard: z
        .strictObject({
          index: count('shard index'),
          count: count('shard count'),
          totalRuns: count('number of runs of the whole set'),
        })
        .optional(),
    })
    .superRefine((s, ctx) => {
      const problem = evidencePresence(s.evidence !== undefined, shape);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['evidence'], message: problem });
    });
}

/** Why a shard with (or without) an `evidence` part is not a shard of this shape, if it is not. */
function evidencePresence(has: boolean, shape: ShardShape, theirs?: unknown): string | undefined {
  const mine = shape.evidence;
  const again = 'merge with the same scenario file and the same --given clauses as the shards were run with';
  if (has && mine === undefined) {
    const clauses = Array.isArray(theirs) ? ` (given ${quoteClauses(theirs)})` : '';
    return `a shard of a run conditioned on evidence${clauses}, but this scenario conditions on nothing: ${again}`;
  }
  if (!has && mine !== undefined)
    return `a shard of a run that conditions on nothing, but this scenario conditions on evidence (given ${quoteClauses(mine.clauses)}): ${again}`;
  return undefined;
}

const quoteClauses = (xs: readonly unknown[]): string =>
  xs.length <= 10
    ? xs.map((x) => (typeof x === 'string' ? JSON.stringify(x) : describeValue(x))).join(', ')
    : `${xs.length} clauses`;

/** A shard file as written by `toShard` and accepted by `checkShard`. */
export type ShardRecord = z.output<ReturnType<typeof shardSchema>>;

/**
 * One spelling per seed: the random streams depend on `String(seed)` alone (random/seed.ts), so `7`
 * and `"7"` are the same seed; a string that is the decimal form of a safe integer becomes that number.
 */
export function canonicalSeed(seed: number | string): number | string {
  if (typeof seed === 'number') return seed;
  const n = Number(seed);
  return /^-?\d+$/.test(seed) && Number.isSafeInteger(n) && String(n) === seed ? n : seed;
}

/**
 * A shard's checksum: the fingerprint of its canonical JSON without the checksum, with the seed in
 * its canonical spelling. It catches a file changed by accident (an edited count that breaks no
 * invariant, a truncated partial); it is not a signature, and a file without one is still accepted.
 */
export function shardChecksum(record: ShardRecord): string {
  return fingerprint(canonicalJson({ ...record, checksum: undefined, seed: canonicalSeed(record.seed) }));
}

type Path = (string | number)[];

/**
 * Check one parsed shard file against a model's shape: a ShardRecord, or every problem (at most 20,
 * then a count of the rest), each with `file` and the path in the file. Never throws.
 */
export function checkShard(data: unknown, shape: ShardShape, file?: string): Result<ShardRecord> {
  const issues: Issue[] = [];
  const add = (path: Path, code: string, message: string): void => {
    issues.push({ ...(file === undefined ? {} : { file }), path, code, message });
  };
  const done = (total = issues.length): Result<ShardRecord> => {
    if (total <= MAX_ISSUES_PER_FILE) return fail(issues);
    const kept = issues.slice(0, MAX_ISSUES_PER_FILE);
    const more = total - MAX_ISSUES_PER_FILE;
    kept.push({ ...kept[0]!, path: [], code: 'shard.more', message: `and ${more} more problem(s)` });
    return fail(kept);
  };
  header(data, shape, add);
  if (issues.length > 0) return done();
  const parsed = shardSchema(shape).safeParse(data);
  if (!parsed.success) {
    for (const iss of parsed.error.issues.slice(0, MAX_ISSUES_PER_FILE)) {
      add(iss.path as Path, 'shard.schema', zodMessage(iss, data));
    }
    return done(parsed.error.issues.length);
  }
  invariants(parsed.data, add);
  const { checksum } = parsed.data;
  if (issues.length === 0 && checksum !== undefined && checksum !== shardChecksum(parsed.data)) {
    add(
      ['checksum'],
      'shard.checksum',
      `the file was changed after it was written (its checksum ${checksum} does not match its contents): re-run this shard`,
    );
  }
  return issues.length > 0 ? done() : ok(parsed.data);
}

/**
 * Only what says whose a record is: the format, the engine and its version, the scenario (its hash),
 * the horizon, outcomes, values and evidence. For records this process made (`mergeOwnShards`):
 * a worker thread loads the file itself, and a file changed during a run must not be merged.
 */
export function checkShardHeader(data: unknown, shape: ShardShape, file?: string): Issue[] {
  const issues: Issue[] = [];
  header(data, shape, (path, code, message) => {
    issues.push({ ...(file === undefined ? {} : { file }), path, code, message });
  });
  return issues;
}

const own = (x: unknown, key: string): unknown =>
  typeof x === 'object' && x !== null && Object.hasOwn(x, key)
    ? (x as Record<string, unknown>)[key]
    : undefined;

/** What must hold before the rest of a file means anything: a tallies file of this engine and this scenario. */
function header(data: unknown, shape: ShardShape, add: (p: Path, c: string, m: string) => void): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    add([], 'shard.not-object', `a tallies file holds a JSON object, got ${describeValue(data)}`);
    return;
  }
  if (own(data, 'format') !== SHARD_FORMAT || own(data, 'version') !== SHARD_FORMAT_VERSION) {
    add(
      [],
      'shard.format',
      `not an entente tallies file (format "${SHARD_FORMAT}", version ${SHARD_FORMAT_VERSION}); \`entente run FILE --shard K/N --format tallies\` writes one`,
    );
    return;
  }
  const engine = own(data, 'engine');
  const name = own(engine, 'name');
  const version = own(engine, 'version');
  if (name !== ENGINE_NAME || version !== ENGINE_VERSION) {
    const by =
      typeof name === 'string' && typeof version === 'string' ? `${name} ${version}` : 'an unknown engine';
    add(
      ['engine'],
      'shard.engine',
      `written by ${by}; ${ENGINE_NAME} ${ENGINE_VERSION} merges only shards written by ${ENGINE_NAME} ${ENGINE_VERSION} (the same version: another may draw or count differently), so re-run this shard with ${ENGINE_NAME} ${ENGINE_VERSION} or merge with the version that wrote it`,
    );
    return;
  }
  const hash = own(own(data, 'scenario'), 'hash');
  const theirs = own(data, 'evidence');
  // A shard run with other evidence has another hash (the clauses are part of the scenario): say
  // so, rather than "another scenario", when that is visibly the difference.
  const presence = evidencePresence(theirs !== undefined, shape, own(theirs, 'clauses'));
  if (presence !== undefined) {
    add(['evidence'], 'shard.evidence', presence);
    return;
  }
  if (hash !== shape.hash && theirs !== undefined && shape.evidence !== undefined) {
    const clauses = own(theirs, 'clauses');
    if (Array.isArray(clauses) && !sameStrings(clauses, shape.evidence.clauses)) {
      add(
        ['evidence', 'clauses'],
        'shard.evidence',
        `a shard of a run conditioned on other evidence (given ${quoteClauses(clauses)}), not on this scenario's (given ${quoteClauses(shape.evidence.clauses)}): merge with the same scenario file and the same --given clauses as the shards were run with`,
      );
      return;
    }
  }
  if (hash !== shape.hash) {
    const id = own(own(data, 'scenario'), 'id');
    add(
      ['scenario', 'hash'],
      'shard.scenario',
      `a shard of ${typeof id === 'string' ? `scenario ${JSON.stringify(id)}` : 'another scenario'} (hash ${typeof hash === 'string' ? hash : describeValue(hash)}), not of this scenario ${JSON.stringify(shape.id)} (hash ${shape.hash}): merge shards with the very file they were run from`,
    );
    return;
  }
  const horizon = own(data, 'horizon');
  if (horizon !== shape.horizon)
    add(
      ['horizon'],
      'shard.horizon',
      `horizon ${describeValue(horizon)} is not the scenario's ${shape.horizon}`,
    );
  const names = (key: 'outcomes' | 'values', expected: readonly string[]): void => {
    const got = own(data, key);
    if (!Array.isArray(got) || got.length !== expected.length || got.some((x, i) => x !== expected[i])) {
      const shown =
        Array.isArray(got) && got.length <= 20
          ? `[${got.map((x) => describeValue(x)).join(', ')}]`
          : describeValue(got);
      add([key], 'shard.names', `expected the scenario's ${key} [${expected.join(', ')}], got ${shown}`);
    }
  };
  names('outcomes', shape.outcomes);
  names('values', shape.values);
  if (shape.evidence !== undefined) {
    for (const key of ['clauses', 'params'] as const) {
      const got = own(theirs, key);
      const expected = shape.evidence[key];
      if (!(Array.isArray(got) && sameStrings(got, expected)))
        add(
          ['evidence', key],
          'shard.names',
          `expected the scenario's evidence ${key} [${expected.join(', ')}], got ${Array.isArray(got) && got.length <= 20 ? `[${got.map((x) => describeValue(x)).join(', ')}]` : describeValue(got)}`,
        );
    }
  }
}

const sameStrings = (got: readonly unknown[], expected: readonly string[]): boolean =>
  got.length === expected.length && got.every((x, i) => x === expected[i]);

/** A zod issue in the user's words, with the value that was there. */
function zodMessage(iss: z.core.$ZodIssue, data: unknown): string {
  let at: unknown = data;
  for (const k of iss.path) at = own(at, String(k));
  switch (iss.code) {
    case 'custom':
      return iss.message;
    case 'too_big':
    case 'too_small': {
      if (!iss.message.startsWith('Too ')) return iss.message;
      const bound = iss.code === 'too_big' ? iss.maximum : iss.minimum;
      const how = iss.exact ? 'exactly' : iss.code === 'too_big' ? 'at most' : 'at least';
      return `expected ${how} ${String(bound)} items, got ${describeValue(at)}`;
    }
    case 'invalid_type':
      return at === undefined
        ? `missing (expected ${iss.expected})`
        : `expected ${iss.expected}, got ${describeValue(at)}`;
    case 'invalid_value':
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(at)}`;
    case 'unrecognized_keys':
      return `unknown field${iss.keys.length === 1 ? '' : 's'} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union':
      return `expected null or a finite number, got ${describeValue(at)}`;
    default:
      return iss.message;
  }
}

/**
 * What the schema cannot say: relations between fields that every honest shard satisfies. Under
 * evidence, first passages and the reported values count each accepted trial by its integer weight
 * (1 with hard evidence only), so they are bounded by the total weight rather than by the trials.
 */
function invariants(s: ShardRecord, add: (p: Path, c: string, m: string) => void): void {
  const bad = (path: Path, message: string): void => add(path, 'shard.invariant', message);
  if (s.runs < 1) bad(['runs'], 'a shard holds at least one trial, got 0');
  if (s.firstTrial + s.runs > Number.MAX_SAFE_INTEGER) bad(['runs'], 'trial numbers past 2^53 − 1');
  if (s.shard !== undefined) {
    const { index, count, totalRuns } = s.shard;
    if (count < 1 || count > MAX_SHARDS)
      bad(['shard', 'count'], `shard count ${count} is not from 1 to ${MAX_SHARDS}`);
    else if (index >= count)
      bad(['shard', 'index'], `shard index ${index} is not below the shard count ${count}`);
    else {
      const start = Math.floor((index * totalRuns) / count);
      const end = Math.floor(((index + 1) * totalRuns) / count);
      if (s.firstTrial !== start || s.runs !== end - start) {
        bad(
          ['shard'],
          `shard ${index} of ${count} of ${totalRuns} runs covers trials ${start} to ${end - 1}, but the file says ${s.firstTrial} to ${s.firstTrial + s.runs - 1}`,
        );
      }
    }
  }
  const e = s.evidence;
  // What first passages and value sketches count: trials, or the accepted trials' weight.
  const total = e === undefined ? s.runs : e.weight;
  const trials = `a shard of ${s.runs} trials`;
  const counted =
    e === undefined
      ? { n: s.runs, what: `one per trial (${s.runs})`, nonEmpty: trials }
      : {
          n: e.weight,
          what: `the accepted trials' weight (${e.weight})`,
          nonEmpty: `a shard whose accepted trials weigh ${e.weight}`,
        };
  s.firstPassage.forEach((row, k) => {
    if (row[0] !== 0)
      bad(['firstPassage', k, 0], `count ${row[0]} at step 0: no trial first passes at step 0`);
    let hits = 0;
    for (let step = 1; step < row.length && hits <= total; step++) hits += row[step]!;
    if (hits > total)
      bad(
        ['firstPassage', k],
        e === undefined
          ? `more first passages (${hits}) than trials (${s.runs}) for outcome ${s.outcomes[k]}`
          : `first passages weighing ${hits}, more than the accepted trials' weight (${e.weight}), for outcome ${s.outcomes[k]}`,
      );
  });
  s.tallies.forEach((v, i) => {
    tallyInvariants(v, counted, ['tallies', i], bad);
  });
  if (e === undefined) return;
  const at = (...p: Path): Path => ['evidence', ...p];
  const rejected = s.runs - e.accepted;
  if (e.accepted > s.runs)
    bad(at('accepted'), `${e.accepted} accepted trials, more than the ${s.runs} trials run`);
  e.failed.forEach((n, c) => {
    if (n > Math.max(0, rejected))
      bad(
        at('failed', c),
        `clause ${JSON.stringify(e.clauses[c])} rules out ${n} trials, more than the ${Math.max(0, rejected)} rejected (${s.runs} run, ${e.accepted} accepted)`,
      );
  });
  // Each accepted trial weighs from 1 to one unit.
  if (e.weight < e.accepted || e.weight > e.accepted * e.unit)
    bad(
      at('weight'),
      e.unit === 1
        ? `weight ${e.weight} is not the ${e.accepted} accepted trials (hard evidence weighs each trial 1)`
        : `weight ${e.weight} is not from ${e.accepted} to ${e.accepted} × ${e.unit} (each accepted trial weighs 1 to ${e.unit})`,
    );
  else {
    const squares = ExactSum.fromPartials(e.weightSquared).value();
    // 1 ≤ w ≤ unit, so w ≤ w² ≤ unit·w for every accepted trial.
    if (!(Number.isInteger(squares) && squares >= e.weight && squares <= e.weight * e.unit))
      bad(
        at('weightSquared'),
        `the sum of squared weights ${squares} is impossible for weights from 1 to ${e.unit} adding up to ${e.weight}`,
      );
  }
  const everyTrial = { n: s.runs, what: `one per trial (${s.runs})`, nonEmpty: trials };
  e.prior.forEach((v, i) => {
    tallyInvariants(v, everyTrial, at('prior', i), bad);
  });
  e.posterior.forEach((v, i) => {
    tallyInvariants(v, counted, at('posterior', i), bad);
  });
}

/**
 * One tally's invariants: its sketch counts exactly `n` values (trials, or weight units), its
 * minimum and maximum are present unless it counts nothing, and its mean and mean square are
 * possible for values in [min, max]. `what` and `nonEmpty` say what `n` is, for messages.
 */
function tallyInvariants(
  v: ShardRecord['tallies'][number],
  expected: { n: number; what: string; nonEmpty: string },
  at: Path,
  bad: (p: Path, m: string) => void,
): void {
  const { n } = expected;
  const sk = v.sketch;
  let seen = sk.zeros;
  for (const side of ['positive', 'negative'] as const) {
    const buckets = sk[side];
    for (let b = 0; b < buckets.length && seen <= n; b++) {
      if (b > 0 && buckets[b]![0] <= buckets[b - 1]![0]) {
        bad(
          [...at, 'sketch', side, b, 0],
          `bucket keys must increase: ${buckets[b]![0]} after ${buckets[b - 1]![0]}`,
        );
        return;
      }
      seen += buckets[b]![1];
    }
  }
  if (seen !== n)
    bad(
      [...at, 'sketch'],
      `the sketch counts ${seen > n ? `more than ${n}` : seen} values, not ${expected.what}`,
    );
  const sum = ExactSum.fromPartials(v.sum).value();
  const squares = ExactSum.fromPartials(v.sumOfSquares).value();
  if (n === 0) {
    // Nothing counted (no trial accepted in this shard): an empty tally.
    if (v.min !== null || v.max !== null)
      bad(
        [...at, v.min !== null ? 'min' : 'max'],
        'a tally that counts nothing has no minimum or maximum (null)',
      );
    else if (sum !== 0 || squares !== 0)
      bad([...at, sum !== 0 ? 'sum' : 'sumOfSquares'], 'a tally that counts nothing sums to 0');
    return;
  }
  if (v.min === null || v.max === null) {
    bad(
      [...at, v.min === null ? 'min' : 'max'],
      `null, but ${expected.nonEmpty} has a minimum and a maximum`,
    );
    return;
  }
  if (v.min > v.max) bad([...at, 'min'], `minimum ${v.min} is above the maximum ${v.max}`);
  if (!Number.isFinite(sum) || !Number.isFinite(squares)) {
    bad(
      [...at, Number.isFinite(sum) ? 'sumOfSquares' : 'sum'],
      'the partials add up to more than the largest double',
    );
    return;
  }
  const mean = sum / n;
  const meanSquare = squares / n;
  const slack = (x: number): number => 1e-9 * Math.abs(x) + 1e-300;
  const big = Math.max(Math.abs(v.min), Math.abs(v.max));
  if (mean < v.min - slack(v.min) || mean > v.max + slack(v.max)) {
    bad([...at, 'sum'], `the mean ${mean} lies outside [minimum ${v.min}, maximum ${v.max}]`);
  } else if (
    !(meanSquare >= mean * mean - slack(mean * mean) && meanSquare <= big * big + slack(big * big))
  ) {
    bad(
      [...at, 'sumOfSquares'],
      `the mean square ${meanSquare} is impossible for values in [${v.min}, ${v.max}] with mean ${mean}`,
    );
  }
}
