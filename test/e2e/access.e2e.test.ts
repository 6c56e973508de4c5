// Issue #16 in a real browser (Debian's Chromium): the dashboard over plain HTTP at an address that
// is not localhost, the Users and Audit pages, a disabled user's dashboard sent back to sign-in, and
// the event form's date in England. All traffic goes to this machine's loopback address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { tempDir } from '../support/store.ts';
import { openStore } from '../../src/pathways/open.ts';
import { hashPassword } from '../../src/auth/passwords.ts';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'mauve-kettle-orbit';
// A name the browser does not count as its own machine (so it applies upgrade-insecure-requests as
// it would to a ward PC's intranet address), resolved by Chromium itself to 127.0.0.1.
const HOST = 'openptl.test';
const clock = fixedClock('2026-11-24T10:00:00Z');
let running: RunningServer;
let store: Store;
let browser: Browser;
let base = '';
let dbFile = '';
const problems: string[] = [];

async function signedIn(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|module script/i.test(msg.text())) problems.push(msg.text());
  });
  // Any request for the dashboard's own files that fails (over https, say) is a problem; the design
  // system's web fonts from assets.nhs.uk are not reached from here and fall back to Arial.
  page.on('requestfailed', (r) => {
    if (new URL(r.url()).hostname === HOST) problems.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  await page.goto(base);
  await page.fill('#name', name);
  await page.fill('#password', PASSWORD);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('[data-tile="open"]');
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('patient data protection in Chromium', () => {
  beforeAll(async () => {
    dbFile = join(tempDir(), 'e2e-access.db');
    store = openStore(openDb(dbFile), clock);
    running = await startServer({
      store,
      clock,
      logger: createLogger({ level: 'silent' }),
      port: 0,
      hub: { coalesceMs: 5, accessCheckMs: 200 },
    });
    base = `http://${HOST}:${running.port}`;
    store.users.add('admin', 'admin', PASSWORD);
    store.users.add('nurse', 'tracker', PASSWORD);
    store.users.add('steward', 'steward', PASSWORD);
    store.users.add('counter', 'viewer', PASSWORD);
    const token = store.users.createToken('nurse');
    await fetch(`http://127.0.0.1:${running.port}/api/pathways`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'referral_received',
        on: '2026-11-02',
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: '9990000018',
        patientName: 'Demo Patient',
      }),
    });
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
        `--host-resolver-rules=MAP ${HOST} 127.0.0.1, MAP * ~NOTFOUND`,
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('loads over plain HTTP at a network name: no upgrade to https, scripts and styles load, sign-in works', async () => {
    const page = await signedIn('admin');
    expect(await page.evaluate(() => location.protocol)).toBe('http:');
    expect(await page.$eval('[data-tile="open"] .openptl-tile__number', (e) => e.textContent)).toBe('1');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("an admin adds a user and disables another; the disabled user's open dashboard goes back to sign-in", async () => {
    const nurse = await signedIn('nurse');
    expect(await nurse.isHidden('a[href="#/users"]')).toBe(true); // admins only
    const admin = await signedIn('admin');
    await admin.click('a[href="#/users"]');
    await admin.waitForSelector('#users tbody tr');
    await admin.fill('#new-name', 'porter');
    await admin.selectOption('#new-role', 'viewer');
    await admin.fill('#new-password', 'password1234');
    await admin.click('#add-user button[type=submit]');
    await admin.waitForSelector('#users-error');
    expect(await admin.textContent('#users-error')).toContain('commonly used password');
    await admin.fill('#new-name', 'porter');
    await admin.fill('#new-password', 'fenland-otter-sprocket');
    await admin.click('#add-user button[type=submit]');
    await admin.waitForSelector('tr[data-user="porter"]');
    await admin.fill('tr[data-user="porter"] [name="providers"]', 'raj, rq8');
    await admin.click('tr[data-user="porter"] [data-field="providers"] button');
    // The confirmation of this change, not the one before it ("porter is added") still shown.
    await admin.waitForFunction(() => document.querySelector('#users-done')?.textContent?.includes('now sees'));
    expect(await admin.textContent('#users-done')).toContain('porter now sees RAJ, RQ8');
    expect(store.users.list().find((u) => u.name === 'porter')?.providers).toEqual(['RAJ', 'RQ8']);
    await admin.click('tr[data-user="nurse"] [data-action="disable"]');
    await admin.waitForFunction(
      () => document.querySelector('tr[data-user="nurse"] [data-field="status"]')?.textContent === 'Disabled',
    );
    await nurse.waitForSelector('#sign-in', { timeout: 5000 });
    await admin.selectOption('#token-user', 'porter');
    await admin.click('#add-token button[type=submit]');
    await admin.waitForSelector('#new-token-secret');
    expect(await admin.textContent('#new-token-secret')).toMatch(/^optl_/);
    expect(await admin.$$eval('#tokens tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    await nurse.close();
    await admin.close();
  }, 60_000);

  it('shows who viewed which pathway on the Audit page, with no patient details', async () => {
    const admin = await signedIn('admin');
    const [pathwayId] = store.ptl.page({}, '2026-11-24').entries.map((e) => e.pathwayId);
    await admin.goto(`${base}/#/pathway/${pathwayId}`);
    await admin.waitForSelector('[data-summary="Stage"]');
    await admin.goto(`${base}/#/audit?action=pathway_viewed`);
    await admin.waitForSelector('#audit tbody tr');
    const row = await admin.textContent('#audit tbody tr');
    expect(row).toContain('user:admin');
    expect(row).toContain('pathway viewed');
    const table = await admin.textContent('#audit');
    expect(table).not.toContain('9990000018');
    expect(table).not.toContain('Demo Patient');
    const violations = await (async () => {
      await admin.evaluate(readFileSync(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8'));
      return admin.evaluate(async () => {
        const axe = (
          window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string }[] }> } }
        ).axe;
        return (
          await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] } })
        ).violations.map((v) => v.id);
      });
    })();
    expect(violations).toEqual([]);
    await admin.goto(`${base}/#/users`);
    await admin.waitForSelector('#users tbody tr');
    await admin.evaluate(readFileSync(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8'));
    expect(
      await admin.evaluate(async () => {
        const axe = (
          window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string }[] }> } }
        ).axe;
        return (
          await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] } })
        ).violations.map((v) => v.id);
      }),
    ).toEqual([]);
    await admin.close();
  }, 60_000);

  it('answers "who saw this patient" by NHS number on the Audit page, and flags a user\'s unusual hour (issue #25)', async () => {
    const steward = await signedIn('steward');
    await steward.fill('#search-q', 'Demo');
    await steward.click('#search button[type=submit]');
    await steward.waitForSelector('text=Demo Patient');
    await steward.close();
    store.settings.set('auditPatientsPerHour', '0');
    const admin = await signedIn('admin');
    await admin.goto(`${base}/#/audit`);
    await admin.waitForSelector('#audit-volumes [data-flag="user:steward"]');
    await admin.fill('#a-nhsNumber', '999 000 0018');
    await admin.click('#audit-filters button[type=submit]');
    await admin.waitForFunction(() => document.querySelector('#audit-pathways')?.textContent?.includes('pathways'));
    const rows = await admin.$$eval('#audit tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.some((r) => r.includes('user:steward') && /patients searched/i.test(r))).toBe(true);
    store.settings.set('auditPatientsPerHour', '500');
    await admin.close();
  }, 60_000);

  it('a first-release user with a weak password signs in only to change it, then works as before (issue #25)', async () => {
    // The row as a first release left it: a password set before the policy, not yet checked against it.
    const sql = openDb(dbFile);
    sql
      .prepare(
        "INSERT INTO users (name, role, password_hash, created_at, password_checked) VALUES ('oldtimer', 'tracker', ?, '2025-01-01T00:00:00Z', 0)",
      )
      .run(hashPassword('password'));
    sql.close();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${base}/`);
    await page.fill('#name', 'oldtimer');
    await page.fill('#password', 'password');
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#change-password');
    expect(await page.isHidden('#nav')).toBe(true);
    await page.fill('#current-password', 'password');
    await page.fill('#new-password', 'password123456');
    await page.click('#change-password button[type=submit]');
    await page.waitForSelector('#password-error:not([hidden])');
    await page.fill('#current-password', 'password');
    await page.fill('#new-password', 'fenland-otter-sprocket');
    await page.click('#change-password button[type=submit]');
    await page.waitForSelector('[data-tile="open"]');
    expect(store.users.authenticate('oldtimer', 'fenland-otter-sprocket')).toMatchObject({
      passwordChangeRequired: false,
    });
    await page.close();
  }, 60_000);

  it('a viewer sees counts only: no PTL, search or patient lists in the navigation (issue #25)', async () => {
    const counter = await signedIn('counter');
    for (const hidden of ['a[href="#/ptl"]', 'a[href="#/mdt"]', '#nav-inbox', '#add-referral', '#search'])
      expect(await counter.isHidden(hidden), hidden).toBe(true);
    await counter.close();
  }, 60_000);

  it('runs no script from 7 payloads stored in 9 free-text fields, on the pathway page or the Audit page', async () => {
    const payloads = [
      '<script>window.__xss=1</script>',
      '<img src=x onerror="window.__xss=1">',
      '"><svg onload=window.__xss=1>',
      "'-alert(1)-'",
      'javascript:window.__xss=1',
      '{{constructor.constructor("window.__xss=1")()}}',
      '<iframe srcdoc="<script>parent.__xss=1</script>">',
    ];
    const token = store.users.createToken('admin');
    const post = async (path: string, body: unknown) =>
      (
        await fetch(`http://127.0.0.1:${running.port}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json() as Promise<{ pathwayId: string }>;
    const ids: string[] = [];
    for (const p of payloads) {
      const { pathwayId } = await post('/api/pathways', {
        type: 'referral_received',
        on: '2026-11-03',
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: '9990000018',
        patientName: p,
        referrer: p,
      });
      const events = [
        { type: 'triaged', on: '2026-11-04', outcome: 'straight_to_test' },
        { type: 'test_requested', on: '2026-11-05', test: p },
        { type: 'test_reported', on: '2026-11-06', test: p, result: p },
        { type: 'mdt_discussed', on: '2026-11-07', outcome: p },
        { type: 'patient_cancelled', on: '2026-11-08', note: p },
        { type: 'removed', on: '2026-11-09', reason: 'other', note: p },
      ];
      for (const [i, event] of events.entries())
        await post(`/api/pathways/${pathwayId}/events`, { expectedVersion: i + 1, event });
      ids.push(pathwayId);
    }
    await fetch(`http://127.0.0.1:${running.port}/api/audit?user=${encodeURIComponent(payloads[1]!.slice(0, 60))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = await signedIn('admin');
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    for (const id of ids) {
      await page.goto(`${base}/#/pathway/${id}`);
      await page.waitForSelector('.openptl-timeline li');
      // The heading starts with the name, as text (lit-html's marker, a comment, comes before it).
      const heading = () =>
        [...(document.querySelector('h1')?.childNodes ?? [])]
          .find((n) => n.nodeType !== Node.COMMENT_NODE)
          ?.textContent?.trim();
      const expected = payloads[ids.indexOf(id)]!.trim();
      // The previous pathway's page may still be showing on a loaded machine: wait for this one's.
      await page
        .waitForFunction((want) => document.querySelector('h1')?.textContent?.includes(want), expected, {
          timeout: 10_000,
        })
        .catch(() => {});
      expect(await page.evaluate(heading)).toBe(expected);
    }
    await page.goto(`${base}/#/audit`);
    await page.waitForSelector('#audit tbody tr');
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  }, 90_000);

  it("defaults an event's date to today in England as the server counts it, never the browser's UTC date (00:30 on a summer night)", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.clock.setFixedTime(new Date('2026-06-10T23:30:00Z')); // 00:30 on 11 June in London
    await page.routeWebSocket(/\/live$/, (ws) => ws.close()); // no live counts: the form asks the server (/healthz) for today
    await page.goto(base);
    await page.fill('#name', 'admin');
    await page.fill('#password', PASSWORD);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('[data-tile="open"]');
    const [pathwayId] = store.ptl.page({}, '2026-11-24').entries.map((e) => e.pathwayId);
    await page.goto(`${base}/#/pathway/${pathwayId}`);
    await page.click('[data-event="triaged"]');
    // The server's clock says 24 Nov 2026 (Europe/London); the browser's says 10 Jun 2026 in UTC.
    await page.waitForSelector('#ev-on-day');
    expect([
      await page.inputValue('#ev-on-day'),
      await page.inputValue('#ev-on-month'),
      await page.inputValue('#ev-on-year'),
    ]).toEqual(['24', '11', '2026']);
    await page.close();
  }, 60_000);
});
