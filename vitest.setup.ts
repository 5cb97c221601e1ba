import fc from 'fast-check';

// Property tests run with a pinned seed so CI is reproducible; ENTENTE_FC_SEED overrides it to
// replay a failure (fast-check prints the seed and path of any counterexample).
const seed = Number(process.env.ENTENTE_FC_SEED ?? 424242);
fc.configureGlobal({ seed, numRuns: Number(process.env.ENTENTE_FC_RUNS ?? 100) });
if (!(globalThis as { __ententeSeedPrinted?: boolean }).__ententeSeedPrinted) {
  (globalThis as { __ententeSeedPrinted?: boolean }).__ententeSeedPrinted = true;
  console.log(`fast-check seed ${seed} (set ENTENTE_FC_SEED to change)`);
}
