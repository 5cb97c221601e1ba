import { canonicalJson, type RunOptions, run } from '@entente/core';
import fc from 'fast-check';
import { compileData } from './compile.js';

type Doc = Record<string, unknown>;

function withInterests(doc: Doc, f: (interests: Record<string, Record<string, unknown>>) => void): Doc {
  const interests = JSON.parse(JSON.stringify(doc.interests ?? {})) as Record<
    string,
    Record<string, unknown>
  >;
  f(interests);
  return { ...doc, interests };
}

/**
 * Setting an interest's weight to 0 gives exactly the result of deleting the interest: common random
 * numbers mean the other inputs see the same draws either way. Throws with a message if not.
 */
export function assertZeroWeightRemoves(
  doc: Doc,
  interest: string,
  options: RunOptions = { runs: 300 },
): void {
  const zero = withInterests(doc, (i) => {
    i[interest] = { ...i[interest], weight: 0 };
  });
  const removed = withInterests(doc, (i) => {
    delete i[interest];
  });
  const a = run(compileData(zero), options);
  const b = run(compileData(removed), options);
  if (canonicalJson(a.outcomes) !== canonicalJson(b.outcomes))
    throw new Error(`a zero weight on ${interest} did not remove its influence`);
}

/** For generated alliance scenarios: zero weight on the last interest equals deleting it (needs two or more). */
export function zeroWeightRemoves(
  docs: fc.Arbitrary<Doc>,
  options: RunOptions = { runs: 300 },
): fc.IPropertyWithHooks<[Doc]> {
  return fc.property(docs, (doc) => {
    const names = Object.keys((doc.interests ?? {}) as object);
    fc.pre(names.length >= 2);
    assertZeroWeightRemoves(doc, names[names.length - 1]!, options);
  });
}

/**
 * Renaming a param (and every reference to it) leaves the estimates statistically unchanged. The one
 * helper that is statistical: a renamed item draws from a stream keyed by its new name, so the two
 * runs are independent and the check allows `z` combined standard errors.
 */
export function renameInvariant(
  docs: fc.Arbitrary<Doc>,
  options: RunOptions & { z?: number } = { runs: 4000 },
): fc.IPropertyWithHooks<[Doc]> {
  const { z = 5, ...runOptions } = options;
  return fc.property(docs, (doc) => {
    const params = Object.keys((doc.params ?? {}) as object);
    fc.pre(params.length > 0);
    const from = params[0]!;
    const to = `renamed_${from}`;
    const renamed = JSON.parse(
      JSON.stringify(doc).replace(new RegExp(`(?<![\\w.])${from}(?!\\w)`, 'g'), to),
    ) as Doc;
    const a = run(compileData(doc), runOptions);
    const b = run(compileData(renamed), runOptions);
    for (const [id, o] of Object.entries(a.outcomes)) {
      const p = o.probability;
      const q = b.outcomes[id]!.probability;
      const pooled = (p + q) / 2;
      const se = Math.sqrt((2 * pooled * (1 - pooled)) / a.runs);
      if (Math.abs(p - q) > z * Math.max(se, 1 / a.runs))
        throw new Error(`renaming ${from} moved ${id} from ${p} to ${q}`);
    }
  });
}
