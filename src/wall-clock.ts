// The injected wall clock (not the CWT clocks of src/cwt/clocks.ts). The core takes dates as parameters; only the shell asks what time it is,
// through a Clock, so tests (and a replayed report) can set the time.
import { londonDateOf, type IsoDate } from './vocabulary/calendar.ts';

export interface WallClock {
  now(): Date;
}

export const systemClock: WallClock = { now: () => new Date() };

/** A clock that stands still until moved: for tests and for reproducing a past run. */
export function fixedClock(
  start: Date | string,
): WallClock & { set(to: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (to) => {
      current = new Date(to);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** Today's date in England. */
export function today(clock: WallClock): IsoDate {
  return londonDateOf(clock.now());
}
