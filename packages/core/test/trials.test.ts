import { describe, expect, it } from 'vitest';
import { redrawSites, run, trialTable } from '../src/index.js';
import { model, scenario } from './helpers.js';

const TEXT = scenario(
  `params:
  a: { dist: uniform, min: 0, max: 1 }
  b: { dist: normal, mean: 0, sd: 1 }
state:
  x: { init: 0, update: "x + a * 0.1 + normal(0, 0.05)" }
events:
  shock: { hazard: 0.05 }
outcomes:
  o: { when: "x > 0.4 or shock" }
report: [x]`,
  'o',
  12,
);

describe('trial tables', () => {
  it('hold the very trials run() counts: the same probability and mean, exactly', () => {
    const m = model(TEXT);
    const t = trialTable(m, { runs: 5000, seed: 4 });
    const r = run(m, { runs: 5000, seed: 4 });
    const hits = t.firstPassage[0]!.filter((s) => s > 0).length;
    expect(hits).toBe(r.outcomes.o!.hits);
    const mean = t.values[0]!.reduce((acc, x) => acc + x, 0) / 5000;
    expect(mean).toBeCloseTo(r.values.x!.mean, 12);
    expect(t.params).toEqual(['a', 'b']);
    expect(Math.min(...t.inputs[0]!)).toBeGreaterThanOrEqual(0);
  });

  it('redrawing a param changes its draws and nothing else; redrawing the aleatory sites keeps every param', () => {
    const m = model(TEXT);
    const base = trialTable(m, { runs: 2000, seed: 9 });
    const a = trialTable(redrawSites(m, { params: ['a'] }), { runs: 2000, seed: 9 });
    expect(a.inputs[1]).toEqual(base.inputs[1]);
    const same = a.inputs[0]!.filter((x, i) => x === base.inputs[0]![i]).length;
    expect(same).toBe(0);
    // The re-drawn stream is independent of the original: their correlation is near 0.
    const corr = correlation(a.inputs[0]!, base.inputs[0]!);
    expect(Math.abs(corr)).toBeLessThan(0.1);
    const noise = trialTable(redrawSites(m, { aleatory: true }), { runs: 2000, seed: 9 });
    expect(noise.inputs).toEqual(base.inputs);
    expect(noise.firstPassage[0]).not.toEqual(base.firstPassage[0]);
    expect(() => redrawSites(m, { params: ['x'] })).toThrow(/not a random param/);
  });
});

function correlation(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
