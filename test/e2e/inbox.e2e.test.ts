// The inbox in a real browser (Debian's Chromium): the live count in the header, accepting as
// edited, rejecting with a reason, a refusal shown on its row, accepting in bulk, and no WCAG
// 2.2 AA problems axe can find.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import type { Store } from '../../src/store/store.ts';
import { tempStore } from '../support/store.ts';
import { hl7, type MessageSpec } from '../support/hl7.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

const CHROMIUM = '/usr/bin/chromium';
let running: RunningServer;
let store: Store;
let commands: PathwayCommands;
let feed: Hl7Feed;
let browser: Browser;
let page: Page;
let base = '';
const scriptProblems: string[] = [];
const send = (spec: MessageSpec) => feed.receive(hl7({ local: null, ...spec }));

describe.skipIf(!existsSync(CHROMIUM))('the inbox in Chromium', () => {
  beforeAll(async () => {
    ({ store, commands } = tempStore('2026-11-24T10:00:00Z'));
    for (const [id, nhsNumber, name] of [
      ['P1', '9434765919', 'Ann Able'],
      ['P2', '9990000018', 'Bob Baker'],
      ['P3', '9990000026', 'Cy Cole'],
    ] as const) {
      commands.append(
        id,
        0,
        {
          type: 'referral_received',
          on: '2026-11-02',
          route: 'urgent_suspected_cancer',
          tumourSite: 'lung',
          nhsNumber,
          patientName: name,
          dateOfBirth: '1960-01-01',
        },
        { actor: 'user:setup' },
      );
    }
    feed = new Hl7Feed(store, commands, store.clock);
    send({ type: 'SIU^S12', id: 'B1', start: '202611301000' });
    send({ type: 'ADT^A04', id: 'A1', nhs: '9990000018', arrived: '202611231000', clinic: 'RESP1' });
    running = await startServer({
      store,
      clock: store.clock,
      logger: createLogger({ level: 'silent' }),
      port: 0,
      hub: { coalesceMs: 5, rolloverCheckMs: 50 },
    });
    base = `http://127.0.0.1:${running.port}`;
    store.users.add('tracker', 'tracker', 'tracker-password');
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
    await page.goto(base);
    await page.fill('#name', 'tracker');
    await page.fill('#password', 'tracker-password');
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('[data-tile="open"]');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('shows the count of waiting proposals in the header, live', async () => {
    await page.waitForFunction(() => document.querySelector('#inbox-count')?.textContent === '2');
    send({ type: 'SIU^S26', id: 'D1', nhs: '9990000026', start: '202611200900' });
    await page.waitForFunction(() => document.querySelector('#inbox-count')?.textContent === '3', undefined, {
      timeout: 10_000,
    });
  });

  it('lists the proposals in words beside what is booked now; one edited in its row then accepted says so, with a link to the pathway; one rejected keeps its reason', async () => {
    await page.click('#nav-inbox');
    await page.waitForSelector('#inbox tbody tr');
    expect(
      await page.$$eval('#inbox tbody tr [data-field="proposed"]', (cells) => cells.map((c) => c.textContent)),
    ).toEqual([
      'First appointment booked for 30 Nov 2026',
      'First seen on 23 Nov 2026, clinic RESP1',
      'Did not attend the first appointment on 20 Nov 2026',
    ]);
    expect(await page.textContent('#inbox tbody tr:first-child')).toContain('New booking, PAS');
    expect(await page.textContent('#inbox tbody')).not.toMatch(/SIU\^|\d{4}-\d{2}-\d{2}/);
    if (process.env.UPDATE_SCREENSHOTS)
      await page.screenshot({ path: join(import.meta.dirname, '../../docs/inbox.png'), fullPage: true });
    const [booking, arrival] = store.inbox.open();
    await page.click(`[data-edit="${booking!.proposalId}"]`);
    // the pathway page's own form, in the row: labels in words, dates as day, month, year
    const form = `[data-proposal="${booking!.proposalId}"] + tr #edit-form`;
    await page.waitForSelector(form);
    expect(await page.textContent(form)).toContain('Appointment date');
    expect(await page.inputValue('#edit-appointmentOn-day')).toBe('30');
    expect(await page.$$eval('#edit-form input[type=date]', (d) => d.length)).toBe(0);
    await page.check('#edit-appointment-1'); // a later appointment
    await page.click('#edit-submit');
    await page.waitForSelector('#saved');
    expect(await page.textContent('#saved')).toContain('Accepted as edited: Later appointment booked for 30 Nov 2026.');
    expect(await page.getAttribute('#saved-pathway', 'href')).toBe('#/pathway/P1');
    expect(await page.$(`[data-proposal="${booking!.proposalId}"]`)).toBeNull();
    expect(store.log.ofPathway('P1').at(-1)).toMatchObject({
      actor: 'user:tracker',
      event: { type: 'appointment_booked', appointment: 'subsequent' },
      source: { messageControlId: 'B1' },
    });
    await page.click(`[data-reject="${arrival!.proposalId}"]`);
    await page.fill('#reject-reason', 'a respiratory follow-up, not this pathway');
    await page.click('#reject-form button[type=submit]');
    await page.waitForFunction((id) => !document.querySelector(`[data-proposal="${id}"]`), arrival!.proposalId);
    expect(store.inbox.proposal(arrival!.proposalId)).toMatchObject({
      status: 'rejected',
      reason: 'a respiratory follow-up, not this pathway',
    });
    await page.waitForFunction(() => document.querySelector('#inbox-count')?.textContent === '1');
  });

  it('asks which appointment a missed one was when nothing is booked that day, shows a refusal on its row, and accepts the rest in bulk', async () => {
    send({ type: 'ADT^A04', id: 'A2', nhs: '9990000018', arrived: '202611261000' }); // dated after today: a slip at the PAS
    await page.goto(`${base}/#/`);
    await page.goto(`${base}/#/inbox`);
    await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 2);
    const [dna] = store.inbox.open();
    const row = `[data-proposal="${dna!.proposalId}"]`;
    expect(await page.textContent(`${row} [data-field="booked"]`)).toMatch(
      /Nothing booked on 20 Nov 2026\s+Which appointment was it\?/,
    );
    expect(await page.isDisabled(`${row} [data-select]`)).toBe(true);
    expect(await page.$(`${row} [data-accept]`)).toBeNull();
    await page.check('#select-all');
    await page.click('#accept-selected');
    await page.waitForSelector('#inbox-error:not([hidden])');
    expect(await page.textContent('#inbox-error-message')).toBe('1 of 1 could not be accepted; each shows why.');
    expect(await page.textContent('[data-field="refusal"]')).toContain(
      'Not accepted: on: 26 Nov 2026 is after the as-of date (24 Nov 2026; today, when entered)',
    );
    await page.click(`${row} [data-edit]`);
    await page.waitForSelector('#edit-form');
    await page.click('#edit-submit'); // nothing chosen: the form asks
    await page.waitForSelector('#edit-errors');
    expect(await page.textContent('#edit-errors')).toContain('Which appointment must be filled in');
    await page.check('#edit-appointment-0');
    await page.click('#edit-submit');
    await page.waitForSelector('#saved');
    expect(store.log.ofPathway('P3').at(-1)!.event).toMatchObject({ type: 'dna', appointment: 'first' });
    await page.waitForFunction(() => document.querySelector('#inbox-count')?.textContent === '1');
  });

  it('counts and lists messages that matched no open pathway, and a tracker links one to its pathway', async () => {
    send({ type: 'SIU^S12', id: 'U1', nhs: '9990000034', name: 'COLE^Cy', start: '202612011000' });
    await page.goto(`${base}/#/`);
    await page.goto(`${base}/#/inbox`);
    await page.waitForSelector('#unmatched-messages');
    expect(await page.textContent('#unmatched-count')).toBe('1');
    expect(await page.textContent('#unmatched-messages tbody')).toContain('New booking, 1 Dec 2026');
    await page.click('[data-link]');
    await page.waitForSelector('#link-form');
    await page.fill('#link-q', 'Cy Cole');
    await page.click('#link-form button[type=submit]');
    await page.waitForSelector('[data-link-to="P3"]');
    await page.click('[data-link-to="P3"]');
    await page.waitForSelector('#saved');
    expect(await page.textContent('#saved')).toContain('Linked: 1 proposal now wait above.');
    expect(await page.textContent('#unmatched-count')).toBe('0');
    const linked = store.inbox.open().find((p) => p.pathwayId === 'P3');
    expect(linked?.event).toMatchObject({ type: 'appointment_booked', appointmentOn: '2026-12-01' });
  });

  it('finds kept messages by NHS number', async () => {
    await page.fill('#s-nhs', '999 000 0018');
    await page.click('#message-search button[type=submit]');
    await page.waitForSelector('#message-results');
    expect(await page.$$eval('#message-results tbody tr', (rows) => rows.length)).toBe(2);
  });

  it('has no WCAG 2.2 AA violations that axe can find, and no script errors', async () => {
    await page.evaluate(readFileSync(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
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
    expect(violations).toEqual([]);
    expect(scriptProblems).toEqual([]);
  });
});
