// Issue #27: the patient's sex, ethnic category and postcode on the referral and in a correction,
// the stage group on the diagnosis, and the groups the inequalities splits count in.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeIssue, pathwayEvent, type PathwayEvent } from '../../src/vocabulary/events.ts';
import {
  ageBandOf,
  ETHNIC_CATEGORY_CODES,
  ethnicGroupOf,
  normalisePostcode,
  quintileOf,
} from '../../src/vocabulary/equality.ts';
import { pathwayFromEvents } from '../../src/domain/pathway.ts';
import { foldTracking, startTracking } from '../../src/cwt/tracking.ts';

const referral = {
  type: 'referral_received',
  on: '2026-03-02',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
} as const;

function problem(event: object): { field: string; message: string } | null {
  const r = pathwayEvent.safeParse(event);
  return r.success ? null : describeIssue(r.error);
}

describe('the equality fields of the vocabulary', () => {
  it('a referral may carry sex, ethnic category and postcode; the postcode is kept upper case with one space', () => {
    const parsed = pathwayEvent.parse({ ...referral, sex: '2', ethnicCategory: 'Z', postcode: ' cm1  1aa ' });
    expect(parsed).toMatchObject({ sex: '2', ethnicCategory: 'Z', postcode: 'CM1 1AA' });
    expect(pathwayEvent.parse({ ...referral, ethnicCategory: '99' })).toMatchObject({ ethnicCategory: '99' });
  });

  it('refuses a wrong code or postcode, naming the field', () => {
    expect(problem({ ...referral, sex: 'M' })).toEqual({ field: 'sex', message: 'must be one of: 1, 2, 9, X' });
    expect(problem({ ...referral, ethnicCategory: 'I' })?.field).toBe('ethnicCategory');
    expect(problem({ ...referral, ethnicCategory: 'I' })?.message).toMatch(/^must be one of: .*A, B, C, .*Z/);
    expect(problem({ ...referral, postcode: 'CM1' })).toEqual({
      field: 'postcode',
      message: 'must be a UK postcode, such as CM1 1AA',
    });
  });

  it('old events stay valid: a referral and a correction without the new fields, a diagnosis without a stage', () => {
    expect(problem(referral)).toBeNull();
    expect(
      problem({ type: 'patient_details_updated', on: '2026-03-03', reason: 'correction', patientName: 'A B' }),
    ).toBe(null);
    expect(problem({ type: 'diagnosis_communicated', on: '2026-03-20', outcome: 'cancer_confirmed' })).toBeNull();
  });

  it('the stage group is for a confirmed cancer only', () => {
    expect(problem({ type: 'diagnosis_communicated', on: '2026-03-20', outcome: 'cancer_confirmed', stage: '2' })).toBe(
      null,
    );
    expect(
      problem({ type: 'diagnosis_communicated', on: '2026-03-20', outcome: 'cancer_ruled_out', stage: '2' }),
    ).toEqual({ field: 'stage', message: 'is for a confirmed cancer only' });
    expect(
      problem({ type: 'diagnosis_communicated', on: '2026-03-20', outcome: 'cancer_confirmed', stage: '5' })?.field,
    ).toBe('stage');
  });

  it('a correction may give only the equality details, and they replace what the referral said', () => {
    const events = [
      { ...referral, sex: 'X', postcode: 'SS1 1AA' },
      { type: 'patient_details_updated', on: '2026-03-04', reason: 'correction', sex: '1', ethnicCategory: 'H' },
      { type: 'patient_details_updated', on: '2026-03-05', reason: 'correction', postcode: 'cm2 9zz' },
    ].map((e) => pathwayEvent.parse(e));
    expect(pathwayFromEvents(events, '2026-03-10').details).toMatchObject({
      sex: '1',
      ethnicCategory: 'H',
      postcode: 'CM2 9ZZ',
    });
    expect(pathwayFromEvents(events.slice(0, 1), '2026-03-10').details).toMatchObject({
      sex: 'X',
      ethnicCategory: null,
      postcode: 'SS1 1AA',
    });
  });
});

describe('the groups', () => {
  it('postcode normalisation is idempotent and keeps only valid postcodes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (s) => {
        const n = normalisePostcode(s);
        if (n !== null) {
          expect(normalisePostcode(n)).toBe(n);
          expect(n).toMatch(/^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/);
        }
      }),
    );
    expect(normalisePostcode('ec1a1bb')).toBe('EC1A 1BB');
    expect(normalisePostcode('W1A 0AX')).toBe('W1A 0AX');
  });

  it('deciles 1-2 are quintile 1 (Core20), 9-10 quintile 5; anything else not known', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(quintileOf)).toEqual(['1', '1', '2', '2', '3', '3', '4', '4', '5', '5']);
    expect([null, 0, 11, 2.5].map(quintileOf)).toEqual(['not_known', 'not_known', 'not_known', 'not_known']);
  });

  it('age bands count whole years at the referral: under 40, by decade, 80 and over', () => {
    expect(ageBandOf('1986-03-03', '2026-03-02')).toBe('0-39'); // 39 the day before the 40th birthday
    expect(ageBandOf('1986-03-02', '2026-03-02')).toBe('40-49');
    expect(ageBandOf('1956-07-01', '2026-03-02')).toBe('60-69');
    expect(ageBandOf('1946-03-02', '2026-03-02')).toBe('80+');
    expect(ageBandOf(null, '2026-03-02')).toBe('not_known');
  });

  it('every ethnic category has a broad group; Z is not stated and 99 not known, kept apart', () => {
    expect(ETHNIC_CATEGORY_CODES).toHaveLength(18);
    expect(ETHNIC_CATEGORY_CODES.at(-1)).toBe('99');
    expect(['A', 'D', 'H', 'M', 'R', 'Z', '99'].map((c) => ethnicGroupOf(c as never))).toEqual([
      'white',
      'mixed',
      'asian',
      'black',
      'other',
      'not_stated',
      'not_known',
    ]);
    expect(ethnicGroupOf(null)).toBe('not_known');
  });
});

describe('what the tracking facts keep for the splits', () => {
  it('counts first appointments missed, whether one was attended, and the stage of a confirmed cancer', () => {
    const events: PathwayEvent[] = [
      { type: 'dna', on: '2026-03-05', appointment: 'first' },
      { type: 'dna', on: '2026-03-06', appointment: 'subsequent' },
      { type: 'first_seen', on: '2026-03-09' },
      { type: 'diagnosis_communicated', on: '2026-03-20', outcome: 'cancer_confirmed', stage: '3' },
    ];
    const t = events.reduce((acc, e) => foldTracking(acc, e as never), startTracking());
    expect(t).toMatchObject({ firstDnas: 1, firstAttended: true, diagnosis: { on: '2026-03-20', stage: '3' } });
  });
});
