import { describe, expect, it } from 'vitest';
import { run, SimulationError, simulate, trace } from '../src/index.js';
import { model, scenario, withinSE } from './helpers.js';

const N = 40_000;

describe('analytic cases (fixed seeds; bounds of 4.5 standard errors)', () => {
  it('a constant hazard h over T steps gives 1 − (1 − h)^T, at every step', () => {
    const m = model(scenario('params: { h: 0.05 }\noutcomes:\n  o: { when: "bernoulli(h)" }', 'o', 24));
    const r = run(m, { runs: N, seed: 11 });
    for (const s of [1, 6, 12, 24]) {
      const truth = 1 - 0.95 ** s;
      const est = r.outcomes.o!.byStep[s - 1]!;
      expect(withinSE(est.probability, truth, N), `step ${s}: ${est.probability} vs ${truth}`).toBe(true);
      expect(est.ci95[0]).toBeLessThan(truth);
      expect(est.ci95[1]).toBeGreaterThan(truth);
    }
    // Time to event is geometric truncated at T: its median among hits is known exactly.
    expect(r.outcomes.o!.timeToEvent.median).toBeGreaterThanOrEqual(7);
    expect(r.outcomes.o!.timeToEvent.median).toBeLessThanOrEqual(9);
  });

  it('the same hazard as an event gives the same curve', () => {
    const m = model(scenario('events:\n  ev: { hazard: 0.05 }\noutcomes:\n  o: { when: "ev" }', 'o', 24));
    const r = run(m, { runs: N, seed: 12 });
    expect(withinSE(r.outcomes.o!.probability, 1 - 0.95 ** 24, N)).toBe(true);
  });

  it('P(normal(0, 1) > 1.2816) = 0.1', () => {
    const m = model(
      scenario(
        'params:\n  x: { dist: normal, mean: 0, sd: 1 }\noutcomes:\n  o: { when: "x > 1.2815515655446004" }',
        'o',
        1,
      ),
    );
    const r = run(m, { runs: N, seed: 13 });
    expect(withinSE(r.outcomes.o!.probability, 0.1, N)).toBe(true);
  });

  it("a two-state Markov chain's occupancy follows a/(a+b)·(1 − (1−a−b)^t)", () => {
    const body = `regimes:
  m:
    states: [A, B]
    initial: A
    transitions: { A: { B: 0.2 }, B: { A: 0.3 } }
derived:
  inB: "m.B"
report: [inB]
outcomes:
  o: { when: "m.B" }`;
    for (const T of [1, 3, 10]) {
      const r = run(model(scenario(body, 'o', T)), { runs: N, seed: 14 });
      const truth = 0.4 * (1 - 0.5 ** T);
      expect(withinSE(r.values.inB!.mean, truth, N), `T=${T}: ${r.values.inB!.mean} vs ${truth}`).toBe(true);
      // First passage into B by T: 1 − 0.8^T.
      expect(withinSE(r.outcomes.o!.probability, 1 - 0.8 ** T, N)).toBe(true);
    }
  });

  it('a scheduled event happens exactly at its step, and its effects apply from then on', () => {
    const body = `state:
  x: { init: 0, update: "x + 1" }
params: { k: 1 }
events:
  ban: { at: 6, effects: [{ set: k, to: 10 }, { add: x, by: 100 }] }
outcomes:
  o: { when: "ban" }
  big: { when: "x > 100 and k == 10" }`;
    const m = model(scenario(body, 'o', 12));
    const r = run(m, { runs: 100 });
    expect(r.outcomes.o!.byStep[4]!.probability).toBe(0);
    expect(r.outcomes.o!.byStep[5]!.probability).toBe(1);
    expect(r.outcomes.big!.timeToEvent.median).toBe(6);
    expect(r.values.x!.mean).toBe(112);
  });

  it('a regime with transition formulas and an event that forces a state', () => {
    const body = `params: { p: 0.1 }
regimes:
  r:
    states: [calm, tense]
    initial: calm
    transitions: { calm: { tense: "p * 2" } }
events:
  shock: { at: 3, effects: [{ regime: r, to: tense }] }
outcomes:
  o: { when: "r.tense" }`;
    const r = run(model(scenario(body, 'o', 5)), { runs: N, seed: 15 });
    // By step 2 only the chain can have moved: 1 − 0.8²; at step 3 the event forces everyone.
    expect(withinSE(r.outcomes.o!.byStep[1]!.probability, 1 - 0.8 ** 2, N)).toBe(true);
    expect(r.outcomes.o!.byStep[2]!.probability).toBe(1);
  });
});

describe('reproducibility', () => {
  const text = scenario(
    `params:
  a: { dist: pert, min: 0, mode: 0.02, max: 0.1 }
  b: { dist: lognormal, ci90: [0.5, 2] }
state:
  w: { init: 0, update: "w + normal(0, 0.1) * b" }
events:
  ev: { hazard: "a", repeat: true, effects: [{ add: w, by: 0.2 }] }
outcomes:
  o: { when: "w > 1" }
  q: { when: "ev.count >= 2" }`,
    'o',
    36,
  );
  const m = model(text);

  it('the same seed gives identical results; another seed does not', () => {
    expect(run(m, { runs: 5000, seed: 'alpha' })).toEqual(run(m, { runs: 5000, seed: 'alpha' }));
    expect(run(m, { runs: 5000, seed: 'alpha' }).outcomes.o!.hits).not.toBe(
      run(m, { runs: 5000, seed: 'beta' }).outcomes.o!.hits,
    );
  });

  it('chunk size does not change a single bit', () => {
    const a = run(m, { runs: 7000, chunkSize: 7000 });
    expect(run(m, { runs: 7000, chunkSize: 1 })).toEqual(a);
    expect(run(m, { runs: 7000, chunkSize: 333 })).toEqual(a);
  });

  it('the closure back end gives the same bits as generated code', () => {
    const closures = model(text, { backend: 'closure' });
    expect(closures.backend).toBe('closure');
    expect(m.backend).toBe('codegen');
    expect(run(closures, { runs: 3000, seed: 5 })).toEqual(run(m, { runs: 3000, seed: 5 }));
  });

  it('the trace of trial k agrees with what the run counted for trial k', () => {
    for (const k of [0, 1, 17, 4242]) {
      const one = simulate(m, { runs: 1, firstTrial: k, seed: 9 }).tallies;
      const t = trace(m, { trial: k, seed: 9 });
      m.outcomeIds.forEach((id, i) => {
        const row = one.firstPassage[i]!;
        const counted = row.indexOf(1);
        expect(t.outcomes[id]).toBe(counted === -1 ? null : counted);
      });
      expect(t.steps).toHaveLength(37);
      expect(t.steps[36]!.values.w).toBe(one.values[0]!.sum.value());
    }
  });
});

describe('run-time errors name the formula, the step and the trial', () => {
  it('NaN from a formula', () => {
    const m = model(
      scenario(
        'state:\n  x: { init: 1, update: "x - 0.5" }\nderived:\n  y: "sqrt(x)"\noutcomes:\n  o: { when: "y > 5" }',
        'o',
        5,
      ),
    );
    try {
      run(m, { runs: 10 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SimulationError);
      expect((e as SimulationError).message).toBe('derived.y gave NaN at step 3 of trial 0');
      expect((e as SimulationError).where).toMatchObject({ path: ['derived', 'y'], step: 3, trial: 0 });
    }
  });

  it('a hazard outside [0, 1]', () => {
    const m = model(
      scenario(
        'state:\n  x: { init: 0, update: "x + 0.3" }\nevents:\n  ev: { hazard: "x", repeat: true }\noutcomes:\n  o: { when: "ev" }',
        'o',
        10,
      ),
    );
    expect(() => run(m, { runs: 10, seed: 1 })).toThrow(
      /events\.ev\.hazard gave a probability of 1\.\d+, outside \[0, 1\] at step 5/,
    );
  });

  it('transition probabilities that sum past 1', () => {
    const body =
      'regimes:\n  r:\n    states: [a, b, c]\n    initial: a\n    transitions: { a: { b: 0.7, c: 0.6 } }\noutcomes:\n  o: { when: "r.b" }';
    expect(() => run(model(scenario(body)), { runs: 1 })).toThrow(
      /regimes\.r\.transitions\.a gave a probability of 1\.\d+/,
    );
  });
});

describe('precision mode', () => {
  const m = model(scenario('params: { h: 0.02 }\noutcomes:\n  o: { when: "bernoulli(h)" }', 'o', 12));
  it('stops at the first batch boundary where the half-width is small enough', () => {
    const r = run(m, { precision: 0.006 });
    expect(r.precision?.reached).toBe(true);
    expect(r.runs % 10_000).toBe(0);
    const [lo, hi] = r.outcomes.o!.ci95;
    expect((hi - lo) / 2).toBeLessThanOrEqual(0.006);
    // p ≈ 0.215 needs ≈ 1.96²·p(1−p)/ε² ≈ 18,000 trials: the second batch.
    expect(r.runs).toBe(20_000);
    expect(run(m, { precision: 0.006, chunkSize: 777 })).toEqual(r);
  });
  it('honours the cap on runs and says the target was not reached', () => {
    const r = run(m, { precision: 0.001, runs: 20_000 });
    expect(r.runs).toBe(20_000);
    expect(r.precision?.reached).toBe(false);
  });
});

describe('memory', () => {
  it('tallies do not grow with the number of trials', () => {
    const m = model(
      scenario(
        'state:\n  x: { init: 0, update: "x + normal(0, 1)" }\noutcomes:\n  o: { when: "x > 3" }',
        'o',
        12,
      ),
    );
    const small = simulate(m, { runs: 50_000 }).tallies;
    const large = simulate(m, { runs: 200_000 }).tallies;
    expect(large.firstPassage[0]!.length).toBe(small.firstPassage[0]!.length);
    // Sketch buckets grow with the log of the range of values seen, and are capped (2 × 2048 + 1).
    expect(large.values[0]!.sketch.size).toBeLessThanOrEqual(4097);
    expect(large.values[0]!.sketch.size - small.values[0]!.sketch.size).toBeLessThan(400);
  });
});

describe('common random numbers', () => {
  const text = (mean: number, extraEvent = false) =>
    scenario(
      `params:
  push: { dist: normal, mean: ${mean}, sd: 0.5 }
state:
  tie: { init: 1, update: "tie - 0.02 * push + normal(0, 0.05)" }
events:
  ban: { hazard: 0.03 }${extraEvent ? '\n  other: { hazard: 0.5 }' : ''}
outcomes:
  o: { when: "tie < 0.8 or (ban and push > 1)" }`,
      'o',
      24,
    );

  it('two scenarios that differ in a value draw the same uniforms at every site, trial by trial', () => {
    const a = trace(model(text(0)), { trial: 7 });
    const b = trace(model(text(0.3)), { trial: 7 });
    expect(b.steps[0]!.values.push! - a.steps[0]!.values.push!).toBeCloseTo(0.3, 12);
    // The ban event's stream is untouched by the change.
    expect(a.steps.map((s) => s.events.join())).toEqual(b.steps.map((s) => s.events.join()));
  });

  it('adding an item does not reshuffle the others', () => {
    const a = trace(model(text(0)), { trial: 3 });
    const b = trace(model(text(0, true)), { trial: 3 });
    expect(b.steps.map((s) => s.values.tie)).toEqual(a.steps.map((s) => s.values.tie));
  });

  it('a model monotone in an input gives estimates exactly monotone in it at a fixed seed', () => {
    // Steps of 0.01 move P by far less than its Monte Carlo noise (±0.007 at 4,000 trials): only
    // common random numbers make the sequence monotone.
    const ps = Array.from(
      { length: 21 },
      (_, i) => run(model(text(i / 100)), { runs: 4000 }).outcomes.o!.probability,
    );
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThanOrEqual(ps[i - 1]!);
    expect(ps[ps.length - 1]!).toBeGreaterThan(ps[0]!);
  });
});
