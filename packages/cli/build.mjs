// Bundle the CLI into one ESM file so it starts fast (unbundled, importing mathjs alone costs ~0.9 s).
// Workspace packages are bundled from source through the @entente/source export condition.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@entente/source'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  // yaml and commander use require() for Node built-ins; an ESM bundle needs a real require.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __entente_cr } from 'node:module'; const require = __entente_cr(import.meta.url);",
  },
  logLevel: 'warning',
  // piscina finds its own worker script next to itself, so it stays a package resolved at run time.
  external: ['piscina'],
};
// `entente report` imports @entente/report (with Vega and Vega-Lite, ~1 MB) dynamically: splitting puts
// it, and only it, in chunks under dist/chunks/ that load when the command runs, so other commands
// start as fast as without it. Code the two share stays in entente.mjs's own chunk.
rmSync('dist/chunks', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { entente: 'src/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// Worker threads load this file (packages/cli/src/parallel.ts).
await build({ ...common, entryPoints: ['src/worker.ts'], outfile: 'dist/worker.mjs' });
// … and this one for backtests (packages/cli/src/parallel.ts, simulateEpisodesInParallel).
await build({ ...common, entryPoints: ['src/backtestWorker.ts'], outfile: 'dist/backtest-worker.mjs' });
chmodSync('dist/entente.mjs', 0o755);
