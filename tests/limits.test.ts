// Issue 10, section 3: resource limits. Untrusted files cannot make the CLI grow without bound, hang
// or overflow the stack: only regular files are read (fstat first), documents and formulas have size
// and depth limits checked before anything recursive runs, and --workers is capped at the machine's
// available parallelism. Each refusal is exit 2 with one clear, located message, and fast.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaults } from '@entente/core';
import { afterAll, describe, expect, it } from 'vitest';
import { entente, fixture } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const extending = (name: string, base: string): string =>
  write(name, `extends: ${JSON.stringify(base)}\nid: x\ntitle: x\n`);

/** Run the CLI and time it: a refusal should take about the start-up time. */
function timed(args: string[]) {
  const t0 = Date.now();
  const r = entente(args);
  return { ...r, ms: Date.now() - t0 };
}

describe('extends reads only regular files, of bounded size', () => {
  const oversized = write('oversized.yaml', `# ${'x'.repeat(defaults.MAX_DOCUMENT_SIZE)}\n`);
  mkdirSync(join(dir, 'folder'));
  const fifo = join(dir, 'pipe.yaml');
  const hasFifo = spawnSync('mkfifo', [fifo]).status === 0;

  it.each([
    ['/dev/zero', '/dev/zero', /"\/dev\/zero": is a character device, not a regular file/],
    ['a directory', './folder', /"\S*folder": is a directory, not a file/],
    [
      'an oversized file',
      './oversized.yaml',
      /"\S*oversized\.yaml": is 4,194,307 bytes \(4 MiB\) long; the limit is 4,194,304 bytes \(4 MiB\)/,
    ],
  ])('extends: %s → exit 2 at once, one message at the extends line', (_what, base, message) => {
    const file = extending(`extends-${base.replace(/\W/g, '')}.yaml`, base);
    const r = timed(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.ms).toBeLessThan(5000);
    expect(r.stdout).toMatch(
      new RegExp(`^\\S+\\.yaml:1:10: extends: cannot read the base file ${message.source}`),
    );
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!hasFifo)('extends: a named pipe → exit 2 at once (no wait for a writer)', () => {
    const r = timed(['validate', extending('extends-fifo.yaml', './pipe.yaml')]);
    expect(r.code).toBe(2);
    expect(r.ms).toBeLessThan(5000);
    expect(r.stdout).toContain('is a named pipe (FIFO), not a regular file');
  });

  it('the file named on the command line is held to the same rules', () => {
    for (const [file, message] of [
      ['/dev/zero', '/dev/zero: (document): is a character device, not a regular file'],
      [oversized, 'is 4,194,307 bytes (4 MiB) long; the limit is 4,194,304 bytes (4 MiB)'],
    ] as const) {
      const r = timed(['run', file, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.ms).toBeLessThan(5000);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});

describe('formulas and documents past the limits', () => {
  const scenario = (formula: string): string =>
    `id: deep\ntitle: deep\nhorizon: { steps: 3 }\nparams: { a: 0.5 }\nderived:\n  d: "${formula}"\noutcomes: { o: { when: "d > 0" } }\nprimary: o\n`;

  it('5,000 nested nots: exit 2, the limit and the depth, at the line and column where it passes the limit', () => {
    const file = write('nots.yaml', scenario(`${'not '.repeat(5000)}a`));
    for (const args of [
      ['validate', file],
      ['run', file, '--quiet'],
    ]) {
      const r = timed(args);
      expect(r.code).toBe(2);
      expect(r.ms).toBeLessThan(5000);
      const out = r.stdout + r.stderr;
      // Column: 6 (the value's quote) + 1 + 4 × 99 (the hundredth `not` is the 101st level).
      expect(out).toMatch(
        /nots\.yaml:6:403: derived\.d: in formula "(not ){19}not…" \(20001 characters\): the formula nests 5,001 levels deep; the limit is 100/,
      );
      // A long formula is abbreviated in the message, not printed whole.
      expect(out.length).toBeLessThan(2_000);
      expect(out).toContain('split it into derived values');
      expect(out).not.toMatch(/\n\s+at |RangeError|internal error/);
    }
  });

  it('a 2,000-term sum and 1,200 nested conditionals: exit 2 with a clear message, no stack trace', () => {
    for (const formula of [Array(2000).fill('a').join(' + '), `${'a > 0 ? 1 : '.repeat(1200)}0`]) {
      const r = timed(['validate', write('long.yaml', scenario(formula))]);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/the formula (nests|is) [\d,]+ (levels deep|characters long); the limit is/);
    }
  });

  it('a billion laughs and 100,000 nested brackets: exit 2 with a document error', () => {
    const lol = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++)
      lol.push(
        `l${i}: &l${i} [${Array(9)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const cases: [string, RegExp][] = [
      [write('lol.yaml', `${lol.join('\n')}\n`), /aliases copy data too many times.*the limit is 100 copies/],
      [
        write('deep.yaml', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`),
        /nest [\d,]{7} levels deep here; the limit is 64/,
      ],
    ];
    for (const [file, message] of cases) {
      const r = timed(['validate', file]);
      expect(r.code).toBe(2);
      expect(r.ms).toBeLessThan(5000);
      expect(r.stdout).toMatch(message);
    }
  });
});

describe('--workers', () => {
  const cores = availableParallelism();
  const args = ['run', fixture('hazard.yaml'), '--runs', '100000', '--format', 'json'];

  it(`above the available parallelism (${cores}) is capped: fast, and the same result`, () => {
    const capped = timed([...args, '--workers', '100', '--quiet']);
    expect(capped.code).toBe(0);
    // 100 threads took 34 s and 2.9 GB for this kind of job; capped, it takes about a second.
    expect(capped.ms).toBeLessThan(20_000);
    expect(capped.stdout).toBe(entente([...args, '--workers', String(cores)]).stdout);
    expect(capped.stderr).toBe('');
  });

  it('says so in one line on stderr (not with --quiet)', () => {
    const r = entente([...args, '--workers', '100']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `--workers 100: this machine runs ${cores} thread${cores === 1 ? '' : 's'} at once, so ${cores} will be used (the result is the same)\n`,
    );
  });
});
