import { differencesChart } from './charts/differences.js';
import { timeChart, valueChart } from './charts/distributions.js';
import { driversChart, sobolChart } from './charts/drivers.js';
import { fanChart } from './charts/fan.js';
import type { Figure } from './charts/figure.js';
import { paramChart } from './charts/params.js';
import { type RenderedFigure, reportHtml } from './html.js';
import type { ReportInput } from './input.js';
import { toSvg } from './render.js';

/** A report: the page, and every figure as SVG (for `--svg DIR`). */
export interface Report {
  html: string;
  figures: RenderedFigure[];
}

/** Every chart the report shows, as Vega-Lite specs, in the page's order. */
export function reportFigures(input: ReportInput): Figure[] {
  const scenarios = input.scenarios;
  if (scenarios.length === 0) throw new RangeError('a report needs at least one scenario');
  const results = scenarios.map((s) => s.result);
  const first = results[0]!;
  const figures: Figure[] = [fanChart(results)];
  const diffs = scenarios
    .slice(1)
    .flatMap((s) => (s.difference === undefined ? [] : [{ result: s.result, difference: s.difference }]));
  if (diffs.length > 0) figures.push(differencesChart(first, diffs));
  if (input.drivers?.some((d) => d.low !== d.high)) figures.push(driversChart(first, input.drivers));
  if (input.sobol !== undefined) figures.push(sobolChart(first, input.sobol));
  if (results.some((r) => (r.outcomes[first.primary]?.hits ?? 0) > 0)) figures.push(timeChart(results));
  const names = [...new Set(scenarios.flatMap((s) => Object.keys(s.valueQuantiles)))];
  for (const name of names)
    figures.push(
      valueChart(
        name,
        results,
        scenarios.map((s) => s.valueQuantiles[name]),
      ),
    );
  const shownParams = new Set<string>();
  const base = new Map(scenarios[0]!.params.map((p) => [p.name, p.distribution]));
  scenarios.forEach((s, i) => {
    for (const p of s.params) {
      // The other scenarios show only the params they change (as the page's tables do).
      if (i > 0 && base.get(p.name) === p.distribution && !p.set) continue;
      const f = paramChart(s.result.scenario.id, p);
      if (f !== undefined && !shownParams.has(f.id)) {
        shownParams.add(f.id);
        figures.push(f);
      }
    }
  });
  return figures;
}

/** Render every figure to SVG and assemble the page. Deterministic: the same input gives the same bytes. */
export async function buildReport(input: ReportInput): Promise<Report> {
  const figures: RenderedFigure[] = [];
  for (const f of reportFigures(input)) figures.push({ ...f, svg: await toSvg(f.spec, `fig-${slug(f.id)}`) });
  return { html: reportHtml(input, figures), figures };
}

/** An id safe in a file name and an SVG id: letters, digits, `-`, `_`, `.`. */
export function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_');
}
