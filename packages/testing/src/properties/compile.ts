import {
  type CompiledModel,
  type CompileOptions,
  compileScenario,
  formatIssue,
  loadScenario,
  validateData,
} from '@entente/core';

/** Compile plain scenario data, or throw an Error listing every issue (for tests). */
export function compileData(data: unknown, options: CompileOptions = {}): CompiledModel {
  const valid = validateData(data);
  if (!valid.ok) throw new Error(valid.issues.map(formatIssue).join('\n'));
  const model = compileScenario(valid.value, options);
  if (!model.ok) throw new Error(model.issues.map(formatIssue).join('\n'));
  return model.value;
}

/** Compile scenario text (YAML or JSON), or throw an Error listing every issue. */
export function compileText(text: string): CompiledModel {
  const model = loadScenario(text);
  if (!model.ok) throw new Error(model.issues.map(formatIssue).join('\n'));
  return model.value;
}
