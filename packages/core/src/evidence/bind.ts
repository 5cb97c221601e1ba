import { EVIDENCE_WEIGHT_UNIT } from '../defaults.js';
import type { Plan } from '../model/plan.js';
import type { Scenario } from '../schema/scenario.js';
import { didYouMean } from '../suggest.js';
import {
  type Clause,
  type ClauseProblem,
  type Comparison,
  clauseText,
  monthsBetween,
  parseClause,
} from './clause.js';

/**
 * Evidence bound to a compiled model: which slots to read at which steps, and how a finished trial
 * is judged. Hard clauses accept or reject a trial; soft clauses multiply its weight by the
 * likelihood of the measurement, exp(−(x − observed)² / 2sd²) (the normal density up to a constant
 * that cancels). Weights are kept as integers in units of 1/EVIDENCE_WEIGHT_UNIT of the largest
 * possible likelihood, so every sum over trials is exact and merges to the same bits in any order,
 * as counts do; a trial whose likelihood rounds to 0 counts as rejected.
 */
export interface EvidenceProgram {
  /** Each clause in canonical form, with the text the user wrote. */
  readonly clauses: readonly { text: string; written: string; soft: boolean }[];
  /** One weight unit: 1 with hard evidence only, EVIDENCE_WEIGHT_UNIT when any clause is soft. */
  readonly unit: number;
  /** Random params whose prior and posterior are reported, read at step 0. */
  readonly params: readonly { name: string; slot: number }[];
  /** Record what the clauses need at step `t` (called after the step, with `v` holding its values). */
  observe(v: Float64Array, t: number): void;
  /**
   * Judge the trial just played (`fp`: first-passage steps). Adds 1 to `failed[c]` for every clause
   * c that rules it out on its own, and returns its integer weight (0 when rejected).
   */
  judge(fp: Int32Array, failed: Float64Array): number;
  /** Steps at which `observe` needs to be called. */
  readonly steps: ReadonlySet<number>;
}

export interface EvidenceProblem extends ClauseProblem {
  /** Which clause (index in the list given). */
  index: number;
  suggestion?: string;
}

type Test = (obs: Float64Array, fp: Int32Array) => number;

/** Bind clauses (as written) to a model's plan. Every problem of every clause is reported. */
export function bindEvidence(
  written: readonly string[],
  scenario: Scenario,
  plan: Plan,
  outcomeIds: readonly string[],
): { ok: true; value: EvidenceProgram } | { ok: false; problems: EvidenceProblem[] } {
  const problems: EvidenceProblem[] = [];
  const horizon = plan.horizon;
  const unitIsMonth = /^months?$/.test(scenario.horizon.unit);
  const stepOf = (date: string): number | undefined =>
    unitIsMonth ? monthsBetween(scenario.horizon.start, date) : undefined;
  const reads: { step: number; slot: number }[] = [];
  const read = (step: number, slot: number): number => {
    const existing = reads.findIndex((r) => r.step === step && r.slot === slot);
    return existing >= 0 ? existing : reads.push({ step, slot }) - 1;
  };
  const slotOf = (name: string): number => plan.slotNames.indexOf(name);
  const events = Object.keys(scenario.events ?? {});
  const regimes = Object.keys(scenario.regimes ?? {});
  const values = [
    ...Object.keys(scenario.params ?? {}),
    ...Object.keys(scenario.derived ?? {}),
    ...Object.keys(scenario.state ?? {}),
  ];
  const tests: { test: Test; soft: boolean }[] = [];
  const clauses: EvidenceProgram['clauses'][number][] = [];

  const bindOne = (text: string, index: number): boolean => {
    const problem = (p: ClauseProblem & { suggestion?: string | undefined }): false => {
      const { suggestion, ...rest } = p;
      problems.push({ ...rest, index, ...(suggestion === undefined ? {} : { suggestion }) });
      return false;
    };
    const parsed = parseClause(text, stepOf);
    if ('message' in parsed) return problem(parsed);
    const c: Clause = parsed;
    const nameAt = text.indexOf(c.name);
    const unknown = (what: string, names: readonly string[]): false =>
      problem({
        message: `"${c.name}" is not ${what}`,
        offset: Math.max(0, nameAt),
        expected: names.length > 0 ? `one of ${names.join(', ')}` : `${what} (this scenario has none)`,
        suggestion: didYouMean(c.name, names),
      });
    const first = c.kind === 'by' ? 1 : 0;
    if (c.step < first || c.step > horizon) {
      const at = text.lastIndexOf(String(c.step));
      return problem({
        message: `step ${c.step} is outside the run (steps ${first}..${horizon})`,
        offset: Math.max(0, at),
      });
    }
    let test: Test | undefined;
    switch (c.kind) {
      case 'by': {
        const k = outcomeIds.indexOf(c.name);
        const e = events.indexOf(c.name);
        if (k >= 0) {
          // The first-passage step is known when the trial ends: happened by K ⇔ 1 ≤ fp ≤ K.
          test = (_obs, fp) => {
            const s = fp[k]!;
            return s > 0 && s <= c.step ? 1 : 0;
          };
        } else if (e >= 0) {
          const j = read(c.step, slotOf(`${c.name}.count`));
          test = (obs) => (obs[j]! > 0 ? 1 : 0);
        } else return unknown('an outcome or an event', [...outcomeIds, ...events]);
        break;
      }
      case 'regime': {
        if (!regimes.includes(c.name)) return unknown('a regime', regimes);
        const states = scenario.regimes![c.name]!.states;
        if (!states.includes(c.state)) {
          return problem({
            message: `regime "${c.name}" has no state "${c.state}"`,
            offset: Math.max(0, text.lastIndexOf(c.state)),
            expected: `one of ${states.join(', ')}`,
            suggestion: didYouMean(c.state, states),
          });
        }
        const j = read(c.step, slotOf(`${c.name}.${c.state}`));
        test = (obs) => (obs[j]! !== 0 ? 1 : 0);
        break;
      }
      case 'range':
      case 'compare':
      case 'soft': {
        if (!values.includes(c.name)) return unknown('a param, derived value or state variable', values);
        const j = read(c.step, slotOf(c.name));
        if (c.kind === 'range') test = (obs) => (obs[j]! >= c.lo && obs[j]! <= c.hi ? 1 : 0);
        else if (c.kind === 'compare') test = compare(j, c.op, c.value);
        else {
          const scale = -1 / (2 * c.sd * c.sd);
          test = (obs) => {
            const d = obs[j]! - c.mean;
            return Math.exp(scale * d * d);
          };
        }
        break;
      }
    }
    const negate = c.kind === 'by' && c.negated;
    const negateRegime = c.kind === 'regime' && c.negated;
    const base = test;
    tests.push({
      test: negate || negateRegime ? (obs, fp) => 1 - base(obs, fp) : base,
      soft: c.kind === 'soft',
    });
    clauses.push({ text: clauseText(c), written: text, soft: c.kind === 'soft' });
    return true;
  };
  for (let i = 0; i < written.length; i++) bindOne(written[i]!, i);
  if (problems.length > 0) return { ok: false, problems };

  const anySoft = tests.some((t) => t.soft);
  const unit = anySoft ? EVIDENCE_WEIGHT_UNIT : 1;
  const obs = new Float64Array(reads.length);
  const byStep = new Map<number, { slot: number; into: number }[]>();
  reads.forEach((r, into) => {
    const list = byStep.get(r.step) ?? [];
    list.push({ slot: r.slot, into });
    byStep.set(r.step, list);
  });
  const params = plan.params.map((p) => ({ name: plan.slotNames[p.slot]!, slot: p.slot }));
  const steps = new Set([0, ...byStep.keys()]);
  const program: EvidenceProgram = {
    clauses,
    unit,
    params,
    steps,
    observe(v, t) {
      const list = byStep.get(t);
      if (list !== undefined) for (const r of list) obs[r.into] = v[r.slot]!;
    },
    judge(fp, failed) {
      let likelihood = 1;
      let rejected = false;
      for (let c = 0; c < tests.length; c++) {
        const { test, soft } = tests[c]!;
        const x = test(obs, fp);
        if (soft) {
          if (Math.round(x * unit) === 0) failed[c]! += 1;
          likelihood *= x;
        } else if (x === 0) {
          failed[c]! += 1;
          rejected = true;
        }
      }
      return rejected ? 0 : Math.round(likelihood * unit);
    },
  };
  return { ok: true, value: program };
}

function compare(j: number, op: Comparison, value: number): Test {
  switch (op) {
    case '<':
      return (obs) => (obs[j]! < value ? 1 : 0);
    case '<=':
      return (obs) => (obs[j]! <= value ? 1 : 0);
    case '>':
      return (obs) => (obs[j]! > value ? 1 : 0);
    case '>=':
      return (obs) => (obs[j]! >= value ? 1 : 0);
  }
}
