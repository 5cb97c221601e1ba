import type { ReportScenario } from './input.js';
import { percent, points, units } from './text.js';

/**
 * The answer in one sentence: P(primary within the horizon) with its 95% interval in the first
 * scenario, and in each other one with its paired difference when there is one.
 */
export function answerSentence(scenarios: readonly ReportScenario[]): string {
  const first = scenarios[0]!.result;
  const o = first.outcomes[first.primary]!;
  const h = first.horizon.steps;
  const what = o.label ?? first.primary;
  const within = `within ${h} ${units(first.horizon.unit, h)}`;
  const est = (p: number, ci: readonly [number, number]): string =>
    `${percent(p)} (95% interval ${percent(ci[0])} to ${percent(ci[1])})`;
  const head = `${capitalFirst(what)} ${within}: ${est(o.probability, o.ci95)} of ${first.runs.toLocaleString('en-US')} simulated trials in ${first.scenario.id}`;
  if (scenarios.length === 1) return `${head}.`;
  const others = scenarios.slice(1).map((s) => {
    const r = s.result;
    const p = r.outcomes[first.primary];
    if (p === undefined) return `${r.scenario.id} has no outcome ${first.primary}`;
    const d = s.difference;
    const diff =
      d === undefined
        ? ''
        : `, ${points(d.estimate)} from ${first.scenario.id} (paired 95% interval ${points(d.ci95[0])} to ${points(d.ci95[1])})`;
    return `${est(p.probability, p.ci95)} in ${r.scenario.id}${diff}`;
  });
  return `${head}; ${others.join('; ')}.`;
}

const capitalFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
