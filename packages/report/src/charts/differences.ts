import type { RunResult } from '@entente/core';
import { points, units } from '../text.js';
import { type Figure, TITLE_ABOVE, topLevel } from './figure.js';

export interface DifferenceRow {
  result: RunResult;
  difference: { estimate: number; ci95: [number, number] };
}

/** Each scenario's paired difference from the first in P(primary by the horizon), with its interval. */
export function differencesChart(first: RunResult, rows: readonly DifferenceRow[]): Figure {
  const h = first.horizon.steps;
  const data = rows.map((r) => ({
    scenario: r.result.scenario.id,
    d: r.difference.estimate * 100,
    lo: r.difference.ci95[0] * 100,
    hi: r.difference.ci95[1] * 100,
    text: points(r.difference.estimate),
  }));
  const xTitle = `Difference from ${first.scenario.id} in P(${first.primary} within ${h} ${units(first.horizon.unit, h)}), percentage points`;
  const yTitle = 'Scenario';
  const y = { field: 'scenario', type: 'nominal', title: yTitle, sort: null, axis: TITLE_ABOVE };
  const x = { field: 'd', type: 'quantitative', title: xTitle };
  const spec = topLevel({
    width: 560,
    height: Math.max(60, 28 * data.length),
    padding: { left: 5, top: 8, bottom: 8, right: 56 },
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: '#888', strokeDash: [4, 3] },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
      {
        data: { values: data },
        mark: { type: 'rule', strokeWidth: 2, color: '#4c78a8' },
        encoding: { y, x: { field: 'lo', type: 'quantitative', title: xTitle }, x2: { field: 'hi' } },
      },
      {
        data: { values: data },
        mark: { type: 'point', filled: true, size: 60, color: '#4c78a8' },
        encoding: { y, x },
      },
      {
        data: { values: data },
        mark: { type: 'text', align: 'left', dx: 6, baseline: 'middle', fontSize: 11 },
        encoding: { y, x: { field: 'hi', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  });
  return {
    id: 'differences',
    title: `Difference from ${first.scenario.id}, on the same trials`,
    caption:
      `Each dot is a scenario's P(${first.primary}) minus ${first.scenario.id}'s, in percentage points; the bar is its paired 95% interval. ` +
      'All scenarios ran on the same simulated trials, so these intervals are much narrower than the bands of the fan chart. A bar that does not cross the dashed zero line is a difference larger than the simulation’s own noise (still conditional on the model’s assumptions).',
    spec,
    axes: [xTitle, yTitle],
  };
}
