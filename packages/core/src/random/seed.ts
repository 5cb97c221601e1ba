import seedrandom from 'seedrandom';
import { aleaSet, aleaSetFirst, STREAM_WIDTH } from './alea.js';

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

/**
 * Seed every site's stream for one trial. `trial` may exceed 2³² (it is split into two words).
 * Sites marked in `once` are drawn once a trial (params: `onceSites`). Alea's first draw reads only
 * s0 and c, so for them s1 and s2 are not computed: the draw is the same, at half the hashing. A
 * param model spends most of its seeding there (1,000 interests: 2,000 params, 40% of a trial).
 */
export function seedTrial(
  S: Float64Array,
  sites: Uint32Array,
  key: SeedKey,
  trial: number,
  once?: Uint8Array,
): void {
  const lo = trial >>> 0;
  const hi = Math.floor(trial / 4294967296) >>> 0;
  const base = mix32(mix32(mix32(key[0] ^ lo) ^ hi) ^ key[1]);
  for (let s = 0; s < sites.length; s++) {
    const h = mix32(base ^ sites[s]!);
    if (once !== undefined && once[s] === 1) {
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
