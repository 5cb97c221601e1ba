import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { entente, fixture } from './cli.js';

// issue 11: conditioning on evidence (`--given`) from the command line as a user runs it. A
// conditioned run is the same bits on any number of worker threads and when split into shards
// and merged; bad or impossible evidence is a clear error with the right exit code.

const SCENARIO = fixture('hazard.yaml');
const GIVEN = ['--given', 'not hit by 6'];
let dir: string;

/** A scenario with a random param, for soft evidence (the fixture's hazard is a fixed number). */
const SOFT = `id: soft
title: Uncertain hazard
horizon: { steps: 12 }
params:
  h: { dist: beta, mean: 0.05, sd: 0.02 }
outcomes:
  hit: { when: "bernoulli(h)" }
primary: hit
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entente-evidence-'));
  writeFileSync(join(dir, 'soft.yaml'), SOFT);
});

/** Write shards 0 … count − 1 of a run with `args` (scenario, --runs, --given …) and return their paths. */
function writeShards(args: string[], count: number, name: string): string[] {
  return Array.from({ length: count }, (_, k) => {
    const out = join(dir, `${name}-${k}.json`);
    const r = entente([
      'run',
      ...args,
      '--shard',
      `${k}/${count}`,
      '--format',
      'tallies',
      '--out',
      out,
      '-q',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return out;
  });
}

describe('a conditioned run on worker threads', () => {
  it('prints the same bits with 1, 2 and 4 workers', () => {
    const args = ['run', SCENARIO, ...GIVEN, '--runs', '100000', '--format', 'json', '--quiet'];
    const outs = [1, 2, 4].map((w) => entente([...args, '--workers', String(w)]));
    for (const r of outs) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(outs[1]!.stdout).toBe(outs[0]!.stdout);
    expect(outs[2]!.stdout).toBe(outs[0]!.stdout);
    const j = JSON.parse(outs[0]!.stdout);
    expect(j.evidence.accepted).toBeGreaterThan(0);
    expect(j.evidence.accepted).toBeLessThan(100000);
  });

  it('with soft evidence prints the same bits with 1 and 2 workers', () => {
    const soft = join(dir, 'soft.yaml');
    const args = [
      'run',
      soft,
      '--given',
      'h ~ normal(0.07, 0.01) at 0',
      '--runs',
      '30000',
      '--format',
      'json',
      '-q',
    ];
    const one = entente([...args, '--workers', '1']);
    const two = entente([...args, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const j = JSON.parse(one.stdout);
    expect(j.evidence.effectiveSampleSize).toBeLessThan(j.evidence.accepted);
  });
});

describe('a conditioned run split into shards', () => {
  it('merged with the same --given prints exactly what one run prints', () => {
    const shards = writeShards([SCENARIO, '--runs', '100000', ...GIVEN], 3, 'hazard');
    for (const format of ['json', 'table']) {
      const single = entente(['run', SCENARIO, ...GIVEN, '--runs', '100000', '--format', format, '-q']);
      const merged = entente([
        'merge',
        SCENARIO,
        ...GIVEN,
        shards[2]!,
        shards[0]!,
        shards[1]!,
        '--format',
        format,
      ]);
      expect(merged.stderr).toBe('');
      expect(merged.code).toBe(0);
      expect(merged.stdout).toBe(single.stdout);
    }
  });

  it('with soft evidence merges to the same bits too', () => {
    const soft = join(dir, 'soft.yaml');
    const given = ['--given', 'h ~ normal(0.07, 0.01) at 0', '--given', 'not hit by 2'];
    const shards = writeShards([soft, '--runs', '20000', ...given], 3, 'soft');
    const single = entente(['run', soft, ...given, '--runs', '20000', '--format', 'json', '-q']);
    const merged = entente(['merge', soft, ...given, ...shards, '--format', 'json']);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(single.stdout);
  });

  it('merged without the --given, or with another, is refused (exit 2) saying why', () => {
    const shards = writeShards([SCENARIO, '--runs', '3000', ...GIVEN], 2, 'small');
    const bare = entente(['merge', SCENARIO, ...shards]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain(
      'evidence: a shard of a run conditioned on evidence (given "not hit by 6"), but this scenario conditions on nothing',
    );
    const other = entente(['merge', SCENARIO, '--given', 'not hit by 5', ...shards]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('a shard of a run conditioned on other evidence (given "not hit by 6")');
    expect(other.stderr).not.toMatch(/internal error|TypeError|\n\s+at /);
  });
});

describe('bad or impossible evidence', () => {
  it('a clause that does not parse or bind is exit 2, located at --given:1:COLUMN', () => {
    const r = entente(['run', SCENARIO, '--given', 'not hitt by 6', '--runs', '1000']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--given:1:\d+: /);
    expect(r.stderr).toContain('did you mean "hit"?');
  });

  it('evidence that no trial satisfies is exit 1, naming the clauses', () => {
    const r = entente(['run', SCENARIO, '--given', 'hit by 1', '--given', 'not hit by 1', '--runs', '1000']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no trial is consistent with the evidence');
    expect(r.stderr).toContain('"hit by 1"');
    expect(r.stderr).toContain('"not hit by 1"');
  });
});

describe('entente backtest', () => {
  it('scores the fixture backtest and prints a Brier score', () => {
    const r = entente(['backtest', fixture('backtest/backtest.yaml'), '--runs', '2000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Brier score\s*│\s*\d\.\d+/);
  });
});
