/**
 * Beta, PERT and gamma draws: ns per draw by the tabulated quantile (what the engine uses) against
 * the Newton inversion on every draw (what it used before), and the cost of building a table.
 * `node --conditions=@entente/source --import tsx bench/quantiles.ts`; prints Markdown tables for
 * BENCHMARKS.md. CPU time (process.cpuUsage), best of ROUNDS, so other load on the machine inflates
 * the figures less than wall time would; compare ratios, not times.
 */
import { aleaOpen, type Distribution, makeSampler, seedKey, seedTrial, siteKey } from '@entente/core';
import {
  betaLowerHalf,
  betaQuantile,
  betaQuantileExact,
  clearQuantileTables,
  gammaLowerHalf,
  gammaQuantile,
  gammaUpperHalf,
} from '../packages/core/src/random/quantiles.js';
import { type BuildStats, buildTable } from '../packages/core/src/random/quantileTable.js';
import { gammaP, logGamma, tabulatedQuantile } from '../packages/core/src/random/special.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const N = 1 << 20;

/** The uniforms a trial draws: one Alea stream, as `aleaOpen` gives them. */
const us = new Float64Array(N);
{
  const S = new Float64Array(4);
  seedTrial(S, Uint32Array.from(['bench'], siteKey), seedKey(1), 0);
  for (let i = 0; i < N; i++) us[i] = aleaOpen(S, 0);
}

const cpuNs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1000;
};

/** Best-of-ROUNDS CPU ns per call of f over `draws` uniforms (a fresh loop per f, so each call site sees one f). */
function nsPerDraw(f: (u: number) => number, draws: number): number {
  const loop = new Function(
    'f',
    'us',
    'n',
    `let acc = 0; for (let i = 0; i < n; i++) acc += f(us[i & ${N - 1}]); return acc; // ${Math.random()}`,
  ) as (f: (u: number) => number, us: Float64Array, n: number) => number;
  loop(f, us, Math.min(draws, 1 << 14));
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = cpuNs();
    sink += loop(f, us, draws);
    best = Math.min(best, (cpuNs() - t) / draws);
  }
  if (Number.isNaN(sink)) throw new Error('a draw was NaN');
  return best;
}

function sampler(d: Distribution): (u: number) => number {
  const r = makeSampler(d);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.sampler.quantile;
}

/** The gamma quantile as it was: Newton on P(k, x/θ) on every draw, from a coarse table. */
function oldGamma(shape: number, scale: number): (u: number) => number {
  const lg = logGamma(shape);
  const norm = lg + shape * Math.log(scale);
  return tabulatedQuantile(
    (x) => gammaP(shape, x / scale, lg),
    (x) => Math.exp((shape - 1) * Math.log(x) - x / scale - norm),
    0,
    Number.POSITIVE_INFINITY,
    shape * scale,
  );
}

/** The PERT as it was: a scaled beta whose quantile was the Newton inversion (betaQuantileExact's code). */
function oldPert(min: number, mode: number, max: number): (u: number) => number {
  const r = max - min;
  const q = betaQuantileExact(1 + (4 * (mode - min)) / r, 1 + (4 * (max - mode)) / r);
  return (u) => min + r * q(u);
}

const rows: [string, (u: number) => number, (u: number) => number][] = [
  ['beta(2, 5)', betaQuantileExact(2, 5), sampler({ dist: 'beta', alpha: 2, beta: 5 })],
  ['beta(0.5, 0.5)', betaQuantileExact(0.5, 0.5), sampler({ dist: 'beta', alpha: 0.5, beta: 0.5 })],
  [
    'PERT(0.05, 0.084, 0.15) (flagship)',
    oldPert(0.05, 0.084, 0.15),
    sampler({ dist: 'pert', min: 0.05, mode: 0.084, max: 0.15 }),
  ],
  ['gamma(2, scale 1.5)', oldGamma(2, 1.5), sampler({ dist: 'gamma', shape: 2, scale: 1.5 })],
  ['gamma(0.5, scale 1)', oldGamma(0.5, 1), sampler({ dist: 'gamma', shape: 0.5, scale: 1 })],
];

console.log(`## ns per draw (CPU time, best of ${ROUNDS}; uniforms from one Alea stream)\n`);
console.log('| distribution | Newton on every draw (before) | table (after) | speed-up |');
console.log('|---|---:|---:|---:|');
const uniform = nsPerDraw(sampler({ dist: 'uniform', min: 0, max: 1 }), 1 << 24);
const normal = nsPerDraw(sampler({ dist: 'normal', mean: 0, sd: 1 }), 1 << 22);
for (const [name, before, after] of rows) {
  const b = nsPerDraw(before, 1 << 14);
  const a = nsPerDraw(after, 1 << 22);
  console.log(`| ${name} | ${b.toFixed(0)} | ${a.toFixed(1)} | ${(b / a).toFixed(0)}× |`);
}
console.log(`| uniform, for reference | | ${uniform.toFixed(1)} | |`);
console.log(`| normal (AS 241), for reference | | ${normal.toFixed(1)} | |`);

console.log('\n## Building a table (once per parameter set and worker thread; cached)\n');
console.log(
  '| table | intervals | solves | build, ms (median of 5, warm) | first build in the process, ms |',
);
console.log('|---|---:|---:|---:|---:|');
const halves: [string, () => ReturnType<typeof betaLowerHalf>][] = [
  ['beta(2, 5), lower half', () => betaLowerHalf(2, 5)],
  ['beta(0.5, 0.5), lower half', () => betaLowerHalf(0.5, 0.5)],
  ['beta(1.16, 2.84) (flagship PERT), lower half', () => betaLowerHalf(1.16, 2.84)],
  ['beta(2.84, 1.16), its upper half', () => betaLowerHalf(2.84, 1.16)],
  ['beta(0.05, 3), lower half (pole: 2^-4 roots)', () => betaLowerHalf(0.05, 3)],
  ['beta(1e4, 1e4), lower half', () => betaLowerHalf(1e4, 1e4)],
  ['gamma(2), lower half', () => gammaLowerHalf(2)],
  ['gamma(2), upper half', () => gammaUpperHalf(2)],
  ['gamma(0.1), lower half', () => gammaLowerHalf(0.1)],
  ['gamma(1e4), upper half', () => gammaUpperHalf(1e4)],
];
let first = true;
for (const [name, f] of halves) {
  const times: number[] = [];
  const stats = {} as BuildStats;
  let cold = 0;
  for (let r = 0; r < 6; r++) {
    const t = performance.now();
    buildTable(f(), stats);
    const ms = performance.now() - t;
    if (r === 0) cold = ms;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  console.log(
    `| ${name} | ${stats.intervals} | ${stats.solves} | ${times[2]!.toFixed(2)} | ${first ? cold.toFixed(1) : ''} |`,
  );
  first = false;
}

console.log('\n## A whole sampler: first draw (builds both halves) against later draws\n');
for (const [name, make] of [
  ['beta(2, 5)', () => betaQuantile(2, 5)],
  ['gamma(2)', () => gammaQuantile(2)],
] as const) {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    clearQuantileTables();
    const q = make();
    const t = performance.now();
    q(0.3);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`- ${name}: first draw ${times[2]!.toFixed(2)} ms (median of 5, cache cleared each time)`);
}
