// The trackers' workspace in the pure core (#15): tracking comments, the next action from the
// real state (bookings, follow-ups), events unusual at the stage, plain-English refusals and labels.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { nextAction } from '../../src/cwt/next-action.ts';
import { nextMilestone } from '../../src/cwt/milestones.ts';
import { milestonesOfState } from '../../src/domain/pathway.ts';
import { SCREENING_PROGRAMMES, SHIPPED_PATHWAYS, SUSPECTED_SITE_NAMES } from '../../src/vocabulary/timed-pathways.ts';
import {
  describeIssue,
  EVENT_TYPES,
  pathwayEvent,
  DIAGNOSIS_OUTCOMES,
  MDT_DECISIONS,
  REMOVAL_REASONS,
  ROUTES,
  TREATMENT_MODALITIES,
  TUMOUR_SITES,
  type PathwayEvent,
} from '../../src/vocabulary/events.ts';
import { EVENT_LABELS, ON_LABELS, STAGE_LABELS, VALUE_LABELS, FIELD_LABELS } from '../../src/vocabulary/labels.ts';
import {
  advancePathway,
  allowedNextOf,
  pathwayFromEvents,
  startPathway,
  stageOfState,
  type PathwayState,
} from '../../src/domain/pathway.ts';
import { trackingOf } from '../../src/cwt/tracking.ts';
import { unusualEvents } from '../../src/domain/unusual-events.ts';
import { referralMachine } from '../../machines/referral.ts';
import { given } from '../support/given.ts';
import { pathwayArb } from '../support/timelines.ts';

const referral = (on: string, tumourSite = 'skin') => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite,
  nhsNumber: '9434765919',
});
const ev = (type: string, on: string, extra: object = {}) => ({ type, on, ...extra });
const note = (on: string, text: string, followUpOn?: string) =>
  ev('note', on, { text, ...(followUpOn ? { followUpOn } : {}) });
const booked = (on: string, appointmentOn: string, appointment = 'first') =>
  ev('appointment_booked', on, { appointmentOn, appointment });
const parsed = (...raw: object[]): PathwayEvent[] => raw.map((e) => pathwayEvent.parse(e));
const next = (events: PathwayEvent[], asOf: IsoDate) => {
  const state = pathwayFromEvents(events, asOf);
  const milestone = nextMilestone(milestonesOfState(state, SHIPPED_PATHWAYS).planned);
  return nextAction(stageOfState(state), state.fold.facts.start, null, state.tracking, milestone);
};

describe('a tracking comment (note)', () => {
  it('moves no clock and no stage, folded alone or replayed', () => {
    const before = given([referral('2026-11-02'), ev('triaged', '2026-11-03', { outcome: 'outpatient' })], {
      asOf: '2026-11-24',
    }).then('awaiting_first_appointment');
    const after = given([referral('2026-11-02'), ev('triaged', '2026-11-03', { outcome: 'outpatient' })], {
      asOf: '2026-11-24',
    })
      .when(note('2026-11-20', 'Left a message with the patient', '2026-11-25'))
      .then('awaiting_first_appointment');
    expect(after).toEqual(before);
  });
  it('is allowed once the pathway has closed, and can be voided', () => {
    const closed = [referral('2026-11-02'), ev('removed', '2026-11-05', { reason: 'moved_away' })];
    given(closed, { asOf: '2026-11-24' })
      .when(note('2026-11-20', 'GP told by letter'))
      .then('removed', { status: 'closed' });
    expect(allowedNextOf(pathwayFromEvents(parsed(...closed), '2026-11-24'))).toEqual([
      'note',
      'event_voided',
      'national_items_added',
      'patient_details_updated',
      'referral_corrected',
    ]);
    given([...closed, { ...note('2026-11-20', 'wrong patient'), id: 'n1' }], { asOf: '2026-11-24' })
      .when(ev('event_voided', '2026-11-21', { voids: 'n1', reason: 'recorded against the wrong patient' }))
      .then('removed');
  });
  it('is refused empty, too long, or with a follow-up before its own date', () => {
    given([referral('2026-11-02')], { asOf: '2026-11-24' })
      .when(note('2026-11-20', '   '))
      .refused('text', 'must be filled in');
    given([referral('2026-11-02')], { asOf: '2026-11-24' })
      .when(note('2026-11-20', 'x'.repeat(1001)))
      .refused('text', '1,000 characters or fewer');
    given([referral('2026-11-02')], { asOf: '2026-11-24' })
      .when(note('2026-11-20', 'chase', '2026-11-19'))
      .refused('followUpOn', 'must not be before the date of the comment');
    given([referral('2026-11-02')], { asOf: '2026-11-24' })
      .when(note('2026-11-02', 'before?'))
      .then('awaiting_triage');
  });
});

describe('the next action from the real state', () => {
  const start = [referral('2026-11-02'), ev('triaged', '2026-11-03', { outcome: 'outpatient' })];

  it('is the milestone until something is booked, then the booking on its date', () => {
    expect(next(parsed(...start), '2026-11-24')).toEqual({
      action: 'first appointment or test',
      due: '2026-11-16',
      kind: 'milestone',
    });
    // Booked for 30 November: not overdue on the 24th, although the milestone (16 November) has passed.
    const withBooking = parsed(...start, booked('2026-11-10', '2026-11-30'));
    expect(next(withBooking, '2026-11-24')).toEqual({ action: 'first appointment', due: '2026-11-30', kind: 'booked' });
  });
  it('goes back to the milestone after a DNA, to the rebooking after it, and on once the patient is seen', () => {
    const dna = parsed(...start, booked('2026-11-04', '2026-11-09'), ev('dna', '2026-11-09', { appointment: 'first' }));
    expect(next(dna, '2026-11-24')).toMatchObject({ action: 'first appointment or test', kind: 'milestone' });
    const rebooked = [...dna, ...parsed(booked('2026-11-10', '2026-11-27'))];
    // R5: the rebooking restarts the clock, so the milestone would move too; the booking is what is next.
    expect(next(rebooked, '2026-11-24')).toEqual({ action: 'first appointment', due: '2026-11-27', kind: 'booked' });
    const seen = [...rebooked, ...parsed(ev('first_seen', '2026-11-27'))];
    expect(next(seen, '2026-11-27')).toEqual({ action: 'communicate diagnosis', due: '2026-12-08', kind: 'milestone' });
  });
  it('takes a test booked for a date, until a report of that test', () => {
    const tested = parsed(
      ...start,
      ev('first_seen', '2026-11-09'),
      ev('test_requested', '2026-11-09', { test: 'CT chest', testOn: '2026-11-26' }),
    );
    expect(next(tested, '2026-11-24')).toEqual({ action: 'test: CT chest', due: '2026-11-26', kind: 'booked' });
    const reported = [...tested, ...parsed(ev('test_reported', '2026-11-26', { test: 'ct_chest' }))];
    expect(next(reported, '2026-11-26')).toMatchObject({ action: 'communicate diagnosis', kind: 'milestone' });
  });
  it('is the follow-up date of the latest comment, until anything else is recorded', () => {
    const noted = parsed(...start, note('2026-11-20', 'Waiting for the GP to confirm the address', '2026-11-23'));
    expect(next(noted, '2026-11-24')).toEqual({ action: 'follow up', due: '2026-11-23', kind: 'follow_up' });
    expect(next([...noted, ...parsed(note('2026-11-24', 'Address confirmed'))], '2026-11-24')).toMatchObject({
      kind: 'milestone',
    });
    expect(next([...noted, ...parsed(booked('2026-11-24', '2026-12-01'))], '2026-11-24')).toEqual({
      action: 'first appointment',
      due: '2026-12-01',
      kind: 'booked',
    });
  });
  it('reads "anything else recorded after the comment" in the order recorded, whatever the dates', () => {
    const noted = parsed(...start, note('2026-11-20', 'Chase the clinic', '2026-11-23'));
    // Seen on the 10th, recorded after the comment of the 20th: that answers it.
    expect(next([...noted, ...parsed(ev('first_seen', '2026-11-10'))], '2026-11-24')).toMatchObject({
      action: 'communicate diagnosis',
      kind: 'milestone',
    });
    // A comment recorded last stands, even back-dated before other events.
    const late = parsed(
      ...start,
      booked('2026-11-10', '2026-11-30'),
      note('2026-11-05', 'Spoke to the patient', '2026-11-25'),
    );
    expect(next(late, '2026-11-24')).toEqual({ action: 'follow up', due: '2026-11-25', kind: 'follow_up' });
  });
  it('stays the first treatment once a decision to treat is made, whatever is booked', () => {
    const events = parsed(
      referral('2026-10-01'),
      ev('first_seen', '2026-10-05'),
      ev('decision_to_treat', '2026-10-20'),
      booked('2026-10-21', '2026-11-30', 'subsequent'),
    );
    const state = pathwayFromEvents(events, '2026-11-24');
    expect(nextAction(stageOfState(state), '2026-10-01', '2026-12-02', state.tracking)).toEqual({
      action: 'first definitive treatment',
      due: '2026-12-01',
      kind: 'milestone',
    });
  });
  it("takes the timed pathway's next milestone where it is due earlier (a lung CT by day 3)", () => {
    const lung = parsed(referral('2026-11-02', 'lung'), ev('triaged', '2026-11-03', { outcome: 'straight_to_test' }));
    expect(next(lung, '2026-11-24')).toEqual({
      action: 'CT of the chest',
      due: '2026-11-05',
      kind: 'milestone',
    });
  });
  it('knows when tests have been reported since the last MDT', () => {
    const events = parsed(
      referral('2026-11-02'),
      ev('first_seen', '2026-11-05'),
      ev('test_reported', '2026-11-10', { test: 'biopsy' }),
      ev('test_reported', '2026-11-12', { test: 'MRI' }),
    );
    expect(trackingOf(events).testsReportedSince).toBe('2026-11-10');
    expect(
      trackingOf([...events, ...parsed(ev('mdt_discussed', '2026-11-17', { decision: 'further_tests' }))])
        .testsReportedSince,
    ).toBeNull();
  });

  it('comes out the same folded one event at a time as from a full replay, with comments and bookings mixed in', () => {
    const extras = fc.array(
      fc.record({ at: fc.nat(), follow: fc.integer({ min: -1, max: 10 }), testIn: fc.integer({ min: -1, max: 20 }) }),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(pathwayArb, extras, ({ events, lastOn }, adds) => {
        const recorded: PathwayEvent[] = events.map((e, i) =>
          e.type === 'test_requested' && (adds[i % Math.max(1, adds.length)]?.testIn ?? -1) >= 0
            ? { ...e, testOn: addDays(e.on, adds[i % adds.length]!.testIn) }
            : e,
        );
        for (const [n, a] of adds.entries()) {
          const at = 1 + (a.at % recorded.length);
          const on = recorded[at - 1]!.on;
          recorded.splice(at, 0, {
            type: 'note',
            on,
            id: `n${n}`,
            text: `comment ${n}`,
            ...(a.follow >= 0 ? { followUpOn: addDays(on, a.follow) } : {}),
          });
        }
        const asOf = addDays(lastOn, 1);
        let state: PathwayState | null = null;
        recorded.forEach((event, k) => {
          if (k === 0) state = startPathway(event as Extract<PathwayEvent, { type: 'referral_received' }>);
          else state = advancePathway(state!, event, k, asOf) ?? pathwayFromEvents(recorded.slice(0, k + 1), asOf);
        });
        expect(state).toEqual(pathwayFromEvents(recorded, asOf));
      }),
      { numRuns: 300 },
    );
  });
});

describe('events unusual at the stage (R18)', () => {
  it('flags a decision to treat before the patient is seen or tested, and a diagnosis told on the day of referral', () => {
    const fresh = pathwayFromEvents(parsed(referral('2026-11-02')), '2026-11-24');
    expect(
      unusualEvents({ seen: fresh.fold.seen, referralOn: fresh.details.referralOn }).map((u) => [
        u.type,
        u.when?.equals ?? null,
      ]),
    ).toEqual([
      ['decision_to_treat', null],
      ['diagnosis_communicated', '2026-11-02'],
    ]);
    const seen = pathwayFromEvents(
      parsed(referral('2026-11-02'), ev('test_reported', '2026-11-09', { test: 'CT' })),
      '2026-11-24',
    );
    expect(unusualEvents({ seen: seen.fold.seen, referralOn: '2026-11-02' }).map((u) => u.type)).toEqual([
      'diagnosis_communicated',
    ]);
  });
  it('are accepted by the engine', () => {
    given([referral('2026-11-02')], { asOf: '2026-11-24' })
      .when(ev('decision_to_treat', '2026-11-03'))
      .then('awaiting_treatment');
    given([referral('2026-11-02')], { asOf: '2026-11-24' })
      .when(ev('diagnosis_communicated', '2026-11-02', { outcome: 'cancer_confirmed' }))
      .then('awaiting_decision_to_treat');
  });
});

describe('words a tracker understands', () => {
  const refusal = (raw: object) => {
    const r = pathwayEvent.safeParse(raw);
    if (r.success) throw new Error('accepted');
    return describeIssue(r.error);
  };
  it('names the field and gives the reason in plain words', () => {
    expect(refusal(ev('decision_to_treat', '2026-11-03', { treatingProvider: 'RAJ12345678' }))).toEqual({
      field: 'treatingProvider',
      message: 'must be an ODS code: 3 to 10 capital letters and digits, such as RAJ',
    });
    expect(refusal(ev('test_requested', '2026-11-03'))).toEqual({ field: 'test', message: 'must be filled in' });
    expect(refusal(ev('test_requested', '2026-11-03', { test: 'x'.repeat(201) }))).toEqual({
      field: 'test',
      message: 'must be 200 characters or fewer',
    });
    expect(refusal(ev('triaged', '2026-11-03', { outcome: 'maybe' })).message).toBe(
      'must be one of: straight_to_test, outpatient, rapid_diagnostic_centre',
    );
    expect(refusal(booked('2026-11-03', '2026-11-02'))).toEqual({
      field: 'appointmentOn',
      message: 'must not be before the date it was booked',
    });
  });
  it('has a label for every event, every stage, every date and every value of every list', () => {
    expect(Object.keys(EVENT_LABELS).sort()).toEqual([...EVENT_TYPES].sort());
    expect(Object.keys(ON_LABELS).sort()).toEqual([...EVENT_TYPES].sort());
    // Every leaf state: the compound ones (open, the treatment plan) by their children.
    const stages = Object.entries(referralMachine.states).flatMap(([name, node]) =>
      Object.keys(node.states).length ? Object.keys(node.states) : [name],
    );
    for (const s of stages) expect(STAGE_LABELS[s], s).toBeTruthy();
    for (const v of [
      ...ROUTES,
      ...TUMOUR_SITES,
      ...DIAGNOSIS_OUTCOMES,
      ...MDT_DECISIONS,
      ...TREATMENT_MODALITIES,
      ...REMOVAL_REASONS,
      'straight_to_test',
      'outpatient',
      'rapid_diagnostic_centre',
      'first',
      'subsequent',
      'admitted',
      'non_admitted',
      ...SUSPECTED_SITE_NAMES,
      ...SCREENING_PROGRAMMES,
      'met',
      'met_late',
      'due',
      'at_risk',
      'late',
    ]) {
      expect(VALUE_LABELS[v], v).toBeTruthy();
    }
    const fields = new Set(
      pathwayEvent.options.flatMap((o) => Object.keys(o.shape)).filter((f) => f !== 'type' && f !== 'id'),
    );
    for (const f of fields) expect(FIELD_LABELS[f], f).toBeTruthy();
  });
});
