import type { RunResult } from '@entente/core';
import type { Figure } from './charts/figure.js';
import type { ReportInput, ReportParam, ReportScenario } from './input.js';
import { answerSentence } from './sentence.js';
import { STYLE } from './style.js';
import { count, escapeHtml as e, percent, units } from './text.js';

/** A figure with its SVG. */
export interface RenderedFigure extends Figure {
  svg: string;
}

/**
 * The page's Content Security Policy: nothing may be fetched (no script, font, image or style from
 * anywhere), only the inline stylesheet applies. The page needs nothing else: its charts are SVG.
 */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The report as one HTML page: everything inline, no script needed to read or print it. */
export function reportHtml(input: ReportInput, figures: readonly RenderedFigure[]): string {
  const scenarios = input.scenarios;
  const first = scenarios[0]!.result;
  const byId = new Map(figures.map((f) => [f.id, f]));
  const fig = (id: string): string => {
    const f = byId.get(id);
    return f === undefined ? '' : figureHtml(f);
  };
  const note = (k: keyof NonNullable<ReportInput['notes']>): string => {
    const n = input.notes?.[k];
    return n === undefined ? '' : `<p class="muted">${e(n)}</p>`;
  };
  const values = figures.filter((f) => f.id.startsWith('value-'));
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${e(`${input.manifest.engine.name} ${input.manifest.engine.version}`)}">`,
    `<title>${e(first.scenario.title)}</title>`,
    `<style>${STYLE}</style></head><body><main>`,
    `<header><h1>${e(first.scenario.title)}</h1>`,
    scenarios.length > 1
      ? `<p class="muted">Compared with: ${scenarios
          .slice(1)
          .map((s) => e(s.result.scenario.title))
          .join('; ')}.</p>`
      : '',
    scenarios[0]!.description === undefined ? '' : `<p>${e(scenarios[0]!.description)}</p>`,
    '</header>',
    '<section id="answer"><h2>The answer</h2>',
    `<p class="answer">${e(answerSentence(scenarios))}</p>`,
    `<p class="muted">The intervals are Monte Carlo uncertainty only: they say how precisely ${count(first.runs)} trials pin down the model's answer, not how right the model's assumptions are. Read every number as conditional on the inputs listed under <a href="#params">Inputs and their sources</a>.${
      input.manifest.given.length > 0
        ? ` Conditioned on what was observed: ${input.manifest.given.map((g) => `“${e(g)}”`).join(', ')}.`
        : ''
    }</p></section>`,
    `<section id="curve"><h2>${e(byId.get('fan')?.title ?? '')}</h2>${fig('fan')}${curveTable(scenarios)}</section>`,
    scenarios.length > 1
      ? `<section id="differences"><h2>${e(byId.get('differences')?.title ?? 'Differences')}</h2>${fig('differences')}${note('differences')}</section>`
      : '',
    byId.has('drivers') || input.notes?.drivers !== undefined
      ? `<section id="drivers"><h2>${e(byId.get('drivers')?.title ?? 'Drivers')}</h2>${fig('drivers')}${note('drivers')}</section>`
      : '',
    byId.has('sobol') || input.notes?.sobol !== undefined
      ? `<section id="sobol"><h2>${e(byId.get('sobol')?.title ?? 'Sobol indices')}</h2>${fig('sobol')}${note('sobol')}</section>`
      : '',
    byId.has('time-to-event')
      ? `<section id="timing"><h2>${e(byId.get('time-to-event')!.title)}</h2>${fig('time-to-event')}${timingTable(scenarios)}</section>`
      : '',
    values.length > 0
      ? `<section id="values"><h2>Values at ${e(first.horizon.unit)} ${first.horizon.steps}</h2><div class="grid">${values.map(figureHtml).join('')}</div><p class="muted">From the run's quantile sketches: each quantile is within 0.5% of a value seen at its rank.</p></section>`
      : '',
    `<section id="params"><h2>Inputs and their sources</h2>${paramsHtml(scenarios, byId)}</section>`,
    `<section id="manifest"><h2>How this was made</h2>${manifestHtml(input)}</section>`,
    '</main>',
    '</body></html>',
  ];
  return `${parts.filter((p) => p !== '').join('\n')}\n`;
}

function figureHtml(f: RenderedFigure): string {
  return `<figure data-figure="${e(f.id)}" role="group" aria-label="${e(f.title)}">${f.svg}<figcaption>${e(f.caption)}</figcaption></figure>`;
}

/** The curve's values by thirds of the horizon and at its end, per scenario: the chart's numbers as text. */
function curveTable(scenarios: readonly ReportScenario[]): string {
  const first = scenarios[0]!.result;
  const h = first.horizon.steps;
  const steps = [...new Set([1, 2, 3].map((k) => Math.max(1, Math.round((k * h) / 3))))];
  const head = `<tr><th>scenario</th>${steps.map((s) => `<th>by ${e(first.horizon.unit)} ${s}</th>`).join('')}</tr>`;
  const rows = scenarios.map((s) => {
    const o = s.result.outcomes[first.primary];
    const cells = steps.map((st) => {
      const x = o?.byStep[Math.min(st, o.byStep.length) - 1];
      return x === undefined
        ? '<td></td>'
        : `<td class="num">${percent(x.probability)} [${percent(x.ci95[0])}, ${percent(x.ci95[1])}]</td>`;
    });
    return `<tr><td>${e(s.result.scenario.id)}</td>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table><caption class="muted">P(${e(first.primary)} by then) [95% interval]</caption>${head}${rows.join('')}</table></div>`;
}

function timingTable(scenarios: readonly ReportScenario[]): string {
  const first = scenarios[0]!.result;
  const unit = first.horizon.unit;
  const rows = scenarios.map((s) => {
    const o = s.result.outcomes[first.primary];
    const t = o?.timeToEvent;
    const cell = (x: number | null | undefined): string =>
      `<td class="num">${x === null || x === undefined ? '—' : x}</td>`;
    const half = o?.medianTime ?? null;
    return `<tr><td>${e(s.result.scenario.id)}</td>${cell(t?.median)}${cell(t?.p10)}${cell(t?.p90)}<td>${half === null ? 'not within the horizon' : `${e(unit)} ${half}`}</td></tr>`;
  });
  return `<div class="scroll"><table><caption class="muted">Time to ${e(first.primary)} in ${e(units(unit, 2))}, among the trials where it happened</caption><tr><th>scenario</th><th>median</th><th>10th pct</th><th>90th pct</th><th>half of all trials by</th></tr>${rows.join('')}</table></div>`;
}

function sourceHtml(p: ReportParam): string {
  const s = p.source;
  if (s === undefined) return '';
  const title = s.title === undefined ? e(s.id) : `${e(s.title)}`;
  const rest = [s.publisher, s.date].filter((x) => x !== undefined).map((x) => e(x!));
  const link = s.url === undefined ? '' : ` <a href="${e(s.url)}">${e(s.url)}</a>`;
  return `<span title="${e(s.id)}">${title}</span>${rest.length > 0 ? ` <span class="muted">(${rest.join(', ')})</span>` : ''}${link}`;
}

/**
 * One row of the provenance table. `notes` maps a note already shown in this table to the param it
 * was shown with: an item's note (written once for an interest, a pressure or the decision rule) is
 * shown in full once, then referred to.
 */
function paramRow(
  scenario: string,
  p: ReportParam,
  byId: Map<string, RenderedFigure>,
  notes: Map<string, string>,
): string {
  const f = byId.get(`param-${scenario}-${p.name}`);
  const about = p.context ?? p.label;
  const name = `<code>${e(p.name)}</code>${about === undefined ? '' : `<br><span class="muted">${e(about)}</span>`}${p.set ? '<br><span class="set">set by --set</span>' : ''}`;
  const whole = p.inherited
    ? `<span class="muted">(for the ${e((p.context ?? '').split(' (')[0]!)} as a whole)</span> `
    : '';
  const dist = `${e(p.distribution)}${p.unit === undefined ? '' : ` <span class="muted">${e(p.unit)}</span>`}`;
  const shownWith = p.note === undefined ? undefined : notes.get(p.note);
  if (p.note !== undefined && shownWith === undefined) notes.set(p.note, p.name);
  const note =
    p.note === undefined
      ? ''
      : shownWith !== undefined
        ? `<span class="muted">The note on <code>${e(shownWith)}</code> above.</span>`
        : `${p.source === undefined ? whole : ''}${e(p.note)}`;
  return `<tr data-param="${e(p.name)}"><td>${name}</td><td>${dist}</td><td class="density">${f === undefined ? '' : f.svg}</td><td>${p.source === undefined ? '' : whole}${sourceHtml(p)}</td><td class="note">${note}</td></tr>`;
}

const PARAM_HEAD = '<tr><th>param</th><th>distribution</th><th>density</th><th>source</th><th>note</th></tr>';

function paramTable(
  scenario: string,
  params: readonly ReportParam[],
  byId: Map<string, RenderedFigure>,
): string {
  const notes = new Map<string, string>();
  return `<div class="scroll"><table>${PARAM_HEAD}${params.map((p) => paramRow(scenario, p, byId, notes)).join('')}</table></div>`;
}

/** The provenance table of the first scenario, then, for each other, the params it changes. */
function paramsHtml(scenarios: readonly ReportScenario[], byId: Map<string, RenderedFigure>): string {
  const first = scenarios[0]!;
  const id = first.result.scenario.id;
  const out = [
    `<p class="muted">Every input of ${e(id)}: its distribution (drawn once per trial; a number is fixed), where its 0.5th–99.5th percentiles lie, the source it cites and the author's note. A value with no source is a judgement; its note says why.</p>`,
    paramTable(id, first.params, byId),
  ];
  const base = new Map(first.params.map((p) => [p.name, p.distribution]));
  for (const s of scenarios.slice(1)) {
    const sid = s.result.scenario.id;
    const changed = s.params.filter((p) => base.get(p.name) !== p.distribution || p.set);
    out.push(`<h3>What ${e(sid)} changes</h3>`);
    out.push(
      changed.length === 0
        ? '<p class="muted">No param: it differs in its events, regimes or other sections.</p>'
        : paramTable(sid, changed, byId),
    );
  }
  return out.join('');
}

function manifestHtml(input: ReportInput): string {
  const m = input.manifest;
  const rows: [string, string][] = [
    ['engine', `${e(m.engine.name)} ${e(m.engine.version)}`],
    ...input.scenarios.map((s): [string, string] => [
      'scenario',
      `<code>${e(s.file)}</code> — ${e(s.result.scenario.id)}, hash <code>${e(s.result.scenario.hash)}</code>`,
    ]),
    ['seed', `<code>${e(String(m.seed))}</code>`],
    [
      'trials',
      `${count(m.runs)} per scenario${input.scenarios.length > 1 ? ', the same trials for every scenario (common random numbers)' : ''}`,
    ],
    ['horizon', horizonText(input.scenarios.map((s) => s.result))],
    ...(m.given.length > 0
      ? [['given', m.given.map((g) => `<code>${e(g)}</code>`).join(', ')] as [string, string]]
      : []),
    ...(m.set.length > 0
      ? [['set', m.set.map((g) => `<code>${e(g)}</code>`).join(', ')] as [string, string]]
      : []),
    ['generated', e(m.date)],
    ['reproduce', `<code>${e(m.command)}</code>`],
  ];
  return `<dl class="manifest">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/** `36 months from 2024-11`; scenarios that start on different dates each with their own start. */
function horizonText(results: readonly RunResult[]): string {
  const first = results[0]!;
  const span = `${first.horizon.steps} ${e(units(first.horizon.unit, first.horizon.steps))}`;
  const start = (r: RunResult): string => (r.horizon.start === undefined ? '' : String(r.horizon.start));
  if (new Set(results.map(start)).size <= 1)
    return first.horizon.start === undefined ? span : `${span} from ${e(start(first))}`;
  return `${span} from each scenario's start: ${results.map((r) => `${e(r.scenario.id)} ${e(start(r) || 'step 0')}`).join('; ')}`;
}
