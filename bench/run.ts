/**
 * `pnpm bench`: the engine against loops written by hand, in one process, side by side; then the
 * CLI end to end. Prints Markdown to paste into BENCHMARKS.md. These machines are noisy: read the
 * ratios, which compare rounds interleaved in the same process.
 *
 * 1. Independent hand loops (bench/hand/*.ts): one seedrandom stream, textbook samplers, nothing
 *    imported from the engine. They compute the same models, so each probability must agree with
 *    the engine's within Monte Carlo error (checked first); the draws differ.
 * 2. The same-generator loop (bench/handwritten.ts): the engine's own samplers and per-site
 *    streams, so it counts the very same hits; its ratio measures code generation alone.
 * 3. End to end: worker scaling, the flagship's default `run`, the README's `table`, start-up.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompiledModel, loadScenarioOrThrow, seedKey, simulate } from '@entente/core';
import { allianceLoop } from './hand/alliance.js';
import { betasLoop } from './hand/betas.js';
import { modelLoop } from './hand/model.js';
import { type Rng, stream } from './hand/textbook.js';
import { handwritten } from './handwritten.js';
import { allianceSpec, allianceYaml } from './models/alliance.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SEED = 20241124;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

interface Case {
  name: string;
  model: CompiledModel;
  /** Hits (primary outcome by the horizon) of `runs` trials of the independent loop. */
  hand: (rng: Rng, runs: number) => number;
  /** Trials per timed round. */
  runs: number;
}

const load = (text: string, backend: 'codegen' | 'closure' = 'codegen'): CompiledModel =>
  loadScenarioOrThrow(text, { backend });
const file = (name: string): string => readFileSync(join(here, name), 'utf8');

const CASES: Case[] = [
  { name: 'bench/model.yaml', model: load(file('model.yaml')), hand: modelLoop, runs: 200_000 },
  {
    name: 'bench/models/betas.yaml (3 betas, 2 PERTs, a gamma)',
    model: load(file('models/betas.yaml')),
    hand: betasLoop,
    runs: 200_000,
  },
  ...[4, 100, 1000].map((n) => ({
    name: `alliance, ${n} interests and 2 pressures`,
    model: load(allianceYaml(n)),
    hand: (rng: Rng, runs: number) => allianceLoop(allianceSpec(n), rng, runs),
    runs: n >= 1000 ? 2_000 : n >= 100 ? 20_000 : 200_000,
  })),
];

const hits = (model: CompiledModel, runs: number, firstTrial = 0): number => {
  const fp = simulate(model, { runs, seed: SEED, firstTrial }).tallies.firstPassage[0]!;
  let s = 0;
  for (const x of fp) s += x;
  return s;
};

/** The two loops agree within 4.5 standard errors, or the comparison means nothing. */
function check(c: Case): string {
  const n = Math.max(20_000, Math.min(200_000, c.runs * 10));
  const pe = hits(c.model, n) / n;
  const ph = c.hand(stream(SEED + 1), n) / n;
  const se = Math.sqrt((pe * (1 - pe) + ph * (1 - ph)) / n);
  const z = se === 0 ? 0 : (pe - ph) / se;
  if (Math.abs(z) > 4.5)
    throw new Error(`${c.name}: engine ${pe} and hand loop ${ph} disagree (z = ${z.toFixed(1)})`);
  return `${(100 * pe).toFixed(2)}% vs ${(100 * ph).toFixed(2)}% (z = ${z.toFixed(1)}, ${fmt(n)} trials)`;
}

/**
 * Median trials/s of the engine and of a hand loop over ROUNDS interleaved rounds of `runs` trials;
 * each gets the round number (to move on to fresh trials or a fresh stream).
 */
function interleaved(
  runs: number,
  engine: (round: number) => void,
  hand: (round: number) => void,
): { engine: number; hand: number } {
  const rate = (f: () => void): number => {
    const t = performance.now();
    f();
    return runs / ((performance.now() - t) / 1000);
  };
  const e: number[] = [];
  const h: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    e.push(rate(() => engine(r)));
    h.push(rate(() => hand(r)));
  }
  return { engine: median(e), hand: median(h) };
}

function race(c: Case): { engine: number; hand: number } {
  const runs = Math.max(1, Math.round(c.runs * SCALE));
  hits(c.model, runs); // warm up
  c.hand(stream(0), runs);
  return interleaved(
    runs,
    (r) => hits(c.model, runs, r * runs),
    (r) => c.hand(stream(r), runs),
  );
}

/** Same model, same generator and sites: the hit counts must agree exactly. */
function sameGenerator(backend: 'codegen' | 'closure'): { engine: number; hand: number } {
  const model = load(file('model.yaml'), backend);
  const key = seedKey(SEED);
  const check = simulate(model, { runs: 20_000, seed: SEED }).tallies.firstPassage[0]!;
  const hand = handwritten(key, 0, 20_000);
  if (check.some((x, i) => x !== hand[i])) throw new Error('engine and same-generator loop disagree');
  const N = Math.round(200_000 * SCALE);
  return interleaved(
    N,
    (r) => simulate(model, { runs: N, seed: SEED, firstTrial: r * N }),
    (r) => handwritten(key, r * N, N),
  );
}

const BIN = join(root, 'packages/cli/dist/entente.mjs');
/** Median wall seconds of `times` spawns of the bundled CLI. */
function wall(args: string[], times = 3, cwd = root): number {
  const xs: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`entente ${args.join(' ')}: ${r.stderr}`);
    xs.push((performance.now() - t) / 1000);
  }
  return median(xs);
}

function peakMemory(runs: number): { rssMiB: number; seconds: number } {
  const script = `
    import { readFileSync } from 'node:fs';
    import { loadScenarioOrThrow, simulate } from '@entente/core';
    const m = loadScenarioOrThrow(readFileSync(${JSON.stringify(join(here, 'model.yaml'))}, 'utf8'));
    const t = performance.now();
    simulate(m, { runs: ${runs} });
    console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS, s: (performance.now() - t) / 1000 }));`;
  const out = execFileSync(
    process.execPath,
    ['--conditions=@entente/source', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: here, encoding: 'utf8' },
  );
  const j = JSON.parse(out.trim().split('\n').pop()!);
  return { rssMiB: j.rss / 1024, seconds: j.s };
}

console.log('Independent hand loops (one seedrandom stream, textbook samplers), one thread:\n');
console.log('| model | P(primary): engine vs hand | engine trials/s | hand trials/s | ratio |');
console.log('|---|---|---:|---:|---:|');
const perTrial = new Map<string, number>();
for (const c of CASES) {
  const agreement = check(c);
  const r = race(c);
  perTrial.set(c.name, 1 / r.engine);
  console.log(
    `| ${c.name} | ${agreement} | ${fmt(r.engine)} | ${fmt(r.hand)} | ${(r.engine / r.hand).toFixed(2)} |`,
  );
}
const small = perTrial.get('alliance, 4 interests and 2 pressures')!;
const large = perTrial.get('alliance, 1000 interests and 2 pressures')!;
console.log(
  `\nPer-trial cost, 1000 interests over 4: ${(large / small).toFixed(1)}× (${(large * 1e6).toFixed(1)} µs vs ${(small * 1e6).toFixed(2)} µs)\n`,
);

const codegen = sameGenerator('codegen');
const closure = sameGenerator('closure');
console.log('Same generator and sites as the engine (bench/handwritten.ts: code generation alone):\n');
console.log('| what | trials/s | ratio |');
console.log('|---|---:|---:|');
console.log(`| same-generator loop | ${fmt(codegen.hand)} | 1.00 |`);
console.log(
  `| engine, generated code | ${fmt(codegen.engine)} | ${(codegen.engine / codegen.hand).toFixed(2)} |`,
);
console.log(
  `| engine, closure fallback | ${fmt(closure.engine)} | ${(closure.engine / closure.hand).toFixed(2)} |`,
);
console.log('');

if (process.env.BENCH_CLI !== '0') {
  const flagship = 'scenarios/baku-israel/baseline.yaml';
  const million = ['run', flagship, '--runs', '1000000', '--no-drivers', '--format', 'json'];
  const w1 = wall([...million, '--workers', '1']);
  const w2 = wall([...million, '--workers', '2']);
  console.log('End to end (bundled CLI, median of 3 spawns):\n');
  console.log('| what | seconds |');
  console.log('|---|---:|');
  console.log(`| flagship, 1M trials, no drivers, 1 worker | ${w1.toFixed(2)} |`);
  console.log(`| flagship, 1M trials, no drivers, 2 workers | ${w2.toFixed(2)} (×${(w1 / w2).toFixed(2)}) |`);
  console.log(`| flagship default \`run\` (40k trials, drivers) | ${wall(['run', flagship]).toFixed(2)} |`);
  const readme = readFileSync(join(root, 'scenarios/baku-israel/README.md'), 'utf8');
  const args = /<!-- results: (.+?) -->/.exec(readme)![1]!.split(/\s+/);
  const table = wall(['table', ...args, '--quiet'], 3, join(root, 'scenarios/baku-israel'));
  console.log(
    `| flagship README \`table\` (${args.filter((a) => a.endsWith('.yaml')).length} scenarios) | ${table.toFixed(2)} |`,
  );
  const wd = wall(million);
  console.log(
    `| flagship, 1M trials, no drivers, default (a pilot of 20,000, then every core if it pays) | ${wd.toFixed(2)} (×${(w1 / wd).toFixed(2)}) |`,
  );
  console.log(`| \`entente --help\` (start-up, median of 11) | ${wall(['--help'], 11).toFixed(3)} |`);
  console.log(
    `| \`entente validate\` the flagship (median of 11) | ${wall(['validate', flagship], 11).toFixed(3)} |`,
  );
  console.log('');
  squiggle();
}

/**
 * The static part of a model against Squiggle 0.10 (SQUIGGLE_DIR: a folder where
 * `npm install @quri/squiggle-lang@0.10.0` was run; skipped without it): whole processes at 1M samples.
 */
function squiggle(): void {
  const dir = process.env.SQUIGGLE_DIR;
  if (dir === undefined) {
    console.log('Squiggle: skipped (set SQUIGGLE_DIR; see bench/squiggle.mjs)\n');
    return;
  }
  const model = 'bench/models/static-betas.yaml';
  const samples = 1_000_000;
  const engineP = JSON.parse(
    spawnSync(process.execPath, [BIN, 'run', model, '--runs', String(samples), '--format', 'json', '-q'], {
      cwd: root,
      encoding: 'utf8',
    }).stdout,
  ).outcomes.o.probability as number;
  const script = join(here, 'squiggle.mjs');
  const squiggleRun = () => spawnSync(process.execPath, [script, dir, String(samples)], { encoding: 'utf8' });
  const squiggleP = Number(squiggleRun().stdout.trim());
  const times: { engine: number[]; one: number[]; squiggle: number[] } = {
    engine: [],
    one: [],
    squiggle: [],
  };
  for (let i = 0; i < 5; i++) {
    times.engine.push(wall(['run', model, '--runs', String(samples), '-q'], 1));
    times.one.push(wall(['run', model, '--runs', String(samples), '-q', '--workers', '1'], 1));
    const t = performance.now();
    squiggleRun();
    times.squiggle.push((performance.now() - t) / 1000);
  }
  const [e, o, q] = [median(times.engine), median(times.one), median(times.squiggle)];
  console.log(
    `Static model (${model}), 1M samples, whole process (median of 5 interleaved): P(y > 0.9) engine ${engineP.toFixed(4)}, Squiggle ${squiggleP.toFixed(4)}\n`,
  );
  console.log('| what | seconds | samples/s | engine ÷ Squiggle (time) |');
  console.log('|---|---:|---:|---:|');
  console.log(`| Squiggle 0.10 | ${q.toFixed(2)} | ${fmt(samples / q)} | 1.00 |`);
  console.log(`| entente run (default) | ${e.toFixed(2)} | ${fmt(samples / e)} | ${(q / e).toFixed(2)}× |`);
  console.log(`| entente run --workers 1 | ${o.toFixed(2)} | ${fmt(samples / o)} | ${(q / o).toFixed(2)}× |`);
  console.log('');
}
if (process.env.BENCH_MEMORY !== '0') {
  console.log('| trials (bench/model.yaml) | peak RSS (MiB) | seconds |');
  console.log('|---:|---:|---:|');
  for (const runs of [100_000, 10_000_000]) {
    const m = peakMemory(runs);
    console.log(`| ${fmt(runs)} | ${m.rssMiB.toFixed(0)} | ${m.seconds.toFixed(1)} |`);
  }
}
