// The stewards' Outlook page (issue #23) in Chromium: the fan chart drawn with its figures, the
// trust's target and the chance of meeting it, a lever that forecasts again and moves the line,
// the resource table bottlenecks first, the weekly flows; axe finds nothing, and no script error
// or CSP refusal happens. And the PTL's breach risk column, from the day's forecast.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, docs, fillDate, hasChromium, signIn, startDashboard, text, type Dashboard } from './support.ts';
import { join } from 'node:path';

let dash: Dashboard;
let page: Page;

/** The forecast's middle for the last week, from the figures beside the chart. */
const lastMiddle = async () => Number(await text(page, '#fan-table tbody tr:last-child [data-p50]'));

describe.skipIf(!hasChromium)('the Outlook page in Chromium', () => {
  beforeAll(async () => {
    dash = await startDashboard();
    dash.store.settings.set('forecastTarget', 'over62<20@2027-02-28');
    page = await dash.newPage();
    await signIn(page, dash.base, 'steward'); // the outlook is the stewards' (a viewer reads counts only)
  }, 120_000);
  afterAll(async () => {
    await dash?.close();
  });

  it('draws the fan chart with the target and its chance, the resources and the flows', async () => {
    await page.click('#nav a[href="#/outlook"]');
    await page.waitForSelector('#fan-table', { state: 'attached', timeout: 120_000 }); // its figures, folded away
    expect(await text(page, '#outlook-status')).toMatch(/^Forecast as at 23 Nov 2026: 200 runs, 16 weeks\.$/);
    // Drawn: Chart.js has made both charts on their canvases.
    const drawn = await page.evaluate(() => {
      const Chart = (
        window as unknown as {
          Chart: { getChart(c: Element | null): { data: { datasets: { label: string }[] } } | undefined };
        }
      ).Chart;
      return ['#fan-chart', '#flows-chart'].map(
        (id) => Chart.getChart(document.querySelector(id))?.data.datasets.map((d) => d.label) ?? [],
      );
    });
    expect(drawn[0]).toContain('Forecast, middle');
    expect(drawn[0]).toContain('Recorded');
    expect(drawn[0]).toContain('Target: fewer than 20 by 28 Feb 2027');
    expect(drawn[1]).toEqual(['Referrals in', 'First treatments, ruled out and removed (out)']);
    expect(await text(page, '#target-probability')).toMatch(/^\d+%$/);
    // 26 Sundays recorded, then 16 forecast.
    expect(await page.locator('#fan-table tbody tr').count()).toBe(26 + 16);
    expect(await page.locator('#resource-table tbody tr').count()).toBeGreaterThan(5);
    // Bottlenecks first, then the busiest; the first in plain words above the table.
    const bottlenecks = await page.$$eval('#resource-table tbody tr', (rows) =>
      rows.map((r) => r.querySelector('.nhsuk-tag') !== null),
    );
    expect(bottlenecks).toEqual([...bottlenecks].sort((a, b) => Number(b) - Number(a)));
    const first = (await text(page, '#resource-table tbody tr:first-child th')).replace(/ Bottleneck$/, '');
    expect(await text(page, '#needed li:first-child')).toMatch(
      new RegExp(`^${first.replace(/[()]/g, '\\$&')}: \\d+ a week needed, \\d+ available$`),
    );
    // Each step's days waited, as the API gives them, and what the columns mean in words.
    const api = await dash.get<{
      resources: { resource: string; waitDays: { median: number | null; p90: number | null } }[];
    }>('/api/forecast');
    const waits = await page.$$eval('#resource-table tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-resource'), r.querySelectorAll('td')[5]!.textContent]),
    );
    expect(waits).toEqual(
      api.resources.map((r) => [
        r.resource,
        r.waitDays.median === null ? '–' : `${r.waitDays.median} (${r.waitDays.p90})`,
      ]),
    );
    expect(waits.some(([, w]) => w !== '–')).toBe(true);
    // The flows' first forecast week starts with the days recorded (the as-of day is a Monday).
    const flowRows = await page.$$eval('#flows-table tbody th', (ths) => ths.map((t) => t.textContent));
    const firstForecast = flowRows.findIndex((t) => t!.includes('forecast'));
    expect(flowRows[firstForecast]).toBe('29 Nov 2026 (recorded to 23 Nov 2026, then forecast)');
    expect(flowRows[firstForecast + 1]).toBe('6 Dec 2026 (forecast)');
    await page.click('#resource-words summary');
    expect(await text(page, '#resource-words')).toMatch(/Weeks to clear: at this capacity/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(docs, 'outlook.png'), fullPage: false });
  }, 180_000);

  it('forecasts again with a lever, and the line moves', async () => {
    const before = await lastMiddle();
    const bottleneck = (await page.getAttribute('#resource-table tbody tr:first-child', 'data-resource'))!;
    await page.selectOption('#capResource', bottleneck);
    await page.fill('#capChange', '-60%');
    await page.$eval('#fan-table', (t) => t.setAttribute('data-old', ''));
    await page.click('#reforecast');
    await page.waitForFunction(() => location.hash.includes('capacity='));
    await page.waitForSelector('#fan-table:not([data-old])', { state: 'attached', timeout: 120_000 });
    expect(await page.inputValue('#capChange')).toBe('-60%'); // the lever stays as set
    expect(await lastMiddle()).toBeGreaterThan(before);
    // A lever the forecast cannot read is refused, naming it, with the levers still there to correct,
    // their lists whole, and the forecast before the change still on the page, said to be so.
    const shown = await lastMiddle();
    const choices = await page.$$eval('#capResource option', (os) => os.length);
    await page.fill('#capChange', 'lots');
    await page.click('#reforecast');
    await page.waitForSelector('#outlook-error');
    expect(await text(page, '#outlook-error')).toMatch(/is not a change: write \+20% or -30%/);
    expect(await page.getAttribute('#capChange', 'class')).toMatch(/nhsuk-input--error/);
    expect(await page.inputValue('#capChange')).toBe('lots');
    expect(await page.inputValue('#capResource')).toBe(bottleneck);
    expect(await page.$$eval('#capResource option', (os) => os.length)).toBe(choices);
    expect(await lastMiddle()).toBe(shown);
    expect(await text(page, '#outlook-status')).toMatch(/^Not forecast again\. Shown: the forecast before this change/);
    expect(await axeViolations(page)).toEqual([]);
  }, 240_000);

  it('finds the extra capacity that meets a target tried, and forecasts with it', async () => {
    // MRI (prostate) cut by 60%, then: what would it take to have fewer than 20 over 62 days by 14 March?
    await page.goto(`${dash.base}/#/outlook`);
    await page.waitForSelector('#reforecast', { timeout: 120_000 });
    await page.selectOption('#capResource', 'test:mri_prostate');
    await page.fill('#capChange', '-60%');
    await page.fill('#targetBelow', '20');
    await fillDate(page, 'targetOn', '2027-03-14');
    await page.selectOption('#solve', 'test:mri_prostate');
    await page.click('#reforecast');
    await page.waitForSelector('#solve', { timeout: 180_000 });
    expect(await text(page, '#solve h2')).toBe(
      'What it would take: fewer than 20 over 62 days by 14 Mar 2027, a chance of 80 in 100',
    );
    const answer =
      /^MRI \(prostate\): (\d+) more a week \(5 now\) meets it, a (\d+)% chance; (\d+) more, (\d+)%\./.exec(
        await text(page, '#solve li'),
      );
    expect(answer).not.toBeNull();
    const [, extra, met, fewer, missed] = answer!.map(Number);
    expect(met).toBeGreaterThanOrEqual(80);
    expect(missed).toBeLessThan(80);
    expect(fewer).toBe(extra! - 1);
    // Forecast with that much more (on top of the cut): the same runs, so the same chance of meeting it.
    await page.click('#solve a');
    await page.waitForSelector('#more-levers', { timeout: 120_000 });
    expect(await text(page, '#more-levers')).toBe(`Also forecast with: MRI (prostate) +${extra}/week.`);
    expect(await page.inputValue('#capChange')).toBe('-60%');
    expect(await text(page, '#target-probability')).toBe(`${met}%`);
    expect(await axeViolations(page)).toEqual([]);
  }, 300_000);

  it('asks for the chance chosen, and says so when no one resource alone meets the target', async () => {
    // None at all over 62 days within three weeks, half the time: more MRI alone cannot do it.
    await page.goto(`${dash.base}/#/outlook`);
    await page.waitForSelector('#reforecast', { timeout: 120_000 });
    await page.fill('#targetBelow', '1');
    await fillDate(page, 'targetOn', '2026-12-13');
    await page.selectOption('#confidence', '0.5');
    await page.selectOption('#solve', 'test:mri_prostate');
    const asked = page.waitForRequest((r) => r.url().includes('/api/forecast?'));
    await page.click('#reforecast');
    const query = new URL((await asked).url()).searchParams;
    expect([query.get('target'), query.get('confidence'), query.get('solve')]).toEqual([
      'over62<1@2026-12-13',
      '0.5',
      'test:mri_prostate',
    ]);
    await page.waitForSelector('#solve', { timeout: 180_000 });
    expect(await text(page, '#solve h2')).toMatch(/a chance of 50 in 100$/);
    expect(await text(page, '#solve li')).toMatch(/^MRI \(prostate\): even \d+ more a week \(5 now\) does not meet it/);
    expect(await text(page, '#solve-none')).toMatch(/^No one clinic, test or treatment alone brings it there/);
    expect(await page.inputValue('#confidence')).toBe('0.5'); // kept as chosen
    expect(await axeViolations(page)).toEqual([]);
    // A target past the most weeks shown unasked (26): the chart stops short, and says so.
    await page.goto(`${dash.base}/#/outlook?target=${encodeURIComponent('over62<20@2027-12-31')}`);
    // The forecast drawn for this target (26 weeks), not the one before it still on the page.
    await page.waitForFunction(
      () => document.querySelectorAll('#fan-table tbody tr[data-week]').length === 26,
      undefined,
      {
        timeout: 120_000,
      },
    );
    expect(await text(page, '#outlook p.nhsuk-body-s')).toMatch(
      /The target's date, 31 Dec 2027, is after the chart's last week: its chance is read on that date all the same\.$/,
    );
  }, 300_000);

  it("shows each open pathway's breach risk on the PTL once the day's forecast has run", async () => {
    await page.waitForFunction(
      async () => (await (await fetch('/api/ptl?limit=1')).json()).breachRiskFrom !== null,
      undefined,
      { timeout: 120_000, polling: 1000 },
    );
    await page.goto(`${dash.base}/#/ptl?sort=breachRisk&order=desc`);
    await page.waitForSelector('#ptl tbody tr [data-risk]');
    expect(await text(page, '#ptl tbody tr:first-child .openptl-col-breachRisk')).toBe('100%');
    expect(await text(page, '#ptl-risk-note')).toMatch(
      /^Breach risk: the chance of passing 62 days by 14 Mar 2027, from 200 runs of the forecast made as at 23 Nov 2026/,
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(dash.scriptProblems).toEqual([]);
    expect(dash.external).toEqual([]);
  }, 180_000);
});
