// What every simulated history must be (docs/simulation.md, "What holds for every history"),
// checked line by line; shared by the simulator's tests.
import { expect } from 'vitest';
import { checkTimeline } from '../../src/domain/timeline.ts';
import { computeClocks } from '../../src/cwt/clocks.ts';
import { backlogPosition } from '../../src/cwt/backlog.ts';
import { dayOfWeek, isEnglandBankHoliday, londonDateOf } from '../../src/cwt/calendar.ts';
import { normaliseNhsNumber } from '../../src/domain/nhs-number.ts';
import { pathwayEvent, type PathwayEvent } from '../../src/domain/events.ts';
import type { ImportLine } from '../../src/sim/simulate.ts';

export function byPathway(lines: ImportLine[]): Map<string, ImportLine[]> {
  const map = new Map<string, ImportLine[]>();
  for (const l of lines) {
    let events = map.get(l.pathwayId);
    if (!events) map.set(l.pathwayId, (events = []));
    events.push(l);
  }
  return map;
}

export const eventOf = ({ pathwayId: _p, recordedAt: _r, ...e }: ImportLine) => e as PathwayEvent;
/** The last instant of the as-of day in England (London is UTC or UTC+1). */
export const endOfDay = (date: string) => `${date}T22:59:59.999Z`;

/** A day slots run on: a weekday that is not a bank holiday. */
export const isClinicDay = (date: string) =>
  dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6 && !isEnglandBankHoliday(date);

/**
 * Checks everything a history must be; returns the pathways for further counting. `until` is the
 * as-of day; `recordedUntil`, if given, the instant nothing may be recorded after.
 */
export function checkHistory(lines: ImportLine[], until: string, recordedUntil?: string): Map<string, ImportLine[]> {
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.recordedAt < lines[i - 1]!.recordedAt) throw new Error(`line ${i}: recordedAt goes back`);
  }
  const pathways = byPathway(lines);
  for (const [id, recorded] of pathways) {
    expect(id).toMatch(/^P\d{7,}$/);
    const events = recorded.map(eventOf);
    // The whole timeline, as the rules read it (throws a TimelineError if any rule is broken) ...
    checkTimeline(events, until);
    computeClocks(events, until);
    // ... and every prefix, as the store receives it: on the London date it was recorded.
    for (let k = 1; k <= events.length; k++)
      checkTimeline(events.slice(0, k), londonDateOf(new Date(recorded[k - 1]!.recordedAt)));
    const referral = events[0]!;
    if (referral.type !== 'referral_received') throw new Error(`${id}: the first event recorded is ${referral.type}`);
    expect(normaliseNhsNumber(referral.nhsNumber)).toBe(referral.nhsNumber);
    expect(referral.nhsNumber.slice(0, 3)).toBe('999');
    recorded.forEach((line, k) => {
      expect(line.id).toBe(`e${k + 1}`);
      expect(line.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      expect(line.recordedAt.slice(0, 10) >= line.on).toBe(true);
      expect(line.recordedAt <= endOfDay(until)).toBe(true);
      if (recordedUntil !== undefined) expect(line.recordedAt <= recordedUntil).toBe(true);
      expect(line.on <= until).toBe(true);
      // Every line is an event the API and the importer accept as it stands (strict: no stray fields).
      expect(pathwayEvent.safeParse(eventOf(line)).success).toBe(true);
      // Slots run on weekdays that are not bank holidays: a booked appointment or test falls on one.
      if (line.type === 'appointment_booked') expect(isClinicDay(line.appointmentOn)).toBe(true);
      if (line.type === 'test_requested' && line.testOn !== undefined) expect(isClinicDay(line.testOn)).toBe(true);
    });
  }
  return pathways;
}

/** The over-62 backlog as at the end of a history: open pathways waiting more than 62 days (R15). */
export function over62(lines: ImportLine[], asOf: string): number {
  let n = 0;
  for (const [, recorded] of byPathway(lines))
    if (backlogPosition(computeClocks(recorded.map(eventOf), asOf))?.over62) n++;
  return n;
}
