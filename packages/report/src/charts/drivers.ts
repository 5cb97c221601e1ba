import type { Driver, RunResult, SobolIndicesResult } from '@entente/core';
import { points } from '../text.js';
import { type Figure, TITLE_ABOVE, topLevel } from './figure.js';

/**
 * The tornado of drivers: each interest or pressure's effect on P(primary) — P with its contribution
 * at the 90th percentile minus at the 10th, on the same trials — largest first, with paired 95%
 * intervals. Drivers fixed in the scenario (no spread) have no bar and are left out.
 */
export function driversChart(first: RunResult, drivers: readonly Driver[]): Figure {
  const shown = drivers
    .filter((d) => d.low !== d.high)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  const data = shown.map((d) => ({
    driver: d.label ? `${d.id} (${d.label})` : d.id,
    effect: d.effect * 100,
    lo: d.effectCi95[0] * 100,
    hi: d.effectCi95[1] * 100,
    way: d.effect >= 0 ? `raises P(${first.primary})` : `lowers P(${first.primary})`,
    text: points(d.effect),
  }));
  const xTitle = `Effect on P(${first.primary}), percentage points`;
  const yTitle = 'Interest or pressure';
  const y = { field: 'driver', type: 'nominal', title: yTitle, sort: null, axis: TITLE_ABOVE };
  const spec = topLevel({
    width: 420,
    height: Math.max(60, 24 * data.length),
    data: { values: data },
    layer: [
      {
        mark: { type: 'bar', height: 14 },
        encoding: {
          y,
          x: { field: 'effect', type: 'quantitative', title: xTitle },
          color: {
            field: 'way',
            type: 'nominal',
            title: null,
            scale: {
              domain: [`raises P(${first.primary})`, `lowers P(${first.primary})`],
              range: ['#e45756', '#4c78a8'],
            },
          },
        },
      },
      {
        mark: { type: 'rule', color: '#333' },
        encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
    ],
  });
  return {
    id: 'drivers',
    title: `What drives P(${first.primary}) in ${first.scenario.id}`,
    caption:
      `For each interest (what holds ties) and pressure (what pushes them apart), the bar is how much P(${first.primary}) changes ` +
      'when that input goes from its 10th to its 90th percentile, everything else the same (same trials); the black line is its 95% interval. Longest bars matter most.',
    spec,
    axes: [xTitle, yTitle],
  };
}

/** Sobol indices: each input's first-order (alone) and total (with interactions) share of the variance, with intervals. */
export function sobolChart(first: RunResult, sobol: SobolIndicesResult): Figure {
  const data = sobol.indices.flatMap((ix) => [
    {
      input: ix.name,
      index: 'first-order (alone)',
      v: ix.first.estimate,
      lo: ix.first.ci95[0],
      hi: ix.first.ci95[1],
    },
    {
      input: ix.name,
      index: 'total (with interactions)',
      v: ix.total.estimate,
      lo: ix.total.ci95[0],
      hi: ix.total.ci95[1],
    },
  ]);
  const xTitle = `Share of the variance of ${sobol.output.name}`;
  const yTitle = 'Input';
  const y = { field: 'input', type: 'nominal', title: yTitle, sort: null, axis: TITLE_ABOVE };
  const yOffset = { field: 'index', type: 'nominal', sort: null };
  const spec = topLevel({
    width: 420,
    height: Math.max(60, 30 * sobol.indices.length),
    data: { values: data },
    layer: [
      {
        mark: { type: 'bar', height: 10 },
        encoding: {
          y,
          yOffset,
          x: { field: 'v', type: 'quantitative', title: xTitle, axis: { format: '.0%' } },
          color: {
            field: 'index',
            type: 'nominal',
            title: 'Sobol index',
            sort: null,
            scale: { range: ['#4c78a8', '#9ecae9'] },
          },
        },
      },
      {
        mark: { type: 'rule', color: '#333' },
        encoding: { y, yOffset, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
    ],
  });
  return {
    id: 'sobol',
    title: `Which inputs matter for ${sobol.output.name} in ${first.scenario.id} (Sobol indices)`,
    caption:
      `The share of the trial-to-trial variance of ${sobol.output.name} that each input explains alone (first-order) and with its interactions (total), ` +
      `with bootstrap 95% intervals; ${(sobol.noise.estimate * 100).toFixed(0)}% is the trial's own chance (events and regimes), which no input explains.`,
    spec,
    axes: [xTitle, yTitle],
  };
}
