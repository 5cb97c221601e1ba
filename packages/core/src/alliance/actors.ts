import type { SchemaProblem } from '../schema/zodIssues.js';
import { closest, didYouMean } from '../suggest.js';
import type { AllianceSections, Quantity, Uncertain } from './schema.js';
import { chainedSum } from './sum.js';

type Path = (string | number)[];

/** One interest or pressure, as attribution sees it (re-exported by expand.ts). */
export interface AllianceInput {
  id: string;
  kind: 'interest' | 'pressure';
  direction: 'hold' | 'push';
  label?: string;
  /** The actor whose net incentive it enters; absent for the focal actor's own. */
  actor?: string;
  /** The derived value holding its contribution (always ≥ 0 in magnitude; the direction gives its sign). */
  contribution: string;
}

/** A deciding actor other than the focal one, as the expansion made it. */
export interface ActorLadder {
  actor: string;
  toward: string;
  /** The regime over its ladder: the actor's id. */
  regime: string;
  ladder: string[];
  /** The derived value holding its rung's index (0 … K): `<id>_rung`. */
  rung: string;
}

/** What the expansion of the actors needs from expand.ts: where to put items, and where problems go. */
export interface ActorContext {
  a: AllianceSections;
  problems: SchemaProblem[];
  put: (
    section: 'params' | 'derived' | 'regimes' | 'outcomes',
    name: string,
    value: unknown,
    from: Path,
  ) => void;
  uncertain: (name: string, value: Uncertain, from: Path) => void;
  quantity: (name: string, q: Quantity, from: Path) => void;
  nameOf: (id: string) => string;
}

export const ACTOR_DEFAULTS = { lambda: 4, inertia: 2 };

/**
 * The ladders of the actors that decide, known before anything is generated, so that quantities
 * anywhere in the vocabulary may be `{ regime: TR, values: … }` on one of them.
 */
export function actorLadders(a: AllianceSections): Map<string, string[]> {
  const ladders = new Map<string, string[]>();
  for (const [id, actor] of Object.entries(a.actors)) {
    if (actor.decision !== undefined && id !== a.relationship.focal) ladders.set(id, actor.decision.ladder);
  }
  return ladders;
}

/**
 * Expand every non-focal actor's interests and decision into core items, each name prefixed with
 * the actor's id: interests `<id>_<i>`, `<id>_<i>_weight`, `<id>_<i>_contribution`; `<id>_hold`,
 * `<id>_push`, `<id>_net_incentive`; for a decision, params `<id>_threshold_<rung>`,
 * `<id>_decision_lambda`, `<id>_decision_inertia`, the regime `<id>` over its ladder, the derived
 * `<id>_rung` (its index) and outcomes `<id>_reached_<rung>`. Transitions read only derived values
 * and params, which the core evaluates at the end of the previous step: every actor moves on the
 * others' rungs of the previous step (simultaneous moves; docs/ALLIANCE.md).
 */
export function expandActors(ctx: ActorContext): { inputs: AllianceInput[]; ladders: ActorLadder[] } {
  const { a, problems, put, uncertain, quantity, nameOf } = ctx;
  const actorIds = Object.keys(a.actors);
  const inputs: AllianceInput[] = [];
  const ladders: ActorLadder[] = [];
  for (const [id, actor] of Object.entries(a.actors)) {
    if (actor.interests === undefined && actor.decision === undefined) continue;
    const at: Path = ['actors', id];
    if (id === a.relationship.focal) {
      problems.push({
        path: [...at, actor.decision !== undefined ? 'decision' : 'interests'],
        code: 'alliance.focal-actor',
        message: `"${id}" is the focal actor: its interests and decision are the top-level "interests" and "decision" sections`,
      });
      continue;
    }
    // Interests: each a contribution to this actor's own net incentive.
    const mine: AllianceInput[] = [];
    for (const [iid, it] of Object.entries(actor.interests ?? {})) {
      const from: Path = [...at, 'interests', iid];
      const name = `${id}_${iid}`;
      quantity(name, it.value, [...from, 'value']);
      uncertain(`${name}_weight`, it.weight ?? 1, [...from, 'weight']);
      put('derived', `${name}_contribution`, `${name}_weight * ${name}`, from);
      mine.push({
        id: name,
        kind: 'interest',
        direction: it.direction,
        label: it.label ?? `${nameOf(id)}: ${iid}`,
        actor: id,
        contribution: `${name}_contribution`,
      });
    }
    inputs.push(...mine);
    for (const side of ['hold', 'push'] as const) {
      const name = `${id}_${side}`;
      const terms = mine.filter((x) => x.direction === side).map((x) => x.contribution);
      const define = (part: string, formula: string): void =>
        put('derived', part, formula, [...at, 'interests']);
      put('derived', name, chainedSum(name, terms, define), [...at, 'interests']);
    }
    put('derived', `${id}_net_incentive`, `${id}_push - ${id}_hold`, at);

    const d = actor.decision;
    if (d === undefined) continue;
    const dAt: Path = [...at, 'decision'];
    if (!actorIds.includes(d.toward) || d.toward === id)
      problems.push({
        path: [...dAt, 'toward'],
        code: 'alliance.actor',
        message:
          d.toward === id ? 'an actor cannot aim its ladder at itself' : `"${d.toward}" is not in actors`,
        ...hint(
          d.toward,
          actorIds.filter((x) => x !== id),
        ),
      });
    const ladder = d.ladder;
    const k = ladder.length - 1;
    if (new Set(ladder).size !== ladder.length)
      problems.push({
        path: [...dAt, 'ladder'],
        code: 'alliance.rung',
        message: 'rungs must have distinct names',
      });
    const initial = d.initial ?? ladder[0]!;
    if (!ladder.includes(initial))
      problems.push({
        path: [...dAt, 'initial'],
        code: 'alliance.rung',
        message: `"${initial}" is not a rung of the ladder`,
        ...hint(initial, ladder),
      });
    const misspelt = new Set<string>();
    for (const r of Object.keys(d.thresholds)) {
      if (!ladder.slice(1).includes(r)) {
        const meant = closest(r, ladder.slice(1));
        if (meant !== undefined && !Object.hasOwn(d.thresholds, meant)) misspelt.add(meant);
        problems.push({
          path: [...dAt, 'thresholds', r],
          code: 'alliance.rung',
          message: `"${r}" is not a rung above the first`,
          ...hint(r, ladder.slice(1)),
        });
      }
    }
    for (const r of ladder.slice(1)) {
      const t = d.thresholds[r];
      if (t !== undefined) uncertain(`${id}_threshold_${r}`, t, [...dAt, 'thresholds', r]);
      else if (!misspelt.has(r))
        problems.push({
          path: [...dAt, 'thresholds'],
          code: 'alliance.threshold',
          message: `rung "${r}" needs a threshold`,
          expected: `the net incentive of ${nameOf(id)} at which that step up is worth taking`,
        });
    }
    const param = (key: keyof typeof ACTOR_DEFAULTS): string => {
      const name = `${id}_decision_${key}`;
      uncertain(name, d[key] ?? ACTOR_DEFAULTS[key], d[key] === undefined ? dAt : [...dAt, key]);
      return name;
    };
    const lambda = param('lambda');
    const inertia = param('inertia');
    const x = `${id}_net_incentive`;
    const transitions: Record<string, Record<string, string>> = {};
    ladder.forEach((r, i) => {
      const row: Record<string, string> = {};
      // a: utility of one rung up over staying; b: of one rung down over staying (docs/ALLIANCE.md).
      const up = i < k ? `${lambda} * (${x} - ${id}_threshold_${ladder[i + 1]} - ${inertia})` : undefined;
      const down = i > 0 ? `${lambda} * (${id}_threshold_${r} - ${x} - ${inertia})` : undefined;
      if (up) row[ladder[i + 1]!] = `1 / (exp(-(${up})) + 1${down ? ` + exp((${down}) - (${up}))` : ''})`;
      if (down) row[ladder[i - 1]!] = `1 / (exp(-(${down})) + 1${up ? ` + exp((${up}) - (${down}))` : ''})`;
      transitions[r] = row;
    });
    put(
      'regimes',
      id,
      {
        label: `${nameOf(id)}'s response ladder toward ${nameOf(d.toward)}`,
        states: ladder,
        initial: ladder.includes(initial) ? initial : ladder[0],
        transitions,
      },
      dAt,
    );
    put('derived', `${id}_rung`, rungIndex(id, ladder), [...dAt, 'ladder']);
    ladder.slice(1).forEach((r, j) => {
      put(
        'outcomes',
        `${id}_reached_${r}`,
        {
          when: ladder
            .slice(j + 1)
            .map((s) => `${id}.${s}`)
            .join(' or '),
          label: `${nameOf(id)} reaches "${r}" or beyond`,
        },
        [...dAt, 'ladder'],
      );
    });
    ladders.push({ actor: id, toward: d.toward, regime: id, ladder, rung: `${id}_rung` });
  }
  return { inputs, ladders };
}

/** The index (0 … K) of the state a regime over `ladder` is in, as a formula. */
export function rungIndex(regime: string, ladder: readonly string[]): string {
  const terms = ladder.flatMap((r, i) => (i === 0 ? [] : [`${i} * ${regime}.${r}`]));
  return terms.length === 0 ? '0' : terms.join(' + ');
}

function hint(name: string, candidates: string[]): { suggestion?: string } {
  const s = didYouMean(name, candidates);
  return s === undefined ? {} : { suggestion: s };
}
