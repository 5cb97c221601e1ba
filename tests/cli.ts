import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'packages/cli/dist/entente.mjs');
export const fixture = (name: string): string => join('tests/fixtures', name);

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run the build first (pnpm build)`);

/** Run the built CLI as a user would, from the repository root, with stdout and stderr piped. */
export function entente(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start the CLI and hand back the child, for signals. */
export function startEntente(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}
