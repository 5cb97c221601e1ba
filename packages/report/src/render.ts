import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { Spec } from './charts/figure.js';

/**
 * A Vega-Lite spec as an SVG string, rendered in Node by Vega's SVG renderer (no canvas, no browser,
 * no network: text widths are estimated, so the bytes do not depend on the machine's fonts). `prefix`
 * renames the SVG's ids (clip paths, gradients) to `prefix-1`, `prefix-2`, … in order of appearance,
 * so that several SVGs can sit in one page and the bytes do not depend on what was rendered before.
 */
export async function toSvg(spec: Spec, prefix: string): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: the spec is plain data checked by Vega-Lite itself
  const vega = compile(spec as any).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return renameIds(await view.toSVG(), prefix);
  } finally {
    view.finalize();
  }
}

/** Every `id="x"` → `id="prefix-n"`, and every reference to it (`url(#x)`, `href="#x"`). */
export function renameIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g))
    if (!names.has(m[1]!)) names.set(m[1]!, `${prefix}-${names.size + 1}`);
  if (names.size === 0) return svg;
  const rename = (id: string): string => names.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, a: string, id: string) => `${a}${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)"/g, (_, a: string, id: string) => `${a}#${rename(id)}"`);
}
