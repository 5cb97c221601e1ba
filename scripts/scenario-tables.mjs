// Regenerate (or, with --check, verify) the generated blocks in the scenario packs' READMEs:
// - a results table sits between `<!-- results: ARGS -->` and `<!-- /results -->`, where ARGS are
//   the arguments of `entente table`, run from the README's folder;
// - a backtest block sits between `<!-- backtest: ARGS -->` and `<!-- backtest:end -->`, where ARGS
//   are the arguments of `entente backtest` (the file's path is from the repository root, as the
//   block's "reproduce" line prints it), run from the repository root with `--format markdown`.
// Both use the built CLI. The end-to-end test tests/scenarios.test.ts runs the same check, so a
// stale table or block fails the suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/entente.mjs');
const MARKER = /<!-- results: (.+?) -->\n[\s\S]*?<!-- \/results -->/g;
const BACKTEST = /<!-- backtest: (.+?) -->\n[\s\S]*?<!-- backtest:end -->/g;
const BACKTEST_START = /<!-- backtest: /g;
const BACKTEST_END = /<!-- backtest:end -->/g;

function entente(args, cwd, what) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`entente ${what} failed in ${cwd}:\n${r.stderr}`);
  return r.stdout;
}

/** The README's text (by default, as on disk) with every results table regenerated. */
export function regenerate(readme, text = readFileSync(readme, 'utf8')) {
  const dir = dirname(readme);
  return text.replace(MARKER, (_, args) => {
    const stdout = entente(['table', ...args.split(/\s+/), '--quiet'], dir, `table ${args}`);
    return `<!-- results: ${args} -->\n${stdout}<!-- /results -->`;
  });
}

/** The README's text (by default, as on disk) with every backtest block regenerated. */
export function regenerateBacktests(readme, text = readFileSync(readme, 'utf8')) {
  const starts = text.match(BACKTEST_START)?.length ?? 0;
  const ends = text.match(BACKTEST_END)?.length ?? 0;
  const blocks = text.match(BACKTEST)?.length ?? 0;
  if (starts !== ends || blocks !== starts) {
    throw new Error(
      `${readme}: ${starts} \`<!-- backtest: ARGS -->\` marker(s), ${ends} \`<!-- backtest:end -->\`, ${blocks} well-formed block(s)`,
    );
  }
  return text.replace(BACKTEST, (_, args) => {
    const argv = args.split(/\s+/);
    if (argv.some((a) => /^(-f|--format|-o|--out)(=|$)/.test(a))) {
      throw new Error(
        `${readme}: a backtest marker sets its own output (${args}); the block is always markdown on stdout`,
      );
    }
    const stdout = entente(
      ['backtest', ...argv, '--format', 'markdown', '--quiet'],
      root,
      `backtest ${args}`,
    );
    return `<!-- backtest: ${args} -->\n${stdout}<!-- backtest:end -->`;
  });
}

export function packReadmes() {
  const scenarios = join(root, 'scenarios');
  return readdirSync(scenarios, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(scenarios, d.name, 'README.md')))
    .map((d) => join(scenarios, d.name, 'README.md'));
}

/** The pack READMEs that hold at least one backtest block (or a stray backtest marker). */
export function backtestReadmes() {
  return packReadmes().filter((readme) => /<!-- backtest:/.test(readFileSync(readme, 'utf8')));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const readme of packReadmes()) {
    const old = readFileSync(readme, 'utf8');
    const tables = regenerate(readme, old);
    const fresh = regenerateBacktests(readme, tables);
    if (fresh === old) continue;
    if (check) {
      const what = [tables !== old && 'results table', fresh !== tables && 'backtest block'].filter(Boolean);
      console.error(
        `${readme}: ${what.join(' and ')} ${what.length > 1 ? 'are' : 'is'} stale (run: pnpm scenarios:tables)`,
      );
      stale++;
    } else {
      writeFileSync(readme, fresh);
      console.log(`updated ${readme}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
