// Regenerate (or, with --check, verify) the charts the flagship README embeds, made by
// `entente report --svg`: the fan chart of every variant its results table lists (the files of its
// `<!-- results: … -->` marker, in that order) and the drivers of the first (the baseline). They are
// written to scenarios/baku-israel/figures/. Uses the built CLI; tests/report-figures.test.ts runs
// the same check, so a stale figure fails the suite. Deterministic: fixed seed and runs, and Vega's
// SVG renderer estimates text widths without fonts, so the bytes do not depend on the machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/entente.mjs');
const PACK = join(root, 'scenarios/baku-israel');
export const FIGURES_DIR = join(PACK, 'figures');
/** The charts kept, by the id `entente report` gives them. */
export const KEPT = ['fan', 'drivers'];
const RUNS = '20000';
const SEED = '20241124';

/** The scenario files of the README's results marker, in its order. */
export function variants(readme = join(PACK, 'README.md')) {
  const m = /<!-- results: (.+?) -->/.exec(readFileSync(readme, 'utf8'));
  if (m === null) throw new Error(`${readme}: no <!-- results: … --> marker to take the variants from`);
  return m[1].split(/\s+/).filter((a) => a.endsWith('.yaml'));
}

/** The kept charts, freshly made: file name → SVG text. */
export function regenerateFigures() {
  const tmp = mkdtempSync(join(tmpdir(), 'entente-figures-'));
  try {
    const args = [
      bin,
      'report',
      ...variants(),
      '--runs',
      RUNS,
      '--seed',
      SEED,
      '--svg',
      tmp,
      '--out',
      join(tmp, 'report.html'),
      '--quiet',
    ];
    const r = spawnSync(process.execPath, args, { cwd: PACK, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`entente report failed in ${PACK}:\n${r.stderr}`);
    return new Map(KEPT.map((id) => [`${id}.svg`, readFileSync(join(tmp, `${id}.svg`), 'utf8')]));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  mkdirSync(FIGURES_DIR, { recursive: true });
  for (const [name, svg] of regenerateFigures()) {
    const path = join(FIGURES_DIR, name);
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {}
    if (old === svg) continue;
    if (check) {
      console.error(`${path} is stale (run: node scripts/report-figures.mjs)`);
      stale++;
    } else {
      writeFileSync(path, svg);
      console.log(`updated ${path}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
