import type { CompiledModel, Param, Sampler, Simulation } from '@entente/core';
import { grid } from './histogram.js';
import type { ReportParam, ReportSource } from './input.js';
import type { Cite } from './provenance.js';

/** The grid of probabilities behind a value's histogram: q = 0, 1/200, …, 1 (min to max). */
export const VALUE_PROBS = grid(200);
/** The grid behind a param's density plot: its 0.5th to 99.5th percentiles (the tails would flatten it). */
export const PARAM_PROBS = grid(200, 0.005, 0.995);

/**
 * Each reported value's quantiles at the horizon on VALUE_PROBS, read from the run's quantile
 * sketches (each within the sketch's relative accuracy of a value seen at that rank) and its exact
 * min and max at the ends.
 */
export function valueQuantiles(model: CompiledModel, sim: Simulation): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  model.plan.reports.forEach((r, i) => {
    const t = sim.tallies.values[i]!;
    if (t.sketch.count === 0) return;
    out[r.name] = VALUE_PROBS.map((q) => (q === 0 ? t.min : q === 1 ? t.max : t.sketch.quantile(q)));
  });
  return out;
}

/** A random param's quantiles on PARAM_PROBS, by its sampler's inverse CDF: exact, no sampling. */
export function paramQuantiles(sampler: Sampler): number[] {
  return PARAM_PROBS.map((u) => sampler.quantile(u));
}

const CITE_KEYS = new Set(['dist', 'label', 'source', 'note', 'unit']);

/** A distribution as one line: `pert(min 0.2, mode 0.4, max 0.7)`; a number as itself. */
export function describeParam(p: Param): string {
  if (typeof p === 'number') return String(p);
  const args = Object.entries(p)
    .filter(([k]) => !CITE_KEYS.has(k))
    .map(([k, v]) => `${k} ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`);
  return `${p.dist}(${args.join(', ')})`;
}

/**
 * The provenance table's rows: every param of the model's scenario in its order, with its
 * distribution, label, unit, source (looked up in `sources`), note, and for a random param its
 * quantiles for a density plot. `set`: the params bound at run time (`--set`). `cites`: where the
 * params that the alliance vocabulary generated came from (`allianceCites` of the document).
 */
export function paramRows(
  model: CompiledModel,
  set: readonly string[] = [],
  cites: ReadonlyMap<string, Cite> = new Map(),
): ReportParam[] {
  const scenario = model.scenario;
  const samplers = new Map(model.plan.params.map((p) => [model.plan.slotNames[p.slot]!, p.sampler]));
  return Object.entries(scenario.params ?? {}).map(([name, p]) => {
    const cite: {
      label?: string | undefined;
      unit?: string | undefined;
      source?: string | undefined;
      note?: string | undefined;
    } = typeof p === 'number' ? {} : p;
    const sampler = samplers.get(name);
    const row: ReportParam = { name, distribution: describeParam(p) };
    const generated = cites.get(name);
    if (generated !== undefined) {
      row.context = generated.context;
      if (generated.inherited) row.inherited = true;
      if (cite.source === undefined && generated.source !== undefined)
        row.source = sourceOf(generated.source, scenario.sources);
      if (cite.note === undefined && generated.note !== undefined) row.note = generated.note;
    }
    if (cite.label !== undefined) row.label = cite.label;
    if (cite.unit !== undefined) row.unit = cite.unit;
    if (cite.source !== undefined) row.source = sourceOf(cite.source, scenario.sources);
    if (cite.note !== undefined) row.note = cite.note;
    if (set.includes(name)) row.set = true;
    if (sampler !== undefined && typeof p !== 'number' && p.dist !== 'constant')
      row.quantiles = paramQuantiles(sampler);
    return row;
  });
}

type Sources = NonNullable<CompiledModel['scenario']['sources']>;

function sourceOf(id: string, sources: Sources | undefined): ReportSource {
  const s = sources !== undefined && Object.hasOwn(sources, id) ? sources[id] : undefined;
  if (s === undefined) return { id };
  return {
    id,
    title: s.title,
    ...(s.publisher === undefined ? {} : { publisher: s.publisher }),
    ...(s.date === undefined ? {} : { date: String(s.date) }),
    ...(s.url === undefined ? {} : { url: s.url }),
  };
}
