// Timed pathways in Chromium (issue #26): the Timed pathways page (prostate first, every number a
// link to the patients behind it, FIT by week and the referrals to review), the PTL's milestone
// column and filter, a pathway's milestones, and a referral with a FIT result; axe finds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, fillDate, hasChromium, signIn, startDashboard, text, type Dashboard } from './support.ts';

let dash: Dashboard;
let page: Page;

describe.skipIf(!hasChromium)('timed pathways in Chromium at 1366x768', () => {
  beforeAll(async () => {
    dash = await startDashboard();
    page = await dash.newPage();
    await signIn(page, dash.base);
  }, 120_000);
  afterAll(async () => {
    await dash?.close();
  });

  it('shows where the days go, prostate first, each number leading to the patients behind it', async () => {
    await page.click('#nav a[href="#/timed"]');
    await page.waitForSelector('section[data-pathway] table', { timeout: 100_000 });
    expect(await page.getAttribute('#nav a[href="#/timed"]', 'aria-current')).toBe('page');
    const sections = await page.$$eval('section[data-pathway]', (s) => s.map((e) => e.getAttribute('data-pathway')));
    expect(sections[0]).toBe('prostate');
    const api = await dash.get<{ pathways: { pathway: string; slowestStep: string | null; steps: any[] }[] }>(
      '/api/timed-pathways?weeks=4',
    );
    const prostate = api.pathways.find((p) => p.pathway === 'prostate')!;
    const rows = await page.$$eval('section[data-pathway="prostate"] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim().replace(/\s+/g, ' '))),
    );
    expect(rows.map((r) => [r[0], Number(r[2]), Number(r[3]!.split(' ')[0]), Number(r[4]), Number(r[5])])).toEqual(
      prostate.steps.map((s) => [s.name, s.due, s.met, s.metLate, s.late]),
    );
    if (prostate.slowestStep)
      expect(await text(page, 'section[data-pathway="prostate"] .openptl-slowest')).toContain(prostate.slowestStep);
    // Where each day comes from, marked when no national document gives it.
    await page.click('section[data-pathway="prostate"] summary');
    expect(await text(page, 'section[data-pathway="prostate"] details')).toMatch(/Not confirmed: a trust sets it/);
    expect(await axeViolations(page)).toEqual([]);

    // The last 12 weeks, and the patients behind its largest number.
    await page.click('a[href="#/timed?weeks=12"]');
    // The 12 weeks drawn, not the 4 still on the page while they are counted.
    await page.waitForSelector('a.openptl-view[href="#/timed?weeks=12"][aria-current="page"]', { timeout: 100_000 });
    const link = await page.$$eval(
      'section[data-pathway] tbody a',
      (as) =>
        as.map((a) => ({ href: a.getAttribute('href')!, n: Number(a.textContent) })).sort((a, b) => b.n - a.n)[0]!,
    );
    await page.click(`a[href="${link.href}"]`);
    await page.waitForSelector('#timed-patients');
    expect(await page.$$eval('#timed-patients tbody tr', (trs) => trs.length)).toBe(link.n);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#timed-patients tbody a');
    await page.waitForSelector('#milestones');
    expect(await page.$$eval('#milestones tbody tr', (trs) => trs.length)).toBeGreaterThan(0);
  }, 120_000); // the first read of the statistics counts every pathway of the last weeks, giving way as it goes

  it('gives the share of lower GI referrals with a FIT result by week, and the referrals to review', async () => {
    await page.goto(`${dash.base}/#/timed`);
    await page.waitForSelector('#fit-weeks');
    const fit = await dash.get<{ weeks: { referrals: number; withResult: number }[]; review: unknown[] }>(
      '/api/timed-pathways/fit?weeks=12',
    );
    const cells = await page.$$eval('#fit-weeks tbody tr', (trs) =>
      trs.map((tr) => tr.querySelectorAll('td')[0]!.textContent),
    );
    expect(cells.map(Number)).toEqual(fit.weeks.map((w) => w.referrals));
    expect(fit.weeks.reduce((s, w) => s + w.withResult, 0)).toBeGreaterThan(0);
    expect(await text(page, '#fit h3')).toContain(`(${fit.review.length})`);
  }, 120_000);

  it('filters the PTL on the next milestone, late or at risk, marked red or amber', async () => {
    await page.goto(`${dash.base}/#/ptl`);
    await page.waitForSelector('#ptl tbody tr');
    expect(await page.$$eval('#ptl thead th', (ths) => ths.map((t) => t.textContent))).toContain('Next milestone');
    for (const [value, words, tag] of [
      ['late', 'Late', 'red'],
      ['at_risk', 'At risk', 'orange'],
    ] as const) {
      await page.selectOption('#f-milestone', value);
      await page.click('#filters button[type=submit]');
      await page.waitForFunction((v) => location.hash.includes(`milestone=${v}`), value);
      // The list drawn for this filter, not the one before it still on the page.
      await page.waitForFunction((v) => {
        const tags = [...document.querySelectorAll('#ptl tbody [data-milestone-status]')];
        return tags.length > 0 && tags.every((t) => t.getAttribute('data-milestone-status') === v);
      }, value);
      await page.waitForSelector('#ptl-count:not(:empty)');
      const api = await dash.get<{ entries: { pathwayId: string }[] }>(`/api/ptl?milestone=${value}&limit=100`);
      const shown = await page.$$eval('#ptl tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-pathway')));
      expect(shown).toEqual(api.entries.map((e) => e.pathwayId));
      expect(shown.length).toBeGreaterThan(0);
      const tags = await page.$$eval('#ptl tbody [data-milestone-status]', (ts) =>
        ts.map((t) => [t.getAttribute('data-milestone-status'), t.textContent, t.className]),
      );
      expect(tags.every(([s, t, c]) => s === value && t === words && c!.includes(`nhsuk-tag--${tag}`))).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
    }
    expect(await text(page, 'h1')).toBe('Milestone at risk');
  }, 120_000);

  it('adds a lower GI referral with a FIT result below 10: taken, shown, and listed for review', async () => {
    await page.goto(`${dash.base}/#/referral/new`);
    await page.waitForSelector('#referral-form');
    await page.fill('#ref-nhsNumber', '9991000143');
    await page.fill('#ref-patientName', 'Fay Tester');
    await page.check('#referral-form input[name="route"][value="urgent_suspected_cancer"]');
    await page.selectOption('#ref-tumourSite', 'lower_gi');
    await page.click('#timed-items summary');
    await page.fill('#ref-fitResult', '6');
    await fillDate(page, 'ref-fitTestedOn', '2026-11-18');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#referral-form button[type=submit]');
    await page.waitForSelector('#milestones');
    expect(await text(page, '[data-summary="FIT result"]')).toBe('6 µg Hb/g, tested 18 Nov 2026');
    expect(await text(page, '[data-summary="Timed pathway"]')).toBe('Lower GI (FIT, straight to test)');
    expect(await page.$$eval('#milestones tbody th', (ths) => ths.map((t) => t.textContent))).toEqual([
      'Triage',
      'Colonoscopy or CT colonography',
      'Communicate diagnosis',
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${dash.base}/#/timed`);
    await page.waitForSelector('#fit-review');
    expect(await text(page, '#fit-review')).toContain('Fay Tester');
  }, 120_000);

  it('asks nothing of any other origin, and meets no script error', () => {
    expect(dash.external).toEqual([]);
    expect(dash.scriptProblems).toEqual([]);
  });
});
