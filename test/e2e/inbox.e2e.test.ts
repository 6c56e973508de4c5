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

  it('lists the proposals; one edited then accepted reaches its pathway, one rejected keeps its reason', async () => {
    await page.click('#nav-inbox');
    await page.waitForSelector('#inbox tbody tr');
    expect(
      await page.$$eval('#inbox tbody tr [data-field="proposed"]', (cells) => cells.map((c) => c.textContent)),
    ).toEqual([
      'appointment booked for 2026-11-30 (first), booked 2026-11-24',
      'first seen 2026-11-23 in clinic RESP1',
      'did not attend (first appointment) 2026-11-20',
    ]);
    if (process.env.UPDATE_SCREENSHOTS)
      await page.screenshot({ path: join(import.meta.dirname, '../../docs/inbox.png'), fullPage: true });
    const [booking, arrival] = store.inbox.open();
    await page.click(`[data-edit="${booking!.proposalId}"]`);
    await page.selectOption('#edit-appointment', 'subsequent');
    await page.click('#edit-form button[type=submit]');
    await page.waitForFunction((id) => !document.querySelector(`[data-proposal="${id}"]`), booking!.proposalId);
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

  it('shows why a proposal could not be accepted on its row, and accepts the rest in bulk', async () => {
    send({ type: 'ADT^A04', id: 'A2', nhs: '9990000018', arrived: '202611261000' }); // dated after today: a slip at the PAS
    await page.goto(`${base}/#/`);
    await page.goto(`${base}/#/inbox`);
    await page.waitForFunction(() => document.querySelectorAll('#inbox tbody tr').length === 2);
    await page.check('#select-all');
    await page.click('#accept-selected');
    await page.waitForSelector('#inbox-error:not([hidden])');
    expect(await page.textContent('#inbox-error-message')).toBe('1 of 2 could not be accepted; each shows why.');
    expect(await page.textContent('[data-field="refusal"]')).toContain(
      'Not accepted: on: 26 Nov 2026 is after the as-of date (24 Nov 2026; today, when entered)',
    );
    expect(store.log.ofPathway('P3').at(-1)!.event).toMatchObject({ type: 'dna' });
    await page.waitForFunction(() => document.querySelector('#inbox-count')?.textContent === '1');
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
