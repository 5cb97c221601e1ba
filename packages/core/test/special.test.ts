import { describe, expect, it } from 'vitest';
import { betaI, erfc, gammaP, logGamma, normalCdf, normalQuantile } from '../src/index.js';
import { gammaQ } from '../src/random/special.js';

// Reference values from published tables (Abramowitz & Stegun; Wichura 1988) and closed forms.
describe('special functions', () => {
  it('normal quantile matches published values to 1e-14', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('normal CDF matches published values and inverts the quantile', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300946, 15);
    expect(normalCdf(5)).toBeCloseTo(0.9999997133484281, 15);
    for (const p of [1e-8, 0.001, 0.2, 0.5, 0.77, 0.999, 1 - 1e-7]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
    }
  });

  it('erfc in the body and in the tail', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(3)).toBeCloseTo(2.209049699858544e-5, 18);
    expect(erfc(6) / 2.1519736712498913e-17).toBeCloseTo(1, 10);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 14);
  });

  it('log-gamma at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 12);
  });

  it('incomplete gamma and beta against closed forms', () => {
    for (const x of [0.1, 1, 3, 10]) expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 14);
    // P(2, x) = 1 − e^{−x}(1 + x)
    for (const x of [0.5, 2, 7]) expect(gammaP(2, x)).toBeCloseTo(1 - Math.exp(-x) * (1 + x), 14);
    for (const x of [0.01, 0.3, 0.99]) expect(betaI(x, 1, 1)).toBeCloseTo(x, 14);
    // I_0.3(2, 3) = 1 − Σ_{j<2} C(4, j) 0.3^j 0.7^{4−j} = 0.3483
    expect(betaI(0.3, 2, 3)).toBeCloseTo(0.3483, 14);
    expect(betaI(0.7, 3, 2)).toBeCloseTo(1 - 0.3483, 14);
  });

  it('upper incomplete gamma, relative to itself deep in the tail where 1 − P has no digits left', () => {
    // Q(1, x) = e^{−x}; Q(2, x) = e^{−x}(1 + x); Q(3, x) = e^{−x}(1 + x + x²/2).
    for (const x of [0.1, 1, 3, 30, 300, 700]) expect(gammaQ(1, x) / Math.exp(-x)).toBeCloseTo(1, 13);
    for (const x of [0.5, 2, 40, 600]) expect(gammaQ(2, x) / (Math.exp(-x) * (1 + x))).toBeCloseTo(1, 13);
    for (const x of [0.5, 5, 100])
      expect(gammaQ(3, x) / (Math.exp(-x) * (1 + x + (x * x) / 2))).toBeCloseTo(1, 12);
    for (const x of [0.3, 2.5, 9]) expect(gammaQ(2.7, x) + gammaP(2.7, x)).toBeCloseTo(1, 14);
    expect(gammaQ(2, 0)).toBe(1);
    expect(gammaQ(2, Number.POSITIVE_INFINITY)).toBe(0);
  });
});
