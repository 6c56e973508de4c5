// fast-check arbitraries for pathway timelines that the referral machine accepts: each step picks
// one of the events the current stage allows, so every generated timeline is valid by construction.
// They keep the guard rails (R18) too: a missed first appointment is dated the day it was booked
// for, an offered date is never before the referral; and they include interval scans and
// declined offers in both settings (some offered for a day before the decision to treat).
import fc from 'fast-check';
import type { PathwayEvent } from '../../src/vocabulary/events.ts';
import { RECURRENCES, ROUTES, TUMOUR_SITES } from '../../src/vocabulary/events.ts';
import { allowedMachineEvents, initialSnapshot, step, type MachineEvent } from '../../machines/referral.ts';
import { addDays, type IsoDate } from '../../src/vocabulary/calendar.ts';

export interface GeneratedPathway {
  events: PathwayEvent[];
  /** The day after the last event: a natural as-of date. */
  lastOn: IsoDate;
}

const choice = fc.record({
  pick: fc.nat(),
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
  variant: fc.nat(),
});

export const referralDate = fc.integer({ min: 0, max: 2 * 365 }).map((n) => addDays('2024-01-01', n)); // so generated histories end before today

/** A payload for an event type; `variant` picks among its options. */
export function eventOf(type: MachineEvent['type'], on: IsoDate, variant: number): MachineEvent {
  const of = <T>(options: readonly T[]): T => options[variant % options.length]!;
  switch (type) {
    case 'referral_received':
      return { type, on, route: of(ROUTES), tumourSite: of(TUMOUR_SITES), nhsNumber: '9434765919' };
    case 'triaged':
      return { type, on, outcome: of(['straight_to_test', 'outpatient', 'rapid_diagnostic_centre'] as const) };
    case 'appointment_booked':
      return { type, on, appointmentOn: addDays(on, variant % 10), appointment: of(['first', 'subsequent'] as const) };
    case 'dna':
      return { type, on, appointment: of(['first', 'first', 'subsequent'] as const) };
    case 'patient_cancelled':
      return { type, on };
    case 'first_seen':
      return { type, on };
    case 'test_requested':
    case 'test_reported':
      return { type, on, test: 'ct' };
    case 'mdt_discussed':
      return { type, on };
    case 'diagnosis_communicated': {
      const outcome = of([
        'cancer_confirmed',
        'cancer_confirmed',
        'cancer_ruled_out',
        'interval_scan',
        'recurrence',
      ] as const);
      // A recurrence (issue #24): a confirmed cancer, off the 62-day standard.
      return outcome === 'recurrence'
        ? { type, on, outcome: 'cancer_confirmed', recurrence: RECURRENCES[variant % RECURRENCES.length]! }
        : { type, on, outcome };
    }
    case 'referred_onward':
      return { type, on, toTumourSite: of(TUMOUR_SITES) };
    case 'decision_to_treat':
      return { type, on };
    case 'treatment_offer_declined':
      return {
        type,
        on,
        offeredFor: addDays(on, variant % 15),
        availableFrom: addDays(on, (variant % 15) + (variant % 23)),
        setting: of(['admitted', 'non_admitted'] as const),
      };
    case 'treatment_started':
      return { type, on, modality: 'surgery' };
    case 'transferred':
      return { type, on, toProvider: of(['RAJ', 'RQ8', 'RGT'] as const) };
    case 'removed':
      return { type, on, reason: 'patient_died' };
    case 'treatment_plan_completed':
      return { type, on };
  }
}

// Events that move a clock are picked more often than the rest, so missed appointments with their
// rebookings and declined offers turn up in many generated timelines.
const WEIGHT: Partial<Record<MachineEvent['type'], number>> = {
  appointment_booked: 4,
  dna: 4,
  decision_to_treat: 2,
  treatment_offer_declined: 4,
};
const weighted = (types: MachineEvent['type'][]) =>
  types.flatMap((t) => Array<MachineEvent['type']>(WEIGHT[t] ?? 1).fill(t));

/** A valid timeline in clinical order, with ids e1, e2, ... */
export const pathwayArb: fc.Arbitrary<GeneratedPathway> = fc
  .tuple(referralDate, fc.nat(), fc.array(choice, { maxLength: 14 }))
  .map(([start, referralVariant, choices]) => {
    let snapshot = initialSnapshot();
    let on = start;
    const events: PathwayEvent[] = [];
    let booked: { on: IsoDate; appointmentOn: IsoDate } | null = null; // the latest first appointment booked
    let decided: IsoDate | null = null;
    let treatedYet = false; // after the first treatment, decisions start later treatments (issue #14)
    let awaitingFrom: IsoDate | null = null; // a later treatment's earliest clinically appropriate date
    const push = (event: MachineEvent) => {
      const next = step(snapshot, event);
      if (!next) throw new Error(`generator produced a rejected event ${event.type}`);
      snapshot = next;
      events.push({ ...event, id: `e${events.length + 1}` });
    };
    push(eventOf('referral_received', on, referralVariant));
    for (const c of choices) {
      const allowed = weighted(allowedMachineEvents(snapshot));
      if (allowed.length === 0) break;
      on = addDays(on, c.gap);
      let event = eventOf(allowed[c.pick % allowed.length]!, on, c.variant);
      if (event.type === 'dna' && event.appointment === 'first' && booked) {
        // R18: dated the day it was booked for; a same-day booking would sort after the DNA (R14).
        if (booked.appointmentOn > booked.on && booked.appointmentOn >= on)
          event = { ...event, on: (on = booked.appointmentOn) };
        else event = { ...event, appointment: 'subsequent' };
      }
      if (event.type === 'appointment_booked' && event.appointment === 'first')
        booked = { on, appointmentOn: event.appointmentOn };
      if (event.type === 'decision_to_treat') decided ??= on;
      if (event.type === 'decision_to_treat' && treatedYet && c.variant % 3 === 2) {
        // A later treatment that must wait: its 31-day clock starts at the earliest clinically appropriate date.
        event = { ...event, earliestClinicallyAppropriateDate: addDays(on, 1 + (c.variant % 20)) };
        awaitingFrom = event.earliestClinicallyAppropriateDate!;
      }
      if (event.type === 'treatment_started' && awaitingFrom !== null && awaitingFrom > on)
        event = { ...event, on: (on = awaitingFrom) }; // R18: not before it
      if (event.type === 'treatment_started') {
        treatedYet = true;
        awaitingFrom = null;
      }
      if (event.type === 'treatment_offer_declined' && decided && c.variant % 4 === 3) {
        // Offered for a day before the decision to treat (R7 counts from the decision), never before the referral (R18).
        const back = addDays(decided, -(c.variant % 9));
        const offeredFor = back < start ? start : back;
        event = { ...event, offeredFor, availableFrom: addDays(offeredFor, c.variant % 23) };
      }
      push(event);
    }
    return { events, lastOn: on };
  });
