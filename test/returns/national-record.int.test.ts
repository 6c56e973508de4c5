// Issue #24, the national record accepted as it stands: for each item, timelines recorded event by
// event, and a month's extract made as at a later month, read record by record.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildCwtExtract,
  cwtFiles,
  NATIONAL_ORDER,
  NATIONAL_ORDER_CONFIRMED,
  PREVIEW_MARK,
} from '../../src/returns/cwt-extract.ts';
import type { CwtRecord, RecordItem } from '../../src/returns/cwt-record.ts';
import { buildReport } from '../../src/report/report.ts';
import { daysBetween, type Instant, type IsoDate } from '../../src/vocabulary/calendar.ts';
import type { Store } from '../../src/store/store.ts';
import { tempDir, tempStore } from '../support/store.ts';
import { ev, nhsNumber, record, type RawEvent } from '../support/national.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
/** Early December: every return below is made as at a later month than its own. */
const DECEMBER = '2026-12-03T17:00:00.000Z';

const ref = (on: IsoDate, tumourSite: string, i: number, extra: Record<string, unknown> = {}): RawEvent =>
  ev('referral_received', on, {
    route: 'urgent_suspected_cancer',
    tumourSite,
    nhsNumber: nhsNumber(i),
    provider: 'RAJ',
    nhsNumberStatus: '01',
    sourceOfReferral: '03',
    decisionToReferOn: on,
    id: 'r',
    ...extra,
  });
const seen = (on: IsoDate, extra: Record<string, unknown> = {}) => ev('first_seen', on, { site: 'RAJ01', ...extra });
const told = (on: IsoDate, outcome: string, extra: Record<string, unknown> = {}) =>
  ev('diagnosis_communicated', on, {
    outcome,
    site: 'RAJ01',
    communicationMethod: '01',
    informedBy: '01',
    id: 'dx',
    ...(outcome === 'cancer_confirmed' ? { primaryDiagnosis: 'C34.1', laterality: 'R' } : {}),
    ...extra,
  });
const dtt = (on: IsoDate, extra: Record<string, unknown> = {}) =>
  ev('decision_to_treat', on, { site: 'RAJ01', ...extra });
const treat = (on: IsoDate, extra: Record<string, unknown> = {}) =>
  ev('treatment_started', on, { modality: 'surgery', site: 'RAJ01', careSetting: '01', ...extra });

/** A month's records of one pathway (held back or not), as at early December. */
function recordsOf(store: Store, period: string, pathwayId: string, asAt: Instant = DECEMBER): CwtRecord[] {
  const e = buildCwtExtract(store, period, asAt);
  return [...e.records, ...e.heldBack].filter((r) => r.pathwayId === pathwayId);
}
const only = (store: Store, period: string, pathwayId: string, asAt: Instant = DECEMBER) => {
  const found = recordsOf(store, period, pathwayId, asAt);
  expect(found, `${pathwayId} in ${period}`).toHaveLength(1);
  return found[0]!;
};
const pick = (r: CwtRecord, items: readonly RecordItem[]) => Object.fromEntries(items.map((k) => [k, r.values[k]]));

/** The pathway's items: the same in its faster diagnosis month's record and its first treatment month's. */
const PATHWAY_ITEMS = [
  'nhsNumber',
  'nhsNumberStatus',
  'pathwayId',
  'pathwayIdIssuer',
  'sourceOfReferral',
  'priorityType',
  'decisionToReferOn',
  'periodStart',
  'referralType',
  'firstSeenOn',
  'firstSeenSite',
  'firstSeenAdjustment',
  'firstSeenAdjustmentReason',
  'primaryDiagnosis',
  'laterality',
  'fdsEndOn',
  'fdsEndSite',
  'fdsEndReason',
  'fdsExclusionReason',
  'fdsCommunicationMethod',
  'fdsInformedBy',
  'fdsDelayReason',
] as const satisfies readonly RecordItem[];

describe('1. a faster diagnosis record belongs to the month the patient was told, whatever happens next', () => {
  const { store } = tempStore('2026-12-05T09:00:00Z');
  // Told in October; decided and treated in November.
  record(
    store,
    'A',
    ref('2026-09-25', 'lung', 1),
    seen('2026-09-25'),
    told('2026-10-20', 'cancer_confirmed'),
    dtt('2026-11-02'),
    treat('2026-11-20'),
  );
  // Told in October; declined all treatment in November.
  record(
    store,
    'B',
    ref('2026-09-26', 'lung', 2),
    seen('2026-09-28'),
    told('2026-10-21', 'cancer_confirmed'),
    ev('removed', '2026-11-10', { reason: 'declined_all_treatment' }),
  );
  // Told, decided and treated in October: one record.
  record(
    store,
    'C',
    ref('2026-09-22', 'lung', 3),
    seen('2026-09-29'),
    told('2026-10-09', 'cancer_confirmed'),
    dtt('2026-10-12'),
    treat('2026-10-30'),
  );

  it('keeps the outcome in its own month once the patient is treated or declines in the next, and the file made in December equals the one made in November', () => {
    const october = buildCwtExtract(store, '2026-10', DECEMBER);
    expect(october.records.map((r) => [r.pathwayId, r.kind, r.date, r.values.patientStatus])).toEqual(
      [
        ['C', 'treatment', '2026-10-30', '08'],
        ['A', 'faster_diagnosis', '2026-10-20', '10'],
        ['B', 'faster_diagnosis', '2026-10-21', '10'],
      ].sort((a, b) => (a[2]! < b[2]! ? -1 : 1)),
    );
    expect(october.heldBack).toEqual([]);
    expect(cwtFiles(october)).toEqual(cwtFiles(buildCwtExtract(store, '2026-10', '2026-11-05T17:00:00.000Z')));
  });
  it("gives the first treatment's record of the next month the same identity and the same referral, first-seen and faster diagnosis items: one outcome, counted once", () => {
    for (const id of ['A', 'B']) {
      const outcome = only(store, '2026-10', id);
      const treatment = only(store, '2026-11', id);
      expect(treatment.kind).toBe('treatment');
      expect(pick(treatment, PATHWAY_ITEMS), id).toEqual(pick(outcome, PATHWAY_ITEMS));
      expect(outcome.values).toMatchObject({ fdsEndOn: outcome.date, fdsEndReason: '01', treatmentOn: '' });
    }
    expect(only(store, '2026-11', 'A').values).toMatchObject({
      patientStatus: '08',
      treatmentOn: '2026-11-20',
      eventType: '01',
    });
    expect(only(store, '2026-11', 'B').values).toMatchObject({
      patientStatus: '07',
      treatmentOn: '2026-11-10',
      modality: '98',
    });
    expect(recordsOf(store, '2026-11', 'C')).toEqual([]);
  });
});

describe('2. consultant upgrades keep their first-seen items', () => {
  const { store } = tempStore('2026-12-05T09:00:00Z');
  // Upgraded on 3 August; the first appointment missed and rebooked on 12 August (R5); treated on day 60 of the restarted clock (69 from the upgrade).
  record(
    store,
    'U',
    ref('2026-08-03', 'urological', 4, {
      route: 'consultant_upgrade',
      priorityType: '2',
      sourceOfReferral: '05',
      upgradeSite: 'RAJ02',
      decisionToReferOn: undefined,
    }),
    ev('appointment_booked', '2026-08-04', { appointmentOn: '2026-08-10', appointment: 'first' }),
    ev('dna', '2026-08-10', { appointment: 'first' }),
    ev('appointment_booked', '2026-08-12', { appointmentOn: '2026-08-19', appointment: 'first' }),
    seen('2026-08-19', { site: 'RAJ02' }),
    told('2026-09-01', 'cancer_confirmed', { primaryDiagnosis: 'C61.X', laterality: '8' }),
    dtt('2026-09-20'),
    treat('2026-10-11'),
  );

  it('carries the date first seen, its site and the first-seen adjustment and reason, so national processing counts the same 60 days', () => {
    const u = only(store, '2026-10', 'U');
    expect(u.problems).toEqual([]);
    expect(u.values).toMatchObject({
      upgradeOn: '2026-08-03',
      upgradeSite: 'RAJ02',
      periodStart: '2026-08-03',
      firstSeenOn: '2026-08-19',
      firstSeenSite: 'RAJ02',
      firstSeenAdjustment: '9',
      firstSeenAdjustmentReason: '3',
      fdsEndOn: '', // no faster diagnosis clock on an upgrade (R3)
      treatmentOn: '2026-10-11',
    });
    // National 62-day processing: treatment - upgrade - first-seen adjustment - treatment adjustment.
    const v = u.values;
    const national =
      daysBetween(v.upgradeOn as IsoDate, v.treatmentOn as IsoDate) -
      Number(v.firstSeenAdjustment) -
      Number(v.treatmentAdjustment);
    expect(national).toBe(60);
  });
});

describe('3. first seen by a test needs its site too', () => {
  const { store } = tempStore('2026-12-05T09:00:00Z');
  const straightToTest = (id: string, i: number, test: Record<string, unknown>) =>
    record(
      store,
      id,
      ref('2026-09-01', 'lower_gi', i),
      ev('triaged', '2026-09-02', { outcome: 'straight_to_test' }),
      ev('test_requested', '2026-09-02', { test: 'colonoscopy' }),
      ev('test_reported', '2026-09-19', { test: 'colonoscopy', id: 'scope', ...test }),
      told('2026-10-02', 'cancer_ruled_out', { delayReason: '02' }),
    );
  straightToTest('T1', 5, {});
  straightToTest('T2', 6, { site: 'RAJ03' });

  it('holds back a record whose first contact was a test with no site, naming the test and its field; takes the site given on the test or added later', () => {
    const held = only(store, '2026-10', 'T1');
    expect(held.problems).toEqual([
      {
        item: 'firstSeenSite',
        kind: 'missing',
        problem: 'the site of the diagnostic test that was the first contact is missing',
        fix: { event: 'scope', field: 'site' },
      },
    ]);
    expect(only(store, '2026-10', 'T2')).toMatchObject({
      problems: [],
      values: { firstSeenOn: '2026-09-19', firstSeenSite: 'RAJ03' },
    });
    record(store, 'T1', ev('national_items_added', '2026-12-01', { target: 'scope', site: 'RAJ04' }));
    expect(only(store, '2026-10', 'T1')).toMatchObject({ problems: [], values: { firstSeenSite: 'RAJ04' } });
  });
  it('(10) no longer asks for a delay reason for a first seen after day 14: the national measures read none since the two-week-wait standard ended', () => {
    expect(daysBetween('2026-09-01', '2026-09-19')).toBeGreaterThan(14);
    expect(only(store, '2026-10', 'T2').values.firstSeenDelayReason).toBe('');
    expect(only(store, '2026-10', 'T2').problems).toEqual([]);
  });
});

describe('4. a decision to treat before the patient is told (R8)', () => {
  const { store } = tempStore('2026-12-05T09:00:00Z');
  // Decided on 5 October, before being told in November that cancer was ruled out.
  record(
    store,
    'D',
    ref('2026-09-28', 'skin', 7),
    seen('2026-10-01'),
    dtt('2026-10-05', { site: 'RAJ02' }),
    told('2026-11-03', 'cancer_ruled_out', { site: 'RAJ03', communicationMethod: '02', informedBy: '02' }),
  );
  // Decided on 5 October, told of cancer on the 10th, treated on the 20th.
  record(
    store,
    'E',
    ref('2026-09-28', 'skin', 8),
    seen('2026-10-01'),
    dtt('2026-10-05', { site: 'RAJ02' }),
    told('2026-10-10', 'cancer_confirmed', { site: 'RAJ03', communicationMethod: '02' }),
    treat('2026-10-20'),
  );

  it('submits the decision to treat as the FDS end date (the pathway ends at whichever comes first), with the end reason, its site and how and by whom the patient was told as they were', () => {
    const d = only(store, '2026-10', 'D');
    expect(d.kind).toBe('faster_diagnosis');
    expect(d.values).toMatchObject({
      fdsEndOn: '2026-10-05',
      fdsEndReason: '02',
      fdsEndSite: 'RAJ03',
      fdsCommunicationMethod: '02',
      fdsInformedBy: '02',
      patientStatus: '03',
      primaryDiagnosis: '',
    });
    expect(d.problems).toEqual([]);
    expect(only(store, '2026-10', 'E').values).toMatchObject({
      fdsEndOn: '2026-10-05',
      fdsEndReason: '01',
      fdsEndSite: 'RAJ03',
      fdsCommunicationMethod: '02',
      treatmentPeriodStart: '2026-10-05',
    });
    expect(recordsOf(store, '2026-11', 'D')).toEqual([]);
  });
});

describe('5. records after the first treatment carry only their own items', () => {
  const { store } = tempStore('2026-12-05T09:00:00Z');
  // Diagnosed at RAJ, transferred to RGT on day 30, operated on there in September; chemotherapy in October.
  record(
    store,
    'L',
    ref('2026-07-01', 'breast', 9),
    seen('2026-07-06'),
    ev('mdt_discussed', '2026-07-20'),
    told('2026-07-22', 'cancer_confirmed', { primaryDiagnosis: 'C50.9', laterality: 'L' }),
    ev('transferred', '2026-07-31', { toProvider: 'RGT' }),
    dtt('2026-08-10', { site: 'RGT01' }),
    treat('2026-09-01', { site: 'RGT01' }),
    dtt('2026-09-15', { site: 'RGT01' }),
    treat('2026-10-06', { modality: 'chemotherapy', site: 'RGT01', careSetting: '03' }),
  );

  it('gives the first treatment the pathway, the transfer and the treatment items, and a later treatment only its own', () => {
    expect(only(store, '2026-09', 'L').values).toMatchObject({
      investigatingProvider: 'RAJ',
      transferOn: '2026-07-31',
      fdsEndOn: '2026-07-22',
      mdtDiscussed: 'Y',
      periodStart: '2026-07-01',
    });
    const later = only(store, '2026-10', 'L');
    expect(later.problems).toEqual([]);
    const carried = Object.entries(later.values)
      .filter(([, v]) => v !== '')
      .map(([k]) => k);
    expect(carried.sort()).toEqual(
      [
        'nhsNumber',
        'nhsNumberStatus',
        'pathwayId',
        'pathwayIdIssuer',
        'patientStatus',
        'primaryDiagnosis',
        'laterality',
        'treatmentPeriodStart',
        'decisionSite',
        'treatmentOn',
        'treatmentSite',
        'eventType',
        'modality',
        'careSetting',
        'treatmentAdjustment',
      ].sort(),
    );
    expect(later.values).toMatchObject({ patientStatus: '21', eventType: '02', treatmentPeriodStart: '2026-09-15' });
  });
});

describe('6. cancers found by other routes, and recurrences', () => {
  const { store } = tempStore('2026-12-05T09:00:00Z');
  // Found after an emergency admission: the 31-day standard only.
  record(
    store,
    'O',
    ref('2026-10-01', 'lower_gi', 10, {
      route: 'thirty_one_day_only',
      sourceOfReferral: '01',
      priorityType: '2',
      decisionToReferOn: undefined,
    }),
    told('2026-10-05', 'cancer_confirmed', { primaryDiagnosis: 'C18.7', laterality: '8' }),
    dtt('2026-10-06'),
    treat('2026-10-20'),
  );
  // A suspected cancer referral whose diagnosis is a local recurrence, told in September.
  record(
    store,
    'Q',
    ref('2026-09-01', 'lung', 11),
    seen('2026-09-05'),
    told('2026-09-25', 'cancer_confirmed', { recurrence: 'local' }),
    dtt('2026-10-01'),
    treat('2026-11-20'),
  );

  it('makes a 31-day record for a cancer found outside the urgent routes: no referral period, first seen or faster diagnosis items', () => {
    expect(recordsOf(store, '2026-10', 'O').map((r) => r.kind)).toEqual(['treatment']);
    const o = only(store, '2026-10', 'O');
    expect(o.problems).toEqual([]);
    expect(o.values).toMatchObject({
      sourceOfReferral: '01',
      priorityType: '2',
      periodStart: '',
      referralType: '',
      firstSeenOn: '',
      fdsEndOn: '',
      patientStatus: '08',
      primaryDiagnosis: 'C18.7',
      treatmentPeriodStart: '2026-10-06',
      eventType: '01',
    });
  });
  it("counts a recurrence's faster diagnosis outcome in its month, and its treatment in the 31-day standard only, with a recurrence event type", () => {
    expect(only(store, '2026-09', 'Q').values).toMatchObject({
      fdsEndOn: '2026-09-25',
      fdsEndReason: '01',
      patientStatus: '16',
    });
    expect(only(store, '2026-11', 'Q').values).toMatchObject({
      eventType: '03',
      patientStatus: '22',
      fdsEndOn: '2026-09-25',
    });
    const november = buildReport(store, '2026-11-30').performance.monthToDate.standards;
    expect(november.d31.all).toEqual({ stopped: 1, met: 0, rate: 0 }); // 50 days from the decision
    expect(november.d62.all).toBeUndefined();
  });
});

describe('7. breach allocation with a pause before the transfer', () => {
  const { store } = tempStore('2026-12-05T09:00:00Z');
  // Decided at RAJ; a declined offer (10 days) before the transfer to RGT on day 45; treated on day
  // 79, 69 adjusted days: the treating provider had the patient for 24 adjusted days, within 24, so
  // the breach is RAJ's (scenario 5). Taking the pause off the days to the transfer (35, by day 38)
  // would have given it to RGT.
  record(
    store,
    'X',
    ref('2026-07-01', 'head_and_neck', 12),
    seen('2026-07-06'),
    told('2026-07-16', 'cancer_confirmed', { primaryDiagnosis: 'C32.0', laterality: '8' }),
    dtt('2026-07-20'),
    ev('treatment_offer_declined', '2026-07-25', {
      offeredFor: '2026-07-31',
      availableFrom: '2026-08-10',
      setting: 'admitted',
    }),
    ev('transferred', '2026-08-15', { toProvider: 'RGT' }),
    treat('2026-09-18', { site: 'RGT01', delayReason: '02' }),
  );

  it('names the referring provider accountable on the record, and allocates the breach to it in the report, the arithmetic shown', () => {
    expect(only(store, '2026-09', 'X').values).toMatchObject({
      investigatingProvider: 'RAJ',
      transferOn: '2026-08-15',
      treatmentAdjustment: '10',
    });
    const report = buildReport(store, '2026-10-15');
    const [stop] = report.breachedStops.lastMonth.filter((s) => s.clock === 'd62');
    expect(stop!.allocation).toMatchObject({
      scenario: 5,
      treating: 'RGT',
      accountable: 'RAJ',
      daysToTransfer: 45,
      daysAfterTransfer: 24,
      shares: [{ provider: 'RAJ', breaches: 1, patients: 1 }],
    });
    expect(report.performance.lastMonth.standards.d62.all).toEqual({ stopped: 1, met: 0, rate: 0 });
  });
});

describe('8. removed before being told', () => {
  const { store } = tempStore('2026-12-05T09:00:00Z');
  record(
    store,
    'DIED',
    ref('2026-09-10', 'upper_gi', 13),
    seen('2026-09-15'),
    ev('removed', '2026-10-12', { reason: 'patient_died', site: 'RAJ01' }),
  );
  record(
    store,
    'TESTS',
    ref('2026-09-10', 'upper_gi', 14),
    seen('2026-09-15'),
    ev('removed', '2026-10-14', { reason: 'declined_all_tests', id: 'rm' }),
  );
  record(
    store,
    'MOVED',
    ref('2026-09-10', 'upper_gi', 15),
    seen('2026-09-15'),
    ev('removed', '2026-10-16', { reason: 'moved_away' }),
  );

  it('makes the faster diagnosis record: end reason 03 and the exclusion reason the trust maps to the removal, in the month of the removal', () => {
    const died = only(store, '2026-10', 'DIED');
    expect(died.problems).toEqual([]);
    expect(died).toMatchObject({
      kind: 'faster_diagnosis',
      date: '2026-10-12',
      values: {
        fdsEndOn: '2026-10-12',
        fdsEndReason: '03',
        fdsExclusionReason: '01',
        fdsEndSite: 'RAJ01',
        fdsCommunicationMethod: '',
        primaryDiagnosis: '',
        patientStatus: '14',
      },
    });
    const tests = only(store, '2026-10', 'TESTS');
    expect(tests.values).toMatchObject({ fdsEndReason: '03', fdsExclusionReason: '02' });
    expect(tests.problems).toEqual([
      {
        item: 'fdsEndSite',
        kind: 'missing',
        problem: 'the site where the faster diagnosis pathway ended is missing',
        fix: { event: 'rm', field: 'site' },
      },
    ]);
    expect(recordsOf(store, '2026-10', 'MOVED')).toEqual([]);
  });
});

describe('9. the national upload layout', () => {
  const documented = readFileSync(join(import.meta.dirname, '../../docs/returns.md'), 'utf8')
    .split('\n')
    .flatMap((line) => {
      const m = /^\| (\d+) \| ([A-Z][^|]+?) \| `(\w+)` \| (confirmed|not confirmed) \|/.exec(line);
      return m ? [{ position: Number(m[1]), element: m[2]!, item: m[3]!, confirmed: m[4] === 'confirmed' }] : [];
    });

  it('is the order documented in docs/returns.md, item by item, the first 22 marked confirmed', () => {
    expect(documented.map((d) => d.position)).toEqual(NATIONAL_ORDER.map((_, i) => i + 1));
    expect(documented.map((d) => d.item)).toEqual([...NATIONAL_ORDER]);
    expect(documented.filter((d) => d.confirmed).map((d) => d.position)).toEqual(
      Array.from({ length: NATIONAL_ORDER_CONFIRMED }, (_, i) => i + 1),
    );
    // The elements are the data dictionary's names, as the trust layout's header writes them by default.
    const { store } = tempStore();
    const names = new Map(store.codes.columns().map((c) => [c.item, c.element]));
    expect(documented.map((d) => d.element)).toEqual(NATIONAL_ORDER.map((i) => names.get(i)));
  });

  it('is written with no header, one line per record in the documented order, by openptl cwt-extract --layout national; the trust layout keeps its header', () => {
    const { store, file } = tempStore('2026-12-05T09:00:00Z');
    record(store, 'N1', ref('2026-09-25', 'lung', 16), seen('2026-09-28'), told('2026-10-20', 'cancer_ruled_out'));
    store.codes.setColumns(
      [
        { item: 'pathwayId', element: 'PPI' },
        { item: 'nhsNumber', element: 'NHS NUMBER' },
      ],
      NATIONAL_ORDER,
    );
    const dir = tempDir();
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [bin, 'cwt-extract', '--period', '2026-10', '--out', dir, '--as-at', DECEMBER, '--db', file, ...args],
        {
          encoding: 'utf8',
        },
      );
    const national = run('--layout', 'national');
    expect(national.stderr).toBe('');
    expect(JSON.parse(national.stdout)).toMatchObject({ layout: 'national', records: 1 });
    const lines = readFileSync(join(dir, 'cwt-2026-10-national-part1.csv'), 'utf8').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const cells = lines[0]!.split(',');
    expect(cells).toHaveLength(NATIONAL_ORDER.length);
    const at = (item: string) => cells[documented.find((d) => d.item === item)!.position - 1];
    expect([at('nhsNumber'), at('pathwayId'), at('patientStatus'), at('fdsEndOn'), at('fdsEndReason')]).toEqual([
      nhsNumber(16),
      'N1',
      '03',
      '2026-10-20',
      '02',
    ]);
    expect(run().status).toBe(0);
    expect(readFileSync(join(dir, 'cwt-2026-10-part1.csv'), 'utf8')).toBe(`PPI,NHS NUMBER\r\nN1,${nhsNumber(16)}\r\n`);
    const bad = run('--layout', 'xml');
    expect([bad.status, bad.stderr.trim()]).toEqual([
      2,
      "openptl: --layout: must be trust (the trust's columns with a header, to review) or national (the upload layout, no header); got xml",
    ]);
  }, 60_000);
});

describe('12. a preview with the test numbers', () => {
  it('includes them, and marks every file of both layouts and the validation file as not for submission', () => {
    const { store } = tempStore('2026-12-05T09:00:00Z');
    record(
      store,
      'Z',
      { ...ref('2026-09-20', 'lung', 0), nhsNumber: '9990000018', nhsNumberStatus: undefined },
      seen('2026-09-25'),
      told('2026-10-20', 'cancer_ruled_out'),
    );
    expect(buildCwtExtract(store, '2026-10', DECEMBER)).toMatchObject({
      records: [],
      heldBack: [],
      testNumbersLeftOut: 1,
    });
    const preview = buildCwtExtract(store, '2026-10', DECEMBER, { preview: true });
    expect(preview).toMatchObject({ preview: true, testNumbersIncluded: 1, testNumbersLeftOut: 0 });
    expect(preview.heldBack.map((r) => r.pathwayId)).toEqual(['Z']); // its NHS number status is missing
    for (const layout of ['trust', 'national'] as const)
      for (const [name, text] of cwtFiles(preview, layout)) {
        expect(name).toMatch(/^cwt-2026-10-PREVIEW-/);
        expect(text.split('\r\n')[0]).toBe(PREVIEW_MARK);
      }
  });
});
