import { ScenarioError } from '@entente/core';
import { stringify } from 'yaml';
import { EXIT } from '../errors.js';
import { validateFile } from '../io.js';
import type { CliIO } from '../io-streams.js';

/** What a scenario's alliance vocabulary (and `extends`) expanded into: the core document, as YAML. */
export function expandCommand(file: string, io: CliIO): number {
  const valid = validateFile(file);
  if (!valid.ok) throw new ScenarioError(valid.issues);
  io.stdout.write(
    `# ${file} expanded into the core layer by entente (docs/ALLIANCE.md explains every generated item)\n`,
  );
  io.stdout.write(stringify(valid.value.scenario, { lineWidth: 0 }));
  return EXIT.ok;
}
