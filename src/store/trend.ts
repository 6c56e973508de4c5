// The daily 62-day backlog over a span of days, each day counted as it stood at the end of that
// day (only events recorded by then), in one pass over the event history.
import { addDays, dayNumber, londonDateOf, type IsoDate } from '../cwt/calendar.ts';
import { clockFold, firstDayOver, mergePauses } from '../cwt/clocks.ts';
import { OVER_104, OVER_62 } from '../cwt/backlog.ts';
import type { PathwayEvent } from '../domain/events.ts';
import type { Store } from './store.ts';

export interface TrendPoint {
  date: IsoDate;
  open: number;
  over62: number;
  over104: number;
}

export function backlogTrend(store: Store, from: IsoDate, to: IsoDate): TrendPoint[] {
  const first = dayNumber(from);
  const length = dayNumber(to) - first + 1;
  // Difference arrays: +1 where a count starts, -1 the day after it ends.
  const open = new Int32Array(length + 1);
  const over62 = new Int32Array(length + 1);
  const over104 = new Int32Array(length + 1);
  const add = (counts: Int32Array, fromDay: number, toDay: number) => {
    const a = Math.max(fromDay - first, 0);
    const b = Math.min(toDay - first, length - 1);
    if (a > b) return;
    counts[a]! += 1;
    counts[b + 1]! -= 1;
  };

  for (const { events } of store.eventsByPathway()) {
    const known: PathwayEvent[] = [];
    for (let i = 0; i < events.length;) {
      // All events recorded on the same day in England form one state of knowledge.
      const day = londonDateOf(new Date(events[i]!.recordedAt));
      while (i < events.length && londonDateOf(new Date(events[i]!.recordedAt)) === day) known.push(events[i++]!.event);
      const until = i < events.length ? dayNumber(londonDateOf(new Date(events[i]!.recordedAt))) - 1 : Infinity;
      const since = dayNumber(day);
      const fold = clockFold(known);
      if (!fold) continue;
      const f = fold.facts;
      if (f.treated || f.ruledOut || f.removed) continue; // closed as known from this day on
      const pauses = mergePauses(f.pauses);
      add(open, since, until);
      add(over62, Math.max(since, dayNumber(firstDayOver(OVER_62, f.start, pauses))), until);
      add(over104, Math.max(since, dayNumber(firstDayOver(OVER_104, f.start, pauses))), until);
    }
  }

  const points: TrendPoint[] = [];
  let o = 0;
  let b62 = 0;
  let b104 = 0;
  for (let d = 0; d < length; d++) {
    o += open[d]!;
    b62 += over62[d]!;
    b104 += over104[d]!;
    points.push({ date: addDays(from, d), open: o, over62: b62, over104: b104 });
  }
  return points;
}
