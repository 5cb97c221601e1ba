import { trace } from '@entente/core';
import { EXIT } from '../errors.js';
import { value } from '../format/numbers.js';
import { loadFileOrThrow } from '../io.js';
import type { CliIO } from '../io-streams.js';

/** One trial step by step: the same trial that `run` counted with the same seed. */
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
  const regimes = Object.keys(t.steps[0]?.regimes ?? {});
  const lines = [`trial ${t.trial} of ${model.scenario.id}, seed ${String(t.seed)}`, ''];
  lines.push(
    [
      unit.padStart(6),
      ...names.map((n) => n.padStart(Math.max(10, n.length))),
      ...regimes.map((r) => r.padEnd(12)),
      'events / outcomes',
    ].join(' '),
  );
  for (const s of t.steps) {
    lines.push(
      [
        String(s.step).padStart(6),
        ...names.map((n) => value(s.values[n]!).padStart(Math.max(10, n.length))),
        ...regimes.map((r) => s.regimes[r]!.padEnd(12)),
        [...s.events, ...s.outcomes.map((o) => `⇒ ${o}`)].join(', '),
      ].join(' '),
    );
  }
  lines.push(
    '',
    `first step each outcome held: ${Object.entries(t.outcomes)
      .map(([id, s]) => `${id} ${s ?? 'never'}`)
      .join(', ')}`,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
