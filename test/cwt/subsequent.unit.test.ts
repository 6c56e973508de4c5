// Treatments after the first (issue #14), given / when / then over the pure pathway: each later
// decision to treat (or earliest clinically appropriate date) starts its own 31-day clock, with
// adjustments (R7) and guard rails, until the plan is complete or the patient is removed; the
// 62-day pathway and its first treatment are as before. And national items added for an earlier event.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeClocks } from '../../src/cwt/clocks.ts';
import { addDays, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { clockReport } from '../../src/cli/clock.ts';
import { pathwayEvent } from '../../src/vocabulary/events.ts';
import { allowedNextOf, pathwayFromEvents } from '../../src/domain/pathway.ts';
import { given } from '../support/given.ts';
import { pathwayArb } from '../support/timelines.ts';

const ev = (type: string, on: string, extra: object = {}) => ({ type, on, ...extra });
const referral = ev('referral_received', '2026-01-05', {
  route: 'urgent_suspected_cancer',
  tumourSite: 'breast',
  nhsNumber: '9434765919',
  id: 'r',
});
// E1's pathway: treated on day 62 (surgery on 8 March).
const firstTreated = [
  referral,
  ev('first_seen', '2026-01-05'),
  ev('diagnosis_communicated', '2026-01-30', { outcome: 'cancer_confirmed', id: 'dx' }),
  ev('decision_to_treat', '2026-02-20'),
  ev('treatment_started', '2026-03-08', { modality: 'surgery', id: 't1' }),
];
const FIRST = {
  status: 'closed' as const,
  d31: { state: 'stopped' as const, start: '2026-02-20', stop: '2026-03-08', days: 16 },
  d62: { state: 'stopped' as const, start: '2026-01-05', stop: '2026-03-08', days: 62, breached: false },
} as const;
const decided = (on: IsoDate, extra: object = {}) => ev('decision_to_treat', on, extra);
const treated = (on: IsoDate, extra: object = {}) =>
  ev('treatment_started', on, { modality: 'chemotherapy', ...extra });

describe('treatments after the first', () => {
  it('leave the 62-day pathway closed at the first treatment, and let the plan go on', () => {
    const clocks = given(firstTreated, { asOf: '2026-03-20' }).then('treated', FIRST);
    expect(clocks.subsequent).toBeUndefined();
    expect(
      allowedNextOf(
        pathwayFromEvents(
          firstTreated.map((e) => pathwayEvent.parse(e)),
          '2026-03-20',
        ),
      ),
    ).toEqual(
      // the machine's events in vocabulary order, then a comment and the corrections
      [
        'mdt_discussed',
        'decision_to_treat',
        'transferred',
        'removed',
        'treatment_plan_completed',
        'note',
        'event_voided',
        'national_items_added',
        'patient_details_updated',
        'referral_corrected',
      ],
    );
  });
  it('start a 31-day clock at each later decision to treat, stopped by its treatment (day 31 met, day 32 breached)', () => {
    const awaiting = given(firstTreated, { asOf: '2026-04-20' })
      .when(decided('2026-03-25'))
      .then('awaiting_subsequent_treatment', FIRST);
    expect(awaiting.subsequent).toEqual([
      {
        state: 'running',
        start: '2026-03-25',
        stop: null,
        days: 26,
        adjustmentDays: 0,
        target: 31,
        breachDate: '2026-04-26',
        breached: false,
      },
    ]);
    given([...firstTreated, decided('2026-03-25')], { asOf: '2026-05-30' })
      .when(treated('2026-04-25'))
      .then('treated', { ...FIRST, subsequent: [{ state: 'stopped', days: 31, breached: false, breachDate: null }] });
    given([...firstTreated, decided('2026-03-25')], { asOf: '2026-05-30' })
      .when(treated('2026-04-26'))
      .then('treated', { subsequent: [{ state: 'stopped', days: 32, breached: true, breachDate: '2026-04-26' }] });
  });
  it('count a third treatment on its own clock, after the second', () => {
    const history = [...firstTreated, decided('2026-03-25'), treated('2026-04-10'), decided('2026-05-01')];
    const clocks = given(history, { asOf: '2026-07-30' })
      .when(treated('2026-05-20', { modality: 'radiotherapy' }))
      .then('treated', FIRST);
    expect(clocks.subsequent!.map((c) => [c.start, c.stop, c.days])).toEqual([
      ['2026-03-25', '2026-04-10', 16],
      ['2026-05-01', '2026-05-20', 19],
    ]);
  });
  it('start at the earliest clinically appropriate date when one is given, at day 0 until then', () => {
    const ecad = decided('2026-03-25', { earliestClinicallyAppropriateDate: '2026-04-15' });
    expect(
      given(firstTreated, { asOf: '2026-04-01' }).when(ecad).then('awaiting_subsequent_treatment').subsequent,
    ).toEqual([
      {
        state: 'running',
        start: '2026-04-15',
        stop: null,
        days: 0,
        adjustmentDays: 0,
        target: 31,
        breachDate: '2026-05-17',
        breached: false,
      },
    ]);
    expect(
      given([...firstTreated, ecad], { asOf: '2026-06-01' })
        .when(treated('2026-05-10'))
        .then('treated').subsequent![0],
    ).toMatchObject({ start: '2026-04-15', days: 25 });
  });
  it('refuse an earliest clinically appropriate date on the first decision to treat, or more than a year ahead, and a treatment before it', () => {
    given([referral], { asOf: '2026-03-01' })
      .when(decided('2026-01-20', { earliestClinicallyAppropriateDate: '2026-02-01' }))
      .refused('earliestClinicallyAppropriateDate', 'the first 31-day clock starts at the decision to treat');
    given(firstTreated, { asOf: '2026-04-01' })
      .when(decided('2026-03-25', { earliestClinicallyAppropriateDate: '2027-03-26' }))
      .refused(
        'earliestClinicallyAppropriateDate',
        'more than a year after the decision (25 Mar 2026): check the year',
      );
    given([...firstTreated, decided('2026-03-25', { earliestClinicallyAppropriateDate: '2026-04-15' })], {
      asOf: '2026-06-01',
    })
      .when(treated('2026-04-14'))
      .refused('on', 'the treatment (14 Apr 2026) is before its earliest clinically appropriate date (15 Apr 2026)');
  });
  it("take a declined offer off the later treatment's wait only (R7), counted from its start", () => {
    const history = [...firstTreated, decided('2026-03-25', { earliestClinicallyAppropriateDate: '2026-04-01' })];
    const declined = ev('treatment_offer_declined', '2026-03-26', {
      offeredFor: '2026-03-28',
      availableFrom: '2026-04-15',
      setting: 'non_admitted',
    });
    const clocks = given([...history, declined], { asOf: '2026-06-01' })
      .when(treated('2026-05-05'))
      .then('treated', FIRST);
    expect(clocks.subsequent![0]).toMatchObject({
      state: 'stopped',
      start: '2026-04-01',
      days: 20,
      adjustmentDays: 14,
    });
    expect(clocks.d31.adjustmentDays).toBe(0);
  });
  it('end with the plan: a removal takes an awaited treatment out of the standard (R11), completion allows nothing more but corrections', () => {
    const clocks = given([...firstTreated, decided('2026-03-25')], { asOf: '2026-06-01' })
      .when(ev('removed', '2026-04-10', { reason: 'patient_died' }))
      .then('removed', FIRST);
    expect(clocks.subsequent).toEqual([
      {
        state: 'not_applicable',
        start: '2026-03-25',
        stop: '2026-04-10',
        days: 16,
        adjustmentDays: 0,
        target: 31,
        breachDate: null,
        breached: false,
      },
    ]);
    given([...firstTreated, decided('2026-03-25')], { asOf: '2026-06-01' })
      .when(ev('treatment_plan_completed', '2026-04-10'))
      .refused('not_allowed', 'treatment_plan_completed is not allowed in stage awaiting_subsequent_treatment');
    given(firstTreated, { asOf: '2026-06-01' })
      .when(ev('treatment_plan_completed', '2026-04-10'))
      .then('treatment_plan_complete', FIRST);
    given([...firstTreated, ev('treatment_plan_completed', '2026-04-10')], { asOf: '2026-06-01' })
      .when(decided('2026-04-20'))
      .refused('not_allowed', 'allowed: note, event_voided, national_items_added, patient_details_updated');
  });
  it('refuse a treatment event type that does not fit its place: 01, 07 or 12 first, 02 to 06 or 08 to 11 after', () => {
    const decidedFirst = firstTreated.slice(0, 4);
    given(decidedFirst, { asOf: '2026-03-20' })
      .when(ev('treatment_started', '2026-03-08', { modality: 'surgery', eventType: '02' }))
      .refused('eventType', 'the first definitive treatment is 01, 07 or 12');
    given(decidedFirst, { asOf: '2026-03-20' })
      .when(ev('treatment_started', '2026-03-08', { modality: 'surgery', eventType: '12' }))
      .then('treated');
    given([...firstTreated, decided('2026-03-25')], { asOf: '2026-05-30' })
      .when(treated('2026-04-20', { eventType: '01' }))
      .refused('eventType', 'a treatment after the first is 02 to 06 or 08 to 11');
    given([...firstTreated, decided('2026-03-25')], { asOf: '2026-05-30' })
      .when(treated('2026-04-20', { eventType: '03' }))
      .then('treated');
  });
  it('treat a voided later treatment as never recorded: it is awaited again', () => {
    given([...firstTreated, decided('2026-03-25'), treated('2026-04-20', { id: 't2' })], { asOf: '2026-05-01' })
      .when(ev('event_voided', '2026-04-21', { voids: 't2', reason: 'wrong patient' }))
      .then('awaiting_subsequent_treatment', { subsequent: [{ state: 'running', days: 37, breached: true }] });
  });
  it('show in `openptl clock` under `subsequent`, the rest of the contract unchanged', () => {
    const plain = clockReport(JSON.stringify({ asOf: '2026-03-20', events: firstTreated })) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(['stage', 'status', 'fds', 'd31', 'd62']);
    const later = clockReport(
      JSON.stringify({ asOf: '2026-05-30', events: [...firstTreated, decided('2026-03-25'), treated('2026-04-20')] }),
    ) as Record<string, unknown>;
    expect(Object.keys(later)).toEqual(['stage', 'status', 'fds', 'd31', 'd62', 'subsequent']);
    expect(later).toMatchObject({
      stage: 'treated',
      status: 'closed',
      d62: plain.d62,
      d31: plain.d31,
      subsequent: [{ state: 'stopped', start: '2026-03-25', stop: '2026-04-20', days: 26 }],
    });
  });

  it('never change the 62-day pathway or its first treatment (a property)', () => {
    fc.assert(
      fc.property(pathwayArb, fc.integer({ min: 0, max: 200 }), ({ events, lastOn }, extra) => {
        const asOf = addDays(lastOn, extra);
        const firstTreatment = events.findIndex((e) => e.type === 'treatment_started');
        if (firstTreatment < 0) return;
        const before = computeClocks(events.slice(0, firstTreatment + 1), asOf);
        const after = computeClocks(events, asOf);
        expect({ status: after.status, fds: after.fds, d31: after.d31, d62: after.d62 }).toEqual({
          status: before.status,
          fds: before.fds,
          d31: before.d31,
          d62: before.d62,
        });
        const later = events.slice(firstTreatment + 1).filter((e) => e.type === 'decision_to_treat').length;
        expect(after.subsequent?.length ?? 0).toBe(later);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) },
    );
  });
});

describe('national items added for an earlier event', () => {
  const add = (on: string, extra: object) => ev('national_items_added', on, extra);
  it('are accepted for an event that carries them and move no clock', () => {
    const clocks = given(firstTreated, { asOf: '2026-03-20' })
      .when(add('2026-03-10', { target: 't1', site: 'RAJ01', careSetting: '01', delayReason: '03' }))
      .then('treated', FIRST);
    expect(clocks).toEqual(
      computeClocks(
        firstTreated.map((e) => pathwayEvent.parse(e)),
        '2026-03-20',
      ),
    );
  });
  it('are refused for no such event, a voided one, an item its type does not carry, or an event type that does not fit', () => {
    given(firstTreated, { asOf: '2026-03-20' })
      .when(add('2026-03-10', { target: 'nope', site: 'RAJ01' }))
      .refused('target', 'names no earlier event of this pathway');
    given([...firstTreated.slice(0, 2), ev('test_requested', '2026-01-10', { test: 'ct', id: 'x' })], {
      asOf: '2026-03-20',
    })
      .when(add('2026-03-10', { target: 'x', site: 'RAJ01' }))
      .refused('target', 'test_requested carries no national items');
    given(firstTreated, { asOf: '2026-03-20' })
      .when(add('2026-03-10', { target: 'dx', careSetting: '01' }))
      .refused('careSetting', 'is not an item of diagnosis_communicated');
    given(firstTreated, { asOf: '2026-03-20' })
      .when(add('2026-03-10', { target: 't1', eventType: '02' }))
      .refused('eventType', 'the first definitive treatment is 01, 07 or 12');
    given([...firstTreated, ev('event_voided', '2026-03-09', { voids: 'dx', reason: 'wrong patient' })], {
      asOf: '2026-03-20',
    })
      .when(add('2026-03-10', { target: 'dx', laterality: 'L' }))
      .refused('target', 'is voided');
  });
  it('are dated like any event: not before the referral nor after the as-of date', () => {
    given(firstTreated, { asOf: '2026-03-20' })
      .when(add('2026-03-21', { target: 't1', site: 'RAJ01' }))
      .refused('on', 'after the as-of date');
  });
});
