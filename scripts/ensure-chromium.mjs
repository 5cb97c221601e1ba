// Part of `pnpm test`: the report's browser test (tests/report-browser.test.ts) needs Debian's
// Chromium at /usr/bin/chromium, and browser downloads are not possible here. On a fresh machine
// where we are root and apt-get exists (CI), install it; otherwise say how, and let the test itself
// fail with the same advice. ENTENTE_SKIP_BROWSER=1 or ENTENTE_CHROMIUM=/path skips this step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const skip = process.env.ENTENTE_SKIP_BROWSER === '1' || process.env.ENTENTE_CHROMIUM !== undefined;
if (skip || existsSync(CHROMIUM)) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
if (!root || !apt) {
  console.error(
    `note: ${CHROMIUM} is missing and cannot be installed from here (${root ? 'no apt-get' : 'not root'}): ` +
      'install it with `apt-get install -y chromium`, or set ENTENTE_SKIP_BROWSER=1 to skip the browser test',
  );
  process.exit(0);
}
console.error(`${CHROMIUM} is missing: installing Debian's chromium for the browser test (about a minute)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update'], ['install', '-y', 'chromium']]) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) {
    console.error(
      `apt-get ${args.join(' ')} failed (exit ${r.status}); the browser test will say what is missing`,
    );
    process.exit(0);
  }
}
console.error(
  existsSync(CHROMIUM) ? `installed ${CHROMIUM}` : `apt-get finished but ${CHROMIUM} is still missing`,
);
