// One describe per rule of cwt-rules.md, each with cases beyond the worked examples.
import { describe, expect, it } from 'vitest';
import { computeClocks } from '../../src/cwt/clocks.ts';
import { backlogPosition, bandOf } from '../../src/cwt/backlog.ts';
import fc from 'fast-check';
import { daysBetween, fromDayNumber, isIsoDate, londonDateOf, addDays } from '../../src/cwt/calendar.ts';
import { pathwayEvent } from '../../src/domain/events.ts';
import { replay, stageOf, TimelineError } from '../../src/domain/timeline.ts';
import { normaliseNhsNumber } from '../../src/domain/nhs-number.ts';

const referral = (on: string, route = 'urgent_suspected_cancer', extra: object = {}) =>
  ({ type: 'referral_received', on, route, tumourSite: 'lung', nhsNumber: '9434765919', ...extra });
const ev = (type: string, on: string, extra: object = {}) => ({ type, on, ...extra });

function clocks(asOf: string, ...raw: object[]) {
  const events = raw.map((e) => pathwayEvent.parse(e));
  replay(events, asOf); // every timeline here must also be one the machine accepts
  return computeClocks(events, asOf);
}

function refusal(asOf: string, ...raw: object[]): TimelineError {
  const events = raw.map((e) => pathwayEvent.parse(e));
  try {
    replay(events, asOf);
  } catch (err) {
    if (err instanceof TimelineError) return err;
    throw err;
  }
  throw new Error('expected the timeline to be refused');
}

describe('R1 calendar days', () => {
  it('counts the start date as day 0 and ignores daylight saving', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // across the spring change
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2); // across the autumn change
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2); // leap day counts
    expect(clocks('2026-10-31', referral('2026-10-20')).d62.days).toBe(11);
  });
  it('accepts exactly the real calendar dates', () => {
    fc.assert(fc.property(fc.integer({ min: -100_000, max: 100_000 }), (n) => isIsoDate(fromDayNumber(n))));
    fc.assert(fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
      const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const real = new Date(Date.UTC(y, m - 1, d));
      expect(isIsoDate(text)).toBe(m >= 1 && m <= 12 && real.getUTCMonth() === m - 1 && real.getUTCDate() === d);
    }));
    expect(['2026-02-29', '2028-02-29', '2026-1-05', ' 2026-01-05'].map(isIsoDate)).toEqual([false, true, false, false]);
  });
  it('round-trips every day number, including years 0-99 (which Date.UTC alone reads as 1900-1999)', () => {
    fc.assert(fc.property(fc.integer({ min: -719_528, max: 100_000 }), (n) => addDays(fromDayNumber(n), 0) === fromDayNumber(n) && daysBetween(fromDayNumber(0), fromDayNumber(n)) === n));
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
});

describe('R2 breach', () => {
  it('meets the standard on day 62 and breaches on day 63, the breach date being start + 63', () => {
    const base = [referral('2026-01-01'), ev('first_seen', '2026-01-02'), ev('decision_to_treat', '2026-02-01')];
    const met = clocks('2026-04-01', ...base, ev('treatment_started', '2026-03-04', { modality: 'surgery' })).d62;
    const late = clocks('2026-04-01', ...base, ev('treatment_started', '2026-03-05', { modality: 'surgery' })).d62;
    expect([met.days, met.breached, met.breachDate]).toEqual([62, false, null]);
    expect([late.days, late.breached, late.breachDate]).toEqual([63, true, '2026-03-05']);
    const running = clocks('2026-03-04', ...base).d62;
    expect([running.days, running.breached, running.breachDate]).toEqual([62, false, '2026-03-05']);
    expect(clocks('2026-03-05', ...base).d62.breached).toBe(true);
  });
});

describe('R3 which routes each clock applies to', () => {
  for (const route of ['urgent_suspected_cancer', 'breast_symptomatic', 'screening', 'consultant_upgrade']) {
    it(`${route}: fds ${route === 'consultant_upgrade' ? 'does not apply' : 'applies'}; d62 applies; d31 waits for a decision to treat`, () => {
      const c = clocks('2026-02-01', referral('2026-01-01', route));
      expect(c.fds.state).toBe(route === 'consultant_upgrade' ? 'not_applicable' : 'running');
      expect(c.d62.state).toBe('running');
      expect(c.d31.state).toBe('not_applicable');
      expect(clocks('2026-02-01', referral('2026-01-01', route), ev('decision_to_treat', '2026-01-20')).d31.state).toBe('running');
    });
  }
});

describe('R4 clock starts', () => {
  it('starts fds and d62 on the referral date and d31 on the decision to treat', () => {
    const c = clocks('2026-02-10', referral('2026-01-07'), ev('decision_to_treat', '2026-02-03'));
    expect([c.fds.start, c.d62.start, c.d31.start]).toEqual(['2026-01-07', '2026-01-07', '2026-02-03']);
    expect(c.d31.days).toBe(7);
  });
});

describe('R5 missed first appointment', () => {
  it('counts from the missed appointment until a rebooking is recorded', () => {
    const c = clocks('2026-02-20', referral('2026-02-01'), ev('dna', '2026-02-09', { appointment: 'first' }));
    expect([c.d62.start, c.d62.days, c.fds.start]).toEqual(['2026-02-09', 11, '2026-02-09']);
  });
  it('restarts again at each missed first appointment', () => {
    const c = clocks('2026-03-20', referral('2026-02-01'),
      ev('dna', '2026-02-09', { appointment: 'first' }),
      ev('appointment_booked', '2026-02-10', { appointmentOn: '2026-02-16', appointment: 'first' }),
      ev('dna', '2026-02-16', { appointment: 'first' }),
      ev('appointment_booked', '2026-02-18', { appointmentOn: '2026-02-25', appointment: 'first' }));
    expect(c.d62.start).toBe('2026-02-18');
  });
  it('changes nothing for a DNA after the patient was first seen, even if marked first', () => {
    const c = clocks('2026-03-20', referral('2026-02-01'), ev('first_seen', '2026-02-05'), ev('dna', '2026-02-09', { appointment: 'first' }));
    expect(c.d62.start).toBe('2026-02-01');
  });
});

describe('R6 patient cancellations', () => {
  it('records a cancellation without adjusting any clock', () => {
    const without = clocks('2026-03-20', referral('2026-02-01'));
    const withCancel = clocks('2026-03-20', referral('2026-02-01'), ev('patient_cancelled', '2026-02-10'));
    expect(withCancel).toEqual(without);
  });
});

describe('R7 declined admission for treatment', () => {
  const base = [referral('2026-01-01'), ev('first_seen', '2026-01-02'), ev('decision_to_treat', '2026-02-01')];
  const declined = (offeredFor: string, availableFrom: string, setting = 'admitted') =>
    ev('treatment_offer_declined', '2026-02-05', { offeredFor, availableFrom, setting });

  it('counts only the days of a pause under way up to the as-of date, so a wait never goes backwards', () => {
    const pause = declined('2026-02-10', '2026-02-24');
    const days = ['2026-02-09', '2026-02-10', '2026-02-15', '2026-02-24', '2026-02-25'].map((d) => clocks(d, ...base, pause).d62);
    expect(days.map((c) => c.days)).toEqual([39, 40, 40, 40, 41]);
    expect(days.map((c) => c.adjustmentDays)).toEqual([0, 0, 5, 14, 14]);
    // the breach date already allows for the whole known pause
    expect(days.every((c) => c.breachDate === addDays('2026-01-01', 63 + 14))).toBe(true);
  });
  it('adds several declined offers up, and counts overlapping ones once', () => {
    const c = clocks('2026-04-30', ...base, declined('2026-02-10', '2026-02-17'), declined('2026-03-01', '2026-03-04')).d62;
    expect(c.adjustmentDays).toBe(10);
    const overlap = clocks('2026-04-30', ...base, declined('2026-02-10', '2026-02-17'), declined('2026-02-15', '2026-02-20')).d62;
    expect(overlap.adjustmentDays).toBe(10);
  });
  it('takes the adjustment off d31 as well, never off fds', () => {
    const c = clocks('2026-04-30', ...base, declined('2026-02-10', '2026-02-17'));
    expect([c.d31.adjustmentDays, c.fds.adjustmentDays]).toEqual([7, 0]);
  });
  it('makes no adjustment for a declined non-admitted offer', () => {
    expect(clocks('2026-04-30', ...base, declined('2026-02-10', '2026-02-17', 'non_admitted')).d62.adjustmentDays).toBe(0);
  });
});

describe('R8 faster diagnosis stop', () => {
  it('stops fds at the first diagnosis communicated, or at an earlier decision to treat', () => {
    expect(clocks('2026-03-01', referral('2026-01-01'), ev('diagnosis_communicated', '2026-01-20', { outcome: 'cancer_confirmed' })).fds.stop).toBe('2026-01-20');
    const dttFirst = clocks('2026-03-01', referral('2026-01-01'), ev('decision_to_treat', '2026-01-15'), ev('diagnosis_communicated', '2026-01-20', { outcome: 'cancer_confirmed' }));
    expect([dttFirst.fds.state, dttFirst.fds.stop, dttFirst.fds.days]).toEqual(['stopped', '2026-01-15', 14]);
  });
});

describe('R9 cancer ruled out', () => {
  it('closes the pathway and takes d62 out of the standard', () => {
    const c = clocks('2026-03-01', referral('2026-01-01'), ev('diagnosis_communicated', '2026-01-20', { outcome: 'cancer_ruled_out' }));
    expect(c.status).toBe('closed');
    expect([c.fds.state, c.d62.state, c.d62.breached]).toEqual(['stopped', 'not_applicable', false]);
    expect(backlogPosition(c)).toBeNull();
  });
  it('refuses a decision to treat after cancer was ruled out', () => {
    const err = refusal('2026-03-01', referral('2026-01-01'), ev('diagnosis_communicated', '2026-01-20', { outcome: 'cancer_ruled_out' }), ev('decision_to_treat', '2026-01-25'));
    expect([err.index, err.stage, err.allowed]).toEqual([2, 'cancer_ruled_out', ['event_voided']]);
  });
});

describe('R10 treatment', () => {
  it('requires a decision to treat first, which may fall on the same day', () => {
    const err = refusal('2026-03-01', referral('2026-01-01'), ev('treatment_started', '2026-01-20', { modality: 'surgery' }));
    expect(err.message).toContain('treatment_started is not allowed in stage awaiting_triage');
    const c = clocks('2026-03-01', referral('2026-01-01'), ev('decision_to_treat', '2026-01-20'), ev('treatment_started', '2026-01-20', { modality: 'surgery' }));
    expect([c.status, c.d31.days, c.d62.days]).toEqual(['closed', 0, 19]);
  });
});

describe('R11 removal', () => {
  it('takes running clocks out of the standards and keeps a stopped clock', () => {
    const c = clocks('2026-03-01', referral('2026-01-01'), ev('diagnosis_communicated', '2026-01-20', { outcome: 'cancer_confirmed' }), ev('removed', '2026-02-01', { reason: 'patient_died' }));
    expect(c.status).toBe('closed');
    expect([c.fds.state, c.fds.stop]).toEqual(['stopped', '2026-01-20']);
    expect([c.d62.state, c.d62.stop, c.d62.days]).toEqual(['not_applicable', '2026-02-01', 31]);
  });
});

describe('R12 onward referral and transfer', () => {
  it('restart nothing', () => {
    const c = clocks('2026-03-01', referral('2026-01-01', 'urgent_suspected_cancer', { tumourSite: 'non_specific_symptoms' }),
      ev('referred_onward', '2026-01-10', { toTumourSite: 'lung' }), ev('transferred', '2026-01-20', { toProvider: 'RGT' }));
    expect([c.d62.start, c.fds.start, c.d62.days]).toEqual(['2026-01-01', '2026-01-01', 59]);
  });
});

describe('R13 corrections', () => {
  it('treats a voided treatment as never recorded: the pathway reopens', () => {
    const events = [referral('2026-01-01'), ev('decision_to_treat', '2026-01-20'),
      ev('treatment_started', '2026-01-25', { modality: 'surgery', id: 't1' }),
      ev('event_voided', '2026-02-01', { voids: 't1', reason: 'wrong patient' })];
    const c = clocks('2026-03-01', ...events);
    expect([c.status, c.d62.state, c.d62.days]).toEqual(['open', 'running', 59]);
    expect(stageOf(replay(events.map((e) => pathwayEvent.parse(e)), '2026-03-01').snapshot)).toBe('awaiting_treatment');
  });
  it('refuses a void naming no earlier event, the referral, or an event already voided', () => {
    expect(refusal('2026-03-01', referral('2026-01-01'), ev('event_voided', '2026-01-02', { voids: 'nope', reason: 'x' })).field).toBe('voids');
    expect(refusal('2026-03-01', referral('2026-01-01', 'urgent_suspected_cancer', { id: 'r' }), ev('event_voided', '2026-01-02', { voids: 'r', reason: 'x' })).reason).toContain('cannot void the referral');
    expect(refusal('2026-03-01', referral('2026-01-01'), ev('first_seen', '2026-01-02', { id: 'a' }),
      ev('event_voided', '2026-01-03', { voids: 'a', reason: 'x' }), ev('event_voided', '2026-01-03', { voids: 'a', reason: 'x' })).index).toBe(3);
  });
  it('refuses a void that would leave a timeline the rules do not allow', () => {
    const err = refusal('2026-03-01', referral('2026-01-01'), ev('decision_to_treat', '2026-01-20', { id: 'd' }),
      ev('treatment_started', '2026-01-25', { modality: 'surgery' }), ev('event_voided', '2026-02-01', { voids: 'd', reason: 'x' }));
    expect(err.message).toContain('treatment_started is not allowed');
  });
});

describe('R14 clinical order', () => {
  it('takes a back-dated event in clinical order', () => {
    const c = clocks('2026-03-01', referral('2026-01-01'), ev('first_seen', '2026-01-20'),
      ev('dna', '2026-01-10', { appointment: 'first' }));
    // recorded after first_seen but dated before it: a missed FIRST appointment in clinical order
    expect(c.d62.start).toBe('2026-01-10');
  });
  it('refuses an event dated before the referral or after the as-of date', () => {
    expect(refusal('2026-03-01', referral('2026-01-10'), ev('first_seen', '2026-01-05')).field).toBe('on');
    expect(refusal('2026-03-01', referral('2026-01-10'), ev('first_seen', '2026-03-02')).reason).toContain('after the as-of date');
  });
});

describe('R15 backlog', () => {
  it('counts d62 days over 62 and over 104, and fds overdue past 28, for open pathways only', () => {
    const at = (asOf: string) => backlogPosition(clocks(asOf, referral('2026-01-01')))!;
    expect([at('2026-01-29').fdsOverdue, at('2026-01-30').fdsOverdue]).toEqual([false, true]);
    expect([at('2026-03-04').over62, at('2026-03-05').over62]).toEqual([false, true]);
    expect([at('2026-04-15').over104, at('2026-04-16').over104]).toEqual([false, true]);
    expect([bandOf(28), bandOf(29), bandOf(62), bandOf(63), bandOf(104), bandOf(105)]).toEqual(['0-28', '29-62', '29-62', '63-104', '63-104', '105+']);
  });
});

describe('R16 which events are allowed', () => {
  it('accepts a back-dated event when the sorted timeline still keeps the rules', () => {
    // decision to treat recorded after treatment but dated before it
    const events = [referral('2026-01-01'), ev('treatment_started', '2026-02-10', { modality: 'surgery' }), ev('decision_to_treat', '2026-02-01')];
    expect(refusal('2026-03-01', ...events.slice(0, 2)).stage).toBe('awaiting_triage');
    expect(clocks('2026-03-01', ...events).d31.days).toBe(9);
  });
  it('allows only a correction once the pathway is closed', () => {
    const err = refusal('2026-03-01', referral('2026-01-01'), ev('removed', '2026-01-05', { reason: 'moved_away' }), ev('first_seen', '2026-01-06'));
    expect(err.allowed).toEqual(['event_voided']);
  });
  it('allows diagnosis_communicated and decision_to_treat once each', () => {
    const told = ev('diagnosis_communicated', '2026-01-10', { outcome: 'cancer_confirmed' });
    expect(refusal('2026-03-01', referral('2026-01-01'), told, told).index).toBe(2);
    expect(refusal('2026-03-01', referral('2026-01-01'), ev('decision_to_treat', '2026-01-10'), ev('decision_to_treat', '2026-01-11')).index).toBe(2);
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
    expect(pathwayEvent.safeParse(referral('2026-01-01', 'screening', { nhsNumber: '9434765918' })).success).toBe(false);
  });
});
