import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, shardRange, simulate, toShard } from '@entente/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { entente, fixture, ROOT } from './cli.js';

// issue 10 §2: `entente merge` treats shard files as untrusted data. Every refusal is exit 2 with
// the file and the path at fault, never an internal error; a partial merge happens only when asked
// for, and then says so.

const SCENARIO = fixture('hazard.yaml');
const RUNS = 4000;
let dir: string;

/** Shard k of 4 as `entente run --shard k/4 --format tallies` writes it: saying K/N and the runs. */
function writeShards(seed: number | string = 7): string[] {
  const r = loadScenario(readFileSync(join(ROOT, SCENARIO), 'utf8'), { file: SCENARIO });
  if (!r.ok) throw new Error('fixture does not load');
  return [0, 1, 2, 3].map((index) => {
    const sim = simulate(r.value, { ...shardRange(index, 4, RUNS), seed });
    const path = join(dir, `shard-${index}.json`);
    writeFileSync(path, `${JSON.stringify(toShard(r.value, sim, { index, count: 4, totalRuns: RUNS }))}\n`);
    return path;
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the tests edit shard JSON into invalid shapes.
type Json = Record<string, any>;

/** A copy of a shard file with an edit, and its path. */
function editedCopy(from: string, name: string, edit: (s: Json) => void): string {
  const s = JSON.parse(readFileSync(from, 'utf8'));
  edit(s);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(s));
  return path;
}

function expectRefused(r: ReturnType<typeof entente>, ...messages: (string | RegExp)[]): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/TypeError|RangeError|\n\s+at /);
  for (const m of messages) expect(r.stderr).toMatch(m);
}

let shards: string[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entente-merge-'));
  shards = writeShards();
});

describe('entente merge, a complete set', () => {
  it('merges in any order to exactly what one run prints', () => {
    const merged = entente(['merge', SCENARIO, shards[2]!, shards[0]!, shards[3]!, shards[1]!]);
    const single = entente(['run', SCENARIO, '--seed', '7', '--runs', String(RUNS)]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(single.stdout);
    expect(merged.stdout).not.toContain('PARTIAL');
  });

  it('seeds 7 and "7" are the same seed', () => {
    for (const k of [0, 1]) {
      const r = entente([
        'run',
        SCENARIO,
        '--runs',
        '3000',
        '--seed',
        '7',
        '--shard',
        `${k}/2`,
        '--format',
        'tallies',
        '--out',
        join(dir, `cli-${k}.json`),
        '--quiet',
      ]);
      expect(r.code).toBe(0);
    }
    const quoted = editedCopy(join(dir, 'cli-1.json'), 'cli-1-quoted.json', (s) => {
      expect(s.seed).toBe(7);
      s.seed = '7';
    });
    const merged = entente(['merge', SCENARIO, join(dir, 'cli-0.json'), quoted, '--format', 'json']);
    const single = entente(['run', SCENARIO, '--seed', '7', '--runs', '3000', '--format', 'json']);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(single.stdout);
  });
});

describe('entente merge, an incomplete set', () => {
  it('is refused, naming the missing shards', () => {
    expectRefused(
      entente(['merge', SCENARIO, shards[0]!, shards[2]!]),
      /error: incomplete set: missing shards 1, 3 of 4 \(trials 1000 to 1999, 3000 to 3999 are missing\); 2000 of 4000 trials given/,
      /--partial/,
    );
    expectRefused(entente(['merge', SCENARIO, shards[0]!, shards[1]!, shards[2]!]), /missing shard 3 of 4/);
  });

  it('is merged with --partial, and the output says so', () => {
    const table = entente(['merge', SCENARIO, shards[2]!, shards[0]!, '--partial']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toBe('PARTIAL: shards 0,2 of 4 — 2,000 of 4,000 trials');
    expect(table.stdout).toContain('2,000 trials · seed 7');
    expect(table.stdout).not.toContain('reproduce: entente run');
    expect(table.stdout).toContain(`reproduce: entente merge ${SCENARIO} <shards 0,2 of 4> --partial`);
    expect(table.stderr).toContain('warning: partial merge of shards 0,2 of 4 (2000 of 4000 trials)');

    const json = entente(['merge', SCENARIO, shards[2]!, shards[0]!, '--partial', '--format', 'json']);
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout);
    expect(j.partial).toEqual({ shards: [0, 2], missing: [1, 3], count: 4, runs: 2000, totalRuns: 4000 });
    expect(j.runs).toBe(2000);

    const md = entente(['merge', SCENARIO, shards[1]!, '--partial', '--format', 'markdown']);
    expect(md.stdout.split('\n')[0]).toBe('**PARTIAL: shards 1 of 4 — 1,000 of 4,000 trials**');
  });

  it('a shard given twice is refused even with --partial', () => {
    expectRefused(
      entente(['merge', SCENARIO, shards[0]!, shards[0]!, '--partial']),
      /shard 0 of 4 is given 2 times/,
    );
  });
});

describe('entente merge, a bad shard file', () => {
  it('an edited count is refused with the file and the path', () => {
    const negative = editedCopy(shards[1]!, 'negative.json', (s) => {
      s.firstPassage[0][3] = -4;
    });
    expectRefused(
      entente(['merge', SCENARIO, shards[0]!, negative, shards[2]!, shards[3]!]),
      `error: ${negative}: firstPassage[0][3]: count -4 is negative`,
      /1 problem\(s\) with the shards; nothing was merged/,
    );
    const tooMany = editedCopy(shards[1]!, 'too-many.json', (s) => {
      s.firstPassage[0][5] += 2 * s.runs;
    });
    expectRefused(
      entente(['merge', SCENARIO, shards[0]!, tooMany, shards[2]!, shards[3]!]),
      /firstPassage\[0\]: more first passages \(\d+\) than trials \(1000\)/,
    );
    const moved = editedCopy(shards[1]!, 'moved.json', (s) => {
      s.firstPassage[0][3] -= 1;
      s.firstPassage[0][4] += 1;
    });
    expectRefused(
      entente(['merge', SCENARIO, shards[0]!, moved, shards[2]!, shards[3]!]),
      /moved.json: checksum: the file was changed after it was written/,
    );
  });

  it('a shard of another engine version is refused, stating the rule', () => {
    const foreign = editedCopy(shards[1]!, 'foreign.json', (s) => {
      s.engine.version = '9.9.9';
    });
    expectRefused(
      entente(['merge', SCENARIO, shards[0]!, foreign, shards[2]!, shards[3]!]),
      /foreign.json: engine: written by entente 9\.9\.9; entente \d+\.\d+\.\d+ merges only shards written by entente \d+\.\d+\.\d+/,
    );
  });

  it('null, an array, not JSON, a folder and a missing file are refused, each named', () => {
    const nul = join(dir, 'null.json');
    writeFileSync(nul, 'null');
    const arr = join(dir, 'array.json');
    writeFileSync(arr, '[[1, 2], {"format": "entente-tallies"}]');
    const text = join(dir, 'text.json');
    writeFileSync(text, 'not json {');
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    const missing = join(dir, 'missing.json');
    const r = entente(['merge', SCENARIO, nul, arr, text, folder, missing, shards[0]!]);
    expectRefused(
      r,
      `${nul}: a tallies file holds a JSON object, got null`,
      `${arr}: a tallies file holds a JSON object, got an array of 2`,
      `${text}: not JSON`,
      `${folder}: not a regular file`,
      `${missing}: cannot read it`,
      /5 problem\(s\) with the shards; nothing was merged/,
    );
  });

  it('over-long arrays and wrong types are refused, never a crash', () => {
    const long = editedCopy(shards[1]!, 'long.json', (s) => {
      s.firstPassage[0] = new Array(500_000).fill(1);
      s.tallies = 'none';
    });
    expectRefused(
      entente(['merge', SCENARIO, shards[0]!, long, shards[2]!, shards[3]!]),
      /long.json: firstPassage\[0\]: expected one count per step 0 … 24: 25 items, got an array of 500000/,
    );
  });

  it('--partial is in the help', () => {
    const r = entente(['merge', '--help']);
    expect(r.stdout).toContain('--partial');
  });
});
