/**
 * 0.2345 → "23.4%". Without `digits`, small probabilities keep two significant digits (a number on
 * its own); with `digits`, every number gets that many decimals, as in a table that chose them with
 * `percentDigits`: an estimate that rounds to 0 (or 100) but is not 0 (or 1) prints as `<0.01%`
 * (or `>99.99%`), so a rounded end never claims to be exact.
 */
export function percent(p: number, digits?: number): string {
  if (p === 0 || p === 1) return `${p * 100}%`;
  const x = p * 100;
  if (digits === undefined) return `${x < 0.1 ? x.toPrecision(2) : x.toFixed(1)}%`;
  return `${fixedBetween(x, digits, 100)}%`;
}

export function interval([lo, hi]: readonly [number, number], digits?: number): string {
  return `[${percent(lo, digits)}, ${percent(hi, digits)}]`;
}

/** The fewest and most decimals a table of percentages or points is printed with. */
export const MIN_DIGITS = 1;
export const MAX_DIGITS = 4;

/**
 * The decimals (1 to 4) that every percentage in one table is printed with: the fewest with which
 * the narrowest interval in the table spans at least one unit of the last digit, so that no
 * interval prints as `[4.7%, 4.7%]` (0.1 pts wide or more: one decimal; 0.01 to 0.1: two; …).
 * Intervals with an exact end (0 or 1: no trial had the outcome, or every one did) do not count:
 * their other end prints as a bound (`<0.1%`) at any precision.
 */
export function percentDigits(intervals: Iterable<readonly [number, number]>): number {
  const widths: number[] = [];
  for (const [lo, hi] of intervals) if (lo > 0 && hi < 1) widths.push((hi - lo) * 100);
  return digitsFor(widths);
}

/** As `percentDigits`, for differences of probabilities in percentage points (paired intervals, effects). */
export function pointsDigits(intervals: Iterable<readonly [number, number]>): number {
  const widths: number[] = [];
  for (const [lo, hi] of intervals) widths.push((hi - lo) * 100);
  return digitsFor(widths);
}

/** The fewest decimals in [MIN_DIGITS, MAX_DIGITS] with which each positive width is at least one unit of the last digit. */
export function digitsFor(widths: Iterable<number>): number {
  let digits = MIN_DIGITS;
  for (const w of widths) {
    if (!(w > 0) || !Number.isFinite(w)) continue;
    // The smallest d with 10^-d ≤ w; the nudge keeps 0.1 (computed as 0.09999999999999998) at 1.
    const need = Math.ceil(-Math.log10(w) - 1e-9);
    digits = Math.max(digits, Math.min(MAX_DIGITS, need));
  }
  return digits;
}

/** A difference of probabilities in percentage points, signed: `+12.2 pts`, with `digits` decimals. */
export function points(x: number, digits = MIN_DIGITS): string {
  const text = (x * 100).toFixed(digits);
  return `${x > 0 && Number(text) !== 0 ? '+' : ''}${Number(text) === 0 ? (0).toFixed(digits) : text} pts`;
}

/** `[+1.2 pts, +3.4 pts]`. */
export function pointsInterval([lo, hi]: readonly [number, number], digits = MIN_DIGITS): string {
  return `[${points(lo, digits)}, ${points(hi, digits)}]`;
}

/** x (in [0, top]) with `digits` decimals; a nonzero x that rounds to 0 or to `top` prints as a bound. */
function fixedBetween(x: number, digits: number, top: number): string {
  const text = x.toFixed(digits);
  const unit = 10 ** -digits;
  if (x > 0 && Number(text) === 0) return `<${unit.toFixed(digits)}`;
  if (x < top && Number(text) === top) return `>${(top - unit).toFixed(digits)}`;
  return text;
}

/** Values with about four significant digits, without exponent noise for ordinary magnitudes. */
export function value(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(3);
  return Number(x.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/**
 * One way to print a group of values that belong together (a row of the values table, a column of
 * contributions): the same decimals for all, enough for `significant` digits of the largest; an
 * exponent for all when the largest is below 0.001 or from 10⁷ on.
 */
export function valueFormat(xs: Iterable<number>, significant = 4): (x: number) => string {
  let largest = 0;
  for (const x of xs) if (Number.isFinite(x)) largest = Math.max(largest, Math.abs(x));
  if (largest !== 0 && (largest < 1e-3 || largest >= 1e7))
    return (x) => (Number.isFinite(x) ? x.toExponential(significant - 1) : String(x));
  const decimals = largest === 0 ? 0 : Math.max(0, significant - 1 - Math.floor(Math.log10(largest)));
  return (x) => {
    if (!Number.isFinite(x)) return String(x);
    const text = x.toLocaleString('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    return text === `-${(0).toFixed(decimals)}` ? text.slice(1) : text;
  };
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "month" → "months" for a count other than one. */
export function units(unit: string, n: number): string {
  return n === 1 || unit.endsWith('s') ? unit : `${unit}s`;
}

/** The steps shown in a compact curve: about every 6 for monthly horizons, always the last. */
export function curveSteps(horizon: number): number[] {
  const every = horizon <= 12 ? 1 : horizon <= 48 ? 6 : horizon <= 120 ? 12 : Math.ceil(horizon / 10);
  const steps: number[] = [];
  for (let s = every; s < horizon; s += every) steps.push(s);
  steps.push(horizon);
  return steps;
}
