// `--shard auto` (issue 12, "Scale and speed"): the shard K/N from the environment of the batch system
// a process runs under. Each system's variables as its scheduler sets them; every missing, malformed or
// inconsistent value is a usage error (exit 2) that names the variables. And the other end: the shard
// files `merge` and `merge-sweep` take from folders and patterns.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandShardArgs, naturalCompare } from '../src/commands/merge.js';
import { UsageError } from '../src/errors.js';
import { parseShard } from '../src/options.js';
import { resolveShard, SHARD_SYSTEMS, shardFromEnv } from '../src/shardEnv.js';

type Env = Record<string, string | undefined>;

const shard = (env: Env) => {
  const { index, count } = shardFromEnv(env);
  return `${index}/${count}`;
};

/** The usage error `--shard auto` gives in this environment. */
function refusal(env: Env): string {
  try {
    shardFromEnv(env);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/^--shard auto: /);
    return (e as Error).message;
  }
  throw new Error(`no refusal for ${JSON.stringify(env)}`);
}

/** A Slurm array task's variables for `--array=FIRST-LAST[:STEP]`, as Slurm sets them. */
function slurmTask(id: number, first: number, last: number, step = 1): Env {
  return {
    SLURM_ARRAY_JOB_ID: '4242',
    SLURM_ARRAY_TASK_ID: String(id),
    SLURM_ARRAY_TASK_MIN: String(first),
    SLURM_ARRAY_TASK_MAX: String(last),
    SLURM_ARRAY_TASK_STEP: String(step),
    SLURM_ARRAY_TASK_COUNT: String((last - first) / step + 1),
  };
}

describe('--shard auto with no batch system', () => {
  it('names every variable it looked for, and says to give K/N', () => {
    const message = refusal({ HOME: '/root', PATH: '/usr/bin' });
    for (const s of SHARD_SYSTEMS) {
      expect(message).toContain(s.index);
      expect(message).toContain(s.system);
    }
    expect(message).toContain('--shard K/N');
  });

  it('treats blank variables as unset', () => {
    expect(refusal({ JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '  ', ENTENTE_SHARDS: '4' })).toContain(
      'no supported batch system',
    );
  });

  it('refuses the variables of two systems at once (a Slurm task running GNU parallel), naming both', () => {
    const message = refusal({ ...slurmTask(1, 0, 3), PARALLEL_SEQ: '2', ENTENTE_SHARDS: '4' });
    expect(message).toContain('SLURM_ARRAY_TASK_ID=1');
    expect(message).toContain('PARALLEL_SEQ=2');
    expect(message).toContain('ambiguous');
  });
});

describe('Kubernetes Indexed Job', () => {
  it('takes JOB_COMPLETION_INDEX and the count from ENTENTE_SHARDS', () => {
    expect(shard({ JOB_COMPLETION_INDEX: '0', ENTENTE_SHARDS: '8' })).toBe('0/8');
    expect(shard({ JOB_COMPLETION_INDEX: '7', ENTENTE_SHARDS: '8' })).toBe('7/8');
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '3', ENTENTE_SHARDS: '8' })).toEqual({
      index: 3,
      count: 8,
      system: 'Kubernetes Indexed Job',
      from: ['JOB_COMPLETION_INDEX=3', 'ENTENTE_SHARDS=8'],
    });
  });

  it('without ENTENTE_SHARDS, says that Kubernetes does not give pods the completions', () => {
    const message = refusal({ JOB_COMPLETION_INDEX: '3' });
    expect(message).toContain('JOB_COMPLETION_INDEX=3');
    expect(message).toContain('ENTENTE_SHARDS is not set');
    expect(message).toContain('completions');
  });

  it('refuses an index at or beyond the count, and values that are not whole numbers', () => {
    expect(refusal({ JOB_COMPLETION_INDEX: '8', ENTENTE_SHARDS: '8' })).toMatch(
      /JOB_COMPLETION_INDEX=8, ENTENTE_SHARDS=8 .*shard 8.*ENTENTE_SHARDS must equal the number of tasks/,
    );
    for (const bad of ['-1', '1.5', '1e3', 'abc', '0x10', '3/4'])
      expect(refusal({ JOB_COMPLETION_INDEX: bad, ENTENTE_SHARDS: '8' })).toContain(
        `JOB_COMPLETION_INDEX="${bad}" is not a whole number`,
      );
    expect(refusal({ JOB_COMPLETION_INDEX: '0', ENTENTE_SHARDS: 'eight' })).toContain(
      'ENTENTE_SHARDS="eight"',
    );
    expect(refusal({ JOB_COMPLETION_INDEX: '0', ENTENTE_SHARDS: '0' })).toContain('ENTENTE_SHARDS=0');
    expect(refusal({ JOB_COMPLETION_INDEX: '0', ENTENTE_SHARDS: '1000001' })).toContain('from 1 to 1000000');
  });

  it('accepts surrounding white space, as a manifest may leave it', () => {
    expect(shard({ JOB_COMPLETION_INDEX: ' 2 ', ENTENTE_SHARDS: '4\n' })).toBe('2/4');
  });
});

describe('Slurm job array', () => {
  it('--array=0-3: the task id is the shard', () => {
    expect([0, 1, 2, 3].map((id) => shard(slurmTask(id, 0, 3)))).toEqual(['0/4', '1/4', '2/4', '3/4']);
  });

  it('--array=1-4: counts from SLURM_ARRAY_TASK_MIN', () => {
    expect([1, 2, 3, 4].map((id) => shard(slurmTask(id, 1, 4)))).toEqual(['0/4', '1/4', '2/4', '3/4']);
  });

  it('--array=10-16:2: counts in the array’s steps', () => {
    expect([10, 12, 14, 16].map((id) => shard(slurmTask(id, 10, 16, 2)))).toEqual([
      '0/4',
      '1/4',
      '2/4',
      '3/4',
    ]);
  });

  it('without MIN, MAX and STEP (older Slurm) the ids count from 0', () => {
    expect(shard({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' })).toBe('2/3');
    expect(refusal({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3' })).toContain(
      'the array does not match its own count',
    );
  });

  it('takes the count from ENTENTE_SHARDS when SLURM_ARRAY_TASK_COUNT is missing, and refuses a disagreement', () => {
    expect(shard({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '5', ENTENTE_SHARDS: '2' })).toBe('0/2');
    expect(shard({ ...slurmTask(2, 0, 3), ENTENTE_SHARDS: '4' })).toBe('2/4');
    const message = refusal({ ...slurmTask(2, 0, 3), ENTENTE_SHARDS: '8' });
    expect(message).toContain('SLURM_ARRAY_TASK_COUNT=4');
    expect(message).toContain('ENTENTE_SHARDS=8');
    expect(refusal({ SLURM_ARRAY_TASK_ID: '1' })).toContain(
      'neither SLURM_ARRAY_TASK_COUNT nor ENTENTE_SHARDS is set',
    );
  });

  it('refuses an array whose ids are not one evenly spaced range (--array=1,4,9)', () => {
    const message = refusal({
      SLURM_ARRAY_TASK_ID: '4',
      SLURM_ARRAY_TASK_MIN: '1',
      SLURM_ARRAY_TASK_MAX: '9',
      SLURM_ARRAY_TASK_STEP: '1',
      SLURM_ARRAY_TASK_COUNT: '3',
    });
    expect(message).toContain('not one range of 3');
    expect(message).toContain('SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_MAX=9');
    expect(message).toContain('--shard K/N');
  });

  it('refuses a task id outside the array or between its steps', () => {
    expect(refusal({ ...slurmTask(1, 1, 4), SLURM_ARRAY_TASK_ID: '0' })).toContain(
      'SLURM_ARRAY_TASK_ID=0 is not in the array 1-4',
    );
    expect(refusal({ ...slurmTask(10, 10, 16, 2), SLURM_ARRAY_TASK_ID: '11' })).toContain(
      'SLURM_ARRAY_TASK_ID=11 is not in the array 10-16:2',
    );
  });

  it('names every Slurm variable it used', () => {
    expect(shardFromEnv(slurmTask(3, 1, 4)).from).toEqual([
      'SLURM_ARRAY_TASK_ID=3',
      'SLURM_ARRAY_TASK_COUNT=4',
      'SLURM_ARRAY_TASK_MIN=1',
      'SLURM_ARRAY_TASK_MAX=4',
      'SLURM_ARRAY_TASK_STEP=1',
    ]);
  });
});

describe('AWS Batch array job', () => {
  it('takes AWS_BATCH_JOB_ARRAY_INDEX and the count from ENTENTE_SHARDS', () => {
    expect(shard({ AWS_BATCH_JOB_ARRAY_INDEX: '0', ENTENTE_SHARDS: '10' })).toBe('0/10');
    expect(shard({ AWS_BATCH_JOB_ARRAY_INDEX: '9', ENTENTE_SHARDS: '10' })).toBe('9/10');
    expect(refusal({ AWS_BATCH_JOB_ARRAY_INDEX: '9' })).toContain('AWS_BATCH_JOB_ARRAY_INDEX=9');
    expect(refusal({ AWS_BATCH_JOB_ARRAY_INDEX: '10', ENTENTE_SHARDS: '10' })).toContain('shard 10');
  });
});

describe('GNU parallel', () => {
  it('PARALLEL_SEQ counts from 1: job 1 is shard 0', () => {
    expect([1, 2, 3].map((seq) => shard({ PARALLEL_SEQ: String(seq), ENTENTE_SHARDS: '3' }))).toEqual([
      '0/3',
      '1/3',
      '2/3',
    ]);
    expect(refusal({ PARALLEL_SEQ: '0', ENTENTE_SHARDS: '3' })).toContain('numbers its jobs from 1');
    expect(refusal({ PARALLEL_SEQ: '4', ENTENTE_SHARDS: '3' })).toContain('shard 3');
    expect(refusal({ PARALLEL_SEQ: '1' })).toContain('ENTENTE_SHARDS is not set');
  });
});

describe('every system covers the shards 0 … N − 1 once', () => {
  it('for N from 1 to 40', () => {
    for (let n = 1; n <= 40; n++) {
      const all = (envs: Env[]) => envs.map((env) => shardFromEnv(env).index);
      const expected = Array.from({ length: n }, (_, k) => k);
      const shards = String(n);
      expect(all(expected.map((k) => ({ JOB_COMPLETION_INDEX: String(k), ENTENTE_SHARDS: shards })))).toEqual(
        expected,
      );
      expect(all(expected.map((k) => slurmTask(3 + 5 * k, 3, 3 + 5 * (n - 1), 5)))).toEqual(expected);
      expect(
        all(expected.map((k) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(k), ENTENTE_SHARDS: shards }))),
      ).toEqual(expected);
      expect(all(expected.map((k) => ({ PARALLEL_SEQ: String(k + 1), ENTENTE_SHARDS: shards })))).toEqual(
        expected,
      );
    }
  });
});

describe('--shard as parsed and resolved', () => {
  it('parses auto (any case) and K/N', () => {
    expect(parseShard('auto')).toBe('auto');
    expect(parseShard(' AUTO ')).toBe('auto');
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/expected K\/N with 0 ≤ K < N, such as 0\/4, or auto/);
    expect(() => parseShard('automatic')).toThrow(/or auto/);
  });

  it('passes K/N and no shard through, and resolves auto with a note saying where it came from', () => {
    const notes: string[] = [];
    expect(resolveShard({ index: 1, count: 2 }, {}, (l) => notes.push(l))).toEqual({ index: 1, count: 2 });
    expect(resolveShard(undefined, {}, (l) => notes.push(l))).toBeUndefined();
    expect(notes).toEqual([]);
    expect(
      resolveShard('auto', { JOB_COMPLETION_INDEX: '1', ENTENTE_SHARDS: '2' }, (l) => notes.push(l)),
    ).toEqual({ index: 1, count: 2 });
    expect(notes).toEqual(['shard 1/2 (Kubernetes Indexed Job: JOB_COMPLETION_INDEX=1, ENTENTE_SHARDS=2)\n']);
    expect(() => resolveShard('auto', {})).toThrow(UsageError);
  });
});

describe('shard files from folders and patterns (merge, merge-sweep)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entente-expand-'));
  for (const k of [10, 2, 0, 1]) writeFileSync(join(dir, `shard-${k}.json`), '{}');
  writeFileSync(join(dir, 'notes.txt'), '');
  writeFileSync(join(dir, '.shard-3.json.tmp'), '');
  writeFileSync(join(dir, '.hidden.json'), '');
  mkdirSync(join(dir, 'folder.json'));
  const names = (files: string[]) => files.map((f) => f.slice(dir.length + 1));

  it('a folder gives its .json files in natural order, not hidden ones nor folders', () => {
    const r = expandShardArgs([dir]);
    expect(r.issues).toEqual([]);
    expect(names(r.files)).toEqual(['shard-0.json', 'shard-1.json', 'shard-2.json', 'shard-10.json']);
  });

  it('a pattern gives the files it matches (* and ?), in natural order; plain paths stay as given', () => {
    expect(names(expandShardArgs([join(dir, 'shard-*.json')]).files)).toEqual([
      'shard-0.json',
      'shard-1.json',
      'shard-2.json',
      'shard-10.json',
    ]);
    expect(names(expandShardArgs([join(dir, 'shard-?.json')]).files)).toEqual([
      'shard-0.json',
      'shard-1.json',
      'shard-2.json',
    ]);
    expect(names(expandShardArgs([join(dir, '*.json')]).files)).not.toContain('folder.json');
    expect(names(expandShardArgs([join(dir, '.*.json')]).files)).toEqual(['.hidden.json']);
    expect(expandShardArgs(['b.json', 'missing.json', 'a.json']).files).toEqual([
      'b.json',
      'missing.json',
      'a.json',
    ]);
  });

  it('a pattern that matches nothing, or a folder with no .json file, is an issue', () => {
    const empty = mkdtempSync(join(tmpdir(), 'entente-expand-empty-'));
    const r = expandShardArgs([join(dir, 'nothing-*.json'), empty]);
    expect(r.files).toEqual([]);
    expect(r.issues.map((i) => [i.file, i.message])).toEqual([
      [join(dir, 'nothing-*.json'), 'no file matches this pattern'],
      [empty, 'not a regular file, and a folder with no .json file in it'],
    ]);
  });

  it('natural order compares runs of digits as numbers', () => {
    const sorted = ['s-10.json', 's-9.json', 's-09.json', 's-1.json', 'r.json', 's-100.json'].sort(
      naturalCompare,
    );
    expect(sorted).toEqual(['r.json', 's-1.json', 's-09.json', 's-9.json', 's-10.json', 's-100.json']);
  });
});
