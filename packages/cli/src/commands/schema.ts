import { backtestJsonSchema, scenarioJsonSchema } from '@entente/core';
import { EXIT } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import type { CliIO } from '../io-streams.js';

/** The JSON Schema of scenario (or, with `--backtest`, backtest) documents, for editors (`# yaml-language-server: $schema=…`). */
export function schemaCommand(flags: { out?: string; backtest?: boolean }, io: CliIO): number {
  const schema = flags.backtest ? backtestJsonSchema() : scenarioJsonSchema();
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (flags.out) writeFileAtomic(flags.out, text);
  else io.stdout.write(text);
  return EXIT.ok;
}
