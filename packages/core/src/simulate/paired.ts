import { Z95 } from '../defaults.js';
import { drive, driveAsync } from '../drive.js';
import type { CompiledModel } from '../model/compile.js';
import { type RunOptions, withDefaults } from './options.js';
import { trialPlayer } from './player.js';
import { type Simulation, trialRunner } from './simulate.js';
import { emptyTallies, type Tallies } from './tallies.js';

/** Trials where only the first scenario (n10) or only the other (n01) had the outcome by the horizon. */
export interface Discordance {
  n10: number;
  n01: number;
}

export interface PairedSimulation {
  /** One simulation per model, each exactly what `simulate` alone would give with the same options. */
  readonly simulations: Simulation[];
  /** For every model after the first, per outcome id the two models share: discordant trial counts. */
  readonly discordance: Record<string, Discordance>[];
}

/**
 * Run several models on the same trials with the same seed, trial by trial: common random numbers
 * across scenarios. Each model's tallies equal its own `simulate`; the pairing adds, for every model
 * after the first, how many trials disagree with the first on each shared outcome.
 */
export function simulatePaired(models: readonly CompiledModel[], options?: RunOptions): PairedSimulation {
  return drive(pairedChunks(models, options));
}

/** As `simulatePaired`, giving the event loop a turn between chunks (progress bars, Ctrl-C). Same result. */
export async function simulatePairedAsync(
  models: readonly CompiledModel[],
  options?: RunOptions,
): Promise<PairedSimulation> {
  return driveAsync(pairedChunks(models, options));
}

function* pairedChunks(
  models: readonly CompiledModel[],
  options?: RunOptions,
): Generator<void, PairedSimulation> {
  if (models.length === 0) throw new RangeError('simulatePaired needs at least one model');
  const o = withDefaults(options);
  if (o.precision !== undefined)
    throw new RangeError('precision mode is not available for paired runs; give runs');
  const runners = models.map((m) => trialRunner(m, o.seed));
  const tallies: Tallies[] = models.map((m) =>
    emptyTallies(m.plan.horizon, m.outcomeIds.length, m.plan.reports.length, o.firstTrial),
  );
  const first = models[0]!;
  const shared = models.map((m) =>
    first.outcomeIds.flatMap((id, k0) => {
      const k = m.outcomeIds.indexOf(id);
      return k >= 0 ? [{ id, k0, k, n10: 0, n01: 0 }] : [];
    }),
  );
  let stopped = false;
  for (let done = 0; done < o.runs; ) {
    const count = Math.min(o.chunkSize, o.runs - done);
    for (let trial = o.firstTrial + done; trial < o.firstTrial + done + count; trial++) {
      for (let m = 0; m < models.length; m++) runners[m]!.run(trial, tallies[m]!);
      const fp0 = runners[0]!.fp;
      for (let m = 1; m < models.length; m++) {
        const fp = runners[m]!.fp;
        for (const s of shared[m]!) {
          const a = fp0[s.k0]! > 0;
          const b = fp[s.k]! > 0;
          if (a && !b) s.n10++;
          else if (b && !a) s.n01++;
        }
      }
    }
    done += count;
    for (const t of tallies) t.runs = done;
    if (o.onProgress?.(done, o.runs) === false) {
      stopped = true;
      break;
    }
    if (done < o.runs) yield;
  }
  return {
    simulations: tallies.map((t) => ({ tallies: t, seed: o.seed, stopped })),
    discordance: shared.map((list) =>
      Object.fromEntries(list.map((s) => [s.id, { n10: s.n10, n01: s.n01 }])),
    ),
  };
}

/**
 * Discordant trials on one outcome between two models run on the same trials (trials `firstTrial` …
 * `firstTrial + runs − 1` with `seed`): the counts `simulatePaired` gives for that outcome, without
 * tallying anything else (attribution needs only these), each trial stopping once the outcome has
 * happened. Its first passage is what a whole trial gives, so the counts are the same integers (when
 * no formula fails: one that fails only after the outcome has happened is not reached here, where
 * `simulatePaired` throws); any split of the trials into blocks adds up to them.
 */
export function pairedDiscordance(
  variants: readonly [CompiledModel, CompiledModel] | readonly CompiledModel[],
  outcome: string,
  range: { seed: number | string; firstTrial: number; runs: number },
): Discordance {
  const [a, b] = variants;
  if (a === undefined || b === undefined) throw new RangeError('pairedDiscordance needs two models');
  const ka = a.outcomeIds.indexOf(outcome);
  const kb = b.outcomeIds.indexOf(outcome);
  if (ka < 0 || kb < 0) return { n10: 0, n01: 0 };
  // Only the outcome counts: each trial stops once it has happened.
  const first = trialPlayer(a, range.seed, ka);
  const second = trialPlayer(b, range.seed, kb);
  let n10 = 0;
  let n01 = 0;
  const end = range.firstTrial + range.runs;
  for (let trial = range.firstTrial; trial < end; trial++) {
    first.play(trial);
    second.play(trial);
    const x = first.fp[ka]! > 0;
    const y = second.fp[kb]! > 0;
    if (x && !y) n10++;
    else if (y && !x) n01++;
  }
  return { n10, n01 };
}

/**
 * The paired difference P(second) − P(first) from discordant counts over n common trials, with a
 * 95% interval: Δ = (n01 − n10)/n, SE = √(n10 + n01 − (n01 − n10)²/n)/n. Concordant trials carry no
 * information about the difference, which is why common random numbers make it so precise.
 */
export function pairedDifference(
  { n10, n01 }: Discordance,
  n: number,
): { estimate: number; ci95: [number, number] } {
  if (n === 0) return { estimate: 0, ci95: [-1, 1] };
  const estimate = (n01 - n10) / n;
  const se = Math.sqrt(Math.max(0, n10 + n01 - (n01 - n10) ** 2 / n)) / n;
  return { estimate, ci95: [Math.max(-1, estimate - Z95 * se), Math.min(1, estimate + Z95 * se)] };
}
