// Regenerate (or, with --check, verify) the generated blocks in the scenario packs' READMEs:
// - a results table sits between `<!-- results: ARGS -->` and `<!-- /results -->`, where ARGS are
//   the arguments of `entente table`, run from the README's folder;
// - a backtest block sits between `<!-- backtest: ARGS -->` and `<!-- backtest:end -->`, where ARGS
//   are the arguments of `entente backtest` (the file's path is from the repository root, as the
//   block's "reproduce" line prints it), run from the repository root with `--format markdown`;
// - a calibration block sits between `<!-- calibrate: ARGS -->` and `<!-- calibrate:end -->`, where
//   ARGS are the arguments of `entente calibrate` (the backtest file's path from the repository
//   root, the `--free` params, `--runs`, `--folds`…), run the same way. A marker may not choose its
//   own output (`--format`, `--out`) or write files (`--write-scenario`);
// - a sensitivity block (`<!-- sensitivity: ARGS -->` … `<!-- sensitivity:end -->`) and a discovery
//   block (`<!-- discover: ARGS -->` … `<!-- discover:end -->`) hold the table output of
//   `entente sensitivity ARGS` and `entente discover ARGS` in a text fence, run the same way.
// All use the built CLI. The end-to-end test tests/scenarios.test.ts runs the same check, so a
// stale table or block fails the suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/entente.mjs');
const MARKER = /<!-- results: (.+?) -->\n[\s\S]*?<!-- \/results -->/g;
// Flags a backtest or calibrate marker may not set: the block is always markdown on stdout, and
// regenerating it writes no other file.
const FORBIDDEN = {
  backtest: /^(-f|--format|-o|--out)(=|$)/,
  calibrate: /^(-f|--format|-o|--out|--write-scenario)(=|$)/,
  sensitivity: /^(-f|--format|-o|--out)(=|$)/,
  discover: /^(-f|--format|-o|--out)(=|$)/,
};
// The format each kind of block is generated in: Markdown, or the table in a text fence.
const FORMAT = { backtest: 'markdown', calibrate: 'markdown', sensitivity: 'table', discover: 'table' };
const blockPatterns = (kind) => ({
  block: new RegExp(`<!-- ${kind}: (.+?) -->\\n[\\s\\S]*?<!-- ${kind}:end -->`, 'g'),
  start: new RegExp(`<!-- ${kind}: `, 'g'),
  end: new RegExp(`<!-- ${kind}:end -->`, 'g'),
  any: new RegExp(`<!-- ${kind}:`),
});

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

/**
 * The README's text (by default, as on disk) with every `kind` block (`backtest` or `calibrate`)
 * regenerated: `entente KIND ARGS --format markdown --quiet`, run from the repository root.
 */
function regenerateBlocks(kind, readme, text) {
  const { block, start, end } = blockPatterns(kind);
  const starts = text.match(start)?.length ?? 0;
  const ends = text.match(end)?.length ?? 0;
  const blocks = text.match(block)?.length ?? 0;
  if (starts !== ends || blocks !== starts) {
    throw new Error(
      `${readme}: ${starts} \`<!-- ${kind}: ARGS -->\` marker(s), ${ends} \`<!-- ${kind}:end -->\`, ${blocks} well-formed block(s)`,
    );
  }
  return text.replace(block, (_, args) => {
    const argv = args.split(/\s+/);
    if (argv.some((a) => FORBIDDEN[kind].test(a))) {
      throw new Error(
        `${readme}: a ${kind} marker sets its own output or writes a file (${args}); the block is always markdown on stdout`,
      );
    }
    const stdout = entente([kind, ...argv, '--format', FORMAT[kind], '--quiet'], root, `${kind} ${args}`);
    const body = FORMAT[kind] === 'markdown' ? stdout : `\`\`\`text\n${stdout}\`\`\`\n`;
    return `<!-- ${kind}: ${args} -->\n${body}<!-- ${kind}:end -->`;
  });
}

/** The README's text (by default, as on disk) with every backtest block regenerated. */
export function regenerateBacktests(readme, text = readFileSync(readme, 'utf8')) {
  return regenerateBlocks('backtest', readme, text);
}

/** The README's text (by default, as on disk) with every calibration block regenerated. */
export function regenerateCalibrations(readme, text = readFileSync(readme, 'utf8')) {
  return regenerateBlocks('calibrate', readme, text);
}

/** The README's text (by default, as on disk) with every sensitivity and discovery block regenerated. */
export function regenerateExperiments(readme, text = readFileSync(readme, 'utf8')) {
  return regenerateBlocks('discover', readme, regenerateBlocks('sensitivity', readme, text));
}

/** The pack READMEs that hold a sensitivity or discovery block. */
export function experimentReadmes() {
  return [...new Set([...readmesWith('sensitivity'), ...readmesWith('discover')])];
}

export function packReadmes() {
  const scenarios = join(root, 'scenarios');
  return readdirSync(scenarios, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(scenarios, d.name, 'README.md')))
    .map((d) => join(scenarios, d.name, 'README.md'));
}

/** The pack READMEs that hold at least one `kind` block (or a stray `kind` marker). */
function readmesWith(kind) {
  const { any } = blockPatterns(kind);
  return packReadmes().filter((readme) => any.test(readFileSync(readme, 'utf8')));
}

/** The pack READMEs that hold at least one backtest block (or a stray backtest marker). */
export function backtestReadmes() {
  return readmesWith('backtest');
}

/** The pack READMEs that hold at least one calibration block (or a stray calibrate marker). */
export function calibrateReadmes() {
  return readmesWith('calibrate');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const readme of packReadmes()) {
    const old = readFileSync(readme, 'utf8');
    const tables = regenerate(readme, old);
    const backtests = regenerateBacktests(readme, tables);
    const calibrations = regenerateCalibrations(readme, backtests);
    const fresh = regenerateExperiments(readme, calibrations);
    if (fresh === old) continue;
    if (check) {
      const what = [
        tables !== old && 'results table',
        backtests !== tables && 'backtest block',
        calibrations !== backtests && 'calibration block',
        fresh !== calibrations && 'sensitivity or discovery block',
      ].filter(Boolean);
      const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : what[0];
      console.error(
        `${readme}: ${list} ${what.length > 1 ? 'are' : 'is'} stale (run: pnpm scenarios:tables)`,
      );
      stale++;
    } else {
      writeFileSync(readme, fresh);
      console.log(`updated ${readme}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
