import { type AllianceInfo, type Expansion, expandAlliance } from '../alliance/expand.js';
import { ALLIANCE_KEYS, AllianceSections } from '../alliance/schema.js';
import { own, prototypeKeyMessage, prototypeKeys } from '../document/names.js';
import { isRecord, type ResolvedDocument } from '../document/resolve.js';
import type { Issue, Result } from '../issues.js';
import { fail, formatIssue, ok } from '../issues.js';
import { planScenario } from '../model/compile.js';
import { makeSampler } from '../random/distributions.js';
import { closest } from '../suggest.js';
import { checkReferences, type Gaps, NAMED_SECTIONS, NO_GAPS } from './references.js';
import { Scenario } from './scenario.js';
import { collectKeys, explainZodIssues, NAME_PATTERN, type SchemaProblem } from './zodIssues.js';

const KNOWN_KEYS = collectKeys(AllianceSections, collectKeys(Scenario));
/** The fields a document may have at its top level, with the vocabulary's: where unknown fields look for their match. */
const TOP_LEVEL = Scenario.extend(AllianceSections.shape);

/** A scenario that passed the schema, the reference checks and the compiler's checks, with where it came from. */
export interface ValidScenario {
  /** The core scenario (the alliance vocabulary, if any, already expanded). */
  readonly scenario: Scenario;
  /** Where each value came from; paths of expanded items lead back to the vocabulary that made them. */
  readonly document: ResolvedDocument;
  /** Present when the document used the alliance vocabulary. */
  readonly alliance?: AllianceInfo;
}

type Path = (string | number)[];

/**
 * Check a resolved document, reporting every problem of every stage that can still run:
 *
 * 1. the alliance vocabulary (if used): its schema, then its expansion into core items;
 * 2. the core schema;
 * 3. cross-references and distribution parameters (schema/references.ts);
 * 4. what the compiler checks without generating code: formulas, cycles, `given` clauses
 *    (model/compile.ts `planScenario`), so a scenario that validates compiles.
 *
 * A stage runs on what the stages before it could read. An item that fails the schema (a param, an
 * outcome, an interest, …) is left out of the later checks but keeps its name, so a formula that
 * uses it is not reported as naming an unknown value; an unknown field is reported and its item is
 * checked without it. A stage that needs what could not be read is skipped: with vocabulary that
 * cannot be expanded, or a section that is not a mapping (or whose name is misspelt), names cannot
 * be listed, so references to names and formulas wait until that is fixed. So a problem is reported
 * once, and never as a consequence of another.
 */
export function validateScenario(document: ResolvedDocument): Result<ValidScenario> {
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
  if (!isRecord(data)) {
    const parsed = Scenario.safeParse(data);
    if (parsed.success) throw new Error('internal: a scenario that is not a mapping passed the schema');
    return fail(locateProblems(explainZodIssues(parsed.error.issues, data, KNOWN_KEYS, TOP_LEVEL), document));
  }

  const issues: Issue[] = [];
  let doc = document;
  let core: Record<string, unknown> = data;
  let alliance: AllianceInfo | undefined;
  let expanded = true;
  /** Is a later stage's problem about vocabulary the schema could not read (so a consequence)? */
  let unreadVocabulary: (path: Path) => boolean = () => false;
  if (ALLIANCE_KEYS.some((k) => Object.hasOwn(data, k))) {
    const vocabulary = checkVocabulary(data, regimesUnreadable(data));
    issues.push(...locateProblems(vocabulary.problems, document));
    core = pick(data, false);
    if (vocabulary.expansion === undefined) expanded = false;
    else {
      const { expansion } = vocabulary;
      doc = mapped(document, expansion.data, expansion.origins);
      core = expansion.data;
      alliance = expansion.info;
      // Issues are located, so their paths already lead back into the vocabulary.
      unreadVocabulary = (path) => vocabulary.unread.some((u) => within(path, u));
    }
  }

  const checked = checkCore(core, doc, expanded, alliance);
  issues.push(...checked.issues.filter((i) => !unreadVocabulary(i.path)));
  if (issues.length > 0 || checked.valid === undefined) return fail(dedupe(withoutMisspelt(issues)));
  return ok(checked.valid);
}

export function locateProblems(problems: readonly SchemaProblem[], document: ResolvedDocument): Issue[] {
  return problems.map(({ atKey, ...p }) => {
    const { quoted: _quoted, scalar: _scalar, ...where } = document.locate(p.path, { key: atKey === true });
    return { ...p, ...where };
  });
}

// ---------------------------------------------------------------------------------------------
// The alliance vocabulary

/**
 * The vocabulary's schema, then its expansion. Items the schema cannot read are replaced by plain
 * stand-ins that generate the same names (an interest by a `hold` of 0, …), and so are the parts an
 * expansion problem is about (a missing threshold by 0, a quantity on an unknown regime by 0), so
 * that the core checks still run on every name the vocabulary makes. Those parts' paths are
 * `unread`: a later problem inside one is a consequence, and is dropped. Without an expansion (a
 * broken relationship or ladder, say), the core checks run without the names it would make.
 */
function checkVocabulary(
  data: Record<string, unknown>,
  regimesUnread: boolean,
): {
  problems: SchemaProblem[];
  expansion?: Expansion;
  unread: Path[];
} {
  const part = pick(data, true);
  const first = AllianceSections.safeParse(part);
  let problems: SchemaProblem[] = [];
  let sections: AllianceSections | undefined;
  const unread: Path[] = [];
  if (first.success) sections = first.data;
  else {
    problems = explainZodIssues(first.error.issues, data, KNOWN_KEYS, AllianceSections);
    sections = salvageVocabulary(part, problems, unread);
  }
  if (sections === undefined) return { problems, unread };
  const core = pick(data, false);
  const expanded = expandAlliance(core, sections);
  if (expanded.ok) return { problems, expansion: expanded.value, unread };
  // A quantity on a regime of a `regimes:` section that cannot be read (the core schema says why).
  const consequence = (p: SchemaProblem): boolean =>
    unread.some((u) => within(p.path, u)) ||
    (regimesUnread && (p.code === 'alliance.regime' || p.code === 'alliance.regime-state'));
  problems.push(...expanded.problems.filter((p) => !consequence(p)));
  const repaired = repairVocabulary(sections, expanded.problems, unread);
  if (repaired === undefined) return { problems, unread };
  const again = expandAlliance(core, repaired);
  if (!again.ok && again.problems.some((p) => !harmless(p))) return { problems, unread };
  return { problems, expansion: again.value, unread };
}

/** An expansion problem that leaves every generated name in place. */
function harmless(p: SchemaProblem): boolean {
  switch (p.code) {
    case 'alliance.actor':
    case 'alliance.collision':
      return true;
    case 'alliance.rung':
      // `cooled` names the outcome's rung only; a threshold under a wrong name leaves a rung without one.
      return p.path[0] === 'decision' && p.path[1] === 'cooled';
    case 'alliance.reserved':
      // An authored core name is refused; a generated one would be missing.
      return (NAMED_SECTIONS as readonly unknown[]).includes(p.path[0]);
    default:
      return false;
  }
}

/**
 * The vocabulary with stand-ins where an expansion problem would leave a generated name out: a
 * threshold of 0 for each rung that lacks one, 0 for a quantity on an unknown regime or state.
 * Undefined when a problem cannot be stood in for.
 */
function repairVocabulary(
  sections: AllianceSections,
  problems: readonly SchemaProblem[],
  unread: Path[],
): AllianceSections | undefined {
  const copy = clonePlain(sections) as Record<string, unknown>;
  for (const p of problems) {
    if (harmless(p)) {
      unread.push(p.path);
      continue;
    }
    // Without a decision section, the ladder (and so every name it makes) is anyone's guess.
    if (p.code === 'alliance.decision' && p.path.length === 1) return undefined;
    const threshold = p.code === 'alliance.rung' && p.path[1] === 'thresholds';
    if (p.code === 'alliance.threshold' || p.code === 'alliance.decision' || threshold) {
      if (threshold) unread.push(p.path);
      const decision = (child(copy, 'decision') ?? {}) as Record<string, unknown>;
      copy.decision = decision;
      const thresholds = (child(decision, 'thresholds') ?? {}) as Record<string, unknown>;
      decision.thresholds = thresholds;
      const ladder = (child(decision, 'ladder') ?? ['maintain', 'cool']) as string[];
      for (const rung of ladder.slice(1))
        if (!Object.hasOwn(thresholds, rung)) {
          thresholds[rung] = 0;
          unread.push(['decision', 'thresholds', rung]);
        }
    } else if (p.code === 'alliance.regime' || p.code === 'alliance.regime-state') {
      // The quantity is the path up to its `regime` or `values` field.
      const at = Math.max(p.path.lastIndexOf('regime'), p.path.lastIndexOf('values'));
      const quantity = p.path.slice(0, at);
      const holder = quantity.slice(0, -1).reduce<unknown>((x, k) => child(x, String(k)), copy);
      if (at < 1 || !isRecord(holder)) return undefined;
      holder[String(quantity[quantity.length - 1])] = 0;
      unread.push(quantity);
    } else return undefined;
  }
  const parsed = AllianceSections.safeParse(copy);
  return parsed.success ? parsed.data : undefined;
}

/** Is the core `regimes:` section, which the vocabulary's quantities may name, unreadable or misspelt? */
function regimesUnreadable(data: Record<string, unknown>): boolean {
  if (Object.hasOwn(data, 'regimes')) return !isRecord(data.regimes);
  const fields = Object.keys(TOP_LEVEL.shape);
  return Object.keys(data).some((k) => !fields.includes(k) && closest(k, NAMING_FIELDS) === 'regimes');
}

/** The vocabulary with unknown fields left out and unreadable items replaced, or undefined if it cannot be expanded. */
function salvageVocabulary(
  part: Record<string, unknown>,
  problems: readonly SchemaProblem[],
  unread: Path[],
): AllianceSections | undefined {
  // A misspelt `ladder` or `rule` would be left to its default, and every name the ladder makes with it.
  if (problems.some((p) => p.path[0] === 'decision' && ['ladder', 'rule'].includes(misspelling(p) ?? '')))
    return undefined;
  const copy = withoutUnknownFields(part, problems);
  const parsed = AllianceSections.safeParse(copy);
  if (parsed.success) return parsed.data;
  const actors = isRecord(copy.actors) ? Object.keys(copy.actors) : [];
  for (const issue of parsed.error.issues) {
    const [section, item, field] = issue.path as Path;
    const holder = typeof section === 'string' ? own(copy, section) : undefined;
    if (!isRecord(holder) || item === undefined) return undefined;
    const key = String(item);
    if (section === 'actors') holder[key] = { name: key };
    else if (section === 'interests') holder[key] = { direction: 'hold', value: 0 };
    else if (section === 'pressures') {
      if (actors.length === 0) return undefined;
      holder[key] = { actor: actors[0], intensity: 0 };
    } else if (section === 'relationship' && item === 'initial_tie') delete holder[key];
    else if (section === 'decision' && item === 'thresholds' && field !== undefined) {
      const thresholds = own(holder, 'thresholds');
      if (!isRecord(thresholds)) return undefined;
      thresholds[String(field)] = 0;
      unread.push([section, item, field]);
      continue;
    } else if (section === 'decision' && item !== 'rule' && item !== 'ladder' && item !== 'thresholds')
      delete holder[key]; // optional, with a default
    else return undefined;
    unread.push([section, item]);
  }
  const again = AllianceSections.safeParse(copy);
  return again.success ? again.data : undefined;
}

// ---------------------------------------------------------------------------------------------
// The core

/** The core schema with the fields the vocabulary provides optional, for vocabulary that could not be expanded. */
const UnexpandedScenario = Scenario.partial({ outcomes: true, primary: true });
/** Every field optional: what is left of a document once unreadable items are taken out. */
const RelaxedScenario = Scenario.partial();
const REQUIRED = ['id', 'title', 'horizon', 'outcomes', 'primary'] as const;
/** Sections that map names to items, each item read on its own. */
const ITEM_SECTIONS: ReadonlySet<string> = new Set(['sources', ...NAMED_SECTIONS]);
/** Sections whose names formulas use. */
const FORMULA_SECTIONS = ['params', 'derived', 'state', 'regimes', 'events'] as const;
/** Top-level fields that hold names; a misspelling of one hides names. */
const NAMING_FIELDS = [...NAMED_SECTIONS, ...ALLIANCE_KEYS];

function checkCore(
  data: Record<string, unknown>,
  doc: ResolvedDocument,
  expanded: boolean,
  alliance: AllianceInfo | undefined,
): { issues: Issue[]; valid?: ValidScenario } {
  const parsed = expanded ? Scenario.safeParse(data) : UnexpandedScenario.safeParse(data);
  if (parsed.success && expanded) {
    const scenario = parsed.data as Scenario;
    const references = checkReferences(scenario);
    if (references.length === 0) {
      // The document as it is: what compileScenario will see (and it reuses this plan).
      const valid: ValidScenario = {
        scenario,
        document: doc,
        ...(alliance === undefined ? {} : { alliance }),
      };
      const planned = planScenario(valid);
      return planned.ok ? { issues: [], valid } : { issues: planned.issues };
    }
    return {
      issues: [
        ...locateProblems(references, doc),
        ...formulaIssues(scenario, NO_GAPS, references, data, doc),
      ],
    };
  }
  const schema = parsed.success ? [] : explainZodIssues(parsed.error.issues, data, KNOWN_KEYS, TOP_LEVEL);
  const salvaged = salvageCore(data, schema, !expanded);
  if (salvaged === undefined) return { issues: locateProblems(schema, doc) };
  const { scenario, gaps } = salvaged;
  const references = checkReferences(scenario, gaps);
  return {
    issues: [
      ...locateProblems([...schema, ...references], doc),
      ...formulaIssues(scenario, gaps, references, data, doc),
    ],
  };
}

/**
 * What the schema could read: unknown fields left out, items that fail it taken out (their names
 * kept in `gaps`), fields that fail it dropped; stand-ins for missing required fields so the
 * result has a scenario's shape (`gaps.fields` says which are stand-ins).
 */
function salvageCore(
  data: Record<string, unknown>,
  problems: readonly SchemaProblem[],
  open: boolean,
): { scenario: Scenario; gaps: Gaps } | undefined {
  const copy = withoutUnknownFields(data, problems);
  const items = new Map<string, Set<string>>();
  const fields = new Set<string>();
  const incomplete = new Map<string, Set<string>>();
  let names = open;
  /** Take out the item (or the field) at the start of `path`; false if the whole document is at fault. */
  const takeOut = (path: readonly PropertyKey[]): boolean => {
    const [section, item] = path;
    if (typeof section !== 'string') return false;
    const holder = own(copy, section);
    if (ITEM_SECTIONS.has(section) && item !== undefined && isRecord(holder)) {
      addTo(items, section, String(item));
      delete holder[String(item)];
    } else {
      fields.add(section);
      delete copy[section];
    }
    return true;
  };
  for (const p of problems) {
    const [section, item] = p.path;
    if (p.code !== 'schema.unknown-field') {
      if (!takeOut(p.path)) return undefined;
      continue;
    }
    if (p.path.length === 1 && closest(String(section), NAMING_FIELDS) !== undefined) names = true;
    if (p.path.length >= 3 && typeof section === 'string' && ITEM_SECTIONS.has(section))
      addTo(incomplete, section, String(item));
  }
  // Usually whole now; an item left without a misspelt required field is taken out on a second look.
  for (let round = 0; round < 3; round++) {
    const parsed = RelaxedScenario.safeParse(copy);
    if (parsed.success) {
      const s = parsed.data;
      for (const field of REQUIRED) if (s[field] === undefined) fields.add(field);
      const scenario = {
        id: '',
        title: '',
        horizon: { steps: 1, unit: 'month' },
        outcomes: {},
        primary: '',
        ...s,
      } as Scenario;
      return { scenario, gaps: { items, fields, incomplete, open: names } };
    }
    for (const issue of parsed.error.issues) if (!takeOut(issue.path)) return undefined;
  }
  return undefined;
}

/**
 * The compiler's checks on what the earlier stages could read, when names can be listed: items
 * the schema could not read become plain stand-ins (a param of 0, an outcome that never happens,
 * …), and whatever the reference checks refused and the plan cannot hold (an invalid distribution,
 * an effect on an unknown regime, correlations, a second item of the same name) is left out.
 */
function formulaIssues(
  s: Scenario,
  gaps: Gaps,
  references: readonly SchemaProblem[],
  data: Record<string, unknown>,
  doc: ResolvedDocument,
): Issue[] {
  if (gaps.open || FORMULA_SECTIONS.some((section) => gaps.fields.has(section))) return [];
  const broken = (section: string): string[] =>
    [...(gaps.items.get(section) ?? [])].filter((n) => NAME_PATTERN.test(n));
  const stateless = new Set<string>();
  const regimes: Record<string, NonNullable<Scenario['regimes']>[string]> = { ...s.regimes };
  for (const name of broken('regimes')) {
    const states = recoverStates(child(child(data, 'regimes'), name));
    if (states.length === 0) stateless.add(name);
    regimes[name] = { states, initial: states[0] ?? name, transitions: {} };
  }
  const params: Record<string, NonNullable<Scenario['params']>[string]> = {};
  for (const [name, p] of Object.entries(s.params ?? {}))
    params[name] = typeof p === 'number' || makeSampler(p).ok ? p : 0;
  for (const name of broken('params')) params[name] = 0;
  const events: Record<string, NonNullable<Scenario['events']>[string]> = {};
  for (const [name, ev] of Object.entries(s.events ?? {})) {
    const effects = ev.effects?.filter((e) => !('regime' in e) || Object.hasOwn(regimes, e.regime));
    events[name] = { ...ev, ...(effects === undefined ? {} : { effects }) };
  }
  for (const name of broken('events')) events[name] = {};
  const check: Scenario = {
    ...s,
    params,
    derived: { ...s.derived, ...Object.fromEntries(broken('derived').map((n) => [n, 0])) },
    state: { ...s.state, ...Object.fromEntries(broken('state').map((n) => [n, { init: 0 }])) },
    regimes,
    events,
    outcomes: { ...s.outcomes, ...Object.fromEntries(broken('outcomes').map((n) => [n, { when: 0 }])) },
  };
  delete check.correlations;
  // Two items of one name (reported): the first keeps it, so the second raises no cycle of its own.
  for (const p of references) {
    const [section, name] = p.path;
    if (p.code !== 'names.duplicate' || typeof section !== 'string' || typeof name !== 'string') continue;
    const items = (check as unknown as Record<string, Record<string, unknown> | undefined>)[section];
    if (items !== undefined) delete items[name];
  }
  // Clauses are bound against the horizon and every name: only on a document read whole.
  const whole =
    [...gaps.items.entries()].every(([section, names]) => section === 'sources' || names.size === 0) &&
    !['horizon', 'given', 'outcomes'].some((f) => gaps.fields.has(f));
  if (!whole) delete check.given;
  const planned = planScenario({ scenario: check, document: doc });
  if (planned.ok) return [];
  return planned.issues.filter(
    (i) =>
      !(
        i.code === 'formula.unknown-member' &&
        [...stateless].some((r) => i.message.includes(`regime "${r}" has no state`))
      ),
  );
}

/** The state names a regime the schema could not read still shows. */
function recoverStates(raw: unknown): string[] {
  if (!isRecord(raw)) return [];
  const names: unknown[] = [];
  if (Array.isArray(raw.states)) names.push(...raw.states);
  names.push(raw.initial);
  const transitions = own(raw, 'transitions');
  if (isRecord(transitions))
    for (const [from, row] of Object.entries(transitions)) {
      names.push(from);
      if (isRecord(row)) names.push(...Object.keys(row));
    }
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && NAME_PATTERN.test(n)))];
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The field an unknown field is a misspelling of, from its suggestion. */
function misspelling(p: { code: string; suggestion?: string }): string | undefined {
  return p.code === 'schema.unknown-field'
    ? /^did you mean "(.*)"\?$/.exec(p.suggestion ?? '')?.[1]
    : undefined;
}

/**
 * Without the problems that say a field is missing when an unknown field beside it is that field
 * misspelt (`actorz:` for `actors:`, `thresholdz:` for `thresholds:`): the unknown field, with its
 * suggestion, is the one problem. Across stages, as the vocabulary's and the core's fields share
 * the top level.
 */
function withoutMisspelt(issues: readonly Issue[]): Issue[] {
  const meant = new Set(
    issues.flatMap((i) => {
      const name = misspelling(i);
      return name === undefined ? [] : [JSON.stringify([...i.path.slice(0, -1), name])];
    }),
  );
  const missing = (i: Issue): boolean =>
    i.code === 'schema.missing' || (i.code === 'alliance.decision' && i.path.length <= 2);
  // An object with a misspelt field lacks that field: "a lognormal needs mu and sigma, or ci90" beside
  // `ci90x`, or "an event needs a hazard" beside `hazrd`, says the same again.
  const holders = issues.flatMap((i) =>
    misspelling(i) !== undefined && i.path.length > 1 ? [i.path.slice(0, -1)] : [],
  );
  const incomplete = (i: Issue): boolean =>
    (i.code === 'distribution.invalid' || i.code === 'event.trigger') &&
    holders.some((h) => within(i.path, h));
  return issues.filter((i) => !(missing(i) && meant.has(JSON.stringify(i.path))) && !incomplete(i));
}

/** A copy of plain data without the fields reported unknown. */
function withoutUnknownFields(
  data: Record<string, unknown>,
  problems: readonly SchemaProblem[],
): Record<string, unknown> {
  const copy = clonePlain(data) as Record<string, unknown>;
  for (const p of problems) {
    if (p.code !== 'schema.unknown-field') continue;
    const holder = p.path.slice(0, -1).reduce<unknown>((x, k) => child(x, String(k)), copy);
    if (isRecord(holder)) delete holder[String(p.path[p.path.length - 1])];
  }
  return copy;
}

/** A copy of the mappings and lists in plain data (shared or cyclic parts, from YAML aliases, copied once). */
function clonePlain(x: unknown, copies = new Map<object, unknown>()): unknown {
  if (typeof x !== 'object' || x === null) return x;
  const done = copies.get(x);
  if (done !== undefined) return done;
  if (Array.isArray(x)) {
    const copy: unknown[] = [];
    copies.set(x, copy);
    for (const item of x) copy.push(clonePlain(item, copies));
    return copy;
  }
  if (!isRecord(x)) return x;
  const copy: Record<string, unknown> = {};
  copies.set(x, copy);
  for (const [k, v] of Object.entries(x)) copy[k] = clonePlain(v, copies);
  return copy;
}

/** `x[key]` when x is a mapping that has it. */
function child(x: unknown, key: string): unknown {
  return isRecord(x) ? own(x, key) : undefined;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

/** Is `path` at or below `prefix`? */
function within(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => k === path[i]);
}

/**
 * Each problem once: the same problem can come from two stages' views of one place, and a cycle
 * among derived values is also one among initial values (the plan orders both).
 */
function dedupe(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const cycle = i.code === 'formula.cycle' ? /in a cycle: (.*)$/.exec(i.message)?.[1] : undefined;
    const key = cycle === undefined ? `${formatIssue(i)}|${i.code}` : `cycle|${i.file}|${i.line}|${cycle}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The alliance sections (`alliance` true) or everything else. */
function pick(data: Record<string, unknown>, alliance: boolean): Record<string, unknown> {
  const keys: readonly string[] = ALLIANCE_KEYS;
  return Object.fromEntries(Object.entries(data).filter(([k]) => keys.includes(k) === alliance));
}

/** The path in the vocabulary that generated the core item at `path` (or `path` itself). */
function origin(origins: readonly [Path, Path][], path: Path): Path {
  let best: [Path, Path] | undefined;
  for (const o of origins) {
    const [core] = o;
    if (within(path, core) && (best === undefined || core.length > best[0].length)) best = o;
  }
  return best === undefined ? path : [...best[1], ...path.slice(best[0].length)];
}

/** The expanded document, locating generated items at the vocabulary (file, line and path) that generated them. */
function mapped(document: ResolvedDocument, data: unknown, origins: [Path, Path][]): ResolvedDocument {
  return {
    data,
    chain: document.chain,
    locate(path, options) {
      return document.locate(origin(origins, [...path]), options);
    },
  };
}
