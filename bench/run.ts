/**
 * `pnpm bench`: the engine against a hand-written loop of the same model, in one process, side by
 * side; memory at 100k and 10M trials; `entente --help` start-up. Prints a Markdown table to paste
 * into BENCHMARKS.md. Figures vary with the machine: compare ratios, not times.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioOrThrow, seedKey, simulate } from '@entente/core';
import { handwritten } from './handwritten.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SEED = 20241124;
const N = Number(process.env.BENCH_RUNS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function engineVsHandwritten(backend: 'codegen' | 'closure'): { engine: number; hand: number } {
  const model = loadScenarioOrThrow(readFileSync(join(here, 'model.yaml'), 'utf8'), { backend });
  const key = seedKey(SEED);
  // Same model, same generator: the hit counts must agree exactly, or the comparison means nothing.
  const check = simulate(model, { runs: 20_000, seed: SEED }).tallies.firstPassage[0]!;
  const hand = handwritten(key, 0, 20_000);
  if (check.some((x, i) => x !== hand[i])) throw new Error('engine and hand-written loop disagree');
  const e: number[] = [];
  const h: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    simulate(model, { runs: N, seed: SEED, firstTrial: r * N });
    e.push(N / ((performance.now() - t) / 1000));
    t = performance.now();
    handwritten(key, r * N, N);
    h.push(N / ((performance.now() - t) / 1000));
  }
  return { engine: median(e), hand: median(h) };
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
    {
      cwd: here,
      encoding: 'utf8',
    },
  );
  const j = JSON.parse(out.trim().split('\n').pop()!);
  return { rssMiB: j.rss / 1024, seconds: j.s };
}

function helpTime(): number {
  const bin = join(root, 'packages/cli/dist/entente.mjs');
  const times: number[] = [];
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    times.push(performance.now() - t);
  }
  return median(times) / 1000;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const codegen = engineVsHandwritten('codegen');
const closure = engineVsHandwritten('closure');
console.log(`| what | trials/s | ratio to hand-written |`);
console.log(`|---|---:|---:|`);
console.log(`| hand-written loop | ${fmt(codegen.hand)} | 1.00 |`);
console.log(
  `| engine, generated code | ${fmt(codegen.engine)} | ${(codegen.engine / codegen.hand).toFixed(2)} |`,
);
console.log(
  `| engine, closure fallback | ${fmt(closure.engine)} | ${(closure.engine / closure.hand).toFixed(2)} |`,
);
console.log('');
if (process.env.BENCH_MEMORY !== '0') {
  console.log('| trials | peak RSS (MiB) | seconds |');
  console.log('|---:|---:|---:|');
  for (const runs of [100_000, 10_000_000]) {
    const m = peakMemory(runs);
    console.log(`| ${fmt(runs)} | ${m.rssMiB.toFixed(0)} | ${m.seconds.toFixed(1)} |`);
  }
  console.log('');
}
console.log(`entente --help: ${helpTime().toFixed(3)} s (median of 11 spawns)`);
