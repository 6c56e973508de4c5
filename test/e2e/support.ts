// What the browser tests share: a server on an ephemeral port with a temporary database of
// synthetic history, Debian's Chromium at 1366x768, sign-in, the NHS date input, axe, and a
// record of every request to another origin (there must be none) and every script error.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { syntheticImdLookup } from '../../src/sim/equality.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { tempDir, requestsOf } from '../support/store.ts';
import { openStore } from '../../src/pathways/open.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const VIEWPORT = { width: 1366, height: 768 };
// Screenshots go to docs/ only when asked (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
export const docs = process.env.UPDATE_SCREENSHOTS ? join(import.meta.dirname, '../../docs') : tempDir();

export interface Dashboard {
  base: string;
  store: Store;
  storeFile: string;
  running: RunningServer;
  browser: Browser;
  token: string;
  reportsDir: string;
  /** Requests the pages made to any other origin: the dashboard must make none. */
  external: string[];
  /** Script errors and CSP refusals anywhere in the run. */
  scriptProblems: string[];
  newPage(): Promise<Page>;
  post<T = { pathwayId: string; version: number; eventId: string }>(path: string, body: unknown): Promise<T>;
  get<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

/** A server with six months of a small trust's history (as of 23 Nov 2026; today is 24 Nov 2026), a tracker and a viewer. */
export async function startDashboard(): Promise<Dashboard> {
  const clock = fixedClock('2026-11-24T10:00:00Z');
  const storeFile = join(tempDir(), 'e2e.db');
  const store = openStore(openDb(storeFile), clock);
  const commands = new PathwayCommands(store);
  const lines = [...simulate({ referralsPerMonth: 150, months: 6, seed: 5, asOf: '2026-11-23' })];
  commands.appendMany(requestsOf(lines, 'demo'));
  store.settings.set('trustName', 'Mid Example NHS Foundation Trust');
  store.imd.replace(syntheticImdLookup(), { file: 'synthetic', loadedAt: '2026-11-24T09:00:00Z', loadedBy: 'test' }); // issue #27
  const reportsDir = join(tempDir(), 'reports');
  mkdirSync(reportsDir, { recursive: true });
  const running = await startServer({
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    port: 0,
    hub: { coalesceMs: 5, rolloverCheckMs: 50 },
    reportsDir,
  });
  const base = `http://127.0.0.1:${running.port}`;
  store.users.add('tracker', 'tracker', 'tracker-password');
  store.users.add('viewer', 'viewer', 'viewer-password');
  store.users.add('steward', 'steward', 'steward-password');
  const token = store.users.createToken('tracker');
  const browser = await chromium.launch({
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
  const external: string[] = [];
  const scriptProblems: string[] = [];
  const same = (url: string) =>
    url.startsWith(`${base}/`) || url.startsWith(`ws://127.0.0.1:${running.port}/`) || /^(data|blob|about):/.test(url);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    base,
    store,
    storeFile,
    running,
    browser,
    token,
    reportsDir,
    external,
    scriptProblems,
    async newPage() {
      const page = await browser.newPage({ viewport: VIEWPORT, acceptDownloads: true });
      page.on('request', (r) => {
        if (!same(r.url())) external.push(r.url());
      });
      page.on('websocket', (ws) => {
        if (!same(ws.url())) external.push(ws.url());
      });
      page.on('pageerror', (err) => scriptProblems.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy|module script/i.test(msg.text()))
          scriptProblems.push(msg.text());
      });
      return page;
    },
    async post(path, body) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = await res.json();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    async get(path) {
      const res = await fetch(`${base}${path}`, { headers });
      return (await res.json()) as never;
    },
    async close() {
      await browser.close();
      await running.close();
    },
  };
}

export async function signIn(page: Page, base: string, name = 'tracker', password = `${name}-password`): Promise<void> {
  await page.goto(base);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('[data-tile="over62"]');
}

/** Types an ISO date into an NHS date input (day, month, year) whose id is `id`. */
export async function fillDate(page: Page, id: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-');
  await page.fill(`#${id}-day`, String(Number(d)));
  await page.fill(`#${id}-month`, String(Number(m)));
  await page.fill(`#${id}-year`, y!);
}

/** WCAG 2.2 AA violations axe finds on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8')); // not subject to the page's CSP
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (c: Document, o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map(
      (v) =>
        `${v.id} (${v.nodes.length}: ${v.nodes
          .slice(0, 2)
          .map((n) => n.target.join(' '))
          .join(', ')})`,
    );
  });
}

/** The text of the element, trimmed. */
export async function text(page: Page, selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? '').trim().replace(/\s+/g, ' ');
}
