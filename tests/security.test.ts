import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entente, fixture } from './cli.js';

// Issue 10, class 1 as a user meets it: one hostile file among several in one call must not change
// how the others are read (before the fix, a `__proto__` mapping merged through `extends` polluted
// Object.prototype, and every later file failed with an internal TypeError).
describe('a hostile file does not affect the files after it', () => {
  it('validate and run: a __proto__ override through extends is refused, the next file is fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-sec-'));
    writeFileSync(
      join(dir, 'base.yaml'),
      'id: b\ntitle: b\nhorizon: { steps: 12 }\nparams: { h: 0.1 }\noutcomes:\n  o: { when: "bernoulli(h)" }\nprimary: o\n',
    );
    const hostile = join(dir, 'hostile.yaml');
    writeFileSync(
      hostile,
      'extends: ./base.yaml\n__proto__:\n  logit: "x); process.exit(42); (1"\nparams:\n  __proto__: { polluted: 1 }\n',
    );
    const v = entente(['validate', hostile, fixture('hazard.yaml'), fixture('alliance.yaml')]);
    expect(v.code).toBe(2);
    expect(v.stdout + v.stderr).toMatch(/hostile\.yaml:2:1: .*"__proto__" cannot be used as a name/);
    expect(v.stdout + v.stderr).toMatch(/hostile\.yaml:5:3: /);
    expect(v.stdout + v.stderr).not.toMatch(/internal error|TypeError/);
    expect(v.stdout + v.stderr).toMatch(/hazard\.yaml: valid/);
    expect(v.stdout + v.stderr).toMatch(/alliance\.yaml: valid/);
  });
});
