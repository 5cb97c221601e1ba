// Issue 10, section 4: errors and lost work. A formula error reads the same on any number of
// threads; --out is checked before any work; a closed or full stdout gives no stack trace; Ctrl-C
// stops attribution at once; a distribution whose draws overflow is rejected when validated.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attribute, attributeAsync, loadScenarioOrThrow } from '@entente/core';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, entente, fixture, ROOT } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** NaN in about one trial in 50,000 (log of a negative number): the first one is far from trial 0. */
const rareNaN = write(
  'rare-nan.yaml',
  `id: rare-nan
title: A formula that goes NaN in a few trials
horizon: { steps: 6 }
params:
  p: { dist: uniform, min: 0, max: 1 }
derived:
  y: "log(p - 0.00002)"
outcomes:
  o: { when: "y > -1" }
primary: o
`,
);

/** The alliance fixture over 240 steps: attribution then takes several times as long as the run. */
const longAlliance = write(
  'long-alliance.yaml',
  `extends: ${join(ROOT, fixture('alliance.yaml'))}\nhorizon: { steps: 240 }\n`,
);

/** Spawn the CLI; resolves with its exit code, signal, output and the time from `kill` to exit. */
function started(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const closed = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, closed, out: () => stdout, err: () => stderr };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a formula error reads the same on any number of worker threads', () => {
  it('the first failing trial is named, not an internal error, with 1, 2 and 3 workers', () => {
    const results = [1, 2, 3].map((w) =>
      entente(['run', rareNaN, '--runs', '200000', '--workers', String(w), '--quiet']),
    );
    const one = results[0]!;
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/^error: derived\.y gave NaN at step 0 of trial \d+\n$/);
    // The first NaN falls beyond the first block of trials, so the blocks' order matters.
    expect(Number(/trial (\d+)/.exec(one.stderr)![1])).toBeGreaterThan(200000 / 8);
    for (const r of results) {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(one.stderr);
      expect(r.stdout).toBe('');
    }
  });

  it('every trial failing: trial 0 with workers too', () => {
    const r = entente(['run', fixture('nan.yaml'), '--runs', '100000', '--workers', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: derived.y gave -Infinity at step 4 of trial 0\n');
  });
});

describe('--out is checked before any work', () => {
  const slow = ['run', fixture('slow.yaml'), '--runs', '50000000', '--quiet'];

  it.each([
    ['a missing folder', join(dir, 'missing', 'result.json'), /the folder .*missing does not exist/],
    ['a folder', dir, /it is a folder; give a file name/],
    ['a device', '/dev/null', /not a regular file/],
    ['a path through a file', join(rareNaN, 'result.json'), /is not a folder|not a folder/],
  ])('%s: exit 2 at once, nothing run or written', (_what, out, message) => {
    const before = readdirSync(dir).sort();
    const t0 = Date.now();
    const r = entente([...slow, '--out', out]);
    // 50 million trials take minutes; a refusal takes the start-up time.
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot write .*${message.source}`));
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('for every command that takes --out', () => {
    const out = join(dir, 'missing', 'x');
    const hazard = fixture('hazard.yaml');
    for (const args of [
      ['run', hazard],
      ['compare', hazard, fixture('hazard-higher.yaml')],
      ['merge', hazard, 'no-such-shard.json'],
      ['table', hazard],
      ['schema'],
    ]) {
      const r = entente([...args, '--out', out]);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr, args[0]).toMatch(/^error: cannot write .*the folder .* does not exist\n$/);
    }
  });
});

describe('a closed or full stdout', () => {
  it('`run --help | head -3`: the first lines, then a quiet exit 0 with no stack trace', () => {
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${BIN}" run --help | head -3; echo "status=\${PIPESTATUS[0]}" >&2`],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stdout.split('\n').slice(0, 3).join('\n')).toMatch(/^Usage: entente run/);
    expect(r.stderr).toBe('status=0\n');
  });

  it.each([
    ['help', ['run', '--help']],
    ['a result', ['run', fixture('hazard.yaml'), '--runs', '2000', '--format', 'json']],
  ])('a reader gone before the first byte (%s): EPIPE, exit 0, nothing on stderr', async (_what, args) => {
    const run = started(args);
    // Close our end of the pipe at once: every write the CLI makes then fails with EPIPE.
    run.child.stdout.destroy();
    const { code } = await run.closed;
    expect(run.err()).toBe('');
    expect(code).toBe(0);
  });

  it.skipIf(!existsSync('/dev/full'))('stdout on a full device: one clear line, exit 1', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'run', fixture('hazard.yaml'), '--runs', '2000'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
      });
      expect(r.stderr).toBe('error: cannot write to stdout: no space left on device (ENOSPC)\n');
      expect(r.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });
});

describe('Ctrl-C during attribution', () => {
  it('stops at once (exit 130, nothing written), not after the drivers are done', async () => {
    const args = ['run', longAlliance, '--runs', '20000', '--quiet'];
    // The run alone, to send Ctrl-C once it is over and attribution has begun.
    const t0 = Date.now();
    expect(entente([...args, '--no-drivers']).code).toBe(0);
    const simulation = Date.now() - t0;
    const out = join(dir, 'drivers.txt');
    // Every pair on all 20,000 trials (--drivers-tolerance 0): attribution lasts long enough to interrupt.
    const run = started([...args, '--out', out, '--drivers-tolerance', '0']);
    await sleep(simulation + 400);
    const killed = Date.now();
    run.child.kill('SIGINT');
    const { code, at } = await run.closed;
    expect(code).toBe(130);
    expect(run.err()).toBe('interrupted: no result written\n');
    expect(at - killed).toBeLessThan(1000);
    expect(existsSync(out)).toBe(false);
  });

  // The second Ctrl-C itself is tested in-process (packages/cli/test/output.test.ts): two signals sent
  // together may reach the process as one. Here: whichever way they land, exit 130 and no output.
  it('Ctrl-C twice: exit 130, nothing written', async () => {
    const run = started(['run', fixture('slow.yaml'), '--runs', '50000000', '--quiet']);
    await sleep(1200);
    run.child.kill('SIGINT');
    await sleep(5);
    run.child.kill('SIGINT');
    const { code, signal } = await run.closed;
    expect(code === 130 || signal === 'SIGINT').toBe(true);
    expect(run.err()).toMatch(/^interrupted/);
    expect(run.out()).toBe('');
  });

  it('attributeAsync gives the same drivers as attribute, and an aborted signal stops it', async () => {
    const model = loadScenarioOrThrow(readFileSync(join(ROOT, fixture('alliance.yaml')), 'utf8'));
    expect(await attributeAsync(model, { runs: 3000, seed: 5 })).toEqual(
      attribute(model, { runs: 3000, seed: 5 }),
    );
    const controller = new AbortController();
    const pending = attributeAsync(model, { runs: 200000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const t0 = Date.now();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('a distribution whose draws overflow is rejected when validated', () => {
  it('uniform {min: -1e308, max: 1e308}: exit 2 with file:line:column and the path', () => {
    const file = write(
      'overflow.yaml',
      `id: overflow
title: Overflowing uniform
horizon: { steps: 3 }
params:
  x: { dist: uniform, min: -1e308, max: 1e308 }
outcomes:
  o: { when: "x > 0" }
primary: o
`,
    );
    for (const command of ['run', 'validate']) {
      const r = entente([command, file]);
      expect(r.code).toBe(2);
      // run reports problems on stderr; validate's report is its output, on stdout.
      expect(r.stdout + r.stderr).toMatch(
        /overflow\.yaml:5:\d+: params\.x\.max: max − min overflows: the range from -1e\+308 to 1e\+308/,
      );
    }
  });

  it('a lognormal whose upper tail overflows, and a normal whose sd does', () => {
    const file = write(
      'overflow-2.yaml',
      `id: overflow2
title: Overflowing tails
horizon: { steps: 3 }
params:
  a: { dist: lognormal, mu: 720, sigma: 1 }
  b: { dist: normal, mean: 0, sd: 1e308 }
outcomes:
  o: { when: "a > b" }
primary: o
`,
    );
    const r = entente(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /overflow-2\.yaml:5:\d+: params\.a\.sigma: draws from this lognormal distribution are not finite: its lowest draw is Infinity/,
    );
    expect(r.stdout).toMatch(/:6:\d+: params\.b\.sd: draws from this normal distribution are not finite/);
  });
});
