// The monthly CWT submission (issue #14), checked record by record on a month of pathways built by
// hand to cover every record scenario: first seen and ruled out; diagnosed and treated; treated
// elsewhere after a transfer; subsequent treatments; an upgrade; screening; a DNA adjustment; a
// treatment pause; an interval scan; all treatment declined; a test NHS number; missing items fixed
// by national items added later; a treatment recorded after the moment of the return.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCwtExtract, cwtFiles, RECORDS_PER_FILE, writeCwtExtract } from '../../src/returns/cwt-extract.ts';
import { RECORD_ITEMS, type CwtRecord } from '../../src/returns/cwt-record.ts';
import type { Store } from '../../src/store/store.ts';
import { tempDir, tempStore } from '../support/store.ts';
import { ev, nhsNumber, record, type RawEvent } from '../support/national.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const AS_AT = '2026-11-20T18:00:00.000Z';
const EMPTY = Object.fromEntries(RECORD_ITEMS.map((k) => [k, ''])) as Record<string, string>;

const ref = (
  on: IsoDate,
  tumourSite: string,
  extra: Record<string, unknown> = {},
  route = 'urgent_suspected_cancer',
): RawEvent =>
  ev('referral_received', on, {
    route,
    tumourSite,
    provider: 'RAJ',
    nhsNumberStatus: '01',
    sourceOfReferral: '03',
    id: 'r',
    ...extra,
  });
const seen = (on: IsoDate, site = 'RAJ01', extra = {}) => ev('first_seen', on, { site, ...extra });
const told = (on: IsoDate, outcome: string, extra: Record<string, unknown> = {}) =>
  ev('diagnosis_communicated', on, {
    outcome,
    site: 'RAJ01',
    communicationMethod: '01',
    informedBy: '01',
    id: 'dx',
    ...extra,
  });
const cancer = (on: IsoDate, icd: string, laterality: string, extra = {}) =>
  told(on, 'cancer_confirmed', { primaryDiagnosis: icd, laterality, ...extra });
const dtt = (on: IsoDate, site = 'RAJ01', extra = {}) => ev('decision_to_treat', on, { site, ...extra });
const treat = (on: IsoDate, modality: string, site: string, careSetting: string, extra = {}) =>
  ev('treatment_started', on, { modality, site, careSetting, ...extra });

/** The month of October 2026, recorded by 20 November (and one treatment recorded on the 24th). */
function october(store: Store): void {
  record(
    store,
    'A',
    ref('2026-09-20', 'lower_gi', { nhsNumber: nhsNumber(1), decisionToReferOn: '2026-09-18' }),
    seen('2026-09-28'),
    told('2026-10-06', 'cancer_ruled_out', { informedBy: '02' }),
  );
  record(
    store,
    'B',
    ref('2026-08-10', 'lung', { nhsNumber: nhsNumber(2), decisionToReferOn: '2026-08-08' }),
    seen('2026-08-17'),
    ev('mdt_discussed', '2026-09-01'),
    cancer('2026-09-03', 'C34.1', 'R', { communicationMethod: '02' }),
    dtt('2026-09-15', 'RAJ02'),
    treat('2026-10-05', 'surgery', 'RAJ02', '01'),
  );
  // Diagnosed at one hospital (RQ8), transferred on day 47 and treated at another (RGT): 31-day wait breached, with its reason.
  record(
    store,
    'C',
    ref('2026-07-20', 'head_and_neck', { nhsNumber: nhsNumber(3), decisionToReferOn: '2026-07-17', provider: 'RQ8' }),
    seen('2026-07-27', 'RQ801'),
    cancer('2026-08-14', 'C32.0', '8', { site: 'RQ801' }),
    ev('transferred', '2026-09-05', { toProvider: 'RGT' }),
    dtt('2026-09-10', 'RGT01'),
    treat('2026-10-12', 'surgery', 'RGT01', '01', { delayReason: '02' }),
  );
  // Surgery in August, then chemotherapy (after an earliest clinically appropriate date) and radiotherapy in October.
  record(
    store,
    'D',
    ref('2026-07-01', 'breast', { nhsNumber: nhsNumber(4), decisionToReferOn: '2026-06-30' }),
    seen('2026-07-08'),
    cancer('2026-07-28', 'C50.9', 'L', { communicationMethod: '02' }),
    dtt('2026-08-10'),
    treat('2026-08-30', 'surgery', 'RAJ01', '01'),
    dtt('2026-09-10', 'RAJ01', { earliestClinicallyAppropriateDate: '2026-09-30' }),
    treat('2026-10-15', 'chemotherapy', 'RAJ01', '02', { eventType: '02' }),
    dtt('2026-10-20'),
    treat('2026-10-28', 'radiotherapy', 'RAJ01', '03'),
  );
  record(
    store,
    'E',
    ref(
      '2026-09-01',
      'urological',
      { nhsNumber: nhsNumber(5), provider: 'RDD', priorityType: '2', sourceOfReferral: '05', upgradeSite: 'RDD01' },
      'consultant_upgrade',
    ),
    cancer('2026-09-20', 'C61.X', '8', { site: 'RDD01' }),
    dtt('2026-09-25', 'RDD01'),
    treat('2026-10-02', 'hormone_therapy', 'RDD01', '03'),
  );
  // Screening: no source of referral or priority recorded (the route implies them), first seen by a test.
  record(
    store,
    'F',
    ev('referral_received', '2026-08-20', {
      route: 'screening',
      tumourSite: 'lower_gi',
      provider: 'RAJ',
      nhsNumber: nhsNumber(6),
      nhsNumberStatus: '01',
    }),
    ev('test_requested', '2026-08-21', { test: 'colonoscopy' }),
    ev('test_reported', '2026-08-28', { test: 'colonoscopy', site: 'RAJ03' }),
    cancer('2026-09-10', 'C18.7', '8'),
    dtt('2026-09-20'),
    treat('2026-10-08', 'surgery', 'RAJ01', '01'),
  );
  // A missed first appointment, rebooked on 10 September: the clocks restart (R5).
  record(
    store,
    'G',
    ref('2026-09-01', 'skin', { nhsNumber: nhsNumber(7), decisionToReferOn: '2026-08-31' }),
    ev('appointment_booked', '2026-09-02', { appointmentOn: '2026-09-08', appointment: 'first' }),
    ev('dna', '2026-09-08', { appointment: 'first' }),
    ev('appointment_booked', '2026-09-10', { appointmentOn: '2026-09-15', appointment: 'first' }),
    seen('2026-09-15'),
    told('2026-10-02', 'cancer_ruled_out', { informedBy: '02' }),
  );
  // A declined offer of admission: 14 days off the wait (R7).
  record(
    store,
    'H',
    ref('2026-08-03', 'lung', { nhsNumber: nhsNumber(8), decisionToReferOn: '2026-08-01' }),
    seen('2026-08-05'),
    cancer('2026-08-20', 'C34.3', 'L'),
    dtt('2026-09-01', 'RAJ02'),
    ev('treatment_offer_declined', '2026-09-05', {
      offeredFor: '2026-09-10',
      availableFrom: '2026-09-24',
      setting: 'admitted',
    }),
    treat('2026-10-06', 'surgery', 'RAJ02', '01'),
  );
  record(
    store,
    'I',
    ref('2026-09-15', 'lung', { nhsNumber: nhsNumber(9), decisionToReferOn: '2026-09-14' }),
    seen('2026-09-20'),
    told('2026-10-10', 'interval_scan', { informedBy: '02' }),
  );
  record(
    store,
    'J',
    ref('2026-08-20', 'upper_gi', { nhsNumber: nhsNumber(10), decisionToReferOn: '2026-08-19' }),
    seen('2026-08-25'),
    cancer('2026-09-20', 'C16.9', '8', { delayReason: '02' }),
    ev('removed', '2026-10-05', { reason: 'declined_all_treatment' }),
  );
  record(
    store,
    'K',
    ref('2026-09-20', 'lower_gi', { nhsNumber: '9990000018', decisionToReferOn: '2026-09-18' }),
    seen('2026-09-28'),
    told('2026-10-06', 'cancer_ruled_out'),
  );
  // Items missing: the FDS was breached (day 35) and the 62-day wait too (day 101, the 31-day met), with no delay reasons; no treatment site or care setting.
  record(
    store,
    'L',
    ref('2026-07-01', 'lower_gi', { nhsNumber: nhsNumber(11), decisionToReferOn: '2026-06-30' }),
    seen('2026-07-06'),
    cancer('2026-08-05', 'C18.7', '8'),
    dtt('2026-09-20', 'RAJ01', { id: 'dtt' }),
    ev('treatment_started', '2026-10-10', { modality: 'surgery', id: 't1' }),
  );
  record(
    store,
    'N',
    ref('2026-09-25', 'breast', { nhsNumber: nhsNumber(13), decisionToReferOn: '2026-09-24' }),
    seen('2026-09-30'),
    cancer('2026-10-12', 'C50.9', 'L'),
  );
  record(
    store,
    'O',
    ref('2026-10-20', 'lower_gi', { nhsNumber: nhsNumber(14), decisionToReferOn: '2026-10-19' }),
    seen('2026-10-26'),
    told('2026-11-03', 'cancer_ruled_out'),
  );
  record(
    store,
    'P',
    ref('2026-08-20', 'lung', { nhsNumber: nhsNumber(15), decisionToReferOn: '2026-08-19' }),
    seen('2026-08-24'),
    cancer('2026-09-25', 'C34.1', 'R', { delayReason: '01' }),
    dtt('2026-10-01', 'RAJ02'),
    treat('2026-10-20', 'surgery', 'RAJ02', '01', { recordedAt: '2026-11-24T10:00:00.000Z' }),
  );
}

const key = (r: CwtRecord) => `${r.pathwayId}${r.treatment > 1 ? `/${r.treatment}` : ''}`;

describe('the monthly CWT submission, record by record', () => {
  const { store } = tempStore('2026-11-25T09:00:00Z');
  october(store);
  const extract = buildCwtExtract(store, '2026-10', AS_AT);
  const byKey = new Map(extract.records.map((r) => [key(r), r]));
  const values = (k: string) => byKey.get(k)!.values;

  it('has one record per treatment in the month and one per FDS outcome with no treatment, in date order; test numbers left out and counted', () => {
    expect(extract.records.map((r) => [key(r), r.kind, r.date])).toEqual([
      ['E', 'treatment', '2026-10-02'],
      ['G', 'faster_diagnosis', '2026-10-02'],
      ['B', 'treatment', '2026-10-05'],
      ['J', 'treatment', '2026-10-05'],
      ['A', 'faster_diagnosis', '2026-10-06'],
      ['H', 'treatment', '2026-10-06'],
      ['F', 'treatment', '2026-10-08'],
      ['I', 'faster_diagnosis', '2026-10-10'],
      ['C', 'treatment', '2026-10-12'],
      ['N', 'faster_diagnosis', '2026-10-12'],
      ['D/2', 'treatment', '2026-10-15'],
      ['D/3', 'treatment', '2026-10-28'],
    ]);
    expect(extract.heldBack.map(key)).toEqual(['L']);
    expect(extract.testNumbersLeftOut).toBe(1);
  });

  it('first seen and ruled out: the faster diagnosis items, end reason 02, patient status 03', () => {
    expect(values('A')).toEqual({
      ...EMPTY,
      nhsNumber: nhsNumber(1),
      nhsNumberStatus: '01',
      pathwayId: 'A',
      pathwayIdIssuer: 'RAJ',
      sourceOfReferral: '03',
      priorityType: '3',
      decisionToReferOn: '2026-09-18',
      periodStart: '2026-09-20',
      referralType: '07',
      firstSeenOn: '2026-09-28',
      firstSeenSite: 'RAJ01',
      firstSeenAdjustment: '0',
      firstSeenAdjustmentReason: '9',
      mdtDiscussed: 'N',
      patientStatus: '03',
      fdsEndOn: '2026-10-06',
      fdsEndSite: 'RAJ01',
      fdsEndReason: '02',
      fdsCommunicationMethod: '01',
      fdsInformedBy: '02',
    });
  });
  it('diagnosed and treated: the diagnosis, the MDT, the decision and the treatment with national codes', () => {
    expect(values('B')).toEqual({
      ...EMPTY,
      nhsNumber: nhsNumber(2),
      nhsNumberStatus: '01',
      pathwayId: 'B',
      pathwayIdIssuer: 'RAJ',
      sourceOfReferral: '03',
      priorityType: '3',
      decisionToReferOn: '2026-08-08',
      periodStart: '2026-08-10',
      referralType: '03',
      firstSeenOn: '2026-08-17',
      firstSeenSite: 'RAJ01',
      firstSeenAdjustment: '0',
      firstSeenAdjustmentReason: '9',
      mdtDiscussed: 'Y',
      mdtOn: '2026-09-01',
      patientStatus: '08',
      primaryDiagnosis: 'C34.1',
      laterality: 'R',
      fdsEndOn: '2026-09-03',
      fdsEndSite: 'RAJ01',
      fdsEndReason: '01',
      fdsCommunicationMethod: '02',
      fdsInformedBy: '01',
      treatmentPeriodStart: '2026-09-15',
      decisionSite: 'RAJ02',
      treatmentOn: '2026-10-05',
      treatmentSite: 'RAJ02',
      eventType: '01',
      modality: '01',
      careSetting: '01',
      treatmentAdjustment: '0',
    });
  });
  it('treated elsewhere after a transfer: the accountable investigating provider and the transfer date, the 31-day breach with its delay reason', () => {
    expect(values('C')).toMatchObject({
      pathwayIdIssuer: 'RQ8',
      investigatingProvider: 'RQ8',
      transferOn: '2026-09-05',
      decisionSite: 'RGT01',
      treatmentSite: 'RGT01',
      treatmentDelayReason: '02',
      referralType: '13',
    });
  });
  it('subsequent treatments: each its own record with only its own items, event type 02, the 31-day start at the earliest clinically appropriate date or the decision', () => {
    expect(values('D/2')).toEqual({
      ...EMPTY,
      nhsNumber: nhsNumber(4),
      nhsNumberStatus: '01',
      pathwayId: 'D',
      pathwayIdIssuer: 'RAJ',
      patientStatus: '21',
      primaryDiagnosis: 'C50.9',
      laterality: 'L',
      treatmentPeriodStart: '2026-09-30',
      decisionSite: 'RAJ01',
      treatmentOn: '2026-10-15',
      treatmentSite: 'RAJ01',
      eventType: '02',
      modality: '02',
      careSetting: '02',
      treatmentAdjustment: '0',
    });
    expect(values('D/3')).toMatchObject({
      treatmentOn: '2026-10-28',
      treatmentPeriodStart: '2026-10-20',
      eventType: '02',
      modality: '05',
      careSetting: '03',
    });
    expect(byKey.has('D')).toBe(false); // the first treatment was in August
  });
  it('an upgrade: its date and site, no referral type, no first seen or faster diagnosis items', () => {
    expect(values('E')).toMatchObject({
      upgradeOn: '2026-09-01',
      upgradeSite: 'RDD01',
      priorityType: '2',
      sourceOfReferral: '05',
      referralType: '',
      decisionToReferOn: '',
      firstSeenOn: '',
      fdsEndOn: '',
      fdsEndReason: '',
      modality: '03',
      pathwayIdIssuer: 'RDD',
    });
  });
  it('screening: priority 2 and source 17 from the route, first seen by the diagnostic test at its site, no referral type', () => {
    expect(values('F')).toMatchObject({
      priorityType: '2',
      sourceOfReferral: '17',
      referralType: '',
      decisionToReferOn: '',
      firstSeenOn: '2026-08-28',
      firstSeenSite: 'RAJ03',
    });
  });
  it('a DNA adjustment: the days from the referral to the rebooking, reason 3, the period still starting at the referral', () => {
    expect(values('G')).toMatchObject({
      periodStart: '2026-09-01',
      firstSeenAdjustment: '9',
      firstSeenAdjustmentReason: '3',
      fdsEndOn: '2026-10-02',
      fdsEndReason: '02',
    });
  });
  it('a treatment pause: the adjustment in days with reason 8', () => {
    expect(values('H')).toMatchObject({
      treatmentAdjustment: '14',
      treatmentAdjustmentReason: '8',
      treatmentPeriodStart: '2026-09-01',
    });
  });
  it('an interval scan (end reason 04), a diagnosis with no treatment planned yet (status 10), all treatment declined (modality 98, status 07)', () => {
    expect(values('I')).toMatchObject({ fdsEndReason: '04', patientStatus: '03' });
    expect(values('N')).toMatchObject({
      fdsEndReason: '01',
      patientStatus: '10',
      primaryDiagnosis: 'C50.9',
      laterality: 'L',
      treatmentOn: '',
    });
    expect(values('J')).toMatchObject({
      treatmentOn: '2026-10-05',
      modality: '98',
      eventType: '01',
      patientStatus: '07',
      fdsDelayReason: '02',
      treatmentSite: '',
      careSetting: '',
    });
  });
  it('holds back a record that cannot go as it stands, naming each item and the event and field to fill', () => {
    const [l] = extract.heldBack;
    expect(
      l!.problems
        .map((p) => [p.item, p.kind === 'delay_reason' ? 'delay_reason' : p.kind, p.fix])
        .map(([i, , f]) => [i, f]),
    ).toEqual(
      [
        ['fdsDelayReason', { event: 'dx', field: 'delayReason' }],
        ['treatmentSite', { event: 't1', field: 'site' }],
        ['careSetting', { event: 't1', field: 'careSetting' }],
        ['decisionDelayReason', { event: 'dtt', field: 'delayReason' }],
      ].sort(([a], [b]) => order(a as string) - order(b as string)),
    );
    expect(l!.problems.find((p) => p.item === 'decisionDelayReason')!.problem).toBe(
      'the 62-day standard was breached (101 days) before the decision to treat: give the delay reason',
    );
  });
  it('lists the provisional codes the records use', () => {
    expect(extract.unconfirmedCodes).toEqual(
      expect.arrayContaining([
        'patient_status 08',
        'patient_status 21',
        'two_week_wait_type 03',
        'delay_reason 02',
        'adjustment_reason_treatment 8',
      ]),
    );
    expect(extract.unconfirmedCodes.filter((c) => ['patient_status 03', 'patient_status 07'].includes(c))).toEqual([]);
  });

  it("writes the columns in the table's order, named by their elements, one line per record, and the validation file", () => {
    const files = Object.fromEntries(cwtFiles(extract));
    const part = files['cwt-2026-10-part1.csv']!;
    const lines = part.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]!.split(',')).toEqual(store.codes.columns().map((c) => c.element));
    expect(lines[0]!.startsWith('NHS NUMBER,NHS NUMBER STATUS INDICATOR CODE,PATIENT PATHWAY IDENTIFIER,')).toBe(true);
    expect(lines).toHaveLength(13);
    expect(lines[1]!.split(',').slice(0, 4)).toEqual([nhsNumber(5), '01', 'E', 'RDD']);
    expect(part).not.toContain('9990000018');
    const validation = files['cwt-2026-10-validation.csv']!.split('\r\n').filter(Boolean);
    expect(validation[0]).toBe(
      'pathway_id,nhs_number,patient_name,tumour_site,provider,record,record_date,element,item,kind,problem,event_id,field',
    );
    expect(validation.slice(1).map((l) => l.split(',').slice(0, 10))).toContainEqual([
      'L',
      nhsNumber(11),
      '',
      'lower_gi',
      'RAJ',
      'first treatment',
      '2026-10-10',
      'ORGANISATION SITE IDENTIFIER (TREATMENT START DATE (CANCER))',
      'treatmentSite',
      'missing',
    ]);
  });

  it('gives the same bytes run twice as at the same moment, whatever is recorded since; a later moment sees it', () => {
    const first = cwtFiles(buildCwtExtract(store, '2026-10', AS_AT));
    expect(cwtFiles(buildCwtExtract(store, '2026-10', AS_AT))).toEqual(first);
    // National items added on 20 November at noon put L right; P's treatment was recorded on the 24th.
    record(
      store,
      'L',
      ev('national_items_added', '2026-11-20', { target: 't1', site: 'RAJ01', careSetting: '01', delayReason: '02' }),
      ev('national_items_added', '2026-11-20', { target: 'dtt', delayReason: '03' }),
      ev('national_items_added', '2026-11-20', { target: 'dx', delayReason: '02' }),
    );
    expect(cwtFiles(buildCwtExtract(store, '2026-10', '2026-11-20T11:00:00.000Z'))).toEqual(
      cwtFiles(buildCwtExtract(store, '2026-10', '2026-11-20T11:00:00.000Z')),
    );
    expect(cwtFiles(buildCwtExtract(store, '2026-10', AS_AT))).not.toEqual(first);
    const before = buildCwtExtract(store, '2026-10', '2026-11-20T11:00:00.000Z');
    expect(before.heldBack.map(key)).toEqual(['L']);
    const later = buildCwtExtract(store, '2026-10', '2026-11-25T09:00:00.000Z');
    expect(later.heldBack).toEqual([]);
    expect(later.records.map(key)).toEqual(expect.arrayContaining(['L', 'P']));
    expect(later.records.find((r) => r.pathwayId === 'L')!.values).toMatchObject({
      treatmentSite: 'RAJ01',
      careSetting: '01',
      treatmentDelayReason: '02',
      decisionDelayReason: '03',
      fdsDelayReason: '02',
    });
    expect(later.records).toHaveLength(14);
  });

  it("follows the trust's table: a code taken out of a list stops the records that use it; the columns reordered and renamed", () => {
    const { store: s } = tempStore('2026-11-25T09:00:00Z');
    record(
      s,
      'M',
      ref('2026-09-01', 'lower_gi', { nhsNumber: nhsNumber(12), decisionToReferOn: '2026-08-30' }),
      seen('2026-09-07'),
      told('2026-10-05', 'cancer_ruled_out', { delayReason: '07' }),
    );
    expect(buildCwtExtract(s, '2026-10', AS_AT).records.map(key)).toEqual(['M']);
    s.codes.remove('delay_reason', '07');
    expect(buildCwtExtract(s, '2026-10', AS_AT).heldBack[0]!.problems).toEqual([
      {
        item: 'fdsDelayReason',
        kind: 'not_in_list',
        problem: "07 is not in the trust's delay reason list",
        fix: { event: 'dx', field: 'delayReason' },
      },
    ]);
    s.codes.setColumns(
      [
        { item: 'pathwayId', element: 'PPI' },
        { item: 'nhsNumber', element: 'NHS NUMBER' },
      ],
      RECORD_ITEMS,
    );
    s.codes.set({ list: 'delay_reason', code: '07', label: 'Patient cancellation' });
    const [part] = cwtFiles(buildCwtExtract(s, '2026-10', AS_AT));
    expect(part![1]).toBe(`PPI,NHS NUMBER\r\nM,${nhsNumber(12)}\r\n`);
  });
});

/** Problems come in the order the record's items are filled: the data set's group order, roughly. */
function order(item: string): number {
  return ['fdsDelayReason', 'treatmentSite', 'careSetting', 'decisionDelayReason'].indexOf(item);
}

describe('the bulk files', () => {
  it(`split at ${RECORDS_PER_FILE} records a file, and a rerun with fewer removes the parts it no longer writes`, () => {
    const { store, commands } = tempStore('2026-11-25T09:00:00Z');
    const n = RECORDS_PER_FILE + 2;
    const items = [];
    for (let i = 0; i < n; i++) {
      const id = `S${String(i).padStart(5, '0')}`;
      for (const event of [
        ref('2026-10-01', 'skin', { nhsNumber: nhsNumber(100 + i), decisionToReferOn: '2026-09-30' }),
        seen('2026-10-05'),
        told('2026-10-20', 'cancer_ruled_out'),
      ]) {
        items.push({ pathwayId: id, event, actor: 'test', recordedAt: `${event.on}T12:00:00.000Z` as const });
      }
    }
    expect(commands.appendMany(items).every((o) => o === 'written')).toBe(true);
    const dir = tempDir();
    writeFileSync(join(dir, 'cwt-2026-10-part3.csv'), 'left by an earlier run');
    writeFileSync(join(dir, 'cwt-2026-09-part3.csv'), 'another month: kept');
    const { summary } = writeCwtExtract(store, '2026-10', AS_AT, dir);
    expect(summary).toMatchObject({
      records: n,
      parts: [
        { file: 'cwt-2026-10-part1.csv', records: RECORDS_PER_FILE },
        { file: 'cwt-2026-10-part2.csv', records: 2 },
      ],
      heldBack: 0,
    });
    expect(readdirSync(dir).sort()).toEqual([
      'cwt-2026-09-part3.csv',
      'cwt-2026-10-part1.csv',
      'cwt-2026-10-part2.csv',
      'cwt-2026-10-validation.csv',
    ]);
    const rows = (f: string) => readFileSync(join(dir, f), 'utf8').split('\r\n').filter(Boolean).length - 1;
    expect([rows('cwt-2026-10-part1.csv'), rows('cwt-2026-10-part2.csv')]).toEqual([RECORDS_PER_FILE, 2]);
    // Every record once, across the parts.
    const ids = ['cwt-2026-10-part1.csv', 'cwt-2026-10-part2.csv'].flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\r\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(',')[2]),
    );
    expect(new Set(ids).size).toBe(n);
  }, 120_000);
});

// Each run starts the real bin (about two seconds each on a busy machine).
describe('openptl cwt-extract and codes', { timeout: 180_000 }, () => {
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

  it('writes the month as at the moment given, the same bytes twice, and prints a summary', () => {
    const { store, file } = tempStore('2026-11-25T09:00:00Z');
    october(store);
    const [a, b] = [tempDir(), tempDir()];
    const first = run([
      'cwt-extract',
      '--period',
      '2026-10',
      '--out',
      a,
      '--as-at',
      '2026-11-20T18:00:00Z',
      '--db',
      file,
    ]);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({
      period: '2026-10',
      asAt: AS_AT,
      records: 12,
      heldBack: 1,
      problems: 4,
      testNumbersLeftOut: 1,
    });
    expect(
      run(['cwt-extract', '--period', '2026-10', '--out', b, '--as-at', '2026-11-20T18:00:00Z', '--db', file]).status,
    ).toBe(0);
    for (const f of readdirSync(a)) expect(readFileSync(join(b, f))).toEqual(readFileSync(join(a, f)));
    // They hold patient data: private to the service's user, and each run is in the access log.
    for (const f of readdirSync(a)) expect(statSync(join(a, f)).mode & 0o777, f).toBe(0o600);
    expect(store.access.query({ action: 'return_generated' }).entries.map((e) => e.detail)).toEqual([
      { return: 'cwt', period: '2026-10', asAt: AS_AT, files: readdirSync(a).length },
      { return: 'cwt', period: '2026-10', asAt: AS_AT, files: readdirSync(a).length },
    ]);
  });

  it('refuses a bad month, a month not begun, a bad or future moment, and an unwritable directory, writing nothing', () => {
    const { store, file } = tempStore('2026-11-25T09:00:00Z');
    october(store);
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['--period', '2026-13', '--out', dir], /^openptl: --period: must be a month, YYYY-MM \(got 2026-13\)$/],
      [
        ['--period', '2026-10', '--out', dir, '--as-at', '2026-11-20'],
        /^openptl: --as-at: must be a timestamp with its time zone/,
      ],
      [
        ['--period', '2026-10', '--out', dir, '--as-at', '2999-01-01T00:00:00Z'],
        /^openptl: --as-at: 2999-01-01T00:00:00Z is in the future/,
      ],
      [
        ['--period', '2026-11', '--out', dir, '--as-at', '2026-10-20T00:00:00Z'],
        /^openptl: --period: 2026-11 has not begun by 2026-10-20T00:00:00.000Z$/,
      ],
      [
        ['--period', '2026-10', '--out', join(file, 'inside-a-file')], // a missing folder is made (issue #25); this cannot be
        /^openptl: --out: .* is not a folder this user can write to \(nor can it be made\)$/,
      ],
      [['--out', dir], /^openptl: --period: give the month/],
    ];
    for (const [args, message] of cases) {
      const r = run(['cwt-extract', ...args, '--db', file]);
      expect([r.status, r.stdout]).toEqual([2, '']);
      expect(r.stderr.trim()).toMatch(message);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("lists, corrects and removes the trust's codes, and sets the columns", () => {
    const { file } = tempStore('2026-11-25T09:00:00Z');
    const lines = (r: { stdout: string }) =>
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    expect(
      lines(run(['codes', '--list', 'two_week_wait_type', '--db', file])).find((c) => c.maps === 'lung'),
    ).toMatchObject({ code: '03', confirmed: false });
    // Confirmed against the specification: the provisional code becomes a confirmed one.
    expect(
      lines(
        run([
          'codes',
          'set',
          'two_week_wait_type',
          '03',
          'Suspected lung cancer',
          '--maps',
          'lung',
          '--confirmed',
          '--db',
          file,
        ]),
      )[0],
    ).toMatchObject({ code: '03', maps: 'lung', confirmed: true });
    const clash = run([
      'codes',
      'set',
      'two_week_wait_type',
      '99',
      'Suspected lung cancer',
      '--maps',
      'lung',
      '--db',
      file,
    ]);
    expect([clash.status, clash.stderr.trim()]).toEqual([
      2,
      'openptl: maps: lung is already code 03 in two_week_wait_type; remove that first',
    ]);
    expect(
      lines(run(['codes', '--list', 'two_week_wait_type', '--unconfirmed', '--db', file])).map((c) => c.code),
    ).not.toContain('03');
    expect(run(['codes', 'remove', 'two_week_wait_type', '03', '--db', file]).status).toBe(0);
    expect(run(['codes', 'remove', 'two_week_wait_type', '03', '--db', file]).stderr.trim()).toBe(
      'openptl: two_week_wait_type has no code 03',
    );
    const bad = run(['codes', '--list', 'colours', '--db', file]);
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    const columns = join(tempDir(), 'columns.json');
    writeFileSync(
      columns,
      JSON.stringify([
        { item: 'pathwayId', element: 'PPI' },
        { item: 'favouriteColour', element: 'X' },
      ]),
    );
    const unknown = run(['codes', 'columns', '--set', columns, '--db', file]);
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      expect.stringMatching(/^openptl: item: favouriteColour is not an item OpenPTL fills in/),
    ]);
    expect(lines(run(['codes', 'columns', '--db', file]))).toHaveLength(RECORD_ITEMS.length); // unchanged
  });
});
