import {
  type CompiledModel,
  estimate,
  loadScenario,
  mergeShardFiles,
  shardRange,
  simulate,
  toShard,
} from '@entente/core';
import fc from 'fast-check';

/**
 * Hostile shard (tallies) files: a valid shard with one to three mutations of the kinds a truncated
 * transfer, a careless edit or an attacker produce — negative, fractional, non-finite and huge
 * numbers, values of the wrong type, arrays of the wrong length (up to millions of items), deleted,
 * unknown and `__proto__` fields, swapped fields, deep nesting, and whole files that are `null`, a
 * string or an array. `entente merge` must refuse each with located problems or merge it honestly.
 */

type Path = (string | number)[];

/** Values no honest shard holds where a count, a number or a record is expected. */
const HOSTILE_VALUES: readonly unknown[] = [
  -1,
  -4,
  0.5,
  -0,
  1e-300,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  null,
  true,
  '7',
  'NaN',
  '',
  [],
  {},
  [null],
  [[[]]],
  { runs: 1 },
];

/** Whole files that are not shards at all. */
const NOT_SHARDS: readonly unknown[] = [null, [], 'entente-tallies', 42, true, {}, [{}], { format: null }];

/** Every path to a value (not into arrays longer than 200 nor deeper than 40), for picking a place to break. */
function paths(x: unknown, prefix: Path = []): Path[] {
  if (typeof x !== 'object' || x === null || prefix.length > 40) return [prefix];
  if (Array.isArray(x)) {
    if (x.length > 200) return [prefix];
    return [prefix, ...x.flatMap((v, i) => paths(v, [...prefix, i]))];
  }
  return [prefix, ...Object.keys(x).flatMap((k) => paths((x as Record<string, unknown>)[k], [...prefix, k]))];
}

function get(x: unknown, path: Path): unknown {
  let at = x;
  for (const k of path) at = (at as Record<string | number, unknown>)[k];
  return at;
}

/** Set a key as an own property, whatever its name (`__proto__` included): never through a prototype. */
function put(parent: unknown, key: string | number, value: unknown): void {
  if (Array.isArray(parent) && typeof key === 'number') parent[key] = value;
  else Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Replace the value at `path` (the root when empty) in `doc` and return the new root. */
function replace(doc: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  put(get(doc, path.slice(0, -1)), path[path.length - 1]!, value);
  return doc;
}

/** A deep copy of JSON data (a valid shard as read from a file). */
const jsonClone = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

const nested = (depth: number): unknown => {
  let x: unknown = 0;
  for (let i = 0; i < depth; i++) x = [x];
  return x;
};

/** One mutation: [kind, a pick of a path, a pick of a second path, a pick of a value, a size]. */
type Mutation = [number, number, number, number, number];

function mutate(doc: unknown, [kind, a, b, v, size]: Mutation): unknown {
  const all = paths(doc);
  const inner = all.filter((p) => p.length > 0);
  const at = inner.length > 0 ? inner[a % inner.length]! : [];
  const target = get(doc, at);
  switch (kind) {
    case 0: // a hostile value anywhere
      return replace(doc, at, HOSTILE_VALUES[v % HOSTILE_VALUES.length]);
    case 1: {
      // an edited number: negated, scaled, nudged
      const numbers = inner.filter((p) => typeof get(doc, p) === 'number');
      if (numbers.length === 0) return doc;
      const p = numbers[a % numbers.length]!;
      const x = get(doc, p) as number;
      const edits = [-x, 2 * x, x * 1e6, x + 1, x - 1, x / 2, x + 0.5, Math.round(x * 10)];
      return replace(doc, p, edits[v % edits.length]);
    }
    case 2: {
      // an array of the wrong length: longer, shorter, empty, or millions of items
      const arrays = all.filter((p) => Array.isArray(get(doc, p)));
      if (arrays.length === 0) return doc;
      const p = arrays[a % arrays.length]!;
      const xs = [...(get(doc, p) as unknown[])];
      const which = v % 4;
      if (which === 0) xs.push(xs[xs.length - 1] ?? 0);
      else if (which === 1) xs.pop();
      else if (which === 2) xs.length = 0;
      else return replace(doc, p, new Array(100_000 + (size % 2_000_000)).fill(1));
      return replace(doc, p, xs);
    }
    case 3: {
      // a field or an item deleted
      if (at.length === 0) return doc;
      const parent = get(doc, at.slice(0, -1));
      const key = at[at.length - 1]!;
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key as string];
      return doc;
    }
    case 4: {
      // an unknown field, or an own `__proto__` field
      const objects = all.filter((p) => {
        const x = get(doc, p);
        return typeof x === 'object' && x !== null && !Array.isArray(x);
      });
      if (objects.length === 0) return doc;
      put(get(doc, objects[a % objects.length]!), v % 2 === 0 ? '__proto__' : 'extra', { polluted: true });
      return doc;
    }
    case 5: {
      // two values swapped (neither inside the other)
      const other = inner.length > 0 ? inner[b % inner.length]! : [];
      const isPrefix = (p: Path, q: Path) => p.length <= q.length && p.every((k, i) => q[i] === k);
      if (at.length === 0 || other.length === 0 || isPrefix(at, other) || isPrefix(other, at)) return doc;
      const x = get(doc, at);
      const y = get(doc, other);
      replace(doc, at, y);
      return replace(doc, other, x);
    }
    case 6: // deep nesting where a value was
      return replace(doc, at, nested(1 + (size % 5_000)));
    case 7: // not a shard at all
      return NOT_SHARDS[v % NOT_SHARDS.length];
    default: // a number field replaced by its string
      return typeof target === 'number' ? replace(doc, at, String(target)) : doc;
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.tuple(
  fc.integer({ min: 0, max: 8 }),
  fc.nat(),
  fc.nat(),
  fc.nat(),
  fc.nat(),
);

/**
 * A valid shard (JSON data, e.g. parsed from `run --shard K/N --format tallies`) with one to
 * `maxMutations` hostile mutations. The input is never changed.
 */
export function hostileShard(valid: unknown, maxMutations = 3): fc.Arbitrary<unknown> {
  return fc
    .array(mutation, { minLength: 1, maxLength: maxMutations })
    .map((ms) => ms.reduce<unknown>((doc, m) => mutate(doc, m), jsonClone(valid)));
}

/**
 * A set of valid shards with one member made hostile, and sometimes a member dropped, given twice,
 * or the set reordered: what `merge` may be handed.
 */
export function hostileShardSet(valid: readonly unknown[]): fc.Arbitrary<unknown[]> {
  return fc
    .tuple(
      fc.nat(),
      fc.oneof(...valid.map((v) => hostileShard(v))),
      fc.constantFrom('replace', 'replace', 'drop', 'twice', 'add'),
      fc.nat(),
    )
    .map(([pick, hostile, how, order]) => {
      const set = valid.map((v) => jsonClone(v));
      const i = pick % set.length;
      if (how === 'replace') set[i] = hostile;
      else if (how === 'drop') set.splice(i, 1);
      else if (how === 'twice') set.push(jsonClone(valid[i]));
      else set.push(hostile);
      const k = order % set.length;
      return [...set.slice(k), ...set.slice(0, k)];
    });
}

/** `count` valid shards of `runs` trials of a model, as JSON data (as read back from files). */
export function validShards(
  model: CompiledModel,
  count: number,
  runs: number,
  seed: number | string = 7,
): unknown[] {
  return Array.from({ length: count }, (_, index) => {
    const sim = simulate(model, { ...shardRange(index, count, runs), seed });
    return JSON.parse(JSON.stringify(toShard(model, sim, { index, count, totalRuns: runs })));
  });
}

/** What a set of shard files did in `checkShardMerge`. */
export type ShardMergeOutcome = 'merged' | 'partial' | 'refused';

/**
 * Merge a set of shard data (as `merge` and `merge --partial` would) and check the answer: never an
 * exception; a refusal has problems with a code and a message; a merge has trials, and every
 * probability and interval bound in [0, 1]. Throws on anything else.
 */
export function checkShardMerge(
  model: CompiledModel,
  shards: readonly unknown[],
  partial = false,
): ShardMergeOutcome {
  const r = mergeShardFiles(
    model,
    shards.map((data, i) => ({ file: `shard-${i}.json`, data })),
    { partial },
  );
  if (!r.ok) {
    if (r.issues.length === 0) throw new Error('refused with no problem');
    for (const i of r.issues) {
      if (typeof i.code !== 'string' || typeof i.message !== 'string' || !Array.isArray(i.path))
        throw new Error(`a problem without a code or a message: ${JSON.stringify(i)}`);
    }
    return 'refused';
  }
  const result = estimate(model, r.value.simulation);
  if (!(result.runs >= 1)) throw new Error(`a merge of ${result.runs} trials`);
  const inUnit = (x: number): boolean => x >= 0 && x <= 1;
  for (const [id, o] of Object.entries(result.outcomes)) {
    for (const s of [o, ...o.byStep]) {
      if (!inUnit(s.probability) || !inUnit(s.ci95[0]) || !inUnit(s.ci95[1]) || s.ci95[0] > s.ci95[1]) {
        throw new Error(`${id}: probability ${s.probability} with interval [${s.ci95}] is not in [0, 1]`);
      }
    }
  }
  return r.value.partial === undefined ? 'merged' : 'partial';
}

/** `fc.property`: hostile sets of shards of a model are refused or merged honestly (`checkShardMerge`). */
export function shardMergeHonest(
  model: CompiledModel,
  valid: readonly unknown[],
): fc.IPropertyWithHooks<[unknown[], boolean]> {
  return fc.property(hostileShardSet(valid), fc.boolean(), (set, partial) => {
    checkShardMerge(model, set, partial);
  });
}

const FUZZ_SCENARIOS = [
  'id: walk\ntitle: walk\nhorizon: { steps: 24 }\nprimary: o\nparams:\n  a: { dist: normal, mean: 0, sd: 1 }\nstate:\n  w: { init: 0, update: "w + normal(a, 1)" }\noutcomes:\n  o: { when: "w > 3" }',
  'id: two\ntitle: two\nhorizon: { steps: 6 }\nprimary: hit\nparams:\n  h: 0.2\noutcomes:\n  hit: { when: "bernoulli(h)" }\n  miss: { when: "bernoulli(h / 2)" }',
];

/**
 * The shard part of `pnpm fuzz`: `n` hostile sets of shards of a few models through
 * `checkShardMerge`, counted into `counts` (`shards → merged|partial|refused`) and, when the check
 * throws, pushed onto `failures` with the set that caused it.
 */
export function fuzzShardMerges(
  n: number,
  seed: number,
  counts: Record<string, number>,
  failures: { kind: string; text: string; error: string }[],
): void {
  const models = FUZZ_SCENARIOS.map((text) => {
    const r = loadScenario(text, { file: 'fuzz.yaml' });
    if (!r.ok) throw new Error('a fuzz scenario does not load');
    return { model: r.value, shards: validShards(r.value, 3, 300) };
  });
  const arb = fc
    .tuple(fc.nat({ max: models.length - 1 }), fc.boolean())
    .chain(([k, partial]) => hostileShardSet(models[k]!.shards).map((set) => ({ k, partial, set })));
  // In batches: a case may hold an array of millions of items, so not all cases at once.
  for (let done = 0; done < n; done += 100) {
    fuzzBatch(fc.sample(arb, { numRuns: Math.min(100, n - done), seed: seed + done }));
  }
  function fuzzBatch(cases: { k: number; partial: boolean; set: unknown[] }[]): void {
    for (const { k, partial, set } of cases) {
      try {
        const outcome = checkShardMerge(models[k]!.model, set, partial);
        counts[`shards → ${outcome}`] = (counts[`shards → ${outcome}`] ?? 0) + 1;
      } catch (e) {
        const text = JSON.stringify(set, (_, v) =>
          Array.isArray(v) && v.length > 50 ? `[array of ${v.length}]` : v,
        );
        failures.push({
          kind: 'shards',
          text: text.slice(0, 4000),
          error: e instanceof Error ? (e.stack ?? e.message) : String(e),
        });
      }
    }
  }
}
