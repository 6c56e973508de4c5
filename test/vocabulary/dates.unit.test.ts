// An as-of date and an as-at instant cannot be swapped: IsoDate and Instant are template-literal
// types (src/vocabulary/calendar.ts), and each @ts-expect-error below fails the type check in
// `npm test` if the line it marks ever compiles.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  endOfLondonDay,
  instantOf,
  isIsoDate,
  type Instant,
  type IsoDate,
} from '../../src/vocabulary/calendar.ts';
import type { HistoryModels, pathwaysAsAt as PathwaysAsAt } from '../../src/queries/as-at.ts';

// Its type only: the query reads SQLite, which a unit test does not load.
declare const pathwaysAsAt: typeof PathwaysAsAt;

describe('dates and instants', () => {
  it('are told apart by the type checker, while date literals stay plain strings', () => {
    const asOf: IsoDate = '2026-11-24';
    const asAt: Instant = endOfLondonDay(asOf);
    // @ts-expect-error an instant is not a calendar date
    const notADate: IsoDate = asAt;
    // @ts-expect-error a calendar date is not an instant
    const notAnInstant: Instant = asOf;
    // @ts-expect-error nor is any string: it must be checked first
    const unchecked: IsoDate = String(asOf);
    const read: string = '2026-11-25';
    const checked = isIsoDate(read) ? addDays(read, 1) : null;
    const swapped = (store: HistoryModels) => {
      // @ts-expect-error the as-of date and the as-at instant swapped
      pathwaysAsAt(store, asAt, asOf);
      return pathwaysAsAt(store, asOf, asAt);
    };
    expect([notADate, notAnInstant, unchecked, checked, typeof swapped]).toEqual([
      '2026-11-24T23:59:59.999Z',
      '2026-11-24',
      '2026-11-24',
      '2026-11-26',
      'function',
    ]);
    expect(instantOf(new Date('2026-11-24T10:00:00Z'))).toBe('2026-11-24T10:00:00.000Z');
  });
});
