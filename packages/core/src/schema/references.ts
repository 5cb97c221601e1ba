import { own } from '../document/names.js';
import { PURE_FUNCTIONS, RANDOM_FUNCTIONS } from '../formula/functions.js';
import { type CorrelationPair, conflictingPair, correlationGroups } from '../random/copula.js';
import { makeSampler } from '../random/distributions.js';
import { didYouMean } from '../suggest.js';
import type { Scenario } from './scenario.js';
import { NAME_PATTERN, type SchemaProblem } from './zodIssues.js';

/** Names formulas get for free; an item may not take one. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  't',
  'horizon',
  'pi',
  'e',
  'true',
  'false',
  ...Object.keys(PURE_FUNCTIONS),
  ...Object.keys(RANDOM_FUNCTIONS),
]);

/** Sections whose item names share one namespace in formulas. */
export const NAMED_SECTIONS = ['params', 'derived', 'state', 'regimes', 'events', 'outcomes'] as const;

/**
 * What the schema could not read, so that the reference checks can run on the rest without
 * reporting a consequence of a problem already reported: an item that failed the schema keeps its
 * name (a reference to it is not "unknown") and is not looked into.
 */
export interface Gaps {
  /** Items (of the named sections and `sources`) that failed the schema, by section. */
  readonly items: ReadonlyMap<string, ReadonlySet<string>>;
  /** Top-level fields that failed the schema or are missing; a section here has names nobody can list. */
  readonly fields: ReadonlySet<string>;
  /** Items checked without their unknown fields: a field they lack may be one of those, misspelt. */
  readonly incomplete: ReadonlyMap<string, ReadonlySet<string>>;
  /** Names may exist that the document does not show (e.g. vocabulary that could not be expanded). */
  readonly open: boolean;
}

export const NO_GAPS: Gaps = { items: new Map(), fields: new Set(), incomplete: new Map(), open: false };

/**
 * Checks that need the whole document: names unique across sections, references that point at
 * something, distributions with valid parameters. Formulas are checked by the compiler. With
 * `gaps`, `s` holds only what passed the schema, and a check that needs what is missing is skipped.
 */
export function checkReferences(s: Scenario, gaps: Gaps = NO_GAPS): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const broken = (section: string): ReadonlySet<string> => gaps.items.get(section) ?? NO_NAMES;
  /** Can every name of these sections be listed? */
  const known = (...sections: string[]): boolean =>
    !gaps.open && sections.every((section) => !gaps.fields.has(section));
  /** The names of a section, those that passed the schema and those that did not. */
  const namesOf = (section: string): string[] => [
    ...Object.keys((s as unknown as Record<string, object | undefined>)[section] ?? {}),
    ...[...broken(section)].filter((n) => NAME_PATTERN.test(n)),
  ];
  const add = (
    path: (string | number)[],
    code: string,
    message: string,
    extra: { expected?: string | undefined; suggestion?: string | undefined } = {},
  ): void => {
    out.push({ path, code, message, ...clean(extra) });
  };

  const owner = new Map<string, string>();
  for (const section of NAMED_SECTIONS) {
    for (const name of namesOf(section)) {
      if (RESERVED_NAMES.has(name)) {
        add([section, name], 'names.reserved', `"${name}" is a built-in name and cannot name an item`);
      }
      const first = owner.get(name);
      if (first !== undefined) {
        add(
          [section, name],
          'names.duplicate',
          `"${name}" is already defined in ${first}; names are shared by all sections`,
        );
      } else owner.set(name, section);
    }
  }

  const outcomes = namesOf('outcomes');
  if (known('primary', 'outcomes') && !outcomes.includes(s.primary)) {
    add(['primary'], 'reference.outcome', `"${s.primary}" is not an outcome`, {
      expected: `one of ${outcomes.join(', ')}`,
      suggestion: didYouMean(s.primary, outcomes),
    });
  }

  const values = [...namesOf('params'), ...namesOf('derived'), ...namesOf('state')];
  (s.report ?? []).forEach((name, i) => {
    if (known('params', 'derived', 'state') && !values.includes(name)) {
      add(['report', i], 'reference.value', `"${name}" is not a param, derived value or state variable`, {
        suggestion: didYouMean(name, values),
      });
    }
  });

  for (const [name, p] of Object.entries(s.params ?? {})) {
    if (typeof p === 'number') continue;
    const made = makeSampler(p);
    if (!made.ok)
      for (const pr of made.problems)
        add(['params', name, ...pr.path], 'distribution.invalid', pr.message, { expected: pr.expected });
  }

  for (const [name, r] of Object.entries(s.regimes ?? {})) {
    const states = r.states;
    if (new Set(states).size !== states.length)
      add(['regimes', name, 'states'], 'regime.duplicate-state', 'state names must be unique');
    const checkState = (path: (string | number)[], state: string): void => {
      if (!states.includes(state)) {
        add(path, 'regime.unknown-state', `"${state}" is not a state of regime "${name}"`, {
          expected: `one of ${states.join(', ')}`,
          suggestion: didYouMean(state, states),
        });
      }
    };
    checkState(['regimes', name, 'initial'], r.initial);
    for (const [from, row] of Object.entries(r.transitions)) {
      checkState(['regimes', name, 'transitions', from], from);
      for (const to of Object.keys(row)) {
        checkState(['regimes', name, 'transitions', from, to], to);
        if (to === from)
          add(
            ['regimes', name, 'transitions', from, to],
            'regime.self',
            'staying is what is left over; list only moves to other states',
          );
      }
    }
  }

  const settable = [...namesOf('params'), ...namesOf('state')];
  for (const [name, ev] of Object.entries(s.events ?? {})) {
    if (ev.hazard === undefined && ev.at === undefined && !gaps.incomplete.get('events')?.has(name)) {
      add(
        ['events', name],
        'event.trigger',
        'an event needs a hazard (a per-step probability) or a step to happen `at`',
      );
    }
    for (const step of typeof ev.at === 'number' ? [ev.at] : (ev.at ?? [])) {
      if (!gaps.fields.has('horizon') && step > s.horizon.steps)
        add(
          ['events', name, 'at'],
          'event.after-horizon',
          `step ${step} is after the horizon (${s.horizon.steps} steps)`,
        );
    }
    (ev.effects ?? []).forEach((effect, i) => {
      const path = ['events', name, 'effects', i];
      if ('regime' in effect) {
        const regime = own(s.regimes, effect.regime);
        if (regime === undefined && (broken('regimes').has(effect.regime) || !known('regimes'))) return;
        if (regime === undefined) {
          add([...path, 'regime'], 'reference.regime', `"${effect.regime}" is not a regime`, {
            suggestion: didYouMean(effect.regime, Object.keys(s.regimes ?? {})),
          });
        } else if (!regime.states.includes(effect.to)) {
          add(
            [...path, 'to'],
            'regime.unknown-state',
            `"${effect.to}" is not a state of regime "${effect.regime}"`,
            {
              suggestion: didYouMean(effect.to, regime.states),
            },
          );
        }
        return;
      }
      const key = 'set' in effect ? 'set' : 'scale' in effect ? 'scale' : 'add';
      const target = (effect as Record<string, string>)[key]!;
      if (known('params', 'state', 'derived') && !settable.includes(target)) {
        const isDerived = namesOf('derived').includes(target);
        add(
          [...path, key],
          'reference.target',
          isDerived
            ? `"${target}" is derived from other values; change one of its inputs instead`
            : `"${target}" is not a param or state variable`,
          { suggestion: didYouMean(target, settable) },
        );
      }
    });
  }

  checkCorrelations(s, add, gaps);

  const sources = namesOf('sources');
  const checkSource = (path: (string | number)[], item: unknown): void => {
    if (typeof item !== 'object' || item === null) return;
    const source = (item as { source?: unknown }).source;
    if (typeof source === 'string' && !gaps.fields.has('sources') && !sources.includes(source)) {
      add([...path, 'source'], 'reference.source', `"${source}" is not in sources`, {
        suggestion: didYouMean(source, sources),
      });
    }
  };
  for (const section of NAMED_SECTIONS) {
    for (const [name, item] of Object.entries(s[section] ?? {})) checkSource([section, name], item);
  }
  (s.given ?? []).forEach((g, i) => {
    checkSource(['given', i], g);
  });
  (s.correlations ?? []).forEach((c, i) => {
    checkSource(['correlations', i], c);
  });
  return out;
}

type Add = (
  path: (string | number)[],
  code: string,
  message: string,
  extra?: { expected?: string | undefined; suggestion?: string | undefined },
) => void;

/**
 * `correlations:`: each pair names two different params drawn from distributions, no pair twice,
 * and the pairs of each group can hold together (their copula's correlation matrix is positive
 * definite); if not, the pair that breaks it is named, with the pairs it conflicts with.
 */
function checkCorrelations(s: Scenario, add: Add, gaps: Gaps): void {
  const list = s.correlations ?? [];
  if (list.length === 0) return;
  const params = s.params ?? {};
  const random = Object.keys(params).filter((n) => {
    const p = params[n];
    return typeof p !== 'number' && p?.dist !== 'constant';
  });
  const seen = new Map<string, number>();
  const pairs: CorrelationPair[] = [];
  let named = true;
  list.forEach((c, i) => {
    const [a, b] = c.between as [string, string]; // the schema checked there are two
    let ok = true;
    c.between.forEach((name, k) => {
      const path = ['correlations', i, 'between', k];
      const p = own(params, name);
      if (
        p === undefined &&
        (gaps.items.get('params')?.has(name) || gaps.open || gaps.fields.has('params'))
      ) {
        ok = false; // a param the schema could not read, or one that may exist unseen
      } else if (p === undefined) {
        ok = false;
        const other = NAMED_SECTIONS.find(
          (section) => Object.hasOwn(s[section] ?? {}, name) || gaps.items.get(section)?.has(name),
        );
        add(
          path,
          'reference.correlated',
          other === undefined
            ? `"${name}" is not a param`
            : `"${name}" is ${other === 'derived' ? 'a derived value' : `in ${other}`}, not a param: only params drawn from a distribution can be correlated`,
          { expected: `a param drawn from a distribution`, suggestion: didYouMean(name, random) },
        );
      } else if (typeof p === 'number' || p.dist === 'constant') {
        ok = false;
        add(
          path,
          'correlation.fixed',
          `"${name}" is a fixed number, with no random draw to correlate: give it a distribution, or leave it out of correlations`,
          {
            suggestion:
              'in a file that extends another, `correlations:` replaces the base list (`correlations: null` drops it)',
          },
        );
      }
    });
    if (ok && a === b) {
      ok = false;
      add(
        ['correlations', i, 'between'],
        'correlation.self',
        `a param cannot be correlated with itself ("${a}")`,
      );
    }
    if (ok) {
      const key = [a, b].sort().join('\u0000');
      const first = seen.get(key);
      if (first !== undefined) {
        ok = false;
        add(
          ['correlations', i, 'between'],
          'correlation.duplicate',
          `the pair ${a}, ${b} is already correlated by entry ${first + 1} of correlations; list each pair once`,
        );
      } else seen.set(key, i);
    }
    if (ok) pairs.push({ a, b, rank: c.rank, index: i });
    else named = false;
  });
  if (!named) return;
  for (const group of correlationGroups(pairs)) {
    const conflict = conflictingPair(group);
    if (conflict === undefined) continue;
    const { pair, others, unlisted } = conflict;
    const show = (p: CorrelationPair): string => `[${p.a}, ${p.b}] (rank ${p.rank})`;
    const withWhat = [
      ...others.map(show),
      ...unlisted.map(([x, y]) => `[${x}, ${y}] (not listed, so independent: rank 0)`),
    ];
    add(
      ['correlations', pair.index, 'rank'],
      'correlation.inconsistent',
      withWhat.length === 0
        ? `the pair ${show(pair)} is too close to ±1 to draw: use a derived value for a param that follows another`
        : `the rank correlations among ${listOf(group.members)} cannot all hold (their copula's correlation matrix is not positive definite): the pair ${show(pair)} conflicts with ${listOf(withWhat)}`,
      {
        expected: `correlations that can hold together; weaken this pair or one it conflicts with`,
      },
    );
  }
}

/** "a", "a and b", "a, b and c". */
function listOf(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const NO_NAMES: ReadonlySet<string> = new Set();

function clean(extra: Record<string, string | undefined>): Partial<SchemaProblem> {
  return Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
}
