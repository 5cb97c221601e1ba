/**
 * Per-trial cost against model size: N-interest alliance models (N = 10, 100, 1000 by default),
 * timed as the SLOPE of wall time between two trial counts in one process, so start-up, validation
 * and compilation cancel. Run: `node --conditions=@entente/source --import tsx bench/interests.ts
 * [N …]`. Figures vary with the machine and its load: compare the ratios to the first size, not
 * the times. Environment: BENCH_ROUNDS (default 5) repeats each measurement and reports the median;
 * BENCH_WARM_MS (default 3000) runs trials first while V8 optimises; BENCH_BACKEND=closure times
 * the closure back end; BENCH_CHECKS=each times the source with every check in place (the one a
 * failing trial is replayed with) instead of the deferred checks, and BENCH_CHECKS=both times
 * both, interleaved, with the ratio each ÷ deferred taken within each round; BENCH_VALUES=params makes every
 * value a param, as most of the flagship's interests are; BENCH_STEPS (default 36) sets the
 * horizon, so that 1 step against 36 separates the cost of a trial's draws from its steps.
 *
 * The model: N interests, each with its own uniform weight param, a value that is (by k mod 4) a
 * uniform param, a PERT param, a state that decays every step, or a derived value that follows
 * Ankara's regime (with BENCH_VALUES=params, by k mod 2, one of the first two), and a contribution
 * `weight * value`; half hold, half push.
 * The alliance vocabulary sums contributions in one formula, which the formula limits cap at 100
 * terms, so the N interests are written as core items and gathered into alliance interests of 25
 * (each one's value the sum of its members' contributions): what a trial computes is that of N
 * alliance interests plus N/25 partial sums. A pressure follows the regime; the decision is the
 * default logit ladder.
 */
import { loadScenarioOrThrow, simulate, trialSource } from '@entente/core';

const GROUP = 25;
const SEED = 20261129;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BACKEND = process.env.BENCH_BACKEND === 'closure' ? 'closure' : 'codegen';
const CHECKS = (['each', 'both'] as const).find((c) => c === process.env.BENCH_CHECKS) ?? 'deferred';
const VALUES = process.env.BENCH_VALUES === 'params' ? 'params' : 'mixed';
const WARM_MS = Number(process.env.BENCH_WARM_MS ?? 3000);
const STEPS = Number(process.env.BENCH_STEPS ?? 36);

/** The YAML text of an N-interest model. */
export function interestsModel(n: number, values: 'mixed' | 'params' = 'mixed'): string {
  const L: string[] = [
    `id: interests-${n}`,
    `title: ${n} interests`,
    `horizon: { steps: ${STEPS}, unit: month }`,
    'actors:',
    '  AZ: { name: Azerbaijan }',
    '  IL: { name: Israel }',
    '  TR: { name: Turkey }',
    'relationship: { focal: AZ, partner: IL, initial_tie: 0.9 }',
    'regimes:',
    '  ankara:',
    '    states: [calm, vocal, coercive]',
    '    initial: vocal',
    '    transitions:',
    '      calm: { vocal: 0.1 }',
    '      vocal: { calm: 0.05, coercive: 0.03 }',
    '      coercive: { vocal: 0.1 }',
  ];
  const scale = 3 / n; // keeps hold and push ≈ 0.75 whatever n
  const params: string[] = [];
  const state: string[] = [];
  const derived: string[] = [];
  const hold: number[] = [];
  const push: number[] = [];
  for (let k = 0; k < n; k++) {
    params.push(`  x${k}_w: { dist: uniform, min: 0.5, max: 1.5 }`);
    const m = scale.toPrecision(6);
    const kind = values === 'params' ? k % 2 : k % 4;
    if (kind === 0) params.push(`  x${k}: { dist: uniform, min: 0, max: ${m} }`);
    else if (kind === 1) params.push(`  x${k}: { dist: pert, min: 0, mode: ${m}, max: ${2 * scale} }`);
    else if (k % 4 === 2)
      state.push(`  x${k}: { init: ${m}, update: "x${k} * 0.98 + ${(scale * 0.02).toPrecision(6)}" }`);
    else derived.push(`  x${k}: "${m} * (ankara.coercive ? 1.5 : 1)"`);
    derived.push(`  x${k}_c: "x${k}_w * x${k}"`);
    (k % 2 === 1 ? push : hold).push(k);
  }
  L.push('params:', ...params);
  if (state.length > 0) L.push('state:', ...state);
  L.push('derived:', ...derived);
  const groups = (ks: number[], prefix: string, direction: string): string[] => {
    const out: string[] = [];
    for (let g = 0; g * GROUP < ks.length; g++) {
      const sum = ks
        .slice(g * GROUP, (g + 1) * GROUP)
        .map((k) => `x${k}_c`)
        .join(' + ');
      out.push(`  ${prefix}${g}: { direction: ${direction}, value: "${sum}" }`);
    }
    return out;
  };
  L.push('interests:', ...groups(hold, 'h', 'hold'), ...groups(push, 'p', 'push'));
  L.push(
    'pressures:',
    '  turkey: { actor: TR, intensity: { regime: ankara, values: { calm: 0.2, vocal: 0.5, coercive: 0.9 } }, leverage: { dist: pert, min: 0.5, mode: 0.7, max: 0.9 } }',
    'decision:',
    '  ladder: [maintain, criticise, downgrade, suspend]',
    '  cooled: downgrade',
    '  thresholds: { criticise: 0, downgrade: 0.3, suspend: 0.6 }',
  );
  return L.join('\n');
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Sized {
  n: number;
  checks: 'each' | 'deferred';
  slope: () => number;
  chars: number;
  pCooled: number;
}

/** A model of n interests, warmed up, and a function that measures its per-trial slope (µs) once. */
function prepare(n: number, checks: 'each' | 'deferred'): Sized {
  const compiled = loadScenarioOrThrow(interestsModel(n, VALUES), { backend: BACKEND });
  // BENCH_CHECKS=each: time the source with every check in place (what a failing trial replays).
  const checked = checks === 'each' ? compiled.trial.checked : undefined;
  const model = checked === undefined ? compiled : { ...compiled, trial: checked };
  // Aim at ~0.2 s and ~1 s per measurement, whatever the size.
  const few = Math.max(50, Math.round(40_000 / n));
  const many = 5 * few;
  let first = 0;
  const time = (runs: number): number => {
    const t = performance.now();
    simulate(model, { runs, seed: SEED, firstTrial: first });
    return performance.now() - t;
  };
  // Warm up: V8 optimises a large model's functions on a background thread, which takes seconds.
  for (const t0 = performance.now(); performance.now() - t0 < WARM_MS; ) time(few);
  const s = simulate(model, { runs: 2000, seed: SEED }).tallies;
  return {
    n,
    checks,
    slope: () => {
      first += many;
      const a = time(few);
      const b = time(many);
      return ((b - a) * 1000) / (many - few);
    },
    chars: trialSource(model.plan, { checks }).length,
    pCooled: s.firstPassage[model.primary]!.reduce((x, y) => x + y, 0) / 2000,
  };
}

/**
 * Sizes are measured in turn within each round (every other round in reverse order), and each
 * round's ratios are taken in that round, so a change of the machine's load between rounds moves
 * both terms.
 */
function main(): void {
  const sizes = process.argv.slice(2).map(Number);
  const checks: ('each' | 'deferred')[] = CHECKS === 'both' ? ['deferred', 'each'] : [CHECKS];
  const models = (sizes.length > 0 ? sizes : [10, 100, 1000]).flatMap((n) =>
    checks.map((c) => prepare(n, c)),
  );
  const slopes = models.map(() => [] as number[]);
  const ratios = models.map(() => [] as number[]);
  const vsDeferred = models.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    // Every other round in reverse order, so neither variant always runs first.
    const order = models.map((_, k) => (r % 2 === 0 ? k : models.length - 1 - k));
    const round: number[] = [];
    for (const k of order) round[k] = models[k]!.slope();
    round.forEach((us, k) => {
      slopes[k]!.push(us);
      ratios[k]!.push(us / round[0]!);
      if (models[k]!.checks === 'each' && CHECKS === 'both') vsDeferred[k]!.push(us / round[k - 1]!);
    });
  }
  console.log(
    `backend ${BACKEND}, checks ${CHECKS}, values ${VALUES}, ${STEPS} steps, ${ROUNDS} rounds, medians`,
  );
  console.log(
    '| interests | checks | µs per trial | ratio to first | each ÷ deferred | source chars | P(cooled) |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|');
  models.forEach((m, k) => {
    const vs = vsDeferred[k]!.length > 0 ? median(vsDeferred[k]!).toFixed(3) : '';
    console.log(
      `| ${m.n} | ${m.checks} | ${median(slopes[k]!).toFixed(2)} | ${median(ratios[k]!).toFixed(1)} | ${vs} | ${m.chars.toLocaleString('en-US')} | ${m.pCooled.toFixed(3)} |`,
    );
  });
}

if (process.argv[1]?.endsWith('interests.ts')) main();
