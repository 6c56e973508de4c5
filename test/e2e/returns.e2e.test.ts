// The national returns in a real browser (issue #14): a tracker prepares the month's submission,
// follows a work-list problem to the pathway's form (the item named, national labels not codes),
// puts it right and sees it gone; prepares the week's cancer PTL; reads the 31-day PTL. Viewers
// see no Returns link. Issue #24: the work list grouped by kind with counts, filtered and paged, a
// group fixed at once, and the preview with the test numbers marked as not for submission. Checked
// with axe (WCAG 2.2 AA) and under the Content-Security-Policy.
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
import { axeViolations } from './support.ts';

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
    // Found after an emergency admission (the 31-day standard only), decided: on the 31-day PTL.
    record(
      store,
      'X-ONLY31',
      { ...referral(9, '2026-11-10'), route: 'thirty_one_day_only', decisionToReferOn: undefined },
      ev('decision_to_treat', '2026-11-12'),
    );
    // Sixty ruled out in October with no NHS number status: one group one value fits, over a page.
    for (let i = 0; i < 60; i++) {
      const { nhsNumberStatus: _s, ...noStatus } = referral(10 + i, '2026-09-20');
      record(
        store,
        `X-STATUS-${String(i).padStart(2, '0')}`,
        { ...noStatus, patientName: `Status Patient ${i}`, provider: i % 2 ? 'RAJ' : 'RQ8' },
        ev('first_seen', '2026-09-25', { site: 'RAJ01' }),
        ev('diagnosis_communicated', '2026-10-09', {
          outcome: 'cancer_ruled_out',
          site: 'RAJ01',
          communicationMethod: '01',
          informedBy: '01',
        }),
      );
    }
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
    store.users.add('admin', 'admin', 'admin-returns-staple');
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
    ]);
    expect(await page.$$eval('#upload-files a', (as) => as.map((a) => a.textContent))).toEqual([
      'cwt-2026-10-national-part1.csv',
    ]);
    expect(await page.$$eval('#validation-files a', (as) => as.map((a) => a.textContent))).toEqual([
      'cwt-2026-10-validation.csv',
    ]);
    expect(await page.$('[data-preview-mark]')).toBeNull();
    const row = page.locator('#work-list tr', { hasText: 'COMMUNICATION METHOD' });
    expect(await row.textContent()).toContain('how the patient was told is missing');
    await row.locator('a').click();
    // The pathway's form for national items, on the event named, the missing item marked with why.
    await page.waitForSelector('#ev-communicationMethod');
    expect(await page.inputValue('#ev-target')).toBe('told');
    expect(await page.textContent('#ev-communicationMethod-error')).toContain('how the patient was told is missing');
    const options = await page.$$eval('#ev-communicationMethod option', (os) => os.map((o) => o.textContent));
    expect(options).toContain('Telephone'); // the label, not the code (and not "(provisional)": issue #28)
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

  it('gives times in UK local time and provisional codes in words; an admin confirms one on the Code lists page (#28)', async () => {
    const admin = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    admin.on('pageerror', (err) => scriptProblems.push(err.message));
    await signIn(admin, 'admin');
    await admin.goto(`${base}/#/returns?period=2026-10`);
    await admin.waitForSelector('#provisional-codes');
    expect(await admin.textContent('h2:has-text("Submission for")')).toContain('as at 25 Nov 2026, 10:00 (UK time)');
    const provisional = await admin.$$eval('#provisional-codes li', (lis) => lis.map((l) => l.textContent));
    expect(provisional).toContain('Faster diagnosis communication method 02: Telephone (provisional)'); // recorded by the test before
    expect(provisional.every((p) => !/_/.test(p ?? ''))).toBe(true); // no list named by its code
    await admin.click('a[href="#/codes?unconfirmed=true"]');
    await admin.waitForSelector('#list-fds_communication_method');
    expect(await axeViolations(admin)).toEqual([]);
    const row = '[data-code="fds_communication_method 02"]';
    await admin.fill(`${row} input.nhsuk-input`, 'Telephone call');
    await admin.check(`${row} input[type=checkbox]`);
    await admin.click(`${row} button`);
    await admin.waitForSelector('#code-saved');
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('code-saved');
    expect(await admin.textContent('#code-saved')).toContain(
      'Faster diagnosis communication method 02 saved: “Telephone call”, confirmed.',
    );
    expect(store.codes.get('fds_communication_method', '02')).toMatchObject({
      label: 'Telephone call',
      confirmed: true,
    });
    store.access.flush();
    expect(store.access.query({ action: 'code_list_changed' }).entries[0]).toMatchObject({
      actor: 'user:admin',
      detail: { list: 'fds_communication_method', code: '02', label: 'Telephone call', confirmed: true },
    });
    await admin.goto(`${base}/#/returns?period=2026-10`);
    await admin.waitForSelector('#work-list');
    const still = await admin.$$eval('#provisional-codes li', (lis) => lis.map((l) => l.textContent));
    expect(still.some((p) => p?.startsWith('Faster diagnosis communication method 02'))).toBe(false);
    await admin.close();
  }, 120_000);

  it('groups the work list by kind with counts, filters and pages it, and fixes a whole group at once, one addition per pathway', async () => {
    await page.goto(`${base}/#/returns?period=2026-10`);
    await page.waitForSelector('#work-groups');
    const group = page.locator('#work-groups tr[data-group="nhsNumberStatus:missing"]');
    expect(await group.locator('[data-count]').textContent()).toBe('60');
    const counts = await page.$$eval('#work-groups [data-count]', (cells) => cells.map((c) => Number(c.textContent)));
    const total = Number(/\((\d+) problems?\)/.exec((await page.textContent('#work-title'))!)![1]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
    // One page at a time, 50 a page; the next page goes on where the first stopped.
    expect(await page.locator('#work-list tbody tr').count()).toBe(50);
    expect(await page.textContent('#work-showing')).toBe(`Showing 1 to 50 of ${total}`);
    await page.click('#work-next');
    await page.waitForFunction(() => document.querySelector('#work-showing')?.textContent?.startsWith('Showing 51'));
    // Filtered by provider: the count of the group within it, the patient's name and provider shown.
    await page.selectOption('#wl-provider', 'RQ8');
    await page.waitForFunction(() => document.querySelector('#work-page')?.textContent === 'Page 1 of 1');
    expect(await group.locator('[data-count]').textContent()).toBe('30');
    const row = page.locator('#work-list tbody tr', { hasText: 'Status Patient 0' });
    expect(await row.textContent()).toContain('RQ8');
    expect(await row.textContent()).toContain('Lung');
    await page.screenshot({ path: join(docs, 'returns.png'), fullPage: true });
    // The whole group within the filter, at once.
    await group.locator('select').selectOption('01');
    await group.locator('button[type=submit]').click();
    await page.waitForSelector('#fix-done');
    expect(await page.textContent('#fix-done')).toContain('01 added for 30 pathways');
    await page.waitForSelector('#work-groups tr[data-group="nhsNumberStatus:missing"]');
    expect(await page.locator('#work-groups tr[data-group="nhsNumberStatus:missing"] [data-count]').textContent()).toBe(
      '30',
    );
    const added = store.log.ofPathway('X-STATUS-00').at(-1)!;
    expect([added.actor, added.event]).toEqual([
      'user:tracker',
      {
        type: 'national_items_added',
        on: '2026-11-25',
        target: expect.any(String),
        nhsNumberStatus: '01',
        id: expect.any(String),
      },
    ]);
    expect(store.log.ofPathway('X-STATUS-01').at(-1)!.event.type).toBe('diagnosis_communicated'); // RAJ's: not in the filter
  }, 60_000);

  it('previews the work list with the test numbers, marked on the page and in every file as not for submission', async () => {
    await page.goto(`${base}/#/returns?period=2026-10`);
    await page.waitForSelector('#cwt-summary');
    const real = await page.textContent('#cwt-summary');
    expect(real).toMatch(/Test NHS numbers \(999\) left out\s*\d+/);
    await page.check('#cwt-preview');
    await page.click('#cwt-form button[type=submit]');
    await page.waitForSelector('[data-preview-mark]');
    expect(page.url()).toContain('preview=true');
    expect(await page.textContent('.openptl-preview-mark')).toContain('Preview: not for submission');
    expect(await page.textContent('h2:has-text("Submission for")')).toContain('(preview)');
    expect(await page.textContent('#cwt-summary')).toMatch(/Test NHS numbers \(999\) included: a preview\s*[1-9]/);
    expect(await page.locator('#work-list tbody tr').count()).toBeGreaterThan(0);
    const files = await page.$$eval('#return-files a, #upload-files a, #validation-files a', (as) =>
      as.map((a) => a.getAttribute('href')!),
    );
    expect(files.length).toBe(3);
    for (const href of files) {
      expect(href).toMatch(/PREVIEW/);
      const text = await page.evaluate((h) => fetch(h).then((r) => r.text()), href);
      expect(text.split('\r\n')[0]).toBe('NOT FOR SUBMISSION: a preview that includes test NHS numbers (999 range)');
    }
  }, 60_000);

  it("prepares the week's cancer PTL, and refuses a day that is not a Sunday with the reason", async () => {
    await page.goto(`${base}/#/returns?weekEnding=2026-11-22`);
    await page.waitForSelector('#canptl-table');
    expect(await page.textContent('#canptl-open')).toMatch(/Open 62-day pathways: \d+/);
    expect(await page.textContent('#canptl-open')).toMatch(/Test NHS numbers left out: \d+/);
    expect(await page.$$eval('#return-files a', (as) => as.map((a) => a.textContent))).toEqual([
      'canptl-2026-11-22.csv',
      'canptl-2026-11-22.json',
      'canptl-2026-11-22-patients.csv',
    ]);
    // The national template's rows, on the demo's test numbers in a preview.
    await page.goto(`${base}/#/returns?weekEnding=2026-11-22&preview=true`);
    await page.waitForSelector('#canptl-template tbody tr');
    expect(await page.textContent('#canptl-template thead')).toContain('Number passing day 62 in last 7 days');
    expect(await page.textContent('#canptl-template tbody')).toContain('Section1 Without DTT');
    expect(await page.$('[data-preview-mark]')).not.toBeNull();
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
    // The 31-day-only route (issue #24): its first treatment awaited on the 31-day PTL, off the 62-day PTL.
    await page.goto(`${base}/#/ptl31`);
    await page.waitForSelector('#ptl31 tbody tr[data-pathway="X-ONLY31"]');
    expect(await page.textContent('#ptl31 tbody tr[data-pathway="X-ONLY31"]')).toContain('first (31-day only)');
    await page.goto(`${base}/#/pathway/X-ONLY31`);
    await page.waitForSelector('[data-summary="Status"]');
    expect(await page.textContent('[data-summary="Status"]')).toContain('Off the 62-day PTL');
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
      ['#/returns?period=2026-10&preview=true', '#work-groups'],
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
