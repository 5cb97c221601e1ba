import { defaults, type Issue, loadScenario, run, SimulationError, validateText } from '@entente/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aliasBombText,
  checkTypedFailure,
  deepDocumentText,
  hostileDocument,
  hostileFormulaScenario,
  invisibleName,
  manyKeysText,
  nonFiniteNumbers,
} from '../src/index.js';

/**
 * Each hostile text, through every way in: validateText and loadScenario never throw, they answer
 * with a model or with issues that each have a code, a path and a line and column, and a model
 * that loads runs a trial with generated code and with the closure fallback (a run-time NaN is a
 * typed SimulationError, which is allowed).
 */
function answersCleanly(text: string): 'ran' | 'rejected' {
  const valid = validateText(text, { file: 'fuzz.yaml' });
  const outcome = checkTypedFailure(text, 1);
  // checkTypedFailure has checked loadScenario's issues; validateText's must be located too.
  if (!valid.ok) for (const issue of valid.issues) expect(located(issue), JSON.stringify(issue)).toBe(true);
  if (outcome === 'rejected') return 'rejected';
  expect(valid.ok).toBe(true);
  const closure = loadScenario(text, { file: 'fuzz.yaml', backend: 'closure' });
  expect(closure.ok).toBe(true);
  if (closure.ok) {
    expect(closure.value.backend).toBe('closure');
    try {
      run(closure.value, { runs: 1 });
    } catch (e) {
      if (!(e instanceof SimulationError)) throw e;
    }
  }
  return 'ran';
}

function located(issue: Issue): boolean {
  return (
    issue.code.length > 0 &&
    issue.file === 'fuzz.yaml' &&
    Number.isInteger(issue.line) &&
    Number.isInteger(issue.column) &&
    Array.isArray(issue.path)
  );
}

function issuesOf(text: string): Issue[] {
  const r = loadScenario(text, { file: 'fuzz.yaml' });
  if (r.ok) throw new Error('expected the text to be rejected');
  return r.issues;
}

describe('hostile formulas (deep, long, tricky) in every formula position', () => {
  it('are answered with a model or located issues, never a crash, and what loads runs on both back ends', () => {
    const seen = { ran: 0, rejected: 0 };
    fc.assert(
      fc.property(hostileFormulaScenario(), (text) => {
        seen[answersCleanly(text)]++;
      }),
      { numRuns: 300 },
    );
    // The generator reaches both sides of every limit.
    expect(seen.ran).toBeGreaterThan(20);
    expect(seen.rejected).toBeGreaterThan(20);
  });

  it('each formula fails fast: nothing takes more than a second, including % operands nested 40 deep', () => {
    fc.assert(
      fc.property(hostileFormulaScenario(), (text) => {
        const t0 = performance.now();
        loadScenario(text, { file: 'fuzz.yaml' });
        expect(performance.now() - t0).toBeLessThan(1000);
      }),
      { numRuns: 150 },
    );
  });
});

describe('hostile documents', () => {
  it('are answered with a model or located issues, never a crash', () => {
    fc.assert(
      fc.property(hostileDocument({ maxKeys: 2000 }), (text) => {
        answersCleanly(text);
      }),
      { numRuns: 200 },
    );
  });

  it('non-finite numbers are named as such, wherever they are', () => {
    fc.assert(
      fc.property(nonFiniteNumbers(), (text) => {
        const issues = issuesOf(text);
        expect(issues.map((i) => i.code)).toContainEqual(expect.stringMatching(/not-finite/));
        for (const i of issues) {
          expect(i.message).not.toContain('null is not a number');
          expect(i.message).not.toMatch(/expected number, got number/);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('an invisible character in a name is named, with its code point, at the name', () => {
    fc.assert(
      fc.property(invisibleName(), (text) => {
        const [i] = issuesOf(text);
        expect(i?.code).toBe('schema.name');
        expect(i?.message).toMatch(/contains (an invisible character|a space character) U\+[0-9A-F]{4}/);
        expect(i?.message).not.toContain('Invalid key in record');
      }),
      { numRuns: 100 },
    );
  });

  it('a billion laughs is a document error naming the alias limit; a few reused anchors are fine', () => {
    const [bomb] = issuesOf(aliasBombText(9, 9));
    expect(bomb).toMatchObject({ code: 'document.aliases', file: 'fuzz.yaml' });
    expect(bomb?.message).toContain(`the limit is ${defaults.MAX_ALIAS_COUNT}`);
    expect(bomb?.line).toBeGreaterThan(8);
    // Two levels of two copies is ordinary reuse: not an alias error (the extra top-level keys are
    // then reported as unknown fields).
    const small = loadScenario(aliasBombText(2, 2), { file: 'fuzz.yaml' });
    expect(small.ok ? [] : small.issues.map((i) => i.code)).not.toContain('document.aliases');
  });

  it('nesting past the limit is refused before the YAML library recurses', () => {
    for (const [n, flow] of [
      [20_000, true],
      [2_000, false],
    ] as const) {
      const [i] = issuesOf(deepDocumentText(n, flow));
      expect(i?.code).toBe('document.too-deep');
      expect(i?.message).toContain(`the limit is ${defaults.MAX_DOCUMENT_DEPTH}`);
    }
  });

  it('40,000 keys in one mapping load in linear time (it took 18 s with the library duplicate check)', () => {
    const t0 = performance.now();
    const r = loadScenario(manyKeysText(40_000), { file: 'fuzz.yaml' });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.ok).toBe(true);
    expect(seconds).toBeLessThan(5);
  });
});
