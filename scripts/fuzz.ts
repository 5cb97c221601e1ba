/**
 * `pnpm fuzz [N]`: the long fuzz run. Feeds N generated documents (valid, near-valid and mangled
 * text, in equal parts) to the loader and the engine and counts what happened; any answer other than
 * a result, a typed SimulationError or located issues is a failure, printed with the document that
 * caused it. docs/TESTING.md records the figures of the last long run.
 */

import { allianceScenario, checkTypedFailure, coreScenario, mangledText, nearValid } from '@entente/testing';
import fc from 'fast-check';
import { stringify } from 'yaml';

const n = Number(process.argv[2] ?? 20_000);
const seed = Number(process.env.ENTENTE_FC_SEED ?? 20261128);
const docs = fc.oneof(coreScenario({ maxSteps: 12 }), allianceScenario({ maxSteps: 12 }));
const sources = {
  valid: docs.map((d) => stringify(d)),
  'near-valid': nearValid(docs).map((d) => stringify(d)),
  mangled: mangledText(docs),
};
const started = performance.now();
const counts: Record<string, number> = {};
const failures: { kind: string; text: string; error: string }[] = [];
for (const [kind, arb] of Object.entries(sources)) {
  const texts = fc.sample(arb, { numRuns: Math.ceil(n / 3), seed });
  for (const text of texts) {
    try {
      const outcome = checkTypedFailure(text);
      counts[`${kind} → ${outcome}`] = (counts[`${kind} → ${outcome}`] ?? 0) + 1;
    } catch (e) {
      failures.push({ kind, text, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }
}
const seconds = (performance.now() - started) / 1000;
const tried = Object.values(counts).reduce((a, b) => a + b, 0) + failures.length;
console.log(
  `fuzz: ${tried} documents in ${seconds.toFixed(1)} s (seed ${seed}), ${failures.length} failures`,
);
for (const [k, v] of Object.entries(counts).sort()) console.log(`  ${k}: ${v}`);
for (const f of failures.slice(0, 5))
  console.log(`\nFAILURE (${f.kind}):\n${f.error}\n--- document ---\n${f.text}`);
process.exitCode = failures.length > 0 ? 1 : 0;
