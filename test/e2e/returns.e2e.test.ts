// The national returns in a real browser (issue #14): a tracker prepares the month's submission,
// follows a work-list problem to the pathway's form (the item named, national labels not codes),
// puts it right and sees it gone; prepares the week's cancer PTL; reads the 31-day PTL. Viewers
// see no Returns link. Checked with axe (WCAG 2.2 AA) and under the Content-Security-Policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { tempDir, requestsOf } from '../support/store.ts';
import { ev, nhsNumber, record } from '../support/national.ts';
import { openStore } from '../../src/pathways/open.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';

const CHROMIUM = '/usr/bin/chromium';
const docs = process.env.UPDATE_SCREENSHOTS ? join(import.meta.dirname, '../../docs') : tempDir();
const clock = fixedClock('2026-11-25T10:00:00Z');
let running: RunningServer;
let store: Store;
let commands: PathwayCommands;
let browser: Browser;
let page: Page;
let base = '';
const scriptProblems: string[] = [];

async function signIn(p: Page, name: string): Promise<void> {
  await p.goto(base);
  await p.fill('#name', name);
  await p.fill('#password', `${name}-returns-staple`);
  await p.click('#sign-in button[type=submit]');
  await p.waitForSelector('#nav:not([hidden])');
}

describe.skipIf(!existsSync(CHROMIUM))('the national returns in Chromium', () => {
  beforeAll(async () => {
    store = openStore(openDb(join(tempDir(), 'e2e-returns.db')), clock);
    commands = new PathwayCommands(store);
    const lines = [...simulate({ referralsPerMonth: 100, months: 4, seed: 3, asOf: '2026-11-23' })];
    commands.appendMany(requestsOf(lines, 'demo'));
    const referral = (i: number, on: IsoDate) =>
      ev('referral_received', on, {
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: nhsNumber(i),
        provider: 'RAJ',
        nhsNumberStatus: '01',
        sourceOfReferral: '03',
        decisionToReferOn: on,
      });
    // Ruled out in October, told on day 20, but how the patient was told is not recorded.
    record(
      store,
      'X-RULED-OUT',
      referral(1, '2026-09-15'),
      ev('first_seen', '2026-09-18', { site: 'RAJ01' }),
      ev('diagnosis_communicated', '2026-10-05', {
        outcome: 'cancer_ruled_out',
        site: 'RAJ01',
        informedBy: '01',
        id: 'told',
      }),
    );
    // Treated in October; a second treatment awaited.
    record(
      store,
      'X-TREATED',
      referral(2, '2026-08-20'),
      ev('first_seen', '2026-08-24', { site: 'RAJ01' }),
      ev('diagnosis_communicated', '2026-09-10', {
        outcome: 'cancer_confirmed',
        site: 'RAJ01',
        communicationMethod: '01',
        informedBy: '01',
        primaryDiagnosis: 'C34.1',
        laterality: 'R',
      }),
      ev('decision_to_treat', '2026-09-20', { site: 'RAJ01' }),
      ev('treatment_started', '2026-10-08', { modality: 'surgery', site: 'RAJ01', careSetting: '01' }),
      ev('decision_to_treat', '2026-11-02', { site: 'RAJ01' }),
    );
    running = await startServer({
      store,
      clock,
      logger: createLogger({ level: 'silent' }),
      port: 0,
      hub: { coalesceMs: 5, rolloverCheckMs: 50 },
    });
    base = `http://127.0.0.1:${running.port}`;
    store.users.add('tracker', 'tracker', 'tracker-returns-staple');
    store.users.add('viewer', 'viewer', 'viewer-returns-staple');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (err) => scriptProblems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy|module script/i.test(msg.text()))
        scriptProblems.push(msg.text());
    });
    mkdirSync(docs, { recursive: true });
    await signIn(page, 'tracker');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it("prepares the month, follows a problem to the pathway's form, puts it right, and sees it gone", async () => {
    await page.goto(`${base}/#/returns?period=2026-10`);
    await page.waitForSelector('#work-list');
    expect(await page.textContent('#cwt-summary')).toContain('Records ready to submit');
    expect(await page.$$eval('#return-files a', (as) => as.map((a) => a.textContent))).toEqual([
      'cwt-2026-10-part1.csv',
      'cwt-2026-10-validation.csv',
    ]);
    await page.screenshot({ path: join(docs, 'returns.png'), fullPage: true });
    const row = page.locator('#work-list tr', { hasText: 'COMMUNICATION METHOD' });
    expect(await row.textContent()).toContain('how the patient was told is missing');
    await row.locator('a').click();
    // The pathway's form for national items, on the event named, the missing item marked with why.
    await page.waitForSelector('#ev-communicationMethod');
    expect(await page.inputValue('#ev-target')).toBe('told');
    expect(await page.textContent('#ev-communicationMethod-error')).toContain('how the patient was told is missing');
    const options = await page.$$eval('#ev-communicationMethod option', (os) => os.map((o) => o.textContent));
    expect(options).toContain('Telephone (provisional)'); // the label, not the code
    expect(await page.$('#ev-careSetting')).toBeNull(); // not an item of the diagnosis
    await page.selectOption('#ev-communicationMethod', '02');
    await page.click('#ev-submit');
    await page.waitForFunction(() =>
      document.querySelector('#timeline')?.textContent?.includes('National items added'),
    );
    await page.goto(`${base}/#/returns?period=2026-10`);
    await page.waitForSelector('#cwt-summary');
    expect(await page.locator('#work-list tr', { hasText: 'X-RULED-OUT' }).count()).toBe(0);
  }, 60_000);

  it("prepares the week's cancer PTL, and refuses a day that is not a Sunday with the reason", async () => {
    await page.goto(`${base}/#/returns?weekEnding=2026-11-22`);
    await page.waitForSelector('#canptl-table');
    expect(await page.textContent('#canptl-open')).toMatch(/Open 62-day pathways: \d+/);
    expect(await page.$$eval('#return-files a', (as) => as.map((a) => a.textContent))).toEqual([
      'canptl-2026-11-22.csv',
      'canptl-2026-11-22.json',
      'canptl-2026-11-22-patients.csv',
    ]);
    await page.goto(`${base}/#/returns?weekEnding=2026-11-24`);
    await page.waitForSelector('.nhsuk-error-summary');
    expect(await page.textContent('.nhsuk-error-summary')).toContain('2026-11-24 is a Tuesday');
  }, 60_000);

  it('shows the 31-day PTL of treatments after the first, and the later clock on the pathway page', async () => {
    await page.goto(`${base}/#/ptl31`);
    await page.waitForSelector('#ptl31 tbody tr[data-pathway="X-TREATED"]');
    expect(await page.textContent('#ptl31 tbody tr[data-pathway="X-TREATED"]')).toContain('second');
    await page.click('#ptl31 tbody tr[data-pathway="X-TREATED"] a');
    await page.waitForSelector('[data-clock="d31-2"]');
    expect(await page.textContent('[data-clock="d31-2"]')).toContain('31-day, treatment 2');
  }, 60_000);

  it('has no WCAG 2.2 AA violations that axe can find on the Returns and 31-day PTL pages, and no script errors under the CSP', async () => {
    const check = async () => {
      await page.evaluate(readFileSync(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8'));
      return page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
          }
        ).axe;
        const result = await axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        });
        return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
    };
    for (const [hash, ready] of [
      ['#/returns?period=2026-10', '#cwt-summary'],
      ['#/returns?weekEnding=2026-11-22', '#canptl-table'],
      ['#/ptl31', '#ptl31 tbody tr'],
    ] as const) {
      await page.goto(`${base}/${hash}`);
      await page.waitForSelector(ready);
      expect(await check(), hash).toEqual([]);
    }
    expect(scriptProblems).toEqual([]);
  }, 60_000);

  it('shows viewers no Returns link', async () => {
    const viewer = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signIn(viewer, 'viewer');
    expect(await viewer.isHidden('#nav-returns')).toBe(true);
    await viewer.close();
  }, 60_000);
});
