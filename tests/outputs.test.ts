// Issue 16, "Outputs that are complete" and "Tools for modellers": each item end to end through the
// built CLI, with unit tests of the number formatting and of the progress estimate beside them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  interval,
  percent,
  percentDigits,
  points,
  pointsDigits,
  valueFormat,
} from '../packages/cli/src/format/numbers.js';
import { RUN_CSV_COLUMNS } from '../packages/cli/src/format/run.js';
import {
  etaText,
  formatDuration,
  LONG_RUN_MS,
  longRunNote,
  PRECISION_SUGGESTION,
  progressFor,
} from '../packages/cli/src/progress.js';
import { entente, fixture, startEntente } from './cli.js';

const FLAGSHIP = 'scenarios/baku-israel/baseline.yaml';

/** A scratch scenario file (YAML text) in a fresh folder. */
function scratch(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'entente-outputs-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The alliance fixture with one more interest whose value is the same in every trial. */
const withFixedInterest = (): string =>
  scratch(
    'fixed.yaml',
    readFileSync(fixture('alliance.yaml'), 'utf8').replace(
      'interests:\n',
      'interests:\n  treaty:\n    label: a standing treaty\n    direction: hold\n    weight: 0.5\n    value: 0.3\n',
    ),
  );

/** Minimal CSV parsing (RFC 4180 quoting), as a spreadsheet or pandas reads the file. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((k, i) => [k, r[i] ?? ''])));
}

describe('CSV and Markdown carry the whole result', () => {
  it('CSV: one table, metadata on every row, drivers and values as sections', () => {
    const file = withFixedInterest();
    const r = entente(['run', file, '--runs', '2000', '--seed', 'csv, "quoted"', '--format', 'csv']);
    expect(r.code).toBe(0);
    const [header] = r.stdout.split('\n');
    expect(header).toBe(RUN_CSV_COLUMNS.join(','));
    // No comment lines: the first line is the header, every line has every column.
    const rows = parseCsv(r.stdout);
    for (const row of rows) expect(Object.keys(row)).toHaveLength(RUN_CSV_COLUMNS.length);
    const json = JSON.parse(
      entente(['run', file, '--runs', '2000', '--seed', 'csv, "quoted"', '--format', 'json']).stdout,
    );
    for (const row of rows) {
      expect(row).toMatchObject({
        scenario: 'small',
        scenario_hash: json.scenario.hash,
        seed: 'csv, "quoted"',
        runs: '2000',
        engine: 'entente',
        engine_version: json.engine.version,
      });
    }
    const curve = rows.filter((x) => x.section === 'curve');
    expect(curve).toHaveLength(Object.keys(json.outcomes).length * 24);
    const last = curve.find((x) => x.outcome === json.primary && x.step === '24')!;
    expect(Number(last.probability)).toBe(json.outcomes[json.primary].probability);
    expect(Number(last.ci95_high)).toBe(json.outcomes[json.primary].ci95[1]);
    const drivers = rows.filter((x) => x.section === 'driver');
    expect(drivers.map((d) => d.name).sort()).toEqual(json.drivers.map((d: { id: string }) => d.id).sort());
    const treaty = drivers.find((d) => d.name === 'treaty')!;
    expect(treaty).toMatchObject({
      label: 'a standing treaty',
      kind: 'interest',
      direction: 'hold',
      fixed: 'true',
    });
    expect(drivers.find((d) => d.name === 'turkey')!.fixed).toBe('false');
    const values = rows.filter((x) => x.section === 'value');
    expect(values.map((v) => v.name)).toEqual(Object.keys(json.values));
    const tie = values.find((v) => v.name === 'tie')!;
    expect(Number(tie.mean)).toBe(json.values.tie.mean);
    expect(Number(tie.p50)).toBe(json.values.tie.quantiles.p50);
  });

  it('Markdown: the curve, the drivers (a fixed one said so) and the values', () => {
    const r = entente(['run', withFixedInterest(), '--runs', '2000', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('**Drivers of cooled**');
    expect(r.stdout).toMatch(
      /^\| turkey \| pressure, push \| \+\d\.\d+ \| [+-]\d+\.\d+ pts \| \[.* pts\] \| 2,000 \|$/m,
    );
    expect(r.stdout).toMatch(
      /^\| treaty \(a standing treaty\) \| interest, hold \| -\d\.\d+ \| fixed in this scenario \| {2}\| {2}\|$/m,
    );
    expect(r.stdout).toContain('**Values at month 24**');
    expect(r.stdout).toMatch(/^\| tie \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$/m);
    expect(r.stdout).toMatch(
      /Trials where cooled happened: [\d, ]+ \(replay one: `entente trace .*fixed\.yaml --trial \d+`\)/,
    );
  });
});

describe('one precision per table, more digits for narrow intervals', () => {
  it('chooses the decimals from the narrowest interval', () => {
    // Precision mode 0.001: a half-width under 0.1 points.
    const d = percentDigits([[0.046, 0.048]]);
    expect(`${percent(0.047, d)} ${interval([0.046, 0.048], d)}`).toBe('4.7% [4.6%, 4.8%]');
    // Narrower than one unit of the last digit: another decimal, for the whole table.
    const narrow = percentDigits([
      [0.2, 0.3],
      [0.0465, 0.0474],
    ]);
    expect(narrow).toBe(2);
    expect(`${percent(0.047, narrow)} ${interval([0.0465, 0.0474], narrow)}`).toBe('4.70% [4.65%, 4.74%]');
    expect(percent(0.25, narrow)).toBe('25.00%');
    // Exact ends (no trial, or every trial) do not force digits; a rounded-away end is a bound.
    const withZero = percentDigits([
      [0, 0.00001],
      [0.1, 0.2],
    ]);
    expect(withZero).toBe(1);
    expect(interval([0, 0.00001], withZero)).toBe('[0%, <0.1%]');
    expect(interval([0.99999, 1], withZero)).toBe('[>99.9%, 100%]');
    // Never more than four decimals.
    expect(percentDigits([[0.5, 0.5 + 1e-12]])).toBe(4);
    // Differences in points, likewise.
    expect(pointsDigits([[0.11, 0.13]])).toBe(1);
    expect(points(0.0123, pointsDigits([[0.0122, 0.0124]]))).toBe('+1.23 pts');
    // Without digits, a number on its own prints as before.
    expect(percent(0.0005)).toBe('0.050%');
  });

  it('a row of values shares its decimals', () => {
    const f = valueFormat([0.8582, 0.08776, 0.9]);
    expect([0.8582, 0.08776, 0.9].map(f)).toEqual(['0.8582', '0.0878', '0.9000']);
    expect(valueFormat([1.37, -0.5])(-0.5)).toBe('-0.500');
  });

  it('run: every percentage of the curve table has the same number of decimals', () => {
    const r = entente(['run', fixture('hazard.yaml'), '--runs', '200000', '--workers', '1', '--quiet']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^│\s+\d+ │/.test(l));
    expect(rows.length).toBe(4);
    const decimals = new Set(rows.flatMap((l) => [...l.matchAll(/(\d+)\.(\d+)%/g)].map((m) => m[2]!.length)));
    expect(decimals.size).toBe(1);
    // The headline is that table's last row, with its decimals.
    const headline = /= ([\d.]+%)\s+95% CI (\[.*\])/.exec(r.stdout)!;
    expect(rows.at(-1)).toContain(headline[1]);
    expect(rows.at(-1)).toContain(headline[2]);
  });
});

describe('entente table: --at within the horizon', () => {
  it('refuses steps beyond the shortest horizon, before running anything', () => {
    const r = entente([
      'table',
      fixture('hazard.yaml'),
      fixture('short.yaml'),
      '--at',
      '6,12',
      '--runs',
      '100',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: --at 12: beyond the horizon of tests/fixtures/short.yaml (6 months); give steps from 1 to 6\n',
    );
    expect(r.stdout).toBe('');
    expect(entente(['table', fixture('hazard.yaml'), '--at', '25', '--runs', '100']).code).toBe(2);
  });

  it('defaults to thirds of the horizon: 8, 16 and 24 for 24 months, no column past it', () => {
    const r = entente(['table', fixture('hazard.yaml'), '--runs', '500', '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0].at.map((a: { step: number }) => a.step)).toEqual([8, 16, 24]);
    const md = entente(['table', fixture('hazard.yaml'), '--runs', '500', '-q']);
    expect(md.stdout).toContain('| by month 8 | by month 16 | by month 24 |');
    expect(md.stdout).not.toContain('month 36');
  });

  it('a fixed driver is said to be fixed in the drivers column', () => {
    const r = entente(['table', withFixedInterest(), '--runs', '2000', '--drivers', '10', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('treaty (fixed in this scenario)');
  });
});

describe('run: a driver that does not vary says so', () => {
  it('"fixed in this scenario" instead of 0.0 pts; low equals high in JSON', () => {
    const file = withFixedInterest();
    const r = entente(['run', file, '--runs', '2000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /treaty \(a standing treaty\)\s+│ interest, hold │\s+-\d\.\d+ │ fixed in this scenario │\s+│/,
    );
    expect(r.stdout).not.toMatch(/treaty.*0\.0 pts/);
    const j = JSON.parse(entente(['run', file, '--runs', '2000', '--format', 'json']).stdout);
    const treaty = j.drivers.find((d: { id: string }) => d.id === 'treaty');
    expect(treaty.low).toBe(treaty.high);
  });
});

describe('reported quantiles stay within the range of the values', () => {
  it('the flagship tie (capped at 0.9) reports 0.9, not 0.9003', () => {
    const r = entente(['run', FLAGSHIP, '--runs', '4000', '--no-drivers', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const v of Object.values(j.values) as {
      min: number;
      max: number;
      quantiles: Record<string, number>;
    }[]) {
      for (const q of Object.values(v.quantiles)) {
        expect(q).toBeGreaterThanOrEqual(v.min);
        expect(q).toBeLessThanOrEqual(v.max);
      }
    }
    expect(j.values.tie.max).toBe(0.9);
    expect(j.values.tie.quantiles.p95).toBe(0.9);
    const table = entente(['run', FLAGSHIP, '--runs', '4000', '--no-drivers']).stdout;
    expect(table).not.toContain('0.9003');
    expect(table).toMatch(/│ tie\s+│.*│ 0\.9000 │$/m);
  });
});

describe('progress: no eta until it is known; a long run says how long', () => {
  it('formats the time to go and the note', () => {
    expect(etaText(0, 0, 1000)).toBe('');
    expect(etaText(500, 0, 1000)).toBe('');
    expect(etaText(1000, 100, 1000)).toBe('eta 9 s');
    expect(etaText(1000, 990, 1000)).toBe('eta <1 s');
    expect(formatDuration(13)).toBe('13 ms');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(200 * 60_000)).toBe('3 h 20 min');
    expect(formatDuration(9 * 86_400_000)).toBe('9 days');
    // A run that takes a minute or less says nothing.
    expect(longRunNote(100, 5000, 40_000)).toBeUndefined();
    expect(longRunNote(LONG_RUN_MS / 8, 5000, 40_000)).toBeUndefined();
    expect(longRunNote(10, 5000, 1e12, PRECISION_SUGGESTION)).toBe(
      'note: at this pace the 1,000,000,000,000 trials take about 23 days (the first 5,000 took 10 ms); precision mode stops as soon as the primary outcome is known to ±0.5 points: --precision 0.005\n',
    );
  });

  it('with a fake clock: the first frame has no eta, and the note comes once, at the pace after the first batch', () => {
    let now = 0;
    const err: string[] = [];
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s), isTTY: false },
      env: {},
      onInterrupt: () => () => {},
    };
    const quiet = progressFor(io, true, { now: () => now, suggestion: PRECISION_SUGGESTION });
    now = 100;
    quiet.onProgress(5000, 1e12);
    quiet.done();
    expect(err).toEqual([]);
    now = 0;
    const p = progressFor(io, false, { now: () => now, suggestion: PRECISION_SUGGESTION });
    // The first batch paid for warming up (100 ms); then 5,000 trials take 20 ms, and the pace is
    // measured a quarter of a second after the first batch.
    now = 100;
    p.onProgress(5000, 1e12);
    for (let k = 2; k <= 14; k++) {
      expect(err).toEqual([]);
      now = 100 + 20 * (k - 1);
      p.onProgress(5000 * k, 1e12);
    }
    p.done();
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^note: at this pace the 1,000,000,000,000 trials take about 46 days \(the first 70,000 took 360 ms\); .*--precision 0\.005\n$/,
    );
    // A first batch of a second or more gives the pace at once: the next report may be the last.
    now = 0;
    const coarse = progressFor(io, false, { now: () => now });
    now = 40_000;
    coarse.onProgress(5000, 10_000);
    expect(err).toHaveLength(2);
    expect(err[1]).toMatch(
      /^note: at this pace the 10,000 trials take about 1 min \(the first 5,000 took 40 s\)/,
    );
    now = 80_000;
    coarse.onProgress(10_000, 10_000);
    coarse.done();
    expect(err).toHaveLength(2);
    err.pop();
    // Long at the first batch's pace, short after it: nothing.
    now = 0;
    const warm = progressFor(io, false, { now: () => now });
    now = 133;
    warm.onProgress(5000, 3_000_000);
    for (let k = 2; k <= 30; k++) {
      now = 133 + 15 * (k - 1);
      warm.onProgress(5000 * k, 3_000_000);
    }
    warm.done();
    expect(err).toHaveLength(1);
    // A short run: nothing.
    now = 0;
    const short = progressFor(io, false, { now: () => now });
    now = 100;
    short.onProgress(5000, 40_000);
    short.done();
    expect(err).toHaveLength(1);
  });

  it('--runs 1e12 does not start silently', async () => {
    const child = startEntente(['run', fixture('hazard.yaml'), '--runs', '1e12', '--workers', '1']);
    let stderr = '';
    const noted = new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += String(d);
        if (stderr.includes('\n')) resolve();
      });
    });
    await Promise.race([noted, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    child.kill('SIGINT');
    await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/^note: at this pace the 1,000,000,000,000 trials take about .+\n/);
    expect(stderr).not.toContain('INF');
  });
});

describe('option names agree across commands', () => {
  it('validate: --format json (and --json, its alias), -q', () => {
    const a = entente(['validate', fixture('bad-schema.yaml'), '--format', 'json']);
    const b = entente(['validate', fixture('bad-schema.yaml'), '--json']);
    expect(a.code).toBe(2);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
    expect(JSON.parse(a.stdout)[0].valid).toBe(false);
    const quiet = entente(['validate', fixture('hazard.yaml'), fixture('bad-schema.yaml'), '-q']);
    expect(quiet.code).toBe(2);
    expect(quiet.stdout).toContain('bad-schema.yaml:5:31');
    expect(quiet.stderr).toBe('');
    const both = entente(['validate', fixture('hazard.yaml'), '--json', '--format', 'table']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--json is --format json');
  });

  it('trace: --format json, --json, -q; init: -q', () => {
    const a = entente(['trace', fixture('hazard.yaml'), '--trial', '3', '--format', 'json', '-q']);
    const b = entente(['trace', fixture('hazard.yaml'), '--trial', '3', '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const dir = mkdtempSync(join(tmpdir(), 'entente-init-'));
    const init = entente(['init', join(dir, 'x'), '-q']);
    expect(init.code).toBe(0);
    expect(init.stdout + init.stderr).toBe('');
    expect(entente(['validate', join(dir, 'x', 'scenario.yaml'), '-q']).code).toBe(0);
  });

  it('every command that writes messages takes -q, --quiet; every output format is -f, --format', () => {
    const messages = [
      'run',
      'compare',
      'merge',
      'merge-sweep',
      'validate',
      'trace',
      'table',
      'sweep',
      'init',
      'backtest',
      'calibrate',
      'discover',
      'sensitivity',
    ];
    const formats = messages.filter((c) => c !== 'init');
    for (const command of messages) {
      const help = entente([command, '--help']).stdout;
      expect(help, command).toMatch(/-q, --quiet/);
      if (formats.includes(command)) expect(help, command).toMatch(/-f, --format <format>/);
    }
  });
});

describe('trace finds trials; run lists some', () => {
  it('run --format json lists the first trials where the primary outcome happened; trace --first-hit finds the first', () => {
    const run = JSON.parse(
      entente(['run', fixture('hazard.yaml'), '--runs', '2000', '--format', 'json']).stdout,
    );
    expect(run.examples).toHaveLength(5);
    for (const k of run.examples) {
      const t = JSON.parse(entente(['trace', fixture('hazard.yaml'), '--trial', String(k), '--json']).stdout);
      expect(t.outcomes.hit).not.toBeNull();
    }
    const first = entente(['trace', fixture('hazard.yaml'), '--first-hit', 'hit', '--format', 'json']);
    expect(first.code).toBe(0);
    const t = JSON.parse(first.stdout);
    expect(t.trial).toBe(run.examples[0]);
    expect(t.searched).toBe(run.examples[0] + 1);
    // The primary by default, and the table says how the trial was chosen.
    const table = entente(['trace', fixture('hazard.yaml'), '--first-hit']);
    expect(table.stdout).toContain(
      `trial ${run.examples[0]} of hazard, seed 20241124: the first trial (from trial 0) in which hit happened`,
    );
    // Another seed: the same trials as run with that seed.
    const seeded = JSON.parse(
      entente(['run', fixture('hazard.yaml'), '--runs', '2000', '--seed', 'x', '--format', 'json']).stdout,
    );
    const again = JSON.parse(
      entente(['trace', fixture('hazard.yaml'), '--first-hit', '--seed', 'x', '--json']).stdout,
    );
    expect(again.trial).toBe(seeded.examples[0]);
  });

  it('--first-hit: a clear message when no trial has it, and when the outcome does not exist', () => {
    const never = scratch(
      'never.yaml',
      'id: never\ntitle: Never\nhorizon: { steps: 6 }\noutcomes:\n  o: { when: "false" }\nprimary: o\n',
    );
    const r = entente(['trace', never, '--first-hit', '--runs', '3000']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: o did not happen in any of trials 0 to 2,999 (seed 20241124)');
    const unknown = entente(['trace', fixture('hazard.yaml'), '--first-hit', 'hti']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '"hti" is not an outcome of tests/fixtures/hazard.yaml (its outcomes: hit)',
    );
    expect(entente(['trace', fixture('hazard.yaml')]).code).toBe(2);
    expect(entente(['trace', fixture('hazard.yaml'), '--trial', '1', '--first-hit']).code).toBe(2);
    const noRun = JSON.parse(entente(['run', never, '--runs', '100', '--format', 'json']).stdout);
    expect(noRun.examples).toEqual([]);
  });

  it('a failing trial is printed up to the failure, then the error (exit 1)', () => {
    const r = entente(['trace', fixture('nan.yaml'), '--trial', '0']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    // Steps 0 … 3 completed (x = 1, 0.75, 0.5, 0.25), then log(0) at step 4.
    expect(lines.filter((l) => /^\s+[0-3] /.test(l))).toHaveLength(4);
    expect(r.stdout).toMatch(/^\s+4 failed: derived\.y gave -Infinity$/m);
    expect(r.stdout).toContain('first step each outcome held before the failure at month 4: o never');
    expect(r.stderr).toBe('error: derived.y gave -Infinity at step 4 of trial 0\n');
    const j = entente(['trace', fixture('nan.yaml'), '--trial', '0', '--json']);
    expect(j.code).toBe(1);
    const t = JSON.parse(j.stdout);
    expect(t.steps.map((s: { step: number }) => s.step)).toEqual([0, 1, 2, 3]);
    expect(t.failure).toMatchObject({ step: 4, path: ['derived', 'y'] });
    // --first-hit meets the failure on its way and shows that trial.
    const hit = entente(['trace', fixture('nan.yaml'), '--first-hit']);
    expect(hit.code).toBe(1);
    expect(hit.stdout).toContain('trial 0 of nan, seed 20241124: it failed before o happened in any trial');
  });
});
