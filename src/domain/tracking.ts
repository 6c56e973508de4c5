// What a tracker works from besides the stage and the clocks (workspace #15): the appointment and
// the tests booked whose outcome is not recorded yet, the latest comment's follow-up date, and
// whether tests have been reported since the last MDT discussion. Folded over the effective
// timeline (clinical date, ties in the order recorded), so folding events one at a time as they
// arrive gives what a replay gives. Pure, and plain JSON: the store keeps it with the state.
import type { IsoDate } from '../cwt/calendar.ts';
import type { TimelineEvent } from './events.ts';
import { effectiveTimeline } from './effective-timeline.ts';

export interface Booking {
  kind: 'first_appointment' | 'appointment' | 'test';
  on: IsoDate;
  /** The test's name, for a test. */
  test?: string;
}

export interface Tracking {
  /** The appointment booked and not yet attended, missed or cancelled. */
  appointment: Booking | null;
  /** Tests booked for a date and not yet reported. */
  tests: Booking[];
  /** The latest comment's follow-up date, until anything else is recorded after that comment. */
  followUpOn: IsoDate | null;
  /** The first test reported since the last MDT discussion: the patient is waiting for MDT. */
  testsReportedSince: IsoDate | null;
}

export function startTracking(): Tracking {
  return { appointment: null, tests: [], followUpOn: null, testsReportedSince: null };
}

/** A test's name as written loosely: "CT chest", "ct_chest" and "CT-Chest" are one test. */
const sameTest = (a: string, b: string) => a.toLowerCase().replace(/[^a-z0-9]/g, '') === b.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Takes one more event, in effective-timeline order (mutates and returns `t`). */
export function foldTracking(t: Tracking, e: TimelineEvent): Tracking {
  // A follow-up stands until anything else is recorded after the comment: that was the follow-up.
  t.followUpOn = e.type === 'note' ? (e.followUpOn ?? null) : null;
  switch (e.type) {
    case 'appointment_booked':
      t.appointment = { kind: e.appointment === 'first' ? 'first_appointment' : 'appointment', on: e.appointmentOn };
      break;
    case 'first_seen':
    case 'dna':
    case 'patient_cancelled':
      t.appointment = null; // attended, missed or cancelled: its outcome is recorded
      break;
    case 'diagnosis_communicated':
    case 'decision_to_treat':
      if (t.appointment && t.appointment.on <= e.on) t.appointment = null; // the patient was seen on or before
      break;
    case 'test_requested':
      if (e.testOn !== undefined) t.tests.push({ kind: 'test', on: e.testOn, test: e.test });
      break;
    case 'test_reported': {
      // The booked test of that name; failing that, the only one booked.
      const i = t.tests.findIndex((b) => sameTest(b.test ?? '', e.test));
      if (i >= 0) t.tests.splice(i, 1);
      else if (t.tests.length === 1) t.tests = [];
      t.testsReportedSince ??= e.on;
      break;
    }
    case 'mdt_discussed':
      t.testsReportedSince = null;
      break;
    default:
      break;
  }
  return t;
}

/** The tracking facts after a whole timeline (voided events left out). */
export function trackingOf(events: Parameters<typeof effectiveTimeline>[0]): Tracking {
  const t = startTracking();
  for (const { event } of effectiveTimeline(events)) foldTracking(t, event);
  return t;
}

/** The earliest booking whose outcome is not recorded yet, or null. */
export function nextBooking(t: Pick<Tracking, 'appointment' | 'tests'>): Booking | null {
  let next: Booking | null = t.appointment;
  for (const b of t.tests) if (!next || b.on < next.on) next = b;
  return next;
}

/** The latest tracking comment that counts (voided ones left out), with its position as recorded. */
export function latestNote<E extends { type: string }>(entries: { index: number; event: E }[]): { index: number; event: Extract<E, { type: 'note' }> } | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.event.type === 'note') return entry as { index: number; event: Extract<E, { type: 'note' }> };
  }
  return null;
}
