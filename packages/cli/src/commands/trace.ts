import { trace } from '@entente/core';
import { EXIT } from '../errors.js';
import { value } from '../format/numbers.js';
import { loadFileOrThrow } from '../io.js';
import type { CliIO } from '../io-streams.js';

/**
 * One trial step by step: the same trial that `run` counted with the same seed. Values that stay
 * the same throughout the trial (params, and whatever derives only from them) are listed once; the
 * table has one column per value that changes, one per regime, and what happened at each step.
 */
export function traceCommand(
  file: string,
  flags: { trial: number; seed?: number | string; json?: boolean },
  io: CliIO,
): number {
  const model = loadFileOrThrow(file);
  const t = trace(model, { trial: flags.trial, ...(flags.seed === undefined ? {} : { seed: flags.seed }) });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(t, null, 2)}\n`);
    return EXIT.ok;
  }
  const unit = model.scenario.horizon.unit;
  const names = Object.keys(t.steps[0]?.values ?? {});
  const varies = (n: string): boolean => t.steps.some((s) => s.values[n] !== t.steps[0]!.values[n]);
  const changing = names.filter(varies);
  const fixed = names.filter((n) => !varies(n));
  const regimes = Object.keys(t.steps[0]?.regimes ?? {});
  const lines = [`trial ${t.trial} of ${model.scenario.id}, seed ${String(t.seed)}`, ''];
  if (fixed.length > 0) {
    lines.push('constant in this trial:');
    const cells = fixed.map((n) => `${n} = ${value(t.steps[0]!.values[n]!)}`);
    for (let i = 0; i < cells.length; i += 4) lines.push(`  ${cells.slice(i, i + 4).join('   ')}`);
    lines.push('');
  }
  const width = (n: string): number => Math.max(9, n.length);
  lines.push(
    [
      unit.padStart(6),
      ...changing.map((n) => n.padStart(width(n))),
      ...regimes.map((r) => r.padEnd(Math.max(10, r.length))),
      'events, ⇒ outcomes',
    ].join(' '),
  );
  for (const s of t.steps) {
    lines.push(
      [
        String(s.step).padStart(6),
        ...changing.map((n) => value(s.values[n]!).padStart(width(n))),
        ...regimes.map((r) => s.regimes[r]!.padEnd(Math.max(10, r.length))),
        [...s.events, ...s.outcomes.map((o) => `⇒ ${o}`)].join(', '),
      ].join(' '),
    );
  }
  lines.push(
    '',
    `first step each outcome held: ${Object.entries(t.outcomes)
      .map(([id, step]) => `${id} ${step ?? 'never'}`)
      .join(', ')}`,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
