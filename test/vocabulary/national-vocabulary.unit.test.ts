// The national CWT items in the vocabulary (issue #14): each checked against its code list, the
// checks across fields, old events still valid and upcast when read, the lists in dictionary order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import examples from '../fixtures/cwt-examples.json' with { type: 'json' };
import { describeIssue, pathwayEvent } from '../../src/vocabulary/events.ts';
import {
  CONFIRMED_LISTS,
  MODALITY_CODES,
  SOURCE_OF_REFERRAL,
  subsequentTreatmentCounts,
  TREATMENT_MODALITY,
} from '../../src/vocabulary/cwt-codes.ts';
import { upcastEvent } from '../../src/vocabulary/national-items.ts';

const referral = (extra: object = {}, route = 'urgent_suspected_cancer') => ({
  type: 'referral_received',
  on: '2026-10-01',
  route,
  tumourSite: 'lung',
  nhsNumber: '9434765919',
  ...extra,
});
const treatment = (extra: object = {}) => ({
  type: 'treatment_started',
  on: '2026-10-20',
  modality: 'surgery',
  ...extra,
});

/** The field the vocabulary names when it refuses an event, and its reason; null when it accepts it. */
function refusal(raw: object): { field: string; message: string } | null {
  const r = pathwayEvent.safeParse(raw);
  return r.success ? null : describeIssue(r.error);
}

describe('national items are checked against their code lists', () => {
  it('accepts every code of each confirmed list and refuses others, naming the field', () => {
    const cases: [string, (code: string) => object, string][] = [
      ['nhs_number_status', (c) => referral({ nhsNumberStatus: c }), 'nhsNumberStatus'],
      ['source_of_referral', (c) => referral({ sourceOfReferral: c }), 'sourceOfReferral'],
      [
        'tumour_laterality',
        (c) => ({ type: 'diagnosis_communicated', on: '2026-10-10', outcome: 'cancer_confirmed', laterality: c }),
        'laterality',
      ],
      ['treatment_event_type', (c) => treatment({ eventType: c }), 'eventType'],
      ['care_setting', (c) => treatment({ careSetting: c }), 'careSetting'],
    ];
    for (const [list, make, field] of cases) {
      for (const code of CONFIRMED_LISTS[list as keyof typeof CONFIRMED_LISTS].codes) {
        if (list === 'source_of_referral' && code === '17') continue; // the screening route's (below)
        expect(refusal(make(code)), `${list} ${code}`).toBeNull();
      }
      expect(refusal(make('X9'))).toMatchObject({ field });
    }
  });
  it("checks the format of primary diagnosis (ICD-10 with a dot, 5 characters), site codes and codes from the trust's lists", () => {
    const told = (extra: object) => ({
      type: 'diagnosis_communicated',
      on: '2026-10-10',
      outcome: 'cancer_confirmed',
      ...extra,
    });
    expect(refusal(told({ primaryDiagnosis: 'C34.1' }))).toBeNull();
    expect(refusal(told({ primaryDiagnosis: 'C61.X' }))).toBeNull();
    for (const bad of ['C341', 'c34.1', 'C34', 'C34.12', '34.1C']) {
      expect(refusal(told({ primaryDiagnosis: bad }))).toMatchObject({
        field: 'primaryDiagnosis',
        message: expect.stringContaining('ICD-10'),
      });
    }
    expect(refusal({ type: 'first_seen', on: '2026-10-02', site: 'RAJ01' })).toBeNull();
    for (const bad of ['RAJ', 'raj01', 'RAJ012'])
      expect(refusal({ type: 'first_seen', on: '2026-10-02', site: bad })).toMatchObject({ field: 'site' });
    expect(refusal(told({ delayReason: '3' }))).toMatchObject({
      field: 'delayReason',
      message: expect.stringContaining("trust's list"),
    });
  });
  it('refuses what one field cannot state: the route and its priority and source, dates, a modality code of another modality, a comment without a reason', () => {
    expect(refusal(referral({ sourceOfReferral: '03' }, 'screening'))).toMatchObject({
      field: 'sourceOfReferral',
      message: expect.stringContaining('screening programme (17)'),
    });
    expect(refusal(referral({ sourceOfReferral: '17' }))).toMatchObject({ field: 'sourceOfReferral' });
    expect(refusal(referral({ sourceOfReferral: '17', priorityType: '2' }, 'screening'))).toBeNull();
    expect(refusal(referral({ priorityType: '2' }))).toMatchObject({
      field: 'priorityType',
      message: expect.stringContaining('priority 3'),
    });
    expect(refusal(referral({ priorityType: '3' }, 'consultant_upgrade'))).toMatchObject({ field: 'priorityType' });
    expect(refusal(referral({ priorityType: '2', upgradeSite: 'RAJ01' }, 'consultant_upgrade'))).toBeNull();
    expect(refusal(referral({ upgradeSite: 'RAJ01' }))).toMatchObject({
      field: 'upgradeSite',
      message: 'is for a consultant upgrade only',
    });
    expect(refusal(referral({ decisionToReferOn: '2026-10-02' }))).toMatchObject({ field: 'decisionToReferOn' });
    expect(refusal(referral({ decisionToReferOn: '2026-09-29' }))).toBeNull();
    expect(refusal(treatment({ modalityCode: '05' }))).toMatchObject({
      field: 'modalityCode',
      message: expect.stringContaining('is not a kind of surgery'),
    });
    expect(refusal(treatment({ modality: 'radiotherapy', modalityCode: '06' }))).toBeNull();
    expect(refusal(treatment({ delayComment: 'theatre lists' }))).toMatchObject({ field: 'delayComment' });
    expect(
      refusal({ type: 'decision_to_treat', on: '2026-10-10', earliestClinicallyAppropriateDate: '2026-10-09' }),
    ).toMatchObject({ field: 'earliestClinicallyAppropriateDate' });
    expect(refusal({ type: 'national_items_added', on: '2026-10-10', target: 'e1' })).toMatchObject({
      field: 'target',
      message: expect.stringContaining('at least one'),
    });
  });
});

describe('old events', () => {
  it('stay valid: every worked example parses as it was written', () => {
    for (const e of examples) for (const event of e.events) expect(pathwayEvent.safeParse(event).success).toBe(true);
  });
  it('are upcast when read, never changed: the national modality code from the modality name, the priority and source a route implies', () => {
    const old = pathwayEvent.parse(treatment());
    expect(upcastEvent(old)).toEqual({ ...old, modalityCode: '01' });
    expect(old).not.toHaveProperty('modalityCode');
    for (const [modality, codes] of Object.entries(MODALITY_CODES)) {
      expect((upcastEvent(pathwayEvent.parse(treatment({ modality }))) as { modalityCode: string }).modalityCode).toBe(
        codes[0],
      );
    }
    expect(upcastEvent(pathwayEvent.parse(referral()))).toMatchObject({ priorityType: '3' });
    expect(upcastEvent(pathwayEvent.parse(referral({}, 'screening')))).toMatchObject({
      priorityType: '2',
      sourceOfReferral: '17',
    });
    expect(upcastEvent(pathwayEvent.parse(referral({}, 'consultant_upgrade')))).not.toHaveProperty('priorityType');
    // What was recorded wins over what a route implies.
    expect(upcastEvent(pathwayEvent.parse(treatment({ modality: 'radiotherapy', modalityCode: '06' })))).toMatchObject({
      modalityCode: '06',
    });
  });
  it('upcast to an event the vocabulary accepts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(MODALITY_CODES)),
        fc.constantFrom('urgent_suspected_cancer', 'breast_symptomatic', 'screening', 'consultant_upgrade'),
        (modality, route) => {
          expect(pathwayEvent.safeParse(upcastEvent(pathwayEvent.parse(treatment({ modality })))).success).toBe(true);
          expect(pathwayEvent.safeParse(upcastEvent(pathwayEvent.parse(referral({}, route)))).success).toBe(true);
        },
      ),
    );
  });
});

describe('the code lists', () => {
  it("keep the data dictionary's order (codes like 10 do not jump ahead of 01)", () => {
    expect(SOURCE_OF_REFERRAL.codes.slice(0, 5)).toEqual(['01', '02', '10', '11', '03']);
    expect(TREATMENT_MODALITY.codes[0]).toBe('01');
  });
  it('map every modality name to codes of the national list, and leave palliative care and active monitoring out of the subsequent 31-day measure', () => {
    for (const codes of Object.values(MODALITY_CODES))
      for (const c of codes) expect(TREATMENT_MODALITY.label(c)).toBeDefined();
    expect(
      Object.keys(MODALITY_CODES)
        .filter((m) => !subsequentTreatmentCounts(m))
        .sort(),
    ).toEqual(['active_monitoring', 'best_supportive_care', 'palliative_care']);
  });
});
