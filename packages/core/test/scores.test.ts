import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_CLIP, type ScoredEpisode, scoreBacktest } from '../src/analysis/scores.js';
import { wilsonInterval } from '../src/stats/wilson.js';

const ep = (id: string, cumulative: number[], observed: ScoredEpisode['observed']): ScoredEpisode => ({
  id,
  cumulative,
  observed,
});

/** An episode whose forecast is p at every step, so p is also P(by horizon). */
const flat = (id: string, p: number, y: 0 | 1, steps = 3): ScoredEpisode =>
  ep(id, Array(steps).fill(p), y === 1 ? { at: 1 } : { notBy: steps });

describe('scoreBacktest on a hand-computed backtest', () => {
  // H = 4 steps, horizon 3.
  //   id  cumulative                observed   p = P(by 3)  y     P(by observed)  survival term
  //   A   [0.05, 0.1, 0.2, 0.3]     notBy 4    0.2          0     0.3             ln(1 − 0.3) = ln 0.7
  //   B   [0.3,  0.5, 0.7, 0.8]     at 2       0.7          1     0.5             ln(0.5 − 0.3) = ln 0.2
  //   C   [0.1,  0.3, 0.5, 0.6]     at 4       0.5          0     0.6             ln(0.6 − 0.5) = ln 0.1
  //   D   [0.6,  0.8, 0.9, 0.95]    at 1       0.9          1     0.6             ln(0.6 − 0)   = ln 0.6
  //   E   [0.1,  0.2, 0.4, 0.5]     notBy 2    0.4          —     0.2             ln(1 − 0.2) = ln 0.8
  // C happened at step 4, after the horizon, so y = 0; E is censored at 2 < 3, so it has no y.
  const scores = scoreBacktest(
    [
      ep('A', [0.05, 0.1, 0.2, 0.3], { notBy: 4 }),
      ep('B', [0.3, 0.5, 0.7, 0.8], { at: 2 }),
      ep('C', [0.1, 0.3, 0.5, 0.6], { at: 4 }),
      ep('D', [0.6, 0.8, 0.9, 0.95], { at: 1 }),
      ep('E', [0.1, 0.2, 0.4, 0.5], { notBy: 2 }),
    ],
    { horizon: 3 },
  );

  it('builds the per-episode table and excludes the episode censored before the horizon', () => {
    expect(scores.episodes.map((r) => r.pHorizon)).toEqual([0.2, 0.7, 0.5, 0.9, 0.4]);
    expect(scores.episodes.map((r) => r.pObserved)).toEqual([0.3, 0.5, 0.6, 0.6, 0.2]);
    expect(scores.episodes.map((r) => r.y)).toEqual([0, 1, 0, 1, null]);
    expect(scores.excluded).toEqual([{ id: 'E', reason: 'censored at step 2, before the horizon 3' }]);
    expect(scores.binaryCount).toBe(4);
    const e = scores.episodes[4]!;
    expect([e.brier, e.log, e.baseRate]).toEqual([null, null, null]);
    // Contributions: (0.2 − 0)² = 0.04, (0.7 − 1)² = 0.09; −ln(1 − 0.2), −ln 0.7.
    expect(scores.episodes[0]!.brier).toBeCloseTo(0.04, 12);
    expect(scores.episodes[1]!.brier).toBeCloseTo(0.09, 12);
    expect(scores.episodes[0]!.log).toBeCloseTo(-Math.log(0.8), 12);
    expect(scores.episodes[1]!.log).toBeCloseTo(-Math.log(0.7), 12);
  });

  it('Brier and log scores', () => {
    // Brier = (0.04 + 0.09 + 0.25 + 0.01) / 4 = 0.39 / 4 = 0.0975.
    expect(scores.brier).toBeCloseTo(0.0975, 12);
    // Log = −[ln 0.8 + ln 0.7 + ln 0.5 + ln 0.9] / 4
    //     = (0.223143551314 + 0.356674943939 + 0.693147180560 + 0.105360515658) / 4 = 0.344581547868.
    expect(scores.logScore).toBeCloseTo(0.344581547867678, 12);
  });

  it('survival log-likelihood uses every episode, censored ones too', () => {
    // ln 0.7 + ln 0.2 + ln 0.1 + ln 0.6 + ln 0.8 = ln(0.7·0.2·0.1·0.6·0.8) = ln 0.00672 = −5.002667124447.
    expect(scores.survival.total).toBeCloseTo(Math.log(0.00672), 12);
    expect(scores.survival.total).toBeCloseTo(-5.002667124447079, 12);
    // Mean over the 5 episodes: −1.000533424889.
    expect(scores.survival.mean).toBeCloseTo(-1.0005334248894158, 12);
  });

  it('leave-one-out base rate and Brier skill', () => {
    // 4 binary episodes, 2 with y = 1. Without A (y = 0): 2/3; without B (y = 1): 1/3; C: 2/3; D: 1/3.
    expect(scores.episodes.map((r) => r.baseRate)).toEqual([2 / 3, 1 / 3, 2 / 3, 1 / 3, null]);
    // Each scores (2/3 − 0)² = (1/3 − 1)² = 4/9, so Brier(base) = 4/9 (worse than the in-sample 0.25:
    // leaving i out moves the rate away from y_i).
    expect(scores.baseRate!.overall).toBe(0.5);
    expect(scores.baseRate!.brier).toBeCloseTo(4 / 9, 12);
    // BSS = 1 − 0.0975 / (4/9) = 1 − 0.219375 = 0.780625.
    expect(scores.baseRate!.skill).toBeCloseTo(0.780625, 12);
    expect(scores.baseRate!.skillNote).toBeNull();
  });

  it('discrimination: every positive above every negative', () => {
    // Positives p = {0.7, 0.9}, negatives {0.2, 0.5}: 4 pairs, all ordered → AUC = 4/4 = 1.
    expect(scores.discrimination).toEqual({ auc: 1, positives: 2, negatives: 2 });
  });

  it('reliability: the default five bins', () => {
    // 0.2 → [0.2, 0.4), 0.5 → [0.4, 0.6), 0.7 → [0.6, 0.8), 0.9 → [0.8, 1]; E is not binned.
    expect(scores.reliability.map((b) => b.count)).toEqual([0, 1, 1, 1, 1]);
    expect(scores.reliability.map((b) => b.observedFrequency)).toEqual([null, 0, 0, 1, 1]);
  });
});

describe('scoreBacktest edge cases', () => {
  it('clips: p = 0 with y = 1 costs exactly −ln(1e-4) ≈ 9.21, and so does p = 1 with y = 0', () => {
    expect(DEFAULT_SCORE_CLIP).toBe(1e-4);
    const s = scoreBacktest([ep('miss', [0, 0], { at: 2 }), ep('false alarm', [1, 1], { notBy: 2 })], {
      horizon: 2,
    });
    expect(s.episodes[0]!.log).toBe(-Math.log(1e-4));
    expect(s.episodes[1]!.log).toBe(-Math.log(1e-4));
    expect(s.logScore).toBeCloseTo(4 * Math.log(10), 12); // ln(10^4) = 9.210340371976
    // The survival terms are floored too: ln(0 − 0) and ln(1 − 1) become ln(1e-4).
    expect(s.survival.total).toBeCloseTo(2 * Math.log(1e-4), 12);
    // A wider clip bounds the penalty at −ln(0.01) = ln 100.
    expect(scoreBacktest([ep('miss', [0], { at: 1 })], { horizon: 1, clip: 0.01 }).logScore).toBeCloseTo(
      Math.log(100),
      12,
    );
  });

  it('survival log-likelihood of an event at step 2 and a censoring at step 3', () => {
    // X: event at 2: ln(P(by 2) − P(by 1)) = ln(0.4 − 0.1) = ln 0.3.
    // Y: not by 3:  ln(1 − P(by 3)) = ln(1 − 0.5) = ln 0.5.
    // Total = ln 0.15 = −1.897119984886; mean = −0.948559992443.
    const s = scoreBacktest([ep('X', [0.1, 0.4, 0.6], { at: 2 }), ep('Y', [0.2, 0.3, 0.5], { notBy: 3 })], {
      horizon: 3,
    });
    expect(s.episodes[0]!.survival).toBeCloseTo(Math.log(0.3), 12);
    expect(s.episodes[1]!.survival).toBeCloseTo(Math.log(0.5), 12);
    expect(s.survival.total).toBeCloseTo(-1.8971199848858813, 12);
    expect(s.survival.mean).toBeCloseTo(-0.9485599924429406, 12);
    expect(s.episodes.map((r) => r.pObserved)).toEqual([0.4, 0.5]);
  });

  it('AUC counts a tie as half a pair', () => {
    // Positives {0.6, 0.4}, negatives {0.4, 0.2}. Pairs: 0.6>0.4: 1, 0.6>0.2: 1, 0.4=0.4: ½, 0.4>0.2: 1.
    // AUC = 3.5 / 4 = 0.875.
    const s = scoreBacktest([flat('a', 0.6, 1), flat('b', 0.4, 1), flat('c', 0.4, 0), flat('d', 0.2, 0)], {
      horizon: 3,
    });
    expect(s.discrimination.auc).toBeCloseTo(0.875, 12);
    // One class empty: no AUC.
    const one = scoreBacktest([flat('a', 0.6, 1), flat('b', 0.4, 1)], { horizon: 3 });
    expect(one.discrimination).toEqual({ auc: null, positives: 2, negatives: 0 });
  });

  it('reliability table: counts, mean forecast, observed frequency and Wilson intervals', () => {
    // p = [0.05, 0.15, 0.3, 0.35, 0.9, 1], y = [0, 1, 0, 0, 1, 1], 5 bins of width 0.2:
    //   [0, 0.2):   0.05, 0.15 → count 2, mean 0.1,   1 event,  frequency 0.5
    //   [0.2, 0.4): 0.3, 0.35  → count 2, mean 0.325, 0 events, frequency 0, Wilson upper z²/(2 + z²)
    //   [0.4, 0.6), [0.6, 0.8): empty
    //   [0.8, 1]:   0.9, 1     → count 2, mean 0.95,  2 events, frequency 1 (p = 1 lands in the last bin)
    const ps = [0.05, 0.15, 0.3, 0.35, 0.9, 1];
    const ys = [0, 1, 0, 0, 1, 1] as const;
    const s = scoreBacktest(
      ps.map((p, i) => flat(`e${i}`, p, ys[i]!)),
      { horizon: 3 },
    );
    const [b0, b1, b2, b3, b4] = s.reliability;
    expect(s.reliability).toHaveLength(5);
    expect([b0!.lower, b0!.upper, b4!.lower, b4!.upper]).toEqual([0, 0.2, 0.8, 1]);
    expect([b0!.count, b0!.events, b0!.observedFrequency]).toEqual([2, 1, 0.5]);
    expect(b0!.meanForecast).toBeCloseTo(0.1, 12);
    expect(b0!.interval).toEqual(wilsonInterval(1, 2));
    expect([b1!.count, b1!.events, b1!.observedFrequency]).toEqual([2, 0, 0]);
    expect(b1!.meanForecast).toBeCloseTo(0.325, 12);
    // Wilson for 0 of 2: [0, z²/(n + z²)] = [0, 3.841458820694 / 5.841458820694] = [0, 0.657619772493].
    expect(b1!.interval![0]).toBe(0);
    expect(b1!.interval![1]).toBeCloseTo(0.6576197724933469, 12);
    for (const b of [b2!, b3!]) {
      expect(b).toMatchObject({
        count: 0,
        events: 0,
        meanForecast: null,
        observedFrequency: null,
        interval: null,
      });
    }
    expect([b4!.count, b4!.events, b4!.observedFrequency]).toEqual([2, 2, 1]);
    expect(b4!.meanForecast).toBeCloseTo(0.95, 12);
    expect(
      scoreBacktest([flat('a', 0.3, 1)], { horizon: 3, bins: 2 }).reliability.map((b) => b.count),
    ).toEqual([1, 0]);
  });

  it('no base rate below 2 binary episodes; no skill when every outcome is the same', () => {
    // One binary episode (the other is censored at 1 < 3): nothing to leave one out from.
    const few = scoreBacktest([flat('a', 0.3, 1), ep('b', [0.1, 0.2, 0.3], { notBy: 1 })], { horizon: 3 });
    expect(few.baseRate).toBeNull();
    expect(few.brier).toBeCloseTo(0.49, 12);
    // All y = 1: every LOO rate is 1, the reference Brier is 0 and the skill is undefined.
    const same = scoreBacktest([flat('a', 0.3, 1), flat('b', 0.6, 1), flat('c', 0.9, 1)], { horizon: 3 });
    expect(same.baseRate).toMatchObject({ overall: 1, brier: 0, skill: null });
    expect(same.baseRate!.skillNote).toMatch(/y = 1/);
    // Nothing at all.
    const none = scoreBacktest([], { horizon: 3 });
    expect([none.brier, none.logScore, none.survival.mean, none.baseRate]).toEqual([null, null, null, null]);
    expect(none.survival.total).toBe(0);
  });

  it('rejects malformed input with the episode named', () => {
    const h = { horizon: 3 };
    expect(() => scoreBacktest([ep('short', [0.1, 0.2], { at: 1 })], h)).toThrow(/short.*horizon 3/);
    expect(() => scoreBacktest([ep('late', [0.1, 0.2, 0.3], { at: 4 })], h)).toThrow(/late.*step 4/);
    expect(() => scoreBacktest([ep('zero', [0.1, 0.2, 0.3], { at: 0 })], h)).toThrow(/zero.*step 0/);
    expect(() => scoreBacktest([ep('big', [0.1, 1.2, 1.3], { at: 1 })], h)).toThrow(/big.*not a probability/);
    expect(() => scoreBacktest([ep('down', [0.3, 0.2, 0.4], { at: 1 })], h)).toThrow(/down.*falls below/);
    expect(() => scoreBacktest([], { horizon: 0 })).toThrow(RangeError);
    expect(() => scoreBacktest([], { horizon: 1, clip: 0 })).toThrow(RangeError);
    expect(() => scoreBacktest([], { horizon: 1, bins: 0 })).toThrow(RangeError);
  });
});

describe('scoreBacktest properties', () => {
  const episode = fc
    .record({
      cumulative: fc
        .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 })
        .map((xs) => [...xs].sort((a, b) => a - b)),
      event: fc.boolean(),
      step: fc.nat(),
    })
    .map(({ cumulative, event, step }): ScoredEpisode => {
      const h = cumulative.length;
      return ep('e', cumulative, event ? { at: 1 + (step % h) } : { notBy: step % (h + 1) });
    });

  it('Brier and AUC lie in [0, 1]; log score in [0, ln(1/clip)]; survival log-likelihood ≤ 0', () => {
    fc.assert(
      fc.property(fc.array(episode, { maxLength: 12 }), fc.nat(), (episodes, k) => {
        const horizon = 1 + (k % Math.min(6, ...episodes.map((e) => e.cumulative.length)));
        const s = scoreBacktest(episodes, { horizon });
        if (s.brier !== null) {
          expect(s.brier).toBeGreaterThanOrEqual(0);
          expect(s.brier).toBeLessThanOrEqual(1);
          expect(s.logScore).toBeGreaterThanOrEqual(0);
          expect(s.logScore).toBeLessThanOrEqual(-Math.log(DEFAULT_SCORE_CLIP) + 1e-12);
        }
        const { auc } = s.discrimination;
        if (auc !== null) {
          expect(auc).toBeGreaterThanOrEqual(0);
          expect(auc).toBeLessThanOrEqual(1);
        }
        expect(s.survival.total).toBeLessThanOrEqual(0);
        expect(s.binaryCount + s.excluded.length).toBe(episodes.length);
        expect(s.reliability.reduce((n, b) => n + b.count, 0)).toBe(s.binaryCount);
      }),
    );
  });

  it('a perfect forecaster (p = y) has Brier 0, log score 0, survival log-likelihood 0 and AUC 1', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom<0 | 1>(0, 1), { minLength: 2, maxLength: 20 })
          .filter((ys) => new Set(ys).size === 2),
        (ys) => {
          const s = scoreBacktest(
            ys.map((y, i) => flat(`e${i}`, y, y)),
            { horizon: 3 },
          );
          expect(s.brier).toBe(0);
          expect(s.logScore).toBe(0);
          expect(s.survival.total).toBe(0);
          expect(s.discrimination.auc).toBe(1);
        },
      ),
    );
  });
});
