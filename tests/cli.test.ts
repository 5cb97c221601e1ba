import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entente, fixture, startEntente } from './cli.js';

describe('entente run', () => {
  it('prints the answer at a glance, with its interval and a footer to reproduce it', () => {
    const r = entente(['run', fixture('hazard.yaml'), '--runs', '20000', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/P\(hit within 24 months\) = 7\d\.\d%\s+95% CI \[7\d\.\d%, 7\d\.\d%\]/);
    expect(r.stdout).toContain('20,000 trials · seed 3');
    expect(r.stdout).toContain('reproduce: entente run tests/fixtures/hazard.yaml --seed 3 --runs 20000');
    // Piped: no colour codes, no progress bar.
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stderr).toBe('');
  });

  it('json is stable and carries what a reader needs to reproduce and check it', () => {
    const r = entente(['run', fixture('hazard.yaml'), '--runs', '20000', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.engine.name).toBe('entente');
    expect(j.scenario).toMatchObject({ id: 'hazard', title: 'Constant hazard' });
    expect(j.seed).toBe(20241124);
    expect(j.runs).toBe(20000);
    expect(j.primary).toBe('hit');
    const truth = 1 - 0.95 ** 24;
    expect(Math.abs(j.outcomes.hit.probability - truth)).toBeLessThan(
      4.5 * Math.sqrt((truth * (1 - truth)) / 20000),
    );
    expect(j.outcomes.hit.byStep).toHaveLength(24);
    expect(j.outcomes.hit.ci95[0]).toBeLessThan(j.outcomes.hit.probability);
    // Same seed, same bits.
    expect(entente(['run', fixture('hazard.yaml'), '--runs', '20000', '--format', 'json']).stdout).toBe(
      r.stdout,
    );
  });

  it('csv and markdown', () => {
    const csv = entente(['run', fixture('hazard.yaml'), '--runs', '1000', '--format', 'csv']);
    // One table: a section column, the curve's columns, then drivers' and values' columns and the run's metadata.
    expect(csv.stdout.split('\n')[0]).toMatch(/^section,outcome,step,probability,ci95_low,ci95_high,/);
    expect(csv.stdout.split('\n')[1]).toMatch(/^curve,hit,1,/);
    expect(csv.stdout.trim().split('\n')).toHaveLength(25);
    const md = entente(['run', fixture('hazard.yaml'), '--runs', '1000', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^\*\*Constant hazard\*\*: P\(hit within 24 months\)/);
    expect(md.stdout).toContain('|---:|---:|');
  });

  it('string seeds and precision mode', () => {
    const a = entente([
      'run',
      fixture('hazard.yaml'),
      '--seed',
      'baku',
      '--precision',
      '0.01',
      '--format',
      'json',
    ]);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.stdout);
    expect(j.seed).toBe('baku');
    expect(j.precision.reached).toBe(true);
    expect(j.runs).toBe(10000);
  });

  it('--out writes the file atomically and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-'));
    const out = join(dir, 'result.json');
    const r = entente(['run', fixture('hazard.yaml'), '--runs', '1000', '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).runs).toBe(1000);
    expect(readdirSync(dir)).toEqual(['result.json']);
  });

  it('an infinite value at run time exits 1 and names the formula, the step and the trial', () => {
    const r = entente(['run', fixture('nan.yaml'), '--runs', '10']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: derived.y gave -Infinity at step 4 of trial 0\n');
    expect(r.stdout).toBe('');
  });

  it('Ctrl-C stops cleanly: exit 130 and no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-'));
    const out = join(dir, 'result.json');
    const child = startEntente(['run', fixture('slow.yaml'), '--runs', '50000000', '--out', out, '--quiet']);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('bad input: exit 2 with file:line:column, the path and a suggestion', () => {
  it.each([
    ['bad-syntax.yaml', /^tests\/fixtures\/bad-syntax\.yaml:[23]:\d+: \(document\): /m],
    [
      'bad-schema.yaml',
      /^tests\/fixtures\/bad-schema\.yaml:5:31: params\.x\.sdev: unknown field "sdev"; did you mean "sd"\?$/m,
    ],
    [
      'bad-formula.yaml',
      /^tests\/fixtures\/bad-formula\.yaml:7:25: outcomes\.o\.when: in formula "bernoulli\(presure\)": unknown name "presure" .*did you mean "pressure"\?$/m,
    ],
    [
      'bad-cycle.yaml',
      /^tests\/fixtures\/bad-cycle\.yaml:5:6: derived\.a: derived values depend on each other in a cycle: a → b → a$/m,
    ],
    [
      'bad-distribution.yaml',
      /^tests\/fixtures\/bad-distribution\.yaml:5:39: params\.share\.sd: no beta distribution has mean 0\.5 and sd 0\.7/m,
    ],
  ])('%s', (file, expected) => {
    const r = entente(['run', fixture(file)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  it('a missing file', () => {
    const r = entente(['run', 'nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml: (document): no such file');
  });

  it('bad flags are usage errors', () => {
    expect(entente(['run', fixture('hazard.yaml'), '--runs', 'many']).code).toBe(2);
    expect(entente(['run', fixture('hazard.yaml'), '--format', 'xml']).code).toBe(2);
    expect(entente(['rnu']).stderr).toContain('(Did you mean run?)');
  });
});

describe('entente validate, trace, schema, --help, --version', () => {
  it('validate reports every problem in every file and exits 2, or 0 when all are valid', () => {
    const bad = entente([
      'validate',
      fixture('hazard.yaml'),
      fixture('bad-schema.yaml'),
      fixture('bad-formula.yaml'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('tests/fixtures/hazard.yaml: valid');
    expect(bad.stdout).toContain('bad-schema.yaml:5:31');
    expect(bad.stdout).toContain('bad-formula.yaml:7:25');
    // bad-schema's misspelt `sdev` is one problem: the missing `sd` is its consequence, not reported again.
    expect(bad.stderr).toContain('2 problem(s) in 2 of 3 file(s)');
    expect(entente(['validate', fixture('hazard.yaml')]).code).toBe(0);
  });

  it('trace agrees with run for the same trial', () => {
    const t = JSON.parse(entente(['trace', fixture('hazard.yaml'), '--trial', '0', '--json']).stdout);
    expect(t.steps).toHaveLength(25);
    const one = JSON.parse(
      entente(['run', fixture('hazard.yaml'), '--runs', '1', '--format', 'json']).stdout,
    );
    expect(one.outcomes.hit.hits).toBe(t.outcomes.hit === null ? 0 : 1);
    const text = entente(['trace', fixture('hazard.yaml'), '--trial', '0']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('trial 0 of hazard');
  });

  it('schema prints a JSON Schema', () => {
    const s = JSON.parse(entente(['schema']).stdout);
    expect(s.title).toBe('Entente scenario');
  });

  it('--help has examples; --version prints the version', () => {
    const help = entente(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(entente(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('the alliance vocabulary from the command line', () => {
  it('run shows the drivers, ranked, with signs and paired intervals; json has them too', () => {
    const r = entente(['run', fixture('alliance.yaml'), '--runs', '5000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('P(Azerbaijan cools ties with Israel within 24 months)');
    expect(r.stdout).toMatch(
      /Drivers of cooled[\s\S]*oil \(oil sales\)\s*│ interest, hold │\s+-[\d.]+ │ -[\d.]+ pts/,
    );
    const j = JSON.parse(
      entente(['run', fixture('alliance.yaml'), '--runs', '5000', '--format', 'json']).stdout,
    );
    expect(j.drivers.map((d: { id: string }) => d.id)).toEqual(['oil', 'turkey', 'arms']);
    expect(j.drivers[0]).toMatchObject({ id: 'oil', kind: 'interest', direction: 'hold' });
    expect(j.drivers[0].effect).toBeLessThan(0);
    expect(j.drivers[0].effectCi95[1]).toBeLessThan(0);
    const none = JSON.parse(
      entente(['run', fixture('alliance.yaml'), '--runs', '1000', '--format', 'json', '--no-drivers']).stdout,
    );
    expect(none.drivers).toBeUndefined();
  });

  it('expand prints the core document the vocabulary became, which runs to the same result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-'));
    const x = entente(['expand', fixture('alliance.yaml')]);
    expect(x.code).toBe(0);
    expect(x.stdout).toContain('turkey_contribution: turkey_intensity * turkey_leverage * turkey_weight');
    const path = join(dir, 'expanded.yaml');
    writeFileSync(path, x.stdout);
    const a = JSON.parse(
      entente(['run', fixture('alliance.yaml'), '--runs', '2000', '--format', 'json', '--no-drivers']).stdout,
    );
    const b = JSON.parse(entente(['run', path, '--runs', '2000', '--format', 'json']).stdout);
    expect(b.outcomes).toEqual(a.outcomes);
    expect(b.scenario.hash).toBe(a.scenario.hash);
  });
});

describe('entente compare and init', () => {
  it('compare: common random numbers make a small difference clear; json has difference per outcome', () => {
    const r = entente([
      'compare',
      fixture('hazard.yaml'),
      fixture('hazard-higher.yaml'),
      '--runs',
      '20000',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.scenarios.map((s: { scenario: { id: string } }) => s.scenario.id)).toEqual([
      'hazard',
      'hazard-higher',
    ]);
    expect(j.scenarios[0].difference).toBeUndefined();
    const d = j.scenarios[1].difference.hit;
    // Truth: (1 − 0.94^24) − (1 − 0.95^24) = 0.0632; independent runs would give ±0.009, pairing far less.
    expect(Math.abs(d.estimate - (0.95 ** 24 - 0.94 ** 24))).toBeLessThan(0.005);
    expect(d.ci95[0]).toBeGreaterThan(0);
    expect(d.ci95[1] - d.ci95[0]).toBeLessThan(0.01);
    // Each scenario's own estimate is exactly what `run` gives alone.
    const alone = JSON.parse(
      entente(['run', fixture('hazard-higher.yaml'), '--runs', '20000', '--format', 'json']).stdout,
    );
    expect(j.scenarios[1].outcomes).toEqual(alone.outcomes);
    const table = entente([
      'compare',
      fixture('hazard.yaml'),
      fixture('hazard-higher.yaml'),
      '--runs',
      '2000',
    ]);
    expect(table.stdout).toMatch(/hazard-higher\s*│\s+\d+\.\d% │ \[.*\] │\s+\+\d\.\d pts │ \[\+/);
  });

  it('compare refuses different horizons and bad files, with exit 2', () => {
    const r = entente(['compare', fixture('hazard.yaml'), fixture('short.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has a horizon of 6 steps');
    expect(entente(['compare', fixture('hazard.yaml'), fixture('bad-formula.yaml')]).code).toBe(2);
    expect(entente(['compare', fixture('hazard.yaml')]).code).toBe(2);
  });

  it('init writes a starter that validates and runs, and never overwrites without --force', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'entente-')), 'new');
    expect(entente(['init', dir]).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['entente.schema.json', 'scenario.yaml']);
    expect(entente(['validate', join(dir, 'scenario.yaml')]).code).toBe(0);
    const run = entente(['run', join(dir, 'scenario.yaml'), '--runs', '2000']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Drivers of cooled');
    const again = entente(['init', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('use --force');
    expect(entente(['init', dir, '--force']).code).toBe(0);
  });
});

describe('other formats of compare and table', () => {
  it('compare as csv and markdown', () => {
    const args = ['compare', fixture('hazard.yaml'), fixture('hazard-higher.yaml'), '--runs', '1000'];
    const csv = entente([...args, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe(
      'scenario,outcome,probability,ci95_low,ci95_high,difference,difference_ci95_low,difference_ci95_high',
    );
    expect(csv.stdout).toMatch(/^hazard-higher,hit,[\d.]+,[\d.]+,[\d.]+,[\d.]+,/m);
    const md = entente([...args, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^\| hazard-higher \| \d+\.\d% \| \[.*\] \| \+\d+\.\d pts \|/m);
  });

  it('table as json, at chosen steps', () => {
    const r = entente([
      'table',
      fixture('hazard.yaml'),
      fixture('alliance.yaml'),
      '--at',
      '6,12',
      '--runs',
      '1000',
      '--format',
      'json',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.map((row: { scenario: { id: string } }) => row.scenario.id)).toEqual(['hazard', 'small']);
    expect(j[0].at.map((a: { step: number }) => a.step)).toEqual([6, 12]);
    expect(j[0].drivers).toEqual([]);
    expect(j[1].drivers).toHaveLength(3);
    expect(entente(['table', fixture('hazard.yaml'), '--at', '0']).code).toBe(2);
  });

  it('compare on worker threads: the same bytes as on one thread, in every format', () => {
    const args = [
      'compare',
      fixture('hazard.yaml'),
      fixture('hazard-higher.yaml'),
      '--runs',
      '3000',
      '--quiet',
    ];
    for (const format of ['json', 'csv']) {
      const one = entente([...args, '--format', format, '--workers', '1']);
      const two = entente([...args, '--format', format, '--workers', '2']);
      expect(one.code).toBe(0);
      expect(two.stdout).toBe(one.stdout);
    }
  });

  it('table on worker threads: the same bytes as on one thread; the first failing file is reported', () => {
    const files = [fixture('alliance.yaml'), fixture('hazard.yaml'), fixture('hazard-higher.yaml')];
    const args = ['table', ...files, '--runs', '2000', '--quiet'];
    const one = entente([...args, '--workers', '1']);
    const two = entente([...args, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stdout).toMatch(/^\| \[small\]/m);
    // A run-time failure in a worker is the one-thread error, named with its formula, step and trial.
    const nan = ['table', fixture('hazard.yaml'), fixture('nan.yaml'), '--runs', '2000', '--quiet'];
    const bad1 = entente([...nan, '--workers', '1']);
    const bad2 = entente([...nan, '--workers', '2']);
    expect(bad1.code).toBe(1);
    expect(bad2.code).toBe(1);
    expect(bad2.stderr).toBe(bad1.stderr);
  });
});

describe('Ctrl-C before the run starts', () => {
  it('exits 130 at once and writes nothing', async () => {
    const child = startEntente(['run', fixture('slow.yaml'), '--runs', '50000000', '--quiet']);
    // As soon as the process is up (the listener is installed before the file is even read).
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    // Exit 130, or (if the signal beat Node's start-up) death by SIGINT, which a shell also shows as 130.
    expect(code === 130 || signal === 'SIGINT').toBe(true);
    expect(stdout).toBe('');
  });
});

describe('shards and merge', () => {
  it('three shards merged print exactly what one run prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-'));
    for (const k of [0, 1, 2]) {
      const r = entente([
        'run',
        fixture('alliance.yaml'),
        '--runs',
        '6001',
        '--seed',
        'x',
        '--shard',
        `${k}/3`,
        '--format',
        'tallies',
        '--out',
        join(dir, `s${k}.json`),
        '--quiet',
      ]);
      expect(r.code).toBe(0);
    }
    const merged = entente([
      'merge',
      fixture('alliance.yaml'),
      join(dir, 's2.json'),
      join(dir, 's0.json'),
      join(dir, 's1.json'),
      '--format',
      'json',
    ]);
    const single = entente([
      'run',
      fixture('alliance.yaml'),
      '--runs',
      '6001',
      '--seed',
      'x',
      '--format',
      'json',
    ]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(single.stdout);
    const missing = entente(['merge', fixture('alliance.yaml'), join(dir, 's0.json'), join(dir, 's2.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('are missing');
    expect(entente(['run', fixture('alliance.yaml'), '--shard', '0/3']).code).toBe(2);
    expect(entente(['run', fixture('alliance.yaml'), '--shard', '3/3', '--format', 'tallies']).code).toBe(2);
  });
});

describe('worker threads', () => {
  it('any number of workers gives the same bits as one', () => {
    const args = [
      'run',
      fixture('alliance.yaml'),
      '--runs',
      '30001',
      '--seed',
      '11',
      '--format',
      'json',
      '--no-drivers',
    ];
    const one = entente([...args, '--workers', '1']);
    expect(one.code).toBe(0);
    for (const w of ['2', '3']) {
      const r = entente([...args, '--workers', w]);
      // More workers than cores are capped, with a one-line note; nothing else on stderr.
      expect(r.stderr.replace(/^--workers \d+: this machine runs .*\n/, '')).toBe('');
      expect(r.stdout).toBe(one.stdout);
    }
  });

  it('--workers 2 starts its threads before loading the file: --given and --set reach them, a bad file still exits 2', () => {
    const args = [
      ...['run', fixture('hazard.yaml'), '--runs', '30001', '--format', 'json'],
      ...['--set', 'h=0.07', '--given', 'not hit by 6'],
    ];
    const one = entente([...args, '--workers', '1']);
    expect(one.code).toBe(0);
    const two = entente([...args, '--workers', '2']);
    expect(two.stdout).toBe(one.stdout);
    // Without the --set the threads would have played h = 0.05: P(hit in 24 | not by 6) = 1 − 0.93^18.
    const p = JSON.parse(two.stdout).outcomes.hit.probability;
    expect(Math.abs(p - (1 - 0.93 ** 18))).toBeLessThan(0.02);
    // A file with problems (exit 2) and one whose formula fails at run time (exit 1): as on one thread.
    for (const file of ['bad-schema.yaml', 'nan.yaml']) {
      const bad = entente(['run', fixture(file), '--workers', '2']);
      const badOne = entente(['run', fixture(file), '--workers', '1']);
      expect(bad.code).toBe(file === 'nan.yaml' ? 1 : 2);
      expect(bad.code).toBe(badOne.code);
      expect(bad.stderr).toBe(badOne.stderr);
    }
    const missing = entente(['run', 'no-such-file.yaml', '--workers', '2']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-file.yaml');
  });

  it('fewer trials than blocks: still the same bits (run and compare)', () => {
    for (const args of [
      ['run', fixture('alliance.yaml'), '--runs', '20', '--format', 'json', '--no-drivers'],
      ['compare', fixture('hazard.yaml'), fixture('hazard-higher.yaml'), '--runs', '7', '--format', 'json'],
    ]) {
      const one = entente([...args, '--workers', '1']);
      const two = entente([...args, '--workers', '2']);
      expect(one.code).toBe(0);
      expect(two.stderr).toBe('');
      expect(two.stdout).toBe(one.stdout);
    }
  });

  it('by default a large run decides after a pilot on this thread: the same bits either way', () => {
    const args = ['run', fixture('alliance.yaml'), '--runs', '100001', '--seed', '3', '--format', 'json'];
    const one = entente([...args, '--workers', '1']);
    expect(one.code).toBe(0);
    // Workers always pay (0 ms) and never pay: the pilot's 20,000 trials merge with the rest.
    for (const pay of ['0', '1e12']) {
      const r = entente(args, { ENTENTE_WORKERS_PAY_MS: pay });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(one.stdout);
    }
  });

  it('Ctrl-C stops the workers: exit 130 and no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-'));
    const out = join(dir, 'result.json');
    const child = startEntente([
      'run',
      fixture('slow.yaml'),
      '--runs',
      '50000000',
      '--workers',
      '2',
      '--out',
      out,
      '--quiet',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  });
});
