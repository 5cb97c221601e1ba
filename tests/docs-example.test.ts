import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from './cli.js';

// The worked example in docs/TESTING.md, copied into a fresh folder and run with vitest against the
// built packages (no source condition), as a user who copied it would run it. The folder sits under
// tests/ so that it resolves @entente/testing, fast-check and vitest from tests/node_modules.
const base = join(ROOT, 'tests', '.user');
mkdirSync(base, { recursive: true });
const dir = mkdtempSync(join(base, 'example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the docs/TESTING.md example runs as written', () => {
  const doc = readFileSync(join(ROOT, 'docs/TESTING.md'), 'utf8');
  const blocks = [...doc.matchAll(/<!-- file: (\S+) -->\n```\w+\n([\s\S]*?)```/g)];
  expect(blocks.map((b) => b[1])).toEqual(['my-scenario.yaml', 'rules.test.ts']);
  for (const [, name, text] of blocks) writeFileSync(join(dir, name!), text!);
  // The user's project root: an empty config, so vitest does not pick up this repository's own.
  writeFileSync(join(dir, 'vitest.config.mjs'), 'export default {};\n');
  const vitest = join(ROOT, 'tests/node_modules/vitest/vitest.mjs');
  const r = spawnSync(process.execPath, [vitest, 'run', '--root', dir, '--reporter=verbose'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  });
  const out = `${r.stdout}\n${r.stderr}`;
  expect(out, out).toMatch(/4 passed/);
  expect(r.status, out).toBe(0);
}, 120_000);
