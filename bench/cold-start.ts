/**
 * What a fresh thread pays before its trials run at speed, on the flagship: loading the scenario,
 * the first trial (quantile tables, compiling the trial), then the first blocks of trials while V8
 * optimises. Run: `node --conditions=@entente/source --import tsx bench/cold-start.ts` (add
 * `--cpu-prof` to see the first trial's share spent building quantile tables).
 */
import { readFileSync } from 'node:fs';
import { loadScenarioOrThrow, simulate } from '@entente/core';

const ms = (f: () => void): string => {
  const t = performance.now();
  f();
  return (performance.now() - t).toFixed(1);
};
const text = readFileSync('scenarios/baku-israel/baseline.yaml', 'utf8');
let m!: ReturnType<typeof loadScenarioOrThrow>;
console.log(
  'load the scenario:',
  ms(() => (m = loadScenarioOrThrow(text))),
  'ms',
);
let first = 0;
for (const runs of [1, 1_000, 5_000, 31_250, 31_250, 31_250]) {
  const took = ms(() => simulate(m, { runs, seed: 1, firstTrial: first }));
  console.log(`${runs.toLocaleString('en-US')} trials: ${took} ms`);
  first += runs;
}
