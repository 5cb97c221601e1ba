import { exprToJs, integer, numberLiteral } from '../formula/codegen.js';
import { helpers } from '../formula/functions.js';
import { aleaNext, aleaOpen } from '../random/alea.js';
import { copulaUniform, normalScore } from '../random/copula.js';
import { baseSlot, firstDraw } from '../random/seed.js';
import { invariants, stepDerived } from './hoist.js';
import type { Assignment, Formula, Plan, PlannedEffect } from './plan.js';
import { SLOT_T } from './plan.js';
import { loopRuns } from './runs.js';
import { failTrial, PROBABILITY_SLACK, recheck, streamOffset, type TrialFn } from './trial.js';

/**
 * Compile a plan into JavaScript, so the engine runs as fast as a hand-written loop: one function
 * for the whole trial, or, for a model too large for V8's optimising compiler in one function, a
 * trial function that calls one function per chunk of each phase (see `trialSource`). Only numbers
 * and indices from the plan reach the source (see exprToJs); the function sees nothing but its
 * arguments and the helpers passed in. Throws if the platform forbids code generation, in which
 * case the caller uses the interpreter (interpret.ts).
 */
export function generateTrial(plan: Plan): TrialFn {
  return trialFactory(plan)(plan);
}

type Factory = (...args: unknown[]) => TrialFn;

const compile = (source: string): Factory =>
  new Function(
    'P',
    'C',
    'H',
    'fail',
    'next',
    'open',
    'Z',
    'U',
    'recheck',
    'PA',
    'PW',
    'first',
    `"use strict";\n${source}`,
  ) as Factory;

/**
 * Compile a plan's source once and return a function that makes its trial function for any plan
 * of the same shape (the same source): a plan whose params have other samplers or values, as
 * binding makes (the copulas' factors are in the source, so they must be the plan's own). Creating
 * a trial from the factory costs microseconds; compiling costs milliseconds.
 *
 * The trial function defers its checks (`checks: 'deferred'`); its `checked` property, compiled the
 * first time a trial needs it, is the same trial with every check in place, which the player runs to
 * replay a trial whose deferred check failed (simulate/player.ts). `layout.split` forces a layout
 * (for tests); by default it follows the source's size.
 */
export function trialFactory(
  plan: Plan,
  layout: Pick<SourceOptions, 'split'> = {},
): (bound: Plan) => TrialFn {
  const { source, split } = laidOut(plan, { ...layout, checks: 'deferred' });
  const fast = compile(source);
  // The replay draws its params as this source does (`drawnSites`): the same layout, whatever its size.
  const { alone } = drawnAlone(plan);
  const drawnSites = drawsInLoop(alone, split) ? alone.map((k) => plan.params[k]!.site) : [];
  let full: Factory | undefined;
  return (bound) => {
    const args = [
      bound.params.map((p) => p.sampler.quantile),
      Float64Array.from(paramConstants(bound), (c) => c.value),
      helpers,
      failTrial,
      aleaNext,
      aleaOpen,
      normalScore,
      copulaUniform,
      recheck,
      // The params drawn in a loop, in its order: uniform ones as a + w·u (NaN for the others), the
      // very arithmetic of their quantile, rather than through one call site shared by every param.
      Float64Array.from(alone, (k) => bound.params[k]!.sampler.affine?.a ?? Number.NaN),
      Float64Array.from(alone, (k) => bound.params[k]!.sampler.affine?.w ?? Number.NaN),
      firstDraw,
    ];
    const trial = fast(...args);
    Object.defineProperty(trial, 'drawnSites', { value: drawnSites });
    let checked: TrialFn | undefined;
    Object.defineProperty(trial, 'checked', {
      get: (): TrialFn => {
        full ??= compile(trialSource(plan, { split, checks: 'each' }));
        checked ??= Object.defineProperty(full(...args), 'drawnSites', { value: drawnSites });
        return checked;
      },
    });
    return trial;
  };
}

/** The constants that are params, in the order generated code reads them from `C`. */
export const paramConstants = (plan: Plan): Plan['constants'] =>
  plan.constants.filter((c) => c.param !== undefined);

export interface SourceOptions {
  /**
   * `each` (the default): every formula's result is tested for NaN and ±∞ where it is computed, and
   * every probability for [0, 1], and a failure throws at once (`fail`, a TrialFailure naming the
   * formula and step). `deferred`: results are summed into `chk`, which is tested once at the end of
   * the trial and before each `onStep` call (a sum is finite only if every term is; it may overflow,
   * which only costs a replay), and a bad probability calls `recheck` at once; either way the trial
   * throws a Recheck, and the player replays it with the `each` source.
   */
  readonly checks?: 'each' | 'deferred';
  /** One function per chunk (true), one function (false), or by size (undefined, the default). */
  readonly split?: boolean;
}

/**
 * Estimated bytecode (bytes) above which a trial is split into chunk functions. V8 does not
 * optimise a function of more than 60 KB (61,440 bytes) of bytecode; one function keeps every slot
 * in a local variable, which is faster while it stays optimisable, so the limit is set near it.
 */
export const SPLIT_BYTECODE = 54_000;

/**
 * V8's bytecode for a source of this generator, estimated: about a byte per character and 40 per
 * call. Fitted to `node --print-bytecode` (Node 20) on four kinds of model near the limit (decaying
 * states with noise, one-operation updates, param-only and mixed alliance models): within 2%, where
 * characters alone are off by 25% (0.97–1.27 bytes per character).
 */
export function estimatedBytecode(source: string): number {
  let calls = 0;
  for (let k = source.indexOf('('); k > 0; k = source.indexOf('(', k + 1)) {
    const c = source.charCodeAt(k - 1);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) calls++;
  }
  return Math.round(0.96 * source.length + 40 * calls);
}

/**
 * Characters of statements per chunk function when split: ~14 KB of bytecode, far under the limit,
 * and each chunk optimises on its own (in a fraction of a second of a background thread's time).
 */
export const CHUNK_CHARS = 12_000;

/**
 * The generated source, exported so a test can read it and a curious user can see it.
 *
 * One function (small models): slots live in local variables (`s0`, `s1`, …) while the trial runs,
 * as they would in a hand-written loop, and are written back to `v` before each `onStep` call and
 * when the trial ends. Split (large models): slots live in `v`, and each phase of the trial (draws
 * and initial values; regimes and events; state updates; derived values; outcomes) is a sequence
 * of functions `f0`, `f1`, … of at most about CHUNK_CHARS characters each, which the trial function
 * calls in order; derived values are one sequence, called again in a step where an event fired.
 * With deferred checks each chunk sums its own results and returns 1 if the sum is not finite.
 * Both execute the same operations in the same order, so they give the same bits.
 */
export function trialSource(plan: Plan, options: SourceOptions = {}): string {
  return laidOut(plan, options).source;
}

/** The source, and whether it is split. */
function laidOut(plan: Plan, options: SourceOptions): { source: string; split: boolean } {
  const deferred = options.checks === 'deferred';
  if (options.split === true) return { source: splitSource(plan, deferred), split: true };
  const single = singleSource(plan, deferred);
  return options.split === false || estimatedBytecode(single) <= SPLIT_BYTECODE
    ? { source: single, split: false }
    : { source: splitSource(plan, deferred), split: true };
}

/** The statements of a trial, phase by phase, for a given way of naming slots. */
interface Phases {
  /** Draws, regimes' initial states and initial values (step 0). */
  readonly start: string[];
  /** The step's regimes and events, each a whole statement; an event that fires sets `fired`. */
  readonly moves: string[];
  /** Derived values recomputed every step (and again after an event fires). */
  readonly derived: string[];
  /** State updates into their temporaries, then the copies back. */
  readonly updates: string[];
  /** Outcomes not yet met; a newly met one sets `fp[k] = t` and decrements `left`. */
  readonly outcomes: string[];
  /** Locals the start phase needs for correlated groups (`z0`, …), or ''. */
  readonly zs: string;
  /** How many loop invariants (hoist.ts) the last statements of `start` compute, into `hv(k)`. */
  readonly invariants: number;
}

/**
 * `loops`: constants read from `C` and params drawn alone are left out of `start`, for the caller to
 * set in a loop over number arrays (split sources: thousands of unrolled calls to as many quantile
 * functions would take V8 seconds to optimise, for code that runs once per trial).
 */
function phases(
  plan: Plan,
  sv: (slot: number) => string,
  hv: (k: number) => string,
  deferred: boolean,
  loops = false,
): Phases {
  const i = integer;
  // Step 0 reads every formula whole; later steps read loop invariants from `hv`, computed once.
  const inv = invariants(plan);
  let js = (e: Formula['expr']): string => exprToJs(e, sv);
  const check = (id: number, step: string): string =>
    deferred ? 'chk += x;' : `if (x - x !== 0) fail(${i(id)}, ${step}, x, 'value');`;
  const bad = (id: number, x: string): string =>
    deferred ? 'recheck(t);' : `fail(${i(id)}, t, ${x}, 'probability');`;
  const assign = (a: Assignment, step: string): string =>
    `x = ${js(a.expr)}; ${check(a.id, step)} ${sv(a.slot)} = x;`;
  const probability = (f: Formula): string => `x = ${js(f.expr)}; if (!(x >= 0 && x <= 1)) ${bad(f.id, 'x')}`;
  const setRegime = (flagSlots: readonly number[], indexSlot: number, state: string): string =>
    `${sv(indexSlot)} = ${state}; ${flagSlots.map((f, k) => `${sv(f)} = ${state} === ${k} ? 1 : 0;`).join(' ')}`;
  const effect = (e: PlannedEffect): string => {
    if (e.kind === 'regime') {
      const r = plan.regimes[e.regime]!;
      return setRegime(r.flagSlots, r.indexSlot, String(i(e.state)));
    }
    const value = js(e.value.expr);
    const slot = sv(e.slot);
    const x = e.kind === 'set' ? value : e.kind === 'scale' ? `${slot} * ${value}` : `${slot} + ${value}`;
    return `x = ${x}; ${check(e.value.id, 't')} ${slot} = x;`;
  };

  const start: string[] = [];
  let fromC = 0;
  for (const c of plan.constants) {
    if (c.param === undefined) start.push(`${sv(c.slot)} = ${numberLiteral(c.value)};`);
    else if (!loops) start.push(`${sv(c.slot)} = C[${i(fromC++)}];`);
  }
  const correlated = new Set(plan.copulas.flatMap((g) => g.members));
  plan.params.forEach((p, k) => {
    if (!loops && !correlated.has(k))
      start.push(`${sv(p.slot)} = P[${i(k)}](open(S, ${i(streamOffset(p.site))}));`);
  });
  // A correlated group (random/copula.ts): z_j = Z(u_j) from each member's own stream, then member j
  // draws at U(Σ_{k≤j} L[j][k] z_k), summed left to right as interpret.ts does; member 0 keeps u_0.
  const groupSize = Math.max(0, ...plan.copulas.map((g) => g.members.length));
  const zs =
    groupSize > 0 ? `let ${Array.from({ length: groupSize }, (_, j) => `z${i(j)} = 0`).join(', ')};` : '';
  for (const g of plan.copulas) {
    const group: string[] = [];
    g.members.forEach((k, j) => {
      const p = plan.params[k]!;
      const draw = `open(S, ${i(streamOffset(p.site))})`;
      if (j === 0) {
        group.push(`u = ${draw}; z0 = Z(u); ${sv(p.slot)} = P[${i(k)}](u);`);
        return;
      }
      const row = g.factor[j]!;
      let w = `${numberLiteral(row[0]!)} * z0`;
      for (let m = 1; m <= j; m++) w = `(${w}) + ${numberLiteral(row[m]!)} * z${i(m)}`;
      group.push(`z${i(j)} = Z(${draw}); ${sv(p.slot)} = P[${i(k)}](U(${w}));`);
    });
    start.push(group.join('\n'));
  }
  for (const r of plan.regimes) start.push(setRegime(r.flagSlots, r.indexSlot, String(i(r.initial))));
  for (const a of plan.init) start.push(assign(a, '0'));

  const stepSlot = (slot: number): string => (slot < 0 ? hv(-1 - slot) : sv(slot));
  js = (e) => exprToJs(inv.rewrite(e), stepSlot);
  const moves: string[] = [];
  for (const r of plan.regimes) {
    const index = sv(r.indexSlot);
    const M: string[] = [`u = next(S, ${i(streamOffset(r.site))}); acc = 0; dn = 0; nx = ${index};`];
    r.moves.forEach((ms, from) => {
      if (ms.length === 0) return;
      M.push(`if (${index} === ${i(from)}) {`);
      for (const m of ms) {
        M.push(
          m.down
            ? `${probability(m.p)} dn += x; if (nx === ${i(from)} && u >= 1 - dn) nx = ${i(m.to)};`
            : `${probability(m.p)} acc += x; if (nx === ${i(from)} && u < acc) nx = ${i(m.to)};`,
        );
      }
      M.push(`if (acc + dn > ${numberLiteral(1 + PROBABILITY_SLACK)}) ${bad(r.rows[from]!, 'acc + dn')}`);
      M.push('}');
    });
    M.push(`if (nx !== ${index}) { ${setRegime(r.flagSlots, r.indexSlot, 'nx')} }`);
    moves.push(M.join('\n'));
  }
  for (const e of plan.events) {
    const E: string[] = [e.repeat ? '{' : `if (${sv(e.happenedSlot)} === 0) {`, `u = 0;`];
    if (e.at.length > 0) E.push(`if (${e.at.map((s) => `t === ${i(s)}`).join(' || ')}) u = 1;`);
    if (e.hazard) E.push(`${probability(e.hazard)} if (next(S, ${i(streamOffset(e.site))}) < x) u = 1;`);
    E.push(`if (u !== 0) { ${sv(e.happenedSlot)} = 1; ${sv(e.countSlot)} += 1; fired = 1;`);
    for (const ef of e.effects) E.push(effect(ef));
    E.push('}}');
    moves.push(E.join('\n'));
  }
  // Derived values fixed for the trial keep the value `init` gives them (hoist.ts).
  const derived = stepDerived(plan).map((a) => assign(a, 't'));
  const updates = [
    ...plan.updates.map((a) => `x = ${js(a.expr)}; ${check(a.id, 't')} ${sv(a.temp)} = x;`),
    ...plan.updates.map((a) => `${sv(a.slot)} = ${sv(a.temp)};`),
  ];
  const outcomes = plan.outcomes.map(
    (o, k) =>
      `if (fp[${i(k)}] === 0) { x = ${js(o.expr)}; ${check(o.id, 't')} if (x !== 0) { fp[${i(k)}] = t; left--; } }`,
  );
  // The invariants the steps read, from step 0's values (every fixed slot is set by now).
  inv.exprs.forEach((e, k) => {
    start.push(`${hv(k)} = ${exprToJs(e, sv)};`);
  });
  return { start, moves, derived, updates, outcomes, zs, invariants: inv.exprs.length };
}

/** The whole trial in one function, slots in locals. */
function singleSource(plan: Plan, deferred: boolean): string {
  const i = integer;
  const sv = (slot: number): string => `s${i(slot)}`;
  const hv = (k: number): string => `h${i(k)}`;
  const { alone, constants } = drawnAlone(plan);
  const loops = drawsInLoop(alone, false);
  const ph = phases(plan, sv, hv, deferred, loops);
  const flush = plan.slotNames.map((_, k) => `v[${i(k)}] = ${sv(k)};`).join(' ');
  const verify = (step: string): string => (deferred ? `if (chk - chk !== 0) recheck(${step}); ` : '');
  const stopEarly = plan.reports.length === 0;
  const L: string[] = loops ? paramLists(plan, alone, constants) : [];
  L.push('return function trial(v, S, fp, onStep, stopOn, K) {');
  L.push(
    `let t = 0, x = 0, u = 0, acc = 0, dn = 0, nx = 0, fired = 0, left = ${i(plan.outcomes.length)}${deferred ? ', chk = 0' : ''};`,
  );
  L.push(`let ${plan.slotNames.map((_, k) => `${sv(k)} = 0`).join(', ')};`);
  if (ph.invariants > 0)
    L.push(`let ${Array.from({ length: ph.invariants }, (_, k) => `${hv(k)} = 0`).join(', ')};`);
  if (ph.zs !== '') L.push(ph.zs);
  if (loops) {
    // Many params: drawn in one loop into `v` (one call site of `first`, which V8 inlines, where 200
    // unrolled calls outgrow its inlining budget and box every draw), then read into their locals.
    L.push(...paramLoops(plan, alone), 't = 0;');
    L.push(
      [...constants, ...alone.map((k) => plan.params[k]!.slot)]
        .map((s) => `${sv(s)} = v[${i(s)}];`)
        .join(' '),
    );
  }
  L.push(...ph.start);
  L.push(`fp.fill(0, 0, ${i(plan.outcomes.length)});`);
  L.push(`if (onStep !== undefined) { ${verify('0')}${flush} onStep(0); }`);
  L.push(`for (t = 1; t <= ${i(plan.horizon)}; t++) {`);
  L.push(`${sv(SLOT_T)} = t;`);
  L.push(...ph.moves);
  if (ph.derived.length > 0) L.push('if (fired !== 0) {', ...ph.derived, '}');
  L.push('fired = 0;');
  L.push(...ph.updates, ...ph.derived, ...ph.outcomes);
  L.push(
    `if (onStep !== undefined) { ${verify('t')}${flush} onStep(t); }${stopEarly ? ' else if (left === 0) break;' : ''} else if (stopOn !== undefined && fp[stopOn] !== 0) break;`,
  );
  L.push('}');
  L.push(flush);
  if (deferred) L.push(verify('t'));
  L.push('};');
  return L.join('\n');
}

/**
 * Params drawn alone (not in a correlated group) from this many up are drawn in a loop by the
 * one-function layout too (the split layout always does). Below it, each param's own call site lets
 * V8 specialise its quantile function (a beta's table), which a loop over all of them cannot.
 */
const PARAM_LOOP = 24;

/**
 * Whether a layout draws its params alone in a loop: a split one always, one function from
 * PARAM_LOOP params up. A param drawn in a loop is drawn by the trial from its site key
 * (`firstDraw`: the player does not seed it); one drawn by its own call site reads its seeded
 * stream (`open`), which measured faster in small models (bench/model.yaml 0.84 against 0.82 of
 * the hand loop).
 */
const drawsInLoop = (alone: readonly number[], split: boolean): boolean =>
  split || alone.length >= PARAM_LOOP;

/** The params drawn alone (their indices) and the slots of the params that are constants (read from `C`). */
function drawnAlone(plan: Plan): { alone: number[]; constants: number[] } {
  const correlated = new Set(plan.copulas.flatMap((g) => g.members));
  return {
    alone: plan.params.flatMap((_, k) => (correlated.has(k) ? [] : [k])),
    constants: paramConstants(plan).map((c) => c.slot),
  };
}

/**
 * The lists the param loops read: constants' slots, the params drawn alone (their indices), and
 * their slots when paramLoops cannot store them at `v[offset + j]` (more than MAX_SLOT_RUNS runs).
 */
function paramLists(plan: Plan, alone: readonly number[], constants: readonly number[]): string[] {
  // Typed arrays: their loads in the param loop cost less than a literal array's (5.6 against 6.1 ns
  // a param, bench/param-loop.mjs).
  const list = (xs: readonly number[]): string => `new Int32Array([${xs.map(integer).join(', ')}])`;
  const slots = alone.map((k) => plan.params[k]!.slot);
  return [
    `const cs = ${list(constants)};`,
    `const pk = ${list(alone)};`,
    ...(slotRuns(slots).length > MAX_SLOT_RUNS ? [`const ps = ${list(slots)};`] : []),
  ];
}

/**
 * The constants and the params drawn alone, into `v`. The j-th param's draw is `firstDraw` of the
 * trial's base (`b`, in S after the streams) and its site key (`K[j]`: player.ts); a uniform one is
 * then a + w·u (`PA`, `PW`, in the loop's order: the very arithmetic of its quantile, so the same
 * bits), the others go through their quantile function. Each draw depends on its key alone, so the
 * order of the loop does not change a bit.
 *
 * What made this loop cost what it did (1,000 interests, bench/param-loop.mjs and BENCHMARKS.md):
 * - Two stores, not one of `a === a ? a + w·u : P[k](u)`: that merged an unboxed double with a
 *   call's result, so V8 boxed every uniform draw (16 bytes each: 32 KB a trial, ~20% of it in
 *   allocation and scavenges).
 * - The keys come from an Int32Array, not from S: truncating a float64 key to 32 bits cost ~1.3 of
 *   ~4.7 ns a draw.
 * - The lists are read through locals (a context slot is loaded again every iteration), and a run of
 *   params in consecutive slots (the usual case: params get their slots in order) is stored at
 *   `v[offset + j]`, one load fewer a param than `v[ps[j]]`; a list split in more than MAX_SLOT_RUNS
 *   runs keeps one loop over `ps`.
 */
const paramLoops = (plan: Plan, alone: readonly number[]): string[] => {
  const i = integer;
  const slots = alone.map((k) => plan.params[k]!.slot);
  const draw = (store: string): string =>
    `const a = pa[j], d = first(b, k[j]); if (a === a) ${store} = a + pw[j] * d; else ${store} = P[pk[j]](d);`;
  const runs = slotRuns(slots);
  const loops =
    runs.length > MAX_SLOT_RUNS
      ? [`for (let j = 0; j < ${i(slots.length)}; j++) { ${draw('v[ps[j]]')} }`]
      : runs.map(({ from, to }) => {
          const offset = slots[from]! - from;
          const at = offset >= 0 ? `v[${i(offset)} + j]` : `v[j - ${i(-offset)}]`;
          return `for (let j = ${i(from)}; j < ${i(to)}; j++) { ${draw(at)} }`;
        });
  return [
    'for (t = 0; t < cs.length; t++) v[cs[t]] = C[t];',
    `{ const b = S[${i(baseSlot(plan.siteNames.length))}], pa = PA, pw = PW, k = K; ${loops.join(' ')} }`,
  ];
};

/** Loops over runs of consecutive slots at most; more runs than this, one loop over the slot list. */
export const MAX_SLOT_RUNS = 4;

/** The maximal runs [from, to) of `slots` in which each slot is the one before plus one. */
function slotRuns(slots: readonly number[]): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  for (let j = 0; j < slots.length; j++) {
    const last = runs[runs.length - 1];
    if (last !== undefined && slots[j] === slots[j - 1]! + 1) last.to = j + 1;
    else runs.push({ from: j, to: j + 1 });
  }
  return runs;
}

/** The trial split into chunk functions that share the slots through `v`. */
function splitSource(plan: Plan, deferred: boolean): string {
  const i = integer;
  const ph = phases(
    plan,
    (slot) => `v[${i(slot)}]`,
    (k) => `hv[${i(k)}]`,
    deferred,
    true,
  );
  const { alone, constants } = drawnAlone(plan);
  const L: string[] = [
    `let fired = 0, left = 0;`,
    ...paramLists(plan, alone, constants),
    // Loop invariants, shared by the chunk functions (a trial function is not re-entered, as `left`).
    `const hv = new Float64Array(${i(ph.invariants)});`,
  ];
  let next = 0;
  let lists = 0;
  const declare = (values: readonly number[]): string => {
    const name = `L${i(lists++)}`;
    L.push(`const ${name} = new Int32Array([${values.map(i).join(', ')}]);`);
    return name;
  };
  /** Define chunk functions for a list of statements; returns the statements that call them. */
  const chunks = (written: readonly string[], locals = ''): string[] => {
    // The fast source only: the replay's statements each name their formula, so none repeat.
    const statements = deferred ? loopRuns(written, declare) : written;
    const calls: string[] = [];
    let k = 0;
    while (k < statements.length) {
      const body: string[] = [];
      let size = 0;
      while (k < statements.length && (body.length === 0 || size + statements[k]!.length <= CHUNK_CHARS)) {
        size += statements[k]!.length;
        body.push(statements[k++]!);
      }
      const name = `f${i(next++)}`;
      L.push(`const ${name} = function (v, S, fp, t) {`);
      L.push(`let x = 0, u = 0, acc = 0, dn = 0, nx = 0${deferred ? ', chk = 0' : ''};`);
      if (locals !== '') L.push(locals);
      L.push(...body);
      // A flag, not the sum: a small integer is returned without allocating a heap number.
      if (deferred) L.push('return chk - chk === 0 ? 0 : 1;');
      L.push('};');
      calls.push(deferred ? `chk |= ${name}(v, S, fp, t);` : `${name}(v, S, fp, t);`);
    }
    return calls;
  };
  const start = chunks(ph.start, ph.zs);
  const moves = chunks(ph.moves);
  const derived = chunks(ph.derived);
  const updates = chunks(ph.updates);
  const outcomes = chunks(ph.outcomes);
  const verify = (step: string): string => (deferred ? `if (chk !== 0) recheck(${step}); ` : '');
  const stopEarly = plan.reports.length === 0;
  L.push('return function trial(v, S, fp, onStep, stopOn, K) {');
  L.push(`let t = 0${deferred ? ', chk = 0' : ''};`);
  L.push(`fired = 0; left = ${i(plan.outcomes.length)};`);
  L.push('v.fill(0);');
  L.push(...paramLoops(plan, alone));
  L.push('t = 0;');
  L.push(...start);
  L.push(`fp.fill(0, 0, ${i(plan.outcomes.length)});`);
  L.push(`if (onStep !== undefined) { ${verify('0')}onStep(0); }`);
  L.push(`for (t = 1; t <= ${i(plan.horizon)}; t++) {`);
  L.push(`v[${i(SLOT_T)}] = t;`);
  L.push(...moves);
  if (derived.length > 0) L.push('if (fired !== 0) {', ...derived, '}');
  L.push('fired = 0;');
  L.push(...updates, ...derived, ...outcomes);
  L.push(
    `if (onStep !== undefined) { ${verify('t')}onStep(t); }${stopEarly ? ' else if (left === 0) break;' : ''} else if (stopOn !== undefined && fp[stopOn] !== 0) break;`,
  );
  L.push('}');
  if (deferred) L.push(verify('t'));
  L.push('};');
  return L.join('\n');
}
