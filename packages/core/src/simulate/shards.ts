import { fail, formatPath, type Issue, ok, type Result } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import { ExactSum } from '../stats/exactSum.js';
import { QuantileSketch } from '../stats/sketch.js';
import { ENGINE_NAME, ENGINE_VERSION } from '../version.js';
import {
  canonicalSeed,
  checkShard,
  checkShardHeader,
  SHARD_FORMAT,
  SHARD_FORMAT_VERSION,
  type ShardRecord,
  type ShardShape,
  shardChecksum,
} from './shardSchema.js';
import type { Simulation } from './simulate.js';
import { emptyTallies, type ValueTally } from './tallies.js';

/**
 * Shards: the tallies of a contiguous block of trials, as JSON, so one estimate can be spread over
 * many machines (Kubernetes Indexed Jobs, Slurm arrays, GNU parallel) and joined exactly. Counts are
 * integers and sums are kept exactly, so the merged result is bit-identical to a single run. A shard
 * written by `run --shard K/N` says which shard K of N it is and the runs of the whole set, so a
 * merge can tell a complete set from an incomplete one. A shard of a conditioned run (`given`) also
 * carries its evidence tallies (accepted trials, integer weights, the exact sum of squared weights,
 * each clause's rejections, prior and posterior tallies), which merge as exactly as the rest. The
 * file format is `shardSchema.ts`.
 */
export type { ShardRecord } from './shardSchema.js';

/** Which shard of a set a shard file holds: shard `index` (0-based) of `count`, over `totalRuns` trials. */
export interface ShardPart {
  index: number;
  count: number;
  totalRuns: number;
}

/** Shards that cannot be merged, with every problem (each naming its file and path when it has one). */
export class ShardError extends Error {
  override readonly name = 'ShardError';
  readonly issues: Issue[];
  constructor(issues: Issue[] | string) {
    const list = typeof issues === 'string' ? [{ path: [], code: 'shard', message: issues }] : issues;
    super(list.map(formatShardIssue).join('\n'));
    this.issues = list;
  }
}

/** `shard-2.json: firstPassage[0][3]: count -4 is negative`; a problem of the whole set is its message. */
export function formatShardIssue(issue: Issue): string {
  const at = [issue.file, issue.path.length > 0 ? formatPath(issue.path) : undefined].filter((x) => x);
  return [...at, issue.message].join(': ');
}

/** The trials of shard `index` (0-based) of `count` over `runs` trials: contiguous and covering all. */
export function shardRange(index: number, count: number, runs: number): { firstTrial: number; runs: number } {
  if (
    !(Number.isSafeInteger(count) && count >= 1 && Number.isSafeInteger(index) && index >= 0 && index < count)
  ) {
    throw new RangeError(`shard ${index} of ${count}: expected 0 ≤ index < count`);
  }
  const start = Math.floor((index * runs) / count);
  const end = Math.floor(((index + 1) * runs) / count);
  return { firstTrial: start, runs: end - start };
}

/**
 * What a shard of this model must look like; a conditioned model's shards also carry its evidence
 * tallies (its clauses, random params and weight unit), so a shard of a conditioned run is never
 * merged as an unconditioned one, nor the reverse.
 */
export function shardShape(model: CompiledModel): ShardShape {
  const e = model.evidence;
  return {
    hash: model.hash,
    id: model.scenario.id,
    horizon: model.plan.horizon,
    outcomes: model.outcomeIds,
    values: model.plan.reports.map((r) => r.name),
    ...(e === undefined
      ? {}
      : {
          evidence: {
            clauses: e.clauses.map((c) => c.text),
            params: e.params.map((p) => p.name),
            unit: e.unit,
          },
        }),
  };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** A value tally as JSON: exact sums as their partials, the sketch's buckets, min and max (null when empty). */
function tallyJSON(v: ValueTally): ShardRecord['tallies'][number] {
  return {
    sum: v.sum.toJSON(),
    sumOfSquares: v.sumOfSquares.toJSON(),
    sketch: v.sketch.toJSON(),
    min: finite(v.min),
    max: finite(v.max),
  };
}

/** Add a checked tally's JSON into a tally: exactly, as `mergeTallies` adds tallies. */
function addTallyJSON(into: ValueTally, v: ShardRecord['tallies'][number]): void {
  into.sum.merge(ExactSum.fromPartials(v.sum));
  into.sumOfSquares.merge(ExactSum.fromPartials(v.sumOfSquares));
  into.sketch.merge(QuantileSketch.fromJSON(v.sketch));
  into.min = Math.min(into.min, v.min ?? Number.POSITIVE_INFINITY);
  into.max = Math.max(into.max, v.max ?? Number.NEGATIVE_INFINITY);
}

/**
 * Serialise a simulation of a model as a shard record. Give `part` (which shard of which set the
 * simulation ran) so that a merge can tell whether the set is complete; it must match the trials.
 */
export function toShard(model: CompiledModel, sim: Simulation, part?: ShardPart): ShardRecord {
  const t = sim.tallies;
  if (part !== undefined) {
    const range = shardRange(part.index, part.count, part.totalRuns);
    if (range.firstTrial !== t.firstTrial || range.runs !== t.runs)
      throw new RangeError(`shard ${part.index} of ${part.count} does not hold these trials`);
  }
  const e = t.evidence;
  const shape = shardShape(model).evidence;
  if ((e === undefined) !== (shape === undefined))
    throw new RangeError(
      e === undefined
        ? 'these tallies carry no evidence, but the model conditions on evidence'
        : 'these tallies carry evidence, but the model conditions on nothing',
    );
  const record: ShardRecord = {
    format: SHARD_FORMAT,
    version: SHARD_FORMAT_VERSION,
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
    scenario: { id: model.scenario.id, hash: model.hash },
    seed: canonicalSeed(sim.seed),
    firstTrial: t.firstTrial,
    runs: t.runs,
    horizon: t.horizon,
    outcomes: [...model.outcomeIds],
    values: model.plan.reports.map((r) => r.name),
    firstPassage: t.firstPassage.map((row) => [...row]),
    tallies: t.values.map(tallyJSON),
    ...(e === undefined || shape === undefined
      ? {}
      : {
          evidence: {
            clauses: [...shape.clauses],
            params: [...shape.params],
            unit: shape.unit,
            accepted: e.accepted,
            weight: e.weight,
            weightSquared: e.weightSquared.toJSON(),
            failed: [...e.failed],
            prior: e.prior.map(tallyJSON),
            posterior: e.posterior.map(tallyJSON),
          },
        }),
    ...(part === undefined ? {} : { shard: { ...part } }),
  };
  return { ...record, checksum: shardChecksum(record) };
}

/** One shard to merge: its parsed JSON (anything at all) and the file it came from, for messages. */
export interface ShardInput {
  file?: string;
  data: unknown;
}

/** A merge of an incomplete set, asked for with `partial: true`: which shards were merged and which were not. */
export interface PartialMerge {
  /** Shards merged and shards missing (0-based indices, ascending), of `count`. */
  shards: number[];
  missing: number[];
  count: number;
  /** Trials merged, and trials in the whole set. */
  runs: number;
  totalRuns: number;
}

export interface MergedShards {
  simulation: Simulation;
  /** Present when the set was incomplete and a partial merge was asked for. */
  partial?: PartialMerge;
}

const LISTED = 20;
const list = (xs: readonly (string | number)[]): string =>
  xs.length <= LISTED ? xs.join(', ') : `${xs.slice(0, LISTED).join(', ')} … (${xs.length - LISTED} more)`;

/**
 * Check shard files and join them into one simulation, or say every reason not to. Each file must
 * be a valid shard of this model (shardSchema.ts); together they must share a seed (`7` = `"7"`) and
 * make one complete set: every shard K of one N and one `--runs` exactly once (files that do not
 * say K/N must cover trials 0 … end without gap or overlap). `partial: true` accepts a set with
 * missing shards and says which in `partial`. Never throws, whatever the inputs.
 */
export function mergeShardFiles(
  model: CompiledModel,
  inputs: readonly ShardInput[],
  options: { partial?: boolean } = {},
): Result<MergedShards> {
  const setIssue = (code: string, message: string): Issue => ({ path: [], code, message });
  if (inputs.length === 0) return fail([setIssue('shard.none', 'no shards to merge')]);
  const shape = shardShape(model);
  const issues: Issue[] = [];
  const shards: { name: string; s: ShardRecord }[] = [];
  inputs.forEach((input, i) => {
    const r = checkShard(input.data, shape, input.file);
    if (r.ok) shards.push({ name: input.file ?? `shard input ${i + 1}`, s: r.value });
    else issues.push(...r.issues);
  });
  if (issues.length > 0) return fail(issues);
  return joinShards(shape, shards, options);
}

/** Join shards whose records are known good (checked, or made by `toShard`): the set checks, then the sums. */
function joinShards(
  shape: ShardShape,
  shards: readonly { name: string; s: ShardRecord }[],
  options: { partial?: boolean },
): Result<MergedShards> {
  const setIssue = (code: string, message: string): Issue => ({ path: [], code, message });
  const issues: Issue[] = [];
  const seeds = groupBy(shards, (x) => String(x.s.seed));
  if (seeds.size > 1) {
    const each = [...seeds].map(
      ([, xs]) => `${JSON.stringify(canonicalSeed(xs[0]!.s.seed))} (${list(xs.map((x) => x.name))})`,
    );
    issues.push(setIssue('shard.seed', `the shards were run with different seeds: ${each.join('; ')}`));
  }
  const labelled = shards.filter((x) => x.s.shard !== undefined);
  let partial: PartialMerge | undefined;
  if (labelled.length > 0 && labelled.length < shards.length) {
    const bare = shards.filter((x) => x.s.shard === undefined).map((x) => x.name);
    issues.push(
      setIssue(
        'shard.unlabelled',
        `${list(bare)} ${bare.length === 1 ? 'does not say which shard K/N it holds' : 'do not say which shard K/N they hold'}, unlike the others: merge the shards of one \`run --shard K/N\` set`,
      ),
    );
  } else if (labelled.length > 0) {
    const part = (x: { s: ShardRecord }): ShardPart => x.s.shard!;
    const mixed = (key: 'count' | 'totalRuns', what: string): boolean => {
      const groups = groupBy(shards, (x) => part(x)[key]);
      if (groups.size === 1) return false;
      const each = [...groups].map(([v, xs]) => `${v} (${list(xs.map((x) => x.name))})`);
      issues.push(
        setIssue(`shard.mixed-${key}`, `the shards come from different sets: ${what} ${each.join('; ')}`),
      );
      return true;
    };
    if (!mixed('count', 'N of K/N is') && !mixed('totalRuns', '--runs is')) {
      const { count, totalRuns } = part(shards[0]!);
      const byIndex = groupBy(shards, (x) => part(x).index);
      for (const [k, xs] of byIndex) {
        if (xs.length > 1)
          issues.push(
            setIssue(
              'shard.duplicate',
              `shard ${k} of ${count} is given ${xs.length} times (${list(xs.map((x) => x.name))})`,
            ),
          );
      }
      const present = [...byIndex.keys()].sort((a, b) => a - b);
      const missing: number[] = [];
      for (let k = 0; k < count; k++) if (!byIndex.has(k)) missing.push(k);
      const runs = present.reduce((n, k) => n + shardRange(k, count, totalRuns).runs, 0);
      if (missing.length > 0 && options.partial)
        partial = { shards: present, missing, count, runs, totalRuns };
      else if (missing.length > 0) {
        issues.push(
          setIssue(
            'shard.incomplete',
            `incomplete set: missing shard${missing.length === 1 ? '' : 's'} ${list(missing)} of ${count} (${missingTrials(missing, count, totalRuns)} are missing); ${runs} of ${totalRuns} trials given. Merge every shard, or give --partial to merge these anyway (the result then says it is partial)`,
          ),
        );
      }
    }
  } else {
    const sorted = [...shards].sort((a, b) => a.s.firstTrial - b.s.firstTrial);
    let end = 0;
    for (const x of sorted) {
      if (x.s.firstTrial < end)
        issues.push(setIssue('shard.overlap', `shards overlap at trial ${x.s.firstTrial} (${x.name})`));
      else if (x.s.firstTrial > end)
        issues.push(setIssue('shard.gap', `trials ${end} to ${x.s.firstTrial - 1} are missing`));
      end = Math.max(end, x.s.firstTrial + x.s.runs);
    }
    if (issues.length > 0 && options.partial)
      issues.push(
        setIssue(
          'shard.unlabelled',
          'a partial merge needs shard files that say which shard K/N they are (written by `entente run --shard K/N`)',
        ),
      );
  }
  if (issues.length > 0) return fail(issues);

  const t = emptyTallies(
    shape.horizon,
    shape.outcomes.length,
    shape.values.length,
    0,
    shape.evidence && { clauses: shape.evidence.clauses.length, params: shape.evidence.params.length },
  );
  t.firstTrial = shards.reduce((m, x) => Math.min(m, x.s.firstTrial), Number.POSITIVE_INFINITY);
  for (const { s } of shards) {
    t.runs += s.runs;
    s.firstPassage.forEach((row, k) => {
      const into = t.firstPassage[k]!;
      for (let step = 0; step < row.length; step++) into[step]! += row[step]!;
    });
    s.tallies.forEach((v, i) => {
      addTallyJSON(t.values[i]!, v);
    });
    const e = t.evidence;
    const from = s.evidence;
    if (e !== undefined && from !== undefined) {
      e.accepted += from.accepted;
      e.weight += from.weight;
      e.weightSquared.merge(ExactSum.fromPartials(from.weightSquared));
      from.failed.forEach((n, c) => {
        e.failed[c]! += n;
      });
      from.prior.forEach((v, i) => {
        addTallyJSON(e.prior[i]!, v);
      });
      from.posterior.forEach((v, i) => {
        addTallyJSON(e.posterior[i]!, v);
      });
    }
  }
  // Every count is an integer added exactly while it stays below 2^53: weights in units of 2^-24
  // reach that first (about 5·10^8 trials), and past it the merged sums would not be exact.
  const totals = [t.runs, t.evidence?.weight ?? 0];
  if (totals.some((x) => x > Number.MAX_SAFE_INTEGER))
    return fail([
      setIssue(
        'shard.too-many',
        `the shards together count ${t.evidence === undefined ? 'more trials' : 'more weight'} than 2^53 − 1: their sums would not be exact`,
      ),
    ]);
  const simulation: Simulation = { tallies: t, seed: canonicalSeed(shards[0]!.s.seed), stopped: false };
  return ok(partial === undefined ? { simulation } : { simulation, partial });
}

/**
 * Join shards of one model into one simulation: `mergeShardFiles` for callers that hold the records
 * (worker threads); throws a ShardError with every problem instead of returning them.
 */
export function mergeShards(
  model: CompiledModel,
  shards: readonly unknown[],
  options: { partial?: boolean } = {},
): Simulation {
  const r = mergeShardFiles(
    model,
    shards.map((data, i) => ({ file: `shards[${i}]`, data })),
    options,
  );
  if (!r.ok) throw new ShardError(r.issues);
  return r.value.simulation;
}

/**
 * Join records that this process made with `toShard` (on this thread or a worker thread) and holds
 * in memory: `mergeShards` without the checks of a file's contents (the schema, every count, the
 * checksum), which took ~0.1 s of a 1,000,000-trial run on two threads. What says whose a record is
 * is still checked (`checkShardHeader`): a worker thread loads the scenario file itself, so a file
 * edited during the run gives records of another scenario, refused as in a merge of files. The set
 * must be whole and consistent (one seed, no gap or overlap). Throws a ShardError if not.
 */
export function mergeOwnShards(model: CompiledModel, shards: readonly ShardRecord[]): Simulation {
  if (shards.length === 0)
    throw new ShardError([{ path: [], code: 'shard.none', message: 'no shards to merge' }]);
  const shape = shardShape(model);
  const named = shards.map((s, i) => ({ name: `shards[${i}]`, s }));
  const issues = named.flatMap(({ name, s }) => checkShardHeader(s, shape, name));
  if (issues.length > 0) throw new ShardError(issues);
  const r = joinShards(shape, named, {});
  if (!r.ok) throw new ShardError(r.issues);
  return r.value.simulation;
}

/** `trials 0 to 9999, 20000 to 29999`: the trials of the missing shards, as at most five ranges. */
function missingTrials(missing: readonly number[], count: number, totalRuns: number): string {
  const ranges: string[] = [];
  for (let i = 0; i < missing.length && ranges.length <= 5; ) {
    let j = i;
    while (j + 1 < missing.length && missing[j + 1] === missing[j]! + 1) j++;
    const first = shardRange(missing[i]!, count, totalRuns).firstTrial;
    const last = shardRange(missing[j]!, count, totalRuns);
    ranges.push(`${first} to ${last.firstTrial + last.runs - 1}`);
    i = j + 1;
  }
  const shown = ranges.length > 5 ? [...ranges.slice(0, 5), '…'] : ranges;
  return `trials ${shown.join(', ')}`;
}

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g === undefined) m.set(k, [x]);
    else g.push(x);
  }
  return m;
}
