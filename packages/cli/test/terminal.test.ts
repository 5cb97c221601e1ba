import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliIO, main } from '../src/index.js';

/** An in-process terminal: what the CLI wrote, and whether it thinks it is on a TTY. */
function terminal(tty: boolean, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (s: string) => out.push(s), isTTY: tty },
    stderr: { write: (s: string) => err.push(s), isTTY: tty },
    env,
    onInterrupt: () => () => {},
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const dir = mkdtempSync(join(tmpdir(), 'entente-cli-'));
const file = join(dir, 'walk.yaml');
writeFileSync(
  file,
  'id: walk\ntitle: Walk\nhorizon: { steps: 300 }\nstate:\n  x: { init: 0, update: "x + normal(0, 1)" }\noutcomes:\n  o: { when: "x > 1000" }\nprimary: o\n',
);

describe('terminal conventions', () => {
  it('colour on a terminal, none with NO_COLOR or when piped', async () => {
    const tty = terminal(true);
    expect(await main(['run', file, '--runs', '200', '--quiet'], tty.io)).toBe(0);
    expect(tty.out()).toContain('\u001b[');
    const noColor = terminal(true, { NO_COLOR: '1' });
    await main(['run', file, '--runs', '200', '--quiet'], noColor.io);
    expect(noColor.out()).not.toContain('\u001b[');
    const piped = terminal(false);
    await main(['run', file, '--runs', '200'], piped.io);
    expect(piped.out()).not.toContain('\u001b[');
  });

  it('a progress bar on stderr for a long run on a terminal; none with --quiet or when piped', async () => {
    // The delay is set to 0 so the test does not depend on the machine's speed.
    const now = { ENTENTE_PROGRESS_DELAY_MS: '0' };
    const tty = terminal(true, now);
    expect(await main(['run', file, '--runs', '20000'], tty.io)).toBe(0);
    expect(tty.err()).toMatch(/trials .*\/20000/);
    const quiet = terminal(true, now);
    await main(['run', file, '--runs', '20000', '--quiet'], quiet.io);
    expect(quiet.err()).toBe('');
    const piped = terminal(false, now);
    await main(['run', file, '--runs', '20000'], piped.io);
    expect(piped.err()).toBe('');
  });
});
