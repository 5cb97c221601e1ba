// The batch-system recipes of deploy/ (issue 12, "Scale and speed"), run here as their schedulers would
// run them: every shard a separate process with the environment variables the scheduler sets, then the
// merge step, compared byte for byte with one machine's run or sweep.
//
// - Kubernetes: the Indexed Job's command and args and the merge Job's are read from the manifests and
//   expanded as Kubernetes expands $(VAR) (the container's env, plus JOB_COMPLETION_INDEX as the Job
//   controller adds it); the volume's mountPath stands for a temporary folder.
// - Slurm and GNU parallel: the scripts themselves are run with bash, as array tasks (the SLURM_ARRAY_*
//   variables of the script's own #SBATCH --array, and of another range) or parallel jobs (PARALLEL_SEQ).
//   The scheduler's own commands are stand-ins (a fake sbatch records what submit.sh asks for; a fake
//   parallel runs the jobs in turn): neither Slurm nor GNU parallel is installed here.
// - Docker does not run on this machine: the Dockerfile is parsed for the instructions it needs, and the
//   files it copies are checked; the image is never built here.
//
// Only the trial count (RUNS) is overridden, so that the tests stay fast; every command line is the
// recipe's own, so a change to a recipe that breaks it breaks these tests.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { BIN, fixture, ROOT } from './cli.js';

const DEPLOY = join(ROOT, 'deploy');
/** How the recipes start the CLI here (they start `entente` from PATH, or $ENTENTE). */
const ENTENTE = `${process.execPath} ${BIN}`;
const LONG = 180_000;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a process with exactly this environment (and PATH): nothing of the test's own environment leaks
 * in, so a test run inside a Slurm job or GNU parallel sees only the variables it sets.
 */
function run(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => {
      stdout += b;
    });
    child.stderr.on('data', (b) => {
      stderr += b;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI as a process with a clean environment. */
const cli = (args: string[], env: Record<string, string> = {}) => run(process.execPath, [BIN, ...args], env);

/** Run the tasks two at a time (this machine has two cores), in order of start. */
async function twoAtATime<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all([lane(), lane()]);
  return results;
}

function expectOk(r: Ran, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stderr}`);
}

const temp = (name: string): string => mkdtempSync(join(tmpdir(), `entente-deploy-${name}-`));

/** `NAME=${NAME:-default}` (or `export NAME=…`) in a script: the default it gives NAME. */
function scriptDefault(script: string, name: string): string {
  const m = new RegExp(`^(?:export )?${name}=\\$\\{${name}:-(.*)\\}$`, 'm').exec(script);
  if (!m) throw new Error(`no default for ${name}`);
  return m[1]!;
}

// ─── Kubernetes ────────────────────────────────────────────────────────────────────────────────

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML.
type Manifest = Record<string, any>;

const manifests = (file: string): Manifest[] =>
  parseAllDocuments(readFileSync(join(DEPLOY, 'kubernetes', file), 'utf8')).map((d) => d.toJS() as Manifest);

/** A container's `env` of plain values. */
function containerEnv(c: Manifest): Record<string, string> {
  return Object.fromEntries((c.env ?? []).map((e: Manifest) => [e.name, String(e.value)]));
}

/** `$(VAR)` as Kubernetes expands it in command and args: from the container's env; `$$` is `$`. */
function expand(arg: string, env: Record<string, string>): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) =>
    m === '$$' ? '$' : name !== undefined && name in env ? env[name]! : m,
  );
}

/** The container's argv on this machine: `entente` is the built CLI, the volume a local folder. */
function podArgv(c: Manifest, env: Record<string, string>, mountPath: string, volume: string): string[] {
  const argv = [...c.command, ...c.args].map((a: string) => expand(a, env));
  expect(argv[0]).toBe('entente');
  return [
    BIN,
    ...argv.slice(1).map((a) => (a.startsWith(`${mountPath}/`) ? volume + a.slice(mountPath.length) : a)),
  ];
}

describe('deploy/kubernetes: an Indexed Job of shards, then the merge Job', () => {
  const [pvc, job] = [
    manifests('indexed-job.yaml').find((m) => m.kind === 'PersistentVolumeClaim')!,
    manifests('indexed-job.yaml').find((m) => m.kind === 'Job')!,
  ];
  const mergeJob = manifests('merge-job.yaml').find((m) => m.kind === 'Job')!;
  const shardPod = job.spec.template.spec;
  const mergePod = mergeJob.spec.template.spec;
  const shardContainer = shardPod.containers[0];
  const mergeContainer = mergePod.containers[0];
  const mountOf = (pod: Manifest, c: Manifest) => {
    const mount = c.volumeMounts[0];
    const volume = pod.volumes.find((v: Manifest) => v.name === mount.name);
    return { path: mount.mountPath as string, claim: volume.persistentVolumeClaim.claimName as string };
  };

  it('is an Indexed Job whose ENTENTE_SHARDS is its completions, on a volume the merge Job reads', () => {
    expect(job.spec.completionMode).toBe('Indexed');
    const env = containerEnv(shardContainer);
    expect(env.ENTENTE_SHARDS).toBe(String(job.spec.completions));
    expect(shardContainer.args.join(' ')).toContain('--shard auto --format tallies');
    const shardMount = mountOf(shardPod, shardContainer);
    const mergeMount = mountOf(mergePod, mergeContainer);
    expect(shardMount.claim).toBe(pvc.metadata.name);
    expect(mergeMount).toEqual(shardMount);
    expect(containerEnv(mergeContainer).SCENARIO).toBe(env.SCENARIO);
    expect(mergeContainer.image).toBe(shardContainer.image);
    // The image runs as uid 1000 (deploy/Dockerfile: USER node), which must be able to write the volume.
    expect(shardPod.securityContext.fsGroup).toBe(1000);
    expect(mergePod.securityContext.fsGroup).toBe(1000);
  });

  it(
    'its pods, run as separate processes with JOB_COMPLETION_INDEX, merge to what one machine prints',
    async () => {
      const volume = temp('k8s');
      const env: Record<string, string> = { ...containerEnv(shardContainer), RUNS: '8000' };
      const { path: mountPath } = mountOf(shardPod, shardContainer);
      const pods = Array.from({ length: job.spec.completions as number }, (_, k) => {
        // What the Job controller adds to each pod: its index, as JOB_COMPLETION_INDEX.
        const podEnv = { ...env, JOB_COMPLETION_INDEX: String(k) };
        return () => run(process.execPath, podArgv(shardContainer, podEnv, mountPath, volume), podEnv);
      });
      const ran = await twoAtATime(pods);
      ran.forEach((r, k) => {
        expectOk(r, `pod ${k}`);
        expect(r.stderr).toContain(
          `shard ${k}/${job.spec.completions} (Kubernetes Indexed Job: JOB_COMPLETION_INDEX=${k}`,
        );
      });
      expect(readdirSync(volume).sort()).toEqual(
        Array.from({ length: job.spec.completions }, (_, k) => `shard-${k}.json`).sort(),
      );
      const mergeEnv = containerEnv(mergeContainer);
      expectOk(
        await run(process.execPath, podArgv(mergeContainer, mergeEnv, mountPath, volume), mergeEnv),
        'merge job',
      );
      const single = await cli([
        'run',
        env.SCENARIO!,
        '--runs',
        env.RUNS!,
        '--seed',
        env.SEED!,
        '--format',
        'json',
      ]);
      expectOk(single, 'single run');
      expect(readFileSync(join(volume, 'result.json'), 'utf8')).toBe(single.stdout);
    },
    LONG,
  );

  it('a pod without ENTENTE_SHARDS stops at once with a usage error that says what to set', async () => {
    const volume = temp('k8s-bad');
    const env: Record<string, string> = { ...containerEnv(shardContainer), JOB_COMPLETION_INDEX: '0' };
    delete env.ENTENTE_SHARDS;
    const r = await run(
      process.execPath,
      podArgv(shardContainer, env, mountOf(shardPod, shardContainer).path, volume),
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--shard auto: found a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=0) but ENTENTE_SHARDS is not set',
    );
    expect(readdirSync(volume)).toEqual([]);
  });
});

// ─── Slurm ─────────────────────────────────────────────────────────────────────────────────────

describe('deploy/slurm: a job array of shards, then the dependent merge job', () => {
  const arrayScript = readFileSync(join(DEPLOY, 'slurm/array.sh'), 'utf8');
  const mergeScript = readFileSync(join(DEPLOY, 'slurm/merge.sh'), 'utf8');
  const ownArray = /^#SBATCH --array=(\S+)$/m.exec(arrayScript)?.[1];

  /** The task ids of `--array=FIRST-LAST[:STEP][%THROTTLE]`. */
  function taskIds(spec: string): number[] {
    const m = /^(\d+)-(\d+)(?::(\d+))?(?:%\d+)?$/.exec(spec);
    if (!m) throw new Error(`not an array range: ${spec}`);
    const [first, last, step] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
    const ids: number[] = [];
    for (let id = first; id <= last; id += step) ids.push(id);
    return ids;
  }

  /** What Slurm sets in array task `id` of `--array=spec`. */
  function slurmEnv(id: number, spec: string): Record<string, string> {
    const ids = taskIds(spec);
    const step = /:(\d+)/.exec(spec)?.[1] ?? '1';
    return {
      SLURM_JOB_ID: String(9000 + id),
      SLURM_ARRAY_JOB_ID: '9000',
      SLURM_ARRAY_TASK_ID: String(id),
      SLURM_ARRAY_TASK_COUNT: String(ids.length),
      SLURM_ARRAY_TASK_MIN: String(ids[0]),
      SLURM_ARRAY_TASK_MAX: String(ids[ids.length - 1]),
      SLURM_ARRAY_TASK_STEP: step,
      SLURM_SUBMIT_DIR: ROOT,
    };
  }

  it('array.sh and merge.sh agree on the scenario and the shard folder', () => {
    expect(ownArray).toBeDefined();
    for (const name of ['SCENARIO', 'SHARD_DIR'])
      expect(scriptDefault(mergeScript, name)).toBe(scriptDefault(arrayScript, name));
    expect(arrayScript).toContain('--shard auto --format tallies');
  });

  for (const spec of [ownArray ?? '0-7', '3-9:2']) {
    it(
      `--array=${spec}: its tasks, run as separate processes with SLURM_ARRAY_*, merge to what one machine prints`,
      async () => {
        const dir = temp('slurm');
        const common = {
          ENTENTE,
          RUNS: '6000',
          SHARD_DIR: join(dir, 'shards'),
          RESULT: join(dir, 'result.json'),
        };
        const ids = taskIds(spec);
        const ran = await twoAtATime(
          ids.map(
            (id) => () => run('bash', [join(DEPLOY, 'slurm/array.sh')], { ...common, ...slurmEnv(id, spec) }),
          ),
        );
        ran.forEach((r, i) => {
          expectOk(r, `array task ${ids[i]}`);
          expect(r.stderr).toContain(
            `shard ${i}/${ids.length} (Slurm job array: SLURM_ARRAY_TASK_ID=${ids[i]}`,
          );
        });
        expectOk(
          await run('bash', [join(DEPLOY, 'slurm/merge.sh')], { ...common, SLURM_JOB_ID: '9100' }),
          'merge job',
        );
        const single = await cli([
          'run',
          scriptDefault(arrayScript, 'SCENARIO'),
          '--runs',
          common.RUNS,
          '--seed',
          scriptDefault(arrayScript, 'SEED'),
          '--format',
          'json',
        ]);
        expectOk(single, 'single run');
        expect(readFileSync(common.RESULT, 'utf8')).toBe(single.stdout);
      },
      LONG,
    );
  }

  it('submit.sh submits the array, then the merge with afterok on the array', async () => {
    const dir = temp('sbatch');
    mkdirSync(join(dir, 'bin'));
    const log = join(dir, 'sbatch.log');
    // A stand-in for sbatch: records its arguments and answers as `sbatch --parsable` does.
    writeFileSync(
      join(dir, 'bin/sbatch'),
      `#!/bin/bash\necho "$*" >> '${log}'\nn=$(wc -l < '${log}')\necho "$((1000 + n));cluster"\n`,
    );
    chmodSync(join(dir, 'bin/sbatch'), 0o755);
    const r = await run('bash', [join(DEPLOY, 'slurm/submit.sh'), '--array=1-32'], {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    });
    expectOk(r, 'submit.sh');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      `--parsable --array=1-32 ${join(DEPLOY, 'slurm/array.sh')}`,
      `--parsable --dependency=afterok:1001 ${join(DEPLOY, 'slurm/merge.sh')}`,
    ]);
    expect(r.stdout).toContain('job array 1001; merge: job 1002');
  });
});

// ─── GNU parallel: a sharded sweep ──────────────────────────────────────────────────────────────

describe('deploy/parallel: a sweep in blocks over GNU parallel jobs, then merge-sweep', () => {
  const script = readFileSync(join(DEPLOY, 'parallel/sweep.sh'), 'utf8');
  const shards = Number(scriptDefault(script, 'ENTENTE_SHARDS'));

  /** The whole sweep on one machine, with the recipe's flags. */
  async function wholeSweep(runs: string): Promise<string> {
    const r = await cli([
      'sweep',
      scriptDefault(script, 'SCENARIO'),
      ...scriptDefault(script, 'SWEEP').split(/\s+/),
      '--runs',
      runs,
      '--seed',
      scriptDefault(script, 'SEED'),
      '--format',
      'json',
    ]);
    expectOk(r, 'whole sweep');
    return r.stdout;
  }

  it(
    'its jobs, run as separate processes with PARALLEL_SEQ and ENTENTE_SHARDS, merge to the whole sweep',
    async () => {
      const dir = temp('parallel');
      const common = {
        ENTENTE,
        RUNS: '1200',
        SHARD_DIR: join(dir, 'blocks'),
        RESULT: join(dir, 'sweep.json'),
        ENTENTE_SHARDS: String(shards),
      };
      mkdirSync(common.SHARD_DIR);
      const ran = await twoAtATime(
        Array.from(
          { length: shards },
          (_, j) => () =>
            run('bash', [join(DEPLOY, 'parallel/sweep.sh'), 'shard'], {
              ...common,
              PARALLEL_SEQ: String(j + 1),
            }),
        ),
      );
      ran.forEach((r, j) => {
        expectOk(r, `parallel job ${j + 1}`);
        expect(r.stderr).toContain(
          `shard ${j}/${shards} (GNU parallel: PARALLEL_SEQ=${j + 1}, ENTENTE_SHARDS=${shards})`,
        );
      });
      expectOk(await run('bash', [join(DEPLOY, 'parallel/sweep.sh'), 'merge'], common), 'merge');
      expect(readFileSync(common.RESULT, 'utf8')).toBe(await wholeSweep(common.RUNS));
    },
    LONG,
  );

  it(
    'run whole (jobs, then the merge) under a stand-in for parallel, gives the same',
    async () => {
      const dir = temp('parallel-all');
      mkdirSync(join(dir, 'bin'));
      // A stand-in for GNU parallel: one job per input line, in turn, PARALLEL_SEQ = 1, 2, …; with -N0
      // no argument is appended; --halt and --env take a value.
      writeFileSync(
        join(dir, 'bin/parallel'),
        [
          '#!/bin/bash',
          'while [ $# -gt 0 ]; do case "$1" in -N0) shift ;; --halt | --env) shift 2 ;; -*) shift ;; *) break ;; esac; done',
          'seq=0',
          'while IFS= read -r _; do seq=$((seq + 1)); PARALLEL_SEQ=$seq "$@" || exit $?; done',
          '',
        ].join('\n'),
      );
      chmodSync(join(dir, 'bin/parallel'), 0o755);
      const env = {
        PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
        ENTENTE,
        RUNS: '900',
        ENTENTE_SHARDS: '5',
        SHARD_DIR: join(dir, 'blocks'),
        RESULT: join(dir, 'sweep.json'),
      };
      expectOk(await run('bash', [join(DEPLOY, 'parallel/sweep.sh')], env), 'sweep.sh');
      expect(readdirSync(env.SHARD_DIR)).toHaveLength(5);
      expect(readFileSync(env.RESULT, 'utf8')).toBe(await wholeSweep(env.RUNS));
    },
    LONG,
  );
});

// ─── Sharded sweeps, directly ──────────────────────────────────────────────────────────────────

describe('sweep --shard and merge-sweep', () => {
  const SCENARIO = 'scenarios/baku-israel/baseline.yaml';

  /** Every block of a sweep with the given flags, written to a folder, and the whole sweep. */
  async function blocks(flags: string[], n: number, env: (k: number) => Record<string, string>) {
    const dir = temp('sweep');
    const ran = await twoAtATime(
      Array.from(
        { length: n },
        (_, k) => () =>
          cli(
            [
              'sweep',
              SCENARIO,
              ...flags,
              '--shard',
              'auto',
              '--format',
              'json',
              '--out',
              join(dir, `block-${k}.json`),
            ],
            env(k),
          ),
      ),
    );
    ran.forEach((r, k) => {
      expectOk(r, `block ${k}`);
      expect(r.stderr).toContain(`shard ${k}/${n} (Slurm job array: SLURM_ARRAY_TASK_ID=${k + 1}`);
    });
    return dir;
  }

  const designs: [string, string[], number][] = [
    // Row segments that start mid-row (blocks 1 and 2 of a 3 × 7 grid) and a long row split four ways.
    [
      'a 3 × 7 grid with steps of interest',
      ['--vary', 'turkey_weight=0.8..1.4:3', '--vary', 'turkey_leverage=0.2..0.9:7', '--at', '6,18'],
      3,
    ],
    ['a 1-D grid of 17 in 4 blocks', ['--vary', 'turkey_weight=0.8..1.4:17', '--at', '12'], 4],
    [
      'a Latin hypercube',
      [
        '--vary',
        'turkey_weight=0.8..1.4',
        '--vary',
        'oil_weight=0.1..0.5',
        '--design',
        'lhs',
        '--points',
        '9',
      ],
      4,
    ],
    [
      'Sobol points with --set and a string seed',
      [
        '--vary',
        'turkey_weight=0.8..1.4',
        '--design',
        'sobol',
        '--points',
        '6',
        '--set',
        'turkey_leverage=0.5',
        '--seed',
        'abc',
      ],
      2,
    ],
    ['more blocks than points (empty blocks)', ['--vary', 'turkey_weight=0.8..1.4:3'], 5],
  ];

  for (const [what, flags, n] of designs) {
    it(
      `${what}: merged equals the whole sweep in every format`,
      async () => {
        const all = [...flags, '--runs', '400'];
        const dir = await blocks(all, n, (k) => ({
          SLURM_ARRAY_TASK_ID: String(k + 1),
          SLURM_ARRAY_TASK_MIN: '1',
          SLURM_ARRAY_TASK_COUNT: String(n),
        }));
        for (const format of ['json', 'table', 'csv']) {
          const whole = await cli(['sweep', SCENARIO, ...all, '--format', format]);
          const merged = await cli(['merge-sweep', SCENARIO, dir, '--format', format]);
          expectOk(merged, `merge-sweep --format ${format}`);
          expect(merged.stdout).toBe(whole.stdout);
        }
      },
      LONG,
    );
  }

  it(
    'refuses an incomplete, mixed, edited or foreign set with exit 2, naming each problem',
    async () => {
      const flags = ['--vary', 'turkey_weight=0.8..1.4:7', '--runs', '200', '--shard'];
      const dir = temp('sweep-bad');
      for (const [k, seed] of [
        [0, '1'],
        [1, '1'],
        [2, '1'],
        [1, '2'],
      ] as const) {
        const out = join(dir, `block-${k}-seed-${seed}.json`);
        expectOk(
          await cli([
            'sweep',
            SCENARIO,
            ...flags,
            `${k}/3`,
            '--seed',
            seed,
            '--format',
            'json',
            '--out',
            out,
            '-q',
          ]),
          'block',
        );
      }
      const b = (k: number, seed = 1) => join(dir, `block-${k}-seed-${seed}.json`);
      const refused = async (args: string[], ...messages: string[]) => {
        const r = await cli(['merge-sweep', SCENARIO, ...args]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).not.toMatch(/internal error|TypeError|\n\s+at /);
        for (const m of messages) expect(r.stderr).toContain(m);
      };
      await refused([b(0), b(2)], 'incomplete set: missing shard 1 of 3 (points 2 to 3 of 7 are missing)');
      await refused([b(0), b(1), b(1), b(2)], 'shard 1 of 3 is given twice');
      await refused(
        [b(0), b(1, 2), b(2)],
        `${b(1, 2)}: not a block of the same sweep as ${b(0)}: seed differs`,
      );
      const edited = join(dir, 'edited.json');
      writeFileSync(edited, readFileSync(b(1), 'utf8').replace('"hits": ', '"hits": 1'));
      await refused(
        [b(0), edited, b(2)],
        `${edited}: shard.checksum: the checksum does not match the contents`,
      );
      const r = await cli(['merge-sweep', 'scenarios/baku-israel/turkish-escalation.yaml', b(0), b(1), b(2)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('a sweep of another scenario (baku-israel-baseline');
      const tallies = join(dir, 'tallies.json');
      expectOk(
        await cli([
          'run',
          fixture('hazard.yaml'),
          '--runs',
          '100',
          '--shard',
          '0/1',
          '--format',
          'tallies',
          '--out',
          tallies,
        ]),
        'run',
      );
      await refused(
        [tallies],
        'a tallies shard of `entente run`, not of a sweep: join those with `entente merge`',
      );
      const plain = await cli(['sweep', SCENARIO, '--vary', 'turkey_weight=0.8..1.4:3', '--shard', '0/2']);
      expect(plain.code).toBe(2);
      expect(plain.stderr).toContain(
        '--shard writes a block of design points as JSON for `entente merge-sweep`: give --format json',
      );
    },
    LONG,
  );
});

// ─── merge: folders and patterns ───────────────────────────────────────────────────────────────

describe('entente merge with folders and patterns', () => {
  const SCENARIO = fixture('hazard.yaml');

  it(
    'takes a folder’s *.json files, or the files a quoted pattern matches, in any order: the same result',
    async () => {
      const dir = temp('merge');
      const shards = join(dir, 'shards');
      mkdirSync(shards);
      for (let k = 0; k < 12; k++)
        expectOk(
          await cli([
            'run',
            SCENARIO,
            '--runs',
            '6000',
            '--seed',
            '7',
            '--shard',
            `${k}/12`,
            '--format',
            'tallies',
            '--out',
            join(shards, `shard-${k}.json`),
            '-q',
          ]),
          `shard ${k}`,
        );
      // Left alone: a file that is not .json, a hidden file, a subfolder.
      writeFileSync(join(shards, 'notes.txt'), 'not a shard');
      writeFileSync(join(shards, '.shard-0.json.tmp'), 'half written');
      mkdirSync(join(shards, 'old.json'));
      const single = await cli(['run', SCENARIO, '--runs', '6000', '--seed', '7', '--format', 'json']);
      for (const args of [
        [shards],
        [`${shards}/`],
        [join(shards, 'shard-*.json')],
        [join(shards, 'shard-?.json'), join(shards, 'shard-1?.json')],
        [join(dir, 'sh*', '*.json')],
      ]) {
        const merged = await cli(['merge', SCENARIO, ...args, '--format', 'json']);
        expectOk(merged, `merge ${args.join(' ')}`);
        expect(merged.stdout).toBe(single.stdout);
      }
      // Relative to the working folder, as typed.
      const relative = await run(
        process.execPath,
        [BIN, 'merge', join(ROOT, SCENARIO), 'shards', '--format', 'json'],
        {},
        dir,
      );
      expectOk(relative, 'relative folder');
      expect(relative.stdout).toBe(single.stdout);
    },
    LONG,
  );

  it('a pattern that matches nothing and a folder without .json files are refused (exit 2)', async () => {
    const dir = temp('merge-empty');
    const r = await cli(['merge', SCENARIO, join(dir, 'shard-*.json'), dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${join(dir, 'shard-*.json')}: no file matches this pattern`);
    expect(r.stderr).toContain(`${dir}: not a regular file, and a folder with no .json file in it`);
  });

  it('a folder that also holds a merged result is refused: a pattern keeps the two apart', async () => {
    const dir = temp('merge-result');
    for (let k = 0; k < 2; k++)
      expectOk(
        await cli([
          'run',
          SCENARIO,
          '--runs',
          '400',
          '--shard',
          `${k}/2`,
          '--format',
          'tallies',
          '--out',
          join(dir, `shard-${k}.json`),
          '-q',
        ]),
        'shard',
      );
    expectOk(
      await cli(['merge', SCENARIO, dir, '--format', 'json', '--out', join(dir, 'result.json')]),
      'merge',
    );
    const again = await cli(['merge', SCENARIO, dir, '--format', 'json']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(join(dir, 'result.json'));
    expectOk(
      await cli(['merge', SCENARIO, join(dir, 'shard-*.json'), '--format', 'json']),
      'merge by pattern',
    );
  });
});

// ─── Dockerfile ────────────────────────────────────────────────────────────────────────────────

describe('deploy/Dockerfile (parsed only: Docker does not run on this machine)', () => {
  const text = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
  /** Instructions with their continuation lines joined, comments left out. */
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
  const of = (op: string) => instructions.filter((i) => i.op === op).map((i) => i.args);

  it('starts from node:20-slim and runs entente as an unprivileged user', () => {
    expect(of('FROM')).toEqual(['node:20-slim']);
    expect(of('ENTRYPOINT')).toEqual(['["entente"]']);
    expect(of('USER')).toEqual(['node']);
    expect(of('RUN').join(' ')).toContain('ln -s /opt/entente/entente.mjs /usr/local/bin/entente');
    expect(of('ADD')).toEqual([]);
  });

  it('copies every bundle the CLI is built into, and the scenarios the recipes run', () => {
    const copied = of('COPY').flatMap((args) => args.split(/\s+/).slice(0, -1));
    const bundles = readdirSync(join(ROOT, 'packages/cli/dist')).filter((f) => f.endsWith('.mjs'));
    expect(bundles).toContain('entente.mjs');
    for (const b of bundles) expect(copied).toContain(`packages/cli/dist/${b}`);
    for (const source of copied) expect(existsSync(join(ROOT, source))).toBe(true);
    expect(copied).toContain('scenarios/');
    // … and the chunks `entente report` imports, next to the bundle.
    expect(of('COPY')).toContain('packages/cli/dist/chunks/ ./chunks/');
    // The recipes' relative scenario paths resolve in the image's working folder.
    expect(of('WORKDIR')).toEqual(['/opt/entente']);
    expect(of('COPY')).toContain('scenarios/ ./scenarios/');
  });

  it('installs the one package the bundles leave out, at the version the CLI pins; nothing else is fetched at run time', () => {
    const pinned = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')).dependencies
      .piscina;
    expect(of('RUN').join(' ')).toContain(`"piscina":"${pinned}"`);
    const external = new Set<string>();
    for (const b of readdirSync(join(ROOT, 'packages/cli/dist')).filter((f) => f.endsWith('.mjs'))) {
      const code = readFileSync(join(ROOT, 'packages/cli/dist', b), 'utf8');
      for (const m of code.matchAll(/(?:\bfrom ?|\bimport\(|\brequire\()"([@a-z0-9][\w@/.-]*)"/g))
        if (!isBuiltin(m[1]!)) external.add(m[1]!);
    }
    expect([...external]).toEqual(['piscina']);
  });
});
