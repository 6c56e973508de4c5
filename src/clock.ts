// The injected clock. The core takes dates as parameters; only the shell asks what time it is,
// through a Clock, so tests (and a replayed report) can set the time.
import { londonDateOf, type IsoDate } from './cwt/calendar.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved: for tests and for reproducing a past run. */
export function fixedClock(start: Date | string): Clock & { set(to: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (to) => { current = new Date(to); },
    advance: (ms) => { current = new Date(current.getTime() + ms); },
  };
}

/** Today's date in England. */
export function today(clock: Clock): IsoDate {
  return londonDateOf(clock.now());
}

/** The last instant (ISO, UTC) of a calendar day in England: the "as at" cut-off for that day. */
export function endOfLondonDay(date: IsoDate): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  // London is UTC or UTC+1: the next London midnight is at 00:00 or 23:00 UTC.
  for (const hour of [0, -1]) {
    const midnight = Date.UTC(y, m - 1, d + 1, hour);
    if (londonDateOf(new Date(midnight - 1)) === date && londonDateOf(new Date(midnight)) !== date) {
      return new Date(midnight - 1).toISOString();
    }
  }
  throw new Error(`no London midnight found after ${date}`);
}
