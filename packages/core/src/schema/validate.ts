import type { ResolvedDocument } from '../document/resolve.js';
import type { Issue, Result } from '../issues.js';
import { fail, ok } from '../issues.js';
import { checkReferences } from './references.js';
import { Scenario } from './scenario.js';
import { collectKeys, explainZodIssues, type SchemaProblem } from './zodIssues.js';

const KNOWN_KEYS = collectKeys(Scenario);

/** A scenario that passed the schema and the reference checks, with where it came from. */
export interface ValidScenario {
  readonly scenario: Scenario;
  readonly document: ResolvedDocument;
}

/** Check a resolved document against the schema and its cross-references; every problem is reported. */
export function validateScenario(document: ResolvedDocument): Result<ValidScenario> {
  const parsed = Scenario.safeParse(document.data);
  if (!parsed.success)
    return fail(locateProblems(explainZodIssues(parsed.error.issues, document.data, KNOWN_KEYS), document));
  const problems = checkReferences(parsed.data);
  if (problems.length > 0) return fail(locateProblems(problems, document));
  return ok({ scenario: parsed.data, document });
}

export function locateProblems(problems: readonly SchemaProblem[], document: ResolvedDocument): Issue[] {
  return problems.map(({ atKey, ...p }) => {
    const { quoted: _quoted, ...where } = document.locate(p.path, { key: atKey === true });
    return { ...where, ...p };
  });
}
