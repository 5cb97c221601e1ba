// Staged attribution from the command line (issue 13): `--drivers-tolerance` on run, merge, table
// and report, the trials each driver ran, and the same drivers whatever thread runs them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entente, fixture } from './cli.js';

const ALLIANCE = fixture('alliance.yaml');

interface JsonDriver {
  id: string;
  low: number;
  high: number;
  effect: number;
  effectCi95: [number, number];
  runs: number;
}

const drivers = (args: string[]): JsonDriver[] => {
  const r = entente(['run', ALLIANCE, '--format', 'json', '--quiet', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { drivers: JsonDriver[] }).drivers;
};

describe('--drivers-tolerance', () => {
  it('by default each pair stops once its interval is within ±0.5 points or ±10% of its effect', () => {
    const ds = drivers(['--runs', '20000']);
    for (const d of ds.filter((x) => x.low !== x.high)) {
      const half = (d.effectCi95[1] - d.effectCi95[0]) / 2;
      expect(half <= Math.max(0.005, 0.1 * Math.abs(d.effect)) || d.runs === 20_000).toBe(true);
      expect(d.runs).toBeGreaterThanOrEqual(2_000);
    }
    expect(ds.some((d) => d.runs > 0 && d.runs < 20_000)).toBe(true);
  });

  it('0 runs every pair on every trial; a tighter tolerance runs more', () => {
    const all = drivers(['--runs', '20000', '--drivers-tolerance', '0']);
    for (const d of all) expect(d.runs).toBe(d.low === d.high ? 0 : 20_000);
    const loose = drivers(['--runs', '20000']);
    const tight = drivers(['--runs', '20000', '--drivers-tolerance', '0.002']);
    const total = (ds: JsonDriver[]) => ds.reduce((s, d) => s + d.runs, 0);
    expect(total(tight)).toBeGreaterThan(total(loose));
    for (const d of tight.filter((x) => x.low !== x.high)) {
      const half = (d.effectCi95[1] - d.effectCi95[0]) / 2;
      expect(half <= 0.002 || d.runs === 20_000).toBe(true);
    }
  });

  it('the same drivers on one thread and on two', () => {
    const one = drivers(['--runs', '20000', '--workers', '1']);
    const two = drivers(['--runs', '20000', '--workers', '2']);
    expect(two).toEqual(one);
  });

  it('the table shows the trials, CSV has driver_runs, and the reproduce line keeps the flag', () => {
    const table = entente(['run', ALLIANCE, '--runs', '4000', '--drivers-tolerance', '0.01,0.2', '-q']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ trials │/);
    expect(table.stdout).toContain('--drivers-tolerance 0.01,0.2');
    const csv = entente(['run', ALLIANCE, '--runs', '4000', '--format', 'csv', '-q']);
    const [head, ...rows] = csv.stdout.trim().split('\n');
    const column = head!.split(',').indexOf('driver_runs');
    expect(column).toBeGreaterThan(0);
    const driverRows = rows.filter((r) => r.startsWith('driver,'));
    expect(driverRows.length).toBeGreaterThan(0);
    for (const r of driverRows) expect(Number(r.split(',')[column])).toBeGreaterThanOrEqual(2_000);
  });

  it('table and report take it too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-tolerance-'));
    const json = (args: string[]) => {
      const r = entente(['table', ALLIANCE, ALLIANCE, '--runs', '6000', '--format', 'json', '-q', ...args]);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as { drivers: JsonDriver[] }[];
    };
    // Two rows, one on the main thread and one on a worker: the same drivers, with all 6,000 trials.
    const fixed = json(['--drivers-tolerance', '0', '--workers', '2']);
    expect(fixed.length).toBe(2);
    for (const row of fixed) for (const d of row.drivers) expect(d.runs).toBe(6_000);
    expect(fixed[0]!.drivers).toEqual(fixed[1]!.drivers);
    // And in stages (the default): the main thread's row and the worker's are the same.
    const staged = json(['--workers', '2']);
    expect(staged[0]!.drivers).toEqual(staged[1]!.drivers);
    expect(staged[0]!.drivers.some((d) => d.runs < 6_000)).toBe(true);
    const out = join(dir, 'r.html');
    const r = entente(['report', ALLIANCE, '--runs', '4000', '--drivers-tolerance', '0', '--out', out, '-q']);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('--drivers-tolerance 0');
  });

  it('a bad tolerance is a usage error that says what is expected', () => {
    for (const bad of ['-1', 'x', '0.1,2', '0.1,0.1,0.1', '']) {
      const r = entente(['run', ALLIANCE, '--drivers-tolerance', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/expected A or A,R/);
    }
  });
});
