// The report in a real browser: Debian's Chromium (`apt-get install -y chromium`; `pnpm test` installs it when run as root, scripts/ensure-chromium.mjs),
// driven by playwright-core. Every chart must have rendered (SVG marks, the right axis titles), the
// page must log no error and fetch nothing, fit a phone and a laptop, and print. Screenshots and the
// printed PDF go to tests/artifacts/ (git-ignored).
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entente, ROOT } from './cli.js';

const CHROMIUM = process.env.ENTENTE_CHROMIUM ?? '/usr/bin/chromium';
const SKIP = process.env.ENTENTE_SKIP_BROWSER === '1';
const ARTIFACTS = join(ROOT, 'tests/artifacts');
const dir = mkdtempSync(join(tmpdir(), 'entente-browser-'));
const REPORT = join(dir, 'report.html');

/** The axis titles each main chart must show (what a reader needs to read it). */
const AXES: Record<string, string[]> = {
  fan: ['Months from 2024-11', 'P(cooled by then)'],
  differences: [
    'Difference from baku-israel-baseline in P(cooled within 36 months), percentage points',
    'Scenario',
  ],
  drivers: ['Effect on P(cooled), percentage points', 'Interest or pressure'],
  sobol: ['Share of the variance of cooled', 'Input'],
  'time-to-event': ['Months from 2024-11', 'Share of these trials'],
  'value-tie': ['tie at month 36', 'Share of trials'],
};

describe.skipIf(SKIP)('the report in Chromium', () => {
  let browser: Browser;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: this test needs Debian's Chromium. Install it with \`apt-get install -y chromium\` (as root, pnpm test does), point ENTENTE_CHROMIUM at another Chromium, or set ENTENTE_SKIP_BROWSER=1 to skip the browser test.`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const r = entente([
      'report',
      'scenarios/baku-israel/baseline.yaml',
      'scenarios/baku-israel/turkish-escalation.yaml',
      '--runs',
      '4000',
      '--sobol',
      '--out',
      REPORT,
      '--quiet',
    ]);
    if (r.code !== 0) throw new Error(`entente report failed:\n${r.stderr}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** A page on the report with every console error, page error and request recorded. */
  async function open(width: number, height: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(REPORT).href, { waitUntil: 'load' });
    return page;
  }

  it('renders every chart: SVG marks, the right axis titles, a visible size', async () => {
    const page = await open(1366, 900);
    const figures = await page.$$eval('figure[data-figure]', (els) =>
      els.map((el) => {
        const svg = el.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: el.getAttribute('data-figure')!,
          // The data's marks only (role-mark), not the axes', gridlines' or legend's.
          marks: svg?.querySelectorAll('g.role-mark path, g.role-mark line, g.role-mark text').length ?? 0,
          axes: [...(svg?.querySelectorAll('g.role-axis-title text') ?? [])].map((t) => t.textContent),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
        };
      }),
    );
    const ids = figures.map((f) => f.id);
    for (const id of Object.keys(AXES)) expect(ids, id).toContain(id);
    for (const f of figures) {
      expect(f.marks, f.id).toBeGreaterThan(0);
      expect(f.width, f.id).toBeGreaterThan(20);
      expect(f.height, f.id).toBeGreaterThan(20);
    }
    for (const [id, titles] of Object.entries(AXES))
      expect(figures.find((f) => f.id === id)!.axes.sort(), id).toEqual([...titles].sort());
    // One line and one band per scenario in the fan chart, and the values at the horizon labelled.
    const fan = await page.$eval('figure[data-figure="fan"] svg', (svg) => ({
      lines: svg.querySelectorAll('g.mark-line.role-mark path').length,
      bands: svg.querySelectorAll('g.mark-area.role-mark path').length,
      labels: [...svg.querySelectorAll('g.mark-text.role-mark text')].map((t) => t.textContent),
    }));
    expect(fan.lines).toBe(2);
    expect(fan.bands).toBe(2);
    expect(fan.labels.every((l) => /^\d+\.\d%$/.test(l ?? ''))).toBe(true);
    // The provenance table shows a density plot per random param, with its source.
    const params = await page.$$eval('#params tr[data-param]', (rows) => rows.length);
    expect(params).toBeGreaterThan(10);
    expect(await page.textContent('#params')).toContain("Israel's share of Azerbaijan's oil exports");
    await page.screenshot({ path: join(ARTIFACTS, 'report-laptop.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('fits a phone (390 px) and a laptop (1366 px) without horizontal scrolling', async () => {
    for (const [width, name] of [
      [390, 'phone'],
      [1366, 'laptop'],
    ] as const) {
      const page = await open(width, 844);
      const overflow = await page.$eval('html', (html) => html.scrollWidth - html.clientWidth);
      expect(overflow, `${name}: the page is wider than the window`).toBeLessThanOrEqual(0);
      const wider = await page.$$eval(
        'figure svg',
        (svgs) =>
          svgs.filter(
            (s) => s.getBoundingClientRect().right > s.ownerDocument.documentElement.clientWidth + 0.5,
          ).length,
      );
      expect(wider, `${name}: charts reach past the window`).toBe(0);
      if (name === 'phone')
        await page.screenshot({ path: join(ARTIFACTS, 'report-phone.png'), fullPage: false });
      await page.close();
    }
  }, 60_000);

  it('prints: in print emulation the charts keep their size and the PDF is written', async () => {
    const page = await open(1366, 900);
    await page.emulateMedia({ media: 'print' });
    const sizes = await page.$$eval('figure[data-figure] svg', (svgs) =>
      svgs.map((s) => s.getBoundingClientRect().height),
    );
    expect(sizes.every((h) => h > 20)).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, path: join(ARTIFACTS, 'report.pdf') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.screenshot({ path: join(ARTIFACTS, 'report-print.png'), fullPage: false });
    await page.close();
  }, 60_000);

  it('logged no error and fetched nothing: everything is inline', () => {
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(readFileSync(REPORT, 'utf8')).not.toMatch(/<script|<link|<img|@import/i);
  });
});
