import { type AllianceInfo, expandAlliance } from '../alliance/expand.js';
import { ALLIANCE_KEYS, AllianceSections } from '../alliance/schema.js';
import { prototypeKeyMessage, prototypeKeys } from '../document/names.js';
import { isRecord, type ResolvedDocument } from '../document/resolve.js';
import type { Issue, Result } from '../issues.js';
import { fail, ok } from '../issues.js';
import { checkReferences } from './references.js';
import { Scenario } from './scenario.js';
import { collectKeys, explainZodIssues, type SchemaProblem } from './zodIssues.js';

const KNOWN_KEYS = collectKeys(AllianceSections, collectKeys(Scenario));

/** A scenario that passed the schema and the reference checks, with where it came from. */
export interface ValidScenario {
  /** The core scenario (the alliance vocabulary, if any, already expanded). */
  readonly scenario: Scenario;
  /** Where each value came from; paths of expanded items lead back to the vocabulary that made them. */
  readonly document: ResolvedDocument;
  /** Present when the document used the alliance vocabulary. */
  readonly alliance?: AllianceInfo;
}

/**
 * Check a resolved document: the alliance vocabulary (if used) is checked and expanded, then the
 * core schema and cross-references are checked. Every problem of a stage is reported.
 */
export function validateScenario(document: ResolvedDocument): Result<ValidScenario> {
  let doc = document;
  let alliance: AllianceInfo | undefined;
  const data = document.data;
  // Data from `validateData` or `variant` never went through resolveDocument's check.
  const hostile = prototypeKeys(data).map(
    (path): SchemaProblem => ({
      path,
      atKey: true,
      code: 'names.prototype',
      message: prototypeKeyMessage(String(path[path.length - 1])),
    }),
  );
  if (hostile.length > 0) return fail(locateProblems(hostile, document));
  if (isRecord(data) && ALLIANCE_KEYS.some((k) => Object.hasOwn(data, k))) {
    const sections = AllianceSections.safeParse(pick(data, true));
    if (!sections.success)
      return fail(locateProblems(explainZodIssues(sections.error.issues, data, KNOWN_KEYS), document));
    const expanded = expandAlliance(pick(data, false), sections.data);
    if (!expanded.ok) return fail(locateProblems(expanded.problems, document));
    doc = mapped(document, expanded.value.data, expanded.value.origins);
    alliance = expanded.value.info;
  }
  const parsed = Scenario.safeParse(doc.data);
  if (!parsed.success)
    return fail(locateProblems(explainZodIssues(parsed.error.issues, doc.data, KNOWN_KEYS), doc));
  const problems = checkReferences(parsed.data);
  if (problems.length > 0) return fail(locateProblems(problems, doc));
  return ok({ scenario: parsed.data, document: doc, ...(alliance === undefined ? {} : { alliance }) });
}

export function locateProblems(problems: readonly SchemaProblem[], document: ResolvedDocument): Issue[] {
  return problems.map(({ atKey, ...p }) => {
    const { quoted: _quoted, scalar: _scalar, ...where } = document.locate(p.path, { key: atKey === true });
    return { ...p, ...where };
  });
}

/** The alliance sections (`alliance` true) or everything else. */
function pick(data: Record<string, unknown>, alliance: boolean): Record<string, unknown> {
  const keys: readonly string[] = ALLIANCE_KEYS;
  return Object.fromEntries(Object.entries(data).filter(([k]) => keys.includes(k) === alliance));
}

type Path = (string | number)[];

/** The expanded document, locating generated items at the vocabulary (file, line and path) that generated them. */
function mapped(document: ResolvedDocument, data: unknown, origins: [Path, Path][]): ResolvedDocument {
  return {
    data,
    chain: document.chain,
    locate(path, options) {
      let best: [Path, Path] | undefined;
      for (const o of origins) {
        const [core] = o;
        if (
          core.length <= path.length &&
          core.every((k, i) => k === path[i]) &&
          (best === undefined || core.length > best[0].length)
        )
          best = o;
      }
      if (best === undefined) return document.locate(path, options);
      return document.locate([...best[1], ...path.slice(best[0].length)], options);
    },
  };
}
