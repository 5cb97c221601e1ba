/**
 * `pnpm fuzz [N]`: the long fuzz run. Feeds ⌈N/3⌉ generated inputs of each kind — valid, near-valid,
 * mangled, prototype-named, hostile formulas and hostile documents (scenario text), and hostile sets
 * of shard files (for merge) — to the loader, the engine and merge, and counts what happened; any
 * answer other than a result, a typed SimulationError, located issues or a refused merge is a
 * failure, printed with the input that caused it. docs/TESTING.md records the figures of the last
 * long run.
 */

import {
  allianceScenario,
  checkTypedFailure,
  coreScenario,
  fuzzShardMerges,
  hostileDocument,
  hostileFormulaScenario,
  mangledText,
  nearValid,
  prototypeNamed,
} from '@entente/testing';
import fc from 'fast-check';
import { stringify } from 'yaml';

const n = Number(process.argv[2] ?? 20_000);
const seed = Number(process.env.ENTENTE_FC_SEED ?? 20261128);
const docs = fc.oneof(coreScenario({ maxSteps: 12 }), allianceScenario({ maxSteps: 12 }));
const sources = {
  valid: docs.map((d) => stringify(d)),
  'near-valid': nearValid(docs).map((d) => stringify(d)),
  mangled: mangledText(docs),
  // A key or a name that every JavaScript object has (issue 10, class 1); checked below to leave
  // Object.prototype untouched as well.
  'prototype-named': prototypeNamed(docs),
  // Deep and long formulas, huge and odd documents (issue 10, classes 3 and 5).
  'hostile formulas': hostileFormulaScenario(),
  'hostile documents': hostileDocument(),
};
const pristine = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const started = performance.now();
const counts: Record<string, number> = {};
const failures: { kind: string; text: string; error: string }[] = [];
for (const [kind, arb] of Object.entries(sources)) {
  const texts = fc.sample(arb, { numRuns: Math.ceil(n / 3), seed });
  for (const text of texts) {
    try {
      const outcome = checkTypedFailure(text);
      if (Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== pristine)
        throw new Error('Object.prototype was changed');
      counts[`${kind} → ${outcome}`] = (counts[`${kind} → ${outcome}`] ?? 0) + 1;
    } catch (e) {
      failures.push({ kind, text, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }
}
// Hostile sets of shard files for merge (issue 10, class 2): refused, merged partially, or merged.
fuzzShardMerges(Math.ceil(n / 3), seed, counts, failures);
const seconds = (performance.now() - started) / 1000;
const tried = Object.values(counts).reduce((a, b) => a + b, 0) + failures.length;
console.log(
  `fuzz: ${tried} documents in ${seconds.toFixed(1)} s (seed ${seed}), ${failures.length} failures`,
);
for (const [k, v] of Object.entries(counts).sort()) console.log(`  ${k}: ${v}`);
for (const f of failures.slice(0, 5))
  console.log(`\nFAILURE (${f.kind}):\n${f.error}\n--- document ---\n${f.text}`);
process.exitCode = failures.length > 0 ? 1 : 0;
