import { describe, expect, it } from 'vitest';
import { BLOCKS, SPARK_WIDTH, sparkline } from '../src/format/sparkline.js';

describe('sparkline', () => {
  it('draws one block per point, from the lowest to the highest, scaled to the top', () => {
    expect(sparkline([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1])).toBe(`▁${BLOCKS}`);
    expect(sparkline([0.1, 0.2], 0.2)).toBe('▄█');
    // A shared top keeps two curves comparable: half the top is half height.
    expect(sparkline([0.1, 0.1], 0.4)).toBe('▂▂');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });

  it('samples a long curve at evenly spaced points and always shows its end', () => {
    const curve = Array.from({ length: 36 }, (_, i) => (i + 1) / 36);
    const s = sparkline(curve);
    expect([...s]).toHaveLength(SPARK_WIDTH);
    expect(s.endsWith('█')).toBe(true);
    expect(s.startsWith('▁')).toBe(true);
    // Nondecreasing input, nondecreasing blocks.
    const levels = [...s].map((c) => BLOCKS.indexOf(c));
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThanOrEqual(levels[i - 1]!);
    expect(sparkline([])).toBe('');
  });
});
