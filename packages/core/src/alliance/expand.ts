import { own } from '../document/names.js';
import type { SchemaProblem } from '../schema/zodIssues.js';
import { closest, didYouMean } from '../suggest.js';
import {
  type ActorLadder,
  type AllianceInput,
  actorLadders,
  expandActors,
  rungIndex as indexOf,
} from './actors.js';
import type { AllianceSections, Quantity, Uncertain } from './schema.js';
import { chainedSum } from './sum.js';

export type { ActorLadder, AllianceInput } from './actors.js';

type Path = (string | number)[];
type Doc = Record<string, unknown> & { [section: string]: unknown };

/** What the vocabulary meant, kept beside the expanded model. */
export interface AllianceInfo {
  focal: string;
  partner: string;
  rule: 'logit' | 'threshold' | 'hazard';
  ladder: string[];
  cooled: string;
  /** Every interest and pressure: the focal actor's, then the other actors' own (with `actor`). */
  inputs: AllianceInput[];
  /** The other actors that decide, each on a ladder of its own (absent when none does). */
  actors?: ActorLadder[];
}

export interface Expansion {
  /** A core scenario document (no alliance sections left). */
  data: Doc;
  info: AllianceInfo;
  /** Generated core paths and the source paths they came from, for error locations. */
  origins: [Path, Path][];
}

const DEFAULTS = { lambda: 4, inertia: 2, tie_rate: 0.2, speed: 0.05, noise: 0.02, intercept: -4, slope: 3 };

/**
 * Names that start with this are Entente's own: attribution adds params named so to a scenario that
 * uses the vocabulary (analysis/attribution.ts), so the expansion refuses them, authored or generated.
 */
export const RESERVED_PREFIX = 'entente_';

/**
 * Expand the alliance vocabulary into core sections. Pure and deterministic: the same document
 * always gives the same core document, item for item and in the same order. docs/ALLIANCE.md
 * documents every generated name and equation.
 */
export function expandAlliance(
  core: Doc,
  a: AllianceSections,
): { ok: true; value: Expansion } | { ok: false; problems: SchemaProblem[]; value: Expansion } {
  const problems: SchemaProblem[] = [];
  const origins: [Path, Path][] = [];
  const out: Doc = { ...core };
  const section = (name: string): Record<string, unknown> => {
    const existing = own(out, name);
    // A section that is not a mapping is left as written, for the core schema to report.
    if (
      existing !== undefined &&
      existing !== null &&
      (typeof existing !== 'object' || Array.isArray(existing))
    )
      return {};
    const copy = { ...((existing as Record<string, unknown> | undefined) ?? {}) };
    out[name] = copy;
    return copy;
  };
  const params = section('params');
  const derived = section('derived');
  const state = section('state');
  const regimes = section('regimes');
  const events = section('events');
  const outcomes = section('outcomes');
  const authored = new Set(
    ['params', 'derived', 'state', 'regimes', 'events', 'outcomes'].flatMap((s) =>
      Object.keys((core[s] as object | undefined) ?? {}),
    ),
  );
  const generated = new Map<string, Path>();
  const reserved = `names that start with "${RESERVED_PREFIX}" are reserved for names Entente adds itself (driver attribution)`;
  for (const s of ['params', 'derived', 'state', 'regimes', 'events', 'outcomes']) {
    for (const name of Object.keys((core[s] as object | undefined) ?? {})) {
      if (name.startsWith(RESERVED_PREFIX))
        problems.push({
          path: [s, name],
          atKey: true,
          code: 'alliance.reserved',
          message: `"${name}": ${reserved}; rename it`,
        });
    }
  }

  const claim = (name: string, from: Path): boolean => {
    if (name.startsWith(RESERVED_PREFIX)) {
      problems.push({
        path: from,
        code: 'alliance.reserved',
        message: `"${name}", which this item generates: ${reserved}; rename the item`,
      });
      return false;
    }
    if (authored.has(name)) {
      problems.push({
        path: from,
        code: 'alliance.collision',
        message: `"${name}", which this item generates, is already defined by the scenario; rename one of them`,
      });
      return false;
    }
    const first = generated.get(name);
    if (first !== undefined) {
      problems.push({
        path: from,
        code: 'alliance.collision',
        message: `"${name}" is generated twice (also by ${first.join('.')}); rename one of them`,
      });
      return false;
    }
    generated.set(name, from);
    return true;
  };
  const put = (
    target: Record<string, unknown>,
    sectionName: string,
    name: string,
    value: unknown,
    from: Path,
  ): void => {
    if (!claim(name, from)) return;
    target[name] = value;
    origins.push([[sectionName, name], from]);
  };
  const uncertain = (name: string, value: Uncertain, from: Path): void =>
    put(params, 'params', name, value, from);
  // Regimes the expansion makes, which quantities may name: every deciding actor's, and the focal `stance`.
  const generatedLadders = actorLadders(a);
  if (generatedLadders.size > 0 && (a.decision?.rule ?? 'logit') === 'logit')
    generatedLadders.set('stance', a.decision?.ladder ?? ['maintain', 'cool']);
  const quantity = (name: string, q: Quantity, from: Path): void => {
    if (typeof q === 'number' || (typeof q === 'object' && 'dist' in q)) put(params, 'params', name, q, from);
    else if (typeof q === 'string') put(derived, 'derived', name, q, from);
    else if ('init' in q) put(state, 'state', name, { init: q.init, update: q.update }, from);
    else {
      const regime =
        own(core.regimes as Record<string, { states?: unknown }> | undefined, q.regime) ??
        (generatedLadders.has(q.regime) ? { states: generatedLadders.get(q.regime) } : undefined);
      // The core regimes are not checked yet: a `states` that is not a list is the schema's to report.
      const states = Array.isArray(regime?.states)
        ? regime.states.filter((s): s is string => typeof s === 'string')
        : [];
      if (regime === undefined) {
        problems.push({
          path: [...from, 'regime'],
          code: 'alliance.regime',
          message: `"${q.regime}" is not a regime of this scenario`,
          ...hint(q.regime, [...Object.keys((core.regimes as object) ?? {}), ...generatedLadders.keys()]),
        });
        return;
      }
      if (states.length === 0) {
        put(derived, 'derived', name, '0', from); // a stand-in until the regime's states can be read
        return;
      }
      const missing = states.filter((s) => !(s in q.values));
      for (const s of Object.keys(q.values)) {
        if (!states.includes(s))
          problems.push({
            path: [...from, 'values', s],
            code: 'alliance.regime-state',
            message: `"${s}" is not a state of regime "${q.regime}"`,
            ...hint(s, states),
          });
      }
      if (missing.length > 0)
        problems.push({
          path: [...from, 'values'],
          code: 'alliance.regime-state',
          message: `give a value for every state of "${q.regime}"; missing: ${missing.join(', ')}`,
        });
      const branches = states
        .slice(0, -1)
        .map((s) => `${q.regime}.${s} ? (${String(q.values[s])}) : `)
        .join('');
      put(derived, 'derived', name, `${branches}(${String(q.values[states[states.length - 1]!])})`, from);
    }
  };

  // Actors and the focal relationship.
  const actorIds = Object.keys(a.actors);
  for (const key of ['focal', 'partner'] as const) {
    const id = a.relationship[key];
    if (!actorIds.includes(id))
      problems.push({
        path: ['relationship', key],
        code: 'alliance.actor',
        message: `"${id}" is not in actors`,
        ...hint(id, actorIds),
      });
  }

  // The other actors' own interests and ladders (actors.ts), then the focal actor's.
  const nameOf = (id: string): string => own(a.actors, id)?.name ?? id;
  const sections = { params, derived, regimes, outcomes };
  const strategic = expandActors({
    a,
    problems,
    put: (s, name, value, from) => put(sections[s], s, name, value, from),
    uncertain,
    quantity,
    nameOf,
  });

  // Interests and pressures: each a contribution to the net incentive.
  const inputs: AllianceInput[] = [];
  for (const [id, it] of Object.entries(a.interests ?? {})) {
    const from: Path = ['interests', id];
    quantity(id, it.value, [...from, 'value']);
    uncertain(`${id}_weight`, it.weight ?? 1, [...from, 'weight']);
    put(derived, 'derived', `${id}_contribution`, `${id}_weight * ${id}`, from);
    inputs.push({
      id,
      kind: 'interest',
      direction: it.direction,
      ...(it.label ? { label: it.label } : {}),
      contribution: `${id}_contribution`,
    });
  }
  for (const [id, p] of Object.entries(a.pressures ?? {})) {
    const from: Path = ['pressures', id];
    if (!actorIds.includes(p.actor))
      problems.push({
        path: [...from, 'actor'],
        code: 'alliance.actor',
        message: `"${p.actor}" is not in actors`,
        ...hint(p.actor, actorIds),
      });
    quantity(`${id}_intensity`, p.intensity, [...from, 'intensity']);
    quantity(`${id}_leverage`, p.leverage ?? 1, [...from, 'leverage']);
    uncertain(`${id}_weight`, p.weight ?? 1, [...from, 'weight']);
    if (p.push !== undefined) put(derived, 'derived', `${id}_contribution`, p.push, [...from, 'push']);
    else
      put(derived, 'derived', `${id}_contribution`, `${id}_intensity * ${id}_leverage * ${id}_weight`, from);
    inputs.push({
      id,
      kind: 'pressure',
      direction: 'push',
      ...(p.label ? { label: p.label } : {}),
      contribution: `${id}_contribution`,
    });
  }
  const sum = (name: string, xs: AllianceInput[], path: string): string =>
    chainedSum(
      name,
      xs.map((x) => x.contribution),
      (id, formula) => put(derived, 'derived', id, formula, [path]),
    );
  put(
    derived,
    'derived',
    'hold',
    sum(
      'hold',
      inputs.filter((x) => x.direction === 'hold'),
      'interests',
    ),
    ['interests'],
  );
  put(
    derived,
    'derived',
    'push',
    sum(
      'push',
      inputs.filter((x) => x.direction === 'push'),
      'pressures',
    ),
    ['pressures'],
  );
  put(derived, 'derived', 'net_incentive', 'push - hold', ['relationship']);

  // The decision rule.
  const coolLabel = `${nameOf(a.relationship.focal)} cools ties with ${nameOf(a.relationship.partner)}`;
  const d = a.decision ?? {};
  const rule = d.rule ?? 'logit';
  const ladder = d.ladder ?? ['maintain', 'cool'];
  const cooled = d.cooled ?? ladder[1]!;
  const k = ladder.length - 1;
  const tie0 = a.relationship.initial_tie ?? 1;
  if (!ladder.includes(cooled))
    problems.push({
      path: ['decision', 'cooled'],
      code: 'alliance.rung',
      message: `"${cooled}" is not a rung of the ladder`,
      ...hint(cooled, ladder),
    });
  if (ladder.indexOf(cooled) === 0)
    problems.push({
      path: ['decision', 'cooled'],
      code: 'alliance.rung',
      message: 'the first rung is the status quo; cooling must be a rung above it',
    });
  if (new Set(ladder).size !== ladder.length)
    problems.push({
      path: ['decision', 'ladder'],
      code: 'alliance.rung',
      message: 'rungs must have distinct names',
    });
  const thresholds = d.thresholds ?? {};
  /** Rungs whose threshold is there under a misspelt name (reported once, as that name). */
  const misspelt = new Set<string>();
  for (const r of Object.keys(thresholds)) {
    if (!ladder.slice(1).includes(r)) {
      const meant = closest(r, ladder.slice(1));
      if (meant !== undefined && !Object.hasOwn(thresholds, meant)) misspelt.add(meant);
      problems.push({
        path: ['decision', 'thresholds', r],
        code: 'alliance.rung',
        message: `"${r}" is not a rung above the first`,
        ...hint(r, ladder.slice(1)),
      });
    }
  }
  const needThresholds = rule !== 'hazard';
  if (needThresholds && (a.decision === undefined || d.thresholds === undefined)) {
    // Say what is missing once, not once per rung.
    const rungs = ladder.slice(1).join(', ');
    problems.push({
      path: a.decision === undefined ? ['decision'] : ['decision', 'thresholds'],
      code: 'alliance.decision',
      message:
        a.decision === undefined
          ? 'missing the "decision" section: the decision rule (logit by default) needs a threshold for each rung of its ladder above the first (the default ladder is maintain, cool)'
          : `missing required field "thresholds": the ${rule} rule needs one for each rung above the first (${rungs})`,
      expected:
        a.decision === undefined
          ? 'a section such as decision: { ladder: [maintain, cool], thresholds: { cool: 0.2 } } (docs/ALLIANCE.md)'
          : `thresholds: { ${ladder
              .slice(1)
              .map((r) => `${r}: …`)
              .join(', ')} }`,
    });
  } else if (needThresholds) {
    for (const [i, r] of ladder.entries()) {
      if (i === 0) continue;
      const t = thresholds[r];
      if (t === undefined && misspelt.has(r)) continue;
      if (t === undefined)
        problems.push({
          path: ['decision', 'thresholds'],
          code: 'alliance.threshold',
          message: `rung "${r}" needs a threshold`,
          expected:
            rule === 'logit'
              ? 'the net incentive at which that step up is worth taking'
              : 'the tie level below which it is reached',
        });
      else uncertain(`threshold_${r}`, t, ['decision', 'thresholds', r]);
    }
  }
  const decisionParam = (key: keyof typeof DEFAULTS): string => {
    uncertain(`decision_${key}`, (d[key] as Uncertain | undefined) ?? DEFAULTS[key], [
      'decision',
      ...(d[key] === undefined ? [] : [key]),
    ]);
    return `decision_${key}`;
  };
  const rungIndex = ladder
    .map((r, i) => (i === 0 ? '' : `${i} * stance.${r}`))
    .filter(Boolean)
    .join(' + ');
  const atLeast = (i: number): string =>
    ladder
      .slice(i)
      .map((r) => `stance.${r}`)
      .join(' or ');

  if (rule === 'logit') {
    const lambda = decisionParam('lambda');
    const inertia = decisionParam('inertia');
    const rate = decisionParam('tie_rate');
    const transitions: Record<string, Record<string, string>> = {};
    ladder.forEach((r, i) => {
      const row: Record<string, string> = {};
      // a: utility of one rung up over staying; b: of one rung down over staying (docs/ALLIANCE.md).
      const a =
        i < k ? `${lambda} * (net_incentive - threshold_${ladder[i + 1]} - ${inertia} * tie)` : undefined;
      const b = i > 0 ? `${lambda} * (threshold_${r} - net_incentive - ${inertia} * (1 - tie))` : undefined;
      if (a) row[ladder[i + 1]!] = `1 / (exp(-(${a})) + 1${b ? ` + exp((${b}) - (${a}))` : ''})`;
      if (b) row[ladder[i - 1]!] = `1 / (exp(-(${b})) + 1${a ? ` + exp((${a}) - (${b}))` : ''})`;
      transitions[r] = row;
    });
    put(
      regimes,
      'regimes',
      'stance',
      {
        label: `${nameOf(a.relationship.focal)}'s response ladder toward ${nameOf(a.relationship.partner)}`,
        states: ladder,
        initial: ladder[0],
        transitions,
      },
      ['decision'],
    );
    put(
      state,
      'state',
      'tie',
      {
        init: tie0,
        update: `tie + ${rate} * (${tie0} * (1 - (${rungIndex}) / ${k}) - tie)`,
        label: 'tie strength',
      },
      ['relationship'],
    );
  } else if (rule === 'threshold') {
    const speed = decisionParam('speed');
    const noise = decisionParam('noise');
    put(
      state,
      'state',
      'tie',
      {
        init: tie0,
        update: `clamp(tie - ${speed} * net_incentive + normal(0, ${noise}), 0, 1)`,
        label: 'tie index',
      },
      ['relationship'],
    );
  } else {
    const intercept = decisionParam('intercept');
    const slope = decisionParam('slope');
    put(
      events,
      'events',
      'cooling',
      { hazard: `logistic(${intercept} + ${slope} * net_incentive)`, effects: [{ set: 'tie', to: 0 }] },
      ['decision'],
    );
    put(state, 'state', 'tie', { init: tie0, label: 'tie strength' }, ['relationship']);
    put(outcomes, 'outcomes', 'cooled', { when: 'cooling', label: coolLabel }, ['decision']);
  }
  if (rule !== 'hazard') {
    // Rung i or beyond: on the ladder regime (logit), or the tie index below rung i's threshold.
    const reached = (i: number): string => (rule === 'logit' ? atLeast(i) : `tie < threshold_${ladder[i]}`);
    put(outcomes, 'outcomes', 'cooled', { when: reached(ladder.indexOf(cooled)), label: coolLabel }, [
      'decision',
      'cooled',
    ]);
    ladder.slice(1).forEach((r, j) => {
      put(outcomes, 'outcomes', `reached_${r}`, { when: reached(j + 1), label: `reaches "${r}" or beyond` }, [
        'decision',
        'ladder',
      ]);
    });
  }
  const deciding = strategic.ladders;
  // With other actors deciding, the focal rung is readable by index too, as theirs are.
  const focalRung = `${a.relationship.focal}_rung`;
  if (deciding.length > 0 && rule === 'logit')
    put(derived, 'derived', focalRung, indexOf('stance', ladder), ['decision', 'ladder']);
  if (out.primary === undefined) out.primary = 'cooled';
  if (out.report === undefined)
    out.report = [
      'net_incentive',
      'hold',
      'push',
      'tie',
      ...(deciding.length > 0 && rule === 'logit' ? [focalRung] : []),
      ...deciding.map((l) => l.rung),
    ];

  const value: Expansion = {
    data: out,
    info: {
      focal: a.relationship.focal,
      partner: a.relationship.partner,
      rule,
      ladder,
      cooled,
      // The focal actor's inputs first, as before, then the other actors'.
      inputs: [...inputs, ...strategic.inputs],
      ...(deciding.length > 0 ? { actors: deciding } : {}),
    },
    origins,
  };
  // With problems, `value` is what could be generated (validation checks the rest of the document with it).
  return problems.length > 0 ? { ok: false, problems, value } : { ok: true, value };
}

function hint(name: string, candidates: string[]): { suggestion?: string } {
  const s = didYouMean(name, candidates);
  return s === undefined ? {} : { suggestion: s };
}
