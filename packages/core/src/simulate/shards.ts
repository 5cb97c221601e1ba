import type { CompiledModel } from '../model/compile.js';
import { ExactSum } from '../stats/exactSum.js';
import { QuantileSketch } from '../stats/sketch.js';
import { ENGINE_NAME, ENGINE_VERSION } from '../version.js';
import type { Simulation } from './simulate.js';
import { emptyTallies, mergeTallies, type Tallies } from './tallies.js';

/**
 * A shard: the tallies of a contiguous block of trials, as JSON, so one estimate can be spread over
 * many machines (Kubernetes Indexed Jobs, Slurm arrays, GNU parallel) and joined exactly. Counts are
 * integers and sums are kept exactly, so the merged result is bit-identical to a single run.
 */
export interface ShardRecord {
  format: 'entente-tallies';
  version: 1;
  engine: { name: string; version: string };
  scenario: { id: string; hash: string };
  seed: number | string;
  firstTrial: number;
  runs: number;
  horizon: number;
  outcomes: string[];
  values: string[];
  firstPassage: number[][];
  tallies: {
    sum: number[];
    sumOfSquares: number[];
    sketch: ReturnType<QuantileSketch['toJSON']>;
    min: number | null;
    max: number | null;
  }[];
}

/** A shard that cannot be merged: another scenario or seed, overlapping or missing trials. */
export class ShardError extends Error {
  override readonly name = 'ShardError';
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

/** Serialise a simulation of a model as a shard record. */
export function toShard(model: CompiledModel, sim: Simulation): ShardRecord {
  const t = sim.tallies;
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    format: 'entente-tallies',
    version: 1,
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
    scenario: { id: model.scenario.id, hash: model.hash },
    seed: sim.seed,
    firstTrial: t.firstTrial,
    runs: t.runs,
    horizon: t.horizon,
    outcomes: [...model.outcomeIds],
    values: model.plan.reports.map((r) => r.name),
    firstPassage: t.firstPassage.map((row) => [...row]),
    tallies: t.values.map((v) => ({
      sum: v.sum.toJSON(),
      sumOfSquares: v.sumOfSquares.toJSON(),
      sketch: v.sketch.toJSON(),
      min: finite(v.min),
      max: finite(v.max),
    })),
  };
}

/**
 * Join shards of one model into one simulation. They must share the scenario's hash and the seed,
 * and together cover one contiguous block of trials without overlap; any order is fine.
 */
export function mergeShards(model: CompiledModel, shards: readonly ShardRecord[]): Simulation {
  if (shards.length === 0) throw new ShardError('no shards to merge');
  const seed = shards[0]!.seed;
  for (const s of shards) {
    if (s.format !== 'entente-tallies' || s.version !== 1)
      throw new ShardError('not an entente tallies file (format entente-tallies, version 1)');
    if (s.scenario.hash !== model.hash) {
      throw new ShardError(
        `a shard of scenario ${s.scenario.id} (hash ${s.scenario.hash}) does not match ${model.scenario.id} (hash ${model.hash})`,
      );
    }
    if (s.seed !== seed)
      throw new ShardError(`shards were run with different seeds (${String(seed)} and ${String(s.seed)})`);
  }
  const sorted = [...shards].sort((a, b) => a.firstTrial - b.firstTrial);
  for (let i = 1; i < sorted.length; i++) {
    const end = sorted[i - 1]!.firstTrial + sorted[i - 1]!.runs;
    if (sorted[i]!.firstTrial !== end) {
      throw new ShardError(
        sorted[i]!.firstTrial < end
          ? `shards overlap at trial ${sorted[i]!.firstTrial}`
          : `trials ${end} to ${sorted[i]!.firstTrial - 1} are missing`,
      );
    }
  }
  const merged = sorted.map(fromShard(model)).reduce((a, b) => mergeTallies(a, b));
  return { tallies: merged, seed, stopped: false };
}

const fromShard =
  (model: CompiledModel) =>
  (s: ShardRecord): Tallies => {
    const t = emptyTallies(
      model.plan.horizon,
      model.outcomeIds.length,
      model.plan.reports.length,
      s.firstTrial,
    );
    t.runs = s.runs;
    for (const [k, row] of s.firstPassage.entries()) t.firstPassage[k]!.set(row);
    s.tallies.forEach((v, i) => {
      const target = t.values[i]!;
      target.sum.merge(ExactSum.fromPartials(v.sum));
      target.sumOfSquares.merge(ExactSum.fromPartials(v.sumOfSquares));
      target.sketch.merge(QuantileSketch.fromJSON(v.sketch));
      target.min = v.min ?? Number.POSITIVE_INFINITY;
      target.max = v.max ?? Number.NEGATIVE_INFINITY;
    });
    return t;
  };
