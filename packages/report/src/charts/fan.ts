import type { RunResult } from '@entente/core';
import { capital, percent, units } from '../text.js';
import { type Figure, palette, topLevel } from './figure.js';

/**
 * The x axis's title: `Month`, or with a start date `Months from 2024-11`; when the scenarios start
 * on different dates, `Months from each scenario's start` (the manifest lists each start).
 */
export function stepTitle(results: readonly RunResult[]): string {
  const r = results[0]!;
  const unit = r.horizon.unit;
  const starts = new Set(results.map((x) => (x.horizon.start === undefined ? '' : String(x.horizon.start))));
  if (starts.size > 1) return `${capital(units(unit, 2))} from each scenario's start`;
  return r.horizon.start === undefined ? capital(unit) : `${capital(units(unit, 2))} from ${r.horizon.start}`;
}

/**
 * Label heights for values at the same x: each label at its value, moved up just enough to stay
 * `gap` above the one below it (labels sorted by value). Returns them in the input order.
 */
export function spreadLabels(values: readonly number[], gap: number): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const out = new Array<number>(values.length);
  let below = Number.NEGATIVE_INFINITY;
  for (const { v, i } of order) {
    const y = Math.max(v, below + gap);
    out[i] = y;
    below = y;
  }
  return out;
}

/**
 * The fan chart: P(the first scenario's primary outcome by step) for every scenario, a line with its
 * Wilson 95% band, from step 0 (where it is 0) to the horizon, where each value is labelled.
 */
export function fanChart(all: readonly RunResult[]): Figure {
  const first = all[0]!;
  // Every line is the first scenario's primary outcome; a scenario without it has no line.
  const results = all.filter((r) => Object.hasOwn(r.outcomes, first.primary));
  const ids = results.map((r) => r.scenario.id);
  const rows = results.flatMap((r) => {
    const o = r.outcomes[first.primary]!;
    return [
      { scenario: r.scenario.id, step: 0, p: 0, lo: 0, hi: 0 },
      ...o.byStep.map((s) => ({
        scenario: r.scenario.id,
        step: s.step,
        p: s.probability,
        lo: s.ci95[0],
        hi: s.ci95[1],
      })),
    ];
  });
  const top = Math.max(...rows.map((x) => x.hi), 0.01);
  const ends = results.map((r) => r.outcomes[first.primary]!.probability);
  const heights = spreadLabels(ends, top * 0.055);
  const labels = results.map((r, i) => ({
    scenario: r.scenario.id,
    step: r.horizon.steps,
    y: heights[i]!,
    text: percent(ends[i]!),
  }));
  const yTitle = `P(${first.primary} by then)`;
  const xTitle = stepTitle(results);
  const color = {
    field: 'scenario',
    type: 'nominal',
    title: 'Scenario',
    scale: { domain: ids, scheme: palette(ids.length) },
  };
  const x = {
    field: 'step',
    type: 'quantitative',
    title: xTitle,
    scale: { domain: [0, first.horizon.steps], nice: false },
  };
  const spec = topLevel({
    width: 560,
    height: 300,
    padding: { left: 5, top: 8, bottom: 8, right: 48 },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'area', fillOpacity: 0.16 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
      },
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: 'p',
            type: 'quantitative',
            title: yTitle,
            axis: { format: '.0%' },
            scale: { domain: [0, Math.min(1, top * 1.08)] },
          },
          color,
        },
      },
      {
        data: { values: labels },
        mark: { type: 'text', align: 'left', dx: 5, fontSize: 11, fontWeight: 'bold' },
        encoding: {
          x: { field: 'step', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          text: { field: 'text' },
          color,
        },
      },
    ],
  });
  const h = first.horizon.steps;
  return {
    id: 'fan',
    title: `P(${first.primary}) by ${first.horizon.unit}, with 95% bands`,
    caption:
      `Each line is the share of simulated trials in which ${first.primary} has happened by that ${first.horizon.unit}; ` +
      `the shaded band around it is its 95% interval (Monte Carlo uncertainty only). The number at the right end is the value at ${first.horizon.unit} ${h}.`,
    spec,
    axes: [xTitle, yTitle],
  };
}
