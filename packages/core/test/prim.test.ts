import { describe, expect, it } from 'vitest';
import {
  binomialUpperTail,
  DISCOVERY_RUNS,
  discover,
  MAX_DISCOVERY_VALUES,
  PRIM_ALPHA,
  parseWhere,
  prim,
} from '../src/index.js';
import { model, scenario } from './helpers.js';

/** Ground truth: the outcome is exactly x1 > 0.7 and x2 < 0.3; x3 plays no part. */
const BOX = model(
  scenario(
    `params:
  x1: { dist: uniform, min: 0, max: 1 }
  x2: { dist: uniform, min: 0, max: 1 }
  x3: { dist: uniform, min: 0, max: 1 }
  scale: 2
state:
  y: { init: 0, update: "x1 * scale" }
outcomes:
  hit: { when: "x1 > 0.7 and x2 < 0.3" }
  never: { when: "x3 > 2" }
report: [y]`,
    'hit',
    1,
  ),
);

/** A small generator for direct calls of prim() (mulberry32). */
function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('PRIM on a known box', () => {
  const found = discover(BOX, { seed: 11 });
  if (!found.ok) throw new Error(JSON.stringify(found.issues));
  const d = found.value;

  it('recovers x1 ≥ 0.7 and x2 ≤ 0.3 within two α-steps, leaves x3 alone, and reaches density near 1', () => {
    expect(d.runs).toBe(DISCOVERY_RUNS);
    expect(d.target).toMatchObject({ kind: 'outcome', outcome: 'hit' });
    expect(d.baseDensity).toBeCloseTo(0.09, 1);
    const limits = Object.fromEntries(d.box.limits.map((l) => [l.input, l]));
    expect(Object.keys(limits).sort()).toEqual(['x1', 'x2']);
    // One α-step near the true limit moves it by about α × (0.3 or 0.7 of the box's width).
    const step = PRIM_ALPHA * 0.3;
    expect(limits.x1!.upper).toBeNull();
    expect(Math.abs(limits.x1!.lower! - 0.7)).toBeLessThan(2 * step);
    expect(limits.x2!.lower).toBeNull();
    expect(Math.abs(limits.x2!.upper! - 0.3)).toBeLessThan(2 * step);
    // Limits as quantiles of the prior: for a uniform(0, 1), the limit itself.
    expect(limits.x1!.lowerQuantile).toBeCloseTo(limits.x1!.lower!, 12);
    expect(d.box.density).toBeGreaterThan(0.95);
    expect(d.box.coverage).toBeGreaterThan(0.95);
    // Both restrictions are anything but chance.
    expect(limits.x1!.lowerP).toBeLessThan(1e-10);
    expect(limits.x2!.upperP).toBeLessThan(1e-10);
    // Peeling ends at a pure box: no peel can raise a density of 1.
    expect(d.trajectory.at(-1)!.density).toBe(1);
  });

  it('gives a trajectory that starts with every trial, never gains coverage, and always loses mass', () => {
    const t = d.trajectory;
    expect(t[0]).toMatchObject({ index: 0, mass: 1, coverage: 1, limits: [] });
    for (let i = 1; i < t.length; i++) {
      expect(t[i]!.coverage).toBeLessThanOrEqual(t[i - 1]!.coverage);
      expect(t[i]!.mass).toBeLessThan(t[i - 1]!.mass);
      expect(t[i]!.density).toBeGreaterThan(t[i - 1]!.density);
      expect(t[i]!.mass).toBeGreaterThanOrEqual(d.minSupport);
      expect(t[i]!.peeled).toBeDefined();
    }
    expect(t.every((b) => b.limits.every((l) => l.input !== 'x3'))).toBe(true);
  });

  it('is a function of (scenario, seed, runs): the same boxes twice, other boxes for another seed', () => {
    const again = discover(BOX, { seed: 11 });
    expect(again.ok && again.value).toEqual(d);
    const other = discover(BOX, { seed: 12 });
    expect(other.ok && other.value.box.limits[0]!.lower).not.toBe(d.box.limits[0]!.lower);
  });

  it('with a threshold, chooses the largest coverage at that density, or says none reached it', () => {
    const r = discover(BOX, { seed: 11, threshold: 0.5 });
    if (!r.ok) throw new Error('rejected');
    const b = r.value.trajectory[r.value.chosen.index]!;
    expect(r.value.chosen).toMatchObject({ rule: 'threshold', reached: true });
    expect(b.density).toBeGreaterThanOrEqual(0.5);
    for (const o of r.value.trajectory)
      if (o.density >= 0.5)
        expect(o.coverage < b.coverage || (o.coverage === b.coverage && o.density <= b.density)).toBe(true);
    const never = prim(
      [{ name: 'u', values: Float64Array.from([0.1, 0.2, 0.3, 0.4]) }],
      Uint8Array.from([1, 0, 1, 0]),
      {
        threshold: 0.99,
      },
    );
    expect(never.chosen.reached).toBe(false);
  });

  it('restricts only the inputs it is given', () => {
    const r = discover(BOX, { seed: 11, inputs: ['x2', 'x3'] });
    if (!r.ok) throw new Error('rejected');
    expect(r.value.inputs).toEqual(['x2', 'x3']);
    expect(r.value.box.limits.map((l) => l.input)).toContain('x2');
    expect(r.value.box.limits.every((l) => l.input !== 'x1')).toBe(true);
  });

  it('takes a reported value against a number as the case (--where)', () => {
    expect(parseWhere('y > 1.6')).toEqual({ report: 'y', op: '>', value: 1.6 });
    expect(parseWhere('y >= -2e-1')).toEqual({ report: 'y', op: '>=', value: -0.2 });
    expect(parseWhere('y > ')).toBeUndefined();
    expect(parseWhere('y = 1')).toBeUndefined();
    const r = discover(BOX, { seed: 11, where: parseWhere('y > 1.6')! });
    if (!r.ok) throw new Error('rejected');
    expect(r.value.target).toMatchObject({ kind: 'where', report: 'y', op: '>', value: 1.6 });
    // y = 2·x1, so the cases are x1 > 0.8: one limit on x1, near 0.8, and density 1.
    expect(r.value.box.limits.map((l) => l.input)).toEqual(['x1']);
    expect(Math.abs(r.value.box.limits[0]!.lower! - 0.8)).toBeLessThan(0.02);
    expect(r.value.box.density).toBeGreaterThan(0.97);
  });

  it('with no cases at all, restricts nothing', () => {
    const r = discover(BOX, { seed: 11, outcome: 'never', runs: 2000 });
    if (!r.ok) throw new Error('rejected');
    expect(r.value.cases).toBe(0);
    expect(r.value.trajectory).toHaveLength(1);
    expect(r.value.box.limits).toEqual([]);
  });
});

describe('PRIM on ties, noise and pasting', () => {
  it('peels a discrete input at a value, never between trials of the same value', () => {
    const next = uniforms(3);
    const n = 4000;
    const flag = Float64Array.from({ length: n }, () => (next() < 0.5 ? 1 : 0));
    const x = Float64Array.from({ length: n }, next);
    const y = Uint8Array.from({ length: n }, (_, i) => (flag[i] === 1 && x[i]! > 0.5 ? 1 : 0));
    const r = prim(
      [
        { name: 'flag', values: flag },
        { name: 'x', values: x },
      ],
      y,
    );
    const f = r.box.limits.find((l) => l.input === 'flag')!;
    expect(f.lower).toBe(0.5);
    expect(f.lowerQuantile).toBeCloseTo(0.5, 1); // empirical: the share of trials below the limit
    expect(r.box.density).toBeGreaterThan(0.95);
  });

  it('pastes back a limit that later peels made too tight, only while density rises', () => {
    // Where x1 ≥ 0.5, cases need x0 ≥ 0.3, so peeling raises x0's lower limit to 0.3 first; once x1
    // is restricted below 0.5, where the low values of x0 are the densest, that limit is too tight.
    let pasted = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const next = uniforms(seed);
      const n = 20_000;
      const [x0, x1] = [0, 1].map(() => Float64Array.from({ length: n }, next)) as [
        Float64Array,
        Float64Array,
      ];
      const y = Uint8Array.from({ length: n }, (_, i) => {
        const p = x1[i]! < 0.5 ? 0.95 - 0.1 * x0[i]! : x0[i]! < 0.3 ? 0 : 0.8;
        return next() < p ? 1 : 0;
      });
      const inputs = [
        { name: 'x0', values: x0 },
        { name: 'x1', values: x1 },
      ];
      const plain = prim(inputs, y, { paste: false, threshold: 0.9 });
      const withPaste = prim(inputs, y, { threshold: 0.9 });
      expect(withPaste.chosen.index).toBe(plain.chosen.index);
      expect(withPaste.box.coverage).toBeGreaterThanOrEqual(plain.box.coverage);
      if (withPaste.chosen.pastes === 0) {
        expect(withPaste.box).toEqual(plain.box);
        continue;
      }
      pasted++;
      expect(withPaste.box.density).toBeGreaterThan(plain.box.density);
      const before = plain.box.limits.find((l) => l.input === 'x0')!.lower!;
      const after = withPaste.box.limits.find((l) => l.input === 'x0')?.lower ?? Number.NEGATIVE_INFINITY;
      expect(before).toBeGreaterThan(0.29);
      expect(after).toBeLessThan(before);
    }
    expect(pasted).toBeGreaterThanOrEqual(4);
  });

  it('gives quasi-p-values that tell a real restriction from noise', () => {
    // A restriction on an irrelevant input, forced by peeling it alone: its quasi-p is not small.
    const next = uniforms(8);
    const n = 5000;
    const noise = Float64Array.from({ length: n }, next);
    const y = Uint8Array.from({ length: n }, () => (next() < 0.3 ? 1 : 0));
    const r = prim([{ name: 'noise', values: noise }], y, { threshold: 0.35 });
    for (const l of r.box.limits) {
      const p = l.lowerP ?? l.upperP!;
      expect(p).toBeGreaterThan(1e-4);
    }
  });

  it('computes the binomial tail exactly', () => {
    const exact = (k: number, n: number, p: number): number => {
      let s = 0;
      let c = 1;
      for (let i = 0; i <= n; i++) {
        if (i >= k) s += c * p ** i * (1 - p) ** (n - i);
        c = (c * (n - i)) / (i + 1);
      }
      return s;
    };
    for (const [k, n, p] of [
      [3, 10, 0.2],
      [7, 10, 0.5],
      [0, 5, 0.3],
      [20, 20, 0.9],
      [15, 40, 0.1],
    ] as const)
      expect(binomialUpperTail(k, n, p)).toBeCloseTo(exact(k, n, p), 12);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
  });
});

describe('discover refuses what it cannot do, before any trial', () => {
  it('refuses more values than it may hold, and says why and how many runs fit', () => {
    const perTrial = 3 + 2 + 1; // random params, outcomes, reported values
    const runs = Math.floor(MAX_DISCOVERY_VALUES / perTrial) + 1;
    const started = Date.now();
    const r = discover(BOX, { runs });
    expect(Date.now() - started).toBeLessThan(1000); // nothing was played or allocated
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ code: 'discover.memory' });
    expect(r.issues[0]!.message).toMatch(/keeps every trial's inputs and results in memory/);
    expect(r.issues[0]!.message).toContain(`at most ${(runs - 1).toLocaleString('en-US')} runs`);
    expect(discover(BOX, { runs: runs - 1, alpha: 0.9 }).ok).toBe(false); // checked first, still fast
  });

  it('names a wrong outcome, input or reported value, with a suggestion', () => {
    const r = discover(BOX, {
      outcome: 'hitt',
      inputs: ['x4', 'scale'],
      where: { report: 'z', op: '>', value: 1 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const codes = r.issues.map((i) => i.code);
    expect(codes).toEqual([
      'discover.target',
      'discover.outcome',
      'discover.where',
      'discover.input',
      'discover.fixed',
    ]);
    expect(r.issues[1]!.suggestion).toBe('did you mean "hit"?');
    expect(r.issues[3]!.suggestion).toBe('did you mean "x1"?');
  });

  it('refuses a scenario conditioned on evidence', () => {
    const given = model(
      scenario(
        `params:
  x: { dist: uniform, min: 0, max: 1 }
outcomes:
  o: { when: "x > 0.5" }
given: ["not o by 1"]`,
        'o',
        2,
      ),
    );
    const r = discover(given, { runs: 100 });
    expect(r.ok || r.issues[0]!.code).toBe('discover.evidence');
  });
});
