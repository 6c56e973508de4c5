// The events that count, in clinical order (cwt-rules R13, R14): voided events and the voids
// themselves are left out, and so are national items added for an earlier event (they move no
// clock and no stage); the rest are sorted by clinical date, ties in the order recorded.
// It imports no machine, so the clock calculator and the reports can use it on their own.
import { OFF_TIMELINE, type PathwayEvent, type TimelineEvent } from './events.ts';

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
    if (!onTimeline(event)) return;
    if (event.id !== undefined && voided.has(event.id)) return;
    entries.push({ index, event });
  });
  // Array.prototype.sort is stable: ties stay in the order recorded.
  return entries.sort((a, b) => (a.event.on < b.event.on ? -1 : a.event.on > b.event.on ? 1 : 0));
}

export function onTimeline(event: PathwayEvent): event is TimelineEvent {
  return !(OFF_TIMELINE as readonly string[]).includes(event.type);
}
