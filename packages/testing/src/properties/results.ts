import {
  type CompiledModel,
  canonicalJson,
  type RunOptions,
  type RunResult,
  run,
  SimulationError,
} from '@entente/core';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compileData, compileText } from './compile.js';

/** Run a model; a typed SimulationError (NaN from a generated formula) skips the case. */
function runOrSkip(model: CompiledModel, options: RunOptions): RunResult {
  try {
    return run(model, options);
  } catch (e) {
    if (e instanceof SimulationError) fc.pre(false);
    throw e;
  }
}

/**
 * Throws unless a result is internally consistent: probabilities and intervals in [0, 1], each
 * interval containing its estimate, every by-step curve non-decreasing and ending at the horizon's
 * probability, hits never above runs.
 */
export function assertBounded(r: RunResult): void {
  const fail = (what: string): never => {
    throw new Error(`${r.scenario.id}: ${what}`);
  };
  for (const [id, o] of Object.entries(r.outcomes)) {
    if (!(o.probability >= 0 && o.probability <= 1))
      fail(`${id}: probability ${o.probability} outside [0, 1]`);
    if (!(o.ci95[0] <= o.probability && o.probability <= o.ci95[1]))
      fail(`${id}: interval ${o.ci95} misses ${o.probability}`);
    if (o.hits > r.runs) fail(`${id}: ${o.hits} hits in ${r.runs} runs`);
    let previous = 0;
    for (const s of o.byStep) {
      if (s.probability < previous)
        fail(`${id}: P(by step ${s.step}) = ${s.probability} fell from ${previous}`);
      previous = s.probability;
    }
    if (o.byStep.length > 0 && previous !== o.probability)
      fail(`${id}: the curve ends at ${previous}, not ${o.probability}`);
  }
}

/** Every generated scenario gives a bounded, consistent result (see `assertBounded`). */
export function bounded(
  docs: fc.Arbitrary<unknown>,
  options: RunOptions = { runs: 200 },
): fc.IPropertyWithHooks<[unknown]> {
  return fc.property(docs, (doc) => {
    assertBounded(runOrSkip(compileData(doc), options));
  });
}

/**
 * Same seed, same result — to the bit — whatever the chunk size and whichever back end (generated
 * code or closures) runs the model.
 */
export function deterministic(
  docs: fc.Arbitrary<unknown>,
  options: RunOptions = { runs: 300 },
): fc.IPropertyWithHooks<[unknown, number]> {
  return fc.property(docs, fc.integer({ min: 1, max: 97 }), (doc, chunkSize) => {
    const model = compileData(doc);
    const a = runOrSkip(model, options);
    const b = run(model, { ...options, chunkSize });
    const c = run(compileData(doc, { backend: 'closure' }), options);
    if (canonicalJson(a) !== canonicalJson(b)) throw new Error(`chunk size ${chunkSize} changed the result`);
    if (canonicalJson(a) !== canonicalJson(c)) throw new Error('the closure back end gave another result');
  });
}

/**
 * Serialise a validated scenario (the core document the vocabulary expanded into) to YAML and load
 * it back: the same model (same hash) and the same result.
 */
export function roundTrips(
  docs: fc.Arbitrary<unknown>,
  options: RunOptions = { runs: 200 },
): fc.IPropertyWithHooks<[unknown]> {
  return fc.property(docs, (doc) => {
    const model = compileData(doc);
    const again = compileText(stringify(model.scenario));
    if (again.hash !== model.hash) throw new Error('the round trip changed the scenario');
    if (canonicalJson(runOrSkip(model, options)) !== canonicalJson(run(again, options)))
      throw new Error('the round trip changed the result');
  });
}

/** Reverse the order of items in the core sections (not events, whose order is meaningful). */
export function reordered(doc: Record<string, unknown>): Record<string, unknown> {
  const reverse = (x: unknown): unknown =>
    x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).reverse()) : x;
  const out: Record<string, unknown> = { ...doc };
  for (const section of [
    'params',
    'derived',
    'state',
    'regimes',
    'outcomes',
    'interests',
    'pressures',
    'actors',
  ]) {
    if (section in out) out[section] = reverse(out[section]);
  }
  return out;
}

/**
 * Reordering the items of a section changes nothing: every value has its own named random stream
 * and derived values are evaluated in dependency order. Exact for core scenarios; for alliance
 * scenarios the sums of contributions are added in another order, so pass only core documents.
 */
export function reorderInvariant(
  docs: fc.Arbitrary<Record<string, unknown>>,
  options: RunOptions = { runs: 300 },
): fc.IPropertyWithHooks<[Record<string, unknown>]> {
  return fc.property(docs, (doc) => {
    const a = runOrSkip(compileData(doc), options);
    const b = run(compileData(reordered(doc)), options);
    for (const [id, o] of Object.entries(a.outcomes)) {
      if (canonicalJson(o) !== canonicalJson(b.outcomes[id]))
        throw new Error(`reordering changed outcome ${id}`);
    }
  });
}
