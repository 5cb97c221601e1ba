// Issue 16, "Validation that reports everything, in the user's terms", end to end: `entente validate`
// reports every problem of every stage at once and accepts exactly what `run` accepts; missing
// fields, sections and files say so; `extends` does not leak a base distribution's parameters and
// points a bad path at its line with the nearest file; YAML syntax errors point at the mistake.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entente, fixture, ROOT } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-validation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Write a file in the temporary folder; its path as the CLI is given it (relative to the repository). */
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return relative(ROOT, path);
};

const alliance = readFileSync(join(ROOT, fixture('alliance.yaml')), 'utf8');

/** The issue's example: an unknown field, then `cooled: downgade`, then a formula naming an unknown value. */
const everything = write(
  'everything.yaml',
  `${alliance
    .replace('label: oil sales', 'label: oil sales\n    extra: 1')
    .replace('cooled: downgrade', 'cooled: downgade')}derived:\n  gap: "pushh - hold"\n`,
);

describe('validate reports every problem of every stage, once', () => {
  it('the schema, the vocabulary and the formulas, in one run', () => {
    const r = entente(['validate', everything]);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `${everything}:12:5: interests.oil.extra: unknown field "extra"`,
      `${everything}:26:11: decision.cooled: "downgade" is not a rung of the ladder; did you mean "downgrade"?`,
      `${everything}:31:9: derived.gap: in formula "pushh - hold": unknown name "pushh" (expected a param, derived value, state variable, event or built-in (t, horizon, pi, e)); did you mean "push"?`,
    ]);
    expect(r.stderr).toBe('3 problem(s) in 1 of 1 file(s)\n');
  });

  it('--json lists the same problems', () => {
    const r = entente(['validate', '--json', everything]);
    expect(r.code).toBe(2);
    const [report] = JSON.parse(r.stdout) as { valid: boolean; issues: { code: string }[] }[];
    expect(report!.valid).toBe(false);
    expect(report!.issues.map((i) => i.code)).toEqual([
      'schema.unknown-field',
      'alliance.rung',
      'formula.unknown-name',
    ]);
  });
});

describe('validate accepts exactly what run accepts', () => {
  const packs = readdirSync(join(ROOT, 'scenarios'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(ROOT, 'scenarios', d.name)).map((f) => join('scenarios', d.name, f)));
  const fixtures = readdirSync(join(ROOT, 'tests/fixtures')).map((f) => fixture(f));
  const made = [
    everything,
    write('formula.yaml', alliance.replace('"arms - 0.005', '"armz - 0.005')),
    write('given.yaml', `${alliance}given:\n  - "coold by 3"\n`),
  ];
  const files = [...packs, ...fixtures, ...made].filter((f) => /\.ya?ml$/.test(f));

  it('there are files of both kinds', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files)('%s', (file) => {
    const validate = entente(['validate', file]);
    const run = entente(['run', file, '--runs', '10', '--no-drivers', '--format', 'json']);
    if (validate.code === 0) {
      // Accepted: run loads it (a formula may still go NaN at run time: exit 1, not a file problem).
      expect(run.code, run.stderr).not.toBe(2);
      return;
    }
    expect(validate.code).toBe(2);
    expect(run.code).toBe(2);
    // The same problems, word for word.
    const problems = validate.stdout.trimEnd().split('\n');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      ...problems,
      `${problems.length} problem(s); nothing was run`,
    ]);
  });
});

describe('missing things are called missing', () => {
  it('a missing required field', () => {
    const file = write('direction.yaml', alliance.replace('    direction: hold\n', ''));
    const r = entente(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      `${file}:11:5: interests.oil.direction: missing required field "direction" (expected one of hold, push)\n`,
    );
  });

  it('a missing decision section', () => {
    const file = write('decision.yaml', alliance.replace(/decision:\n( {2}.*\n)+/, ''));
    const r = entente(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^[^\n]*:1:1: decision: missing the "decision" section: /);
    expect(r.stdout).not.toContain('rung "cool" needs a threshold');
  });

  it('an empty file, and one with only comments', () => {
    const empty = write('empty.yaml', '');
    const comments = write('comments.yaml', '# a scenario, one day\n');
    const r = entente(['validate', empty, comments]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      `${empty}:1:1: (document): the document is empty (expected a mapping of fields (id: …, title: …, …))\n` +
        `${comments}:1:1: (document): the document is empty: it holds only comments (expected a mapping of fields (id: …, title: …, …))\n`,
    );
  });
});

describe('extends', () => {
  const base = write(
    'baseline.yaml',
    `id: base
title: Base
horizon: { steps: 12 }
params:
  h: { dist: triangular, min: 0, mode: 0.1, max: 0.3 }
outcomes:
  o: { when: "bernoulli(h)" }
primary: o
`,
  );

  it("a distribution of another kind does not keep the base's parameters", () => {
    const child = write(
      'uniform.yaml',
      'extends: ./baseline.yaml\nid: child\nparams:\n  h: { dist: uniform, min: 0, max: 0.2 }\n',
    );
    // It used to fail with `unknown field "mode"; did you mean "mode"?`, located in the base.
    const r = entente(['validate', child]);
    expect(r.stdout).toBe(`${child}: valid\n`);
    expect(r.code).toBe(0);
    expect(entente(['validate', base]).code).toBe(0);
  });

  it('a base that does not exist is reported at the extends line, with the nearest file', () => {
    const child = write('typo.yaml', '# a child\nextends: ./basline.yaml\nid: child\n');
    const r = entente(['validate', child]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      `${child}:2:10: extends: cannot read the base file "${join(relative(ROOT, dir), 'basline.yaml')}": no such file; did you mean "./baseline.yaml"?\n`,
    );
  });

  it('no suggestion when nothing is close', () => {
    const child = write('far.yaml', 'extends: ./completely-different.yaml\nid: child\n');
    const r = entente(['validate', child]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/no such file\n$/);
  });
});

describe('YAML syntax errors point at the mistake', () => {
  it('an unclosed "{" on line 3 is reported on line 3, at the "{"', () => {
    const file = write('brace.yaml', 'id: x\ntitle: y\nhorizon: { steps: 12\nparams:\n  a: 1\n');
    const r = entente(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:10: \\(document\\): this "\\{" is never closed`,
      ),
    );
  });

  it('an unclosed quote is reported where the string starts', () => {
    const file = write('quote.yaml', 'id: x\ntitle: "abc\nhorizon: { steps: 12 }\n');
    expect(entente(['validate', file]).stdout).toContain(
      `${file}:2:8: (document): the string that starts here`,
    );
  });
});
