// Regenerate (or, with --check, verify) the results tables in the scenario packs' READMEs.
// A table sits between `<!-- results: ARGS -->` and `<!-- /results -->`, where ARGS are the
// arguments of `entente table`, run from the README's folder with the built CLI. The end-to-end
// test tests/scenarios.test.ts runs the same check, so a stale table fails the suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/entente.mjs');
const MARKER = /<!-- results: (.+?) -->\n[\s\S]*?<!-- \/results -->/g;

/** The README's text with every results table regenerated. */
export function regenerate(readme) {
  const dir = dirname(readme);
  const text = readFileSync(readme, 'utf8');
  return text.replace(MARKER, (_, args) => {
    const r = spawnSync(process.execPath, [bin, 'table', ...args.split(/\s+/), '--quiet'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`entente table ${args} failed in ${dir}:\n${r.stderr}`);
    return `<!-- results: ${args} -->\n${r.stdout}<!-- /results -->`;
  });
}

export function packReadmes() {
  const scenarios = join(root, 'scenarios');
  return readdirSync(scenarios, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(scenarios, d.name, 'README.md')))
    .map((d) => join(scenarios, d.name, 'README.md'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const readme of packReadmes()) {
    const fresh = regenerate(readme);
    if (fresh === readFileSync(readme, 'utf8')) continue;
    if (check) {
      console.error(`${readme}: results table is stale (run: pnpm scenarios:tables)`);
      stale++;
    } else {
      writeFileSync(readme, fresh);
      console.log(`updated ${readme}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
