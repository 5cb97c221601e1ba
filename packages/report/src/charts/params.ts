import { PARAM_PROBS } from '../collect.js';
import { histogram } from '../histogram.js';
import type { ReportParam } from '../input.js';
import { type Figure, topLevel } from './figure.js';

/** Bins of a param's density plot. */
export const PARAM_BINS = 40;

/** A small density plot of a random param (its 0.5th to 99.5th percentiles), for the provenance table. */
export function paramChart(scenario: string, p: ReportParam): Figure | undefined {
  if (p.quantiles === undefined) return undefined;
  const bins = histogram(p.quantiles, PARAM_PROBS, PARAM_BINS);
  const data =
    bins.length === 1
      ? [{ x: bins[0]!.x0, d: 1 }]
      : [
          ...bins.map((b) => ({ x: b.x0, d: b.density })),
          { x: bins[bins.length - 1]!.x1, d: bins[bins.length - 1]!.density },
        ];
  const spec = topLevel({
    width: 150,
    height: 34,
    data: { values: data },
    mark: {
      type: 'area',
      interpolate: 'step-after',
      color: '#4c78a8',
      opacity: 0.7,
      line: { color: '#2f5d8a', strokeWidth: 1 },
    },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: null,
        scale: { zero: false, nice: false },
        axis: { tickCount: 3, grid: false, labelFontSize: 9, labelFlush: true },
      },
      y: { field: 'd', type: 'quantitative', title: null, axis: null },
    },
  });
  return {
    id: `param-${scenario}-${p.name}`,
    title: p.name,
    caption: `${p.name}: ${p.distribution}`,
    spec,
    axes: [],
  };
}
