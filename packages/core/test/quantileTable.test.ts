import { describe, expect, it } from 'vitest';
import { type Distribution, makeSampler, type Sampler } from '../src/index.js';
import {
  betaLowerHalf,
  betaQuantile,
  betaQuantileExact,
  clearQuantileTables,
  gammaLowerHalf,
  gammaQuantile,
  gammaQuantileExact,
  gammaUpperHalf,
  QUANTILE_ABSOLUTE_ERROR,
  QUANTILE_RELATIVE_ERROR,
  quantileTableCache,
} from '../src/random/quantiles.js';
import { buildTable, type HalfTable } from '../src/random/quantileTable.js';

const LOW = 2 ** -33;
const HIGH = 1 - 2 ** -33;

/** The neighbouring doubles of x (x > 0). */
const view = new DataView(new ArrayBuffer(8));
function step(x: number, by: number): number {
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + BigInt(by));
  return view.getFloat64(0);
}

/** Uniforms over the whole range: a uniform grid, and 32 points an octave into both tails. */
function denseGrid(n: number): number[] {
  const us = new Set<number>();
  for (let k = 0; k < n; k++) us.add((k + 0.5) / n);
  for (let e = 1; e <= 33; e += 1 / 32) {
    us.add(2 ** -e);
    us.add(1 - 2 ** -e);
  }
  for (const u of [LOW, HIGH, 0.5, step(0.5, -1), step(0.5, 1), 1.5 * 2 ** -32, 1 - 1.5 * 2 ** -32])
    us.add(u);
  return [...us].sort((a, b) => a - b);
}

const REL = QUANTILE_RELATIVE_ERROR;
const ABS = QUANTILE_ABSOLUTE_ERROR;

describe('tabulated quantiles against exact inversion (the stated accuracy)', () => {
  const grid = denseGrid(20_000);
  // Shapes below 1 (a pole at 0), a = b = 1, huge and tiny shapes, U shapes, skewed ones.
  const betas: [number, number][] = [
    [1, 1],
    [2, 5],
    [5, 2],
    [0.5, 0.5],
    [0.1, 3],
    [3, 0.1],
    [0.3, 0.7],
    [0.05, 2],
    [0.2558624899420663, 0.2],
    [1e4, 1e4],
    [1e6, 3],
    [50, 0.2],
    [1.04, 4.96],
    [1, 1000],
  ];
  it.each(betas)('beta(%d, %d): relative to x below ½ and to 1 − x above it', (a, b) => {
    const fast = betaQuantile(a, b);
    const exact = betaQuantileExact(a, b);
    for (const u of grid) {
      const x = exact(u);
      const got = fast(u);
      // Above ½ the answer is 1 − y for a y accurate to REL, and 1 − y is rounded to 2⁻⁵³.
      const allowed = u < 0.5 ? REL * x + ABS : REL * (1 - x) + 2 ** -53;
      expect(Math.abs(got - x), `beta(${a}, ${b}) at u = ${u}: ${got} vs ${x}`).toBeLessThanOrEqual(allowed);
    }
  });

  it.each([0.05, 0.2558624899420663, 0.5, 1, 2, 7.3, 100, 1e4])('gamma(%d): relative to x', (k) => {
    const fast = gammaQuantile(k);
    const exact = gammaQuantileExact(k);
    for (const u of grid) {
      const x = exact(u);
      expect(Math.abs(fast(u) - x), `gamma(${k}) at u = ${u}`).toBeLessThanOrEqual(REL * x + ABS);
    }
  });

  it('PERT and scaled gamma samplers carry the accuracy through their affine maps', () => {
    const cases: [Distribution, (u: number) => number, number][] = [
      // Skewed PERTs: mode near min, near max, at min; and a steep one (lambda 40).
      [{ dist: 'pert', min: 10, mode: 10.1, max: 20 }, betaQuantileExact(1.04, 4.96), 10],
      [{ dist: 'pert', min: -1, mode: 0.98, max: 1 }, betaQuantileExact(4.96, 1.04), 2],
      [{ dist: 'pert', min: 0, mode: 0, max: 3 }, betaQuantileExact(1, 5), 3],
      [{ dist: 'pert', min: 0, mode: 0.25, max: 1, lambda: 40 }, betaQuantileExact(11, 31), 1],
    ];
    for (const [d, exact, width] of cases) {
      const s = sampler(d);
      const min = (d as { min: number }).min;
      for (const u of grid) {
        const y = exact(u);
        const x = min + width * y;
        const allowed =
          width * (u < 0.5 ? REL * y : REL * (1 - y) + 2 ** -53) + 4 * Number.EPSILON * Math.abs(x);
        expect(Math.abs(s.quantile(u) - x), `${JSON.stringify(d)} at ${u}`).toBeLessThanOrEqual(
          allowed + ABS,
        );
      }
    }
    const g = sampler({ dist: 'gamma', shape: 2.5, scale: 3e-4 });
    const exact = gammaQuantileExact(2.5);
    for (const u of grid) {
      const x = 3e-4 * exact(u);
      expect(Math.abs(g.quantile(u) - x)).toBeLessThanOrEqual(REL * x + 2 * Number.EPSILON * x);
    }
  });

  it('the comparison is not vacuous: the table differs from the exact inversion, within the bound', () => {
    const exact = betaQuantileExact(2, 5);
    const fast = betaQuantile(2, 5);
    const differ = grid.filter((u) => fast(u) !== exact(u));
    expect(differ.length).toBeGreaterThan(grid.length / 2);
  });
});

function sampler(d: Distribution): Sampler {
  const r = makeSampler(d);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.sampler;
}

/** Every knot of a half table: p = 2ʲ⁻³³ (1 + i / nⱼ). */
function knots(T: HalfTable): number[] {
  const ps: number[] = [];
  for (let j = 0; j < 32; j++) {
    const n = T.scales[2 * j + 1]!;
    for (let i = 0; i < n; i++) ps.push(2 ** (j - 33) * (1 + i / n));
  }
  return ps;
}

describe('tabulated quantiles are nondecreasing in u, exactly', () => {
  const cases: [string, (u: number) => number, HalfTable, HalfTable][] = [
    ['beta(2, 5)', betaQuantile(2, 5), buildTable(betaLowerHalf(2, 5))!, buildTable(betaLowerHalf(5, 2))!],
    [
      'beta(0.5, 0.5)',
      betaQuantile(0.5, 0.5),
      buildTable(betaLowerHalf(0.5, 0.5))!,
      buildTable(betaLowerHalf(0.5, 0.5))!,
    ],
    [
      'beta(0.05, 2)',
      betaQuantile(0.05, 2),
      buildTable(betaLowerHalf(0.05, 2))!,
      buildTable(betaLowerHalf(2, 0.05))!,
    ],
    ['gamma(0.3)', gammaQuantile(0.3), buildTable(gammaLowerHalf(0.3))!, buildTable(gammaUpperHalf(0.3))!],
    ['gamma(40)', gammaQuantile(40), buildTable(gammaLowerHalf(40))!, buildTable(gammaUpperHalf(40))!],
  ];

  it.each(cases)('%s on a grid of 2²⁰ + 4,224 uniforms', (_, q) => {
    const n = 2 ** 20;
    let prev = q(LOW / 2);
    const check = (u: number): void => {
      const x = q(u);
      if (!(x >= prev)) expect.fail(`decreases at u = ${u}: ${x} < ${prev}`);
      prev = x;
    };
    const us = denseGrid(0);
    for (let k = 0; k < n; k++) us.push((k + 0.5) / n);
    us.sort((a, b) => a - b);
    for (const u of us) check(u);
    check(1 - LOW / 2);
  });

  it.each(cases)('%s at the doubles next to every knot, on both sides of ½', (_, q, lower, upper) => {
    const around = (u: number): void => {
      let prev = q(step(u, -8));
      for (let d = -7; d <= 8; d++) {
        const x = q(step(u, d));
        if (!(x >= prev)) expect.fail(`decreases at the double ${d} from u = ${u}`);
        prev = x;
      }
    };
    for (const p of knots(lower).slice(1)) around(p);
    // Above ½ the table is read at v = 1 − u: its knots are at u = 1 − p (exact for these p).
    for (const p of knots(upper).slice(1)) around(1 - p);
    around(0.5);
    // Beyond 2⁻³³ and 1 − 2⁻³³ (never drawn) the exact inversion is only kept below or above the table.
    for (let d = 0; d <= 8; d++) expect(q(step(LOW, d - 1))).toBeLessThanOrEqual(q(step(LOW, d)));
    for (let d = 0; d <= 8; d++) expect(q(step(HIGH, -d))).toBeLessThanOrEqual(q(step(HIGH, 1 - d)));
  });

  it.each(cases)('%s along runs of 20,000 consecutive doubles (below the rounding grid)', (_, q) => {
    for (const start of [1e-9, 3.3e-5, 0.01234, 0.2, 0.49999, 0.5, 0.73, 0.99, 1 - 3e-8]) {
      let prev = q(start);
      for (let d = 1; d <= 20_000; d++) {
        const x = q(step(start, d));
        if (!(x >= prev)) expect.fail(`decreases ${d} doubles after ${start}`);
        prev = x;
      }
    }
  });
});

describe('a draw is a pure function of the parameters and u', () => {
  it('the same bits whatever was drawn before, from a fresh cache or a warm one', () => {
    const us = denseGrid(500);
    clearQuantileTables();
    const first = us.map(betaQuantile(1.7, 3.2));
    const shuffled = [...us].reverse();
    const q = betaQuantile(1.7, 3.2);
    const again = new Map(shuffled.map((u) => [u, q(u)]));
    expect(us.map((u) => again.get(u))).toEqual(first);
    clearQuantileTables();
    const q2 = betaQuantile(1.7, 3.2);
    q2(0.999);
    expect(us.map(q2)).toEqual(first);
  });

  it('a table is built the same way every time', () => {
    const a = buildTable(gammaUpperHalf(3.1))!;
    const b = buildTable(gammaUpperHalf(3.1))!;
    expect(Array.from(a.pieces)).toEqual(Array.from(b.pieces));
    expect(Array.from(a.scales)).toEqual(Array.from(b.scales));
  });

  it('beyond the tabulated range and for untabulable parameters, the exact inversion, kept in order', () => {
    const q = gammaQuantile(2);
    const exact = gammaQuantileExact(2);
    for (const u of [1e-12, 2 ** -34]) {
      expect(q(u)).toBe(Math.min(exact(u), q(LOW)));
      expect(q(u)).toBeLessThanOrEqual(q(LOW));
    }
    for (const u of [1 - 2 ** -40, step(1, -1)]) expect(q(u)).toBeGreaterThanOrEqual(q(HIGH));
    // Beta(0.01, 0.2) puts its median 1e-28 from 0 and most of its upper half within 1e-15 of 1: not tabulated.
    const u = betaQuantile(0.01, 0.2);
    const e = betaQuantileExact(0.01, 0.2);
    for (const v of [LOW, 0.1, 0.5, 0.9, HIGH]) expect(u(v)).toBe(e(v));
    // Shapes beyond (0.001, 1e9], where the special functions themselves fail, are not even tried.
    const before = quantileTableCache().tables;
    const tiny = betaQuantile(1e-4, 2);
    const tinyExact = betaQuantileExact(1e-4, 2);
    for (const v of [LOW, 0.3, 0.9]) expect(tiny(v)).toBe(tinyExact(v));
    gammaQuantile(2e9)(0.5);
    expect(quantileTableCache().tables).toBe(before);
  });

  it('the cache is bounded and reused', () => {
    clearQuantileTables();
    betaQuantile(2, 3)(0.3);
    betaQuantile(2, 3)(0.7);
    expect(quantileTableCache().tables).toBe(1);
    for (let i = 0; i < 300; i++) betaQuantile(1, 1 + i / 1024)(0.5 + 1e-9);
    expect(quantileTableCache().tables).toBe(256);
    clearQuantileTables();
  });
});
