/** A Vega-Lite spec as plain data (the report never needs more of its type than that). */
export type Spec = Record<string, unknown>;

/** One chart of the report: its spec, and the words around it. */
export interface Figure {
  /** File name without `.svg` (`fan`, `drivers`, `value-tie`, `param-oil_share`). */
  id: string;
  title: string;
  /** How to read it, in a sentence or two. */
  caption: string;
  spec: Spec;
  /** The axis titles the chart must show (the browser test checks them). */
  axes: string[];
}

/** Colours for scenarios, in order: Tableau 10, or Tableau 20 beyond ten. */
export function palette(n: number): string {
  return n <= 10 ? 'tableau10' : 'tableau20';
}

/** What every chart shares: font, sizes, a white background (prints and embeds the same). */
export const CONFIG = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', grid: true, gridColor: '#eee' },
  legend: {
    labelFontSize: 11,
    titleFontSize: 11,
    orient: 'bottom',
    direction: 'horizontal',
    columns: 2,
    labelLimit: 0,
    symbolLimit: 0,
  },
  title: { fontSize: 13, anchor: 'start' },
  view: { stroke: null },
} as const;

/** A top-level spec with the shared config and schema. */
export function topLevel(spec: Spec): Spec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, ...spec };
}

/**
 * A category axis with long labels: labels in full, and its title above the axis, level, ending at
 * it. Vega places a side title by its estimate of the labels' width (it has no fonts in Node), which
 * can put it over labels it underestimates.
 */
export const TITLE_ABOVE = {
  labelLimit: 0,
  titleAngle: 0,
  titleAlign: 'right',
  titleBaseline: 'bottom',
  titleX: 0,
  titleY: -6,
} as const;
