// `entente backtest --workers N`: episodes forecast on worker threads give the same bits, the same
// errors and the same exit codes as on one thread, and Ctrl-C stops them.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entente, startEntente } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** A constant hazard; `c` above 0 makes log(u − c) NaN in the trials where u < c. */
write(
  'template.yaml',
  `id: hazard-template
title: A constant monthly hazard
horizon: { steps: 12, unit: month }
params:
  h: 0.05
  c: 0
  u: { dist: uniform, min: 0, max: 1 }
derived:
  y: "log(u - c)"
outcomes:
  cooled: { when: "bernoulli(h) and y < 1" }
primary: cooled
`,
);

const backtestWith = (name: string, episodes: string): string =>
  write(
    name,
    `id: ${name.replace('.yaml', '')}
title: Episodes for the worker tests
template: ./template.yaml
episodes:
${episodes}`,
  );

const NOTE = /^--workers \d+: this machine runs .*\n/;

describe('backtest on worker threads', () => {
  it('1, 2 and 3 workers and the default give the same bits (israel-ties, 2,000 runs)', () => {
    const args = ['backtest', 'scenarios/israel-ties/backtest.yaml', '--runs', '2000', '--format', 'json'];
    const one = entente([...args, '--workers', '1']);
    expect(one.code).toBe(0);
    expect(one.stderr).toBe('');
    expect(JSON.parse(one.stdout).episodes.length).toBeGreaterThan(2);
    for (const w of [['--workers', '2'], ['--workers', '3'], []]) {
      const r = entente([...args, ...w]);
      expect(r.code).toBe(0);
      // More workers than cores are capped, with a one-line note; nothing else on stderr.
      expect(r.stderr.replace(NOTE, '')).toBe('');
      expect(r.stdout).toBe(one.stdout);
    }
  });

  it('an episode whose overrides break the template: the same problems and exit 2 with 1 and 2 workers', () => {
    const file = backtestWith(
      'broken.yaml',
      `  - { id: fine, overrides: { params: { h: 0.1 } }, observed: { happened: 3 } }
  - { id: bad-param, overrides: { params: { h: { dist: uniform, min: 0, maks: 1 } } }, observed: { not_by: 12 } }
  - { id: bad-formula, overrides: { outcomes: { cooled: { when: "bernoulli(nope)" } } }, observed: { happened: 2 } }
  - { id: fine-too, overrides: { params: { h: 0.2 } }, observed: { not_by: 12 } }
`,
    );
    const [one, two] = ['1', '2'].map((w) => entente(['backtest', file, '--runs', '2000', '--workers', w]));
    expect(one!.code).toBe(2);
    expect(one!.stdout).toBe('');
    // Every problem of every episode, located in the backtest file and labelled with the episode.
    expect(one!.stderr).toMatch(
      /broken\.yaml:6:\d+: episodes\[1\]\.overrides\.params\.h\.maks: episode bad-param: /,
    );
    expect(one!.stderr).toMatch(
      /broken\.yaml:7:\d+: episodes\[2\]\.overrides\.outcomes\.cooled\.when: episode bad-formula: .*nope/,
    );
    // The misspelt `maks` is reported once: the missing `max` it leaves is its consequence, not a second problem.
    expect(one!.stderr).toMatch(/\n2 problem\(s\); nothing was run\n$/);
    expect(two).toEqual(one);
  });

  it('a formula error while simulating: the first failing episode’s error, exit 1, with 1 and 2 workers', () => {
    // Episode 0 fails late (the first trial with u < 0.0005), episode 1 at once: on two threads
    // episode 1 fails first, but one thread meets episode 0's error first, and so must two.
    const file = backtestWith(
      'nan.yaml',
      `  - { id: rare-nan, overrides: { params: { c: 0.0005 } }, observed: { happened: 3 } }
  - { id: early-nan, overrides: { params: { c: 0.5 } }, observed: { not_by: 12 } }
  - { id: fine, observed: { not_by: 12 } }
`,
    );
    const [one, two] = ['1', '2'].map((w) =>
      entente(['backtest', file, '--runs', '20000', '--workers', w, '--quiet']),
    );
    expect(one!.code).toBe(1);
    expect(one!.stdout).toBe('');
    expect(one!.stderr).toMatch(/^error: derived\.y gave NaN at step \d+ of trial \d+\n$/);
    expect(Number(/trial (\d+)/.exec(one!.stderr)![1])).toBeGreaterThan(100);
    expect(two).toEqual(one);
  });

  it('calibrate: 1 and 2 workers give the same bytes (folds, an out-of-time fit, another template)', () => {
    const base = ['calibrate', 'scenarios/israel-ties/backtest.yaml', '--runs', '200', '--starts', '4'];
    for (const extra of [
      ['--free', 'alpha=-8..-1', '--max-evals', '6', '--folds', '3', '--train-until', '2015-12'],
      [
        '--template',
        'scenarios/israel-ties/ladder-template.yaml',
        '--free',
        'decision_lambda=1..8',
        '--max-evals',
        '4',
      ],
    ]) {
      const [one, two] = ['1', '2'].map((w) =>
        entente([...base, ...extra, '--format', 'json', '-q', '--workers', w]),
      );
      expect(one!.code, one!.stderr).toBe(0);
      expect(two).toEqual(one);
    }
  });

  it('calibrate: a formula error in a fit is the first fit’s error, exit 1, with 1 and 2 workers', () => {
    const file = backtestWith(
      'calibrate-nan.yaml',
      `  - { id: a, observed: { happened: 3 } }
  - { id: b, observed: { not_by: 12 } }
  - { id: c, observed: { not_by: 12 } }
`,
    );
    const [one, two] = ['1', '2'].map((w) =>
      entente([
        'calibrate',
        file,
        '--free',
        'c=0.2..0.5',
        '--runs',
        '500',
        '--folds',
        '3',
        '--workers',
        w,
        '-q',
      ]),
    );
    expect(one!.code).toBe(1);
    expect(one!.stdout).toBe('');
    expect(one!.stderr).toMatch(/^error: derived\.y gave NaN at step \d+ of trial \d+\n$/);
    expect(two).toEqual(one);
  });

  it.each(['1', '2'])('Ctrl-C stops it with %s worker(s): exit 130 and no file', async (w) => {
    const folder = join(dir, `interrupted-${w}`);
    mkdirSync(folder);
    const child = startEntente([
      'backtest',
      'scenarios/israel-ties/backtest.yaml',
      '--runs',
      '5000000',
      '--workers',
      w,
      '--out',
      join(folder, 'scores.json'),
      '--quiet',
    ]);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toBe('interrupted: no result written\n');
    expect(readdirSync(folder)).toEqual([]);
  });
});
