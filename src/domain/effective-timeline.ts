// The events that count, in clinical order (cwt-rules R13, R14): voided events and the voids
// themselves are left out; the rest are sorted by clinical date, ties in the order recorded.
// It imports no machine, so the clock calculator and the reports can use it on their own.
import type { PathwayEvent, TimelineEvent } from './events.ts';

/** An event with its position in the order recorded. */
export interface Entry<E extends PathwayEvent = PathwayEvent> {
  index: number;
  event: E;
}

export function effectiveTimeline(events: readonly PathwayEvent[]): Entry<TimelineEvent>[] {
  const voided = new Set<string>();
  for (const e of events) if (e.type === 'event_voided') voided.add(e.voids);
  const entries: Entry<TimelineEvent>[] = [];
  events.forEach((event, index) => {
    if (event.type === 'event_voided') return;
    if (event.type === 'patient_details_updated') return; // moves nothing on the timeline: folded apart (pathway.ts)
    if (event.id !== undefined && voided.has(event.id)) return;
    entries.push({ index, event });
  });
  // Array.prototype.sort is stable: ties stay in the order recorded.
  return entries.sort((a, b) => (a.event.on < b.event.on ? -1 : a.event.on > b.event.on ? 1 : 0));
}
