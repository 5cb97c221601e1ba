import { loadScenario, parseDocument } from '@entente/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { allianceScenario, checkTypedFailure, coreScenario, prototypeNamed } from '../src/index.js';

const PRISTINE = Object.getOwnPropertyNames(Object.prototype).sort();

describe('documents with a prototype member as a key or a name (issue 10, class 1)', () => {
  afterAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PRISTINE);
    expect((globalThis as Record<string, unknown>).PWNED).toBeUndefined();
  });

  it('load as located issues or a result, directly and through extends, and never touch Object.prototype', () => {
    const docs = fc.oneof(coreScenario({ maxSteps: 6 }), allianceScenario({ maxSteps: 6 }));
    fc.assert(
      fc.property(prototypeNamed(docs), (text) => {
        checkTypedFailure(text, 5);
        const child = `extends: base.yaml\n${text}`;
        loadScenario(child, { file: 'child.yaml', loader: (ref) => parseDocument(text, ref) });
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PRISTINE);
      }),
    );
  });
});
