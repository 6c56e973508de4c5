// What a tracker works from besides the stage and the clocks (workspace #15): the appointment and
// the tests booked whose outcome is not recorded yet, and whether tests have been reported since
// the last MDT discussion (folded over the effective timeline: clinical date, ties in the order
// recorded); and the latest comment's follow-up date (in the order recorded: a tracker notes
// "chase on the 24th", then records what was done, often back-dated, and that answers it).
// Folding events one at a time as they arrive gives what a replay gives. Pure, and plain JSON:
// the store keeps it with the state.
import type { IsoDate } from '../vocabulary/calendar.ts';
import type { TimelineEvent } from '../vocabulary/events.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import { testKey } from '../vocabulary/timed-pathways.ts';
import type { StageGroup } from '../vocabulary/equality.ts';

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
  /** The latest comment's follow-up date, until anything else is recorded after that comment (in the order recorded). */
  followUpOn: IsoDate | null;
  /** The first test reported since the last MDT discussion: the patient is waiting for MDT. */
  testsReportedSince: IsoDate | null;
  // ---- equality monitoring (issue #27); absent in rows projected before PROJECTION_VERSION 6 ----
  /** First appointments missed (DNA). */
  firstDnas?: number;
  /** The first appointment attended (first seen at a clinic; a straight-to-test report does not count). */
  firstAttended?: boolean;
  /** The cancer confirmed and told: the day and the stage group given (null: none given). */
  diagnosis?: { on: IsoDate; stage: StageGroup | null } | null;
}

export function startTracking(): Tracking {
  return {
    appointment: null,
    tests: [],
    followUpOn: null,
    testsReportedSince: null,
    firstDnas: 0,
    firstAttended: false,
    diagnosis: null,
  };
}

/** A test's name as written loosely: "CT chest", "ct_chest" and "CT-Chest" are one test. */
const sameTest = (a: string, b: string) => testKey(a) === testKey(b);

/** Takes one more event, in effective-timeline order, into the bookings and the MDT facts (mutates and returns `t`). */
export function foldTracking(t: Tracking, e: TimelineEvent): Tracking {
  switch (e.type) {
    case 'appointment_booked':
      t.appointment = { kind: e.appointment === 'first' ? 'first_appointment' : 'appointment', on: e.appointmentOn };
      break;
    case 'first_seen':
    case 'dna':
    case 'patient_cancelled':
      t.appointment = null; // attended, missed or cancelled: its outcome is recorded
      if (e.type === 'first_seen') t.firstAttended = true;
      if (e.type === 'dna' && e.appointment === 'first') t.firstDnas = (t.firstDnas ?? 0) + 1;
      break;
    case 'diagnosis_communicated':
      if (e.outcome === 'cancer_confirmed') t.diagnosis = { on: e.on, stage: e.stage ?? null };
    // falls through: the appointment, as for a decision to treat
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

/**
 * The follow-up date after one more event that counts, in the order recorded: a comment sets it
 * (or clears it, with none); anything else recorded after the comment answers it.
 */
export function followUpAfter(e: TimelineEvent): IsoDate | null {
  return e.type === 'note' ? (e.followUpOn ?? null) : null;
}

/** The tracking facts after a whole timeline (voided events left out). */
export function trackingOf(events: Parameters<typeof effectiveTimeline>[0]): Tracking {
  const t = startTracking();
  const timeline = effectiveTimeline(events);
  for (const { event } of timeline) foldTracking(t, event);
  for (const { event } of inRecordOrder(timeline)) t.followUpOn = followUpAfter(event);
  return t;
}

/** Timeline entries back in the order recorded. */
export function inRecordOrder<T extends { index: number }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.index - b.index);
}

/** The earliest booking whose outcome is not recorded yet, or null. */
export function nextBooking(t: Pick<Tracking, 'appointment' | 'tests'>): Booking | null {
  let next: Booking | null = t.appointment;
  for (const b of t.tests) if (!next || b.on < next.on) next = b;
  return next;
}

/** The tracking comment recorded last that counts (voided ones left out), with its position as recorded. */
export function latestNote<E extends { type: string }>(
  entries: { index: number; event: E }[],
): { index: number; event: Extract<E, { type: 'note' }> } | null {
  let latest: { index: number; event: E } | null = null;
  for (const entry of entries)
    if (entry.event.type === 'note' && (!latest || entry.index > latest.index)) latest = entry;
  return latest as { index: number; event: Extract<E, { type: 'note' }> } | null;
}
