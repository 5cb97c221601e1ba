import { own } from '../document/names.js';
import { checkFormula, type FormulaProblem, type FormulaScope } from '../formula/check.js';
import type { Issue, Result } from '../issues.js';
import { fail, formatPath, ok } from '../issues.js';
import { cholesky, correlationGroups } from '../random/copula.js';
import { makeSampler } from '../random/distributions.js';
import type { Formula as FormulaSource, Scenario } from '../schema/scenario.js';
import type { ValidScenario } from '../schema/validate.js';
import { didYouMean } from '../suggest.js';
import type {
  Assignment,
  Formula,
  Plan,
  PlannedCopula,
  PlannedEffect,
  PlannedEvent,
  PlannedParam,
  PlannedRegime,
} from './plan.js';
import { SLOT_HORIZON, SLOT_T } from './plan.js';

type Path = (string | number)[];

/**
 * Lay a validated scenario out as a Plan: give every value a slot and every random place a site,
 * check every formula against the names in scope, and order derived values and initial values by
 * their dependencies (a cycle is an error that names it).
 */
export function buildPlan({ scenario: s, document }: ValidScenario): Result<Plan> {
  const issues: Issue[] = [];
  const slotNames: string[] = ['t', 'horizon', 'pi', 'e'];
  const symbols = new Map<string, number>([
    ['t', SLOT_T],
    ['horizon', SLOT_HORIZON],
    ['pi', 2],
    ['e', 3],
  ]);
  const newSlot = (name: string, symbol = true): number => {
    slotNames.push(name);
    if (symbol) symbols.set(name, slotNames.length - 1);
    return slotNames.length - 1;
  };
  const siteNames: string[] = [];
  const newSite = (name: string): number => siteNames.push(name) - 1;
  const formulaPaths: Path[] = [];

  const paramsIn = Object.entries(s.params ?? {});
  const derivedIn = Object.entries(s.derived ?? {});
  const stateIn = Object.entries(s.state ?? {});
  const regimesIn = Object.entries(s.regimes ?? {});
  const eventsIn = Object.entries(s.events ?? {});

  const params: PlannedParam[] = [];
  const constants: { slot: number; value: number; param?: string }[] = [
    { slot: SLOT_HORIZON, value: s.horizon.steps },
    { slot: 2, value: Math.PI },
    { slot: 3, value: Math.E },
  ];
  for (const [name, p] of paramsIn) {
    const slot = newSlot(name);
    if (typeof p === 'number') constants.push({ slot, value: p, param: name });
    else if (p.dist === 'constant') constants.push({ slot, value: p.value, param: name });
    else {
      const made = makeSampler(p);
      if (!made.ok) throw new Error(`internal: ${name} passed validation with an invalid distribution`);
      params.push({ slot, site: newSite(`param:${name}`), sampler: made.sampler });
    }
  }
  const copulas = planCopulas(s, (name) => params.findIndex((p) => slotNames[p.slot] === name));
  const derivedSlots = new Map(derivedIn.map(([name]) => [name, newSlot(name)]));
  const stateSlots = new Map(stateIn.map(([name]) => [name, newSlot(name)]));
  const regimeSlots = regimesIn.map(([name, r]) => ({
    index: newSlot(`${name}.index`, false),
    flags: r.states.map((st) => newSlot(`${name}.${st}`, false)),
  }));
  const eventSlots = eventsIn.map(([name]) => ({
    happened: newSlot(name),
    count: newSlot(`${name}.count`, false),
  }));

  const allNames = [...symbols.keys(), ...regimesIn.map(([n]) => n)];
  const member = (object: string, m: string): number | { message: string; suggestion?: string } => {
    const ri = regimesIn.findIndex(([n]) => n === object);
    if (ri >= 0) {
      const states = regimesIn[ri]![1].states;
      const si = states.indexOf(m);
      if (si >= 0) return regimeSlots[ri]!.flags[si]!;
      const suggestion = didYouMean(m, states);
      return {
        message: `regime "${object}" has no state "${m}" (it has ${states.join(', ')})`,
        ...(suggestion ? { suggestion } : {}),
      };
    }
    const ei = eventsIn.findIndex(([n]) => n === object);
    if (ei >= 0) {
      if (m === 'count') return eventSlots[ei]!.count;
      return {
        message: `events have .count (how often it has happened), not .${m}`,
        suggestion: `use ${object}.count, or ${object} for whether it has happened`,
      };
    }
    const suggestion = didYouMean(object, allNames);
    return { message: `"${object}" is not a regime or an event`, ...(suggestion ? { suggestion } : {}) };
  };

  /** Check one formula; returns its plan entry and the names it reads. */
  const formula = (
    source: FormulaSource,
    path: Path,
  ): (Formula & { deps: ReadonlySet<string> }) | undefined => {
    const owner = formatPath(path);
    const scope: FormulaScope = {
      symbol: (name) => symbols.get(name),
      member,
      names: () => allNames,
      site: (k) => newSite(`${owner}#${k}`),
    };
    const checked = checkFormula(source, scope);
    if (!checked.ok) {
      for (const p of checked.problems) issues.push(formulaIssue(p, path, source));
      return undefined;
    }
    formulaPaths.push(path);
    return { expr: checked.expr, id: formulaPaths.length - 1, deps: checked.deps };
  };
  const formulaIssue = (p: FormulaProblem, path: Path, source: FormulaSource): Issue => {
    const { quoted, scalar, ...where } = document.locate(path);
    const { offset, ...rest } = p;
    const column =
      scalar &&
      where.column !== undefined &&
      offset !== undefined &&
      typeof source === 'string' &&
      !source.includes('\n')
        ? where.column + offset + (quoted ? 1 : 0)
        : where.column;
    return {
      ...where,
      ...(column === undefined ? {} : { column }),
      ...rest,
      message: `in formula ${abbreviated(source)}: ${rest.message}`,
    };
  };

  // Derived values and initial values: check, then order by dependencies.
  type Node = {
    name: string;
    slot: number;
    f: (Formula & { deps: ReadonlySet<string> }) | undefined;
    path: Path;
  };
  const derivedNodes: Node[] = derivedIn.map(([name, d]) => {
    const path = typeof d === 'object' ? ['derived', name, 'formula'] : ['derived', name];
    return {
      name,
      slot: derivedSlots.get(name)!,
      f: formula(typeof d === 'object' ? d.formula : d, path),
      path,
    };
  });
  const initNodes: Node[] = stateIn.map(([name, st]) => ({
    name,
    slot: stateSlots.get(name)!,
    f: formula(st.init, ['state', name, 'init']),
    path: ['state', name, 'init'],
  }));
  const derivedOrder = order(
    derivedNodes,
    (n) => derivedNodes.filter((m) => n.f?.deps.has(m.name)),
    issues,
    document,
    'derived values',
  );
  const initGraph = [...derivedNodes, ...initNodes];
  const initOrder = order(
    initGraph,
    (n) => initGraph.filter((m) => n.f?.deps.has(m.name)),
    issues,
    document,
    'initial values',
  );

  const regimes: PlannedRegime[] = regimesIn.map(([name, r], ri) => ({
    indexSlot: regimeSlots[ri]!.index,
    flagSlots: regimeSlots[ri]!.flags,
    initial: r.states.indexOf(r.initial),
    site: newSite(`regime:${name}`),
    rows: r.states.map((from) => formulaPaths.push(['regimes', name, 'transitions', from]) - 1),
    moves: r.states.map((from, fromIndex) =>
      orderMoves(
        Object.entries(own(r.transitions, from) ?? {}).flatMap(([to, p]) => {
          const f = formula(p, ['regimes', name, 'transitions', from, to]);
          return f ? [{ to: r.states.indexOf(to), p: f, down: r.states.indexOf(to) < fromIndex }] : [];
        }),
      ),
    ),
  }));

  const events: PlannedEvent[] = eventsIn.map(([name, ev], ei) => {
    const hazard = ev.hazard === undefined ? undefined : formula(ev.hazard, ['events', name, 'hazard']);
    const effects = (ev.effects ?? []).flatMap((effect, i): PlannedEffect[] => {
      if ('regime' in effect) {
        const ri = regimesIn.findIndex(([n]) => n === effect.regime);
        return [{ kind: 'regime', regime: ri, state: regimesIn[ri]![1].states.indexOf(effect.to) }];
      }
      const [kind, target, value, key] =
        'set' in effect
          ? (['set', effect.set, effect.to, 'to'] as const)
          : 'scale' in effect
            ? (['scale', effect.scale, effect.by, 'by'] as const)
            : (['add', effect.add, effect.by, 'by'] as const);
      const f = formula(value, ['events', name, 'effects', i, key]);
      return f ? [{ kind, slot: symbols.get(target)!, value: f }] : [];
    });
    const at = [...new Set(typeof ev.at === 'number' ? [ev.at] : (ev.at ?? []))].sort((a, b) => a - b);
    return {
      happenedSlot: eventSlots[ei]!.happened,
      countSlot: eventSlots[ei]!.count,
      site: newSite(`event:${name}`),
      hazard,
      at,
      repeat: ev.repeat ?? false,
      effects,
    };
  });

  const updates = stateIn.flatMap(([name, st]) => {
    if (st.update === undefined) return [];
    const f = formula(st.update, ['state', name, 'update']);
    return f
      ? [{ slot: stateSlots.get(name)!, temp: newSlot(`${name}'`, false), expr: f.expr, id: f.id }]
      : [];
  });
  const outcomes = Object.entries(s.outcomes).flatMap(([name, o]) => {
    const f = formula(o.when, ['outcomes', name, 'when']);
    return f ? [{ expr: f.expr, id: f.id }] : [];
  });
  const reports = (s.report ?? stateIn.map(([name]) => name)).map((name) => ({
    name,
    slot: symbols.get(name)!,
  }));

  if (issues.length > 0) return fail(dedupe(issues));
  const assign = (n: Node): Assignment => ({ slot: n.slot, expr: n.f!.expr, id: n.f!.id });
  return ok({
    horizon: s.horizon.steps,
    slotNames,
    siteNames,
    formulaPaths,
    constants,
    params,
    copulas,
    init: initOrder.map(assign),
    regimes,
    events,
    derived: derivedOrder.map(assign),
    updates,
    outcomes,
    reports,
  });
}

/**
 * Each correlated group's members (as indices into the plan's params) and Cholesky factor. The
 * schema has checked the names and that every group's matrix is positive definite.
 */
function planCopulas(s: Scenario, paramIndex: (name: string) => number): PlannedCopula[] {
  const pairs = (s.correlations ?? []).map((c, index) => ({
    a: c.between[0]!,
    b: c.between[1]!,
    rank: c.rank,
    index,
  }));
  return correlationGroups(pairs).map((g) => {
    const made = cholesky(g.matrix);
    if (!made.ok) throw new Error('internal: correlations passed validation but are not positive definite');
    const members = g.members.map(paramIndex);
    if (members.some((k) => k < 0)) throw new Error('internal: a correlated param is not random');
    return { members, factor: made.factor };
  });
}

/**
 * Moves up the list of states (to a later state) are drawn from the bottom of [0, 1), farthest
 * first; moves down from the top, farthest first; staying is the middle. This is the inverse-CDF
 * draw of the next state in state order, so when a change of input makes moving up likelier and
 * moving down less likely, the same uniform never moves a chain down that used to move up: common
 * random numbers then keep ordered regimes (calm < vocal < coercive) ordered between scenarios.
 */
function orderMoves<M extends { to: number; down: boolean }>(moves: M[]): M[] {
  const up = moves.filter((m) => !m.down).sort((a, b) => b.to - a.to);
  const down = moves.filter((m) => m.down).sort((a, b) => a.to - b.to);
  return [...up, ...down];
}

/** Topological order (depth-first, stable in document order); a cycle is reported once, by name. */
function order<N extends { name: string; path: Path }>(
  nodes: readonly N[],
  depsOf: (n: N) => N[],
  issues: Issue[],
  document: ValidScenario['document'],
  what: string,
): N[] {
  const out: N[] = [];
  const state = new Map<N, 'visiting' | 'done'>();
  const stack: N[] = [];
  const visit = (n: N): void => {
    const st = state.get(n);
    if (st === 'done') return;
    if (st === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(n)), n].map((m) => m.name);
      const { quoted: _q, scalar: _s, ...where } = document.locate(n.path);
      issues.push({
        ...where,
        code: 'formula.cycle',
        message: `${what} depend on each other in a cycle: ${cycle.join(' → ')}`,
      });
      return;
    }
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of depsOf(n)) visit(d);
    stack.pop();
    state.set(n, 'done');
    out.push(n);
  };
  for (const n of nodes) visit(n);
  return out;
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${formatPath(i.path)}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type { Scenario };

/** A formula as quoted in a message: whole when short, else its first 80 characters and its length. */
function abbreviated(source: FormulaSource): string {
  const text = JSON.stringify(source);
  return text.length <= 100 ? text : `${text.slice(0, 80)}…" (${String(source).length} characters)`;
}
