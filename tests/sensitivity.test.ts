// `entente sensitivity`: Sobol, Morris and tornado from the built CLI, as a user runs them.
import { describe, expect, it } from 'vitest';
import { entente, fixture } from './cli.js';

const FILE = fixture('sensitivity.yaml');

describe('entente sensitivity', () => {
  it('Sobol as JSON: indices with intervals for every random param, the noise share, reproducible', () => {
    const args = ['sensitivity', FILE, '--runs', '2000', '--resamples', '100', '--format', 'json'];
    const r = entente(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      method: 'sobol',
      file: FILE,
      output: { name: 'cooled', kind: 'outcome' },
      runs: 2000,
      trials: 2000 * 8,
      resamples: 100,
      seed: 20241124,
      unselected: [],
    });
    expect(j.indices.map((i: { name: string }) => i.name).sort()).toEqual([
      'decision_lambda',
      'oil',
      'oil_weight',
      'turkey_leverage',
      'turkey_weight',
    ]);
    for (const i of j.indices) {
      expect(i.total.ci95[0]).toBeLessThanOrEqual(i.total.estimate);
      expect(i.total.ci95[1]).toBeGreaterThanOrEqual(i.total.estimate);
    }
    // A logit choice every month: most of Var(1[cooled]) is the trial's own noise.
    expect(j.noise.estimate).toBeGreaterThan(0.5);
    expect(j.variance).toBeCloseTo(j.mean * (1 - j.mean), 2);
    expect(j.reproduce).toBe(
      `entente sensitivity ${FILE} --method sobol --runs 2000 --seed 20241124 --resamples 100`,
    );
    expect(entente(args).stdout).toBe(r.stdout);
  });

  it('a table for a tornado of interest and pressure groups, and CSV for Morris on a reported value', () => {
    const t = entente([
      'sensitivity',
      FILE,
      '--method',
      'tornado',
      '--inputs',
      '@turkey,oil*',
      '--runs',
      '2000',
    ]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('Tornado of P(cooled by month 12) — Small alliance for sensitivity');
    expect(t.stdout).toMatch(/@turkey .*turkey_leverage=.*turkey_weight=.*\+\d/);
    expect(t.stdout).toMatch(/oil\* .*oil=.*oil_weight=.*-\d/);
    expect(t.stdout).toContain(
      'reproduce: entente sensitivity tests/fixtures/sensitivity.yaml --method tornado --runs 2000 --seed 20241124 --inputs "@turkey,oil*"',
    );
    const m = entente([
      'sensitivity',
      FILE,
      '--method',
      'morris',
      '--output',
      'tie',
      '--runs',
      '200',
      '--format',
      'csv',
    ]);
    expect(m.code).toBe(0);
    const rows = m.stdout.trim().split('\n');
    expect(rows[0]).toBe('input,params,mu_star,mu_star_lo,mu_star_hi,mu,sigma');
    expect(rows).toHaveLength(6);
  });

  it('the default table: groups with their params, and the noise share', () => {
    const r = entente([
      'sensitivity',
      FILE,
      '--runs',
      '2000',
      '--resamples',
      '100',
      '--inputs',
      '@turkey,@oil,decision_lambda',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Sobol indices of P(cooled by month 12)');
    expect(r.stdout).toMatch(/@turkey \(turkey_leverage, turkey_weight\) +│ +-?\d\.\d{3} │ \[/);
    expect(r.stdout).toMatch(/Aleatory noise .*: 0\.\d{3} \[/);
  });

  it('Sobol on worker threads: the same bytes as on one thread (the whole analysis and a subset)', () => {
    for (const extra of [[], ['--inputs', 'oil,turkey_weight', '--output', 'cooled']]) {
      const args = [
        'sensitivity',
        FILE,
        '--runs',
        '12001',
        '--resamples',
        '50',
        '--format',
        'json',
        ...extra,
      ];
      const one = entente([...args, '--workers', '1']);
      const two = entente([...args, '--workers', '2']);
      expect(one.code).toBe(0);
      expect(two.stderr).toBe('');
      expect(two.stdout).toBe(one.stdout);
    }
  });

  it('tornado and Morris on worker threads: the same bytes as on one thread', () => {
    for (const method of [
      ['--method', 'tornado', '--runs', '4001'],
      ['--method', 'morris', '--runs', '1001', '--trajectories', '3', '--output', 'cooled'],
    ]) {
      const args = ['sensitivity', FILE, ...method, '--format', 'json'];
      const one = entente([...args, '--workers', '1']);
      const two = entente([...args, '--workers', '2']);
      expect(one.code).toBe(0);
      expect(two.stderr).toBe('');
      expect(two.stdout).toBe(one.stdout);
    }
  });

  it('exit 2, naming the flag, for an unknown input or output; nothing on stdout', () => {
    const r = entente(['sensitivity', FILE, '--inputs', 'oill,@turkey', '--output', 'tye']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      '--inputs oill: "oill" is not a random param of this scenario (expected one of oil, oil_weight, turkey_leverage, turkey_weight, decision_lambda); did you mean "oil"?',
    );
    expect(r.stderr).toContain('--output: "tye" is neither an outcome nor a reported value');
    expect(r.stderr).toContain('2 problem(s); nothing was run');
    const overlap = entente(['sensitivity', FILE, '--inputs', '@oil,oil_weight']);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toContain('"oil_weight" is also in the input "@oil"');
    for (const bad of [
      ['--levels', '3'],
      ['--method', 'sobol', '--levels', '4'],
      ['--method', 'fast'],
    ]) {
      const b = entente(['sensitivity', FILE, ...bad]);
      expect(b.code).toBe(2);
      expect(b.stdout).toBe('');
    }
  });
});
