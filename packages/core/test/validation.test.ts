// Issue 16, "Validation that reports everything, in the user's terms": every stage that can still run
// reports its problems (schema, vocabulary expansion, references, formulas), each problem once and
// never a consequence of another; validation checks what compiling checks, so what validates loads;
// suggestions never name the word written; missing fields and sections are called missing.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import {
  type DocumentLoader,
  formatIssue,
  type Issue,
  loadScenario,
  parseDocument,
  validateData,
  validateText,
} from '../src/index.js';
import { closest, didYouMean, editDistance } from '../src/suggest.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every issue of a text, formatted; fails if it validates, or if validating and loading disagree. */
function problems(text: string, file = 't.yaml'): string[] {
  const v = validateText(text, { file });
  const l = loadScenario(text, { file });
  expect(l.ok, 'loadScenario agrees with validateText').toBe(v.ok);
  if (v.ok) throw new Error('expected the text to be rejected');
  const lines = v.issues.map(formatIssue);
  expect(new Set(lines).size, `each problem once:\n${lines.join('\n')}`).toBe(lines.length);
  return lines;
}
const codes = (text: string): string[] => {
  const v = validateText(text, { file: 't.yaml' });
  return v.ok ? [] : v.issues.map((i) => `${i.code} ${i.path.join('.')}`);
};

const BASE = `id: base
title: Base
horizon: { steps: 12 }
sources:
  mee: { title: A source }
params:
  h: 0.1
  w: { dist: uniform, min: 0, max: 1 }
  v: { dist: normal, mean: 0, sd: 1 }
derived:
  d: "w * 2"
state:
  s: { init: 0, update: "s + d" }
regimes:
  r:
    states: [calm, hot]
    initial: calm
    transitions: { calm: { hot: h } }
events:
  shock: { hazard: h, effects: [{ add: s, by: 1 }, { set: w, to: 0.5 }] }
outcomes:
  cooled: { when: "r.hot and s > 1 and shock", source: mee }
  hit: { when: "shock.count > 1" }
correlations:
  - between: [w, v]
    rank: 0.3
report: [s, d, w]
primary: cooled
`;

const ALLIANCE = `${readFileSync(join(ROOT, 'tests/fixtures/alliance.yaml'), 'utf8')}derived:
  gap: "push - hold + oil + threshold_downgrade"
outcomes:
  sharp: { when: "stance.downgrade and t > 3" }
`;

describe('every problem from every stage that can still run', () => {
  it('the base documents are valid', () => {
    expect(validateText(BASE).ok).toBe(true);
    expect(validateText(ALLIANCE).ok).toBe(true);
  });

  it('an unknown field (schema) does not hide a reference typo or a formula typo', () => {
    const text = BASE.replace('title: Base', 'title: Base\nextra: 1')
      .replace('primary: cooled', 'primary: coold')
      .replace('"w * 2"', '"ww * 2"');
    expect(problems(text)).toEqual([
      't.yaml:3:1: extra: unknown field "extra"',
      't.yaml:29:10: primary: "coold" is not an outcome (expected one of cooled, hit); did you mean "cooled"?',
      't.yaml:12:7: derived.d: in formula "ww * 2": unknown name "ww" (expected a param, derived value, state variable, event or built-in (t, horizon, pi, e)); did you mean "w"?',
    ]);
  });

  it('the vocabulary: after `unknown field "extra"`, `cooled: downgade` and a formula typo are reported too', () => {
    const text = ALLIANCE.replace('label: oil sales', 'label: oil sales\n    extra: 1')
      .replace('cooled: downgrade', 'cooled: downgade')
      .replace('"push - hold', '"pushh - hold');
    expect(problems(text)).toEqual([
      't.yaml:12:5: interests.oil.extra: unknown field "extra"',
      't.yaml:26:11: decision.cooled: "downgade" is not a rung of the ladder; did you mean "downgrade"?',
      't.yaml:31:9: derived.gap: in formula "pushh - hold + oil + threshold_downgrade": unknown name "pushh" (expected a param, derived value, state variable, event or built-in (t, horizon, pi, e)); did you mean "push"?',
    ]);
  });

  it('a broken interest, an unknown actor and a formula typo: all three', () => {
    const text = ALLIANCE.replace('    direction: hold\n    value: { dist', '    value: { dist')
      .replace('actor: TR', 'actor: TK')
      .replace('"push - hold', '"pushh - hold');
    expect(codes(text)).toEqual([
      'schema.missing interests.oil.direction',
      'alliance.actor pressures.turkey.actor',
      'formula.unknown-name derived.gap',
    ]);
  });

  it('a bad distribution, an effect on an unknown regime and a formula typo elsewhere: all three', () => {
    const text = BASE.replace('sd: 1 }', 'sd: -1 }')
      .replace('{ add: s, by: 1 }', '{ regime: rr, to: hot }')
      .replace('"s + d"', '"s + dd"');
    expect(codes(text)).toEqual([
      'distribution.invalid params.v.sd',
      'reference.regime events.shock.effects.0.regime',
      'formula.unknown-name state.s.update',
    ]);
  });

  it('a `given` clause is checked with the rest', () => {
    const text = `${BASE.replace('primary: cooled', 'primary: coold')}given:\n  - "shok by 3"\n`;
    expect(codes(text)).toEqual(['reference.outcome primary', 'evidence.clause given.0']);
  });
});

describe('a consequence of a problem is not reported as another problem', () => {
  const only = (text: string, expected: string[]): void => {
    problems(text); // agrees with loading, each once
    expect(codes(text)).toEqual(expected);
  };

  it('an item the schema cannot read keeps its name: formulas, reports, correlations and effects that use it are not errors', () => {
    only(BASE.replace('{ dist: uniform, min: 0, max: 1 }', '{ dist: uniform, min: 0 }'), [
      'schema.missing params.w.max',
    ]);
    only(BASE.replace('dist: uniform', 'dist: unifrom'), ['schema.unknown-kind params.w.dist']);
    only(BASE.replace('s: { init: 0, update: "s + d" }', 's: { init: [0], update: "s + d" }'), [
      'schema.type state.s.init',
    ]);
  });

  it('an item with an unknown field is checked without it, and not blamed for what that field misspells', () => {
    // `hazrd` is not also "an event needs a hazard"; the formulas of the item are still checked.
    only(BASE.replace('hazard: h,', 'hazrd: h,'), ['schema.unknown-field events.shock.hazrd']);
    only(BASE.replace('hazard: h,', 'hazard: hh, extra: 1,'), [
      'schema.unknown-field events.shock.extra',
      'formula.unknown-name events.shock.hazard',
    ]);
    only(BASE.replace('cooled: { when:', 'cooled: { whn:'), ['schema.unknown-field outcomes.cooled.whn']);
  });

  it('a misspelt section hides names: nothing that uses them is reported', () => {
    only(BASE.replace('params:', 'parms:'), ['schema.unknown-field parms']);
    only(BASE.replace('regimes:', 'regims:'), ['schema.unknown-field regims']);
    only(BASE.replace('params:\n', 'params: 5\nignored:\n'), [
      'schema.type params',
      'schema.unknown-field ignored',
    ]);
  });

  it('a misspelt required field is one problem, not also a missing one', () => {
    expect(problems(BASE.replace('horizon:', 'horizn:'))).toEqual([
      't.yaml:3:1: horizn: unknown field "horizn"; did you mean "horizon"?',
    ]);
    expect(problems(BASE.replace('min: 0, max: 1', 'min: 0, maks: 1'))).toEqual([
      't.yaml:8:31: params.w.maks: unknown field "maks"; did you mean "max"?',
    ]);
    expect(codes(BASE.replace('{ add: s, by: 1 }', '{ regimex: r, to: hot }'))).toEqual([
      'schema.unknown-field events.shock.effects.0.regimex',
    ]);
  });

  it('without a horizon, steps are not "after the horizon"', () => {
    only(
      BASE.replace('horizon: { steps: 12 }\n', '').replace(
        'shock: { hazard: h,',
        'shock: { at: 20, hazard: h,',
      ),
      ['schema.missing horizon'],
    );
  });

  it('a regime the schema cannot read: its states are not "unknown" in formulas', () => {
    only(BASE.replace('transitions: { calm: { hot: h } }', 'transitions: 5'), [
      'schema.type regimes.r.transitions',
    ]);
    only(
      BASE.replace('states: [calm, hot]', 'states: 7')
        .replace('initial: calm', 'initial: 3')
        .replace('transitions: { calm: { hot: h } }', 'transitions: 5'),
      ['schema.type regimes.r.states', 'schema.type regimes.r.initial', 'schema.type regimes.r.transitions'],
    );
  });

  it('a name used twice is one problem, not also a cycle; a cycle is named once', () => {
    only(BASE.replace('  d: "w * 2"', '  d: "w * 2"\n  h: "h + 1"'), ['names.duplicate derived.h']);
    only(BASE.replace('"w * 2"', '"e2 * 2"\n  e2: "d + 1"'), ['formula.cycle derived.d']);
  });

  it('the vocabulary: a misspelt ladder, thresholds or rung is one problem', () => {
    only(ALLIANCE.replace('ladder:', 'ladderx:'), ['schema.unknown-field decision.ladderx']);
    only(ALLIANCE.replace('thresholds:', 'thresholdz:'), ['schema.unknown-field decision.thresholdz']);
    only(ALLIANCE.replace('downgrade: 0.1 }', 'downgrad: 0.1 }'), [
      'alliance.rung decision.thresholds.downgrad',
    ]);
    only(ALLIANCE.replace('actors:', 'actorz:'), ['schema.unknown-field actorz']);
    only(ALLIANCE.replace('lambda: 5', 'lambda: { dist: lognormal, ci90x: [3, 6] }'), [
      'schema.unknown-field decision.lambda.ci90x',
    ]);
  });

  it('the vocabulary: names the vocabulary would make are not unknown while it is broken', () => {
    // Without a decision section the ladder is unknown: `stance.downgrade` and `threshold_downgrade` wait.
    only(ALLIANCE.replace(/decision:\n( {2}.*\n)+/, ''), ['alliance.decision decision']);
    only(
      ALLIANCE.replace('thresholds: { criticise: -0.3, downgrade: 0.1 }', 'thresholds: { criticise: -0.3 }'),
      ['alliance.threshold decision.thresholds'],
    );
    only(ALLIANCE.replace('    direction: hold\n    value: { dist', '    value: { dist'), [
      'schema.missing interests.oil.direction',
    ]);
    only(ALLIANCE.replace('intensity: 0.6', 'intensity: [0.6]'), ['schema.type pressures.turkey.intensity']);
    only(ALLIANCE.replace('intensity: 0.6', 'intensity: { regime: nope, values: { a: 1 } }'), [
      'alliance.regime pressures.turkey.intensity.regime',
    ]);
    // A quantity on a regime of a `regimes:` section that is misspelt: the misspelling is the problem.
    const onRegime = `${ALLIANCE.replace('intensity: 0.6', 'intensity: { regime: w, values: { a: 0.2, b: 0.6 } }')}regims:\n  w: { states: [a, b], initial: a, transitions: {} }\n`;
    only(onRegime, ['schema.unknown-field regims']);
  });
});

describe('validation means valid: it checks what the compiler checks', () => {
  it('validateText and validateData refuse a formula that names an unknown value, with a suggestion', () => {
    const text = BASE.replace('"w * 2"', '"ww * 2"');
    const v = validateText(text, { file: 't.yaml' });
    expect(!v.ok && v.issues[0]).toMatchObject({
      code: 'formula.unknown-name',
      line: 11,
      column: 7,
      suggestion: 'did you mean "w"?',
    });
    const d = validateData(parseYaml(text));
    expect(!d.ok && d.issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['formula.unknown-name', 'derived.d'],
    ]);
  });

  it('a cycle, an unknown function and a bad clause are validation errors', () => {
    expect(codes(BASE.replace('"w * 2"', '"d + 1"'))).toEqual(['formula.cycle derived.d']);
    expect(codes(BASE.replace('"w * 2"', '"sqr(w)"'))).toEqual(['formula.unknown-function derived.d']);
    expect(codes(`${BASE}given:\n  - "shok by 3"\n`)).toEqual(['evidence.clause given.0']);
  });

  it('over the scenario packs and the test fixtures, a file validates exactly when it loads, with the same issues', () => {
    const files = [
      ...readdirSync(join(ROOT, 'scenarios')).flatMap((d) =>
        d.endsWith('.json')
          ? []
          : readdirSync(join(ROOT, 'scenarios', d)).map((f) => join('scenarios', d, f)),
      ),
      ...readdirSync(join(ROOT, 'tests/fixtures')).map((f) => join('tests/fixtures', f)),
    ].filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(25);
    const loader: DocumentLoader = (ref, from) =>
      parseDocument(
        readFileSync(resolve(ROOT, dirname(from ?? ''), ref), 'utf8'),
        join(dirname(from ?? ''), ref),
      );
    let valid = 0;
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const v = validateText(text, { file, loader });
      const l = loadScenario(text, { file, loader });
      expect(l.ok, file).toBe(v.ok);
      if (!v.ok && !l.ok) expect(l.issues, file).toEqual(v.issues);
      if (v.ok) valid++;
    }
    expect(valid).toBeGreaterThan(20);
  });

  it('every edit of a document (a key misspelt or removed, a value changed) validates exactly when it loads, each problem once, never a throw', () => {
    type Path = (string | number)[];
    const places = (data: unknown, path: Path = []): Path[] =>
      Array.isArray(data)
        ? data.flatMap((x, i) => [[...path, i], ...places(x, [...path, i])])
        : typeof data === 'object' && data !== null
          ? Object.entries(data).flatMap(([k, v]) => [[...path, k], ...places(v, [...path, k])])
          : [];
    const edited = (
      data: unknown,
      path: Path,
      how: (holder: Record<string | number, unknown>, key: string | number) => void,
    ) => {
      const copy = structuredClone(data);
      const holder = path
        .slice(0, -1)
        .reduce<unknown>((x, k) => (x as Record<string | number, unknown>)[k], copy);
      how(holder as Record<string | number, unknown>, path[path.length - 1]!);
      return stringify(copy);
    };
    let rejected = 0;
    for (const text of [BASE, ALLIANCE]) {
      const data = parseYaml(text) as unknown;
      for (const path of places(data)) {
        const texts = [
          edited(data, path, (o, k) => {
            o[k] = typeof o[k] === 'string' ? `${o[k]}q` : 'zz';
          }),
        ];
        if (typeof path[path.length - 1] === 'string')
          texts.push(
            edited(data, path, (o, k) => {
              o[`${k}x`] = o[k];
              delete o[k];
            }),
            edited(data, path, (o, k) => {
              delete o[k];
            }),
          );
        for (const t of texts) {
          const v = validateText(t, { file: 'e.yaml' });
          const l = loadScenario(t, { file: 'e.yaml' });
          expect(l.ok, t).toBe(v.ok);
          if (v.ok) continue;
          rejected++;
          const lines = v.issues.map(formatIssue);
          expect(new Set(lines).size, lines.join('\n')).toBe(lines.length);
          for (const i of v.issues) expect(i, JSON.stringify(i)).toMatchObject({ file: 'e.yaml' });
        }
      }
    }
    expect(rejected).toBeGreaterThan(150);
  });
});

describe('suggestions never name the word written', () => {
  it('didYouMean(x, names) never returns x itself (property)', () => {
    const word = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 8 }), (x, names) => {
        const all = [...names, x, x.toUpperCase(), `${x}s`];
        expect(closest(x, all)).not.toBe(x);
        expect(didYouMean(x, all)).not.toBe(`did you mean "${x}"?`);
      }),
    );
  });

  it('a swap of two neighbouring letters is one typo', () => {
    expect(editDistance('oli', 'oil')).toBe(1);
    expect(editDistance('tukrey', 'turkey')).toBe(1);
    expect(editDistance('abc', 'cab')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('oli', ['oil', 'arms', 'opinion'])).toBe('did you mean "oil"?');
  });

  it('a field valid elsewhere is not suggested as itself; the fields allowed there are listed', () => {
    const interest = validateText(ALLIANCE.replace('label: oil sales', 'label: oil sales\n    push: "1"'));
    expect(!interest.ok && interest.issues.map(formatIssue)).toEqual([
      '12:5: interests.oil.push: unknown field "push" (expected one of the fields direction, weight, value, label, source, note)',
    ]);
    const uniform = validateText(BASE.replace('min: 0, max: 1', 'min: 0, max: 1, mode: 0.5'));
    expect(!uniform.ok && uniform.issues[0]?.message).toBe('unknown field "mode"');
    expect(!uniform.ok && uniform.issues[0]?.suggestion).toBeUndefined();
    expect(!uniform.ok && uniform.issues[0]?.expected).toContain('dist, min, max');
    // A field of another section a letter away from one allowed here is suggested.
    const regime = validateText(BASE.replace('states: [calm, hot]', 'state: [calm, hot]'));
    expect(!regime.ok && regime.issues.map((i) => `${i.message}; ${i.suggestion}`)).toEqual([
      'unknown field "state"; did you mean "states"?',
    ]);
  });
});

describe('missing things are called missing', () => {
  const first = (text: string): Issue => {
    const v = validateText(text, { file: 't.yaml' });
    if (v.ok) throw new Error('expected a problem');
    return v.issues[0]!;
  };

  it('a missing required field says "missing required field" and its name', () => {
    expect(
      formatIssue(first(ALLIANCE.replace('    direction: hold\n    value: { dist', '    value: { dist'))),
    ).toBe(
      't.yaml:11:5: interests.oil.direction: missing required field "direction" (expected one of hold, push)',
    );
    expect(first(BASE.replace('    initial: calm\n', '')).message).toBe('missing required field "initial"');
    expect(first(BASE.replace('title: Base\n', '')).message).toBe('missing required field "title"');
  });

  it('a missing decision section says so, rather than naming a rung of the default ladder', () => {
    const i = first(ALLIANCE.replace(/decision:\n( {2}.*\n)+/, ''));
    expect(i.code).toBe('alliance.decision');
    expect(i.message).toMatch(/^missing the "decision" section/);
    expect(i.message).not.toMatch(/rung "cool" needs a threshold/);
  });

  it('a decision without thresholds says so once, naming every rung that needs one', () => {
    const v = validateText(ALLIANCE.replace('  thresholds: { criticise: -0.3, downgrade: 0.1 }\n', ''));
    expect(!v.ok && v.issues.map((i) => i.message)).toEqual([
      'missing required field "thresholds": the logit rule needs one for each rung above the first (criticise, downgrade)',
    ]);
  });
});
