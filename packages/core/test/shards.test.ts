import { describe, expect, it } from 'vitest';
import { estimate, mergeShards, ShardError, shardRange, simulate, toShard } from '../src/index.js';
import { model, scenario } from './helpers.js';

const m = model(
  scenario(
    'params:\n  a: { dist: beta, mean: 0.3, sd: 0.1 }\nstate:\n  w: { init: 0, update: "w + normal(a, 1)" }\nevents:\n  ev: { hazard: 0.02, repeat: true, effects: [{ add: w, by: 1 }] }\noutcomes:\n  o: { when: "w > 6" }',
    'o',
    24,
  ),
);

const shard = (index: number, count: number, runs: number, seed: number | string = 5) =>
  JSON.parse(JSON.stringify(toShard(m, simulate(m, { ...shardRange(index, count, runs), seed }))));

describe('shards', () => {
  it('split the trials into contiguous blocks that cover them all', () => {
    const blocks = [0, 1, 2, 3].map((k) => shardRange(k, 4, 10));
    expect(blocks).toEqual([
      { firstTrial: 0, runs: 2 },
      { firstTrial: 2, runs: 3 },
      { firstTrial: 5, runs: 2 },
      { firstTrial: 7, runs: 3 },
    ]);
  });

  it('merged through JSON, in any order, give the very result of a single run', () => {
    const single = estimate(m, simulate(m, { runs: 9001, seed: 5 }));
    const merged = estimate(m, mergeShards(m, [shard(2, 3, 9001), shard(0, 3, 9001), shard(1, 3, 9001)]));
    expect(merged).toEqual(single);
  });

  it('refuse another scenario, another seed, gaps and overlaps', () => {
    const other = model(scenario('outcomes:\n  o: { when: "t > 3" }', 'o', 24));
    expect(() => mergeShards(other, [shard(0, 2, 100)])).toThrow(ShardError);
    expect(() => mergeShards(m, [shard(0, 2, 100), shard(1, 2, 100, 6)])).toThrow(/different seeds/);
    expect(() => mergeShards(m, [shard(0, 3, 90), shard(2, 3, 90)])).toThrow(/trials 30 to 59 are missing/);
    expect(() => mergeShards(m, [shard(0, 2, 90), shard(0, 2, 90)])).toThrow(/overlap/);
  });
});
