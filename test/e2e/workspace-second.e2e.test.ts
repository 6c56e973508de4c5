// The workspace, second round (issue #28) in Chromium at 1366x768: the pathway page keeps its place
// after a save and confirms beside the form, with the events the stage expects first; the referral
// corrected moves the clocks and the history keeps the original; the timeline says codes in words
// and providers by name; the MDT listing warns on another site's meeting, takes late additions, and
// takes a patient off a list, from the pathway page and from the meeting page. axe-clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, fillDate, hasChromium, signIn, startDashboard, text, type Dashboard } from './support.ts';

let dash: Dashboard;
let page: Page;
// Valid NHS numbers from the 999 range that the synthetic history does not use.
const NHS = ['9991000143', '9991000151', '9991000178'];
const referral = (nhsNumber: string, patientName: string, more: object = {}) => ({
  type: 'referral_received',
  on: '2026-11-20',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber,
  patientName,
  provider: 'RAJ',
  ...more,
});
const ids = { hal: '', ivy: '', jo: '' };
const meetings = { lung: 0, skin: 0, lateLung: 0 };
const clearSaved = () => page.evaluate(() => document.getElementById('saved')?.remove());
const open = async (id: string) => {
  await page.goto(`${dash.base}/#/`);
  await page.goto(`${dash.base}/#/pathway/${id}`);
  await page.waitForSelector('#timeline');
};

describe.skipIf(!hasChromium)('the workspace, second round, in Chromium at 1366x768', () => {
  beforeAll(async () => {
    dash = await startDashboard();
    for (const n of NHS) expect((await dash.get<{ results: unknown[] }>(`/api/search?q=${n}`)).results).toEqual([]);
    ids.hal = (await dash.post('/api/pathways', referral(NHS[0]!, 'Hal Second'))).pathwayId;
    ids.ivy = (
      await dash.post(
        '/api/pathways',
        referral(NHS[1]!, 'Ivy Coded', { priorityType: '3', nhsNumberStatus: '01', sourceOfReferral: '03' }),
      )
    ).pathwayId;
    await dash.post(`/api/pathways/${ids.ivy}/events`, {
      expectedVersion: 1,
      event: { type: 'transferred', on: '2026-11-21', toProvider: 'RQ8' },
    });
    ids.jo = (await dash.post('/api/pathways', referral(NHS[2]!, 'Jo Listed'))).pathwayId;
    const meeting = async (tumourSite: string, meetsOn: string, name: string) =>
      (await dash.post<{ meetingId: number }>('/api/mdt/meetings', { tumourSite, meetsOn, name })).meetingId;
    meetings.skin = await meeting('skin', '2026-11-25', 'Skin MDT (second round)');
    meetings.lung = await meeting('lung', '2026-11-26', 'Lung MDT (second round)');
    meetings.lateLung = await meeting('lung', '2026-11-19', 'Lung MDT last week');
    page = await dash.newPage();
    page.setDefaultTimeout(10_000); // a step that hangs fails naming itself, within the test's 30 s
    await signIn(page, dash.base);
  }, 120_000);
  afterAll(async () => {
    await dash?.close();
  });

  it('offers the events the stage expects first, near the top, and keeps its place after a save, confirming beside the form', async () => {
    await open(ids.hal);
    const first = await page.$$eval('#allowed [data-event]', (els) =>
      els.slice(0, 3).map((e) => [e.getAttribute('data-event'), e.getAttribute('data-expected')]),
    );
    expect(first).toEqual([
      ['triaged', 'yes'],
      ['appointment_booked', 'yes'],
      ['test_requested', 'yes'],
    ]);
    expect((await page.locator('#record').boundingBox())!.y).toBeLessThan(768);
    await page.locator('#note-text').scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    expect(before).toBeGreaterThan(300);
    await page.fill('#note-text', 'Chased the GP for the letter');
    await page.click('#note-form button[type=submit]');
    await page.waitForSelector('#note-saved #saved');
    expect(await text(page, '#note-saved #saved')).toContain('Comment added.');
    const after = await page.evaluate(() => window.scrollY);
    expect(Math.abs(after - before)).toBeLessThan(250);
    const box = (await page.locator('#note-saved #saved').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('saved');
    // an event: the confirmation is beside the event buttons, not at the top of the page
    await page.click('#allowed [data-event="triaged"]');
    await page.check('#ev-form input[name="outcome"][value="outpatient"]');
    await clearSaved();
    await page.click('#ev-submit');
    await page.waitForSelector('#event-saved #saved');
    expect(await text(page, '#event-saved #saved')).toContain('Triaged, 24 Nov 2026.');
    expect(await page.$('#confirmation #saved')).toBeNull();
  });

  it('corrects the referral date: the clocks move, and the history keeps the referral as first recorded beside the correction', async () => {
    await open(ids.hal);
    expect(await text(page, '[data-clock="d62"]')).toContain('20 Nov 2026');
    await page.click('#allowed [data-event="referral_corrected"]');
    await page.waitForSelector('#ev-form');
    await fillDate(page, 'ev-receivedOn', '2026-11-17');
    await page.fill('#ev-reason', 'The GP letter is dated 17 November');
    await clearSaved();
    await page.click('#ev-submit');
    await page.waitForSelector('#event-saved #saved');
    expect(await text(page, '[data-clock="d62"]')).toContain('17 Nov 2026');
    expect(await text(page, '[data-clock="fds"]')).toContain('17 Nov 2026');
    const timeline = await page.$$eval('#timeline li', (lis) => lis.map((li) => li.textContent!.replace(/\s+/g, ' ')));
    expect(timeline[0]).toMatch(/^ ?20 Nov 2026 Referral received/);
    expect(timeline.at(-1)).toContain(
      'Referral corrected – Date the referral was received: 20 Nov 2026 → 17 Nov 2026. Reason: The GP letter is dated 17 November',
    );
    expect(dash.store.log.ofPathway(ids.hal)[0]!.event).toMatchObject({ type: 'referral_received', on: '2026-11-20' });
  });

  it('says codes in words and providers by name on the pathway page and its timeline', async () => {
    await open(ids.ivy);
    expect(await text(page, '[data-summary="Provider"]')).toBe('Mid Essex Hospital Services NHS Trust');
    const timeline = await text(page, '#timeline');
    expect(timeline).not.toMatch(/Priority type: 3|NHS number status: 01|Source of referral: 03|: RQ8|: RAJ\b/);
    expect(timeline).toContain('Transferred to: Mid Essex Hospital Services NHS Trust');
    expect(timeline).toContain('Provider: Mid and South Essex NHS Foundation Trust');
    expect(timeline).toMatch(/Priority type: [A-Z][a-z]/);
    expect(timeline).toMatch(/NHS number status: [A-Z][a-z]/);
    await page.click('#allowed [data-event="diagnosis_communicated"]');
    await page.waitForSelector('#ev-communicationMethod');
    const methods = await page.$$eval('#ev-communicationMethod option', (os) => os.map((o) => o.textContent ?? ''));
    expect(methods).toContain('Telephone');
    expect(methods.filter((o) => /provisional/i.test(o))).toEqual([]);
    await page.click('#ev-cancel');
  });

  it("offers the pathway's site's meetings first and last week's for a late addition, warns on another site's, and takes the patient off a list", async () => {
    await open(ids.jo);
    await page.waitForFunction(
      () => (document.querySelector('#mdt-meeting option:nth-child(2)')?.textContent ?? '') !== '',
    );
    const offered = await page.$$eval('#mdt-meeting option', (os) => os.map((o) => o.textContent ?? ''));
    const lung = offered.findIndex((o) => o.startsWith('Lung MDT (second round)'));
    const late = offered.findIndex((o) => o.startsWith('Lung MDT last week'));
    const skin = offered.findIndex((o) => o.startsWith('Skin MDT (second round)'));
    expect(late).toBeGreaterThan(0);
    expect(lung).toBeGreaterThan(0);
    expect(skin).toBeGreaterThan(Math.max(lung, late));
    expect(offered[skin]).toContain('another site');
    await page.selectOption('#mdt-meeting', String(meetings.skin));
    await page.click('#mdt-form button[type=submit]');
    await page.waitForSelector('#mdt-other-site');
    expect(await text(page, '#mdt-other-site')).toContain('is a Skin meeting; this pathway is Lung');
    expect(dash.store.mdt.meetingsOf(ids.jo)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await clearSaved();
    await page.click('#mdt-form button[type=submit]'); // "Yes, add to this meeting"
    await page.waitForSelector('#tracker-saved #saved');
    expect(await text(page, '#mdt-listed')).toContain('Skin MDT (second round)');
    await clearSaved();
    await page.click(`[data-take-off="${meetings.skin}"]`);
    await page.waitForSelector('#tracker-saved #saved');
    expect(await text(page, '#tracker-saved #saved')).toContain('Taken off Skin MDT (second round), 25 Nov 2026.');
    expect(dash.store.mdt.meetingsOf(ids.jo)).toEqual([]);
    // a late addition to last week's meeting, then off its list from the meeting page
    await page.selectOption('#mdt-meeting', String(meetings.lateLung));
    await clearSaved();
    await page.click('#mdt-form button[type=submit]');
    await page.waitForSelector('#tracker-saved #saved');
    await page.goto(`${dash.base}/#/mdt/${meetings.lateLung}`);
    await page.waitForSelector(`[data-take-off="${ids.jo}"]`);
    expect(await text(page, 'h1')).toContain('Lung');
    await page.click(`[data-take-off="${ids.jo}"]`);
    await page.waitForSelector('#meeting-saved #saved');
    expect(await text(page, '#meeting-saved #saved')).toContain('Jo Listed taken off the list of Lung MDT last week');
    expect(await page.$(`[data-pathway="${ids.jo}"]`)).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('records an outcome as the MDT records it, prints its summary, and defers a patient not discussed', async () => {
    const held = await dash.post<{ meetingId: number }>('/api/mdt/meetings', {
      tumourSite: 'lung',
      meetsOn: '2026-11-23',
      name: 'Lung MDT held',
    });
    await dash.post(`/api/mdt/meetings/${held.meetingId}/patients`, { pathwayIds: [ids.hal, ids.jo] });
    await page.goto(`${dash.base}/#/mdt/${held.meetingId}`);
    await page.waitForSelector('#mdt-lead');
    await page.fill('#mdt-lead', 'Dr Rao');
    await page.fill('#mdt-attendees', 'Dr Rao, Ms Lee (CNS)');
    const row = await page.$eval(`[data-pathway="${ids.hal}"]`, (tr) => tr.getAttribute('data-row'));
    await page.check(`#outcome-form-${row} input[value="refer_to_another_site"]`);
    await page.fill(`#out-${row}-stage`, 'T2 N0 M0');
    await page.fill(`#out-${row}-histology`, 'Adenocarcinoma');
    await page.selectOption(`#out-${row}-referredToSite`, 'upper_gi');
    await page.click(`#outcome-form-${row} button[type=submit]`);
    await page.waitForSelector(`#status-${row}`);
    expect(await text(page, `#outcome-${row}`)).toContain('Refer to another site: Upper GI');
    expect(await text(page, `#outcome-${row}`)).toContain(
      'Stage: T2 N0 M0; Histology: Adenocarcinoma; Lead clinician: Dr Rao',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.click(`[data-summary-of="${ids.hal}"]`);
    await page.waitForSelector('#outcome-summary');
    const summary = await text(page, '#outcome-summary');
    for (const words of [
      'Hal Second',
      'Lung MDT held, 23 Nov 2026 (Lung)',
      'Dr Rao, Ms Lee (CNS)',
      'Refer to another site: Upper GI',
      'T2 N0 M0',
      'Adenocarcinoma',
    ])
      expect(summary).toContain(words);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('.nhsuk-back-link');
    await page.waitForSelector('#meeting');
    const other = await page.$eval(`[data-pathway="${ids.jo}"]`, (tr) => tr.getAttribute('data-row'));
    await page.selectOption(`#defer-${other}-to`, String(meetings.lung));
    await page.click(`#defer-${other} button[type=submit]`);
    await page.waitForSelector('#meeting-saved #saved');
    expect(await text(page, '#meeting-saved #saved')).toContain(
      'not discussed: deferred to Lung MDT (second round), 26 Nov 2026.',
    );
    expect(dash.store.mdt.meetingsOf(ids.jo).map((m) => m.meetingId)).toEqual([meetings.lung]);
  });

  it('has no WCAG 2.2 AA violations on the pathway page, no script errors and nothing from another origin', async () => {
    await open(ids.ivy);
    expect(await axeViolations(page)).toEqual([]);
    expect(dash.scriptProblems).toEqual([]);
    expect(dash.external).toEqual([]);
  });
});
