import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { ROOT } from './cli.js';

// The core promises to run in a browser: no I/O, no Node-only imports. Bundle it for the browser
// and run a scenario inside a bare JavaScript context that has no Node APIs at all.
it('@entente/core bundles for the browser and runs a scenario without Node', async () => {
  const result = await build({
    stdin: {
      contents: `import { loadScenarioOrThrow, run } from '@entente/core';
        globalThis.answer = (text) => run(loadScenarioOrThrow(text), { runs: 2000 }).outcomes.cooled.probability;`,
      resolveDir: join(ROOT, 'tests'),
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    conditions: ['@entente/source'],
    write: false,
    logLevel: 'silent',
  });
  expect(result.errors).toEqual([]);
  const code = result.outputFiles[0]!.text;
  const context = createContext({ setTimeout: (f: () => void) => f() });
  runInContext(code, context);
  const text = readFileSync(join(ROOT, 'scenarios/baku-israel/baseline.yaml'), 'utf8');
  const p = (context.answer as (t: string) => number)(text);
  expect(p).toBeGreaterThan(0);
  expect(p).toBeLessThan(0.2);
  // Nothing from Node was reached for.
  expect(context.process).toBeUndefined();
});
