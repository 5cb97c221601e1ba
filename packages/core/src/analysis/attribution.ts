import { produce } from 'immer';
import { RESERVED_PREFIX } from '../alliance/expand.js';
import { DEFAULT_SEED, Z95 } from '../defaults.js';
import { drive, driveAsync } from '../drive.js';
import { checkFormula } from '../formula/check.js';
import { canonicalJson, fingerprint } from '../hash.js';
import { ScenarioError } from '../issues.js';
import { validateData } from '../load.js';
import { type CompiledModel, compileScenario } from '../model/compile.js';
import type { Scenario } from '../schema/scenario.js';
import type { TrialTracking } from '../simulate/options.js';
import { type Discordance, pairedDifference, pairedDiscordance } from '../simulate/paired.js';
import { trialPlayer } from '../simulate/player.js';
import { trackedPlay } from '../simulate/simulate.js';
import { ExactSum } from '../stats/exactSum.js';
import { poissonBounds } from '../stats/poisson.js';
import { QuantileSketch } from '../stats/sketch.js';
import { type Binding, bindParams } from './bind.js';

/** One interest or pressure: how much it weighs, and what it does to the primary outcome. */
export interface Driver {
  id: string;
  kind: 'interest' | 'pressure';
  direction: 'hold' | 'push';
  label?: string;
  /**
   * The deciding actor whose own net incentive it enters (docs/ALLIANCE.md, "Strategic actors");
   * absent for the focal actor's inputs. Its contribution is to that actor's net incentive, and its
   * effect on the focal outcome runs through that actor's choices, so it has no sign fixed in advance.
   */
  actor?: string;
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
  /**
   * Trials its pair of variants ran (trials 0 … runs − 1): as many as its `tolerance` needed, at
   * most the attribution's `runs`; 0 for an input that does not vary (its effect is 0 exactly).
   */
  runs: number;
}

/**
 * When a pair of variants has run enough trials: once the half-width of its effect's 95% interval
 * is within `absolute` (in probability) or within `relative` × |effect|, whichever is larger.
 * `{ absolute: 0, relative: 0 }` runs every pair on all of attribution's `runs` trials.
 */
export interface AttributionTolerance {
  absolute: number;
  relative: number;
}

export interface AttributionOptions {
  /** Trials for the tracking run, and the most for each pair of variants. @defaultValue 20,000 */
  runs?: number;
  /**
   * When each pair of variants stops before `runs` (see AttributionTolerance and ATTRIBUTION_STAGES).
   * @defaultValue ATTRIBUTION_TOLERANCE: ±0.5 percentage points or ±10% of the effect
   */
  tolerance?: AttributionTolerance;
  seed?: number | string;
  /**
   * Checked between chunks of trials and between variants: once `aborted` is true, attribution
   * stops and throws `reason` (an AbortSignal fits). `attributeAsync` gives the event loop a turn at
   * the same points, so a Ctrl-C handler can set it while attribution runs.
   */
  signal?: { readonly aborted: boolean; readonly reason?: unknown };
  /**
   * Where the pairs of variants run (worker threads, other processes); on this thread when absent.
   * `attributeAsync` only: `attribute` refuses it. The drivers are the same bits either way.
   */
  pairs?: PairRunner;
  /**
   * The tracking pass, done by the run that gave the result (see ContributionTracker): attribution
   * then plays only its pairs of variants. The drivers are the same bits.
   */
  tracked?: ContributionTracker;
  /**
   * `holdableModel(model)`, when the caller has it already (and has warmed its code up by playing the
   * run's trials with it): attribution binds its variants to it instead of compiling it again.
   */
  holdable?: CompiledModel;
  /**
   * Params bound at run time (`bindParams`; the CLI's `--set`): the drivers are those of
   * `bindParams(model, bind)`, and `model` is the scenario as compiled. Pass the binding rather than
   * a bound model: the variants are compiled from the model's own scenario and bound with it, which
   * also holds when a bound scenario could not be validated again (a param in `correlations:` bound
   * to a number).
   */
  bind?: Binding;
}

/**
 * The scenario in which every contribution can be held at a constant by binding params, and the
 * trials that attribution runs in it. Plain data, so that it can cross threads and processes.
 */
export interface HeldScenario {
  /**
   * A valid core scenario: the model's own, with each contribution's formula F replaced by
   * `entente_hold_ID ? entente_held_ID : (F)` and those two params added (0 and 0). Validate it
   * (`validateData`) and compile it once; bind the params for each variant.
   */
  readonly scenario: Scenario;
  /** Its fingerprint: the same scenario has the same hash (to cache its compiled model by). */
  readonly hash: string;
  /** The outcome whose discordant counts attribution needs (the primary outcome). */
  readonly primary: string;
  readonly seed: number | string;
  /** The most trials a pair runs (trials 0 … runs − 1). */
  readonly runs: number;
}

/**
 * One input's pair of variants: `HeldScenario.scenario` with the input's contribution held at its
 * 10th percentile (`low`) and at its 90th (`high`), as param bindings, and the trials to run them on
 * (`firstTrial` … `firstTrial + runs − 1`): attribution runs each pair in stages (see
 * ATTRIBUTION_STAGES), each stage on the trials after the last.
 */
export interface HeldPair {
  readonly id: string;
  readonly low: Binding;
  readonly high: Binding;
  readonly firstTrial: number;
  readonly runs: number;
}

/**
 * Runs attribution's pairs of variants elsewhere. `run` must resolve to one Discordance per pair,
 * in order: the trials among the pair's `firstTrial` … `firstTrial + runs − 1` (with `seed`) on
 * which only `low` (n10) or only `high` (n01) reached the primary outcome, as
 * `pairedDiscordance([bound(low), bound(high)], primary, { seed, firstTrial, runs })` counts them. The counts are integers, so any split of the pairs and of the trials
 * into blocks adds up to exactly the same numbers. `prepare` is called before the tracking pass
 * (which runs on this thread), so that compiling the held scenario elsewhere can overlap it.
 */
export interface PairRunner {
  prepare?(held: HeldScenario): void;
  run(held: HeldScenario, pairs: readonly HeldPair[]): Promise<Discordance[]>;
}

/** The most trials attribution uses unless told (and the tracking run's): ±0.007 at worst on each variant, far less on a paired difference. */
export const ATTRIBUTION_RUNS = 20_000;

/**
 * Each pair of variants runs until its effect's 95% interval is within ±0.5 percentage points or
 * ±10% of the effect, whichever is wider: enough to rank drivers and to tell an input that matters
 * from one that does not, at a fraction of the trials most pairs would take at a fixed count.
 */
export const ATTRIBUTION_TOLERANCE: AttributionTolerance = { absolute: 0.005, relative: 0.1 };

/**
 * How pairs are staged. Every pair first runs `first` trials; then, from its discordant counts so
 * far, the trials its interval needs to be within tolerance (rounded up to a multiple of `step`,
 * at most `runs`), and again until it is within tolerance or has run `runs`. The stages depend only
 * on the counts, which are integers, so the drivers are the same bits wherever the trials run.
 */
export const ATTRIBUTION_STAGES = { first: 2_000, step: 1_000 } as const;

/** Trials between abort checks (and event-loop turns): well under 0.1 s of work. Results do not depend on it. */
const CHUNK = 1_000;

/** The two params that hold input `id`'s contribution: whether it is held, and at what value. */
export function holdParams(id: string): { hold: string; held: string } {
  return { hold: `${RESERVED_PREFIX}hold_${id}`, held: `${RESERVED_PREFIX}held_${id}` };
}

/**
 * Attribute the primary outcome to each interest and pressure: its mean contribution to the net
 * incentive, and its effect — the probability with its contribution held at its 10th versus its
 * 90th percentile, all else as in the scenario and on the same trials. Ranked by |effect|.
 */
export function attribute(model: CompiledModel, options: AttributionOptions = {}): Driver[] {
  if (options.pairs !== undefined)
    throw new TypeError('attribute runs its pairs on this thread: use attributeAsync for options.pairs');
  return drive(attribution(model, options));
}

/**
 * As `attribute`, giving the event loop a turn between chunks of trials, so that a progress bar can
 * redraw and Ctrl-C can abort it through `signal`, and running the pairs through `options.pairs`
 * when given. The drivers are identical to `attribute`'s.
 */
export async function attributeAsync(
  model: CompiledModel,
  options: AttributionOptions = {},
): Promise<Driver[]> {
  return driveAsync(attribution(model, options));
}

/**
 * The work of attribution. It yields `undefined` (after checking `signal`) between chunks of trials
 * and variants, and a promise when the pairs run elsewhere, to be resumed with its value.
 */
function* attribution(
  model: CompiledModel,
  options: AttributionOptions,
): Generator<Promise<unknown> | undefined, Driver[], unknown> {
  const info = model.alliance;
  if (info === undefined || info.inputs.length === 0) return [];
  const runs = options.runs ?? ATTRIBUTION_RUNS;
  const seed = options.seed ?? DEFAULT_SEED;
  const pause = function* (): Generator<undefined, void> {
    throwIfAborted(options.signal);
    yield undefined;
    throwIfAborted(options.signal);
  };
  const bind = options.bind ?? {};
  const base = Object.keys(bind).length === 0 ? model : bindOrThrow(model, bind);
  const held = heldScenario(model, seed, runs);
  const runner = held === undefined ? undefined : options.pairs;
  if (held !== undefined) runner?.prepare?.(held);
  const { inputs: tracked, hits } =
    options.tracked === undefined
      ? yield* trackContributions(base, runs, seed, pause)
      : trackedFrom(options.tracked, model, runs, seed);
  const bounds = tracked.map((t) => ({ low: t.sketch.quantile(0.1), high: t.sketch.quantile(0.9) }));
  // An input that does not vary has no effect, exactly: its pair is not run.
  const varying = bounds.flatMap((b, i) => (b.high !== b.low ? [i] : []));

  const tolerance = scaledTolerance(options.tolerance ?? ATTRIBUTION_TOLERANCE, hits / runs);
  const discordance: Discordance[] = info.inputs.map(() => ({ n10: 0, n01: 0 }));
  const ran: number[] = info.inputs.map(() => 0);
  // On this thread (no runner): the held scenario is compiled once and each variant bound to it. A
  // scenario whose contribution formulas are too big to wrap (the formula limits) compiles a
  // variant each.
  const compiled =
    runner !== undefined || held === undefined || varying.length === 0
      ? undefined
      : options.holdable?.hash === held.hash
        ? options.holdable
        : compileHeld(held);
  const local = new Map<number, CompiledModel[]>();
  const variantsOf = (i: number): CompiledModel[] => {
    let variants = local.get(i);
    if (variants === undefined) {
      const input = info.inputs[i]!;
      const { low, high } = bounds[i]!;
      const pair = heldPair(input.id, bounds[i]!, bind, { firstTrial: 0, runs: 0 });
      variants =
        compiled === undefined
          ? [constantVariant(base, input.contribution, low), constantVariant(base, input.contribution, high)]
          : [bound(compiled, pair.low), bound(compiled, pair.high)];
      local.set(i, variants);
    }
    return variants;
  };

  // In stages: every pair runs the trials after its last stage's, up to the trials it needs.
  let wanted = varying.map((i) => ({ i, upTo: Math.min(runs, ATTRIBUTION_STAGES.first) }));
  while (wanted.length > 0) {
    if (runner !== undefined && held !== undefined) {
      const pairs = wanted.map(({ i, upTo }) =>
        heldPair(info.inputs[i]!.id, bounds[i]!, bind, { firstTrial: ran[i]!, runs: upTo - ran[i]! }),
      );
      yield* pause();
      const counts = (yield runner.run(held, pairs)) as Discordance[];
      throwIfAborted(options.signal);
      if (counts.length !== pairs.length)
        throw new Error(`internal: ${pairs.length} pairs of variants gave ${counts.length} results`);
      for (const [k, { i }] of wanted.entries()) {
        discordance[i]!.n10 += counts[k]!.n10;
        discordance[i]!.n01 += counts[k]!.n01;
      }
    } else {
      for (const { i, upTo } of wanted) {
        const variants = variantsOf(i);
        // In chunks of trials: discordant counts are integers, so the sum over chunks is exact.
        for (let done = ran[i]!; done < upTo; done += CHUNK) {
          yield* pause();
          const d = pairedDiscordance(variants, model.scenario.primary, {
            seed,
            firstTrial: done,
            runs: Math.min(CHUNK, upTo - done),
          });
          discordance[i]!.n10 += d.n10;
          discordance[i]!.n01 += d.n01;
        }
      }
    }
    for (const { i, upTo } of wanted) ran[i] = upTo;
    wanted = wanted.flatMap(({ i }) => {
      const upTo = trialsNeeded(discordance[i]!, ran[i]!, runs, tolerance);
      return upTo > ran[i]! ? [{ i, upTo }] : [];
    });
  }

  const drivers: Driver[] = info.inputs.map((input, i) => {
    const t = tracked[i]!;
    const sign = input.direction === 'push' ? 1 : -1;
    const difference = effectInterval(discordance[i]!, ran[i]!);
    return {
      id: input.id,
      kind: input.kind,
      direction: input.direction,
      ...(input.label === undefined ? {} : { label: input.label }),
      ...(input.actor === undefined ? {} : { actor: input.actor }),
      contribution: (sign * t.sum.value()) / (runs * model.plan.horizon),
      low: bounds[i]!.low,
      high: bounds[i]!.high,
      effect: ran[i] === 0 ? 0 : difference.estimate,
      effectCi95: ran[i] === 0 ? [0, 0] : difference.ci95,
      runs: ran[i]!,
    };
  });
  return drivers.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.id.localeCompare(b.id));
}

/**
 * The tolerance for a scenario whose primary outcome has probability `p` (over the tracked trials):
 * the absolute part is at most `relative` × p, so that in a scenario where the outcome is rare, and
 * every effect small, the drivers are still told apart (a pair that cannot get there runs `runs`);
 * but not below `relative` × RARE_FLOOR, so that an outcome that (almost) never happens does not
 * send every pair to its last trial to show that nothing moves it.
 */
export function scaledTolerance(tolerance: AttributionTolerance, p: number): AttributionTolerance {
  if (!(tolerance.relative > 0)) return tolerance;
  return {
    absolute: Math.min(tolerance.absolute, tolerance.relative * Math.max(p, RARE_FLOOR)),
    relative: tolerance.relative,
  };
}

/** Below this P(primary), the absolute tolerance stops shrinking: ±0.1 points at the default 10%. */
export const RARE_FLOOR = 0.01;

/**
 * How many trials a pair should have run, given its discordant counts over the `ran` it has: `ran`
 * when its interval (`effectInterval`) is within tolerance or it has run `runs`; else what the
 * width of a normal interval says it needs, rounded up to a stage step, at least one step more and
 * at most `runs` (the next stage checks the interval itself again).
 */
export function trialsNeeded(
  d: Discordance,
  ran: number,
  runs: number,
  tolerance: AttributionTolerance,
): number {
  if (ran >= runs) return ran;
  const { estimate, ci95 } = effectInterval(d, ran);
  const allowed = Math.max(tolerance.absolute, tolerance.relative * Math.abs(estimate));
  if (!(allowed > 0)) return runs;
  if (Math.max(ci95[1] - estimate, estimate - ci95[0]) <= allowed) return ran;
  // Per-trial variance of the paired difference, counting at least three discordant trials.
  const variance = Math.max(0, Math.max(d.n10 + d.n01, 3) / ran - estimate * estimate);
  const needed = Math.ceil((Z95 * Z95 * variance) / (allowed * allowed));
  const step = ATTRIBUTION_STAGES.step;
  return Math.min(runs, Math.max(ran + step, Math.ceil(needed / step) * step));
}

/**
 * Discordant trials below which a pair's interval is not the normal one: with few counts it
 * under-covers (for one-sided counts near 8 in 2,000 trials, 89%), and a pair may stop after 2,000.
 */
export const EXACT_BELOW = 30;

/**
 * An effect and its 95% interval. With `EXACT_BELOW` or more discordant trials, `pairedDifference`'s
 * (Δ = (n01 − n10)/n, SE = √(n10 + n01 − (n01 − n10)²/n)/n); with fewer, from exact Poisson bounds
 * on each count at 97.5% (Bonferroni: both hold together at 95% or more): [L01 − U10, U01 − L10]/n.
 * Conservative, and never of zero width: with no discordant trial in 2,000, ±0.0022.
 */
export function effectInterval(d: Discordance, n: number): { estimate: number; ci95: [number, number] } {
  if (d.n10 + d.n01 >= EXACT_BELOW) return pairedDifference(d, n);
  const estimate = (d.n01 - d.n10) / n;
  const [l01, u01] = poissonBounds(d.n01, 0.025);
  const [l10, u10] = poissonBounds(d.n10, 0.025);
  return { estimate, ci95: [Math.max(-1, (l01 - u10) / n), Math.min(1, (u01 - l10) / n)] };
}

/** Input `id`'s pair of bindings: its contribution held at `low`, and at `high` (with `bind`'s params). */
function heldPair(
  id: string,
  { low, high }: { low: number; high: number },
  bind: Binding,
  trials: { firstTrial: number; runs: number },
): HeldPair {
  const { hold, held } = holdParams(id);
  return {
    id,
    low: { ...bind, [hold]: 1, [held]: low },
    high: { ...bind, [hold]: 1, [held]: high },
    ...trials,
  };
}

/**
 * The model's scenario with every contribution holdable by two params (see HeldScenario), or
 * undefined when a contribution's formula is too big to wrap (within the formula limits as written,
 * beyond them wrapped). The wrapped formula evaluates one branch: a held contribution draws nothing,
 * exactly as a constant would, and every random site keeps its own stream (its name is its path and
 * its place in the formula, which the wrapping leaves alone), so each variant is bit for bit the
 * scenario with that contribution replaced by a constant.
 */
function heldScenario(model: CompiledModel, seed: number | string, runs: number): HeldScenario | undefined {
  const inputs = model.alliance?.inputs ?? [];
  let fits = true;
  const scenario = produce(model.scenario, (d) => {
    d.params ??= {};
    for (const input of inputs) {
      const { hold, held } = holdParams(input.id);
      d.params[hold] = 0;
      d.params[held] = 0;
      const derived = d.derived![input.contribution]!;
      const source = typeof derived === 'object' ? derived.formula : derived;
      // On lines of their own, so that a comment (#) at the end of F ends there.
      const wrapped = `${hold} ? ${held} : (\n${String(source)}\n)`;
      fits &&= withinLimits(wrapped);
      d.derived![input.contribution] =
        typeof derived === 'object' ? { ...derived, formula: wrapped } : wrapped;
    }
  });
  if (!fits) return undefined;
  return {
    scenario,
    hash: fingerprint(canonicalJson(scenario)),
    primary: model.scenario.primary,
    seed,
    runs,
  };
}

/**
 * The model with every contribution holdable and nothing held (HeldScenario), compiled: it plays the
 * same trials as `model`, bit for bit, so a run may play them with it, warming up the very code
 * attribution then binds its variants to (`AttributionOptions.holdable`). Its scenario is the core
 * scenario with the hold params added: report results with `model`. Undefined without inputs to
 * attribute, or when a contribution is too big to wrap.
 */
export function holdableModel(model: CompiledModel): CompiledModel | undefined {
  if ((model.alliance?.inputs.length ?? 0) === 0) return undefined;
  const held = heldScenario(model, DEFAULT_SEED, 0);
  return held === undefined ? undefined : compileHeld(held);
}

/** Whether a formula is within the formula limits (length, depth, size), whatever its names mean. */
function withinLimits(source: string): boolean {
  const checked = checkFormula(source, {
    symbol: () => 0,
    member: () => 0,
    names: () => [],
    site: () => 0,
  });
  return (
    checked.ok ||
    !checked.problems.some((p) => p.code === 'formula.too-deep' || p.code === 'formula.too-large')
  );
}

/** Validate and compile a held scenario: it always does, since the model's own scenario did. */
function compileHeld(held: HeldScenario): CompiledModel {
  const valid = validateData(held.scenario);
  if (!valid.ok)
    throw new Error(`internal: attribution's held scenario is invalid: ${valid.issues[0]?.message}`);
  const compiled = compileScenario(valid.value);
  if (!compiled.ok)
    throw new Error(`internal: attribution's held scenario does not compile: ${compiled.issues[0]?.message}`);
  return compiled.value;
}

function bound(model: CompiledModel, binding: Binding): CompiledModel {
  const b = bindParams(model, binding);
  if (!b.ok) throw new Error(`internal: attribution cannot bind ${b.issues[0]?.message}`);
  return b.value;
}

/** The model with the caller's binding: a binding that does not fit the model is the caller's error. */
function bindOrThrow(model: CompiledModel, binding: Binding): CompiledModel {
  const b = bindParams(model, binding);
  if (!b.ok) throw new ScenarioError(b.issues);
  return b.value;
}

/** The scenario with a contribution replaced by a constant, validated and compiled: a variant without binding. */
function constantVariant(model: CompiledModel, contribution: string, value: number): CompiledModel {
  const data = produce(model.scenario, (d) => {
    d.derived![contribution] = value;
  });
  const valid = validateData(data);
  if (!valid.ok) throw new Error(`internal: attribution variant is invalid: ${valid.issues[0]?.message}`);
  const compiled = compileScenario(valid.value);
  if (!compiled.ok)
    throw new Error(`internal: attribution variant does not compile: ${compiled.issues[0]?.message}`);
  return compiled.value;
}

/** Throw the signal's reason (an AbortError when it gives none) once it is aborted. */
function throwIfAborted(signal: AttributionOptions['signal']): void {
  if (signal?.aborted !== true) return;
  if (signal.reason !== undefined) throw signal.reason;
  const e = new Error('attribution was aborted');
  e.name = 'AbortError';
  throw e;
}

/**
 * Attribution's tracking pass, done by a run that plays the same trials anyway: pass `track` as
 * `RunOptions.track` to a run of the model attribution starts from (the model, bound with
 * `options.bind` if any) with the same seed on at least `runs` trials from trial 0, then pass the
 * tracker as `AttributionOptions.tracked`. The drivers are the same bits as without it, and the run's
 * result is its own: tracking only reads the slots after each step.
 */
export interface ContributionTracker {
  readonly track: TrialTracking;
  readonly runs: number;
  readonly seed: number | string;
}

interface Tracked {
  sum: ExactSum;
  sketch: QuantileSketch;
}

/** What each tracker has recorded: per input, and the next trial it expects. */
const trackerState = new WeakMap<
  ContributionTracker,
  { out: Tracked[]; next: number; horizon: number; hits: number }
>();

/**
 * A tracker for attribution of `model` on `runs` trials with `seed` (the defaults of `attribute`
 * when omitted), or undefined for a model without inputs to attribute.
 */
export function contributionTracker(
  model: CompiledModel,
  options: { runs?: number; seed?: number | string; playing?: CompiledModel } = {},
): ContributionTracker | undefined {
  const inputs = model.alliance?.inputs ?? [];
  if (inputs.length === 0) return undefined;
  // The model whose trials are played (its holdable form, say): the same names, other slots.
  const playing = options.playing ?? model;
  const plan = playing.plan;
  const slots = inputs.map((i) => plan.slotNames.indexOf(i.contribution));
  const state = {
    out: inputs.map(() => ({ sum: new ExactSum(), sketch: new QuantileSketch() })),
    next: 0,
    horizon: plan.horizon,
    hits: 0,
  };
  const primary = playing.outcomeIds.indexOf(model.scenario.primary);
  const runs = options.runs ?? ATTRIBUTION_RUNS;
  const tracker: ContributionTracker = {
    runs,
    seed: options.seed ?? DEFAULT_SEED,
    track: {
      slots,
      trials: runs,
      onTrial(trial, sums, fp) {
        // Trials come in order from trial 0, each once (a run in chunks, on one thread).
        if (trial !== state.next)
          throw new RangeError(
            `a contribution tracker takes trials 0, 1, 2, … in order; got trial ${trial}, expected ${state.next}`,
          );
        state.next++;
        if (fp[primary]! > 0) state.hits++;
        for (let i = 0; i < sums.length; i++) {
          state.out[i]!.sum.add(sums[i]!);
          state.out[i]!.sketch.add(sums[i]! / state.horizon);
        }
      },
    },
  };
  trackerState.set(tracker, state);
  return tracker;
}

/** A tracker's records, once it has seen every trial attribution needs, with its seed. */
function trackedFrom(
  tracker: ContributionTracker,
  model: CompiledModel,
  runs: number,
  seed: number | string,
): { inputs: Tracked[]; hits: number } {
  const state = trackerState.get(tracker);
  if (state === undefined) throw new TypeError('tracked: not a tracker from contributionTracker');
  if (tracker.runs !== runs || state.next !== runs || String(tracker.seed) !== String(seed))
    throw new RangeError(
      `tracked: the tracker has seen ${state.next} of ${tracker.runs} trials with seed ${String(tracker.seed)}; attribution needs ${runs} with seed ${String(seed)}`,
    );
  if (state.out.length !== (model.alliance?.inputs.length ?? 0))
    throw new RangeError('tracked: the tracker is for another model');
  return { inputs: state.out, hits: state.hits };
}

/** Time-averaged value of each input's contribution in each trial: a sum over everything and a sketch over trials. */
function* trackContributions(
  model: CompiledModel,
  runs: number,
  seed: number | string,
  pause: () => Generator<undefined, void>,
): Generator<undefined, { inputs: Tracked[]; hits: number }> {
  const tracker = contributionTracker(model, { runs, seed })!;
  const play = trackedPlay(trialPlayer(model, seed), tracker.track);
  for (let trial = 0; trial < runs; trial++) {
    if (trial > 0 && trial % CHUNK === 0) yield* pause();
    play(trial);
  }
  return trackedFrom(tracker, model, runs, seed);
}
