// One describe per rule of cwt-rules.md (version 2), each with cases beyond the worked examples,
// written given / when / then over the pure pathway (test/support/given.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clockFold, computeClocks, firstSeenAdjustmentDays } from '../../src/cwt/clocks.ts';
import { backlogPosition, bandOf } from '../../src/cwt/backlog.ts';
import {
  addDays,
  addYears,
  daysBetween,
  displayDate,
  fromDayNumber,
  isIsoDate,
  londonDateOf,
  type IsoDate,
} from '../../src/vocabulary/calendar.ts';
import { pathwayEvent, type PathwayEvent } from '../../src/vocabulary/events.ts';
import { guardRailProblems } from '../../src/domain/guard-rails.ts';
import { pathwayFromEvents, pathwayForReview, stageOfState } from '../../src/domain/pathway.ts';
import { normaliseNhsNumber } from '../../src/vocabulary/nhs-number.ts';
import { TimelineError } from '../../src/domain/timeline.ts';
import { given } from '../support/given.ts';

const referral = (on: string, route = 'urgent_suspected_cancer', extra: object = {}) => ({
  type: 'referral_received',
  on,
  route,
  tumourSite: 'lung',
  nhsNumber: '9434765919',
  ...extra,
});
const ev = (type: string, on: string, extra: object = {}) => ({ type, on, ...extra });
const booked = (on: string, appointmentOn: string, appointment = 'first') =>
  ev('appointment_booked', on, { appointmentOn, appointment });
const dna = (on: string, appointment = 'first') => ev('dna', on, { appointment });
const told = (on: string, outcome = 'cancer_confirmed') => ev('diagnosis_communicated', on, { outcome });
const treated = (on: string) => ev('treatment_started', on, { modality: 'surgery' });
const declined = (offeredFor: string, availableFrom: string, setting = 'admitted', on = '2026-02-05') =>
  ev('treatment_offer_declined', on, { offeredFor, availableFrom, setting });
const parsed = (...raw: object[]): PathwayEvent[] => raw.map((e) => pathwayEvent.parse(e));

describe('R1 calendar days', () => {
  it('counts the start date as day 0 and ignores daylight saving', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // across the spring change
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2); // across the autumn change
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2); // leap day counts
    given([referral('2026-10-20')], { asOf: '2026-10-31' }).then('awaiting_triage', { d62: { days: 11 } });
  });
  it('accepts exactly the real calendar dates', () => {
    fc.assert(fc.property(fc.integer({ min: -100_000, max: 100_000 }), (n) => isIsoDate(fromDayNumber(n))));
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const real = new Date(Date.UTC(y, m - 1, d));
          expect(isIsoDate(text)).toBe(m >= 1 && m <= 12 && real.getUTCMonth() === m - 1 && real.getUTCDate() === d);
        },
      ),
    );
    expect(['2026-02-29', '2028-02-29', '2026-1-05', ' 2026-01-05'].map(isIsoDate)).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });
  it('round-trips every day number, including years 0-99 (which Date.UTC alone reads as 1900-1999)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -719_528, max: 100_000 }),
        (n) =>
          addDays(fromDayNumber(n), 0) === fromDayNumber(n) && daysBetween(fromDayNumber(0), fromDayNumber(n)) === n,
      ),
    );
    expect(daysBetween('0050-01-01', '1950-01-01')).toBe(693_960); // Python: (date(1950,1,1) - date(50,1,1)).days
    expect(isIsoDate('0100-02-29')).toBe(false);
  });
  it('takes today as the date in England, not the UTC date', () => {
    expect(londonDateOf(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01'); // BST
    expect(londonDateOf(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31'); // GMT
    expect(londonDateOf(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29'); // the hour the clocks go forward
    expect(londonDateOf(new Date('2026-10-24T22:59:59Z'))).toBe('2026-10-24');
    expect(londonDateOf(new Date('2026-10-24T23:00:00Z'))).toBe('2026-10-25');
  });
  it('counts years on the calendar (29 February less a year is 28 February) and writes dates as a tracker reads them', () => {
    expect([addYears('2026-06-10', 1), addYears('2028-02-29', -2), addYears('2028-02-29', 4)]).toEqual([
      '2027-06-10',
      '2026-02-28',
      '2032-02-29',
    ]);
    fc.assert(
      fc.property(
        fc.integer({ min: dayNumberOf('2000-01-01'), max: dayNumberOf('2100-12-31') }),
        fc.integer({ min: -5, max: 5 }),
        (n, years) => {
          const date = fromDayNumber(n);
          const moved = addYears(date, years);
          expect(isIsoDate(moved)).toBe(true);
          expect(Number(moved.slice(0, 4)) - Number(date.slice(0, 4))).toBe(years);
        },
      ),
    );
    expect([displayDate('2026-06-10'), displayDate('2026-01-05'), displayDate('2028-12-31')]).toEqual([
      '10 Jun 2026',
      '5 Jan 2026',
      '31 Dec 2028',
    ]);
  });
});

function dayNumberOf(date: IsoDate): number {
  return daysBetween('1970-01-01', date);
}

describe('R2 breach', () => {
  const base = [referral('2026-01-01'), ev('first_seen', '2026-01-02'), ev('decision_to_treat', '2026-02-01')];
  it('meets the standard on day 62 and breaches on day 63, the breach date being start + 63', () => {
    given(base)
      .when(treated('2026-03-04'))
      .then('treated', { d62: { days: 62, breached: false, breachDate: null } });
    given(base)
      .when(treated('2026-03-05'))
      .then('treated', { d62: { days: 63, breached: true, breachDate: '2026-03-05' } });
    given(base, { asOf: '2026-03-04' }).then('awaiting_treatment', {
      d62: { days: 62, breached: false, breachDate: '2026-03-05' },
    });
    given(base, { asOf: '2026-03-05' }).then('awaiting_treatment', { d62: { breached: true } });
  });
  it('moves the breach date by each pause that starts before the date reached so far, and not by one that starts after it', () => {
    // Without pauses both clocks breach on 5 March (1 Jan + 63, 1 Feb + 32).
    const cases: [object[], IsoDate][] = [
      [[], '2026-03-05'],
      [[declined('2026-03-10', '2026-03-20')], '2026-03-05'], // starts after the clock breached: no move
      [[declined('2026-03-05', '2026-03-20')], '2026-03-05'], // starts on the breach date: already breached
      [[declined('2026-02-20', '2026-03-02')], '2026-03-15'], // 10 days, before: moves it 10 days
      [[declined('2026-02-20', '2026-03-02'), declined('2026-03-10', '2026-03-15')], '2026-03-20'], // the second starts before the moved date
      [[declined('2026-02-20', '2026-03-02'), declined('2026-03-16', '2026-03-30')], '2026-03-15'], // the second starts after it
    ];
    for (const [pauses, breachDate] of cases) {
      given([...base, ...pauses], { asOf: '2026-02-10' }).then('awaiting_treatment', {
        d62: { breachDate },
        d31: { breachDate },
      });
    }
  });
});

describe('R3 which routes each clock applies to', () => {
  for (const route of ['urgent_suspected_cancer', 'breast_symptomatic', 'screening', 'consultant_upgrade']) {
    it(`${route}: fds ${route === 'consultant_upgrade' ? 'does not apply' : 'applies'}; d62 applies; d31 waits for a decision to treat`, () => {
      const fds = { state: route === 'consultant_upgrade' ? ('not_applicable' as const) : ('running' as const) };
      given([referral('2026-01-01', route)], { asOf: '2026-02-01' }).then('awaiting_triage', {
        fds,
        d62: { state: 'running' },
        d31: { state: 'not_applicable' },
      });
      given([referral('2026-01-01', route)], { asOf: '2026-02-01' })
        .when(ev('decision_to_treat', '2026-01-20'))
        .then('awaiting_treatment', { d31: { state: 'running' } });
    });
  }
});

describe('R4 clock starts', () => {
  it('starts fds and d62 on the referral date and d31 on the decision to treat', () => {
    given([referral('2026-01-07')], { asOf: '2026-02-10' })
      .when(ev('decision_to_treat', '2026-02-03'))
      .then('awaiting_treatment', {
        fds: { start: '2026-01-07' },
        d62: { start: '2026-01-07' },
        d31: { start: '2026-02-03', days: 7 },
      });
  });
});

describe('R5 missed first appointment', () => {
  const history = [referral('2026-02-01'), booked('2026-02-02', '2026-02-09')];
  it('moves nothing until the patient rebooks, then restarts fds and d62 on the rebooking date', () => {
    given(history, { asOf: '2026-02-20' })
      .when(dna('2026-02-09'))
      .then('first_appointment_missed', {
        fds: { start: '2026-02-01', days: 19 },
        d62: { start: '2026-02-01', days: 19 },
      });
    given([...history, dna('2026-02-09')], { asOf: '2026-02-20' })
      .when(booked('2026-02-11', '2026-02-16'))
      .then('awaiting_first_appointment', {
        fds: { start: '2026-02-11', days: 9 },
        d62: { start: '2026-02-11', days: 9 },
      });
  });
  it('restarts again at each missed first appointment that is rebooked, and keeps the days for the national record', () => {
    const events = [
      ...history,
      dna('2026-02-09'),
      booked('2026-02-10', '2026-02-16'),
      dna('2026-02-16'),
      booked('2026-02-18', '2026-02-25'),
    ];
    given(events, { asOf: '2026-03-20' }).then('awaiting_first_appointment', {
      d62: { start: '2026-02-18' },
      fds: { start: '2026-02-18' },
    });
    // WAITING TIME ADJUSTMENT (FIRST SEEN), reason 3: referral to the last rebooking.
    expect(firstSeenAdjustmentDays(clockFold(parsed(...events))!.facts)).toBe(17);
    expect(firstSeenAdjustmentDays(clockFold(parsed(...history))!.facts)).toBe(0);
  });
  it('makes no adjustment when the pathway ends or the patient is told with no rebooking', () => {
    const missed = [...history, dna('2026-02-09')];
    given(missed)
      .when(ev('removed', '2026-03-01', { reason: 'returned_to_gp' }))
      .then('removed', { status: 'closed', d62: { state: 'not_applicable', start: '2026-02-01', days: 28 } });
    given([...missed, told('2026-02-20')], { asOf: '2026-03-01' })
      .when(booked('2026-02-21', '2026-02-25'))
      .then(undefined, { fds: { start: '2026-02-01', stop: '2026-02-20' }, d62: { start: '2026-02-01' } });
  });
  it('changes nothing for a DNA after the patient was first seen, even if marked first and rebooked', () => {
    given([referral('2026-02-01'), ev('first_seen', '2026-02-05'), dna('2026-02-09')], { asOf: '2026-03-20' })
      .when(booked('2026-02-10', '2026-02-17'))
      .then('under_investigation', { d62: { start: '2026-02-01' } });
  });
  it('counts a diagnostic test reported as first seen: a later clinic DNA, rebooked, changes nothing', () => {
    const tested = [
      referral('2026-02-01'),
      ev('test_requested', '2026-02-02', { test: 'ct' }),
      ev('test_reported', '2026-02-06', { test: 'ct' }),
      booked('2026-02-07', '2026-02-10'),
      dna('2026-02-10'),
    ];
    given(tested, { asOf: '2026-03-20' })
      .when(booked('2026-02-11', '2026-02-17'))
      .then('under_investigation', { d62: { start: '2026-02-01' } });
  });
  it('changes nothing for a subsequent appointment missed', () => {
    given([referral('2026-02-01'), booked('2026-02-02', '2026-02-09')], { asOf: '2026-03-20' })
      .when(dna('2026-02-12', 'subsequent'))
      .then('awaiting_first_appointment', { d62: { start: '2026-02-01' } });
  });
});

describe('R6 patient cancellations', () => {
  it('records a cancellation without adjusting any clock', () => {
    const without = given([referral('2026-02-01')], { asOf: '2026-03-20' }).then('awaiting_triage');
    given([referral('2026-02-01')], { asOf: '2026-03-20' })
      .when(ev('patient_cancelled', '2026-02-10'))
      .then('awaiting_triage', without);
  });
});

describe('R7 declined offers of treatment', () => {
  const base = [referral('2026-01-01'), ev('first_seen', '2026-01-02'), ev('decision_to_treat', '2026-02-01')];

  it('counts only the days of a pause under way up to the as-of date, so a wait never goes backwards', () => {
    const pause = declined('2026-02-10', '2026-02-24');
    const asOfs: IsoDate[] = ['2026-02-09', '2026-02-10', '2026-02-15', '2026-02-24', '2026-02-25'];
    const d62 = asOfs.map((asOf) => given([...base, pause], { asOf }).then('awaiting_treatment').d62);
    expect(d62.map((c) => c.days)).toEqual([39, 40, 40, 40, 41]);
    expect(d62.map((c) => c.adjustmentDays)).toEqual([0, 0, 5, 14, 14]);
    // the breach date already allows for the whole known pause
    expect(d62.every((c) => c.breachDate === addDays('2026-01-01', 63 + 14))).toBe(true);
  });
  it('adds several declined offers up, and counts overlapping ones once', () => {
    given(base, { asOf: '2026-04-30' })
      .when(declined('2026-03-01', '2026-03-04'))
      .then(undefined, { d62: { adjustmentDays: 3 } });
    given([...base, declined('2026-02-10', '2026-02-17')], { asOf: '2026-04-30' })
      .when(declined('2026-03-01', '2026-03-04', 'admitted', '2026-02-06'))
      .then(undefined, { d62: { adjustmentDays: 10 }, d31: { adjustmentDays: 10 } });
    given([...base, declined('2026-02-10', '2026-02-17')], { asOf: '2026-04-30' })
      .when(declined('2026-02-15', '2026-02-20', 'admitted', '2026-02-06'))
      .then(undefined, { d62: { adjustmentDays: 10 }, d31: { adjustmentDays: 10 } });
  });
  it('pauses in both settings, admitted and non-admitted, the same', () => {
    for (const setting of ['admitted', 'non_admitted']) {
      given(base, { asOf: '2026-04-30' })
        .when(declined('2026-02-10', '2026-02-17', setting))
        .then('awaiting_treatment', {
          fds: { adjustmentDays: 0 },
          d31: { adjustmentDays: 7, days: 81 },
          d62: { adjustmentDays: 7, days: 112 },
        });
    }
  });
  it('counts only days between the decision to treat and the treatment: one adjustment, the same on d31 and d62', () => {
    // Offered for a day before the decision: counts from the decision (E23).
    given(base, { asOf: '2026-04-30' })
      .when(declined('2026-01-20', '2026-02-08'))
      .then(undefined, { d31: { adjustmentDays: 7 }, d62: { adjustmentDays: 7 } });
    // Wholly before the decision: nothing to take off.
    given(base, { asOf: '2026-04-30' })
      .when(declined('2026-01-20', '2026-01-30'))
      .then(undefined, { d31: { adjustmentDays: 0 }, d62: { adjustmentDays: 0 } });
    // Treated before the patient said they would be available: the pause ends with the treatment.
    given([...base, declined('2026-02-10', '2026-03-10')], { asOf: '2026-04-30' })
      .when(treated('2026-03-01'))
      .then('treated', { d31: { adjustmentDays: 19, days: 9 }, d62: { adjustmentDays: 19, days: 40 } });
  });
  it('adjusts nothing without a decision to treat (the calculator on its own, whatever the machine allows)', () => {
    const events = parsed(referral('2026-01-01'), declined('2026-01-10', '2026-01-20', 'admitted', '2026-01-05'));
    expect(computeClocks(events, '2026-03-01').d62.adjustmentDays).toBe(0);
  });
  it('allows no other pause: a cancellation or a missed appointment after the decision adjusts nothing', () => {
    given(base, { asOf: '2026-04-30' })
      .when(ev('patient_cancelled', '2026-02-10'))
      .then(undefined, { d62: { adjustmentDays: 0 }, d31: { adjustmentDays: 0 } });
  });
});

describe('R8 faster diagnosis stop', () => {
  it('stops fds at the first diagnosis communicated, whatever the outcome, or at an earlier decision to treat', () => {
    for (const [outcome, stage] of [
      ['cancer_confirmed', 'awaiting_decision_to_treat'],
      ['cancer_ruled_out', 'cancer_ruled_out'],
      ['interval_scan', 'interval_scan_planned'],
    ]) {
      given([referral('2026-01-01')], { asOf: '2026-03-01' })
        .when(told('2026-01-20', outcome))
        .then(stage, { fds: { state: 'stopped', stop: '2026-01-20', days: 19 } });
    }
    given([referral('2026-01-01'), ev('decision_to_treat', '2026-01-15')], { asOf: '2026-03-01' })
      .when(told('2026-01-20'))
      .then('awaiting_treatment', { fds: { state: 'stopped', stop: '2026-01-15', days: 14 } });
  });
});

describe('R9 cancer ruled out, or an interval scan planned', () => {
  for (const [outcome, stage] of [
    ['cancer_ruled_out', 'cancer_ruled_out'],
    ['interval_scan', 'interval_scan_planned'],
  ]) {
    it(`${outcome}: closes the pathway and takes d62 and d31 out of the standard`, () => {
      const c = given([referral('2026-01-01'), ev('decision_to_treat', '2026-01-10')], { asOf: '2026-03-01' })
        .when(told('2026-01-20', outcome))
        .then(stage, {
          status: 'closed',
          fds: { state: 'stopped', stop: '2026-01-10' },
          d62: { state: 'not_applicable', stop: '2026-01-20', days: 19, breached: false },
          d31: { state: 'not_applicable', breached: false },
        });
      expect(backlogPosition(c)).toBeNull();
    });
    it(`${outcome}: allows only a comment or a correction afterwards`, () => {
      const refusal = given([referral('2026-01-01'), told('2026-01-20', outcome)], { asOf: '2026-03-01' })
        .when(ev('decision_to_treat', '2026-01-25'))
        .refused('not_allowed', `decision_to_treat is not allowed in stage ${stage}; allowed: note, event_voided`);
      expect(refusal.field).toBe('type');
    });
  }
});

describe('R10 treatment', () => {
  it('requires a decision to treat first, which may fall on the same day', () => {
    given([referral('2026-01-01')], { asOf: '2026-03-01' })
      .when(treated('2026-01-20'))
      .refused('not_allowed', 'treatment_started is not allowed in stage awaiting_triage');
    given([referral('2026-01-01'), ev('decision_to_treat', '2026-01-20')], { asOf: '2026-03-01' })
      .when(treated('2026-01-20'))
      .then('treated', { status: 'closed', d31: { state: 'stopped', days: 0 }, d62: { state: 'stopped', days: 19 } });
  });
});

describe('R11 removal', () => {
  it('takes running clocks out of the standards and keeps a stopped clock', () => {
    given([referral('2026-01-01'), told('2026-01-20')], { asOf: '2026-03-01' })
      .when(ev('removed', '2026-02-01', { reason: 'patient_died' }))
      .then('removed', {
        status: 'closed',
        fds: { state: 'stopped', stop: '2026-01-20' },
        d62: { state: 'not_applicable', stop: '2026-02-01', days: 31 },
      });
  });
});

describe('R12 onward referral and transfer', () => {
  it('restart nothing', () => {
    given(
      [
        referral('2026-01-01', 'urgent_suspected_cancer', { tumourSite: 'non_specific_symptoms' }),
        ev('referred_onward', '2026-01-10', { toTumourSite: 'lung' }),
      ],
      { asOf: '2026-03-01' },
    )
      .when(ev('transferred', '2026-01-20', { toProvider: 'RGT' }))
      .then(undefined, { d62: { start: '2026-01-01', days: 59 }, fds: { start: '2026-01-01' } });
  });
});

describe('R13 corrections', () => {
  it('treats a voided treatment as never recorded: the pathway reopens', () => {
    given(
      [
        referral('2026-01-01'),
        ev('decision_to_treat', '2026-01-20'),
        ev('treatment_started', '2026-01-25', { modality: 'surgery', id: 't1' }),
      ],
      { asOf: '2026-03-01' },
    )
      .when(ev('event_voided', '2026-02-01', { voids: 't1', reason: 'wrong patient' }))
      .then('awaiting_treatment', { status: 'open', d62: { state: 'running', days: 59 } });
  });
  it('treats a voided rebooking as never recorded: the clocks count from the referral again', () => {
    given(
      [
        referral('2026-02-01'),
        booked('2026-02-02', '2026-02-09'),
        dna('2026-02-09'),
        ev('appointment_booked', '2026-02-11', { id: 'b2', appointmentOn: '2026-02-16', appointment: 'first' }),
      ],
      { asOf: '2026-03-01' },
    )
      .when(ev('event_voided', '2026-02-12', { voids: 'b2', reason: 'booked for the wrong patient' }))
      .then(undefined, { d62: { start: '2026-02-01' } });
  });
  it('refuses a void naming no earlier event, the referral, or an event already voided', () => {
    given([referral('2026-01-01')], { asOf: '2026-03-01' })
      .when(ev('event_voided', '2026-01-02', { voids: 'nope', reason: 'x' }))
      .refused('voids', 'names no earlier event');
    given([referral('2026-01-01', 'urgent_suspected_cancer', { id: 'r' })], { asOf: '2026-03-01' })
      .when(ev('event_voided', '2026-01-02', { voids: 'r', reason: 'x' }))
      .refused('voids', 'cannot void the referral');
    given(
      [
        referral('2026-01-01'),
        ev('first_seen', '2026-01-02', { id: 'a' }),
        ev('event_voided', '2026-01-03', { voids: 'a', reason: 'x' }),
      ],
      { asOf: '2026-03-01' },
    )
      .when(ev('event_voided', '2026-01-03', { voids: 'a', reason: 'x' }))
      .refused('voids', 'already voided');
  });
  it('refuses a void that would leave a timeline the rules do not allow', () => {
    given([referral('2026-01-01'), ev('decision_to_treat', '2026-01-20', { id: 'd' }), treated('2026-01-25')], {
      asOf: '2026-03-01',
    })
      .when(ev('event_voided', '2026-02-01', { voids: 'd', reason: 'x' }))
      .refused('not_allowed', 'treatment_started is not allowed');
  });
});

describe('R14 clinical order', () => {
  it('takes a back-dated event in clinical order', () => {
    // The rebooking, recorded after the first appointment but dated before it, restarts the clocks.
    given(
      [referral('2026-01-01'), booked('2026-01-02', '2026-01-08'), dna('2026-01-08'), ev('first_seen', '2026-01-20')],
      { asOf: '2026-03-01' },
    )
      .when(booked('2026-01-09', '2026-01-20'))
      .then('under_investigation', { d62: { start: '2026-01-09' } });
  });
  it('reads a DNA and a rebooking on the same day in that order, whatever order they were recorded in', () => {
    const history = [referral('2026-01-01'), booked('2026-01-02', '2026-01-08')];
    given([...history, dna('2026-01-08')], { asOf: '2026-03-01' })
      .when(booked('2026-01-08', '2026-01-15'))
      .then(undefined, { d62: { start: '2026-01-08' } });
    given([...history, booked('2026-01-08', '2026-01-15')], { asOf: '2026-03-01' })
      .when(dna('2026-01-08'))
      .then(undefined, { d62: { start: '2026-01-08' } });
  });
  it('refuses an event dated before the referral or after the as-of date', () => {
    given([referral('2026-01-10')], { asOf: '2026-03-01' })
      .when(ev('first_seen', '2026-01-05'))
      .refused('on', 'before the referral');
    given([referral('2026-01-10')], { asOf: '2026-03-01' })
      .when(ev('first_seen', '2026-03-02'))
      .refused('on', 'after the as-of date');
  });
});

describe('R15 backlog', () => {
  it('counts d62 days over 62 and over 104, and fds overdue past 28, for open pathways only', () => {
    const at = (asOf: IsoDate) => backlogPosition(given([referral('2026-01-01')], { asOf }).then('awaiting_triage'))!;
    expect([at('2026-01-29').fdsOverdue, at('2026-01-30').fdsOverdue]).toEqual([false, true]);
    expect([at('2026-03-04').over62, at('2026-03-05').over62]).toEqual([false, true]);
    expect([at('2026-04-15').over104, at('2026-04-16').over104]).toEqual([false, true]);
    expect([bandOf(28), bandOf(29), bandOf(62), bandOf(63), bandOf(104), bandOf(105)]).toEqual([
      '0-28',
      '29-62',
      '29-62',
      '63-104',
      '63-104',
      '105+',
    ]);
  });
  it('keeps a patient who missed a first appointment in the backlog until they rebook', () => {
    const c = given([referral('2026-01-01'), booked('2026-01-02', '2026-01-10'), dna('2026-01-10')], {
      asOf: '2026-03-10',
    }).then('first_appointment_missed');
    expect(backlogPosition(c)).toMatchObject({ daysWaiting: 68, over62: true });
  });
});

describe('R16 which events are allowed', () => {
  it('accepts a back-dated event when the sorted timeline still keeps the rules', () => {
    // decision to treat recorded after treatment but dated before it
    given([referral('2026-01-01')], { asOf: '2026-03-01' })
      .when(treated('2026-02-10'))
      .refused('not_allowed', 'in stage awaiting_triage');
    const events = parsed(referral('2026-01-01'), treated('2026-02-10'), ev('decision_to_treat', '2026-02-01'));
    const state = pathwayFromEvents(events, '2026-03-01');
    expect(stageOfState(state)).toBe('treated');
    expect(state.fold.facts.decisionToTreat).toBe('2026-02-01');
  });
  it('allows only a comment or a correction once the pathway is closed', () => {
    given([referral('2026-01-01'), ev('removed', '2026-01-05', { reason: 'moved_away' })], { asOf: '2026-03-01' })
      .when(ev('first_seen', '2026-01-06'))
      .refused('not_allowed', 'allowed: note, event_voided');
  });
  it('allows diagnosis_communicated and decision_to_treat once each', () => {
    given([referral('2026-01-01'), told('2026-01-10')], { asOf: '2026-03-01' })
      .when(told('2026-01-10'))
      .refused('not_allowed', 'diagnosis_communicated is not allowed');
    given([referral('2026-01-01'), ev('decision_to_treat', '2026-01-10')], { asOf: '2026-03-01' })
      .when(ev('decision_to_treat', '2026-01-11'))
      .refused('not_allowed', 'decision_to_treat is not allowed');
  });
  it('allows a declined offer only after a decision to treat', () => {
    given([referral('2026-01-01')], { asOf: '2026-03-01' })
      .when(declined('2026-01-10', '2026-01-20'))
      .refused('not_allowed', 'treatment_offer_declined is not allowed');
  });
});

describe('R17 NHS number', () => {
  it('checks the Modulus 11 digit and accepts 3-3-4 spacing', () => {
    expect(normaliseNhsNumber('9434765919')).toBe('9434765919');
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('9434765918')).toBeNull();
    expect(normaliseNhsNumber('94347659')).toBeNull();
    expect(normaliseNhsNumber('943476591X')).toBeNull();
    // a remainder giving 10 is never valid, whatever the tenth digit
    expect(normaliseNhsNumber('0000000060')).toBeNull();
    given([])
      .when(referral('2026-01-01', 'screening', { nhsNumber: '9434765918' }))
      .refused('nhsNumber', 'is not a valid NHS number');
  });
});

describe('R18 plausible dates (guard rails)', () => {
  const history = [referral('2026-06-01'), booked('2026-06-02', '2026-06-10')];
  const treating = [referral('2026-01-05'), told('2026-01-20'), ev('decision_to_treat', '2026-02-01')];

  it('refuses a first-appointment DNA dated on any other day than the latest first appointment booked', () => {
    given(history, { asOf: '2026-07-01' })
      .when(dna('2026-06-11'))
      .refused('on', 'the missed appointment must be dated the day it was booked for (10 Jun 2026)');
    given(history, { asOf: '2026-07-01' }).when(dna('2026-06-10')).then('first_appointment_missed');
    // Rebooked after a cancellation: the latest booking counts.
    given([...history, ev('patient_cancelled', '2026-06-05'), booked('2026-06-05', '2026-06-17')], {
      asOf: '2026-07-01',
    })
      .when(dna('2026-06-10'))
      .refused('on', '(17 Jun 2026)');
  });
  it('refuses it too when it is back-dated (a full replay) and when the booking is recorded after it', () => {
    given([...history, ev('first_seen', '2026-06-20')], { asOf: '2026-07-01' })
      .when(dna('2026-06-12'))
      .refused('on', '(10 Jun 2026)');
    given([referral('2026-06-01'), dna('2026-06-12')], { asOf: '2026-07-01' })
      .when(booked('2026-06-02', '2026-06-10'))
      .refused('on', '(10 Jun 2026)');
  });
  it('accepts a DNA of a subsequent appointment on any day, and a first-appointment DNA with no booking recorded', () => {
    given(history, { asOf: '2026-07-01' }).when(dna('2026-06-12', 'subsequent')).then('awaiting_first_appointment');
    given([referral('2026-06-01')], { asOf: '2026-07-01' })
      .when(dna('2026-06-12'))
      .then('first_appointment_missed');
  });
  it('refuses an appointment more than a year after the booking', () => {
    given([referral('2026-06-01')])
      .when(booked('2026-06-02', '2027-06-03'))
      .refused('appointmentOn', 'the appointment (3 Jun 2027) is more than a year after it was booked (2 Jun 2026)');
    given([referral('2026-06-01')])
      .when(booked('2026-06-02', '2027-06-02'))
      .then('awaiting_first_appointment');
  });
  it('refuses a declined offer offered for a day before the referral, or with the patient available more than a year later', () => {
    given(treating, { asOf: '2026-03-01' })
      .when(declined('2026-01-04', '2026-02-10'))
      .refused('offeredFor', 'the offered date (4 Jan 2026) is before the referral (5 Jan 2026)');
    given(treating, { asOf: '2026-03-01' })
      .when(declined('2026-02-10', '2027-02-11'))
      .refused('availableFrom', 'more than a year after the offered date (10 Feb 2026)');
    given(treating, { asOf: '2026-03-01' }).when(declined('2026-02-10', '2027-02-10')).then('awaiting_treatment');
  });
  it('refuses any event dated before 2000', () => {
    given([]).when(referral('1999-12-31')).refused('on', '31 Dec 1999 is before 2000: check the year');
    given([]).when(referral('2000-01-01')).then('awaiting_triage');
  });
  it('refuses a referral entered through the API or the forms more than two years before today, but not one imported', () => {
    given([])
      .when(referral('2024-11-24'), { today: '2026-11-25' })
      .refused('on', 'more than two years before today (25 Nov 2026)');
    given([]).when(referral('2024-11-25'), { today: '2026-11-25' }).then('awaiting_triage');
    given([]).when(referral('2020-01-01')).then('awaiting_triage'); // bulk import: no `today`
    // Only the event being entered: a later event on an old pathway is not refused for the referral's age.
    given([referral('2020-01-01')], { asOf: '2026-11-25' })
      .when(ev('first_seen', '2020-01-05'), { today: '2026-11-25' })
      .then('under_investigation');
  });
  it('accepts what is allowed but unusual: a decision to treat before the patient was seen, a diagnosis told on the day of referral', () => {
    given([referral('2026-01-05')])
      .when(ev('decision_to_treat', '2026-01-06'))
      .then('awaiting_treatment');
    given([referral('2026-01-05')])
      .when(told('2026-01-05'))
      .then('awaiting_decision_to_treat', { fds: { days: 0 } });
  });

  describe('history stored under version 1', () => {
    // A v1 history: the DNA keyed a day late.
    const stored = parsed(...history, dna('2026-06-11'), booked('2026-06-12', '2026-06-19'));

    it('is refused by the strict replay, and folded as it stands by the review replay, with its problems listed', () => {
      expect(() => pathwayFromEvents(stored, '2026-07-01')).toThrow(TimelineError);
      const { state, problems } = pathwayForReview(stored);
      expect(problems).toEqual([
        {
          index: 2,
          field: 'on',
          reason: 'the missed appointment must be dated the day it was booked for (10 Jun 2026)',
        },
      ]);
      expect(stageOfState(state)).toBe('awaiting_first_appointment');
      expect(state.fold.facts.start).toBe('2026-06-12'); // as it stands: the rebooking restarts the clocks (R5)
      expect(guardRailProblems(stored)).toEqual(problems);
    });
    it('takes a back-dated event when only known problems remain, and refuses one that adds a problem', () => {
      const known = guardRailProblems(stored);
      const more = parsed(ev('test_requested', '2026-06-03', { test: 'ct' }));
      const { problems } = pathwayForReview([...stored, ...more]);
      expect(problems).toEqual(known);
      expect(stageOfState(pathwayFromEvents([...stored, ...more], '2026-07-01', { tolerate: known }))).toBe(
        'awaiting_first_appointment',
      );
      const worse = parsed(booked('2026-06-03', '2027-07-01'));
      expect(() => pathwayFromEvents([...stored, ...worse], '2026-07-01', { tolerate: known })).toThrow(
        /appointmentOn/,
      );
    });
  });
});

// ---- issue #24: pathways off the 62-day standard -------------------------------------------
// OpenPTL's extension of R3: cancers found outside the urgent routes, and recurrences, are on the
// 31-day standard only (decision to treat to first treatment), as national processing counts them:
// the 31-day first-treatment measure takes every route; the 62-day measure counts event types 01,
// 07 and 12 only, so a recurrence's treatment (03-06, 09-11) never counts in it.
describe('R3 (issue #24) the 31-day-only route', () => {
  const route = 'thirty_one_day_only';
  it('has no faster diagnosis or 62-day clock, starts at the decision to treat stage, and is never on the 62-day PTL', () => {
    const clocks = given([referral('2026-03-02', route)], { asOf: '2026-05-01' }).then('awaiting_decision_to_treat', {
      status: 'closed',
      fds: { state: 'not_applicable', start: null, days: null },
      d62: { state: 'not_applicable', start: null, days: null },
      d31: { state: 'not_applicable' },
    });
    expect(backlogPosition(clocks)).toBeNull();
  });
  it('runs the 31-day clock from the decision to treat to the first treatment, declined offers taken off (R7), breach on day 32', () => {
    const decided = [referral('2026-03-02', route), ev('decision_to_treat', '2026-03-10')];
    given(decided, { asOf: '2026-04-20' }).then('awaiting_treatment', {
      status: 'closed',
      d31: { state: 'running', start: '2026-03-10', days: 41, breachDate: '2026-04-11', breached: true },
      d62: { state: 'not_applicable', start: null },
    });
    given(decided, { asOf: '2026-04-20' })
      .when(declined('2026-03-20', '2026-03-30', 'non_admitted', '2026-03-15'))
      .then('awaiting_treatment', { d31: { days: 31, adjustmentDays: 10, breachDate: '2026-04-21', breached: false } });
    given(decided, { asOf: '2026-05-01' })
      .when(treated('2026-04-11'))
      .then('treated', { d31: { state: 'stopped', days: 32, breached: true }, d62: { state: 'not_applicable' } });
  });
  it('may record the diagnosis (a recurrence too) without any clock but the 31-day moving', () => {
    given([referral('2026-03-02', route)], { asOf: '2026-04-01' })
      .when(ev('diagnosis_communicated', '2026-03-05', { outcome: 'cancer_confirmed', recurrence: 'distant' }))
      .then('awaiting_decision_to_treat', { fds: { state: 'not_applicable' }, d62: { state: 'not_applicable' } });
  });
});

describe('R8/R9 (issue #24) a suspected cancer whose diagnosis is a recurrence', () => {
  const history = [referral('2026-01-05'), ev('first_seen', '2026-01-12')];
  const recurrence = ev('diagnosis_communicated', '2026-01-30', { outcome: 'cancer_confirmed', recurrence: 'local' });
  it('stops fds as any diagnosis does, and leaves the 62-day standard that day: off the 62-day PTL', () => {
    const clocks = given(history, { asOf: '2026-03-20' })
      .when(recurrence)
      .then('awaiting_decision_to_treat', {
        status: 'closed',
        fds: { state: 'stopped', stop: '2026-01-30', days: 25 },
        d62: { state: 'not_applicable', start: '2026-01-05', stop: '2026-01-30', days: 25, breached: false },
        d31: { state: 'not_applicable' },
      });
    expect(backlogPosition(clocks)).toBeNull();
  });
  it('counts its first treatment in the 31-day standard only', () => {
    given([...history, recurrence, ev('decision_to_treat', '2026-02-20')], { asOf: '2026-04-30' })
      .when(treated('2026-04-10'))
      .then('treated', {
        d31: { state: 'stopped', start: '2026-02-20', days: 49, breached: true },
        d62: { state: 'not_applicable', stop: '2026-01-30', breached: false },
      });
  });
  it('leaves a decision to treat made before the patient is told on the 31-day clock, with the 62-day stopped at the telling', () => {
    given([...history, ev('decision_to_treat', '2026-01-20')], { asOf: '2026-03-01' })
      .when(recurrence)
      .then('awaiting_treatment', {
        status: 'closed',
        fds: { stop: '2026-01-20' },
        d62: { state: 'not_applicable', stop: '2026-01-30' },
        d31: { state: 'running', start: '2026-01-20', days: 40 },
      });
  });
  it('is only for a confirmed cancer, and its first treatment takes a recurrence event type', () => {
    given(history)
      .when(ev('diagnosis_communicated', '2026-01-30', { outcome: 'cancer_ruled_out', recurrence: 'local' }))
      .refused('recurrence', 'is for a confirmed cancer only');
    const decided = [...history, recurrence, ev('decision_to_treat', '2026-02-20')];
    given(decided)
      .when(ev('treatment_started', '2026-03-01', { modality: 'surgery', eventType: '01' }))
      .refused('eventType', 'does not fit the first treatment of a recurrence: it is 03 to 06 or 09 to 11');
    given(decided)
      .when(ev('treatment_started', '2026-03-01', { modality: 'surgery', eventType: '03' }))
      .then('treated', { d31: { state: 'stopped', days: 9 } });
    given([...history, told('2026-01-30'), ev('decision_to_treat', '2026-02-20')])
      .when(ev('treatment_started', '2026-03-01', { modality: 'surgery', eventType: '03' }))
      .refused('eventType', 'the first definitive treatment is 01, 07 or 12');
  });
});
