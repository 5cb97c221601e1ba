/** 0.2345 → "23.4%"; small probabilities keep two significant digits. */
export function percent(p: number): string {
  if (p === 0 || p === 1) return `${p * 100}%`;
  const x = p * 100;
  return `${x < 0.1 ? x.toPrecision(2) : x.toFixed(1)}%`;
}

export function interval([lo, hi]: readonly [number, number]): string {
  return `[${percent(lo)}, ${percent(hi)}]`;
}

/** Values with about four significant digits, without exponent noise for ordinary magnitudes. */
export function value(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(3);
  return Number(x.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
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
