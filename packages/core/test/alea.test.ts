import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { aleaNext, aleaOpen, mix32, seedKey, seedTrial, siteKey } from '../src/index.js';
import { baseSlot, firstDraw, trialBase } from '../src/random/seed.js';

describe('alea streams', () => {
  it('produce the same bits as seedrandom.alea from the same state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (a, b, c) => {
          const state = { s0: a / 2 ** 32, s1: b / 2 ** 32, s2: c / 2 ** 32, c: 1 };
          const reference = seedrandom.alea('', { state });
          const S = new Float64Array([state.s0, state.s1, state.s2, 1]);
          for (let i = 0; i < 50; i++) expect(aleaNext(S, 0)).toBe(reference());
        },
      ),
      { numRuns: 50 },
    );
  });

  it('open uniforms never reach 0 or 1', () => {
    const S = new Float64Array([0, 0, 0, 0]);
    const u = aleaOpen(S, 0);
    expect(u).toBeGreaterThan(0);
    const T = new Float64Array([(2 ** 32 - 1) / 2 ** 32, 0.99, 0.99, 2091638]);
    for (let i = 0; i < 5; i++) expect(aleaOpen(T, 0)).toBeLessThan(1);
  });

  it('keys a stream by seed, trial and site name only', () => {
    expect(seedKey(7)).toEqual(seedKey('7'));
    expect(seedKey(7)).not.toEqual(seedKey(8));
    const sites = Uint32Array.from(['param:a', 'event:b'], siteKey);
    const onlyB = Uint32Array.from(['event:b'], siteKey);
    const S = new Float64Array(8);
    const T = new Float64Array(4);
    seedTrial(S, sites, seedKey(1), 123);
    seedTrial(T, onlyB, seedKey(1), 123);
    // The stream of event:b is the same whether or not param:a exists.
    expect([...S.slice(4)]).toEqual([...T]);
    seedTrial(T, onlyB, seedKey(1), 124);
    expect([...S.slice(4)]).not.toEqual([...T]);
  });

  it('a site seeded for one draw (`once`) gives that draw to the bit; the other sites are untouched', () => {
    const names = Array.from({ length: 50 }, (_, k) => (k % 3 === 0 ? `state:s${k}` : `param:p${k}`));
    const sites = Uint32Array.from(names, siteKey);
    const once = Uint8Array.from(names, (n) => (n.startsWith('param:') ? 1 : 0));
    const full = new Float64Array(4 * names.length);
    const lean = new Float64Array(4 * names.length).fill(Number.NaN);
    for (const trial of [0, 1, 77, 2 ** 33 + 5]) {
      seedTrial(full, sites, seedKey('x'), trial);
      seedTrial(lean, sites, seedKey('x'), trial, once);
      for (let s = 0; s < names.length; s++) {
        const o = 4 * s;
        if (once[s] === 0) expect([...lean.slice(o, o + 4)]).toEqual([...full.slice(o, o + 4)]);
        expect(aleaOpen(lean, o)).toBe(aleaOpen(full, o));
        // Only a once site's first draw is defined: its second draw would differ.
        if (once[s] === 0) expect(aleaNext(lean, o)).toBe(aleaNext(full, o));
      }
    }
  });

  it("firstDraw gives a FIRST site's first draw from the trial base alone, to the bit", () => {
    const names = Array.from({ length: 200 }, (_, k) => `param:p${k}`);
    const sites = Uint32Array.from(names, siteKey);
    const S = new Float64Array(4 * names.length + 1);
    for (const seed of [1, 'x', 20261129]) {
      const key = seedKey(seed);
      for (const trial of [0, 1, 77, 2 ** 32 - 1, 2 ** 33 + 5]) {
        seedTrial(S, sites, key, trial);
        const base = trialBase(key, trial);
        expect(S[baseSlot(names.length)]).toBe(base);
        for (let s = 0; s < names.length; s++) expect(firstDraw(base, sites[s]!)).toBe(aleaOpen(S, 4 * s));
      }
    }
  });

  it('seedTrial seeds only the sites in `only`, and leaves the others as they were', () => {
    const sites = Uint32Array.from(['a', 'b', 'c', 'd'], siteKey);
    const all = new Float64Array(17);
    const some = new Float64Array(17).fill(-1);
    seedTrial(all, sites, seedKey(3), 9);
    seedTrial(some, sites, seedKey(3), 9, undefined, Uint32Array.of(1, 3));
    expect([...some.slice(0, 4)]).toEqual([-1, -1, -1, -1]);
    expect([...some.slice(4, 8)]).toEqual([...all.slice(4, 8)]);
    expect([...some.slice(8, 12)]).toEqual([-1, -1, -1, -1]);
    expect([...some.slice(12)]).toEqual([...all.slice(12)]);
  });

  it('trials past 2^32 get their own streams', () => {
    const sites = Uint32Array.from(['x'], siteKey);
    const A = new Float64Array(4);
    const B = new Float64Array(4);
    seedTrial(A, sites, seedKey(1), 5);
    seedTrial(B, sites, seedKey(1), 5 + 2 ** 32);
    expect([...A]).not.toEqual([...B]);
  });

  it('mix32 is a bijection on a sample (no collisions among 100k consecutive words)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(mix32(i));
    expect(seen.size).toBe(100_000);
  });

  it('streams of neighbouring trials are uncorrelated', () => {
    // Correlation of the first draws across 20k consecutive trials: |r| < 4.5/√n.
    const sites = Uint32Array.from(['a', 'b'], siteKey);
    const S = new Float64Array(8);
    const n = 20_000;
    let sx = 0;
    let sy = 0;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    let prev = 0;
    for (let t = 0; t < n; t++) {
      seedTrial(S, sites, seedKey(3), t);
      const x = aleaNext(S, 0);
      const y = aleaNext(S, 4);
      sx += x;
      sy += y;
      sxy += x * y;
      sxx += x * x;
      syy += y * y;
      expect(x).not.toBe(prev);
      prev = x;
    }
    const r = (sxy - (sx * sy) / n) / Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
    expect(Math.abs(r)).toBeLessThan(4.5 / Math.sqrt(n));
    expect(sx / n).toBeGreaterThan(0.5 - 4.5 * Math.sqrt(1 / 12 / n));
    expect(sx / n).toBeLessThan(0.5 + 4.5 * Math.sqrt(1 / 12 / n));
  });
});
