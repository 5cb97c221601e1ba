import type { RunResult } from '@entente/core';
import { VALUE_PROBS } from '../collect.js';
import { histogram } from '../histogram.js';
import { stepTitle } from './fan.js';
import { type Figure, palette, topLevel } from './figure.js';

/** P(the event at step s | it happened by the horizon): increments of the cumulative curve over its end. */
export function timeShares(r: RunResult, outcome = r.primary): { step: number; share: number }[] {
  const curve = r.outcomes[outcome]?.byStep ?? [];
  const end = curve[curve.length - 1]?.probability ?? 0;
  if (!(end > 0)) return [];
  return curve.map((s, i) => ({
    step: s.step,
    share: (s.probability - (i === 0 ? 0 : curve[i - 1]!.probability)) / end,
  }));
}

/** When the event happens, among trials where it did: the share of them at each step, per scenario. */
export function timeChart(results: readonly RunResult[]): Figure {
  const first = results[0]!;
  const ids = results.map((r) => r.scenario.id);
  const data = results.flatMap((r) =>
    timeShares(r, first.primary).map((t) => ({ scenario: r.scenario.id, ...t })),
  );
  const xTitle = stepTitle(results);
  const yTitle = 'Share of these trials';
  const spec = topLevel({
    width: 560,
    height: 240,
    data: { values: data },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
    encoding: {
      x: {
        field: 'step',
        type: 'quantitative',
        title: xTitle,
        scale: { domain: [1, first.horizon.steps + 1], nice: false },
      },
      y: { field: 'share', type: 'quantitative', title: yTitle, axis: { format: '.0%' } },
      color: {
        field: 'scenario',
        type: 'nominal',
        title: 'Scenario',
        scale: { domain: ids, scheme: palette(ids.length) },
      },
    },
  });
  return {
    id: 'time-to-event',
    title: `When ${first.primary} happens, among the trials where it does`,
    caption: `Of the trials in which ${first.primary} happened within the horizon, the share in which it first happened in each ${first.horizon.unit}.`,
    spec,
    axes: [xTitle, yTitle],
  };
}

/** Bins of value histograms. */
export const VALUE_BINS = 30;

/** Histograms of one reported value at the horizon, one per scenario, on shared bins. */
export function valueChart(
  name: string,
  results: readonly RunResult[],
  quantiles: readonly (number[] | undefined)[],
): Figure {
  const first = results[0]!;
  const ids = results.map((r) => r.scenario.id);
  const present = quantiles.flatMap((q) => (q === undefined ? [] : [q]));
  const lo = Math.min(...present.map((q) => q[0]!));
  const hi = Math.max(...present.map((q) => q[q.length - 1]!));
  const data = results.flatMap((r, i) => {
    const q = quantiles[i];
    if (q === undefined) return [];
    const bins = histogram(q, VALUE_PROBS, VALUE_BINS, [lo, hi]);
    // The last bin's share is repeated at its right edge, so that a step line closes it.
    const last = bins[bins.length - 1]!;
    return [
      ...bins.map((b) => ({ scenario: r.scenario.id, x: b.x0, share: b.share })),
      { scenario: r.scenario.id, x: last.x1, share: last.share },
    ];
  });
  const xTitle = `${name} at ${first.horizon.unit} ${first.horizon.steps}`;
  const yTitle = 'Share of trials';
  const color = {
    field: 'scenario',
    type: 'nominal',
    title: 'Scenario',
    scale: { domain: ids, scheme: palette(ids.length) },
  };
  const x = { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false, nice: false } };
  const spec = topLevel({
    width: 260,
    height: 140,
    data: { values: data },
    layer: [
      {
        mark: { type: 'area', interpolate: 'step-after', opacity: 0.18 },
        encoding: { x, y: { field: 'share', type: 'quantitative', stack: null }, color },
      },
      {
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.4 },
        encoding: {
          x,
          y: { field: 'share', type: 'quantitative', stack: null, title: yTitle, axis: { format: '.0%' } },
          color,
        },
      },
    ],
  });
  return {
    id: `value-${name}`,
    title: `${name} at the horizon`,
    caption: `How ${name} is spread across trials at ${first.horizon.unit} ${first.horizon.steps}: the share of trials in each of ${VALUE_BINS} equal bins.`,
    spec,
    axes: [xTitle, yTitle],
  };
}
