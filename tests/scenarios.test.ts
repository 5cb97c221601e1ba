import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// biome-ignore format: on one line, so that the directive below covers the module's path
// @ts-expect-error: a plain ES module script, shared with `pnpm scenarios:tables`
import { backtestReadmes, calibrateReadmes, experimentReadmes, packReadmes, regenerate, regenerateBacktests, regenerateCalibrations, regenerateExperiments } from '../scripts/scenario-tables.mjs';
import { entente, ROOT } from './cli.js';

const packs = readdirSync(join(ROOT, 'scenarios'), { withFileTypes: true }).filter((d) => d.isDirectory());
const yamlFiles = packs.flatMap((p) =>
  readdirSync(join(ROOT, 'scenarios', p.name))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('scenarios', p.name, f)),
);
// Backtest files (a template and episodes) sit beside the scenarios of a reference-class pack.
const isBacktest = (f: string): boolean => /^template:/m.test(readFileSync(join(ROOT, f), 'utf8'));
const files = yamlFiles.filter((f) => !isBacktest(f));
const backtests = yamlFiles.filter(isBacktest);

describe('scenario packs', () => {
  it('every scenario validates', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    const r = entente(['validate', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each(files)('%s runs', (file) => {
    const r = entente(['run', file, '--runs', '500', '--no-drivers', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.outcomes[j.primary].probability).toBeGreaterThanOrEqual(0);
  });

  it.each(backtests)('%s backtests', (file) => {
    const r = entente(['backtest', file, '--runs', '500', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.scores.brier).toBeGreaterThanOrEqual(0);
    expect(j.episodes.length).toBeGreaterThan(5);
  });

  it('Turkish escalation raises P(cool) and a durable ceasefire lowers it, with paired intervals that exclude zero', () => {
    const dir = 'scenarios/baku-israel';
    const r = entente([
      'compare',
      `${dir}/baseline.yaml`,
      `${dir}/turkish-escalation.yaml`,
      `${dir}/gaza-ceasefire.yaml`,
      '--runs',
      '10000',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const [, escalation, ceasefire] = JSON.parse(r.stdout).scenarios;
    expect(escalation.difference.cooled.ci95[0]).toBeGreaterThan(0);
    expect(ceasefire.difference.cooled.ci95[1]).toBeLessThan(0);
  });

  it.each(packReadmes() as string[])(
    'the results table in %s matches a fresh run',
    (readme) => {
      expect(regenerate(readme)).toBe(readFileSync(readme, 'utf8'));
    },
    180_000,
  );

  // Each `<!-- backtest: ARGS -->` … `<!-- backtest:end -->` block is `entente backtest ARGS --format markdown`.
  it.each(backtestReadmes() as string[])(
    'the backtest block in %s matches a fresh run',
    (readme) => {
      expect(regenerateBacktests(readme)).toBe(readFileSync(readme, 'utf8'));
    },
    120_000,
  );

  // Each `<!-- calibrate: ARGS -->` … `<!-- calibrate:end -->` block is `entente calibrate ARGS --format markdown`
  // (one fit and K cross-validation fits: the slowest blocks, chosen to take well under a minute each).
  it.each(calibrateReadmes() as string[])(
    'the calibration block in %s matches a fresh run',
    (readme) => {
      expect(regenerateCalibrations(readme)).toBe(readFileSync(readme, 'utf8'));
    },
    180_000,
  );

  // Sensitivity (`<!-- sensitivity: ARGS -->`) and discovery (`<!-- discover: ARGS -->`) blocks hold
  // the table output of `entente sensitivity ARGS` and `entente discover ARGS`.
  it.each(experimentReadmes() as string[])(
    'the sensitivity and discovery blocks in %s match a fresh run',
    (readme) => {
      expect(regenerateExperiments(readme)).toBe(readFileSync(readme, 'utf8'));
    },
    120_000,
  );

  it('scenarios/entente.schema.json is the current schema', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'scenarios/entente.schema.json'), 'utf8'))).toEqual(
      JSON.parse(entente(['schema']).stdout),
    );
  });

  it('scenarios/backtest.schema.json is the current schema of backtest files', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'scenarios/backtest.schema.json'), 'utf8'))).toEqual(
      JSON.parse(entente(['schema', '--backtest']).stdout),
    );
  });
});
