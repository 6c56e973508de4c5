// The weekly cancer PTL return (issue #14): a week built by hand and counted by hand, totals equal
// to the backlog counts as at the same moment for generated histories, and the command's refusals.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, dayOfWeek, endOfLondonDay, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { buildCanptl, canptlFiles, canptlSlices, rowLabels, weekEndingProblem } from '../../src/returns/canptl.ts';
import { runGivingWay, SLICE } from '../../src/slices.ts';
import type { Store } from '../../src/store/store.ts';
import { generatedLines, tempDir, tempStore, requestsOf } from '../support/store.ts';
import { ev, nhsNumber, record } from '../support/national.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const SUNDAY = '2026-11-22';
const ref = (on: IsoDate, tumourSite: string, i: number, route = 'urgent_suspected_cancer', extra = {}) =>
  ev('referral_received', on, { route, tumourSite, nhsNumber: nhsNumber(i), provider: 'RAJ', ...extra });

/** The week of 16 to 22 November 2026, as recorded by the end of the Sunday, and a little after. */
function week(store: Store): void {
  record(
    store,
    'DTT',
    ref('2026-09-01', 'lung', 1),
    ev('first_seen', '2026-09-05'),
    ev('decision_to_treat', '2026-10-20'),
  ); // day 82, with a decision
  record(store, 'NEW', ref('2026-11-18', 'lung', 2), ev('first_seen', '2026-11-20')); // received and first seen this week
  record(store, 'D28', ref('2026-10-21', 'skin', 3), ev('first_seen', '2026-10-30')); // day 29 on Thursday 19 November, not told
  record(store, 'SCR', ref('2026-11-17', 'breast', 4, 'screening'));
  record(store, 'UPG', ref('2026-11-19', 'urological', 5, 'consultant_upgrade'));
  record(store, 'BRS', ref('2026-11-20', 'breast', 6, 'breast_symptomatic'));
  record(
    store,
    'RUL',
    ref('2026-10-30', 'lower_gi', 7),
    ev('first_seen', '2026-11-03'),
    ev('diagnosis_communicated', '2026-11-18', { outcome: 'cancer_ruled_out' }),
  ); // closed this week
  record(
    store,
    'TRT',
    ref('2026-09-14', 'head_and_neck', 8),
    ev('decision_to_treat', '2026-11-02'),
    ev('treatment_started', '2026-11-24', { modality: 'surgery' }),
  ); // treated after the Sunday
  record(store, 'OLD', ref('2026-07-01', 'lung', 9), ev('first_seen', '2026-07-10')); // day 144
  record(store, 'LATE', { ...ref('2026-11-20', 'lung', 10), recordedAt: '2026-11-23T09:00:00.000Z' }); // received in the week, recorded after the snapshot
}

describe('the weekly cancer PTL return, a week counted by hand', () => {
  const { store } = tempStore('2026-11-25T09:00:00Z');
  week(store);
  const c = buildCanptl(store, SUNDAY);

  it('counts the open 62-day pathways as at 23:59 on the Sunday by suspected cancer type, with and without a decision to treat, in the national bands', () => {
    expect(c).toMatchObject({ weekEnding: SUNDAY, weekStart: '2026-11-16', asAt: endOfLondonDay(SUNDAY), open62: 8 });
    expect(c.open62Bands).toEqual({ '0-28': 4, '29-62': 1, '63-104': 2, '105+': 1 });
    expect(c.open62ByType.lung).toEqual({
      total: 3,
      withDecisionToTreat: { '0-28': 0, '29-62': 0, '63-104': 1, '105+': 0 },
      withoutDecisionToTreat: { '0-28': 1, '29-62': 0, '63-104': 0, '105+': 1 },
    });
    expect(c.open62ByType.head_and_neck!.withDecisionToTreat).toEqual({
      '0-28': 0,
      '29-62': 0,
      '63-104': 1,
      '105+': 0,
    }); // treated on the Tuesday after: open at the snapshot
    expect(c.open62ByType.lower_gi!.total).toBe(0); // ruled out in the week
  });
  it('counts those who passed day 28 in the week, referrals and upgrades received by route, and first seen on an urgent suspected cancer referral', () => {
    expect(c.passedDay28).toMatchObject({ total: 1, byType: { skin: 1 } });
    expect(c.referralsReceived).toEqual({
      total: 4,
      byRoute: { urgent_suspected_cancer: 1, breast_symptomatic: 1, screening: 1, consultant_upgrade: 1 },
      byScreeningProgramme: { bowel: 0, breast: 1, cervical: 0, lung: 0 }, // SCR: breast, implied by its site
    });
    expect(c.firstSeen).toMatchObject({ total: 1, byType: { lung: 1 } });
  });
  it('lists the patient behind every number', () => {
    const by = (measure: string) => c.patients.filter((p) => p.measure === measure).map((p) => p.pathwayId);
    expect(by('open_62_day')).toEqual(['BRS', 'D28', 'DTT', 'NEW', 'OLD', 'SCR', 'TRT', 'UPG']);
    expect(by('passed_day_28')).toEqual(['D28']);
    expect(by('referral_received')).toEqual(['BRS', 'NEW', 'SCR', 'UPG']);
    expect(by('first_seen')).toEqual(['NEW']);
    expect(c.patients.find((p) => p.pathwayId === 'OLD' && p.measure === 'open_62_day')).toMatchObject({
      daysWaiting: 144,
      band: '105+',
      decisionToTreat: false,
      suspectedCancerType: 'lung',
    });
    const files = Object.fromEntries(canptlFiles(c));
    expect(files[`canptl-${SUNDAY}-patients.csv`]!.split('\r\n').filter(Boolean)).toHaveLength(1 + c.patients.length);
    expect(JSON.parse(files[`canptl-${SUNDAY}.json`]!)).toMatchObject({ open62: 8, weekEnding: SUNDAY });
    expect(JSON.parse(files[`canptl-${SUNDAY}.json`]!)).not.toHaveProperty('patients');
    // The template's row (OpenPTL's values where no labels are given): the columns its section fills.
    expect(files[`canptl-${SUNDAY}.csv`]!.split('\r\n')).toContain(
      `${SUNDAY},RAJ,with_dtt,urgent_suspected_cancer,lung,0,0,1,0,0,0,0,0,0,0,,`,
    );
  });
  it('equals the backlog counts as at the same moment', () => {
    const backlog = store.backlog.asOfNow(SUNDAY, '2026-11-25');
    expect([c.open62, c.open62Bands]).toEqual([backlog.open, backlog.bands]);
  });
});

describe('the weekly cancer PTL in the national template (issue #24)', () => {
  const { store } = tempStore('2026-11-25T09:00:00Z');
  // Passing day 62 in the week (day 63 on Wednesday 18 November), no decision to treat.
  record(store, 'P62', ref('2026-09-16', 'lung', 20), ev('first_seen', '2026-09-20'));
  // Passing day 104 in the week (day 105 on 17 November), with a decision to treat.
  record(
    store,
    'P104',
    ref('2026-08-04', 'lower_gi', 21),
    ev('first_seen', '2026-08-10'),
    ev('decision_to_treat', '2026-11-02'),
  );
  // Bowel screening, received in the week; breast symptomatic treated in the week on day 69; first seen in the week.
  record(store, 'BOW', ref('2026-11-17', 'lower_gi', 22, 'screening'));
  record(
    store,
    'TRT',
    ref('2026-09-10', 'breast', 23, 'breast_symptomatic'),
    ev('first_seen', '2026-09-14'),
    ev('decision_to_treat', '2026-11-01'),
    ev('treatment_started', '2026-11-18', { modality: 'surgery' }),
  );
  record(
    store,
    'SEEN',
    ref('2026-11-02', 'skin', 24, 'urgent_suspected_cancer', { provider: 'RQ8' }),
    ev('first_seen', '2026-11-19'),
  );
  // Never counted: a test NHS number (unless a preview), and the 31-day-only route.
  record(store, 'TEST', { ...ref('2026-11-18', 'lung', 0), nhsNumber: '9990000018' });
  record(store, 'ONLY31', ref('2026-11-18', 'lung', 25, 'thirty_one_day_only'), ev('decision_to_treat', '2026-11-19'));
  const c = buildCanptl(store, SUNDAY);
  const lines = canptlFiles(c, rowLabels(store))[0]![1].split('\r\n').filter(Boolean);
  const row = (org: string, section: string, route: string, type: string) =>
    lines
      .find((l) => l.startsWith(`${SUNDAY},${org},${section},${route},${type},`))
      ?.split(',')
      .slice(5);

  it("has the national table's columns in its order, every section, route and tumour type of each organisation", () => {
    expect(lines[0]!.split(',')).toEqual([
      'Week Ending',
      'Org Code',
      'Section',
      'Route',
      'Tumour Type',
      'Day 0-28',
      'Day 29-62',
      'Day 63-104',
      'Day >104',
      'Number passing day 28 in last 7 days',
      'Number passing day 62 in last 7 days',
      'Number passing day 104 in last 7 days',
      'Number of patients treated by day 62',
      'Number of patients treated day 63-104',
      'Number of patients treated day >104',
      'Referrals and Upgrades Made',
      'Referrals Seen',
    ]);
    expect(lines).toHaveLength(1 + 2 * 3 * 8 * 16); // RAJ and RQ8
  });
  it("counts each patient in the row of its section, route and tumour type, as the trust's tables label them", () => {
    expect(row('RAJ', 'Section1 Without DTT', 'Urgent Suspected Cancer', 'Lung')).toEqual([
      '0',
      '0',
      '1',
      '0',
      '0',
      '1',
      '0',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(row('RAJ', 'Section2 With DTT', 'Urgent Suspected Cancer', 'Lower Gastrointestinal')).toEqual([
      '0',
      '0',
      '0',
      '1',
      '0',
      '0',
      '1',
      '0',
      '0',
      '0',
      '',
      '',
    ]);
    expect(row('RAJ', 'Section2 With DTT', 'Urgent Breast Symptomatic', 'Breast')).toEqual([
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      '1',
      '0',
      '',
      '',
    ]);
    expect(row('RAJ', 'Section3 Referrals and first seen', 'Urgent Bowel Screening', 'Lower Gastrointestinal')).toEqual(
      ['', '', '', '', '', '', '', '', '', '', '1', '0'],
    );
    expect(row('RQ8', 'Section3 Referrals and first seen', 'Urgent Suspected Cancer', 'Skin')).toEqual([
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '0',
      '1',
    ]);
    expect(c).toMatchObject({ passedDay62: 1, passedDay104: 1, treated: { byDay62: 0, day63To104: 1, over104: 0 } });
  });
  it('leaves out test NHS numbers, counted, and the 31-day-only route; a preview includes the test numbers, marked', () => {
    expect(c.testNumbersLeftOut).toBe(1);
    expect(c.patients.map((p) => p.pathwayId)).not.toContain('TEST');
    expect(c.patients.map((p) => p.pathwayId)).not.toContain('ONLY31');
    const preview = buildCanptl(store, SUNDAY, { preview: true });
    expect([preview.testNumbersLeftOut, preview.open62 - c.open62]).toEqual([0, 1]);
    const [template, json] = canptlFiles(preview);
    expect(template![0]).toBe(`canptl-${SUNDAY}-PREVIEW.csv`);
    expect(template![1].split('\r\n')[0]).toBe(
      'NOT FOR SUBMISSION: a preview that includes test NHS numbers (999 range)',
    );
    expect(JSON.parse(json![1])).toMatchObject({
      notForSubmission: expect.stringMatching(/^NOT FOR SUBMISSION/),
      preview: true,
    });
  });
});

describe('the weekly cancer PTL return and the backlog', () => {
  it('have the same totals, bands and counts by type as at the end of every Sunday of generated histories', () => {
    const { store, commands } = tempStore();
    const lines = generatedLines(400, 14);
    commands.appendMany(requestsOf(lines, 'test'));
    const first = lines[0]!.recordedAt.slice(0, 10) as IsoDate;
    const last = lines[lines.length - 1]!.recordedAt.slice(0, 10) as IsoDate;
    let sunday = addDays(first, 7 - dayOfWeek(first));
    let compared = 0;
    for (; sunday <= addDays(last, 60); sunday = addDays(sunday, 7 * 5)) {
      const c = buildCanptl(store, sunday);
      const backlog = store.backlog.asOfNow(sunday, '2027-06-01');
      expect(c.open62, sunday).toBe(backlog.open);
      expect(c.open62Bands, sunday).toEqual(backlog.bands);
      const byType = Object.fromEntries(
        Object.entries(c.open62ByType)
          .filter(([, t]) => t.total > 0)
          .map(([k, t]) => [k, t.total]),
      );
      expect(byType, sunday).toEqual(
        Object.fromEntries(Object.entries(backlog.byTumourSite).map(([k, g]) => [k, g.open])),
      );
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  }, 120_000);
});

describe('the weekly cancer PTL in the server', () => {
  it('is built giving way to other work between slices of pathways, with the same answer as straight through', async () => {
    const { store, commands } = tempStore();
    const lines = generatedLines(3000, 15);
    commands.appendMany(requestsOf(lines, 'test'));
    // The Sunday with the most open pathways: more than a slice, so the build yields.
    const first = lines[0]!.recordedAt.slice(0, 10) as IsoDate;
    const sundays = Array.from({ length: 60 }, (_, i) => addDays(first, 7 - dayOfWeek(first) + 7 * i));
    const sunday = sundays.reduce((a, b) =>
      store.backlog.asOfNow(b, '2027-06-01').open > store.backlog.asOfNow(a, '2027-06-01').open ? b : a,
    );
    const straight = buildCanptl(store, sunday);
    expect(straight.open62).toBeGreaterThan(SLICE);
    let finished = false;
    let otherWorkRanFirst = false;
    const building = runGivingWay(canptlSlices(store, sunday)).then((c) => {
      finished = true;
      return c;
    });
    setImmediate(() => {
      otherWorkRanFirst = !finished;
    });
    expect(await building).toEqual(straight);
    expect(otherWorkRanFirst).toBe(true);
  }, 120_000);
});

describe('openptl canptl', { timeout: 120_000 }, () => {
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

  it('refuses a date that is not a Sunday, with the reason', () => {
    expect(weekEndingProblem('2026-11-24', new Date('2026-11-25T09:00:00Z'))).toBe(
      '2026-11-24 is a Tuesday: the weekly cancer PTL is a snapshot at 23:59 on a Sunday; the Sunday before is 22 Nov 2026 (2026-11-22)',
    );
    expect(weekEndingProblem(SUNDAY, new Date('2026-11-22T22:00:00Z'))).toBe(
      'the week ending 22 Nov 2026 has not ended yet (it ends at 23:59 that Sunday)',
    );
    expect(weekEndingProblem(SUNDAY, new Date('2026-11-23T00:00:00Z'))).toBeNull();
    const { file } = tempStore('2026-11-25T09:00:00Z');
    const dir = tempDir();
    const r = run(['canptl', '--week-ending', '2026-11-24', '--out', dir, '--db', file]);
    expect([r.status, r.stdout, r.stderr.trim()]).toEqual([
      2,
      '',
      'openptl: --week-ending: 2026-11-24 is a Tuesday: the weekly cancer PTL is a snapshot at 23:59 on a Sunday; the Sunday before is 22 Nov 2026 (2026-11-22)',
    ]);
    const bad = run(['canptl', '--week-ending', '2026-11-31', '--out', dir, '--db', file]);
    expect([bad.status, bad.stderr.trim()]).toEqual([
      2,
      'openptl: --week-ending: must be a real calendar date, YYYY-MM-DD (got 2026-11-31)',
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('writes the CSV, the JSON with its open62 total, and the patient list', () => {
    const { store, file } = tempStore('2026-11-25T09:00:00Z');
    week(store);
    const dir = tempDir();
    const r = run(['canptl', '--week-ending', SUNDAY, '--out', dir, '--db', file]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      weekEnding: SUNDAY,
      open62: 8,
      passedDay28: 1,
      referralsReceived: 4,
      firstSeen: 1,
    });
    expect(readdirSync(dir).sort()).toEqual([
      `canptl-${SUNDAY}-patients.csv`,
      `canptl-${SUNDAY}.csv`,
      `canptl-${SUNDAY}.json`,
    ]);
    expect(JSON.parse(readFileSync(join(dir, `canptl-${SUNDAY}.json`), 'utf8')).open62).toBe(8);
  });
});
