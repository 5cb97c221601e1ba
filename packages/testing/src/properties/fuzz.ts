import { type Issue, loadScenario, run, SimulationError } from '@entente/core';
import fc from 'fast-check';

/** What a document did in the fuzz property. */
export type FuzzOutcome = 'ran' | 'runtime-error' | 'rejected';

/**
 * Load a document's text and, if it loads, run a few trials. Returns what happened; throws if the
 * core answered with anything but a result, a SimulationError, or issues that each carry a code, a
 * path and a line and column.
 */
export function checkTypedFailure(text: string, runs = 20): FuzzOutcome {
  const loaded = loadScenario(text, { file: 'fuzz.yaml' });
  if (!loaded.ok) {
    if (loaded.issues.length === 0) throw new Error('rejected with no issue');
    for (const issue of loaded.issues) assertLocated(issue);
    return 'rejected';
  }
  try {
    run(loaded.value, { runs });
    return 'ran';
  } catch (e) {
    if (e instanceof SimulationError && e.where.path.length > 0) return 'runtime-error';
    throw e;
  }
}

function assertLocated(issue: Issue): void {
  const ok =
    typeof issue.code === 'string' &&
    issue.code.length > 0 &&
    Array.isArray(issue.path) &&
    issue.file === 'fuzz.yaml' &&
    Number.isInteger(issue.line) &&
    Number.isInteger(issue.column) &&
    typeof issue.message === 'string';
  if (!ok) throw new Error(`an issue without a code or a location: ${JSON.stringify(issue)}`);
}

/** Every document text gives a result, a typed run-time error or located issues: never a crash. */
export function typedFailuresOnly(texts: fc.Arbitrary<string>, runs = 20): fc.IPropertyWithHooks<[string]> {
  return fc.property(texts, (text) => {
    checkTypedFailure(text, runs);
  });
}
