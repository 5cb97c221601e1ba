import { describe, expect, it } from 'vitest';
import {
  canonicalSeed,
  checkShard,
  ENGINE_VERSION,
  ExactSum,
  estimate,
  formatShardIssue,
  type Issue,
  mergeOwnShards,
  mergeShardFiles,
  mergeShards,
  ShardError,
  shardRange,
  shardShape,
  simulate,
  toShard,
} from '../src/index.js';
import { model, scenario } from './helpers.js';

const m = model(
  scenario(
    'params:\n  a: { dist: beta, mean: 0.3, sd: 0.1 }\nstate:\n  w: { init: 0, update: "w + normal(a, 1)" }\nevents:\n  ev: { hazard: 0.02, repeat: true, effects: [{ add: w, by: 1 }] }\noutcomes:\n  o: { when: "w > 6" }',
    'o',
    24,
  ),
);

// biome-ignore lint/suspicious/noExplicitAny: the tests edit shard JSON into every invalid shape.
type Json = Record<string, any>;

/** Shard `index` of `count` over `runs` trials, through JSON, saying K/N as `run --shard` writes it. */
const shard = (index: number, count: number, runs: number, seed: number | string = 5): Json =>
  JSON.parse(
    JSON.stringify(
      toShard(m, simulate(m, { ...shardRange(index, count, runs), seed }), { index, count, totalRuns: runs }),
    ),
  );
/** The same block of trials without K/N, as worker threads hand them over. */
const bare = (index: number, count: number, runs: number, seed: number | string = 5): Json =>
  JSON.parse(JSON.stringify(toShard(m, simulate(m, { ...shardRange(index, count, runs), seed }))));

const all = (count: number, runs: number, seed: number | string = 5): Json[] =>
  Array.from({ length: count }, (_, k) => shard(k, count, runs, seed));
const files = (shards: unknown[]) => shards.map((data, i) => ({ file: `shard-${i}.json`, data }));

/** The problems merging these shard files gives (fails the test if they merge). */
function problems(shards: unknown[], options: { partial?: boolean } = {}): string[] {
  const r = mergeShardFiles(m, files(shards), options);
  if (r.ok) throw new Error('expected the shards to be refused');
  return r.issues.map(formatShardIssue);
}

/** The problems of one edited copy of shard 1 of 3, merged with the other two. */
function edited(edit: (s: Json) => void): string[] {
  const set = all(3, 300);
  edit(set[1]!);
  return problems(set);
}

const cache = all(3, 300);

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
    const workers = estimate(m, mergeShards(m, [bare(1, 2, 9001), bare(0, 2, 9001)]));
    expect(workers).toEqual(single);
  });

  it('say which shard of which set they hold, and toShard refuses a part that does not match', () => {
    expect(shard(1, 3, 300).shard).toEqual({ index: 1, count: 3, totalRuns: 300 });
    const sim = simulate(m, { ...shardRange(1, 3, 300), seed: 5 });
    expect(() => toShard(m, sim, { index: 0, count: 3, totalRuns: 300 })).toThrow(RangeError);
  });

  it('check a valid shard into a record', () => {
    const r = checkShard(cache[0], shardShape(m), 'a.json');
    expect(r.ok).toBe(true);
  });
});

describe('a shard file that is not a shard', () => {
  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'shard'],
    ['a number', 7],
    ['a boolean', true],
    ['an empty object', {}],
  ])('%s is refused with the file named, never a TypeError', (_, data) => {
    const out = problems([data, cache[1], cache[2]]);
    expect(out[0]).toMatch(/^shard-0\.json: /);
    expect(() => mergeShards(m, [data])).toThrow(ShardError);
  });

  it('another format or format version', () => {
    expect(edited((s) => (s.format = 'tallies'))[0]).toMatch(/shard-1.json: not an entente tallies file/);
    expect(edited((s) => (s.version = 2))[0]).toMatch(/not an entente tallies file/);
  });

  it('another engine version is refused, stating the rule', () => {
    const [p] = edited((s) => (s.engine.version = '0.2.0'));
    expect(p).toContain('shard-1.json: engine: written by entente 0.2.0');
    expect(p).toContain(`merges only shards written by entente ${ENGINE_VERSION}`);
    expect(edited((s) => (s.engine = null))[0]).toContain('written by an unknown engine');
  });

  it('another scenario, horizon, outcomes or values', () => {
    const other = model(scenario('outcomes:\n  o: { when: "t > 3" }', 'o', 24));
    expect(() => mergeShards(other, [cache[0]])).toThrow(/not of this scenario "t"/);
    expect(edited((s) => (s.scenario.hash = '0000')).join()).toMatch(
      /scenario\.hash: a shard of scenario "t"/,
    );
    expect(edited((s) => (s.horizon = 12)).join()).toMatch(/horizon: horizon 12 is not the scenario's 24/);
    expect(edited((s) => (s.outcomes = ['p'])).join()).toMatch(
      /outcomes: expected the scenario's outcomes \[o\]/,
    );
    expect(edited((s) => s.values.push('x')).join()).toMatch(/values: expected the scenario's values \[w\]/);
  });
});

describe('counts', () => {
  it('negative, fractional, non-finite, too large or of the wrong type are refused with their path', () => {
    expect(edited((s) => (s.firstPassage[0][3] = -4))).toEqual([
      'shard-1.json: firstPassage[0][3]: count -4 is negative',
    ]);
    expect(edited((s) => (s.firstPassage[0][3] = 2.5))[0]).toMatch(/count 2.5 is not a whole number/);
    expect(edited((s) => (s.firstPassage[0][3] = JSON.parse('1e999')))[0]).toMatch(
      /count Infinity is not a finite number/,
    );
    expect(edited((s) => (s.firstPassage[0][3] = 2 ** 53 + 2))[0]).toMatch(/too large to be exact/);
    expect(edited((s) => (s.firstPassage[0][3] = 'NaN'))[0]).toMatch(/got the string "NaN"/);
    expect(edited((s) => (s.firstPassage[0][3] = null))[0]).toMatch(/got null/);
    expect(edited((s) => (s.runs = -1))[0]).toMatch(/runs: number of runs -1 is negative/);
  });

  it('more first passages than trials (a probability above 1) are refused', () => {
    const [p] = edited((s) => {
      s.firstPassage[0][5] += s.runs;
    });
    expect(p).toMatch(/shard-1.json: firstPassage\[0\]: more first passages \(\d+\) than trials \(100\)/);
    expect(edited((s) => (s.firstPassage[0][0] = 1))[0]).toMatch(
      /at step 0: no trial first passes at step 0/,
    );
  });

  it('runs that do not match the shard K/N are refused', () => {
    expect(edited((s) => (s.runs = 200)).join()).toMatch(/shard 1 of 3 of 300 runs covers trials 100 to 199/);
    expect(edited((s) => (s.firstTrial = 0)).join()).toMatch(/but the file says 0 to 99/);
    expect(edited((s) => (s.shard.index = 3)).join()).toMatch(/shard index 3 is not below the shard count 3/);
    expect(edited((s) => (s.shard.count = 0)).join()).toMatch(/shard count 0 is not from 1/);
  });
});

describe('lengths', () => {
  it('a row, the rows or the tallies of the wrong length are one problem each, and never read', () => {
    expect(edited((s) => s.firstPassage[0].push(0))).toEqual([
      'shard-1.json: firstPassage[0]: expected one count per step 0 … 24: 25 items, got an array of 26',
    ]);
    const huge = edited((s) => (s.firstPassage[0] = new Array(2_000_000).fill(1)));
    expect(huge).toEqual([
      'shard-1.json: firstPassage[0]: expected one count per step 0 … 24: 25 items, got an array of 2000000',
    ]);
    expect(edited((s) => s.firstPassage.push([]))[0]).toMatch(/one row of first-passage counts per outcome/);
    expect(edited((s) => (s.tallies = []))[0]).toMatch(
      /tallies: expected one tally per reported value: 1 item/,
    );
  });

  it('more than 20 problems in a file are counted, not listed', () => {
    const out = edited((s) => {
      s.firstPassage[0] = s.firstPassage[0].map(() => -1);
    });
    expect(out).toHaveLength(21);
    expect(out[20]).toBe('shard-1.json: and 5 more problem(s)');
  });
});

describe('fields', () => {
  it('unknown, missing or swapped fields are refused', () => {
    expect(edited((s) => (s.extra = 1))[0]).toMatch(/shard-1.json: unknown field "extra"/);
    expect(edited((s) => delete s.firstTrial)[0]).toMatch(/firstTrial: expected a first trial .*got nothing/);
    expect(
      edited((s) => {
        [s.firstPassage, s.tallies] = [s.tallies, s.firstPassage];
      }).length,
    ).toBeGreaterThan(0);
    const proto = JSON.parse(JSON.stringify(cache[1]).replace('{', '{"__proto__":{"polluted":1},'));
    expect(problems([cache[0], proto, cache[2]])[0]).toMatch(/unknown field "__proto__"/);
    expect(({} as Json).polluted).toBeUndefined();
  });
});

describe('exact sums and sketches', () => {
  it('partials must be finite numbers and add up to a mean within [min, max]', () => {
    expect(edited((s) => (s.tallies[0].sum[0] = null))[0]).toMatch(
      /tallies\[0\]\.sum\[0\]: expected a partial sum/,
    );
    expect(edited((s) => (s.tallies[0].sum = [1e300, 1e300, 1e300]))[0]).toMatch(/lies outside \[minimum/);
    expect(edited((s) => (s.tallies[0].sum = [1.7e308, 1.7e308]))[0]).toMatch(/more than the largest double/);
    expect(edited((s) => (s.tallies[0].sumOfSquares = [-5]))[0]).toMatch(
      /sumOfSquares: the mean square -0.05 is impossible/,
    );
    expect(edited((s) => (s.tallies[0].sum = new Array(3000).fill(0)))[0]).toMatch(/at most 2100 items/);
  });

  it('min and max must be finite, present and ordered', () => {
    expect(edited((s) => (s.tallies[0].min = null))[0]).toMatch(/min: null, but a shard of 100 trials/);
    expect(
      edited((s) => ([s.tallies[0].min, s.tallies[0].max] = [s.tallies[0].max, s.tallies[0].min])).join(),
    ).toMatch(/minimum .* is above the maximum/);
    expect(edited((s) => (s.tallies[0].max = 'big'))[0]).toMatch(
      /tallies\[0\]\.max: expected null or a finite number/,
    );
  });

  it('the sketch must count one value per trial in well-formed buckets of this accuracy', () => {
    expect(edited((s) => (s.tallies[0].sketch.alpha = 0.01))[0]).toMatch(
      /sketch accuracy 0.01 is not this engine's 0.005/,
    );
    expect(edited((s) => (s.tallies[0].sketch.zeros = 5))[0]).toMatch(
      /the sketch counts more than 100 values/,
    );
    expect(edited((s) => (s.tallies[0].sketch.positive[0][1] = 0))[0]).toMatch(
      /an empty bucket is never written/,
    );
    expect(edited((s) => (s.tallies[0].sketch.positive[0][0] = 1e9))[0]).toMatch(
      /sketch bucket key 1000000000 is not/,
    );
    expect(edited((s) => s.tallies[0].sketch.positive.reverse())[0]).toMatch(/bucket keys must increase/);
    expect(edited((s) => (s.tallies[0].sketch.positive[0] = [1, 2, 3]))[0]).toMatch(
      /expected exactly 2 items|at most 2/,
    );
  });
});

describe('checksum', () => {
  it('an edit that breaks no invariant is caught by the checksum; a file without one is still read', () => {
    expect(
      edited((s) => {
        const row = s.firstPassage[0];
        const step = row.findIndex((x: number, i: number) => i > 0 && x > 0);
        row[step] -= 1;
        row[step + 1] += 1;
      }),
    ).toEqual([
      expect.stringMatching(
        /^shard-1.json: checksum: the file was changed after it was written .*re-run this shard$/,
      ),
    ]);
    expect(edited((s) => (s.checksum = 'x'))[0]).toMatch(/expected a checksum \(16 hex digits\)/);
    const set = all(3, 300);
    for (const s of set) delete s.checksum;
    expect(mergeShardFiles(m, files(set)).ok).toBe(true);
  });
});

describe('seeds', () => {
  it('7 and "7" are the same seed; other spellings are not', () => {
    expect(canonicalSeed('7')).toBe(7);
    expect(canonicalSeed('-12')).toBe(-12);
    expect(canonicalSeed('007')).toBe('007');
    expect(canonicalSeed('7.0')).toBe('7.0');
    expect(canonicalSeed('x')).toBe('x');
    const set = all(2, 200, 7);
    set[1]!.seed = '7';
    const r = mergeShardFiles(m, files(set));
    expect(r.ok && r.value.simulation.seed).toBe(7);
    expect(estimate(m, mergeShards(m, set))).toEqual(estimate(m, simulate(m, { runs: 200, seed: 7 })));
    expect(shard(0, 1, 10, '7').seed).toBe(7);
  });

  it('shards of different seeds are refused, naming the files', () => {
    expect(problems([shard(0, 2, 100), shard(1, 2, 100, 6)])).toEqual([
      'the shards were run with different seeds: 5 (shard-0.json); 6 (shard-1.json)',
    ]);
  });
});

describe('a set of shards', () => {
  it('with a shard missing is refused, naming the missing shards and their trials', () => {
    const set = all(4, 400);
    expect(problems([set[0], set[2]])).toEqual([
      'incomplete set: missing shards 1, 3 of 4 (trials 100 to 199, 300 to 399 are missing); 200 of 400 trials given. Merge every shard, or give --partial to merge these anyway (the result then says it is partial)',
    ]);
    expect(problems([set[0], set[1], set[2]])[0]).toMatch(
      /missing shard 3 of 4 \(trials 300 to 399 are missing\)/,
    );
  });

  it('with --partial is merged and says which shards it holds', () => {
    const set = all(4, 400);
    const r = mergeShardFiles(m, files([set[3], set[1]]), { partial: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.partial).toEqual({ shards: [1, 3], missing: [0, 2], count: 4, runs: 200, totalRuns: 400 });
    expect(r.value.simulation.tallies.runs).toBe(200);
    const complete = mergeShardFiles(m, files(set), { partial: true });
    expect(complete.ok && complete.value.partial).toBeUndefined();
  });

  it('with a shard twice, of mixed N or mixed runs is refused, even with --partial', () => {
    const set = all(3, 300);
    expect(problems([...set, set[1]], { partial: true })).toEqual([
      'shard 1 of 3 is given 2 times (shard-1.json, shard-3.json)',
    ]);
    expect(problems([set[0], shard(1, 2, 300)], { partial: true })[0]).toMatch(
      /different sets: N of K\/N is 3 \(shard-0.json\); 2 \(shard-1.json\)/,
    );
    expect(problems([set[0], shard(1, 3, 600)], { partial: true })[0]).toMatch(
      /different sets: --runs is 300/,
    );
    expect(problems([set[0], bare(1, 3, 300), set[2]])[0]).toMatch(
      /shard-1.json does not say which shard K\/N it holds, unlike the others/,
    );
  });

  it("a process's own records (mergeOwnShards): the same result, the same set checks, no file checks", () => {
    const own = (index: number, count: number, runs: number, seed = 5) =>
      toShard(m, simulate(m, { ...shardRange(index, count, runs), seed }));
    const single = estimate(m, simulate(m, { runs: 9001, seed: 5 }));
    expect(estimate(m, mergeOwnShards(m, [own(2, 3, 9001), own(0, 3, 9001), own(1, 3, 9001)]))).toEqual(
      single,
    );
    expect(() => mergeOwnShards(m, [own(0, 3, 90), own(2, 3, 90)])).toThrow(/trials 30 to 59 are missing/);
    expect(() => mergeOwnShards(m, [own(0, 2, 90), own(0, 2, 90)])).toThrow(/overlap/);
    expect(() => mergeOwnShards(m, [own(0, 2, 90), own(1, 2, 90, 6)])).toThrow(/different seeds/);
    expect(() => mergeOwnShards(m, [])).toThrow(/no shards/);
    // Whose a record is, is still checked: a worker thread that loaded an edited file made this one.
    const other = model(scenario('outcomes:\n  o: { when: "t > 3" }', 'o', 24));
    const theirs = toShard(other, simulate(other, { ...shardRange(1, 2, 90), seed: 5 }));
    expect(() => mergeOwnShards(m, [own(0, 2, 90), theirs])).toThrow(/shards\[1\]: .*not of this scenario/);
    // What only a file needs is not checked: a checksum that no longer matches the record, which
    // mergeShards refuses and mergeOwnShards, trusting its own records, does not read.
    const edited = { ...own(0, 1, 90), checksum: '0000' };
    expect(() => mergeShards(m, [edited])).toThrow(/checksum/);
    expect(estimate(m, mergeOwnShards(m, [edited]))).toEqual(estimate(m, simulate(m, { runs: 90, seed: 5 })));
  });

  it('without K/N must cover trials 0 … end without gap or overlap', () => {
    expect(() => mergeShards(m, [bare(0, 3, 90), bare(2, 3, 90)])).toThrow(/trials 30 to 59 are missing/);
    expect(() => mergeShards(m, [bare(1, 3, 90), bare(2, 3, 90)])).toThrow(/trials 0 to 29 are missing/);
    expect(() => mergeShards(m, [bare(0, 2, 90), bare(0, 2, 90)])).toThrow(/overlap/);
    expect(problems([bare(0, 3, 90), bare(2, 3, 90)], { partial: true }).join()).toMatch(
      /a partial merge needs shard files that say which shard K\/N they are/,
    );
  });

  it('that is empty is refused', () => {
    expect(problems([])).toEqual(['no shards to merge']);
  });

  it('problems carry a code, the file and the path', () => {
    const r = mergeShardFiles(m, files([cache[0], { ...cache[1], runs: -3 }, cache[2]]));
    const issues: Issue[] = r.ok ? [] : r.issues;
    expect(issues[0]).toMatchObject({ file: 'shard-1.json', path: ['runs'], code: 'shard.schema' });
  });
});

describe('shards of a conditioned run (evidence)', () => {
  const body =
    'params:\n  a: { dist: beta, mean: 0.3, sd: 0.1 }\nstate:\n  w: { init: 0, update: "w + normal(a, 1)" }\nevents:\n  ev: { hazard: 0.02, repeat: true, effects: [{ add: w, by: 1 }] }\noutcomes:\n  o: { when: "w > 6" }';
  const conditioned = (given: string[]) =>
    model(scenario(`${body}\ngiven: [${given.map((g) => JSON.stringify(g)).join(', ')}]`, 'o', 24));
  const hard = conditioned(['not o by 8']);
  const soft = conditioned(['not o by 8', 'a ~ normal(0.35, 0.05) at 0']);
  const rare = conditioned(['o by 3']);
  type Model = typeof hard;
  /** Tallies as plain data, each exact sum as its (correctly rounded) value, not its partials. */
  const digest = (t: unknown): unknown =>
    JSON.parse(
      // toJSON runs before the replacer: read the raw value from its holder.
      JSON.stringify(t, function (this: Record<string, unknown>, key: string, v: unknown) {
        const raw = this[key];
        return raw instanceof ExactSum ? raw.value() : raw instanceof Float64Array ? [...raw] : v;
      }),
    );

  const shardOf = (mm: Model, index: number, count: number, runs: number, labelled = true): Json =>
    JSON.parse(
      JSON.stringify(
        toShard(
          mm,
          simulate(mm, { ...shardRange(index, count, runs), seed: 5 }),
          labelled ? { index, count, totalRuns: runs } : undefined,
        ),
      ),
    );
  const setOf = (mm: Model, count: number, runs: number, labelled = true): Json[] =>
    Array.from({ length: count }, (_, k) => shardOf(mm, k, count, runs, labelled));
  const refusals = (mm: Model, shards: unknown[]): string[] => {
    const r = mergeShardFiles(mm, files(shards));
    if (r.ok) throw new Error('expected the shards to be refused');
    return r.issues.map(formatShardIssue);
  };
  /** The problems of one edited copy of shard 1 of 3 of a conditioned model, merged with the others. */
  const editedIn = (mm: Model, edit: (s: Json) => void): string[] => {
    const set = setOf(mm, 3, 300);
    edit(set[1]!);
    return refusals(mm, set);
  };

  it.each([
    ['hard evidence only', hard],
    ['soft evidence', soft],
  ])('with %s merge through JSON, in any order, to the very result of a single run', (_, mm) => {
    const single = simulate(mm, { runs: 9001, seed: 5 });
    const merged = mergeShards(mm, [
      shardOf(mm, 2, 3, 9001),
      shardOf(mm, 0, 3, 9001),
      shardOf(mm, 1, 3, 9001),
    ]);
    expect(estimate(mm, merged)).toEqual(estimate(mm, single));
    expect(digest(merged.tallies)).toEqual(digest(single.tallies));
    const workers = mergeShards(mm, [...setOf(mm, 4, 9001, false)].reverse());
    expect(estimate(mm, workers)).toEqual(estimate(mm, single));
    expect(estimate(mm, single).evidence!.accepted).toBeGreaterThan(0);
  });

  it('carry the clauses, params, weight unit and evidence tallies, covered by the checksum', () => {
    const s = shardOf(soft, 0, 3, 300);
    expect(s.evidence).toMatchObject({
      clauses: ['not o by 8', 'a ~ normal(0.35, 0.05) at 0'],
      params: ['a'],
      unit: 2 ** 24,
    });
    expect(s.evidence.failed).toHaveLength(2);
    expect(s.evidence.prior).toHaveLength(1);
    expect(shardOf(hard, 0, 3, 300).evidence.unit).toBe(1);
    expect(shardOf(hard, 0, 3, 300).evidence.weight).toBe(shardOf(hard, 0, 3, 300).evidence.accepted);
    expect(checkShard(s, shardShape(soft), 'a.json').ok).toBe(true);
    expect('evidence' in shardOf(hard, 0, 3, 300) && !('evidence' in cache[0]!)).toBe(true);
    // An edit that breaks no invariant: one trial ruled out by the first clause moved to none.
    expect(
      editedIn(soft, (x) => {
        x.evidence.failed[0] -= 1;
      }),
    ).toEqual([expect.stringMatching(/^shard-1.json: checksum: the file was changed after it was written/)]);
  });

  it('shards in which no trial was accepted merge too (empty posterior and value tallies)', () => {
    const set = setOf(rare, 30, 300);
    expect(set.some((s) => s.evidence.accepted === 0)).toBe(true);
    const empty = set.find((s) => s.evidence.accepted === 0)!;
    expect(empty.tallies[0]).toMatchObject({ min: null, max: null, sum: [] });
    const single = simulate(rare, { runs: 300, seed: 5 });
    expect(single.tallies.evidence!.accepted).toBeGreaterThan(0);
    const merged = mergeShards(rare, set);
    expect(digest(merged.tallies)).toEqual(digest(single.tallies));
    expect(estimate(rare, merged)).toEqual(estimate(rare, single));
    const editedEmpty = (edit: (s: Json) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(set));
      edit(copy.find((s: Json) => s.evidence.accepted === 0));
      return refusals(rare, copy);
    };
    expect(editedEmpty((s) => (s.evidence.posterior[0].min = 0.3)).join()).toMatch(
      /evidence\.posterior\[0\]\.min: a tally that counts nothing has no minimum or maximum/,
    );
    expect(editedEmpty((s) => (s.tallies[0].sum = [1])).join()).toMatch(
      /tallies\[0\]\.sum: a tally that counts nothing sums to 0/,
    );
  });

  it('are refused when an edit breaks an invariant of the evidence tallies', () => {
    const invariant = (mm: Model, edit: (s: Json) => void): string => editedIn(mm, edit).join('\n');
    expect(invariant(hard, (s) => (s.evidence.accepted = s.runs + 1))).toMatch(
      /shard-1.json: evidence\.accepted: 101 accepted trials, more than the 100 trials run/,
    );
    expect(invariant(hard, (s) => (s.evidence.failed[0] = s.runs))).toMatch(
      /evidence\.failed\[0\]: clause "not o by 8" rules out 100 trials, more than the \d+ rejected \(100 run, \d+ accepted\)/,
    );
    expect(invariant(hard, (s) => (s.evidence.weight += 1))).toMatch(
      /evidence\.weight: weight \d+ is not the \d+ accepted trials \(hard evidence weighs each trial 1\)/,
    );
    expect(invariant(soft, (s) => (s.evidence.weight = s.evidence.accepted * 2 ** 24 + 1))).toMatch(
      /evidence\.weight: weight \d+ is not from \d+ to \d+ × 16777216/,
    );
    expect(invariant(soft, (s) => (s.evidence.weight = 2.5))).toMatch(
      /evidence\.weight: weight 2.5 is not a whole/,
    );
    expect(invariant(soft, (s) => (s.evidence.weight = -1))).toMatch(
      /evidence\.weight: weight -1 is negative/,
    );
    expect(invariant(soft, (s) => (s.evidence.weight = 2 ** 53 + 2))).toMatch(/too large to be exact/);
    expect(invariant(soft, (s) => (s.evidence.weightSquared = [1]))).toMatch(
      /evidence\.weightSquared: the sum of squared weights 1 is impossible/,
    );
    expect(
      invariant(hard, (s) => {
        s.firstPassage[0][20] += s.evidence.weight + 1;
      }),
    ).toMatch(
      /firstPassage\[0\]: first passages weighing \d+, more than the accepted trials' weight \(\d+\), for outcome o/,
    );
    expect(invariant(soft, (s) => (s.tallies[0].sketch.zeros += 1))).toMatch(
      /tallies\[0\]\.sketch: the sketch counts more than \d+ values, not the accepted trials' weight \(\d+\)/,
    );
    expect(invariant(soft, (s) => (s.evidence.prior[0].sketch.zeros += 5))).toMatch(
      /evidence\.prior\[0\]\.sketch: the sketch counts more than 100 values, not one per trial \(100\)/,
    );
    expect(invariant(soft, (s) => (s.evidence.posterior[0].sketch.zeros += 5))).toMatch(
      /evidence\.posterior\[0\]\.sketch: the sketch counts more than \d+ values, not the accepted trials' weight/,
    );
    expect(invariant(soft, (s) => (s.evidence.posterior[0].min = 0.9))).toMatch(
      /evidence\.posterior\[0\]\.sum: the mean 0\.\d+ lies outside \[minimum 0.9, maximum/,
    );
  });

  it('are refused when the evidence part has the wrong shape', () => {
    const problem = (mm: Model, edit: (s: Json) => void): string => editedIn(mm, edit).join('\n');
    expect(problem(soft, (s) => (s.evidence.unit = 1))).toMatch(
      /evidence\.unit: weight unit 1 is not this evidence's 16777216 \(soft evidence\)/,
    );
    expect(problem(soft, (s) => s.evidence.failed.push(0))).toMatch(
      /evidence\.failed: expected one count per clause: 2 items, got an array of 3/,
    );
    expect(problem(soft, (s) => (s.evidence.prior = []))).toMatch(
      /evidence\.prior: expected one tally per random param/,
    );
    expect(problem(soft, (s) => (s.evidence.extra = 1))).toMatch(/evidence: unknown field "extra"/);
    expect(problem(soft, (s) => (s.evidence.clauses = ['not o by 9', 'x']))).toMatch(
      /evidence\.clauses: expected the scenario's evidence clauses \[not o by 8, a ~ normal\(0.35, 0.05\) at 0\]/,
    );
    expect(problem(soft, (s) => delete s.evidence)).toMatch(
      /shard-1.json: evidence: a shard of a run that conditions on nothing, but this scenario conditions on evidence/,
    );
  });

  it('of a conditioned run are refused for an unconditioned model, and the reverse, saying why', () => {
    expect(refusals(m, setOf(hard, 3, 300))[0]).toBe(
      'shard-0.json: evidence: a shard of a run conditioned on evidence (given "not o by 8"), but this scenario conditions on nothing: merge with the same scenario file and the same --given clauses as the shards were run with',
    );
    expect(refusals(hard, all(3, 300))[0]).toBe(
      'shard-0.json: evidence: a shard of a run that conditions on nothing, but this scenario conditions on evidence (given "not o by 8"): merge with the same scenario file and the same --given clauses as the shards were run with',
    );
    expect(refusals(soft, setOf(hard, 3, 300))[0]).toMatch(
      /^shard-0.json: evidence\.clauses: a shard of a run conditioned on other evidence \(given "not o by 8"\), not on this scenario's \(given "not o by 8", "a ~ normal\(0.35, 0.05\) at 0"\)/,
    );
    expect(() => mergeShards(m, [shardOf(hard, 0, 1, 10)])).toThrow(ShardError);
    // toShard refuses tallies that do not match the model's evidence.
    expect(() => toShard(m, simulate(hard, { runs: 10 }))).toThrow(
      /carry evidence, but the model conditions on nothing/,
    );
    expect(() => toShard(hard, simulate(m, { runs: 10 }))).toThrow(/carry no evidence/);
  });
});
