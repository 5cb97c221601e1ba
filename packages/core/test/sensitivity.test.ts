// Known-answer tests of the sensitivity analyses (analysis/sobolIndices.ts, morris.ts, tornado.ts).
// Every test runs at a fixed seed, so nothing flakes; the tolerances are about four standard errors
// of the estimator at the N used, so a bug that moves an index by more than that fails.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { uniforms } from '../src/analysis/optimize.js';
import { bootstrap, type Columns, estimate, resampled } from '../src/analysis/sobolIndices.js';
import {
  type AnalysisColumn,
  analysisColumn,
  type ColumnRunner,
  type CompiledModel,
  formatIssue,
  morris,
  morrisAsync,
  normalQuantile,
  type Result,
  sobolIndices,
  sobolIndicesAsync,
  tornado,
  tornadoAsync,
} from '../src/index.js';
import { model, scenario } from './helpers.js';

const PI = Math.PI;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
  return r.value;
}

/** Indices by input name. */
const byName = <T extends { name: string }>(list: readonly T[]): Record<string, T> =>
  Object.fromEntries(list.map((x) => [x.name, x]));

/** y = a·x1 + b·x2 (+ optional noise), with a third input it does not read. */
const linear = (a: number, b: number, sd1 = 1, sd2 = 1, noise = '') =>
  model(
    scenario(
      `params:
  x1: { dist: normal, mean: 1, sd: ${sd1} }
  x2: { dist: normal, mean: -2, sd: ${sd2} }
  x3: { dist: uniform, min: 0, max: 1 }
derived:
  y: "${a} * x1 + ${b} * x2${noise}"
outcomes:
  o: { when: "y > 1000" }
report: [y]`,
      'o',
      1,
    ),
  );

/** sin x on [−π, π] without a sin in the formula language: its Taylor polynomial to degree 17, in Horner form (error < 1e-7). */
function sinFormula(x: string): string {
  let inner = '1';
  for (let k = 8; k >= 1; k--) inner = `(1 - ${x}^2 / ${2 * k * (2 * k + 1)} * ${inner})`;
  return `${x} * ${inner}`;
}

describe('Sobol indices by pick-freeze', () => {
  it('a linear model y = x1 + 2·x2 with unit normal inputs: S1 = 1/5, S2 = 4/5, totals equal firsts, no noise', () => {
    const r = value(sobolIndices(linear(1, 2), { output: 'y', runs: 20_000, seed: 11 }));
    const s = byName(r.indices);
    for (const [name, truth] of [
      ['x1', 0.2],
      ['x2', 0.8],
    ] as const) {
      for (const which of ['first', 'total'] as const) {
        const est = s[name]![which];
        expect(Math.abs(est.estimate - truth)).toBeLessThan(0.03);
        expect(est.ci95[0]).toBeLessThan(est.estimate);
        expect(est.ci95[1]).toBeGreaterThan(est.estimate);
        expect(est.ci95[1] - est.ci95[0]).toBeLessThan(0.06);
      }
    }
    // x3 is never read: re-drawing it changes no trial, so its total index is 0 exactly.
    expect(s.x3!.total.estimate).toBe(0);
    expect(Math.abs(s.x3!.first.estimate)).toBeLessThan(0.02);
    // No aleatory site: the noise share is 0 and the inputs explain everything, exactly.
    expect(r.noise).toEqual({ estimate: 0, ci95: [0, 0] });
    expect(r.closed.estimate).toBe(1);
    expect(r.indices.map((i) => i.name)).toEqual(['x2', 'x1', 'x3']);
    expect(r.trials).toBe(20_000 * 5);
    expect(r.variance).toBeCloseTo(5, 0);
  });

  it('the Ishigami function (a = 7, b = 0.1, uniform(−π, π) inputs) on a reported value', () => {
    const u = `{ dist: uniform, min: ${-PI}, max: ${PI} }`;
    const m = model(
      scenario(
        `params:
  x1: ${u}
  x2: ${u}
  x3: ${u}
derived:
  s1: "${sinFormula('x1')}"
  s2: "${sinFormula('x2')}"
  y: "s1 + 7 * s2^2 + 0.1 * x3^4 * s1"
outcomes:
  o: { when: "y > 1000" }
report: [y]`,
        'o',
        1,
      ),
    );
    const r = value(sobolIndices(m, { output: 'y', runs: 20_000, seed: 5 }));
    const s = byName(r.indices);
    const truth = {
      x1: { first: 0.3139, total: 0.5576 },
      x2: { first: 0.4424, total: 0.4424 },
      x3: { first: 0, total: 0.2437 },
    };
    for (const [name, t] of Object.entries(truth)) {
      for (const which of ['first', 'total'] as const) {
        const est = s[name]![which];
        expect(Math.abs(est.estimate - t[which]), `${which} ${name}`).toBeLessThan(0.03);
        expect(est.ci95[0], `${which} ${name}`).toBeLessThan(est.estimate);
        expect(est.ci95[1], `${which} ${name}`).toBeGreaterThan(est.estimate);
        expect(est.ci95[1] - est.ci95[0]).toBeLessThan(0.07);
      }
    }
    expect(r.indices.map((i) => i.name)).toEqual(['x1', 'x2', 'x3']);
  });

  it('bootstrap intervals cover the truth about 95% of the time (20 seeds, small N)', () => {
    const m = linear(1, 2);
    let covered = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = value(
        sobolIndices(m, { output: 'y', inputs: ['x1', 'x2'], runs: 2_000, seed, resamples: 200 }),
      );
      const s1 = byName(r.indices).x1!.first.ci95;
      const st2 = byName(r.indices).x2!.total.ci95;
      if (s1[0] < 0.2 && 0.2 < s1[1]) covered++;
      if (st2[0] < 0.8 && 0.8 < st2[1]) covered++;
    }
    // Of 40 nominal 95% intervals, fewer than 33 covering would happen by chance with probability < 0.001.
    expect(covered).toBeGreaterThanOrEqual(33);
  });

  it('a formula draw is noise, not an input: y = x + N(0, 0.5²) with x ~ N(0, 1) has noise share 0.2', () => {
    const m = model(
      scenario(
        `params:
  x: { dist: normal, mean: 0, sd: 1 }
state:
  y: { init: 0, update: "x + normal(0, 0.5)" }
outcomes:
  o: { when: "y > 1000" }
report: [y]`,
        'o',
        1,
      ),
    );
    const r = value(sobolIndices(m, { output: 'y', runs: 20_000, seed: 3 }));
    // Var(y) = 1 + 0.25; E[Var(y | x)] = 0.25.
    expect(Math.abs(r.noise.estimate - 0.2)).toBeLessThan(0.02);
    expect(r.noise.ci95[1] - r.noise.ci95[0]).toBeLessThan(0.03);
    expect(Math.abs(r.indices[0]!.first.estimate - 0.8)).toBeLessThan(0.03);
    expect(Math.abs(r.indices[0]!.total.estimate - 0.8)).toBeLessThan(0.03);
    expect(r.closed.estimate).toBeCloseTo(1 - r.noise.estimate, 12);
  });

  it('the conditional indices are those of E[y | params]: y = x1 + x2 + x1·x2 + N(0, 3)', () => {
    const m = model(
      scenario(
        `params:
  x1: { dist: normal, mean: 0, sd: 1 }
  x2: { dist: normal, mean: 0, sd: 1 }
state:
  y: { init: 0, update: "x1 + x2 + x1 * x2 + normal(0, ${Math.sqrt(3)})" }
outcomes:
  o: { when: "y > 1000" }
report: [y]`,
        'o',
        1,
      ),
    );
    const r = value(sobolIndices(m, { output: 'y', runs: 20_000, seed: 1 }));
    // Var(m) = 1 + 1 + 1 (the product of two independent unit normals has variance 1), the noise
    // another 3: S = 1/6 and S_T = 2/6 of Var(y); of Var(m), 1/3 and 2/3 (the product is shared).
    expect(Math.abs(r.noise.estimate - 0.5)).toBeLessThan(0.02);
    for (const i of r.indices) {
      expect(Math.abs(i.first.estimate - 1 / 6)).toBeLessThan(0.025);
      expect(Math.abs(i.total.estimate - 2 / 6)).toBeLessThan(0.025);
      expect(Math.abs(i.conditional!.first.estimate - 1 / 3)).toBeLessThan(0.05);
      expect(Math.abs(i.conditional!.total.estimate - 2 / 3)).toBeLessThan(0.06);
    }
  });

  it('a binary outcome apportions p(1 − p), most of it aleatory: bernoulli(p) with p ~ uniform(0.2, 0.6)', () => {
    const m = model(
      scenario(
        `params:
  p: { dist: uniform, min: 0.2, max: 0.6 }
  idle: { dist: normal, mean: 0, sd: 1 }
outcomes:
  o: { when: "bernoulli(p)" }`,
        'o',
        1,
      ),
    );
    const r = value(sobolIndices(m, { runs: 20_000, seed: 8 }));
    expect(r.output).toEqual({ name: 'o', kind: 'outcome' });
    // E[p] = 0.4 so Var(Y) = 0.24; Var(p) = 0.4²/12 explains 0.0556 of it; E[p(1 − p)]/0.24 = 0.9444
    // is the trial's own noise; p's total index adds its interaction with that noise, E[Var(Y | U)]:
    // 0.4 · ∫q(1 − q)dq / 0.24 = 0.2778.
    expect(Math.abs(r.mean - 0.4)).toBeLessThan(0.015);
    expect(Math.abs(r.variance - 0.24)).toBeLessThan(0.005);
    const p = byName(r.indices).p!;
    expect(Math.abs(p.first.estimate - 0.0556)).toBeLessThan(0.03);
    expect(Math.abs(p.total.estimate - 0.2778)).toBeLessThan(0.03);
    expect(Math.abs(r.noise.estimate - 0.9444)).toBeLessThan(0.03);
    expect(byName(r.indices).idle!.total.estimate).toBe(0);
    // P(o | params) = p: p explains all of it, with wide intervals when the noise is 94%.
    expect(p.conditional!.total.ci95[0]).toBeLessThan(1);
    expect(p.conditional!.total.ci95[1]).toBeGreaterThan(1);
  });

  it('params left out of the inputs are held in each A_B like the noise; the inputs together get their closed share', () => {
    const m = linear(1, 2);
    const r = value(sobolIndices(m, { output: 'y', inputs: ['x1'], runs: 20_000, seed: 4 }));
    expect(r.unselected).toEqual(['x2', 'x3']);
    expect(r.trials).toBe(20_000 * 4);
    expect(Math.abs(r.closed.estimate - 0.2)).toBeLessThan(0.03);
    expect(Math.abs(r.indices[0]!.total.estimate - 0.2)).toBeLessThan(0.03);
    // A group re-draws its params together: x1 and x2 together explain everything.
    const g = value(sobolIndices(m, { output: 'y', inputs: ['x1+x2', 'x3'], runs: 5_000, seed: 4 }));
    expect(g.indices[0]!.name).toBe('x1+x2');
    expect(g.indices[0]!.params).toEqual(['x1', 'x2']);
    expect(g.indices[0]!.total.estimate).toBeCloseTo(1, 1);
    expect(g.closed.estimate).toBe(1);
  });

  it('is a function of (model, options) alone; the async form gives the same result', async () => {
    const m = linear(1, 2, 1, 1, ' + normal(0, 1)');
    const o = { output: 'y', runs: 2_000, seed: 'abc', resamples: 50 };
    const a = value(sobolIndices(m, o));
    expect(value(sobolIndices(m, o))).toEqual(a);
    expect(value(await sobolIndicesAsync(m, o))).toEqual(a);
    expect(value(sobolIndices(m, { ...o, salt: 2 }))).not.toEqual(a);
  });

  it('stops when onProgress says so', () => {
    const progress: number[] = [];
    expect(() =>
      sobolIndices(linear(1, 2), {
        runs: 5_000,
        onProgress: (done) => {
          progress.push(done);
          return done < 6_000;
        },
      }),
    ).toThrow(/stopped/);
    expect(progress).toEqual([2_000, 4_000, 5_000, 7_000]);
  });
});

describe('Morris elementary effects', () => {
  it('rank the inputs of a linear model, with μ* ∝ |coefficient| × spread and σ = 0', () => {
    // x1: coefficient 1.5, sd 2 (|a|·sd = 3); x2: coefficient −4, sd 1 (4); x3 unused. The noise term
    // draws the same numbers at every design point (common random numbers) and cancels.
    const m = linear(1.5, -4, 2, 1, ' + normal(0, 1)');
    const r = value(morris(m, { output: 'y', runs: 200, seed: 2 }));
    expect(r.effects.map((e) => e.name)).toEqual(['x2', 'x1', 'x3']);
    expect(r.points).toBe(10 * 4);
    expect(r.trials).toBe(10 * 4 * 200);
    // Every move goes from the u- to the (u ± ½)-quantile, u ∈ {1/8, 3/8}: a normal's quantiles
    // differ by sd·(Φ⁻¹(5/8) − Φ⁻¹(1/8)) either way, so EE = coefficient · sd · that / ½ exactly.
    const step = (normalQuantile(5 / 8) - normalQuantile(1 / 8)) / 0.5;
    const e = byName(r.effects);
    expect(e.x1!.muStar).toBeCloseTo(3 * step, 9);
    expect(e.x2!.muStar).toBeCloseTo(4 * step, 9);
    expect(e.x2!.mu).toBeCloseTo(-4 * step, 9);
    expect(e.x1!.muStar / e.x2!.muStar).toBeCloseTo(3 / 4, 12);
    expect(e.x1!.sigma).toBeLessThan(1e-9);
    expect(e.x3).toMatchObject({ mu: 0, muStar: 0, sigma: 0 });
  });

  it('estimate P over the trials of each point for an outcome, and refuse an odd number of levels', () => {
    const m = model(
      scenario(
        `params:
  h: { dist: uniform, min: 0.01, max: 0.1 }
  idle: { dist: uniform, min: 0, max: 1 }
outcomes:
  o: { when: "bernoulli(h)" }`,
        'o',
        12,
      ),
    );
    const r = value(morris(m, { runs: 2_000, trajectories: 6, seed: 1 }));
    const e = byName(r.effects);
    expect(e.h!.mu).toBeGreaterThan(0.3);
    expect(e.h!.muStarCi95[0]).toBeGreaterThan(0);
    expect(e.idle!.muStar).toBe(0);
    expect(() => morris(m, { levels: 3 })).toThrow(/even/);
  });
});

describe('tornado', () => {
  const m = model(
    scenario(
      `params:
  h: { dist: uniform, min: 0.01, max: 0.1 }
  protect: { dist: uniform, min: 0, max: 1 }
  idle: { dist: normal, mean: 0, sd: 1 }
outcomes:
  o: { when: "bernoulli(h * (1 - 0.5 * protect))" }`,
      'o',
      12,
    ),
  );

  /** P(o by 12) with h fixed (or drawn) and protect fixed (or drawn), by the midpoint rule. */
  const exact = (h: number | undefined, protect: number | undefined): number => {
    const grid = Array.from({ length: 400 }, (_, i) => (i + 0.5) / 400);
    const hs = h === undefined ? grid.map((u) => 0.01 + 0.09 * u) : [h];
    const ps = protect === undefined ? grid : [protect];
    let sum = 0;
    for (const x of hs) for (const q of ps) sum += 1 - (1 - x * (1 - 0.5 * q)) ** 12;
    return sum / (hs.length * ps.length);
  };

  it('has the signs of a monotone hazard model, intervals that exclude 0, and the exact probabilities', () => {
    const r = value(tornado(m, { runs: 20_000, seed: 6 }));
    expect(r.bars.map((b) => b.name)).toEqual(['h', 'protect', 'idle']);
    const b = byName(r.bars);
    expect(b.h!.difference).toBeGreaterThan(0);
    expect(b.h!.ci95[0]).toBeGreaterThan(0);
    expect(b.protect!.difference).toBeLessThan(0);
    expect(b.protect!.ci95[1]).toBeLessThan(0);
    // idle is never read: both ends see the very same trials.
    expect(b.idle).toMatchObject({ difference: 0, ci95: [0, 0] });
    expect(b.h!.low.values.h).toBeCloseTo(0.019, 12);
    expect(b.h!.high.values.h).toBeCloseTo(0.091, 12);
    const se = (p: number): number => Math.sqrt((p * (1 - p)) / 20_000);
    for (const [bar, lo, hi] of [
      [b.h!, exact(0.019, undefined), exact(0.091, undefined)],
      [b.protect!, exact(undefined, 0.1), exact(undefined, 0.9)],
    ] as const) {
      expect(Math.abs(bar.low.estimate - lo)).toBeLessThan(4.5 * se(lo));
      expect(Math.abs(bar.high.estimate - hi)).toBeLessThan(4.5 * se(hi));
      expect(bar.ci95[0]).toBeLessThan(hi - lo);
      expect(bar.ci95[1]).toBeGreaterThan(hi - lo);
    }
    expect(Math.abs(r.baseline - exact(undefined, undefined))).toBeLessThan(4.5 * se(0.38));
    expect(r.trials).toBe(7 * 20_000);
  });
});

describe('inputs and outputs', () => {
  const alliance = model(`id: small
title: Small alliance
horizon: { steps: 24 }
actors:
  AZ: { name: Azerbaijan }
  IL: { name: Israel }
  TR: { name: Turkey }
relationship: { focal: AZ, partner: IL, initial_tie: 0.9 }
interests:
  oil:
    direction: hold
    weight: { dist: uniform, min: 1, max: 2 }
    value: { dist: uniform, min: 0.1, max: 0.5 }
  arms:
    direction: hold
    value: { init: 0.6, update: "arms - 0.005" }
pressures:
  turkey:
    actor: TR
    intensity: 0.6
    leverage: { dist: pert, min: 0.4, mode: 0.6, max: 0.9 }
    weight: { dist: uniform, min: 0.8, max: 1.2 }
decision:
  ladder: [maintain, criticise, downgrade]
  cooled: downgrade
  thresholds: { criticise: -0.3, downgrade: 0.1 }
  lambda: { dist: uniform, min: 3, max: 6 }
  inertia: 1
`);
  const inputsOf = (inputs: string[]) => {
    const r = tornado(alliance, { inputs, runs: 10 });
    return r.ok ? r.value.bars.map((b) => [b.name, b.params]) : r.issues.map(formatIssue);
  };

  it('name an interest or pressure as one input (@id), a glob, or params joined by +', () => {
    expect(inputsOf(['@turkey', 'oil*', 'decision_lambda'])).toEqual(
      expect.arrayContaining([
        ['@turkey', ['turkey_leverage', 'turkey_weight']],
        ['oil*', ['oil', 'oil_weight']],
        ['decision_lambda', ['decision_lambda']],
      ]),
    );
    expect(inputsOf(['oil_weight+turkey_weight'])).toEqual([
      ['oil_weight+turkey_weight', ['oil_weight', 'turkey_weight']],
    ]);
  });

  it('report every unknown, fixed, empty or overlapping input, and an unknown output', () => {
    expect(inputsOf(['oill', '@turky', '@arms', 'z*', 'decision_inertia'])).toEqual([
      'inputs.oill: "oill" is not a random param of this scenario (expected one of oil, oil_weight, turkey_leverage, turkey_weight, decision_lambda); did you mean "oil"?',
      'inputs.@turky: "turky" is not an interest or pressure of this scenario (expected one of oil, arms, turkey); did you mean "turkey"?',
      'inputs.@arms: "@arms" has no random params (its value, weight and leverage are fixed or formulas): nothing to vary',
      'inputs.z*: "z*" matches no random param (expected one of oil, oil_weight, turkey_leverage, turkey_weight, decision_lambda)',
      'inputs.decision_inertia: "decision_inertia" is a number in this scenario, not a random param: it has nothing to vary',
    ]);
    expect(inputsOf(['@oil', 'oil_weight'])).toEqual([
      'inputs.oil_weight: "oil_weight" is also in the input "@oil": inputs must not overlap',
    ]);
    const r = sobolIndices(alliance, { output: 'tye', runs: 10 });
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([
      'output: "tye" is neither an outcome nor a reported value of this scenario (expected one of cooled, reached_criticise, reached_downgrade, net_incentive, hold, push, tie); did you mean "tie"?',
    ]);
  });

  it('analyse a reported value of an alliance model, and refuse a scenario that conditions on evidence', () => {
    const r = value(
      morris(alliance, { output: 'tie', inputs: ['@oil', '@turkey'], runs: 200, trajectories: 4 }),
    );
    expect(r.output).toEqual({ name: 'tie', kind: 'value' });
    const e = byName(r.effects);
    // More Turkish pressure lowers the tie; more oil raises it.
    expect(e['@turkey']!.mu).toBeLessThan(0);
    expect(e['@oil']!.mu).toBeGreaterThan(0);
    const given = model(
      scenario(
        `params:
  h: { dist: uniform, min: 0.01, max: 0.1 }
outcomes:
  o: { when: "bernoulli(h)" }
given: ["not o by 3"]`,
        'o',
        12,
      ),
    );
    const g = sobolIndices(given, { runs: 10 });
    expect(g.ok ? [] : g.issues.map((i) => i.code)).toEqual(['sensitivity.evidence']);
  });
});

describe('columns computed elsewhere (ColumnRunner)', () => {
  /** A runner that computes each column in uneven blocks, last block first, and keeps what it was asked. */
  const blockRunner = (m: CompiledModel, output: string, seen: AnalysisColumn[]): ColumnRunner => ({
    async run(columns, { runs, seed }) {
      seen.push(...columns);
      const cuts = [0, 1, Math.floor(runs / 4), runs - 51, runs];
      return columns.map((column) => {
        const y = new Float64Array(runs);
        for (let k = cuts.length - 2; k >= 0; k--)
          y.set(
            analysisColumn(m, { output }, column, {
              seed,
              firstTrial: cuts[k]!,
              runs: cuts[k + 1]! - cuts[k]!,
            }),
            cuts[k]!,
          );
        return y;
      });
    },
  });

  it('Sobol: the same result, bit for bit, with the columns in uneven blocks computed in reverse', async () => {
    const m = linear(1, 2, 1, 1, ' + normal(0, 0.5)');
    const options = { runs: 3_001, resamples: 40, output: 'y' };
    const seen: AnalysisColumn[] = [];
    const runner = blockRunner(m, 'y', seen);
    const here = value(sobolIndices(m, options));
    const there = value(await sobolIndicesAsync(m, { ...options, columns: runner }));
    expect(there).toEqual(here);
    // A, B, one A_B per param, and the noise matrix (the formula draws a normal).
    expect(seen).toHaveLength(2 + 3 + 1);
    expect(seen[0]!.redraw).toBeUndefined();
    expect(() => sobolIndices(m, { ...options, columns: runner })).toThrow(TypeError);
  });

  it('tornado and Morris: the same result, bit for bit; their columns bind each end and point', async () => {
    const m = linear(1, 2, 1, 1, ' + normal(0, 0.5)');
    const seen: AnalysisColumn[] = [];
    const runner = blockRunner(m, 'y', seen);
    const t = { runs: 2_003, output: 'y' };
    expect(value(await tornadoAsync(m, { ...t, columns: runner }))).toEqual(value(tornado(m, t)));
    // The baseline, then a low and a high end per param, each binding that param alone.
    expect(seen.map((c) => Object.keys(c.bind ?? {}))).toEqual([
      [],
      ['x1'],
      ['x1'],
      ['x2'],
      ['x2'],
      ['x3'],
      ['x3'],
    ]);
    seen.length = 0;
    const o = { runs: 501, trajectories: 4, output: 'y' };
    expect(value(await morrisAsync(m, { ...o, columns: runner }))).toEqual(value(morris(m, o)));
    // r(k + 1) points, each binding every input.
    expect(seen).toHaveLength(4 * 4);
    for (const c of seen) expect(Object.keys(c.bind ?? {}).sort()).toEqual(['x1', 'x2', 'x3']);
    expect(() => tornado(m, { ...t, columns: runner })).toThrow(TypeError);
    expect(() => morris(m, { ...o, columns: runner })).toThrow(TypeError);
  });

  it('a runner is given a few columns at a time, with the trials done before them for progress', async () => {
    const m = linear(1, 2, 1, 1, ' + normal(0, 0.5)');
    const calls: { columns: number; done: number | undefined; total: number | undefined }[] = [];
    const inner = blockRunner(m, 'y', []);
    const runner: ColumnRunner = {
      batchTrials: 2 * 1_001,
      run(columns, options) {
        calls.push({ columns: columns.length, done: options.done, total: options.total });
        return inner.run(columns, options);
      },
    };
    const t = { runs: 1_001, output: 'y' };
    expect(value(await tornadoAsync(m, { ...t, columns: runner }))).toEqual(value(tornado(m, t)));
    // Seven columns, two at a time.
    expect(calls).toEqual([
      { columns: 2, done: 0, total: 7_007 },
      { columns: 2, done: 2_002, total: 7_007 },
      { columns: 2, done: 4_004, total: 7_007 },
      { columns: 1, done: 6_006, total: 7_007 },
    ]);
  });
});

describe('the bootstrap estimators', () => {
  it('over the rows a resample drew give estimate(c, w) bit for bit, with and without noise and rest', () => {
    const rng = seedrandom.alea('bootstrap');
    const n = 997;
    const column = (binary: boolean) =>
      Float64Array.from({ length: n }, () => (binary ? (rng() < 0.3 ? 1 : 0) : rng() * 10 - 3));
    for (const binary of [true, false])
      for (const [withNoise, withRest] of [
        [false, false],
        [true, false],
        [true, true],
        [false, true],
      ]) {
        const c: Columns = {
          a: column(binary),
          b: column(binary),
          ab: [column(binary), column(binary), column(binary)],
          noise: withNoise ? column(binary) : undefined,
          rest: withRest ? column(binary) : undefined,
        };
        for (let r = 0; r < 5; r++) {
          const w = new Int32Array(n);
          for (let i = 0; i < n; i++) w[Math.floor(rng() * n)]! += 1;
          const rows = Int32Array.from(w.keys()).filter((i) => w[i] !== 0);
          expect(resampled(c, w, rows, rows.length)).toEqual(estimate(c, w));
        }
      }
  });
  it('values whose squares overflow take the pass over every row (0 · ∞ is NaN there, as before)', () => {
    const a = Float64Array.from([1e200, 1, 2, 3, 4, 5]);
    const col = () => Float64Array.from([1, 2, 3, 4, 5, 6]);
    const c: Columns = { a, b: col(), ab: [col()], noise: undefined, rest: undefined };
    const w = Int32Array.from([0, 2, 1, 1, 1, 1]);
    const rows = Int32Array.from([1, 2, 3, 4, 5]);
    // Skipping the row drawn no time would not be the same: estimate is NaN, resampled finite.
    expect(estimate(c, w).variance).toBeNaN();
    expect(Number.isFinite(resampled(c, w, rows, rows.length).variance)).toBe(true);
    // So the bootstrap, seeing such values, uses estimate for every resample.
    const seed = 7;
    const draws = bootstrap(c, 20, seed);
    const u = uniforms(seed);
    for (const d of draws) {
      const ww = new Int32Array(6);
      for (let i = 0; i < 6; i++) ww[Math.floor(u() * 6)]! += 1;
      expect(d).toEqual(estimate(c, ww));
    }
  });
});
