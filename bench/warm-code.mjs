// A pair of attribution's variants on freshly compiled code and on warm code (issue 13,
// BENCHMARKS.md "The holdable form, played by the run"). Needs `npx -y pnpm@12.4.2 -r run build`.
//   node bench/warm-code.mjs
import { readFileSync } from 'node:fs';

const core = await import(new URL('../packages/core/dist/index.js', import.meta.url).href);
const text = readFileSync(new URL('../scenarios/baku-israel/baseline.yaml', import.meta.url), 'utf8');
const m = core.loadScenarioOrThrow(text, { file: 'baseline.yaml' });
const ms = (f) => {
  const t = performance.now();
  f();
  return (performance.now() - t).toFixed(0);
};
const pair = (h, first) => {
  const bind = (x) => core.bindParams(h, { entente_hold_turkey: 1, entente_held_turkey: x }).value;
  return core.pairedDiscordance([bind(0.1), bind(0.5)], m.scenario.primary, {
    seed: 1,
    firstTrial: first,
    runs: 20_000,
  });
};
const cold = core.holdableModel(m);
console.log(
  '20,000 trials of a pair, code just compiled:',
  ms(() => pair(cold, 0)),
  'ms',
);
console.log(
  'the next 20,000 on the same code (warm):',
  ms(() => pair(cold, 20_000)),
  'ms',
);
const warmed = core.holdableModel(m);
core.simulate(warmed, { runs: 20_000 });
console.log(
  '20,000 trials of a pair after a run of 20,000 on that code:',
  ms(() => pair(warmed, 0)),
  'ms',
);
