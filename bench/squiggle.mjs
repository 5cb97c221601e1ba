// bench/models/static-betas.yaml in Squiggle 0.10, for `pnpm bench` (issue 13): the whole process is
// timed from outside, as the engine's CLI is. Squiggle is not a dependency of this repository:
//   mkdir -p /tmp/squiggle && cd /tmp/squiggle && npm install @quri/squiggle-lang@0.10.0
//   SQUIGGLE_DIR=/tmp/squiggle npx -y pnpm@12.4.2 bench
// Usage: node bench/squiggle.mjs SQUIGGLE_DIR SAMPLES — prints P(y > 0.9) from the samples.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, samples = '1000000'] = process.argv.slice(2);
const { run } = await import(pathToFileURL(join(dir, 'node_modules/@quri/squiggle-lang/dist/index.js')).href);
const code = `
a = beta(2, 5)
b = beta(0.7, 1.6)
c = beta(8, 3)
y = a * b + c
1 - cdf(y, 0.9)
`;
const n = Number(samples);
const out = await run(code, { environment: { sampleCount: n, xyPointLength: 1000, seed: 'bench' } });
if (!out.result.ok) {
  console.error(out.result.value.toString());
  process.exit(1);
}
console.log(out.result.value.result.toString());
