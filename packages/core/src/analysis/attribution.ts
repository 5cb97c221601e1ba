import { produce } from 'immer';
import { DEFAULT_SEED } from '../defaults.js';
import { validateData } from '../load.js';
import { type CompiledModel, compileScenario } from '../model/compile.js';
import { type Discordance, pairedDifference, simulatePaired } from '../simulate/paired.js';
import { trialPlayer } from '../simulate/player.js';
import { ExactSum } from '../stats/exactSum.js';
import { QuantileSketch } from '../stats/sketch.js';

/** One interest or pressure: how much it weighs, and what it does to the primary outcome. */
export interface Driver {
  id: string;
  kind: 'interest' | 'pressure';
  direction: 'hold' | 'push';
  label?: string;
  /** Mean signed contribution to the net incentive over all steps and trials (push +, hold −). */
  contribution: number;
  /** 10th and 90th percentiles over trials of its time-averaged (unsigned) contribution. */
  low: number;
  high: number;
  /**
   * P(primary) with the contribution held at `high` minus with it held at `low`, on the same
   * trials (common random numbers).
   */
  effect: number;
  /** Paired 95% interval of `effect`. */
  effectCi95: [number, number];
}

export interface AttributionOptions {
  /** Trials for the tracking run and for each pair of variants. @defaultValue 20,000 */
  runs?: number;
  seed?: number | string;
  /**
   * Checked between chunks of trials and between variants: once `aborted` is true, attribution
   * stops and throws `reason` (an AbortSignal fits). `attributeAsync` gives the event loop a turn at
   * the same points, so a Ctrl-C handler can set it while attribution runs.
   */
  signal?: { readonly aborted: boolean; readonly reason?: unknown };
}

/** Trials attribution uses unless told: ±0.007 at worst on each variant, far less on a paired difference. */
export const ATTRIBUTION_RUNS = 20_000;

/** Trials between abort checks (and event-loop turns): well under 0.1 s of work. Results do not depend on it. */
const CHUNK = 1_000;

/**
 * Attribute the primary outcome to each interest and pressure: its mean contribution to the net
 * incentive, and its effect — the probability with its contribution held at its 10th versus its
 * 90th percentile, all else as in the scenario and on the same trials. Ranked by |effect|.
 */
export function attribute(model: CompiledModel, options: AttributionOptions = {}): Driver[] {
  const it = attribution(model, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/**
 * As `attribute`, giving the event loop a turn between chunks of trials, so that a progress bar can
 * redraw and Ctrl-C can abort it through `signal`. The drivers are identical to `attribute`'s.
 */
export async function attributeAsync(
  model: CompiledModel,
  options: AttributionOptions = {},
): Promise<Driver[]> {
  const it = attribution(model, options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setTimeout(() => resolve(), 0));
  }
}

/** The work of attribution; it yields (after checking `signal`) between chunks of trials and variants. */
function* attribution(model: CompiledModel, options: AttributionOptions): Generator<void, Driver[]> {
  const info = model.alliance;
  if (info === undefined || info.inputs.length === 0) return [];
  const runs = options.runs ?? ATTRIBUTION_RUNS;
  const seed = options.seed ?? DEFAULT_SEED;
  const pause = function* (): Generator<void, void> {
    throwIfAborted(options.signal);
    yield;
    throwIfAborted(options.signal);
  };
  const tracked = yield* trackContributions(
    model,
    info.inputs.map((i) => i.contribution),
    runs,
    seed,
    pause,
  );

  const held = (contribution: string, value: number): CompiledModel => {
    const data = produce(model.scenario, (d) => {
      d.derived![contribution] = value;
    });
    const valid = validateData(data);
    if (!valid.ok) throw new Error(`internal: attribution variant is invalid: ${valid.issues[0]?.message}`);
    const compiled = compileScenario(valid.value);
    if (!compiled.ok)
      throw new Error(`internal: attribution variant does not compile: ${compiled.issues[0]?.message}`);
    return compiled.value;
  };

  const drivers: Driver[] = [];
  for (const [i, input] of info.inputs.entries()) {
    const t = tracked[i]!;
    const low = t.sketch.quantile(0.1);
    const high = t.sketch.quantile(0.9);
    const sign = input.direction === 'push' ? 1 : -1;
    const discordance: Discordance = { n10: 0, n01: 0 };
    if (high !== low) {
      const variants = [held(input.contribution, low), held(input.contribution, high)];
      yield* pause();
      // In chunks of trials: discordant counts are integers, so the sum over chunks is exact.
      for (let done = 0; done < runs; done += CHUNK) {
        const paired = simulatePaired(variants, {
          runs: Math.min(CHUNK, runs - done),
          firstTrial: done,
          seed,
        });
        const d = paired.discordance[1]![model.scenario.primary];
        if (d !== undefined) {
          discordance.n10 += d.n10;
          discordance.n01 += d.n01;
        }
        if (done + CHUNK < runs) yield* pause();
      }
    }
    const difference = pairedDifference(discordance, runs);
    drivers.push({
      id: input.id,
      kind: input.kind,
      direction: input.direction,
      ...(input.label === undefined ? {} : { label: input.label }),
      contribution: (sign * t.sum.value()) / (runs * model.plan.horizon),
      low,
      high,
      effect: difference.estimate,
      effectCi95: difference.ci95,
    });
    if (i + 1 < info.inputs.length) yield* pause();
  }
  return drivers.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.id.localeCompare(b.id));
}

/** Throw the signal's reason (an AbortError when it gives none) once it is aborted. */
function throwIfAborted(signal: AttributionOptions['signal']): void {
  if (signal?.aborted !== true) return;
  if (signal.reason !== undefined) throw signal.reason;
  const e = new Error('attribution was aborted');
  e.name = 'AbortError';
  throw e;
}

/** Time-averaged value of each named slot in each trial: a sum over everything and a sketch over trials. */
function* trackContributions(
  model: CompiledModel,
  names: string[],
  runs: number,
  seed: number | string,
  pause: () => Generator<void, void>,
) {
  const plan = model.plan;
  const slots = names.map((n) => plan.slotNames.indexOf(n));
  const { v, play } = trialPlayer(model, seed);
  const out = names.map(() => ({ sum: new ExactSum(), sketch: new QuantileSketch() }));
  const perTrial = new Float64Array(names.length);
  const onStep = (step: number): void => {
    if (step === 0) return;
    for (let i = 0; i < slots.length; i++) perTrial[i]! += v[slots[i]!]!;
  };
  for (let trial = 0; trial < runs; trial++) {
    if (trial > 0 && trial % CHUNK === 0) yield* pause();
    perTrial.fill(0);
    play(trial, onStep);
    for (let i = 0; i < slots.length; i++) {
      out[i]!.sum.add(perTrial[i]!);
      out[i]!.sketch.add(perTrial[i]! / plan.horizon);
    }
  }
  return out;
}
