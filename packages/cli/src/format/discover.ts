import { boxF1, type Discovery, type PrimBox, type PrimLimit, QUASI_P_SIGNIFICANT } from '@entente/core';
import Table from 'cli-table3';
import { count, percent, value } from './numbers.js';

/** Rows of the trajectory the table shows: about a dozen, always the first, the chosen and the last. */
const TABLE_ROWS = 12;

/** A share of a prior as a whole percentage, keeping two digits near 0% and 100%. */
function share(q: number): string {
  const x = q * 100;
  if (x >= 1 && x <= 99) return `${Math.round(x)}%`;
  return `${Number(x.toPrecision(2))}%`;
}

/** `turkey_weight ≥ 1.21 (its top 30%)`, `arms ≤ 0.55 (its bottom 40%)`, `0.2 ≤ x ≤ 0.5 (between its 20% and 50% quantiles: 30% of its prior)`. */
export function limitWords(l: PrimLimit): string {
  const lq = l.lowerQuantile;
  const uq = l.upperQuantile;
  if (l.lower !== null && l.upper !== null)
    return `${value(l.lower)} ≤ ${l.input} ≤ ${value(l.upper)} (between its ${share(lq!)} and ${share(uq!)} quantiles: ${share(uq! - lq!)} of its prior)`;
  if (l.lower !== null) return `${l.input} ≥ ${value(l.lower)} (its top ${share(1 - lq!)})`;
  return `${l.input} ≤ ${value(l.upper!)} (its bottom ${share(uq!)})`;
}

/** The chosen box in one sentence: its restrictions joined by "and". */
export function boxWords(b: PrimBox): string {
  if (b.limits.length === 0) return 'every trial (no restriction)';
  return b.limits.map(limitWords).join(' and ');
}

function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return '';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function seedText(seed: number | string): string {
  return typeof seed === 'string' ? JSON.stringify(seed) : String(seed);
}

/** The trajectory boxes the table shows. */
function shownRows(d: Discovery): number[] {
  const last = d.trajectory.length - 1;
  const every = Math.max(1, Math.ceil(last / TABLE_ROWS));
  const rows = new Set<number>([0, d.chosen.index, last]);
  for (let i = every; i < last; i += every) rows.add(i);
  return [...rows].sort((a, b) => a - b);
}

/** What the case is, in words: `cooled by month 36 (Azerbaijan cools ties with Israel)`. */
function caseText(d: Discovery): string {
  const t = d.target;
  return t.kind === 'outcome' && t.label !== undefined ? `${t.text} (${t.label})` : t.text;
}

/** The discovery as text: what a case is, the trajectory, the chosen box in words, its limits. */
export function discoveryTable(d: Discovery, file: string, reproduce: string): string {
  const out: string[] = [];
  out.push(`Scenario discovery (PRIM): ${d.scenario.title}`);
  out.push(
    `Case: ${caseText(d)} — ${count(d.cases)} of ${count(d.trials)} trials (${percent(d.baseDensity)})`,
  );
  out.push('');
  const shown = shownRows(d);
  const all = shown.length === d.trajectory.length;
  out.push(
    `Peeling trajectory: ${d.trajectory.length} boxes (α = ${d.alpha}, down to ${percent(d.minSupport)} of the trials)` +
      (all ? '' : '; some shown, every box with --format json or csv'),
  );
  const t = new Table({
    head: ['box', 'mass', 'coverage', 'density', 'inputs', 'restricted since the row above'],
    style: { head: [], border: [], compact: true },
    colAligns: ['right', 'right', 'right', 'right', 'right', 'left'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  // Peeling only adds restrictions, so each row names the inputs new since the row above.
  let seen = new Set<string>();
  for (const i of shown) {
    const b = d.trajectory[i]!;
    const names = b.limits.map((l) => l.input);
    const added = names.filter((n) => !seen.has(n));
    seen = new Set(names);
    const text = added.length === 0 ? '' : `+ ${added.join(', ')}`;
    t.push([
      String(i),
      percent(b.mass),
      percent(b.coverage),
      percent(b.density),
      String(names.length),
      i === d.chosen.index ? `${text}${text === '' ? '' : '  '}◀ chosen` : text,
    ]);
  }
  out.push(t.toString());
  out.push(
    'mass: share of all trials in the box · coverage: share of all cases in the box · density: share of the box that is cases',
  );
  out.push('');

  const b = d.box;
  const chosen = d.trajectory[d.chosen.index]!;
  if (d.cases === 0) {
    out.push(`No trial is a case: there is nothing to concentrate. Try more --runs or another outcome.`);
  } else {
    out.push(`Chosen box (#${d.chosen.index}): ${ruleText(d, chosen)}`);
    out.push(`  ${boxWords(b)}`);
    out.push(
      `  It holds ${percent(b.mass)} of the trials (${count(b.support)}); ${percent(b.density)} of them are cases ` +
        `(against ${percent(d.baseDensity)} overall), and it holds ${percent(b.coverage)} of all cases.`,
    );
    if (b.limits.length > 0) {
      const limits = new Table({
        head: ['input', 'limit', 'of its prior', 'quasi-p'],
        style: { head: [], border: [], compact: true },
        colAligns: ['left', 'left', 'right', 'right'],
        chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      });
      for (const l of b.limits) {
        if (l.lower !== null)
          limits.push([
            l.input,
            `≥ ${value(l.lower)}`,
            `top ${share(1 - l.lowerQuantile!)}`,
            pValue(l.lowerP),
          ]);
        if (l.upper !== null)
          limits.push([
            l.input,
            `≤ ${value(l.upper)}`,
            `bottom ${share(l.upperQuantile!)}`,
            pValue(l.upperP),
          ]);
      }
      out.push(limits.toString());
      const weak = b.limits.flatMap((l) =>
        [l.lowerP, l.upperP].some((p) => p !== null && p !== undefined && p >= QUASI_P_SIGNIFICANT)
          ? [l.input]
          : [],
      );
      out.push(
        weak.length === 0
          ? b.limits.length === 1
            ? `The restriction is significant (quasi-p < ${QUASI_P_SIGNIFICANT}): dropping it would lower the box's density by more than chance explains.`
            : `Every restriction is significant (quasi-p < ${QUASI_P_SIGNIFICANT}): dropping any one of them would lower the box's density by more than chance explains.`
          : `Not significant (quasi-p ≥ ${QUASI_P_SIGNIFICANT}): ${weak.join(', ')}; without ${weak.length === 1 ? 'this restriction' : 'any one of these restrictions'} the box would be about as dense, so read ${weak.length === 1 ? 'it' : 'them'} as noise.`,
      );
    }
  }
  out.push('');
  out.push(`seed ${seedText(d.seed)} · ${count(d.runs)} trials · ${file}`);
  out.push(`reproduce: ${reproduce}`);
  return `${out.join('\n')}\n`;
}

function ruleText(d: Discovery, chosen: PrimBox): string {
  const pasted =
    d.chosen.pastes === 0
      ? ''
      : `; pasted ${d.chosen.pastes} time${d.chosen.pastes === 1 ? '' : 's'} (density ${percent(chosen.density)} → ${percent(d.box.density)}, coverage ${percent(chosen.coverage)} → ${percent(d.box.coverage)})`;
  if (d.chosen.rule === 'f1')
    return `the best balance of density and coverage (F1, their harmonic mean: ${boxF1(chosen).toFixed(3)})${pasted}`;
  const th = percent(d.threshold!);
  if (d.chosen.reached) return `the largest coverage at a density of at least ${th}${pasted}`;
  return `no box on the trajectory reaches a density of ${th}; this is the densest${pasted}`;
}

/** The trajectory as CSV, one row per box, then the chosen box after pasting (kind `chosen`). */
export function discoveryCsv(d: Discovery): string {
  const head = [
    'kind',
    'box',
    'mass',
    'coverage',
    'density',
    'support',
    'cases',
    'peeled',
    ...d.inputs.flatMap((n) => [`${n}_lower`, `${n}_upper`]),
  ];
  const row = (kind: string, b: PrimBox): string => {
    const limits = new Map(b.limits.map((l) => [l.input, l]));
    return [
      kind,
      b.index,
      b.mass,
      b.coverage,
      b.density,
      b.support,
      b.cases,
      b.peeled === undefined ? '' : `${b.peeled.input} ${b.peeled.end}`,
      ...d.inputs.flatMap((n) => {
        const l = limits.get(n);
        return [l?.lower ?? '', l?.upper ?? ''];
      }),
    ].join(',');
  };
  return `${[head.join(','), ...d.trajectory.map((b) => row('peel', b)), row('chosen', d.box)].join('\n')}\n`;
}
