/**
 * Bound variants of the flagship (one param bound to a number each, as a tornado's ends are): ms per
 * 5,000 trials, four blocks each, after the model itself has warmed up. Run: `node
 * --conditions=@entente/source --import tsx bench/bound-variants.ts`, and again with `node
 * --no-use-osr …` to see what on-stack replacement costs them (BENCHMARKS.md, 2026-11-29, "bound
 * variants").
 */
import { readFileSync } from 'node:fs';
import { bindParams, loadScenarioOrThrow, simulate } from '@entente/core';

const m = loadScenarioOrThrow(readFileSync('scenarios/baku-israel/baseline.yaml', 'utf8'));
const names = m.plan.params.map((p) => m.plan.slotNames[p.slot]!);
const ms = (f: () => void): string => {
  const t = performance.now();
  f();
  return (performance.now() - t).toFixed(0);
};
for (let i = 0; i < 3; i++)
  console.log(
    'the model, 20,000 trials:',
    ms(() => simulate(m, { runs: 20_000, seed: 1 })),
  );
names.slice(0, 10).forEach((name, i) => {
  const b = bindParams(m, { [name]: m.plan.params[i]!.sampler.quantile(0.1 + 0.08 * i) });
  if (!b.ok) throw new Error(b.issues[0]?.message);
  const blocks = [0, 1, 2, 3].map((j) =>
    ms(() => simulate(b.value, { runs: 5000, seed: 1, firstTrial: j * 5000 })),
  );
  console.log(`${name} bound, 4 × 5,000 trials:`, blocks.join(' '));
});
console.log(
  'the model again, 20,000 trials:',
  ms(() => simulate(m, { runs: 20_000, seed: 1 })),
);
