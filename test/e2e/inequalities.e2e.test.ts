// Who waits longest in Chromium (issue #27): the Inequalities page for a tracker (the whole
// figures, Core20 marked, the link to the Core20 patients over 62 days on the PTL) and for a viewer
// (suppressed: no count from 1 to 7, no postcode, no link to patients); filters; axe finds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, hasChromium, signIn, startDashboard, text, type Dashboard } from './support.ts';

let dash: Dashboard;
let page: Page;

type Split = { suppressed: boolean; groups: { group: string; open: number | null; over104: number | null }[] };

/** Each row's group, open count and over-104 count as the page shows them (* for suppressed). */
async function backlogRows(p: Page): Promise<[string, string, string][]> {
  return p.$$eval('#inequality-backlog tbody tr', (trs) =>
    trs.map((tr) => {
      const cells = tr.querySelectorAll('td');
      const shown = (i: number) => (cells[i]!.textContent ?? '').trim().replace(/\s*\(suppressed\)/, '');
      return [tr.getAttribute('data-group')!, shown(0), shown(2)];
    }),
  );
}

const asShown = (n: number | null) => (n === null ? '*' : String(n));

describe.skipIf(!hasChromium)('the Inequalities page in Chromium at 1366x768', () => {
  beforeAll(async () => {
    dash = await startDashboard();
    page = await dash.newPage();
    await signIn(page, dash.base);
  }, 120_000);
  afterAll(async () => {
    await dash?.close();
  });

  it('shows a tracker the whole figures by deprivation quintile, Core20 marked, and lists the Core20 patients over 62 days', async () => {
    await page.click('#nav a[href="#/inequalities"]');
    await page.waitForSelector('#inequality-backlog tbody tr');
    expect(await page.getAttribute('#nav a[href="#/inequalities"]', 'aria-current')).toBe('page');
    const api = await dash.get<Split>('/api/inequalities?by=deprivation');
    expect(api.suppressed).toBe(false);
    const rows = await backlogRows(page);
    expect(rows.slice(0, -1)).toEqual(api.groups.map((g) => [g.group, asShown(g.open), asShown(g.over104)]));
    expect(rows.at(-1)![0]).toBe('all');
    expect(await text(page, '#inequality-backlog tr[data-group="1"] th')).toContain('Core20');
    expect(await page.$('#suppressed')).toBeNull();
    expect(await axeViolations(page)).toEqual([]);

    // Another split and a tumour site.
    await page.selectOption('#i-by', 'age');
    await page.selectOption('#i-tumourSite', 'lung');
    await page.click('#inequality-filters button[type=submit]');
    await page.waitForFunction(
      () => location.hash.includes('by=age') && document.querySelector('tr[data-group="80+"]'),
    );
    const lung = await dash.get<Split>('/api/inequalities?by=age&tumourSite=lung');
    expect((await backlogRows(page)).slice(0, -1).map((r) => r[1])).toEqual(lung.groups.map((g) => asShown(g.open)));
    expect(await axeViolations(page)).toEqual([]);

    // The Core20 patients over 62 days, on the PTL with its filter set.
    await page.goto(`${dash.base}/#/inequalities`);
    await page.click('#core20-ptl');
    await page.waitForSelector('#f-deprivationQuintile');
    expect(await page.$eval('#f-deprivationQuintile', (s) => (s as HTMLSelectElement).value)).toBe('1');
    expect(await page.$eval('#f-breached', (s) => (s as HTMLSelectElement).value)).toBe('true');
  });

  it('shows a viewer only the suppressed figures: no count from 1 to 7, no postcode, no link to patients', async () => {
    const viewer = await dash.newPage();
    await signIn(viewer, dash.base, 'viewer');
    await viewer.goto(`${dash.base}/#/inequalities?by=ethnicity`);
    await viewer.waitForSelector('#inequality-backlog tbody tr');
    expect(await text(viewer, '#suppressed')).toMatch(/count from 1 to 7 is shown as \*/);
    const suppressed = await dash.get<Split>('/api/inequalities?by=ethnicity&suppress=true');
    const rows = await backlogRows(viewer);
    expect(rows.slice(0, -1).map((r) => r[1])).toEqual(suppressed.groups.map((g) => asShown(g.open)));
    for (const [, open, over104] of rows)
      for (const shown of [open, over104])
        expect(shown === '*' || Number(shown) === 0 || Number(shown) >= 8).toBe(true);
    const page = await viewer.content();
    expect(page).not.toMatch(/\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\b/); // no postcode
    expect(await viewer.$('#core20-ptl')).toBeNull();
    expect(await axeViolations(viewer)).toEqual([]);
    expect(dash.external).toEqual([]);
    expect(dash.scriptProblems).toEqual([]);
  });
});
