/** The eight block heights of a one-line chart. */
export const BLOCKS = '▁▂▃▄▅▆▇█';

/** The widest sparkline: a curve over more steps is sampled at this many evenly spaced steps. */
export const SPARK_WIDTH = 24;

/**
 * A one-line chart of a curve (▁▂▃▅▇█), one block per point: height ⌈8·v/top⌉ blocks (0 is the
 * lowest block), so curves drawn with the same `top` compare by eye. A curve longer than `width` is
 * sampled at `width` evenly spaced points ending at its last, so its end is always shown.
 */
export function sparkline(
  values: readonly number[],
  top = Math.max(...values, 0),
  width = SPARK_WIDTH,
): string {
  if (values.length === 0) return '';
  const n = Math.min(width, values.length);
  let out = '';
  for (let i = 1; i <= n; i++) {
    const v = values[Math.round((i * values.length) / n) - 1]!;
    const level = top > 0 && v > 0 ? Math.min(8, Math.ceil((8 * v) / top)) : 1;
    out += BLOCKS[Math.max(1, level) - 1];
  }
  return out;
}
