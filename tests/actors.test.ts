import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entente } from './cli.js';

// Strategic actors in the CLI (docs/ALLIANCE.md, "Strategic actors"): each deciding actor's rung
// over time in `entente run`, and one column per actor in `entente trace`.
const STRATEGIC = 'scenarios/baku-israel/strategic.yaml';

describe('strategic actors in the CLI', () => {
  it('run shows every deciding actor’s rung shares by month, each row summing to 100%', () => {
    const r = entente(['run', STRATEGIC, '--runs', '2000', '--no-drivers', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Rungs over time (share of 2,000 trials on each rung, before any evidence)');
    for (const head of ['AZ (stance)', 'IL ', 'TR ', 'IR ']) expect(r.stdout).toContain(head);
    expect(r.stdout).toMatch(/TR\s+│\s+quiet\s+│\s+criticise\s+│\s+condition\s+│\s+coerce/);
    const rows = [...r.stdout.matchAll(/│\s+month \d+ │([^\n]+)│\n/g)].map((m) =>
      m[1]!.split('│').map((x) => Number.parseFloat(x.replace('<', ''))),
    );
    expect(rows.length).toBe(4 * 7); // four actors, months 0, 6, …, 36
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
  });

  it('merged shards print the rungs too, byte for byte as one run; Markdown has them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-rungs-'));
    const args = ['--runs', '3000', '--no-drivers', '--quiet'];
    for (const k of [0, 1]) {
      const shard = entente(['run', STRATEGIC, ...args, '--shard', `${k}/2`, '--format', 'tallies']);
      expect(shard.code).toBe(0);
      writeFileSync(join(dir, `s${k}.json`), shard.stdout);
    }
    for (const format of ['table', 'json', 'markdown']) {
      const one = entente(['run', STRATEGIC, ...args, '--format', format]);
      const merged = entente(['merge', STRATEGIC, dir, '--no-drivers', '--quiet', '--format', format]);
      expect(merged.code).toBe(0);
      expect(merged.stdout.replace(/^reproduce: .*$/m, '')).toBe(one.stdout.replace(/^reproduce: .*$/m, ''));
    }
    const md = entente(['run', STRATEGIC, ...args, '--format', 'markdown']).stdout;
    expect(md).toContain('**Rungs over time** (share of 3,000 trials on each rung, before any evidence)');
    expect(md).toMatch(/^\| TR \| quiet \| criticise \| condition \| coerce \|$/m);
  });

  it('JSON carries the shares; a scenario without deciding actors has none', () => {
    const j = JSON.parse(
      entente(['run', STRATEGIC, '--runs', '1000', '--no-drivers', '--format', 'json']).stdout,
    );
    expect(j.rungs.runs).toBe(1000);
    expect(j.rungs.actors.map((a: { actor: string }) => a.actor)).toEqual(['AZ', 'IL', 'TR', 'IR']);
    const tr = j.rungs.actors.find((a: { actor: string }) => a.actor === 'TR');
    expect(tr.shares.length).toBe(37);
    expect(tr.shares[0]).toEqual([0, 1, 0, 0]); // Ankara starts at criticise
    const base = JSON.parse(
      entente([
        'run',
        'scenarios/baku-israel/baseline.yaml',
        '--runs',
        '500',
        '--no-drivers',
        '--format',
        'json',
      ]).stdout,
    );
    expect(base.rungs).toBeUndefined();
  });

  it('trace has one column per actor with its rung at every step', () => {
    const r = entente(['trace', STRATEGIC, '--trial', '18']);
    expect(r.code).toBe(0);
    const header = r.stdout.split('\n').find((l) => l.trimStart().startsWith('month'))!;
    for (const column of [' IL ', ' TR ', ' IR ', ' stance ', 'TR_rung']) expect(header).toContain(column);
  });
});
