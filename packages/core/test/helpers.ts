import {
  type CompiledModel,
  type CompileOptions,
  formatIssue,
  type Issue,
  loadScenario,
} from '../src/index.js';

/** Compile scenario text or fail the test with every issue printed. */
export function model(text: string, options: CompileOptions = {}): CompiledModel {
  const r = loadScenario(text, { file: 'test.yaml', ...options });
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
  return r.value;
}

/** The issues a scenario text produces (fails the test if it loads). */
export function issuesOf(text: string): Issue[] {
  const r = loadScenario(text, { file: 'test.yaml' });
  if (r.ok) throw new Error('expected the scenario to be rejected');
  return r.issues;
}

/** A minimal scenario around some sections, in YAML. */
export function scenario(body: string, primary = 'o', steps = 12): string {
  return `id: t\ntitle: test\nhorizon: { steps: ${steps} }\nprimary: ${primary}\n${body}`;
}

/** |estimate − truth| within k standard errors of a proportion from n trials. */
export function withinSE(estimate: number, truth: number, n: number, k = 4.5): boolean {
  const se = Math.sqrt((truth * (1 - truth)) / n);
  return Math.abs(estimate - truth) <= k * Math.max(se, 1 / n);
}
