import { produce } from 'immer';
import { canonicalJson, fingerprint } from '../hash.js';
import { fail, type Issue, ok, type Result } from '../issues.js';
import type { CompiledModel } from '../model/compile.js';
import type { Plan, PlannedParam } from '../model/plan.js';
import { makeSampler } from '../random/distributions.js';
import { Distribution } from '../schema/distributions.js';
import { didYouMean } from '../suggest.js';

/** Params to bind: a fixed value, or (for a param that is random in the scenario) another distribution. */
export type Binding = Readonly<Record<string, number | Distribution>>;

/**
 * The model with some params bound to other values or distributions, without parsing, validating
 * or compiling again: compile once, evaluate many design points. The result is bit for bit what
 * editing the params in the file and compiling would give (the same streams, the same trials), and
 * its scenario and hash say what was bound. A param that is a number in the scenario has no random
 * stream of its own, so it can be bound to numbers only; a random param to a number or to any
 * distribution.
 *
 * A param in a `correlations:` group keeps its place in the group whatever it is bound to: its
 * stream is still read and its normal score still feeds the params after it (random/copula.ts).
 * Bound to another distribution, it keeps the copula (its rank correlations hold, as editing its
 * distribution in the file would give). Bound to a number, only its own value changes: every other
 * param draws exactly what it drew before, so the binding is an intervention on that one input, not
 * conditioning on it, and a sweep or tornado over it keeps common random numbers in the others. The
 * file cannot say this (a number param cannot be correlated), so the bound scenario, which records
 * the number, is a record of what was bound rather than a document to validate again.
 */
export function bindParams(model: CompiledModel, values: Binding): Result<CompiledModel> {
  const plan = model.plan;
  const issues: Issue[] = [];
  const params = [...plan.params];
  const constants = [...plan.constants];
  const names = [
    ...plan.params.map((p) => plan.slotNames[p.slot]!),
    ...plan.constants.flatMap((c) => (c.param === undefined ? [] : [c.param])),
  ];
  for (const [name, v] of Object.entries(values)) {
    const path = ['params', name];
    const random = plan.params.findIndex((p) => plan.slotNames[p.slot] === name);
    const fixed = plan.constants.findIndex((c) => c.param === name);
    if (random < 0 && fixed < 0) {
      const suggestion = didYouMean(name, names);
      issues.push({
        path,
        code: 'bind.unknown',
        message: `"${name}" is not a param of this scenario`,
        expected: `one of ${names.join(', ')}`,
        ...(suggestion === undefined ? {} : { suggestion }),
      });
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        issues.push({
          path,
          code: 'bind.value',
          message: `"${name}" cannot be bound to ${v}: not a finite number`,
        });
        continue;
      }
      if (fixed >= 0) constants[fixed] = { ...constants[fixed]!, value: v };
      else params[random] = withSampler(params[random]!, { dist: 'constant', value: v }, issues, path);
      continue;
    }
    const parsed = Distribution.safeParse(v);
    if (!parsed.success) {
      issues.push({
        path,
        code: 'bind.distribution',
        message: `"${name}": ${distributionProblem(parsed.error.issues[0])}`,
      });
      continue;
    }
    if (fixed >= 0) {
      if (parsed.data.dist === 'constant')
        constants[fixed] = { ...constants[fixed]!, value: parsed.data.value };
      else
        issues.push({
          path,
          code: 'bind.fixed',
          message: `"${name}" is a number in this scenario, with no random stream of its own: bind it to a number, or give it a distribution in the file`,
        });
      continue;
    }
    params[random] = withSampler(params[random]!, parsed.data, issues, path);
  }
  if (issues.length > 0) return fail(issues);
  const bound: Plan = { ...plan, params, constants };
  const scenario = produce(model.scenario, (d) => {
    d.params ??= {};
    for (const [name, v] of Object.entries(values)) d.params[name] = v as never;
  });
  return ok({
    ...model,
    scenario,
    hash: fingerprint(canonicalJson(scenario)),
    plan: bound,
    trial: model.instantiate(bound),
  });
}

function withSampler(p: PlannedParam, d: Distribution, issues: Issue[], path: string[]): PlannedParam {
  const made = makeSampler(d);
  if (made.ok) return { ...p, sampler: made.sampler };
  for (const pr of made.problems)
    issues.push({ path: [...path, ...pr.path], code: 'bind.distribution', message: pr.message });
  return p;
}

/** A distribution's first schema problem in words, naming its field: `missing field "max"`. */
function distributionProblem(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (issue === undefined) return 'not a distribution';
  const field = issue.path.map(String).join('.');
  if (field !== '' && /received undefined/.test(issue.message)) return `missing field "${field}"`;
  return field === '' ? issue.message : `${field}: ${issue.message}`;
}
