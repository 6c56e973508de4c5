// One pathway read for the forecast: the waits it went through, the queue places it held, and where
// it stands on the as-of day, from worked examples; the day's steps in the order they must have
// happened, whatever order they were entered in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/vocabulary/calendar.ts';
import type { PathwayEvent } from '../../src/vocabulary/events.ts';
import { pathwayFacts, type Recorded } from '../../src/forecast/history.ts';

const d = dayNumber;
/** Events recorded at noon on their clinical day, in the order given. */
const recorded = (events: object[]): Recorded[] =>
  events.map((e) => ({ recordedAt: `${(e as PathwayEvent).on}T12:00:00.000Z`, event: e as PathwayEvent }));
const referral = {
  type: 'referral_received',
  on: '2026-03-02',
  route: 'urgent_suspected_cancer',
  tumourSite: 'urological',
  nhsNumber: '9434765919',
  provider: 'RAJ',
};

describe('a pathway read for the forecast', () => {
  const cancer = recorded([
    referral,
    { type: 'triaged', on: '2026-03-03', outcome: 'outpatient' },
    { type: 'appointment_booked', on: '2026-03-03', appointmentOn: '2026-03-10', appointment: 'first' },
    { type: 'first_seen', on: '2026-03-10' },
    { type: 'test_requested', on: '2026-03-10', test: 'mri_prostate', testOn: '2026-03-16' },
    // Reported the day the biopsy is asked for, and entered after it: read in the order it happened.
    { type: 'test_requested', on: '2026-03-18', test: 'biopsy', testOn: '2026-03-20' },
    { type: 'test_reported', on: '2026-03-18', test: 'mri_prostate' },
    { type: 'test_reported', on: '2026-03-27', test: 'biopsy' },
    { type: 'diagnosis_communicated', on: '2026-04-01', outcome: 'cancer_confirmed' },
    { type: 'test_requested', on: '2026-04-01', test: 'ct_chest_abdomen_pelvis', testOn: '2026-04-03' },
    { type: 'test_reported', on: '2026-04-07', test: 'ct_chest_abdomen_pelvis' },
    { type: 'decision_to_treat', on: '2026-04-14', plannedModality: 'surgery' },
    { type: 'treatment_started', on: '2026-05-05', modality: 'surgery' },
  ]);

  it('lists the waits that are not queues, each with how it ended', () => {
    const f = pathwayFacts('P1', cancer, '2026-06-30')!;
    expect(f.open).toBeNull();
    expect(
      f.states.map((s) => [s.state, s.ctx, s.entered - d('2026-03-02'), s.left! - s.entered, s.label, s.band]),
    ).toEqual([
      ['triage', '', 0, 1, 'first', 0],
      ['investigate', 'seen', 8, 0, 'test:mri_prostate', 0],
      ['investigate', 'mri_prostate', 16, 0, 'test:biopsy', 1],
      ['investigate', 'biopsy', 25, 5, 'told:cancer_confirmed', 1],
      // Told, then a staging scan: back to deciding once it is reported.
      ['decide', '', 30, 0, 'test:ct_chest_abdomen_pelvis', 2],
      ['decide', 'ct_chest_abdomen_pelvis', 36, 7, 'dtt:surgery', 2],
    ]);
  });

  it('lists the queue places: booked slot, the day it was used, the report', () => {
    const f = pathwayFacts('P1', cancer, '2026-06-30')!;
    expect(f.queues.map((q) => [q.resource, q.entered, q.booked, q.served, q.reported, q.outcome])).toEqual([
      ['first:urological', d('2026-03-03'), d('2026-03-10'), d('2026-03-10'), null, 'seen'],
      ['test:mri_prostate', d('2026-03-10'), d('2026-03-16'), d('2026-03-16'), d('2026-03-18'), 'done'],
      ['test:biopsy', d('2026-03-18'), d('2026-03-20'), d('2026-03-20'), d('2026-03-27'), 'done'],
      ['test:ct_chest_abdomen_pelvis', d('2026-04-01'), d('2026-04-03'), d('2026-04-03'), d('2026-04-07'), 'done'],
      ['treatment:surgery', d('2026-04-14'), null, d('2026-05-05'), null, 'treated'],
    ]);
    expect(f.lags).toEqual([
      { kind: 'referral', on: d('2026-03-02'), lag: 0 },
      { kind: 'treated', on: d('2026-05-05'), lag: 0 },
    ]);
  });

  it('reads an open pathway as it stood: waiting for the biopsy report after the biopsy was done', () => {
    const f = pathwayFacts('P1', cancer.slice(0, 7), '2026-03-23')!;
    expect(f.open).toMatchObject({
      state: 'test',
      returnsTo: 'investigate',
      ctx: 'mri_prostate',
      start: d('2026-03-02'),
      breach62: d('2026-05-04'),
      breach104: d('2026-06-15'),
      fdsRunning: true,
      waiting: [
        { resource: 'test:biopsy', entered: d('2026-03-18'), booked: d('2026-03-20'), served: d('2026-03-20') },
      ],
    });
  });

  it('restarts the clock at the rebooking after a missed first appointment, and queues again', () => {
    const f = pathwayFacts(
      'P2',
      recorded([
        referral,
        { type: 'triaged', on: '2026-03-03', outcome: 'outpatient' },
        { type: 'appointment_booked', on: '2026-03-03', appointmentOn: '2026-03-10', appointment: 'first' },
        { type: 'dna', on: '2026-03-10', appointment: 'first' },
        { type: 'appointment_booked', on: '2026-03-12', appointmentOn: '2026-03-30', appointment: 'first' },
      ]),
      '2026-03-20',
    )!;
    expect(f.queues.map((q) => [q.entered, q.served, q.outcome])).toEqual([
      [d('2026-03-03'), d('2026-03-10'), 'dna'],
      [d('2026-03-12'), null, null],
    ]);
    expect(f.states.map((s) => [s.state, s.label])).toEqual([
      ['triage', 'first'],
      ['rebook', 'first'],
    ]);
    expect(f.open).toMatchObject({ state: 'first', start: d('2026-03-12'), breach62: d('2026-05-14') });
    expect(f.open!.waiting).toEqual([
      { resource: 'first:urological', entered: d('2026-03-12'), band: 0, booked: d('2026-03-30'), served: null },
    ]);
  });

  it('reads a day the same whichever order its steps were entered in', () => {
    const day = [
      { type: 'test_reported', on: '2026-03-18', test: 'mri_prostate' },
      { type: 'test_requested', on: '2026-03-18', test: 'biopsy', testOn: '2026-03-20' },
      { type: 'first_seen', on: '2026-03-18' },
    ];
    const before = [referral, { type: 'test_requested', on: '2026-03-05', test: 'mri_prostate' }];
    const expected = pathwayFacts('P3', recorded([...before, ...day]), '2026-03-19');
    fc.assert(
      fc.property(fc.shuffledSubarray(day, { minLength: 3, maxLength: 3 }), (order) => {
        expect(pathwayFacts('P3', recorded([...before, ...order]), '2026-03-19')).toEqual(expected);
      }),
    );
    expect(expected!.open).toMatchObject({ state: 'test', ctx: 'mri_prostate' });
  });
});
