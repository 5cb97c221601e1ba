import { loadScenario, mergeShardFiles, SHARD_FORMAT } from '@entente/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkShardMerge,
  fuzzShardMerges,
  hostileShard,
  hostileShardSet,
  shardMergeHonest,
  validShards,
} from '../src/index.js';

// issue 10 §2: shard files are data from other machines. Whatever is in them, merging answers with
// located problems or with an honest result (probabilities in [0, 1]): never an exception.

const load = (text: string) => {
  const r = loadScenario(text, { file: 'test.yaml' });
  if (!r.ok) throw new Error('scenario does not load');
  return r.value;
};
const walk = load(
  'id: walk\ntitle: walk\nhorizon: { steps: 12 }\nprimary: o\nparams:\n  a: { dist: normal, mean: 0, sd: 1 }\nstate:\n  w: { init: 0, update: "w + normal(a, 1)" }\n  v: { init: 1, update: "v * 0.9" }\noutcomes:\n  o: { when: "w > 2" }\n  p: { when: "w < -2" }',
);
const valid = validShards(walk, 3, 240);

describe('hostile shards', () => {
  it('are hostile: a mutated shard is mostly refused, and the valid set merges', () => {
    expect(checkShardMerge(walk, valid)).toBe('merged');
    const samples = fc.sample(hostileShard(valid[1]), { numRuns: 200, seed: 1 });
    const refused = samples.filter(
      (s) =>
        !mergeShardFiles(
          walk,
          [valid[0], s, valid[2]].map((data) => ({ data })),
        ).ok,
    );
    expect(refused.length).toBeGreaterThan(150);
    expect((valid[1] as { format: string }).format).toBe(SHARD_FORMAT);
  });

  it('never make merging throw, nor give a probability outside [0, 1]', () => {
    fc.assert(shardMergeHonest(walk, valid), { numRuns: 300 });
  });

  it('sets with a member dropped, given twice or reordered are refused unless --partial', () => {
    fc.assert(
      fc.property(hostileShardSet(valid), (set) => {
        const outcome = checkShardMerge(walk, set);
        expect(outcome).not.toBe('partial');
      }),
      { numRuns: 100 },
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('the fuzz helper counts outcomes and finds no failure', () => {
    const counts: Record<string, number> = {};
    const failures: { kind: string; text: string; error: string }[] = [];
    fuzzShardMerges(150, 3, counts, failures);
    expect(failures.map((f) => f.error)).toEqual([]);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(150);
    expect(counts['shards → refused']).toBeGreaterThan(0);
  });
});
