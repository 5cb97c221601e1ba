// Does a thread simulate slower while another thread starts? (issue 13, BENCHMARKS.md "Worker
// scaling, looked into".) Needs `npx -y pnpm@12.4.2 -r run build` first. Each thread loads the
// flagship, warms up on 20,000 trials, then times 400,000.
//   node bench/threads.mjs 0           this thread alone
//   node bench/threads.mjs 2           two worker threads, this thread idle
//   node bench/threads.mjs 1 main      one worker, and this thread at once
//   node bench/threads.mjs 1 main 600  one worker, and this thread 600 ms later
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const core = await import(new URL('../packages/core/dist/index.js', import.meta.url).href);
const file = new URL('../scenarios/baku-israel/baseline.yaml', import.meta.url);
const RUNS = 400_000;

/** ms to simulate `runs` trials from `first`, after a warm-up. */
function work(first, runs) {
  const m = core.loadScenarioOrThrow(readFileSync(file, 'utf8'), { file: 'baseline.yaml' });
  core.simulate(m, { runs: 20_000, firstTrial: first + 900_000 });
  const t = performance.now();
  core.simulate(m, { runs, firstTrial: first });
  return performance.now() - t;
}

if (isMainThread) {
  const [n = 0, main, delay] = process.argv.slice(2);
  if (Number(n) === 0) console.log('this thread alone', work(0, RUNS).toFixed(0), 'ms');
  else {
    const workers = Array.from(
      { length: Number(n) },
      (_, k) =>
        new Promise((done) =>
          new Worker(new URL(import.meta.url), { workerData: { first: k * RUNS } }).on('message', done),
        ),
    );
    if (delay !== undefined) await new Promise((r) => setTimeout(r, Number(delay)));
    const here = main === 'main' ? work(Number(n) * RUNS, RUNS) : undefined;
    const there = await Promise.all(workers);
    console.log(
      `${n} worker(s): ${there.map((t) => t.toFixed(0)).join(', ')} ms${here === undefined ? '' : `; this thread ${here.toFixed(0)} ms`}`,
    );
  }
} else parentPort.postMessage(work(workerData.first, RUNS));
