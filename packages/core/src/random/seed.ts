import seedrandom from 'seedrandom';
import { aleaFirstOpen, aleaSet, aleaSetFirst, STREAM_WIDTH } from './alea.js';

/**
 * How a stream is keyed — the scheme behind reproducibility and common random numbers:
 *
 *   seed (number or string) ──seedrandom.alea──▶ seed key (two 32-bit words)
 *   stream(seed, trial, site) = Alea with s0, s1, s2 = H(seed key, trial, hash(site name)) and c = 1
 *
 * where H is a chain of MurmurHash3's 32-bit finaliser. A site is a named place that draws
 * randomness (`param:oil_share`, `state:tie#0`, `event:ceasefire`, `regime:turkey`), so a draw
 * depends on the seed, the trial number and the site's name, and nothing else: not the chunk, the
 * worker, the shard, nor which other sites exist. Adding an event does not reshuffle the others.
 */

/** The two 32-bit words that a user's seed stands for. */
export type SeedKey = readonly [number, number];

/** seedrandom is imported here and nowhere else in the core. */
export function seedKey(seed: number | string): SeedKey {
  const rng = seedrandom.alea(`entente:${String(seed)}`);
  return [rng.int32() >>> 0, rng.int32() >>> 0];
}

/** MurmurHash3's finaliser: a bijection on 32-bit words with full avalanche. */
export function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** 32-bit hash of a site name (FNV-1a over UTF-16 code units, then finalised). */
export function siteKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}

const GOLDEN = 0x9e3779b9;

/** The hash that every site's stream in trial `trial` starts from. `trial` may exceed 2³² (it is split into two words). */
export function trialBase(key: SeedKey, trial: number): number {
  const lo = trial >>> 0;
  const hi = Math.floor(trial / 4294967296) >>> 0;
  return mix32(mix32(mix32(key[0] ^ lo) ^ hi) ^ key[1]);
}

/** A site `seedTrial` seeds for its first draw only (`once[s]`); any other value: the whole stream. */
export const FIRST = 1;

/**
 * Seed the sites' streams for one trial: every site, or those listed in `only` (indices into
 * `sites`). A site marked FIRST in `once` is drawn once a trial (a param): Alea's first draw reads
 * only s0 and c, so s1 and s2 are not computed, half the hashing. If `S` has a slot after the last
 * stream (`baseSlot`), the trial's base goes there, from which generated code draws the params it
 * draws itself (`firstDraw`) and which `only` then leaves out: 1,000 interests' 2,000 params spent
 * a third of a trial here.
 */
export function seedTrial(
  S: Float64Array,
  sites: Uint32Array,
  key: SeedKey,
  trial: number,
  once?: Uint8Array,
  only?: Uint32Array,
): void {
  const base = trialBase(key, trial);
  const n = sites.length;
  if (S.length > baseSlot(n)) S[baseSlot(n)] = base;
  const count = only === undefined ? n : only.length;
  for (let j = 0; j < count; j++) {
    const s = only === undefined ? j : only[j]!;
    const h = mix32(base ^ sites[s]!);
    if (once !== undefined && once[s] === FIRST) {
      aleaSetFirst(S, s * STREAM_WIDTH, mix32((h + GOLDEN) >>> 0));
      continue;
    }
    aleaSet(
      S,
      s * STREAM_WIDTH,
      mix32((h + GOLDEN) >>> 0),
      mix32((h + 2 * GOLDEN) >>> 0),
      mix32((h + 3 * GOLDEN) >>> 0),
    );
  }
}

/** Where seedTrial writes the trial's base: after the last of `sites` streams. */
export const baseSlot = (sites: number): number => sites * STREAM_WIDTH;

/**
 * The first draw, opened (`aleaOpen`), of the stream of site key `site` in the trial whose base is
 * `base`: the same bits as `seedTrial` then `aleaOpen`, with no state written or read. Generated code
 * draws its params with it (a loop of 2,000 params spent 40% of a trial seeding and reading states).
 */
export function firstDraw(base: number, site: number): number {
  return aleaFirstOpen(mix32((mix32(base ^ site) + GOLDEN) >>> 0));
}
