// The events that count, in clinical order (cwt-rules R13, R14): voided events and the voids
// themselves are left out, and so are national items added for an earlier event (they move no
// clock and no stage); the rest are sorted by clinical date, ties in the order recorded.
// The referral's corrections (issue #28) are applied here, to the referral itself: this is the one
// place, so the machine, the clocks, the guard rails, the reports and the returns all read the
// corrected referral, while the history keeps the referral as first recorded and each correction.
// It imports no machine, so the clock calculator and the reports can use it on their own.
import { OFF_TIMELINE, type EventOf, type PathwayEvent, type TimelineEvent } from './events.ts';

/** An event with its position in the order recorded. */
export interface Entry<E extends PathwayEvent = PathwayEvent> {
  index: number;
  event: E;
}

export function effectiveTimeline(events: readonly PathwayEvent[]): Entry<TimelineEvent>[] {
  const voided = new Set<string>();
  for (const e of events) if (e.type === 'event_voided') voided.add(e.voids);
  const entries: Entry<TimelineEvent>[] = [];
  const corrections: EventOf<'referral_corrected'>[] = [];
  events.forEach((event, index) => {
    if (event.id !== undefined && voided.has(event.id)) return;
    if (event.type === 'referral_corrected') corrections.push(event);
    if (!onTimeline(event)) return;
    entries.push({ index, event });
  });
  if (corrections.length > 0) {
    const at = entries.findIndex((e) => e.event.type === 'referral_received');
    const referral = entries[at];
    if (referral?.event.type === 'referral_received')
      entries[at] = { index: referral.index, event: correctReferral(referral.event, corrections) };
  }
  // Array.prototype.sort is stable: ties stay in the order recorded.
  return entries.sort((a, b) => (a.event.on < b.event.on ? -1 : a.event.on > b.event.on ? 1 : 0));
}

/**
 * The referral as corrected: each correction, in the order recorded, replaces what it gives (the
 * latest wins); what none gives stays as first recorded. Returns the referral itself when nothing changes.
 */
export function correctReferral<R extends EventOf<'referral_received'>>(
  referral: R,
  corrections: readonly EventOf<'referral_corrected'>[],
): R {
  const corrected = { ...referral };
  for (const c of corrections) {
    if (c.receivedOn !== undefined) corrected.on = c.receivedOn;
    if (c.route !== undefined) corrected.route = c.route;
    if (c.tumourSite !== undefined) corrected.tumourSite = c.tumourSite;
  }
  const same =
    corrected.on === referral.on && corrected.route === referral.route && corrected.tumourSite === referral.tumourSite;
  return same ? referral : corrected;
}

export function onTimeline(event: PathwayEvent): event is TimelineEvent {
  return !(OFF_TIMELINE as readonly string[]).includes(event.type);
}
