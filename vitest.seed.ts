/**
 * fast-check's seed for the whole suite: pinned, printed once at the start of every run, and
 * overridable with ENTENTE_FC_SEED to replay a failure (a failing property also prints its seed
 * and path). ENTENTE_FC_RUNS changes the number of runs per property.
 */
export function fastCheckSettings(): { seed: number; numRuns: number } {
  return {
    seed: Number(process.env.ENTENTE_FC_SEED ?? 424242),
    numRuns: Number(process.env.ENTENTE_FC_RUNS ?? 100),
  };
}

/** vitest globalSetup: print the seed once per run. */
export default function printSeed(): void {
  const { seed, numRuns } = fastCheckSettings();
  console.log(
    `fast-check seed ${seed}, ${numRuns} runs per property (override with ENTENTE_FC_SEED / ENTENTE_FC_RUNS)`,
  );
}
