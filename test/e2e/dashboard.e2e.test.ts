// The dashboard in a real browser (Debian's Chromium driven by playwright-core) against a server
// started here on an ephemeral port with a temporary database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { openDb } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import { tempDir } from '../support/store.ts';
import { writeReport } from '../../src/report/write.ts';
import { axeViolations, docs, fillDate, hasChromium, startDashboard, type Dashboard } from './support.ts';
import { rebuild } from '../../src/pathways/project.ts';

let dash: Dashboard;
let store: Store;
let storeFile = '';
let browser: Browser;
let page: Page;
let base = '';
// Script errors and CSP refusals anywhere in the run: the dashboard is ES modules under helmet's CSP.
let scriptProblems: string[] = [];
const post = (path: string, body: unknown) => dash.post(path, body);
const get = <T>(path: string) => dash.get<T>(path);
const referral = (on: string, tumourSite = 'lung') => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite,
  nhsNumber: '9990000018',
  patientName: 'Demo Patient',
});

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  beforeAll(async () => {
    dash = await startDashboard();
    ({ store, storeFile, browser, base, scriptProblems } = dash);
    page = await dash.newPage();
  }, 120_000);
  afterAll(async () => {
    await dash?.close();
  });

  it('signs in, shows a clear error for a wrong password, then the live backlog', async () => {
    await page.goto(base);
    await page.fill('#name', 'tracker');
    await page.fill('#password', 'wrong-password');
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#sign-in-error:not([hidden])');
    expect(await page.textContent('#sign-in-message')).toBe('name or password is wrong');
    await page.fill('#password', 'tracker-password');
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('[data-tile="over62"]');
    await page.waitForFunction(() => document.querySelectorAll('#site-chart, #trend-chart').length === 2);
  }, 60_000);

  it('updates the over-62 tile live when an event is posted through the API', async () => {
    const tile = '[data-tile="over62"] .openptl-tile__number';
    await page.waitForFunction((sel) => Number(document.querySelector(sel)?.textContent) >= 0, tile);
    const before = Number(await page.textContent(tile));
    await post('/api/pathways', referral('2026-09-20')); // day 65 today: over 62
    await page.waitForFunction(
      ([sel, n]) => Number(document.querySelector(sel as string)?.textContent) === (n as number) + 1,
      [tile, before] as const,
      { timeout: 10_000 },
    );
  }, 30_000);

  it('shows the view last asked for, even when an earlier one is still waiting for the server', async () => {
    // The backlog's counts are held back while the PTL is asked for, long enough for the PTL to
    // draw were it not waiting its turn: drawn late, the backlog must not cover the PTL.
    await page.goto(`${base}/#/ptl31`);
    await page.waitForSelector('#ptl31');
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked!: () => void;
    const backlogAsked = new Promise<void>((r) => {
      asked = r;
    });
    await page.route('**/api/backlog', async (route) => {
      asked();
      await held;
      await route.continue();
    });
    await page.goto(`${base}/#/`);
    await backlogAsked;
    await page.goto(`${base}/#/ptl`);
    // A PTL that did not wait its turn would be asked for and drawn now: wait for that request (at
    // most half a second, which only a correct dashboard waits out; no time is asserted).
    await page.waitForRequest((r) => new URL(r.url()).pathname === '/api/ptl', { timeout: 500 }).catch(() => {});
    const backlogAnswered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/backlog');
    release();
    await backlogAnswered;
    await page.waitForSelector('#ptl tbody tr');
    // The late backlog answer has reached the page: two frames for its script to draw, were it going to.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await page.$('#ptl tbody tr')).not.toBeNull();
    await page.unroute('**/api/backlog');
  }, 60_000);

  it('says on the page when a view cannot be shown, in the console why, and shows it when tried again', async () => {
    const logged: string[] = [];
    const onConsole = (msg: ConsoleMessage) => {
      if (msg.type() === 'error') logged.push(msg.text());
    };
    page.on('console', onConsole);
    await page.goto(`${base}/#/`);
    await page.waitForSelector('[data-tile="over62"]');
    const ptl = (url: URL) => url.pathname === '/api/ptl';
    // No answer from the server.
    await page.route(ptl, (route) => route.abort());
    await page.goto(`${base}/#/ptl`);
    await page.waitForSelector('#view-failed');
    expect(await page.textContent('#view-failed p')).toBe(
      'This page could not be shown: the server did not answer. Check your network connection, then try again.',
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('view-failed');
    // An answer the page cannot read: a fault in the page, not the network.
    await page.unroute(ptl);
    await page.route(ptl, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"entries":1}' }),
    );
    await page.click('#view-failed button');
    await page.waitForFunction(() => document.querySelector('#view-failed p')?.textContent?.includes('went wrong'));
    expect(logged.filter((t) => t.startsWith('This page could not be shown:'))).toHaveLength(2);
    await page.unroute(ptl);
    await page.click('#view-failed button');
    await page.waitForSelector('#ptl tbody tr');
    page.off('console', onConsole);
  }, 60_000);

  it('filters and sorts the PTL', async () => {
    await page.goto(`${base}/#/ptl`);
    await page.waitForSelector('#ptl tbody tr');
    const days = async () =>
      page.$$eval('#ptl tbody [data-days]', (els) => els.map((e) => Number(e.getAttribute('data-days'))));
    const longestFirst = await days();
    expect(longestFirst.length).toBeGreaterThan(5);
    expect(longestFirst).toEqual([...longestFirst].sort((a, b) => b - a));
    await page.selectOption('#f-tumourSite', 'skin');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('tumourSite=skin'));
    // The filtered list drawn, not the one before it still on the page.
    await page.waitForFunction(() => {
      const sites = [...document.querySelectorAll('#ptl tbody tr td.openptl-col-tumourSite')];
      return sites.length > 0 && sites.every((td) => td.textContent === 'Skin');
    });
    const sites = await page.$$eval('#ptl tbody tr td.openptl-col-tumourSite', (els) => els.map((e) => e.textContent));
    expect(new Set(sites)).toEqual(new Set(['Skin']));
    await page.click('[data-sort="daysWaiting"]'); // now shortest first
    await page.waitForFunction(() => location.hash.includes('order=asc'));
    await page.waitForSelector('th[aria-sort="ascending"] [data-sort="daysWaiting"]');
    const shortestFirst = await days();
    expect(shortestFirst).toEqual([...shortestFirst].sort((a, b) => a - b));
  }, 60_000);

  it('offers the tumour sites, stages and bands /api/vocabulary lists, and filters on them', async () => {
    const vocab = await get<{ tumourSites: string[]; stages: string[]; bands: string[] }>('/api/vocabulary');
    await page.goto(`${base}/#/ptl`);
    await page.waitForSelector('#ptl tbody tr');
    const options = (id: string) =>
      page.$$eval(`${id} option`, (els) => els.map((e) => (e as HTMLOptionElement).value).filter((v) => v !== ''));
    expect(await options('#f-tumourSite')).toEqual(vocab.tumourSites);
    expect(await options('#f-stage')).toEqual(vocab.stages);
    expect(await options('#f-band')).toEqual(vocab.bands);
    const last = vocab.stages.at(-1)!;
    await page.selectOption('#f-stage', last);
    await page.click('#filters button[type=submit]');
    await page.waitForFunction((s) => location.hash.includes(`stage=${s}`), last);
    await page.waitForFunction((s) => {
      const rows = [...document.querySelectorAll('#ptl tbody tr td.openptl-col-stage')];
      return rows.length > 0 && rows.every((td) => td.textContent === s);
    }, 'Awaiting treatment');
    expect(await page.inputValue('#f-stage')).toBe(last);
  }, 60_000);

  it("filters the 105+ band to minDays=105, as the backlog's over-104 links do", async () => {
    // A patient of its own over 104 days (day 115), not left to the simulated history's chance.
    await post('/api/pathways', referral('2026-08-01', 'breast'));
    const expected = await get<{ entries: { pathwayId: string }[] }>('/api/ptl?minDays=105&limit=50');
    expect(expected.entries.length).toBeGreaterThan(0);
    const shown = () => page.$$eval('#ptl tbody tr', (els) => els.map((e) => e.getAttribute('data-pathway')));
    const ptlRequest = () => page.waitForRequest((r) => r.url().includes('/api/ptl?'));
    await page.goto(`${base}/#/ptl`);
    await page.waitForSelector('#ptl tbody tr');
    let request = ptlRequest();
    await page.selectOption('#f-band', '105+');
    await page.click('#filters button[type=submit]');
    let url = new URL((await request).url());
    expect(url.searchParams.get('minDays')).toBe('105');
    expect(url.searchParams.has('maxDays')).toBe(false);
    await page.waitForFunction((n) => document.querySelectorAll('#ptl tbody tr').length === n, expected.entries.length);
    expect(await shown()).toEqual(expected.entries.map((e) => e.pathwayId));
    // The backlog's over-104 tile and table links say minDays=105: the band select shows 105+.
    await page.goto(`${base}/#/`);
    await page.waitForSelector('[data-tile="over104"]');
    const href = await page.getAttribute('[data-tile="over104"]', 'href');
    expect(href).toBe('#/ptl?minDays=105');
    request = ptlRequest();
    await page.click('[data-tile="over104"]');
    url = new URL((await request).url());
    expect(url.searchParams.get('minDays')).toBe('105');
    await page.waitForFunction((n) => document.querySelectorAll('#ptl tbody tr').length === n, expected.entries.length);
    expect(await page.inputValue('#f-band')).toBe('105+');
    expect(await shown()).toEqual(expected.entries.map((e) => e.pathwayId));
    // A bookmark from before the bands came from the server said band=105-.
    request = ptlRequest();
    await page.goto(`${base}/#/ptl?band=105-`);
    expect(new URL((await request).url()).searchParams.get('minDays')).toBe('105');
    await page.waitForSelector('#ptl tbody tr');
    expect(await page.inputValue('#f-band')).toBe('105+');
  }, 60_000);

  it('shows voided events in the timeline, struck through, as the API gives them', async () => {
    const { pathwayId } = await post('/api/pathways', referral('2026-11-06'));
    await post(`/api/pathways/${pathwayId}/events`, {
      expectedVersion: 1,
      event: { type: 'test_requested', id: 'ct-1', on: '2026-11-07', test: 'ct_chest' },
    });
    await post(`/api/pathways/${pathwayId}/events`, {
      expectedVersion: 2,
      event: { type: 'event_voided', on: '2026-11-08', voids: 'ct-1', reason: 'wrong patient' },
    });
    await page.goto(`${base}/#/pathway/${pathwayId}`);
    await page.waitForSelector('.openptl-timeline li');
    const items = await page.$$eval('.openptl-timeline li', (els) =>
      els.map((e) => [e.textContent ?? '', e.classList.contains('openptl-voided')] as const),
    );
    expect(items).toHaveLength(3);
    expect(items.map(([, v]) => v)).toEqual([false, true, false]);
    expect(items[1]![0]).toContain('Test requested');
    expect(items[2]![0]).toContain('Correction');
    expect(items[2]![0]).toContain('Test requested of 7 Nov 2026 taken out: wrong patient');
  }, 60_000);

  it('shows a guard-rail refusal next to the field, and a pathway flagged for review in the PTL and on its page', async () => {
    const { pathwayId } = await post('/api/pathways', referral('2026-11-03'));
    await post(`/api/pathways/${pathwayId}/events`, {
      expectedVersion: 1,
      event: { type: 'appointment_booked', on: '2026-11-04', appointmentOn: '2026-11-10', appointment: 'first' },
    });
    await page.goto(`${base}/#/pathway/${pathwayId}`);
    await page.waitForSelector('[data-event="dna"]');
    await page.click('[data-event="dna"]');
    await page.check('#ev-form input[name="appointment"][value="first"]');
    await fillDate(page, 'ev-on', '2026-11-11');
    await page.click('#ev-submit');
    await page.waitForSelector('#ev-on-error');
    expect(await page.textContent('#ev-on-error')).toContain(
      'The missed appointment must be dated the day it was booked for (10 Nov 2026)',
    );
    // History kept from before the guard rails: a DNA a day late, as version 1 accepted it.
    const flagged = 'V1-PATHWAY';
    const history = [
      referral('2026-10-01'),
      { type: 'appointment_booked', on: '2026-10-02', appointmentOn: '2026-10-08', appointment: 'first' },
      { type: 'dna', on: '2026-10-09', appointment: 'first' },
    ];
    const raw = openDb(storeFile);
    history.forEach((e, i) =>
      raw
        .prepare(
          'INSERT INTO events (pathway_id, version, event_id, type, on_date, recorded_at, actor, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          flagged,
          i + 1,
          `#${i + 1}`,
          e.type,
          e.on,
          `${e.on}T10:00:00.000Z`,
          'v1',
          JSON.stringify({ ...e, id: `#${i + 1}` }),
        ),
    );
    raw.close();
    rebuild(store);
    await page.goto(`${base}/#/ptl?needsReview=true`);
    await page.waitForSelector('#ptl tbody tr');
    expect(await page.$$eval('#ptl tbody tr', (rows) => rows.map((r) => r.getAttribute('data-pathway')))).toEqual([
      flagged,
    ]);
    expect(await page.textContent('#ptl tbody tr')).toContain('Needs review');
    await page.click('#ptl tbody tr a');
    await page.waitForSelector('#needs-review');
    expect(await page.textContent('#needs-review')).toContain(
      'dna #3 (2026-10-09), on: the missed appointment must be dated the day it was booked for (8 Oct 2026)',
    );
  }, 60_000);

  it('advances a patient on the pathway page and shows the clocks change', async () => {
    const { pathwayId } = await post('/api/pathways', referral('2026-11-02'));
    await page.goto(`${base}/#/pathway/${pathwayId}`);
    await page.waitForSelector('[data-event="triaged"]');
    expect(await page.textContent('[data-clock="fds"] [data-field="state"]')).toBe('Running');
    await page.click('[data-event="triaged"]');
    await page.check('#ev-form input[name="outcome"][value="straight_to_test"]');
    await fillDate(page, 'ev-on', '2026-11-03');
    await page.click('#ev-submit');
    await page.waitForFunction(
      () => document.querySelector('[data-summary="Stage"]')?.textContent === 'Straight to test',
    );
    await page.click('[data-event="diagnosis_communicated"]');
    await page.check('#ev-form input[name="outcome"][value="cancer_confirmed"]');
    await fillDate(page, 'ev-on', '2026-11-20');
    await page.click('#ev-submit');
    await page.waitForFunction(
      () => document.querySelector('[data-clock="fds"] [data-field="state"]')?.textContent === 'Stopped',
    );
    expect(await page.textContent('[data-clock="fds"] [data-field="days"]')).toBe('18');
    expect(await page.$$eval('#allowed [data-event]', (els) => els.map((e) => e.getAttribute('data-event')))).toContain(
      'decision_to_treat',
    );
  }, 60_000);

  it('shows a validation error next to the field and a 409, keeping what was typed', async () => {
    const { pathwayId } = await post('/api/pathways', referral('2026-11-10'));
    await page.goto(`${base}/#/pathway/${pathwayId}`);
    await page.waitForSelector('[data-event="test_requested"]');
    await page.click('[data-event="test_requested"]');
    await page.fill('#ev-test', 'ct_chest');
    await fillDate(page, 'ev-on', '2026-12-01'); // in the future
    await page.click('#ev-submit');
    await page.waitForSelector('#ev-on-error');
    expect(await page.textContent('#ev-on-error')).toContain(
      '1 Dec 2026 is after the as-of date (24 Nov 2026; today, when entered): a date cannot be in the future',
    );
    expect(await page.inputValue('#ev-test')).toBe('ct_chest');
    // Someone else records an event meanwhile: this form's version is now stale.
    await post(`/api/pathways/${pathwayId}/events`, {
      expectedVersion: 1,
      event: { type: 'triaged', on: '2026-11-11', outcome: 'outpatient' },
    });
    await fillDate(page, 'ev-on', '2026-11-12');
    await page.click('#ev-submit');
    // The summary of the refusal above is there until the answer comes: wait for the new one.
    await page.waitForFunction(() => document.querySelector('#ev-errors')?.textContent?.includes('Someone else'));
    expect(await page.textContent('#ev-errors')).toContain('Someone else updated this pathway');
    expect(await page.inputValue('#ev-test')).toBe('ct_chest');
    expect([
      await page.inputValue('#ev-on-day'),
      await page.inputValue('#ev-on-month'),
      await page.inputValue('#ev-on-year'),
    ]).toEqual(['12', '11', '2026']);
  }, 60_000);

  it('has no WCAG 2.2 AA violations that axe can find on the sign-in, backlog, PTL and pathway views', async () => {
    const { pathwayId } = await post('/api/pathways', referral('2026-11-05'));
    const check = axeViolations;
    const signIn = await dash.newPage();
    await signIn.goto(base);
    await signIn.waitForSelector('#sign-in');
    expect(await check(signIn)).toEqual([]);
    await signIn.close();
    for (const [hash, ready] of [
      ['#/', '[data-tile="open"]'],
      ['#/ptl', '#ptl tbody tr'],
      [`#/pathway/${pathwayId}`, '[data-event="triaged"]'],
    ] as const) {
      await page.goto(`${base}/${hash}`);
      await page.waitForSelector(ready);
      expect(await check(page), hash).toEqual([]);
    }
  }, 60_000);

  it('loads its modules under the Content-Security-Policy with no script errors', async () => {
    const res = await fetch(`${base}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(scriptProblems).toEqual([]);
  });

  it('renders the breach report HTML with its charts', async () => {
    const out = tempDir();
    writeReport(store, '2026-11-23', out);
    const report = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    report.on('request', (r) => {
      if (!r.url().startsWith('file://') && !r.url().startsWith('data:')) dash.external.push(r.url());
    });
    await report.goto(`file://${join(out, 'report-2026-11-23.html')}`);
    const charts = await report.$$eval('svg', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return [r.width, r.height, e.querySelectorAll('rect, path').length];
      }),
    );
    expect(charts).toHaveLength(2);
    for (const [w, h, marks] of charts) {
      expect(w).toBeGreaterThan(300);
      expect(h).toBeGreaterThan(50);
      expect(marks).toBeGreaterThan(0);
    }
    await report.screenshot({ path: join(docs, 'report.png') });
    const pdf = await report.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await report.close();
  }, 60_000);
});
