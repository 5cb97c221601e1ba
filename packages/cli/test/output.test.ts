// Writing results (issue 10, section 4): a failed write is a clear error and leaves nothing behind;
// --out is checked before any work; errors cross worker threads as data and come back the same.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioError, SimulationError } from '@entente/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { carryError, OutputError, reviveError, UsageError } from '../src/errors.js';
import { checkOutputPath, type WriteOps, writeFileAtomic } from '../src/io.js';
import { type CliIO, processIO } from '../src/io-streams.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Real file operations, except that writing fails with `code` after `written` bytes. */
function failingWrite(code: string, written: number): WriteOps {
  return {
    writeFileSync(path, text, options) {
      writeFileSync(path, text.slice(0, written), options);
      throw Object.assign(new Error(`${code}: simulated, write '${path}'`), { code });
    },
    renameSync,
    rmSync,
  };
}

describe('writeFileAtomic', () => {
  it('writes the file and leaves no temporary file', () => {
    const sub = mkdtempSync(join(dir, 'ok-'));
    writeFileAtomic(join(sub, 'r.json'), '{"a":1}\n');
    expect(readdirSync(sub)).toEqual(['r.json']);
    expect(readFileSync(join(sub, 'r.json'), 'utf8')).toBe('{"a":1}\n');
  });

  it.each([
    ['ENOSPC', 'no space left on device (ENOSPC)'],
    ['EDQUOT', 'disk quota exceeded (EDQUOT)'],
    ['EACCES', 'permission denied (EACCES)'],
    ['EROFS', 'read-only file system (EROFS)'],
    ['EIO', 'input/output error (EIO)'],
  ])(
    '%s half-way through: an OutputError in plain words, the old file kept, no temporary file',
    (code, said) => {
      const sub = mkdtempSync(join(dir, `${code}-`));
      const target = join(sub, 'r.json');
      writeFileSync(target, 'old\n');
      let thrown: unknown;
      try {
        writeFileAtomic(target, 'x'.repeat(10_000), failingWrite(code, 4096));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(OutputError);
      expect((thrown as Error).message).toBe(`cannot write ${target}: ${said}; nothing was written`);
      expect(readdirSync(sub)).toEqual(['r.json']);
      expect(readFileSync(target, 'utf8')).toBe('old\n');
    },
  );

  it('a failing rename also removes the temporary file', () => {
    const sub = mkdtempSync(join(dir, 'rename-'));
    const ops: WriteOps = {
      writeFileSync,
      renameSync() {
        throw Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
      },
      rmSync,
    };
    expect(() => writeFileAtomic(join(sub, 'r.json'), 'text', ops)).toThrow(OutputError);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('an error without an errno code is a bug and is not disguised', () => {
    const ops: WriteOps = {
      writeFileSync() {
        throw new TypeError('bug');
      },
      renameSync,
      rmSync,
    };
    expect(() => writeFileAtomic(join(dir, 'bug.json'), 'text', ops)).toThrow(TypeError);
  });
});

describe('checkOutputPath', () => {
  it('accepts a new or existing file in a writable folder', () => {
    expect(() => checkOutputPath(join(dir, 'new.json'))).not.toThrow();
    writeFileSync(join(dir, 'existing.json'), '');
    expect(() => checkOutputPath(join(dir, 'existing.json'))).not.toThrow();
  });

  it.each([
    ['a missing folder', () => join(dir, 'missing', 'r.json'), /the folder .*missing does not exist/],
    ['a folder', () => dir, /it is a folder/],
    [
      'a file used as a folder',
      () => {
        writeFileSync(join(dir, 'plain'), '');
        return join(dir, 'plain', 'r.json');
      },
      /not a folder/,
    ],
    ['a device', () => '/dev/null', /not a regular file/],
    ['an empty name', () => '', /needs a file name/],
  ])('refuses %s with a UsageError', (_what, path, message) => {
    const p = path();
    expect(() => checkOutputPath(p)).toThrow(UsageError);
    expect(() => checkOutputPath(p)).toThrow(message);
  });

  it('a nested missing folder names the folder', () => {
    mkdirSync(join(dir, 'a'), { recursive: true });
    expect(() => checkOutputPath(join(dir, 'a', 'b', 'c.json'))).toThrow(/the folder .*a\/b does not exist/);
  });
});

describe('errors across worker threads', () => {
  it('a SimulationError comes back with its class, message and fields after a structured clone', () => {
    const e = new SimulationError('derived.y gave NaN at step 3 of trial 41', {
      path: ['derived', 'y'],
      step: 3,
      trial: 41,
      value: Number.NaN,
    });
    const carried = structuredClone(carryError(e)!);
    const back = reviveError(carried);
    expect(back).toBeInstanceOf(SimulationError);
    expect(back.message).toBe(e.message);
    expect((back as SimulationError).where).toEqual(e.where);
  });

  it('a ScenarioError keeps its issues; anything else is not carried', () => {
    const e = new ScenarioError([
      { path: ['params', 'x'], code: 'x', message: 'bad', file: 'f.yaml', line: 2 },
    ]);
    const back = reviveError(structuredClone(carryError(e)!));
    expect(back).toBeInstanceOf(ScenarioError);
    expect((back as ScenarioError).issues).toEqual(e.issues);
    expect(carryError(new TypeError('bug'))).toBeUndefined();
  });
});

describe('processIO: Ctrl-C twice, and stdout failures', () => {
  /** Run `body` with processIO's listeners installed and process.exit stubbed; remove them after. */
  function withProcessIO(body: (io: CliIO, exits: number[], errors: string[]) => void): void {
    const before = {
      sigint: process.listeners('SIGINT'),
      stdout: process.stdout.listeners('error'),
      stderr: process.stderr.listeners('error'),
    };
    const exits: number[] = [];
    const errors: string[] = [];
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      exits.push(code ?? 0);
    }) as typeof process.exit);
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(((s: string) => {
      errors.push(String(s));
      return true;
    }) as typeof process.stderr.write);
    try {
      body(processIO(), exits, errors);
    } finally {
      exit.mockRestore();
      write.mockRestore();
      for (const l of process.listeners('SIGINT')) if (!before.sigint.includes(l)) process.off('SIGINT', l);
      for (const l of process.stdout.listeners('error'))
        if (!before.stdout.includes(l)) process.stdout.off('error', l as () => void);
      for (const l of process.stderr.listeners('error'))
        if (!before.stderr.includes(l)) process.stderr.off('error', l as () => void);
    }
  }

  it('the first Ctrl-C goes to the run; a second exits 130 at once', () => {
    withProcessIO((io, exits, errors) => {
      let stops = 0;
      const remove = io.onInterrupt(() => {
        stops++;
      });
      process.emit('SIGINT');
      expect([stops, exits]).toEqual([1, []]);
      process.emit('SIGINT');
      expect([stops, exits]).toEqual([1, [130]]);
      expect(errors.join('')).toMatch(/^interrupted again/);
      remove();
    });
  });

  it('Ctrl-C with no run in progress exits 130', () => {
    withProcessIO((_io, exits) => {
      process.emit('SIGINT');
      expect(exits).toEqual([130]);
    });
  });

  it('EPIPE on stdout is quiet; a full stdout is one line and exit 1', () => {
    withProcessIO((_io, exits, errors) => {
      process.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      expect([exits, errors]).toEqual([[], []]);
      process.stdout.emit('error', Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' }));
      expect(exits).toEqual([1]);
      expect(errors).toEqual(['error: cannot write to stdout: no space left on device (ENOSPC)\n']);
    });
  });
});
