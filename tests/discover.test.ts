// `entente discover`: PRIM on a fixture whose box is known (tests/fixtures/discover.yaml: the tie
// breaks exactly when push > 1.4 and hold < 0.3), as a user runs it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entente, fixture } from './cli.js';

const FILE = fixture('discover.yaml');
const dir = mkdtempSync(join(tmpdir(), 'entente-discover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('entente discover', () => {
  it('finds the box as JSON: push ≥ 1.4 and hold ≤ 0.3, noise left alone, density near 1', () => {
    const r = entente(['discover', FILE, '--runs', '5000', '--seed', '3', '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({
      runs: 5000,
      seed: 3,
      trials: 5000,
      target: { kind: 'outcome', outcome: 'breaks' },
    });
    expect(d.inputs).toEqual(['push', 'hold', 'noise']);
    const limits = Object.fromEntries(d.box.limits.map((l: { input: string }) => [l.input, l]));
    expect(Object.keys(limits)).toEqual(['push', 'hold']);
    expect(limits.push.lower).toBeCloseTo(1.4, 1);
    expect(limits.push.upper).toBeNull();
    expect(1 - limits.push.lowerQuantile).toBeCloseTo(0.3, 1);
    expect(limits.hold.upper).toBeCloseTo(0.3, 1);
    expect(limits.hold.upperP).toBeLessThan(0.001);
    expect(d.box.density).toBeGreaterThan(0.9);
    expect(d.trajectory[0]).toMatchObject({ index: 0, mass: 1, coverage: 1 });
  });

  it('prints the trajectory and the box in words as a table, and writes it with --out', () => {
    const r = entente(['discover', FILE, '--runs', '5000', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('playing 5,000 trials and peeling…\n');
    expect(r.stdout).toContain('Case: breaks by month 6 (the tie breaks)');
    expect(r.stdout).toMatch(/Peeling trajectory: \d+ boxes \(α = 0\.05/);
    expect(r.stdout).toContain('◀ chosen');
    expect(r.stdout).toMatch(
      /push ≥ 1\.[34]\d* \(its top (29|30|31)%\) and hold ≤ 0\.[23]\d* \(its bottom (29|30|31)%\)/,
    );
    expect(r.stdout).not.toMatch(/noise [≤≥]/);
    expect(r.stdout).toContain(
      'reproduce: entente discover tests/fixtures/discover.yaml --runs 5000 --seed 3',
    );
    const out = join(dir, 'boxes.txt');
    const w = entente(['discover', FILE, '--runs', '5000', '--seed', '3', '--out', out, '--quiet']);
    expect(w.code).toBe(0);
    expect(w.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
  });

  it('gives the trajectory as CSV, one row per box and the chosen box last', () => {
    const r = entente([
      'discover',
      FILE,
      '--runs',
      '2000',
      '--format',
      'csv',
      '--quiet',
      '--inputs',
      'push,hold',
    ]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe(
      'kind,box,mass,coverage,density,support,cases,peeled,push_lower,push_upper,hold_lower,hold_upper',
    );
    expect(rows[1]).toMatch(/^peel,0,1,1,/);
    expect(rows.at(-1)).toMatch(/^chosen,/);
  });

  it('discovers where a reported value crosses a number (--where)', () => {
    const r = entente([
      'discover',
      FILE,
      '--runs',
      '2000',
      '--where',
      'tension > 6',
      '--format',
      'json',
      '-q',
    ]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.target).toMatchObject({ kind: 'where', report: 'tension', op: '>', value: 6 });
    expect(d.box.limits.map((l: { input: string }) => l.input)).toContain('push');
  });

  it('exits 2, before any trial, on a bad outcome name, a bad input, too many runs or a bad flag', () => {
    const bad = entente(['discover', FILE, '--outcome', 'braeks']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      'error: "braeks" is not an outcome of this scenario (its outcomes: breaks, strained); did you mean "breaks"?\n',
    );
    const fixed = entente(['discover', FILE, '--inputs', 'push,fixed']);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toMatch(/"fixed" is a fixed number in this scenario/);
    const memory = entente(['discover', FILE, '--runs', '10m']);
    expect(memory.code).toBe(2);
    expect(memory.stderr).toMatch(
      /10,000,000 runs are too many for discovery: it keeps every trial's inputs/,
    );
    expect(memory.stderr).toMatch(/use at most 4,000,000 runs/);
    const where = entente(['discover', FILE, '--where', 'tension ~ 2']);
    expect(where.code).toBe(2);
    expect(where.stderr).toMatch(/expected a reported value compared with a number/);
    const alpha = entente(['discover', FILE, '--alpha', '0.7']);
    expect(alpha.code).toBe(2);
  });
});
