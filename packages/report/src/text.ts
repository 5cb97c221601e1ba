/** 0.2345 → `23.4%` (`digits` decimals; a nonzero p that rounds to 0 prints as `<0.1%`). */
export function percent(p: number, digits = 1): string {
  if (p === 0 || p === 1) return `${p * 100}%`;
  const text = (p * 100).toFixed(digits);
  if (p > 0 && Number(text) === 0) return `<${(10 ** -digits).toFixed(digits)}%`;
  if (p < 1 && Number(text) === 100) return `>${(100 - 10 ** -digits).toFixed(digits)}%`;
  return `${text}%`;
}

/** A difference of probabilities in percentage points, signed: `+6.7 pts`. */
export function points(x: number, digits = 1): string {
  const text = (x * 100).toFixed(digits);
  if (Number(text) === 0) return `${(0).toFixed(digits)} pts`;
  return `${x > 0 ? '+' : ''}${text} pts`;
}

/** `month` → `months` for a count other than one. */
export function units(unit: string, n: number): string {
  return n === 1 || unit.endsWith('s') ? unit : `${unit}s`;
}

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** `1,234,567`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A value with about four significant digits. */
export function value(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(3);
  return Number(x.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** An upper-case first letter: `month` → `Month`. */
export const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
