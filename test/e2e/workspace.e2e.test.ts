// The trackers' and MDT coordinators' workspace in a real browser (#15): a tracker walks a
// patient from a new GP referral to treatment; an MDT coordinator runs a meeting of five
// patients; a steward reads the backlog by provider, downloads a CSV and prints the PTL. All at
// 1366x768, with no request to any other origin and no script error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, docs, fillDate, hasChromium, signIn, startDashboard, text, type Dashboard } from './support.ts';

let dash: Dashboard;
let page: Page;
const referral = (on: string, nhsNumber: string, patientName: string, tumourSite = 'lung') => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite,
  nhsNumber,
  patientName,
  provider: 'RAJ',
  dateOfBirth: '1951-02-03',
});
// Valid NHS numbers from the 999 range that the synthetic history does not use.
const NHS = ['9991000054', '9991000062', '9991000070', '9991000089', '9991000097', '9991000100', '9991000119'];

/** Opens the event form for `type` on the pathway page, fills it in and records it; waits for the confirmation. */
async function record(type: string, fields: Record<string, string>, dates: Record<string, string>) {
  await page.click(`#allowed [data-event="${type}"]`);
  await page.waitForSelector('#ev-form');
  for (const [name, value] of Object.entries(fields)) {
    const radio = await page.$(`#ev-form input[type=radio][name="${name}"][value="${value}"]`);
    if (radio) await radio.check();
    else if (await page.$(`#ev-form select[name="${name}"]`))
      await page.selectOption(`#ev-form select[name="${name}"]`, value);
    else await page.fill(`#ev-form [name="${name}"]`, value);
  }
  for (const [name, iso] of Object.entries(dates)) await fillDate(page, `ev-${name}`, iso);
  await clearSaved();
  await page.click('#ev-submit');
  await page.waitForSelector('#saved');
}
/** Takes away the last confirmation, so that waiting for #saved waits for the next one. */
const clearSaved = () => page.evaluate(() => document.getElementById('saved')?.remove());
const summary = (key: string) => text(page, `[data-summary="${key}"]`);
const focused = () => page.evaluate(() => document.activeElement?.id ?? '');

describe.skipIf(!hasChromium)('the workspace in Chromium at 1366x768', () => {
  beforeAll(async () => {
    dash = await startDashboard();
    page = await dash.newPage();
    // The synthetic history draws NHS numbers from the same range: these must be new patients.
    for (const n of ['9991000046', '9991000127', ...NHS])
      expect((await dash.get<{ results: unknown[] }>(`/api/search?q=${n}`)).results).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await dash?.close();
  });

  it('after sign-in, the PTL link is a few Tab presses away', async () => {
    await signIn(page, dash.base);
    let presses = 0;
    while (presses < 10) {
      await page.keyboard.press('Tab');
      presses++;
      if (await page.evaluate(() => document.activeElement?.getAttribute('href') === '#/ptl')) break;
    }
    expect(presses).toBeLessThanOrEqual(4);
  }, 60_000);

  it('a tracker walks a new GP referral through booking, a DNA, rebooking, first seen, tests, an MDT outcome, a decision to treat and a treatment', async () => {
    // --- a new referral from the dashboard, with the NHS number check and the duplicate warning
    await page.click('#nav a[href="#/referral/new"]');
    await page.waitForSelector('#referral-form');
    await page.fill('#ref-nhsNumber', '999 100 0047'); // a slipped digit: fails the check digit
    await page.fill('#ref-patientName', 'Grace Walker');
    await fillDate(page, 'ref-dateOfBirth', '1948-07-12');
    await page.check('#referral-form input[name="route"][value="urgent_suspected_cancer"]');
    await page.selectOption('#ref-tumourSite', 'lung');
    const { providers } = await dash.get<{ providers: string[] }>('/api/vocabulary');
    expect(providers).toEqual(expect.arrayContaining(['RAJ', 'RDD', 'RQ8']));
    expect(
      await page.$$eval('#ref-provider option', (els) =>
        els.map((e) => (e as HTMLOptionElement).value).filter(Boolean),
      ),
    ).toEqual(providers);
    await page.selectOption('#ref-provider', 'RAJ');
    await fillDate(page, 'ref-on', '2026-10-01');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(docs, 'referral.png') });
    expect(
      await page.$eval('#referral-form button[type=submit]', (b) => b.getBoundingClientRect().bottom),
    ).toBeLessThanOrEqual(768); // the whole form on one screen
    await page.click('#referral-form button[type=submit]');
    await page.waitForSelector('#ref-nhsNumber-error');
    expect(await text(page, '#ref-nhsNumber-error')).toBe(
      'Error: NHS number is not a valid NHS number (10 digits with a Modulus 11 check digit, not all the same digit)',
    );
    expect(await focused()).toBe('referral-errors');
    expect(await page.inputValue('#ref-patientName')).toBe('Grace Walker'); // nothing typed is lost
    await page.fill('#ref-nhsNumber', '999 100 0046');
    await page.click('#referral-form button[type=submit]');
    await page.waitForSelector('#saved');
    expect(await focused()).toBe('saved');
    expect(await text(page, '#saved')).toContain('Referral added: Grace Walker, Lung, received 1 Oct 2026.');
    const pathwayId = decodeURIComponent(page.url().split('#/pathway/')[1]!);
    expect(await summary('NHS number')).toBe('999 100 0046');
    expect(await summary('Next action')).toBe('triage, due by 4 Oct 2026 (overdue)');
    // The same patient and site again: a warning with a link, and "Add anyway" only on request.
    await page.goto(`${dash.base}/#/referral/new`);
    await page.waitForSelector('#referral-form');
    await page.fill('#ref-nhsNumber', '9991000046');
    await page.check('#referral-form input[name="route"][value="urgent_suspected_cancer"]');
    await page.selectOption('#ref-tumourSite', 'lung');
    await fillDate(page, 'ref-on', '2026-10-02');
    await page.click('#referral-form button[type=submit]');
    await page.waitForSelector('#duplicate');
    expect(await text(page, '#duplicate')).toContain(
      'This patient already has an open Lung pathway, referred 1 Oct 2026',
    );
    expect(await page.getAttribute('#duplicate a', 'href')).toBe(`#/pathway/${encodeURIComponent(pathwayId)}`);
    expect(await page.$('#add-anyway')).not.toBeNull();
    expect((await dash.get<{ results: unknown[] }>('/api/search?q=9991000046')).results).toHaveLength(1); // nothing added
    await page.click('#duplicate a');
    await page.waitForSelector('[data-summary="Stage"]');

    // --- found by name from the search box on every page
    await page.fill('#search-q', 'grace walk');
    await page.press('#search-q', 'Enter');
    await page.waitForSelector('#results');
    expect(await page.$$eval('#results tbody tr', (rows) => rows.map((r) => r.getAttribute('data-pathway')))).toEqual([
      pathwayId,
    ]);
    // Issue #28: an NHS number typed with hyphens finds the patient; a search that finds nothing says so.
    await page.fill('#search-q', '999-100-0046');
    await page.press('#search-q', 'Enter');
    await page.waitForSelector(`#results tr[data-pathway="${pathwayId}"]`);
    await page.fill('#search-q', '999-100-0135');
    await page.press('#search-q', 'Enter');
    await page.waitForSelector('#no-results');
    expect(await text(page, '#no-results')).toBe('No patient has the NHS number 999 100 0135.');
    await page.fill('#search-q', 'grace walk');
    await page.press('#search-q', 'Enter');
    await page.waitForSelector('#results');
    await page.click('#results a');
    await page.waitForSelector('[data-summary="Stage"]');

    // --- triage, a first appointment, a DNA, a rebooking: the next action follows the bookings
    await record('triaged', { outcome: 'outpatient' }, { on: '2026-10-02' });
    expect(await text(page, '#saved')).toContain('Triaged, 2 Oct 2026.');
    expect(await focused()).toBe('saved');
    await record('appointment_booked', { appointment: 'first' }, { on: '2026-10-02', appointmentOn: '2026-10-09' });
    expect(await summary('Next action')).toBe('first appointment on 9 Oct 2026 (overdue)');
    await record('dna', { appointment: 'first' }, { on: '2026-10-09' });
    expect(await summary('Stage')).toBe('First appointment missed');
    expect(await summary('Next action')).toBe('CT of the chest, due by 4 Oct 2026 (overdue)'); // lung's timed pathway: a CT by day 3
    await record('appointment_booked', { appointment: 'first' }, { on: '2026-10-12', appointmentOn: '2026-11-30' });
    // Booked for 30 November: the next action is the booking, and it is not overdue.
    expect(await summary('Next action')).toBe('first appointment on 30 Nov 2026');
    expect(await summary('Booked')).toBe('30 Nov 2026, first appointment');
    const due = await dash.get<{ entries: { pathwayId: string }[] }>('/api/ptl?nextActionDueBy=today&limit=500');
    expect(due.entries.map((e) => e.pathwayId)).not.toContain(pathwayId);
    // The restart on the rebooking date (R5) shows in the clocks.
    expect(await text(page, '[data-clock="d62"] td:nth-child(3)')).toBe('12 Oct 2026');

    // --- a tracking comment with a follow-up date: in the timeline, in the PTL, as the next action
    await page.fill('#note-text', 'Offered an earlier slot from the cancellation list');
    await fillDate(page, 'note-followUpOn', '2026-11-24');
    await clearSaved();
    await page.click('#note-form button[type=submit]');
    await page.waitForSelector('#saved');
    expect(await summary('Next action')).toBe('follow up on 24 Nov 2026');
    expect(await text(page, '#timeline li:last-child')).toContain(
      'Offered an earlier slot from the cancellation list (follow up on 24 Nov 2026)',
    );
    await page.goto(`${dash.base}/#/ptl?nextActionDueBy=today&sort=nextActionDue`);
    await page.waitForSelector(`#ptl tr[data-pathway="${pathwayId}"]`);
    expect(await text(page, `#ptl tr[data-pathway="${pathwayId}"] .openptl-col-commentOn`)).toBe(
      'Offered an earlier slot from the cancellation list',
    );
    expect(await text(page, `#ptl tr[data-pathway="${pathwayId}"] .openptl-col-nextAction`)).toBe('follow up');
    await page.click(`#ptl tr[data-pathway="${pathwayId}"] a`);
    await page.waitForSelector('[data-summary="Stage"]');
    // "Back" returns to the filtered list it came from.
    expect(await page.getAttribute('.nhsuk-back-link', 'href')).toBe('#/ptl?nextActionDueBy=today&sort=nextActionDue');

    // --- seen early from the cancellation list; a test booked and reported; a wrong entry corrected
    await record('first_seen', {}, { on: '2026-10-19' });
    expect(await summary('Stage')).toBe('Under investigation');
    await record('test_requested', { test: 'CT chest' }, { on: '2026-10-19', testOn: '2026-10-26' });
    expect(await summary('Next action')).toBe('test: CT chest on 26 Oct 2026 (overdue)');
    await record('test_requested', { test: 'PET-CT' }, { on: '2026-10-19' }); // recorded against the wrong patient
    const wrong = (
      await dash.get<{ events: { eventId: string; event: { test?: string } }[] }>(`/api/pathways/${pathwayId}`)
    ).events.find((e) => e.event.test === 'PET-CT')!;
    await page.click(`[data-correct="${wrong.eventId}"]`);
    await page.fill(`#reason-${CSSescape(wrong.eventId)}`, 'recorded against the wrong patient');
    await clearSaved();
    await page.click(`#correct-${CSSescape(wrong.eventId)} button[type=submit]`);
    await page.waitForSelector('#saved');
    expect(await text(page, '#saved')).toContain('Test requested of 19 Oct 2026 taken out.');
    expect(await page.$eval(`[data-entry="${wrong.eventId}"]`, (li) => li.classList.contains('openptl-voided'))).toBe(
      true,
    );
    await record('test_reported', { test: 'CT chest', result: 'Mass in the right upper lobe' }, { on: '2026-10-26' });
    expect(await summary('MDT')).toBe('Awaiting MDT: tests reported since 26 Oct 2026');
    await page.screenshot({ path: join(docs, 'pathway.png'), fullPage: true });

    // --- an MDT outcome, and the decision to treat from the same row
    const meeting = await dash.post<{ meetingId: number }>('/api/mdt/meetings', {
      tumourSite: 'lung',
      meetsOn: '2026-11-24',
      name: 'Lung MDT',
    });
    await page.reload();
    await page.waitForSelector(`#mdt-meeting option[value="${meeting.meetingId}"]`, { state: 'attached' });
    await page.selectOption('#mdt-meeting', String(meeting.meetingId));
    await clearSaved();
    await page.click('#mdt-form button[type=submit]');
    await page.waitForSelector('#saved');
    expect(await text(page, '#saved')).toContain('Listed for Lung MDT, 24 Nov 2026.');
    await page.goto(`${dash.base}/#/mdt/${meeting.meetingId}`);
    await page.waitForSelector('#outcome-form-0');
    await page.check('#out-0-4'); // treatment plan agreed
    await page.fill('#out-0-comment', 'For lobectomy');
    await page.click('#outcome-form-0 button[type=submit]');
    await page.waitForSelector('#status-0');
    expect(await text(page, '#status-0')).toBe('Treatment plan agreed: For lobectomy Saved');
    expect(await focused()).toBe('status-0');
    await page.click('#outcome-0 [data-next="decision_to_treat"]');
    await page.waitForSelector('#next-0-form');
    await page.selectOption('#next-0-plannedModality', 'surgery');
    await fillDate(page, 'next-0-on', '2026-11-24');
    await page.click('#next-0-submit');
    await page.waitForSelector('#status-0:focus');
    expect(await text(page, '#status-0')).toContain('Saved');

    // --- the treatment, from the pathway page: the pathway closes and is still found by search
    await page.goto(`${dash.base}/#/pathway/${encodeURIComponent(pathwayId)}`);
    await page.waitForSelector('[data-summary="Stage"]');
    expect(await summary('Stage')).toBe('Awaiting treatment');
    expect(await summary('Next action')).toMatch(/^first definitive treatment, due by /);
    await record('treatment_started', { modality: 'surgery' }, { on: '2026-11-24' });
    expect(await summary('Status')).toBe('Closed');
    expect(await text(page, '[data-clock="d62"] [data-field="state"]')).toBe('Stopped');
    const types = (await dash.get<{ events: { event: { type: string } }[] }>(`/api/pathways/${pathwayId}`)).events.map(
      (e) => e.event.type,
    );
    expect(types).toEqual([
      'referral_received',
      'triaged',
      'appointment_booked',
      'dna',
      'appointment_booked',
      'note',
      'first_seen',
      'test_requested',
      'test_requested',
      'event_voided',
      'test_reported',
      'mdt_discussed',
      'decision_to_treat',
      'treatment_started',
    ]);
    await page.fill('#search-q', '999 100 0046');
    await page.press('#search-q', 'Enter');
    await page.waitForSelector('#results');
    expect(await text(page, '#results tbody tr')).toContain('Closed');
    expect(await axeViolations(page)).toEqual([]);
  }, 180_000);

  it('asks to confirm an event that is unusual at the stage, and chooses no clinical outcome in advance', async () => {
    const { pathwayId } = await dash.post('/api/pathways', referral('2026-11-20', NHS[0]!, 'Ida Unusual'));
    await page.goto(`${dash.base}/#/pathway/${encodeURIComponent(pathwayId)}`);
    await page.waitForSelector('#allowed');
    await page.click('[data-event="diagnosis_communicated"]');
    await page.waitForSelector('#ev-form');
    expect(
      await page.$$eval(
        '#ev-form input[name="outcome"]',
        (els) => els.filter((e) => (e as HTMLInputElement).checked).length,
      ),
    ).toBe(0);
    await page.click('#ev-cancel');
    // A decision to treat before the patient is seen: asked to confirm, recorded only on "Yes".
    await page.click('[data-event="decision_to_treat"]');
    await fillDate(page, 'ev-on', '2026-11-21');
    await page.click('#ev-submit');
    await page.waitForSelector('#ev-unusual');
    expect(await focused()).toBe('ev-unusual');
    expect(await text(page, '#ev-unusual')).toContain('The patient has not been seen or had a test reported yet');
    expect((await dash.get<{ version: number }>(`/api/pathways/${pathwayId}`)).version).toBe(1);
    expect(await text(page, '#ev-submit')).toBe('Yes, record it');
    await clearSaved();
    await page.click('#ev-submit');
    await page.waitForSelector('#saved');
    expect(await summary('Stage')).toBe('Awaiting treatment');
  }, 60_000);

  it('an MDT coordinator runs a meeting of five patients: lists them from "awaiting MDT", prints the list, records five outcomes in one pass', async () => {
    const names = ['Ada Fenwick', 'Ben Osei', 'Cara Doyle', 'Dev Rao', 'Eve Lund'];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const { pathwayId } = await dash.post('/api/pathways', {
        ...referral(`2026-10-0${i + 1}`, NHS[i + 1]!, name, 'lower_gi'),
        provider: 'RQ8',
      });
      await dash.post(`/api/pathways/${pathwayId}/events`, {
        expectedVersion: 1,
        event: { type: 'first_seen', on: `2026-10-1${i}` },
      });
      await dash.post(`/api/pathways/${pathwayId}/events`, {
        expectedVersion: 2,
        event: { type: 'test_reported', on: `2026-11-0${i + 2}`, test: 'colonoscopy' },
      });
      ids.push(pathwayId);
    }
    await page.goto(`${dash.base}/#/mdt`);
    await page.waitForSelector('#new-meeting');
    // Set up the meeting.
    await page.selectOption('#m-tumourSite', 'lower_gi');
    await fillDate(page, 'm-meetsOn', '2026-11-24');
    await page.fill('#m-name', 'Colorectal MDT');
    await clearSaved();
    await page.click('#new-meeting button[type=submit]');
    await page.waitForSelector('#saved');
    expect(await text(page, '#saved')).toContain('Colorectal MDT set up for 24 Nov 2026.');
    // Awaiting MDT, lower GI: the five, with tests reported and no MDT since.
    await page.selectOption('#a-site', 'lower_gi');
    await page.click('#awaiting-filter button[type=submit]');
    await page.waitForFunction(() => location.hash === '#/mdt?tumourSite=lower_gi');
    await page.waitForSelector(`#awaiting tr[data-pathway="${ids[4]}"]`);
    for (const id of ids) await page.check(`#awaiting tr[data-pathway="${id}"] input[type=checkbox]`);
    const meetingId = await page.$$eval(
      '#list-meeting option',
      (os) => (os as HTMLOptionElement[]).find((o) => o.textContent?.startsWith('Colorectal MDT'))!.value,
    );
    await page.selectOption('#list-meeting', meetingId);
    await clearSaved();
    await page.click('#list-for button[type=submit]');
    await page.waitForSelector('#saved');
    expect(await text(page, '#saved')).toContain('5 patients added to Colorectal MDT, 24 Nov 2026: 5 listed.');
    await page.click(`#meetings a[href="#/mdt/${meetingId}"]`);
    await page.waitForSelector('#meeting tbody tr');
    expect(await page.$$eval('#meeting tbody tr', (rows) => rows.map((r) => r.getAttribute('data-pathway')))).toEqual(
      ids,
    );
    // The list prints: the trust, the meeting and the marking on top; no controls; a line to write on.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('.openptl-print-header')).toBe(true);
    expect(await page.$$eval('.openptl-print-header > *', (els) => els.map((e) => e.textContent))).toEqual([
      'Mid Example NHS Foundation Trust',
      'Colorectal MDT, 24 Nov 2026: patient list',
      'OFFICIAL-SENSITIVE',
    ]);
    expect(await page.isVisible('#outcome-form-0')).toBe(false);
    expect(await page.isVisible('#print')).toBe(false);
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await page.emulateMedia({ media: 'screen' });
    // Five outcomes in one pass: choose, save, next row. Nothing is chosen in advance.
    expect(await page.$$eval('#meeting input[type=radio]:checked', (els) => els.length)).toBe(0);
    const decisions = [
      'treatment_plan_agreed',
      'further_tests',
      'cancer_ruled_out',
      'refer_to_another_site',
      'discharge',
    ];
    let actions = 0;
    for (const [i, d] of decisions.entries()) {
      await page.check(`#outcome-form-${i} input[value="${d}"]`);
      if (d === 'refer_to_another_site') {
        await page.selectOption(`#out-${i}-referredToSite`, 'upper_gi'); // issue #28: the outcome names the site
        actions += 1;
      }
      await page.click(`#outcome-form-${i} button[type=submit]`);
      actions += 2;
      await page.waitForSelector(`#status-${i}:focus`);
      expect(await text(page, `#stage-${i}`)).toBe('Discussed at MDT');
      if (i === 1) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(docs, 'mdt.png') });
      }
    }
    expect(actions).toBe(11);
    for (const [i, id] of ids.entries()) {
      const p = await dash.get<{
        stage: string;
        events: { event: { type: string; on: string; decision?: string; meetingId?: number } }[];
      }>(`/api/pathways/${id}`);
      expect(p.events.at(-1)!.event).toMatchObject({
        type: 'mdt_discussed',
        on: '2026-11-24',
        decision: decisions[i],
        meetingId: Number(meetingId),
      });
      expect(p.stage).toBe('discussed_at_mdt');
    }
    // The next event from the same row: the diagnosis told, for the first patient.
    await page.click('#outcome-0 [data-next="diagnosis_communicated"]');
    await page.check('#next-0-form input[name="outcome"][value="cancer_confirmed"]');
    await fillDate(page, 'next-0-on', '2026-11-24');
    await page.click('#next-0-submit');
    await page.waitForSelector('#status-0:focus');
    expect((await dash.get<{ stage: string }>(`/api/pathways/${ids[0]}`)).stage).toBe('awaiting_decision_to_treat');
    expect(await axeViolations(page)).toEqual([]);
    // They have left "awaiting MDT".
    const awaiting = await dash.get<{ entries: { pathwayId: string }[] }>('/api/mdt/awaiting?tumourSite=lower_gi');
    expect(awaiting.entries.map((e) => e.pathwayId).filter((id) => ids.includes(id))).toEqual([]);
  }, 180_000);

  it('the PTL is a dense work list: at least 15 patients without scrolling, every column sortable with focus kept, filters restored by Back', async () => {
    await page.goto(`${dash.base}/#/ptl`);
    await page.waitForSelector('#ptl tbody tr');
    const visible = await page.$$eval(
      '#ptl tbody tr',
      (rows) => rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length,
    );
    expect(visible).toBeGreaterThanOrEqual(15);
    // No NHS number or date wraps onto a second line.
    const heights = await page.$$eval('#ptl tbody tr', (rows) =>
      rows.slice(0, 20).map((r) => r.getBoundingClientRect().height),
    );
    expect(Math.max(...heights)).toBeLessThan(34);
    const headings = await page.$$eval('#ptl thead [data-sort]', (els) => els.map((e) => e.getAttribute('data-sort')));
    expect(headings).toEqual([
      'patientName',
      'nhsNumber',
      'tumourSite',
      'stage',
      'provider',
      'daysWaiting',
      'breachDate',
      'nextAction',
      'nextActionDue',
      'milestoneDue',
      'bookedOn',
      'commentOn',
      'assignee',
      'breachRisk',
    ]);
    await page.click('[data-sort="nextActionDue"]');
    await page.waitForFunction(() => location.hash.includes('sort=nextActionDue'));
    await page.waitForSelector('[data-sort="nextActionDue"]:focus');
    const dues = await page.$$eval('#ptl tbody .openptl-col-nextActionDue', (els) => els.map((e) => e.textContent));
    const asDate = (d: string | null) => new Date(`${d} UTC`).getTime();
    expect(dues.map(asDate)).toEqual([...dues].map(asDate).sort((a, b) => a - b));
    // Issue #28: the stage and the next action are not cut short (columns no row fills give up
    // their room), and the list says how many patients the filters select, not only those shown.
    const cutShort = await page.$$eval('#ptl tbody tr', (rows) =>
      rows
        .filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight)
        .flatMap((r) => [...r.querySelectorAll('.openptl-col-stage, .openptl-col-nextAction')])
        .filter((c) => c.scrollWidth > c.clientWidth + 1)
        .map((c) => c.textContent),
    );
    expect(cutShort).toEqual([]);
    const { total } = await dash.get<{ total: number }>('/api/ptl?limit=1');
    expect(total).toBeGreaterThan(100);
    expect(await text(page, '#ptl-total')).toBe(`${total.toLocaleString('en-GB')} patients`);
    expect(await text(page, '#ptl-count')).toBe(`100 of ${total.toLocaleString('en-GB')} shown; more below.`);
    await page.screenshot({ path: join(docs, 'ptl.png') });
    // Filters live in the address: open a patient, come back, the list is as it was.
    await page.selectOption('#f-tumourSite', 'lower_gi');
    await page.selectOption('#f-provider', 'RQ8');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction(
      () => location.hash.includes('tumourSite=lower_gi') && location.hash.includes('provider=RQ8'),
    );
    await page.waitForSelector('#ptl tbody tr');
    await page.click('#ptl tbody tr a');
    await page.waitForSelector('[data-summary="Stage"]');
    await page.goBack();
    await page.waitForSelector('#ptl tbody tr');
    expect([await page.inputValue('#f-tumourSite'), await page.inputValue('#f-provider')]).toEqual(['lower_gi', 'RQ8']);
    expect(
      new Set(await page.$$eval('#ptl tbody .openptl-col-provider', (els) => els.map((e) => e.textContent))),
    ).toEqual(new Set(['RQ8']));
    // The FDS-overdue list shows FDS days and due dates, and keeps its filter with the others.
    await page.goto(`${dash.base}/#/ptl?fdsOverdue=true&sort=fdsDue`);
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Faster diagnosis overdue');
    await page.waitForSelector('#ptl tbody tr');
    expect(
      await page.$$eval('#ptl thead [data-sort]', (els) =>
        els.slice(5, 7).map((e) => e.textContent?.replace(/[ ▲▼]+$/, '')),
      ),
    ).toEqual(['FDS days', 'FDS due']);
    const fdsDays = await page.$$eval('#ptl tbody [data-fds-days]', (els) =>
      els.map((e) => Number(e.getAttribute('data-fds-days'))),
    );
    expect(fdsDays.length).toBeGreaterThan(0);
    expect(fdsDays.every((d) => d > 28)).toBe(true);
    await page.selectOption('#f-tumourSite', 'skin');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction(
      () => location.hash.includes('tumourSite=skin') && location.hash.includes('fdsOverdue=true'),
    );
    await page.waitForSelector('#ptl tbody tr, #ptl-empty:not([hidden])');
    expect(await text(page, 'h1')).toBe('Faster diagnosis overdue');
  }, 120_000);

  it('assigns patients in bulk from the PTL, and "my patients" lists them', async () => {
    await page.goto(`${dash.base}/#/ptl?tumourSite=breast`);
    await page.waitForFunction(() => {
      const sites = [...document.querySelectorAll('#ptl tbody tr td.openptl-col-tumourSite')];
      return sites.length > 0 && sites.every((td) => td.textContent === 'Breast');
    });
    await page.waitForSelector('#bulk-assignee option[value="tracker"]', { state: 'attached' });
    const chosen = await page.$$eval('#ptl tbody tr', (rows) =>
      rows.slice(0, 3).map((r) => r.getAttribute('data-pathway')!),
    );
    for (const id of chosen) await page.check(`#ptl tr[data-pathway="${id}"] input[type=checkbox]`);
    await page.selectOption('#bulk-assignee', 'tracker');
    await clearSaved();
    await page.click('#bulk button[type=submit]');
    await page.waitForSelector('#saved');
    expect(await text(page, '#saved')).toContain('3 patients assigned to tracker.');
    await page.click('.openptl-views a:has-text("My patients")');
    await page.waitForFunction(() => location.hash.includes('assignee=tracker'));
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'My patients');
    await page.waitForSelector('#ptl tbody tr');
    expect(
      (await page.$$eval('#ptl tbody tr', (rows) => rows.map((r) => r.getAttribute('data-pathway')!))).sort(),
    ).toEqual([...chosen].sort());
    expect(await text(page, 'h1')).toBe('My patients');
  }, 60_000);

  it('a steward reads the backlog by provider, sees every table and chart live, downloads a CSV of the filtered list and prints it', async () => {
    writeFileSync(join(dash.reportsDir, 'report-2026-11-23.html'), '<p>the latest report</p>');
    writeFileSync(join(dash.reportsDir, 'report-2026-11-22.html'), '<p>an earlier report</p>');
    await page.goto(`${dash.base}/#/`);
    await page.waitForSelector('#table-byProvider tbody tr');
    await page.waitForSelector('#performance-table');
    await page.waitForFunction(
      () =>
        (window as unknown as { Chart?: { getChart(c: unknown): unknown } }).Chart?.getChart(
          document.getElementById('site-chart'),
        ) !== undefined,
    );
    // Every tumour-site bar is labelled.
    const { labels, ticks } = await page.evaluate(() => {
      const chart = (
        window as unknown as {
          Chart: { getChart(c: unknown): { data: { labels: string[] }; scales: { y: { ticks: unknown[] } } } };
        }
      ).Chart.getChart(document.getElementById('site-chart'));
      return { labels: chart.data.labels, ticks: chart.scales.y.ticks.length };
    });
    expect(ticks).toBe(labels.length);
    expect(labels).toContain('Head and neck');
    // Performance for this month and the last, as the report counts it.
    const perf = await dash.get<{ monthToDate: { standards: { d62: { all?: { met: number; stopped: number } } } } }>(
      '/api/performance',
    );
    const d62 = perf.monthToDate.standards.d62.all!;
    expect(await text(page, '[data-period="monthToDate"] [data-standard="d62"]')).toContain(
      `(${d62.met} of ${d62.stopped})`,
    );
    expect(await text(page, '#latest-report')).toBe('Latest: 23 Nov 2026');
    await page.screenshot({ path: join(docs, 'backlog.png'), fullPage: true });
    // Live: a referral to RDD shows in the provider table (and the site table) without a reload.
    const cell = '#table-byProvider tr[data-group="RDD"] [data-count="open"]';
    const before = Number(await text(page, cell));
    const siteCell = '#table-byTumourSite tr[data-group="sarcoma"] [data-count="open"]';
    const sarcoma = Number((await page.$(siteCell)) ? await text(page, siteCell) : 0);
    await dash.post('/api/pathways', {
      ...referral('2026-11-23', '9991000127', 'Live Steward', 'sarcoma'),
      provider: 'RDD',
    });
    await page.waitForFunction(
      ([sel, n]) => Number(document.querySelector(sel as string)?.textContent) === (n as number) + 1,
      [cell, before] as const,
      { timeout: 10_000 },
    );
    await page.waitForFunction(
      ([sel, n]) => Number(document.querySelector(sel as string)?.textContent) === (n as number) + 1,
      [siteCell, sarcoma] as const,
      { timeout: 10_000 },
    );
    // The provider's figure leads to the PTL filtered to it.
    await page.click('#table-byProvider tr[data-group="RDD"] [data-count="open"] a');
    await page.waitForFunction(() => location.hash === '#/ptl?provider=RDD');
    await page.waitForSelector('#ptl tbody tr');
    expect(await page.inputValue('#f-provider')).toBe('RDD');
    await page.selectOption('#f-tumourSite', 'lung');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('tumourSite=lung'));
    await page.waitForFunction(() => {
      const sites = [...document.querySelectorAll('#ptl tbody tr td.openptl-col-tumourSite')];
      return sites.length > 0 && sites.every((td) => td.textContent === 'Lung');
    });
    // The CSV is exactly the filtered list, in the order shown.
    while (await page.isVisible('#more')) await page.click('#more');
    const shown = await page.$$eval('#ptl tbody tr', (rows) => rows.map((r) => r.getAttribute('data-pathway')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(download.suggestedFilename()).toBe('ptl-2026-11-24.csv');
    expect(csv.slice(1).map((l) => l.split(',').at(-1))).toEqual(shown);
    expect(csv.slice(1).every((l) => l.includes(',Lung,') && l.includes(',RDD,'))).toBe(true);
    // Print: A4 landscape, every column, no link addresses, the trust, the date and the marking.
    await page.emulateMedia({ media: 'print' });
    expect(await page.$$eval('.openptl-print-header > *', (els) => els.map((e) => e.textContent))).toEqual([
      'Mid Example NHS Foundation Trust',
      'Patient tracking list (tumour site: Lung; provider: RDD), printed 24 Nov 2026', // titled with its filters (#28)
      'OFFICIAL-SENSITIVE',
    ]);
    expect(await page.title()).toBe('Patient tracking list (tumour site: Lung; provider: RDD) – OpenPTL');
    expect(await text(page, '#ptl-total')).toBe(`${shown.length} ${shown.length === 1 ? 'patient' : 'patients'}`);
    expect(
      await page.evaluate(() => getComputedStyle(document.querySelector('#ptl tbody a')!, '::after').content),
    ).toBe('none');
    const clipped = await page.$$eval(
      '#ptl th, #ptl tbody tr:first-child td',
      (cells) =>
        cells.filter(
          (c) =>
            !c.classList.contains('openptl-col-select') &&
            (c.getBoundingClientRect().width === 0 || c.scrollWidth > c.clientWidth + 1),
        ).length,
    );
    expect(clipped).toBe(0);
    expect(await page.isVisible('#filters')).toBe(false);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await page.emulateMedia({ media: 'screen' });
    expect(await axeViolations(page)).toEqual([]);
  }, 120_000);

  it('has no WCAG 2.2 AA violations axe can find on the referral form, search, MDT and meeting pages, and a pathway with a form open', async () => {
    for (const [hash, ready] of [
      ['#/referral/new', '#referral-form'],
      ['#/search?q=smith', '#results'],
      ['#/mdt', '#awaiting'],
      ['#/mdt/1', '#meeting'],
    ] as const) {
      await page.goto(`${dash.base}/${hash}`);
      await page.waitForSelector(ready);
      expect(await axeViolations(page), hash).toEqual([]);
    }
    const { pathwayId } = await dash.post('/api/pathways', referral('2026-11-20', NHS[6]!, 'Axe Check'));
    await page.goto(`${dash.base}/#/pathway/${encodeURIComponent(pathwayId)}`);
    await page.waitForSelector('[data-event="appointment_booked"]');
    await page.click('[data-event="appointment_booked"]');
    await page.click('#ev-submit'); // nothing filled in: every problem named
    await page.waitForSelector('#ev-errors');
    expect(await text(page, '#ev-errors')).toContain('Appointment date must be filled in');
    expect(await axeViolations(page)).toEqual([]);
  }, 120_000);

  it('asks nothing of any other origin, and meets no script error', () => {
    expect(dash.external).toEqual([]);
    expect(dash.scriptProblems).toEqual([]);
  });
});

function CSSescape(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, (c) => `\\${c}`);
}
