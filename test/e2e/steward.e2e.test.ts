// The steward's dashboard and the admin pages, second round (#28 items 10 to 12), in Chromium at
// 1366x768: the trend over 90 days, 6 or 12 months; performance by tumour site and by provider;
// the patients due to breach in the next 7 and 14 days; the latest nightly report from the page;
// on the Users page a disabled user marked, a role change confirmed, focus on a new token's
// secret; Audit times in UK time; with no request to another origin, no script error and nothing axe can find.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, hasChromium, signIn, startDashboard, text, type Dashboard } from './support.ts';

let dash: Dashboard;
let page: Page;

describe.skipIf(!hasChromium)("the steward's dashboard and the admin pages (#28)", () => {
  beforeAll(async () => {
    dash = await startDashboard();
    page = await dash.newPage();
  }, 120_000);
  afterAll(async () => dash?.close());

  it('offers the trend over 90 days, 6 months and 12 months', async () => {
    await signIn(page, dash.base, 'steward');
    await page.waitForSelector('#trend-days');
    const chartPoints = () =>
      page.evaluate(() => {
        const chart = (window as any).Chart.getChart(document.getElementById('trend-chart'));
        return chart.data.labels.length as number;
      });
    expect(await chartPoints()).toBe(90);
    expect(await page.$$eval('#trend-days option', (os) => os.map((o) => o.textContent))).toEqual([
      '90 days',
      '6 months',
      '12 months',
    ]);
    await page.selectOption('#trend-days', '365');
    await page.waitForFunction(() => document.getElementById('trend-heading')?.textContent?.includes('12 months'));
    expect(await text(page, '#trend-heading')).toBe('Patients over 62 days, last 12 months');
    expect(await chartPoints()).toBe(365);
    // The last point is today's count, as the tile says.
    const last = await page.evaluate(() => {
      const chart = (window as any).Chart.getChart(document.getElementById('trend-chart'));
      return chart.data.datasets[0].data.at(-1) as number;
    });
    expect(String(last)).toBe(await text(page, '[data-tile="over62"] .openptl-tile__number'));
    await page.selectOption('#trend-days', '183');
    await page.waitForFunction(() => document.getElementById('trend-heading')?.textContent?.includes('6 months'));
    expect(await chartPoints()).toBe(183);
  }, 60_000);

  it('shows performance by tumour site and by provider, as /api/performance counts it, for either month', async () => {
    await page.waitForSelector('#performance-by-site tbody tr');
    const perf = await dash.get<any>('/api/performance');
    const sites = Object.keys(perf.monthToDate.standards.d62).filter((k) => k !== 'all');
    expect(sites.length).toBeGreaterThan(1);
    const site = sites[0]!;
    const d62 = perf.monthToDate.standards.d62[site];
    expect(await text(page, `#performance-by-site tr[data-site="${site}"] [data-standard="d62"]`)).toContain(
      `(${d62.met} of ${d62.stopped})`,
    );
    const providers = Object.keys(perf.monthToDate.d62ByProvider);
    expect(
      await page.$$eval('#performance-by-provider tbody tr', (rows) =>
        rows.map((r) => r.getAttribute('data-provider')),
      ),
    ).toEqual([...providers].sort());
    await page.selectOption('#performance-period', 'lastMonth');
    await page.waitForFunction(() =>
      document.querySelector('#performance-by-site caption')?.textContent?.includes('to 31 Oct 2026'),
    );
    const provider = Object.keys(perf.lastMonth.d62ByProvider)[0]!;
    const last = perf.lastMonth.d62ByProvider[provider];
    expect(await text(page, `#performance-by-provider tr[data-provider="${provider}"]`)).toContain(
      `(${last.met} of ${last.stopped})`,
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('performance-period');
  }, 60_000);

  it('counts the patients due to breach in the next 7 and 14 days, each a link to them on the PTL', async () => {
    await page.waitForSelector('[data-due="14"]');
    const totals = await Promise.all(
      [7, 14].map(async (d) => (await dash.get<{ total: number }>(`/api/ptl?breachWithin=${d}&limit=1`)).total),
    );
    expect(totals[1]).toBeGreaterThan(0);
    expect(totals[1]).toBeGreaterThanOrEqual(totals[0]!);
    expect(await text(page, '[data-due="7"]')).toBe(`${totals[0]} in the next 7 days`);
    expect(await text(page, '[data-due="14"]')).toBe(`${totals[1]} in the next 14 days`);
    await page.click('[data-due="14"]');
    await page.waitForSelector('#ptl tbody tr');
    expect(await text(page, 'h1')).toBe('Due to breach in the next 14 days');
    await page.waitForFunction(() => /\d/.test(document.getElementById('ptl-total')?.textContent ?? ''));
    expect(await text(page, '#ptl-total')).toBe(`${totals[1]} ${totals[1] === 1 ? 'patient' : 'patients'}`);
    const breachDates = await page.$$eval('#ptl tbody .openptl-col-breachDate', (els) => els.map((e) => e.textContent));
    const asTime = (d: string | null) => new Date(`${d} UTC`).getTime();
    expect(breachDates.map(asTime)).toEqual([...breachDates].map(asTime).sort((a, b) => a - b));
    expect(breachDates.every((d) => asTime(d) > asTime('24 Nov 2026') && asTime(d) <= asTime('8 Dec 2026'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);

  it("opens the latest nightly report from the page: yesterday's, made now, when none is kept", async () => {
    await page.goto(`${dash.base}/#/`);
    await page.waitForSelector('#latest-report a');
    expect(await axeViolations(page)).toEqual([]);
    const href = await page.getAttribute('#latest-report a', 'href');
    expect(href).toBe('/api/reports/latest');
    const report = await dash.browser.newPage();
    await signIn(report, dash.base, 'steward'); // a page of its own, signed in as the link opens it

    const res = await report.goto(`${dash.base}${href}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toMatch(/^text\/html/);
    expect(await report.textContent('body')).toContain('23 Nov 2026');
    await report.close();
  }, 60_000);

  it('Users: a disabled user shown as disabled; a role change asked to be confirmed; focus on the token made (#28 item 12)', async () => {
    dash.store.users.add('admin', 'admin', 'admin-password');
    dash.store.users.add('locum', 'tracker', 'locum-password');
    dash.store.users.setDisabled('locum', true);
    const admin = await dash.newPage();
    await signIn(admin, dash.base, 'admin');
    await admin.goto(`${dash.base}/#/users`);
    await admin.waitForSelector('tr[data-user="locum"]');
    expect(await text(admin, 'tr[data-user="locum"] td:first-child')).toBe('locum Disabled: cannot sign in');
    expect(await text(admin, 'tr[data-user="locum"] [data-field="status"]')).toBe('Disabled');
    expect(await admin.$('tr[data-user="viewer"] [data-disabled]')).toBeNull();
    expect(await axeViolations(admin)).toEqual([]);
    // A role change asks first; Cancel changes nothing and puts the choice back.
    const roleOf = (name: string) => dash.store.users.list().find((u) => u.name === name)?.role;
    const select = 'tr[data-user="viewer"] select';
    await admin.selectOption(select, 'admin');
    await admin.waitForSelector('#confirm-role');
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('confirm-role');
    expect(await text(admin, '#confirm-role-text')).toBe(
      'Change viewer from viewer to admin? An admin manages users and tokens.',
    );
    expect(await axeViolations(admin)).toEqual([]);
    await admin.click('#confirm-role-no');
    expect(await admin.inputValue(select)).toBe('viewer');
    expect(roleOf('viewer')).toBe('viewer');
    await admin.selectOption(select, 'tracker');
    await admin.waitForSelector('#confirm-role');
    await admin.click('#confirm-role-yes');
    await admin.waitForSelector('#users-done');
    expect(await text(admin, '#users-done')).toBe('viewer is now a tracker.');
    expect(roleOf('viewer')).toBe('tracker');
    dash.store.users.setRole('viewer', 'viewer');
    // "Make token" at the foot of the page: the secret appears at its top, and focus goes to it.
    await admin.goto(`${dash.base}/#/users`);
    await admin.waitForSelector('#add-token');
    await admin.selectOption('#token-user', 'tracker');
    await admin.click('#add-token button[type=submit]');
    await admin.waitForSelector('#new-token-secret');
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('new-token');
    const box = await admin.$eval('#new-token', (e) => e.getBoundingClientRect());
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(768);
    // Audit times in UK local time, as the entries' instants read in Europe/London.
    await admin.goto(`${dash.base}/#/audit`);
    await admin.waitForSelector('#audit tbody tr');
    expect(await text(admin, '#audit thead th:first-child')).toBe('When (UK time)');
    const { entries } = (await (await admin.request.get(`${dash.base}/api/audit?limit=50`)).json()) as {
      entries: { at: string }[];
    };
    const uk = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const shown = await text(admin, '#audit tbody tr:first-child td:first-child');
    expect(entries.map((e) => uk.format(new Date(e.at)).replace(' at ', ', '))).toContain(shown);
    expect(shown).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    expect(await axeViolations(admin)).toEqual([]);
    await admin.close();
  }, 90_000);

  it('asks nothing of any other origin, and meets no script error', () => {
    expect(dash.external).toEqual([]);
    expect(dash.scriptProblems).toEqual([]);
  });
});
