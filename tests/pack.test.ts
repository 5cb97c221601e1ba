import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIssue, loadScenario, primaryOutcome, type RunResult, run } from '@entente/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entente, fixture, ROOT } from './cli.js';

// The install route of README.md ("Install outside this repository"), as a user takes it: pack the
// three packages with pnpm, install the tarballs with npm into a fresh project outside the
// repository, and use them there — the `entente` bin (and its worker threads), a library script,
// and the README's library snippet, type-checked under strict and noUncheckedIndexedAccess and run.

const PACKAGES = ['core', 'cli', 'testing'] as const;
type Name = (typeof PACKAGES)[number];
/** Pinned versions of what the project installs besides the tarballs (as the docs say). */
const EXTRA = ['fast-check@4.11.0', 'typescript@5.9.3', '@types/node@20.19.9'];
const PNPM = 'pnpm@12.4.2';

/**
 * The environment for npm and pnpm in the temporary project: this process's, less what a package
 * manager that started it left behind (npm_config_local_prefix would point npm at this repository),
 * except the settings that say how to reach the registry.
 */
const KEEP =
  /^npm_config_(registry|cache|cafile|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl)$/i;
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => KEEP.test(k) || !/^(npm_|pnpm_|INIT_CWD$)/i.test(k)),
  ),
  NO_COLOR: '1',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  // `npx entente` must find the installed bin: never fetch a package (an unrelated `entente` is on the registry).
  npm_config_yes: 'false',
};

function sh(command: string, args: string[], options: SpawnSyncOptions & { cwd: string }) {
  const r = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024, ...options });
  const out = `$ ${command} ${args.join(' ')} (in ${options.cwd})\n${r.stdout}\n${r.stderr}`;
  if (r.error) throw r.error;
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr), out };
}

function ok(command: string, args: string[], cwd: string): string {
  const r = sh(command, args, { cwd });
  expect(r.code, r.out).toBe(0);
  return r.stdout;
}

let tmp = '';
let packs = '';
let project = '';
const tarball: Partial<Record<Name, string>> = {};
/** Each tarball's package.json and file list, as packed. */
const packed: Partial<Record<Name, { manifest: Record<string, unknown>; files: string[] }>> = {};
let seconds = 0;

describe('packed and installed into a fresh npm project', () => {
  beforeAll(() => {
    const start = performance.now();
    tmp = mkdtempSync(join(tmpdir(), 'entente-pack-'));
    packs = join(tmp, 'packs');
    project = join(tmp, 'project');
    mkdirSync(packs);
    mkdirSync(project);
    const filters = PACKAGES.flatMap((p) => ['--filter', `@entente/${p}`]);
    ok('npx', ['-y', PNPM, ...filters, 'pack', '--pack-destination', packs], ROOT);
    for (const p of PACKAGES) {
      const name = readdirSync(packs).find((f) => f.startsWith(`entente-${p}-`) && f.endsWith('.tgz'));
      if (name === undefined)
        throw new Error(`no tarball for @entente/${p} in ${readdirSync(packs).join(', ')}`);
      tarball[p] = join(packs, name);
      const files = ok('tar', ['-tzf', tarball[p]], tmp)
        .split('\n')
        .filter((f) => f !== '' && !f.endsWith('/'))
        .map((f) => f.replace(/^package\//, ''));
      const manifest = JSON.parse(ok('tar', ['-xzOf', tarball[p], 'package/package.json'], tmp));
      packed[p] = { manifest, files };
    }
    ok('npm', ['init', '-y'], project);
    ok('npm', ['pkg', 'set', 'type=module'], project);
    const tarballs = PACKAGES.map((p) => tarball[p]!);
    ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs, ...EXTRA], project);
    seconds = (performance.now() - start) / 1000;
  }, 240_000);

  afterAll(() => {
    console.log(`pack test: packed and installed in ${seconds.toFixed(1)} s`);
    if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
  });

  describe('the packed packages', () => {
    it('are publishable as they are: version, licence, description, files, no workspace references', () => {
      const core = packed.core!.manifest;
      for (const p of PACKAGES) {
        const { manifest, files } = packed[p]!;
        const text = JSON.stringify(manifest);
        expect(manifest.name).toBe(`@entente/${p}`);
        expect(manifest.version, p).toMatch(/^\d+\.\d+\.\d+$/);
        expect(manifest.version, 'one version for the three packages').toBe(core.version);
        expect(manifest.license).toBe('MIT');
        expect(manifest.description).toEqual(expect.any(String));
        expect(manifest.type).toBe('module');
        expect(text, `${p}: a workspace reference survived packing`).not.toContain('workspace:');
        expect(text, `${p}: the development condition points at sources that are not packed`).not.toContain(
          '@entente/source',
        );
        expect(files, p).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
        expect(
          files.filter((f) => f.endsWith('.map') || f.startsWith('src/')),
          p,
        ).toEqual([]);
        // Every path the manifest names is in the tarball.
        const named = [manifest.main, manifest.types, ...Object.values((manifest.bin ?? {}) as object)];
        const walk = (v: unknown): void => {
          if (typeof v === 'string') named.push(v);
          else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
        };
        walk(manifest.exports);
        for (const path of named.filter((x): x is string => typeof x === 'string'))
          expect(files, `${p} names ${path}`).toContain(path.replace(/^\.\//, ''));
      }
      for (const p of ['core', 'testing'] as const) {
        const { manifest } = packed[p]!;
        expect(manifest.types).toBe('./dist/index.d.ts');
        expect(manifest.exports).toMatchObject({
          '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        });
        // "types" must come first in its condition object for TypeScript.
        expect(Object.keys((manifest.exports as Record<string, object>)['.']!)[0]).toBe('types');
      }
      expect(packed.testing!.manifest.dependencies).toMatchObject({ '@entente/core': core.version });
    });

    it('the CLI is one tarball: the bundle and its worker bundles, with no runtime dependency on the core', () => {
      const { manifest, files } = packed.cli!;
      expect(manifest.bin).toEqual({ entente: './dist/entente.mjs' });
      // … and the chunks `entente report` loads on demand (the report package with Vega).
      const chunks = files.filter((f) => f.startsWith('dist/chunks/'));
      expect(chunks.length).toBeGreaterThan(0);
      expect(chunks.every((f) => f.endsWith('.mjs'))).toBe(true);
      expect(files.filter((f) => f.startsWith('dist/') && !chunks.includes(f)).sort()).toEqual([
        'dist/backtest-worker.mjs',
        'dist/entente.mjs',
        'dist/worker.mjs',
      ]);
      // The bundles hold everything but piscina, which finds its own worker script next to itself.
      expect(Object.keys((manifest.dependencies ?? {}) as object)).toEqual(['piscina']);
      const bin = readFileSync(join(project, 'node_modules/@entente/cli/dist/entente.mjs'), 'utf8');
      expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
      expect(realpathSync(join(project, 'node_modules/.bin/entente'))).toBe(
        realpathSync(join(project, 'node_modules/@entente/cli/dist/entente.mjs')),
      );
    });

    it('README.md names the tarballs that pnpm pack writes', () => {
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      const named = new Set(readme.match(/entente-(?:core|cli|testing)-\d+\.\d+\.\d+\.tgz/g));
      const written = new Set(readdirSync(packs));
      for (const p of PACKAGES)
        expect(written).toContain(`entente-${p}-${packed.core!.manifest.version}.tgz`);
      expect(
        [...named].filter((n) => !written.has(n)),
        'README names tarballs that pack does not write',
      ).toEqual([]);
      expect(named.size).toBe(3);
    });
  });

  describe('in a fresh npm project', () => {
    const npx = (args: string[]) => sh('npx', ['entente', ...args], { cwd: project });
    const json = (stdout: string): RunResult => JSON.parse(stdout);

    it('the entente bin runs a scenario, and gives what the repository build gives', () => {
      cpSync(join(ROOT, fixture('hazard.yaml')), join(project, 'hazard.yaml'));
      const r = npx(['run', 'hazard.yaml', '--runs', '2000', '--format', 'json']);
      expect(r.code, r.out).toBe(0);
      const result = json(r.stdout);
      expect(result.engine).toEqual({ name: 'entente', version: packed.cli!.manifest.version });
      expect(result).toMatchObject({ primary: 'hit', runs: 2000, seed: 20241124 });
      // P(hit within 24 steps) at a 5% hazard per step is 1 − 0.95²⁴ ≈ 0.708.
      const [lo, hi] = result.outcomes.hit!.ci95;
      expect(lo).toBeLessThan(1 - 0.95 ** 24);
      expect(hi).toBeGreaterThan(1 - 0.95 ** 24);
      const here = entente(['run', fixture('hazard.yaml'), '--runs', '2000', '--format', 'json']);
      expect(here.code, here.stderr).toBe(0);
      expect(result).toEqual(json(here.stdout));
      expect(npx(['--version']).stdout.trim()).toContain(packed.cli!.manifest.version as string);
    });

    it('the bin writes a report from the tarball: its Vega chunk loads there', () => {
      const r = npx(['report', 'hazard.yaml', '--runs', '500', '--out', 'report.html', '--quiet']);
      expect(r.code, r.out).toBe(0);
      const html = readFileSync(join(project, 'report.html'), 'utf8');
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('data-figure="fan"');
    });

    it("the bin's worker threads load from the tarball (run and backtest), with the same bits", () => {
      const one = npx(['run', 'hazard.yaml', '--runs', '20000', '--format', 'json', '--workers', '1']);
      const two = npx(['run', 'hazard.yaml', '--runs', '20000', '--format', 'json', '--workers', '2']);
      expect(one.code, one.out).toBe(0);
      expect(two.code, two.out).toBe(0);
      expect(json(two.stdout)).toEqual(json(one.stdout));
      cpSync(join(ROOT, fixture('backtest')), join(project, 'backtest'), { recursive: true });
      const args = ['backtest', 'backtest/backtest.yaml', '--runs', '2000', '--format', 'json'];
      const bt1 = npx([...args, '--workers', '1']);
      const bt2 = npx([...args, '--workers', '2']);
      expect(bt1.code, bt1.out).toBe(0);
      expect(bt2.code, bt2.out).toBe(0);
      expect(JSON.parse(bt2.stdout)).toEqual(JSON.parse(bt1.stdout));
    });

    it('a library script (ESM, node) loads and runs a scenario with @entente/core and uses @entente/testing', () => {
      writeFileSync(
        join(project, 'library.mjs'),
        `import { readFileSync } from 'node:fs';
import { formatIssue, loadScenario, primaryOutcome, run, trace } from '@entente/core';
import { monotoneIn } from '@entente/testing';
import fc from 'fast-check';

const text = readFileSync('hazard.yaml', 'utf8');
const model = loadScenario(text, { file: 'hazard.yaml' });
if (!model.ok) throw new Error(model.issues.map(formatIssue).join('\\n'));
const result = run(model.value, { runs: 2000 });
const answer = primaryOutcome(result);
if (answer !== result.outcomes[result.primary]) throw new Error('primaryOutcome is not the primary outcome');
const t = trace(model.value, { trial: 0 });
// A higher hazard never lowers P(hit): exact at a fixed seed.
const doc = { id: 'h', title: 'h', horizon: { steps: 24 }, params: { h: 0.05 }, outcomes: { hit: { when: 'bernoulli(h)' } }, primary: 'hit' };
fc.assert(monotoneIn(doc, (s, h) => ({ ...s, params: { h } }), fc.double({ min: 0, max: 0.2, noNaN: true })), { numRuns: 10, seed: 1 });
console.log(JSON.stringify({ answer, last: t.steps.at(-1).step, resolved: import.meta.resolve('@entente/core') }));
`,
      );
      const r = sh(process.execPath, ['library.mjs'], { cwd: project });
      expect(r.code, r.out).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(fileURLToPath(out.resolved), 'the installed package, not the workspace').toBe(
        join(realpathSync(project), 'node_modules/@entente/core/dist/index.js'),
      );
      expect(out.last, 'the trace ends at the horizon').toBe(24);
      const cli = json(npx(['run', 'hazard.yaml', '--runs', '2000', '--format', 'json']).stdout);
      expect(out.answer).toEqual(cli.outcomes.hit);
    });

    it("README's library snippet (and the packages' README examples) type-check under strict and noUncheckedIndexedAccess, and run", () => {
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      const snippet = /<!-- library snippet[^\n]*-->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(
        snippet,
        'README.md has no library snippet after its <!-- library snippet … --> marker',
      ).toBeDefined();
      const examples: [string, string][] = [['readme', snippet!]];
      for (const p of PACKAGES) {
        const text = readFileSync(join(ROOT, 'packages', p, 'README.md'), 'utf8');
        for (const [i, m] of [...text.matchAll(/```ts\n([\s\S]*?)```/g)].entries())
          examples.push([`${p}-${i}`, m[1]!]);
      }
      for (const [name, code] of examples) {
        writeFileSync(join(project, `${name}.ts`), code);
        writeFileSync(join(project, `${name}.mjs`), code);
      }
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'nodenext',
            moduleResolution: 'nodenext',
            strict: true,
            noUncheckedIndexedAccess: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
          },
          include: examples.map(([name]) => `${name}.ts`),
        }),
      );
      ok(
        process.execPath,
        [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
        project,
      );
      // The snippets are plain JavaScript too: run each as a user who saved it as .mjs would.
      ok('npx', ['entente', 'init', 'my-scenario'], project);
      for (const [name] of examples) {
        const r = sh(process.execPath, [`${name}.mjs`], { cwd: project });
        expect(r.code, r.out).toBe(0);
      }
    });
  });
});

describe('primaryOutcome', () => {
  const text = readFileSync(join(ROOT, fixture('hazard.yaml')), 'utf8');
  const model = loadScenario(text, { file: 'hazard.yaml' });
  if (!model.ok) throw new Error(model.issues.map(formatIssue).join('\n'));

  it('is the estimate of the outcome that result.primary names', () => {
    const result = run(model.value, { runs: 500, seed: 3 });
    expect(primaryOutcome(result)).toBe(result.outcomes.hit);
    const other: RunResult = {
      ...result,
      primary: 'other',
      outcomes: { ...result.outcomes, other: result.outcomes.hit! },
    };
    expect(primaryOutcome(other)).toBe(result.outcomes.hit);
  });

  it('throws a TypeError for a result without its primary outcome, own properties only', () => {
    const result = run(model.value, { runs: 100 });
    expect(() => primaryOutcome({ ...result, primary: 'missing' })).toThrow(TypeError);
    expect(() => primaryOutcome({ ...result, primary: 'toString' })).toThrow(/primary outcome "toString"/);
  });
});
