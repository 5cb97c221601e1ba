import { scenarioJsonSchema } from '@entente/core';
import { EXIT } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import type { CliIO } from '../io-streams.js';

/** The JSON Schema of scenario documents, for editors (`# yaml-language-server: $schema=…`). */
export function schemaCommand(flags: { out?: string }, io: CliIO): number {
  const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
  if (flags.out) writeFileAtomic(flags.out, text);
  else io.stdout.write(text);
  return EXIT.ok;
}
