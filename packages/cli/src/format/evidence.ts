import type { EvidenceSummary } from '@entente/core';
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import { count, value } from './numbers.js';

/**
 * The evidence section of `run`'s table: what was conditioned on, how much of the sample it kept
 * (acceptance and effective sample size), and what it taught about each random param.
 */
export function evidenceTable(e: EvidenceSummary, runs: number, c: Colors): string {
  const out = [
    c.bold('Given (estimates above are conditional on these observations)'),
    ...e.clauses.map(
      (cl) =>
        `  ${cl.soft ? '~' : '•'} ${cl.text}${c.dim(`  — alone rules out ${count(cl.ruledOut)} of ${count(runs)} trials`)}`,
    ),
    `  kept ${count(e.accepted)} of ${count(runs)} trials (${(e.acceptanceRate * 100).toFixed(1)}%); effective sample size ${count(Math.round(e.effectiveSampleSize))}` +
      c.dim(' (intervals use it)'),
  ];
  const params = Object.entries(e.params);
  if (params.length > 0) {
    out.push('', c.bold('What the evidence taught') + c.dim(' (each random param: prior → posterior)'));
    const table = new Table({
      head: ['', 'prior mean', 'posterior mean', 'prior p10–p90', 'posterior p10–p90'],
      style: { head: [], border: [], compact: true },
      colAligns: ['left', 'right', 'right', 'right', 'right'],
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const [name, { prior, posterior }] of params) {
      table.push([
        name,
        value(prior.mean),
        value(posterior.mean),
        `${value(prior.p10)}–${value(prior.p90)}`,
        `${value(posterior.p10)}–${value(posterior.p90)}`,
      ]);
    }
    out.push(table.toString());
  }
  return out.join('\n');
}
