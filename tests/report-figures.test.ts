import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// biome-ignore format: on one line, so that the directive below covers the module's path
// @ts-expect-error: a plain ES module script, shared with `node scripts/report-figures.mjs`
import { FIGURES_DIR, KEPT, regenerateFigures, variants } from '../scripts/report-figures.mjs';
import { ROOT } from './cli.js';

describe('the flagship README’s figures', () => {
  it('embeds every kept chart', () => {
    const readme = readFileSync(join(ROOT, 'scenarios/baku-israel/README.md'), 'utf8');
    for (const id of KEPT as string[]) expect(readme).toContain(`](figures/${id}.svg)`);
    // The fan chart covers every variant of the results table.
    expect((variants() as string[]).length).toBeGreaterThanOrEqual(12);
  });

  it('match a fresh `entente report --svg` of the variants, byte for byte', () => {
    const fresh = regenerateFigures() as Map<string, string>;
    expect([...fresh.keys()].sort()).toEqual((KEPT as string[]).map((id) => `${id}.svg`).sort());
    for (const [name, svg] of fresh) {
      expect(svg, `${name} is stale: run node scripts/report-figures.mjs`).toBe(
        readFileSync(join(FIGURES_DIR as string, name), 'utf8'),
      );
    }
    // One line (a group of its own) per variant in the fan chart.
    const fan = fresh.get('fan.svg')!;
    expect(fan.match(/<g class="mark-line role-mark/g)?.length).toBe((variants() as string[]).length);
  }, 180_000);
});
