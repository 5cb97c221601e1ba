import type { MorrisResult, SobolIndex, SobolIndicesResult, SobolShare, TornadoResult } from '@entente/core';
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { count, percent, value } from './numbers.js';

export type SensitivityResult = SobolIndicesResult | MorrisResult | TornadoResult;
export type SensitivityFormat = 'table' | 'json' | 'csv';

/** A result and what the reader needs to place it: the scenario, its horizon, how to reproduce it. */
export interface SensitivityReport {
  file: string;
  scenario: { id: string; title: string; hash: string };
  horizon: { steps: number; unit: string };
  engine: { name: string; version: string };
  result: SensitivityResult;
  /** The command line that gives this result again. */
  reproduce: string;
}

export function formatSensitivity(r: SensitivityReport, format: SensitivityFormat, c: Colors): string {
  if (format === 'json') {
    const { result, ...rest } = r;
    return `${JSON.stringify({ ...rest, ...result }, null, 2)}\n`;
  }
  if (format === 'csv') return sensitivityCsv(r.result);
  const body =
    r.result.method === 'sobol'
      ? sobolTable(r, r.result, c)
      : r.result.method === 'morris'
        ? morrisTable(r, r.result, c)
        : tornadoTable(r, r.result, c);
  return `${[...body, '', c.dim(`scenario ${r.scenario.id} (hash ${r.scenario.hash}) · ${r.engine.name} ${r.engine.version}`), c.dim(`reproduce: ${r.reproduce}`)].join('\n')}\n`;
}

/** `P(cooled by month 36)` or `tie at month 36`. */
function what(r: SensitivityReport, result: SensitivityResult): string {
  const at = `${r.horizon.unit} ${r.horizon.steps}`;
  return result.output.kind === 'outcome'
    ? `P(${result.output.name} by ${at})`
    : `${result.output.name} at ${at}`;
}

function table(head: string[], align: ('left' | 'right')[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: align,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

/** Three decimals, and no "-0.000" for a small negative estimate. */
const f3 = (x: number): string => {
  if (!Number.isFinite(x)) return '—';
  const r = Math.round(x * 1000) / 1000;
  return (r === 0 ? 0 : r).toFixed(3);
};
const ci = (x: SobolShare): string => `[${f3(x.ci95[0])}, ${f3(x.ci95[1])}]`;
const share = (s: SobolShare): string => `${f3(s.estimate)} [${f3(s.ci95[0])}, ${f3(s.ci95[1])}]`;
/** An input, with its params when it stands for several. */
const named = (i: { name: string; params: readonly string[] }): string =>
  i.params.length === 1 && i.params[0] === i.name ? i.name : `${i.name} (${i.params.join(', ')})`;

function sobolTable(r: SensitivityReport, s: SobolIndicesResult, c: Colors): string[] {
  const isP = s.output.kind === 'outcome';
  const out = [c.bold(`Sobol indices of ${what(r, s)} — ${r.scenario.title}`)];
  out.push(
    isP
      ? `P = ${percent(s.mean)}; the indices apportion Var(1[${s.output.name}]) = p(1 − p) = ${value(s.variance)}.`
      : `mean ${value(s.mean)}; the indices apportion its variance, ${value(s.variance)}.`,
    '',
  );
  const indexTable = (pick: (i: SobolIndex) => { first: SobolShare; total: SobolShare } | undefined) => {
    const t = table(
      ['input', 'first-order S', '95% CI', 'total S_T', '95% CI'],
      ['left', 'right', 'left', 'right', 'left'],
    );
    for (const i of s.indices) {
      const x = pick(i);
      t.push(
        x === undefined
          ? [named(i), '—', '', '—', '']
          : [named(i), f3(x.first.estimate), ci(x.first), f3(x.total.estimate), ci(x.total)],
      );
    }
    return t.toString();
  };
  out.push(indexTable((i) => i));
  const sum = s.indices.reduce((a, i) => a + i.first.estimate, 0);
  out.push(
    `Aleatory noise (every param held; events, regimes and draws re-drawn): ${share(s.noise)} of the variance.`,
  );
  if (s.unselected.length > 0)
    out.push(
      `The inputs together (closed index): ${share(s.closed)}; not among the inputs: ${s.unselected.join(', ')}.`,
    );
  out.push(`Σ first-order = ${f3(sum)}. S_T − S is interaction, with other inputs and with the noise.`);
  const m = isP ? `P(${s.output.name} | params)` : `E[${s.output.name} | params]`;
  if (s.noise.estimate > 0 && s.indices.some((i) => i.conditional !== undefined)) {
    out.push(
      '',
      c.bold(`The same indices of ${m}`) +
        c.dim(` — the ${f3(1 - s.noise.estimate)} of the variance the params explain, noise removed`),
      indexTable((i) => i.conditional),
    );
  } else if (s.noise.estimate > 0) {
    out.push(
      c.dim(
        `The params explain too little of the variance to apportion ${m} at this N: raise --runs for it.`,
      ),
    );
  }
  out.push(
    '',
    c.dim(
      `N = ${count(s.runs)} trials per matrix × ${s.trials / s.runs} matrices = ${count(s.trials)} trials · ${s.resamples} bootstrap resamples (percentile 95% intervals) · seed ${String(s.seed)}`,
    ),
  );
  return out;
}

function morrisTable(r: SensitivityReport, m: MorrisResult, c: Colors): string[] {
  const isP = m.output.kind === 'outcome';
  const fmt = (x: number): string => (isP ? f3(x) : value(x));
  const out = [c.bold(`Morris elementary effects on ${what(r, m)} — ${r.scenario.title}`)];
  out.push(
    `An effect is the change in ${isP ? 'P' : m.output.name} when an input moves from its u- to its (u ± ${m.delta})-quantile, divided by ${m.delta}.`,
    '',
  );
  const t = table(['input', 'μ*', '95% CI', 'μ', 'σ'], ['left', 'right', 'left', 'right', 'right']);
  for (const e of m.effects)
    t.push([
      named(e),
      fmt(e.muStar),
      `[${fmt(e.muStarCi95[0])}, ${fmt(e.muStarCi95[1])}]`,
      fmt(e.mu),
      fmt(e.sigma),
    ]);
  out.push(
    t.toString(),
    '',
    'μ*: how much the input matters; μ: which way (sign); σ: nonlinearity or interactions.',
    '',
    c.dim(
      `r = ${m.trajectories} trajectories × ${m.levels} levels: ${count(m.points)} design points × ${count(m.runs)} trials = ${count(m.trials)} trials · seed ${String(m.seed)}`,
    ),
  );
  return out;
}

function tornadoTable(r: SensitivityReport, t: TornadoResult, c: Colors): string[] {
  const isP = t.output.kind === 'outcome';
  const est = (x: number): string => (isP ? percent(x) : value(x));
  const diff = (x: number): string =>
    isP ? `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)} pts` : `${x > 0 ? '+' : ''}${value(x)}`;
  const lo = `${Math.round(t.low * 100)}th pct`;
  const hi = `${Math.round(t.high * 100)}th pct`;
  const out = [c.bold(`Tornado of ${what(r, t)} — ${r.scenario.title}`)];
  out.push(`Baseline (every param drawn as in the scenario): ${est(t.baseline)}.`, '');
  const tab = table(
    [
      'input',
      `at its ${lo}`,
      isP ? 'P' : 'value',
      `at its ${hi}`,
      isP ? 'P' : 'value',
      'difference',
      '95% CI',
    ],
    ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  const at = (values: Record<string, number>): string => {
    const entries = Object.entries(values);
    return entries.length === 1
      ? value(entries[0]![1])
      : entries.map(([k, v]) => `${k}=${value(v)}`).join(', ');
  };
  for (const b of t.bars) {
    tab.push([
      b.name,
      at(b.low.values),
      est(b.low.estimate),
      at(b.high.values),
      est(b.high.estimate),
      diff(b.difference),
      `[${diff(b.ci95[0])}, ${diff(b.ci95[1])}]`,
    ]);
  }
  out.push(
    tab.toString(),
    '',
    c.dim(
      `${count(t.runs)} trials per end, the same trials at every end and for the baseline: ${count(t.trials)} trials · seed ${String(t.seed)}`,
    ),
  );
  return out;
}

const csvField = (x: string | number): string => {
  const s = String(x);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csvLine = (fields: (string | number)[]): string => fields.map(csvField).join(',');

/** One row per input (for Sobol, also the noise and the inputs together); full precision. */
export function sensitivityCsv(r: SensitivityResult): string {
  const rows: (string | number)[][] = [];
  if (r.method === 'sobol') {
    const cols = ['first', 'total', 'cond_first', 'cond_total'].flatMap((x) => [x, `${x}_lo`, `${x}_hi`]);
    rows.push(['input', 'params', ...cols]);
    const cells = (x: SobolShare | undefined): (string | number)[] =>
      x === undefined ? ['', '', ''] : [x.estimate, ...x.ci95];
    const none = cells(undefined);
    for (const i of r.indices)
      rows.push([
        i.name,
        i.params.join(' '),
        ...cells(i.first),
        ...cells(i.total),
        ...cells(i.conditional?.first),
        ...cells(i.conditional?.total),
      ]);
    rows.push(['(aleatory noise)', '', ...none, ...cells(r.noise), ...none, ...none]);
    rows.push(['(inputs together)', '', ...cells(r.closed), ...none, ...none, ...none]);
  } else if (r.method === 'morris') {
    rows.push(['input', 'params', 'mu_star', 'mu_star_lo', 'mu_star_hi', 'mu', 'sigma']);
    for (const e of r.effects)
      rows.push([e.name, e.params.join(' '), e.muStar, ...e.muStarCi95, e.mu, e.sigma]);
  } else {
    rows.push([
      'input',
      'params',
      'low',
      'high',
      'difference',
      'ci_lo',
      'ci_hi',
      'low_values',
      'high_values',
    ]);
    const values = (v: Record<string, number>): string =>
      Object.entries(v)
        .map(([k, x]) => `${k}=${x}`)
        .join(' ');
    for (const b of r.bars)
      rows.push([
        b.name,
        b.params.join(' '),
        b.low.estimate,
        b.high.estimate,
        b.difference,
        ...b.ci95,
        values(b.low.values),
        values(b.high.values),
      ]);
  }
  return `${rows.map(csvLine).join('\n')}\n`;
}
