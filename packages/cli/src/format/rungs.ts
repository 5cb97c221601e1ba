import type { RungShares } from '@entente/core';
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { count, curveSteps } from './numbers.js';

/**
 * Each deciding actor's rung over time (docs/ALLIANCE.md, "Rungs over time"): one table per actor,
 * a row per step shown in the curve (about every 6 months, and the last), the share of trials on
 * each rung; each row sums to 100%.
 */
export function rungsTable(rungs: readonly RungShares[], runs: number, unit: string, c: Colors): string {
  const out = [
    c.bold('Rungs over time') + c.dim(` (share of ${count(runs)} trials on each rung, before any evidence)`),
  ];
  for (const r of rungs) {
    const horizon = r.shares.length - 1;
    const table = new Table({
      head: [r.actor === r.regime ? r.actor : `${r.actor} (${r.regime})`, ...r.ladder],
      style: { head: [], border: [], compact: true },
      colAligns: ['right', ...r.ladder.map(() => 'right' as const)],
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const t of [0, ...curveSteps(horizon)]) table.push([`${unit} ${t}`, ...r.shares[t]!.map(share)]);
    out.push(table.toString());
  }
  return out.join('\n');
}

/** The same tables in Markdown, for `run --format markdown`. */
export function rungsMarkdown(rungs: readonly RungShares[], runs: number, unit: string): string {
  const out = [`**Rungs over time** (share of ${count(runs)} trials on each rung, before any evidence)`];
  for (const r of rungs) {
    const horizon = r.shares.length - 1;
    const head = r.actor === r.regime ? r.actor : `${r.actor} (${r.regime})`;
    out.push('', `| ${head} | ${r.ladder.join(' | ')} |`, `|---|${r.ladder.map(() => '---:').join('|')}|`);
    for (const t of [0, ...curveSteps(horizon)])
      out.push(`| ${unit} ${t} | ${r.shares[t]!.map(share).join(' | ')} |`);
  }
  return out.join('\n');
}

/** A share as a percentage; a share that is not zero never prints as 0.0% (it prints as <0.1%). */
function share(s: number): string {
  return s > 0 && s < 0.0005 ? '<0.1%' : `${(100 * s).toFixed(1)}%`;
}
