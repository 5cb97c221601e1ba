import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entente, ROOT } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-report-'));
const BASE = 'scenarios/baku-israel/baseline.yaml';
const TURKEY = 'scenarios/baku-israel/turkish-escalation.yaml';
const pct = (p: number): string => `${(p * 100).toFixed(1)}%`;
const pts = (d: number): string => `${d > 0 ? '+' : ''}${(d * 100).toFixed(1)} pts`;

describe('entente report', () => {
  it('writes one page whose numbers are what compare gives on the same trials, and every chart as SVG', () => {
    const out = join(dir, 'report.html');
    const svg = join(dir, 'figures');
    const r = entente(['report', BASE, TURKEY, '--runs', '3000', '--seed', '5', '--out', out, '--svg', svg]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote ${out}`);
    expect(r.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    const c = entente(['compare', BASE, TURKEY, '--runs', '3000', '--seed', '5', '--format', 'json']);
    const [base, turkey] = JSON.parse(c.stdout).scenarios;
    const p0 = base.outcomes.cooled;
    const p1 = turkey.outcomes.cooled;
    const d = turkey.difference.cooled;
    expect(html).toContain(
      `within 36 months: ${pct(p0.probability)} (95% interval ${pct(p0.ci95[0])} to ${pct(p0.ci95[1])}) of 3,000 simulated trials in baku-israel-baseline; ` +
        `${pct(p1.probability)} (95% interval ${pct(p1.ci95[0])} to ${pct(p1.ci95[1])}) in baku-israel-turkish-escalation, ` +
        `${pts(d.estimate)} from baku-israel-baseline (paired 95% interval ${pts(d.ci95[0])} to ${pts(d.ci95[1])}).`,
    );
    // The fan chart labels each scenario's value at the horizon.
    const fan = readFileSync(join(svg, 'fan.svg'), 'utf8');
    expect(fan).toContain(`>${pct(p0.probability)}</text>`);
    expect(fan).toContain(`>${pct(p1.probability)}</text>`);
    for (const id of [
      'fan',
      'differences',
      'drivers',
      'time-to-event',
      'value-tie',
      'param-baku-israel-baseline-oil',
    ]) {
      expect(readFileSync(join(svg, `${id}.svg`), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
      expect(JSON.parse(readFileSync(join(svg, `${id}.vl.json`), 'utf8')).$schema).toContain('vega-lite');
    }
    // Sources reach the provenance table through the alliance items; the manifest reproduces the run.
    expect(html).toContain('Israel&#39;s share of Azerbaijan&#39;s oil exports: 8.4% (2.2 of 26 Mt)');
    // The decision rule's note is written once for all its params: shown in full once, then referred to.
    expect(html).toContain('The note on <code>threshold_criticise</code> above.');
    expect(html.match(/Thresholds rise up the ladder/g)).toHaveLength(1);
    expect(html).toContain(`entente report ${BASE} ${TURKEY} --seed 5 --runs 3000`);
    expect(html).toContain('hash <code>');
    // Written atomically: no temporary file left beside it.
    expect(readdirSync(dir).filter((f) => f.includes('entente-tmp'))).toEqual([]);
  });

  it('--workers: the same page on one thread and on two, paired and conditioned', () => {
    const page = (args: string[], w: string): string => {
      const out = join(dir, `workers-${w}.html`);
      const r = entente(['report', ...args, '--runs', '3001', '--workers', w, '--out', out, '-q']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      return readFileSync(out, 'utf8').replace(/<dt>generated<\/dt><dd>[^<]*<\/dd>/, '');
    };
    for (const args of [
      [BASE, TURKEY, '--set', 'turkey_weight=1.2'],
      [BASE, TURKEY, '--given', 'not cooled by 6', '--set', 'turkey_weight=1.2'],
    ]) {
      const one = page(args, '1');
      expect(one).toContain('3,001');
      expect(page(args, '2')).toBe(one);
    }
  });

  it('conditions on --given and binds --set, and says so; drivers are left out under evidence', () => {
    const out = join(dir, 'given.html');
    const r = entente([
      'report',
      BASE,
      '--runs',
      '2000',
      '--given',
      'not cooled by 16',
      '--set',
      'turkey_weight=1.2',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Conditioned on what was observed: “not cooled by 16”');
    expect(html).toContain('No drivers under evidence');
    expect(html).not.toContain('data-figure="drivers"');
    expect(html).toContain('set by --set');
    expect(html).toContain('--given &#39;not cooled by 16&#39; --set turkey_weight=1.2');
    const run = entente([
      'run',
      BASE,
      '--runs',
      '2000',
      '--given',
      'not cooled by 16',
      '--set',
      'turkey_weight=1.2',
      '--format',
      'json',
    ]);
    const p = JSON.parse(run.stdout).outcomes.cooled.probability;
    expect(html).toContain(`within 36 months: ${pct(p)} `);
  });

  it('adds Sobol indices with --sobol', () => {
    const out = join(dir, 'sobol.html');
    const r = entente(['report', BASE, '--runs', '500', '--sobol', '--no-drivers', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('data-figure="sobol"');
    expect(html).toContain('Sobol indices');
    expect(html).not.toContain('data-figure="drivers"');
  }, 120_000);

  it('refuses bad input with exit 2 and a plain message, writing nothing', () => {
    const out = join(dir, 'never.html');
    const missing = entente(['report', 'scenarios/baku-israel/baseline.yml', '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('scenarios/baku-israel/baseline.yml');
    expect(missing.stderr).not.toContain('    at ');
    const horizons = entente(['report', BASE, 'scenarios/india-russia/baseline.yaml', '--out', out]);
    expect(horizons.code).toBe(2);
    expect(horizons.stderr).toContain('a report compares scenarios over the same horizon');
    const folder = entente(['report', BASE, '--out', join(dir, 'no-such-folder', 'r.html')]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('does not exist');
    const set = entente(['report', BASE, '--set', 'turkey_wieght=1', '--out', out]);
    expect(set.code).toBe(2);
    expect(set.stderr).toContain('turkey_weight');
    const svgOnFile = entente(['report', BASE, '--svg', join(ROOT, 'README.md'), '--out', out]);
    expect(svgOnFile.code).toBe(2);
    expect(svgOnFile.stderr).toContain('a file is in the way; give a folder');
    expect(existsSync(out)).toBe(false);
  });

  it('keeps Vega out of the main bundle: it loads, in chunks of its own, only for report', () => {
    const bundle = readFileSync(join(ROOT, 'packages/cli/dist/entente.mjs'), 'utf8');
    // Vega's View.toSVG (a property name, which the minifier keeps) marks Vega's code.
    expect(bundle).not.toContain('toSVG');
    const chunks = readdirSync(join(ROOT, 'packages/cli/dist/chunks'));
    const vega = chunks.filter((f) =>
      readFileSync(join(ROOT, 'packages/cli/dist/chunks', f), 'utf8').includes('toSVG'),
    );
    expect(vega.length).toBeGreaterThan(0);
    expect(bundle).toContain(`./chunks/${vega[0]}`);
    const help = entente(['report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--svg <dir>');
  });
});
