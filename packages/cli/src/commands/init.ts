import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchema } from '@entente/core';
import { EXIT, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io.js';
import type { CliIO } from '../io-streams.js';
import { STARTER_SCENARIO } from '../starter.js';

/** Write a commented starter scenario and the JSON Schema beside it; never overwrite without --force. */
export function initCommand(dir: string, flags: { force?: boolean }, io: CliIO): number {
  const scenario = join(dir, 'scenario.yaml');
  const schema = join(dir, 'entente.schema.json');
  const existing = [scenario, schema].filter((p) => existsSync(p));
  if (existing.length > 0 && !flags.force)
    throw new UsageError(
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; use --force to overwrite`,
    );
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(schema, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  writeFileAtomic(scenario, STARTER_SCENARIO);
  io.stdout.write(`wrote ${scenario} and ${schema}\nnext: entente run ${scenario}\n`);
  return EXIT.ok;
}
