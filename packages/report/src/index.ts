// @entente/report: run results → Vega-Lite specs → SVG → one self-contained HTML page. Pure apart
// from Vega's rendering (no I/O); the CLI's `entente report` reads files, runs and writes.

export { differencesChart } from './charts/differences.js';
export { timeChart, timeShares, valueChart } from './charts/distributions.js';
export { driversChart, sobolChart } from './charts/drivers.js';
export { fanChart, spreadLabels } from './charts/fan.js';
export type { Figure, Spec } from './charts/figure.js';
export { paramChart } from './charts/params.js';
export {
  describeParam,
  PARAM_PROBS,
  paramQuantiles,
  paramRows,
  VALUE_PROBS,
  valueQuantiles,
} from './collect.js';
export { type Bin, grid, histogram } from './histogram.js';
export { CSP, type RenderedFigure, reportHtml } from './html.js';
export type { ReportInput, ReportManifest, ReportParam, ReportScenario, ReportSource } from './input.js';
export { allianceCites, type Cite } from './provenance.js';
export { renameIds, toSvg } from './render.js';
export { buildReport, type Report, reportFigures, slug } from './report.js';
export { answerSentence } from './sentence.js';
