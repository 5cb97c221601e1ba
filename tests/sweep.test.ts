import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entente, fixture } from './cli.js';

/** A copy of a fixture with one line edited, in a temporary folder: what `--set` must equal. */
function edited(name: string, from: string, to: string): string {
  const text = readFileSync(fixture(name), 'utf8');
  expect(text).toContain(from);
  const path = join(mkdtempSync(join(tmpdir(), 'entente-set-')), name);
  writeFileSync(path, text.replace(from, to));
  return path;
}

describe('run --set: run-time binding from the command line', () => {
  it('gives byte for byte the JSON of running the edited file', () => {
    const copy = edited('hazard.yaml', 'h: 0.05', 'h: 0.1');
    const set = entente([
      'run',
      fixture('hazard.yaml'),
      '--set',
      'h=0.1',
      '--runs',
      '5000',
      '--format',
      'json',
    ]);
    const file = entente(['run', copy, '--runs', '5000', '--format', 'json']);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe(file.stdout);
    const plain = entente(['run', fixture('hazard.yaml'), '--runs', '5000', '--format', 'json']);
    expect(JSON.parse(plain.stdout).scenario.hash).not.toBe(JSON.parse(set.stdout).scenario.hash);
  });

  it('binds params the alliance vocabulary makes, drivers included, as editing the file does', () => {
    const copy = edited(
      'alliance.yaml',
      'leverage: { dist: pert, min: 0.4, mode: 0.6, max: 0.9 }',
      'leverage: 0.8',
    );
    const args = ['--runs', '3000', '--seed', '5', '--format', 'json'];
    const set = entente(['run', fixture('alliance.yaml'), '--set', 'turkey_leverage=0.8', ...args]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).drivers.length).toBeGreaterThan(0);
    expect(set.stdout).toBe(entente(['run', copy, ...args]).stdout);
  });

  it('takes a distribution as JSON, and says how to reproduce the run in the footer', () => {
    const dist = 'turkey_leverage={"dist":"uniform","min":0.7,"max":0.9}';
    const copy = edited(
      'alliance.yaml',
      'leverage: { dist: pert, min: 0.4, mode: 0.6, max: 0.9 }',
      'leverage: { dist: uniform, min: 0.7, max: 0.9 }',
    );
    const args = ['--runs', '3000', '--no-drivers'];
    const set = entente([
      'run',
      fixture('alliance.yaml'),
      '--set',
      dist,
      '--set',
      'turkey_weight=1.5',
      ...args,
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(
      `reproduce: entente run tests/fixtures/alliance.yaml --seed 20241124 --runs 3000 --set '${dist}' --set turkey_weight=1.5`,
    );
    const file = entente(['run', copy, '--set', 'turkey_weight=1.5', ...args, '--format', 'json']);
    expect(
      entente([
        'run',
        fixture('alliance.yaml'),
        '--set',
        dist,
        '--set',
        'turkey_weight=1.5',
        ...args,
        '--format',
        'json',
      ]).stdout,
    ).toBe(file.stdout);
  });

  it('refuses a name that is not a param, with a suggestion (exit 2, nothing run)', () => {
    const r = entente(['run', fixture('hazard.yaml'), '--set', 'hh=0.1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--set hh=0.1: "hh" is not a param of this scenario');
    expect(r.stderr).toContain('did you mean "h"?');
  });

  it('refuses malformed values, a name set twice, a distribution for a number param, and shards', () => {
    for (const [args, message] of [
      [['--set', 'h=abc'], 'must be a finite number or a JSON distribution'],
      [['--set', 'h'], 'expected NAME=VALUE'],
      [['--set', 'h={"dist":'], 'is not valid JSON'],
      [['--set', 'h=0.1', '--set', 'h=0.2'], 'h is set twice'],
      [['--set', 'h={"dist":"uniform","min":0,"max":1}'], 'is a number in this scenario'],
      [['--set', 'h=0.1', '--shard', '0/2', '--format', 'tallies'], '--set cannot be split into shards'],
    ] as const) {
      const r = entente(['run', fixture('hazard.yaml'), ...args, '--runs', '100']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('gives the same bits on two worker threads as on one (the threads bind the values too)', () => {
    const args = [
      'run',
      fixture('alliance.yaml'),
      '--set',
      'turkey_leverage={"dist":"uniform","min":0.7,"max":0.9}',
      '--set',
      'oil_weight=2',
      '--runs',
      '20000',
      '--no-drivers',
      '--format',
      'json',
      '--quiet',
    ];
    const one = entente([...args, '--workers', '1']);
    const two = entente([...args, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const unset = entente(['run', fixture('alliance.yaml'), ...args.slice(6), '--workers', '1']);
    expect(unset.stdout).not.toBe(one.stdout);
  });

  it('binds in every scenario of compare and table', () => {
    const compare = entente([
      'compare',
      fixture('hazard.yaml'),
      fixture('hazard-higher.yaml'),
      '--set',
      'h=0.02',
      '--runs',
      '2000',
      '--format',
      'json',
    ]);
    expect(compare.code).toBe(0);
    const [a, b] = JSON.parse(compare.stdout).scenarios;
    // Both files differ only in h, which --set binds to one value: the same trials, the same result.
    expect(a.outcomes).toEqual(b.outcomes);
    expect(b.difference.hit.estimate).toBe(0);
    const table = entente([
      'table',
      fixture('hazard.yaml'),
      '--set',
      'h=0.02',
      '--at',
      '12',
      '--runs',
      '2000',
      '--format',
      'json',
      '-q',
    ]);
    const run = entente([
      'run',
      fixture('hazard.yaml'),
      '--set',
      'h=0.02',
      '--runs',
      '2000',
      '--format',
      'json',
    ]);
    const at12 = JSON.parse(run.stdout).outcomes.hit.byStep[11];
    expect(JSON.parse(table.stdout)[0].at[0]).toEqual({
      step: 12,
      probability: at12.probability,
      ci95: at12.ci95,
    });
  });
});

describe('sweep', () => {
  const hazard = fixture('hazard.yaml');

  it('prints a table: every grid value, P with its interval, P by the steps asked, paired Δ, a reproduce line', () => {
    const r = entente(['sweep', hazard, '--vary', 'h=0.01..0.1:4', '--runs', '5000', '--at', '6,12']);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('P(hit within 24 months) at 4 grid points of h, each on the same 5,000 trials');
    for (const h of ['0.01', '0.04', '0.07', '0.1']) expect(out).toMatch(new RegExp(`│ +${h} │`));
    expect(out).toContain('by month 6');
    expect(out).toContain('Δ from previous');
    expect(out).toMatch(/\+\d+\.\d pts/);
    const reproduce =
      'entente sweep tests/fixtures/hazard.yaml --vary h=0.01..0.1:4 --seed 20241124 --runs 5000 --at 6,12';
    expect(out).toContain(`reproduce: ${reproduce}`);
    expect(entente(reproduce.split(' ').slice(1)).stdout).toBe(out);
  });

  it('writes JSON whose points are the runs with --set, bit for bit, and exactly monotone in h', () => {
    const r = entente([
      'sweep',
      hazard,
      '--vary',
      'h=0.01..0.1:4',
      '--runs',
      '4000',
      '--seed',
      '3',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.design).toBe('grid');
    expect(json.inputs).toEqual([{ name: 'h', lo: 0.01, hi: 0.1, steps: 4 }]);
    expect(json.points.map((p: { values: { h: number } }) => p.values.h)).toEqual([0.01, 0.04, 0.07, 0.1]);
    for (const [i, p] of json.points.entries()) {
      const run = JSON.parse(
        entente([
          'run',
          hazard,
          '--set',
          `h=${p.values.h}`,
          '--runs',
          '4000',
          '--seed',
          '3',
          '--format',
          'json',
        ]).stdout,
      );
      expect(p.probability).toBe(run.outcomes.hit.probability);
      expect(p.ci95).toEqual(run.outcomes.hit.ci95);
      if (i === 0) expect(p.difference).toBeUndefined();
      else {
        expect(p.hits).toBeGreaterThan(json.points[i - 1].hits);
        expect(p.difference.from).toBe(i - 1);
        expect(p.difference.ci95[0]).toBeGreaterThan(0);
      }
    }
  });

  it('runs space-filling designs and writes CSV', () => {
    const csv = entente([
      'sweep',
      hazard,
      '--vary',
      'h=0.01..0.1',
      '--design',
      'sobol',
      '--points',
      '4',
      '--runs',
      '1000',
      '--format',
      'csv',
    ]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('point,h,probability,probability_ci95_low,probability_ci95_high');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['0.055', '0.0775', '0.0325', '0.04375']);
    const lhs = entente([
      'sweep',
      hazard,
      '--vary',
      'h=0.01..0.1',
      '--design',
      'lhs',
      '--points',
      '5',
      '--runs',
      '1000',
    ]);
    expect(lhs.code).toBe(0);
    expect(lhs.stdout).toContain('at 5 Latin hypercube points of h');
    expect(lhs.stdout).toContain('--design lhs --points 5');
  });

  it('runs blocks of points on worker threads: the same bytes as one thread, the same first error', () => {
    for (const vary of [
      ['--vary', 'h=0.01..0.1:5'],
      ['--vary', 'h=0.01..0.1', '--design', 'lhs', '--points', '6'],
    ]) {
      const args = ['sweep', hazard, ...vary, '--runs', '20000', '--format', 'json', '--quiet'];
      const one = entente([...args, '--workers', '1']);
      const two = entente([...args, '--workers', '2']);
      expect(one.code).toBe(0);
      expect(two.stdout).toBe(one.stdout);
    }
    // h above 1 is not a probability: the first such point fails, named, whichever thread meets it.
    const bad = ['sweep', hazard, '--vary', 'h=0.05..1.6:7', '--runs', '3000', '--quiet'];
    const one = entente([...bad, '--workers', '1']);
    const two = entente([...bad, '--workers', '2']);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('at h=1.08333333333: outcomes.hit.when gave NaN at step 1 of trial 0');
    expect(two.code).toBe(1);
    expect(two.stderr).toBe(one.stderr);
  });

  it('refuses what it cannot do, before running (exit 2)', () => {
    for (const [args, message] of [
      [['--vary', 'hh=0..0.1'], 'did you mean "h"?'],
      [['--vary', 'h=0..0.1', '--points', '8'], '--points is for --design lhs or sobol'],
      [['--vary', 'h=0..0.1:3', '--design', 'sobol'], ':STEPS is for grid designs'],
      [['--vary', 'h=0.1..0'], 'LOW must be below HIGH'],
      [['--vary', 'h=0..0.1', '--set', 'h=0.2'], 'both varied'],
      [['--vary', 'h=0..0.1', '--at', '25'], 'horizon is 24 steps'],
      [[], "required option '--vary"],
    ] as const) {
      const r = entente(['sweep', hazard, ...args, '--runs', '100']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});
