// Who waits longest (issue #27): the splits read "as at" the end of the as-of day (only what was
// recorded by then), each pathway's group from its details as they stood then and, for
// deprivation, from the lookup loaded now (a new lookup moves pathways between quintiles without
// an event). Pathways closed before the period starts cannot count and are not read.
import { addDays, addYears, endOfLondonDay, type IsoDate } from '../vocabulary/calendar.ts';
import { ageBandOf, ethnicGroupOf, quintileOf, sexGroupOf, type Split } from '../vocabulary/equality.ts';
import type { TumourSite } from '../vocabulary/events.ts';
import {
  equalityRecord,
  EqualityTallies,
  suppressFigures,
  type Inequalities,
  type Period,
} from '../cwt/inequalities.ts';
import type { PathwayState } from '../domain/pathway.ts';
import type { Store } from '../store/store.ts';
import { SLICE, runThrough } from '../slices.ts';
import { pathwaysAsAt, readFor, type HistoryModels, type PathwayAsAt } from './as-at.ts';

export type InequalitiesModels = HistoryModels & Pick<Store, 'imd'>;

export interface InequalitiesQuery {
  by: Split;
  asOf: IsoDate;
  /** The period the standards, missed first appointments and early diagnosis count in: default the year to the as-of date. */
  from?: IsoDate;
  tumourSite?: TumourSite;
  provider?: string;
  /** As people without pathway access see it (disclosure.ts). */
  suppress?: boolean;
}

/** The year to the as-of date: the default period. */
export function defaultFrom(asOf: IsoDate): IsoDate {
  return addDays(addYears(asOf, -1), 1);
}

/** A pathway's group in a split, from its details (and the lookup, for deprivation). */
function groupOf(by: Split, state: PathwayState, decileOf: (postcode: string | null) => number | null): string {
  const d = state.details;
  switch (by) {
    case 'deprivation':
      return quintileOf(decileOf(d.postcode));
    case 'age':
      return ageBandOf(d.dateOfBirth, d.referralOn);
    case 'sex':
      return sexGroupOf(d.sex);
    case 'ethnicity':
      return ethnicGroupOf(d.ethnicCategory);
  }
}

/**
 * The split read one pathway at a time: `add` each pathway as it stood (read with `since` as the
 * as-at reader's activeSince, or an earlier day: it keeps to those its own read would give), then
 * `done`. The nightly report feeds it from its own pass over the pathways.
 */
export function inequalityReader({ imd }: Pick<Store, 'imd'>, q: InequalitiesQuery) {
  const period: Period = { from: q.from ?? defaultFrom(q.asOf), to: q.asOf };
  const decileOf = imd.reader();
  const tallies = new EqualityTallies(q.by);
  return {
    since: period.from,
    add(p: PathwayAsAt): void {
      if (!readFor(p, period.from)) return;
      if (q.tumourSite && p.tumourSite !== q.tumourSite) return;
      if (q.provider && p.provider !== q.provider) return;
      const { state } = p;
      tallies.add(
        equalityRecord(groupOf(q.by, state, decileOf), p.clocks, state.tracking, state.details.referralOn, period),
      );
    },
    done(): Inequalities {
      const split = tallies.done(q.asOf, period);
      return q.suppress ? suppressFigures(split) : split;
    },
  };
}

/** The split, as a long read that yields every SLICE pathways (slices.ts). */
export function* inequalitySlices(store: InequalitiesModels, q: InequalitiesQuery): Generator<void, Inequalities> {
  const reader = inequalityReader(store, q);
  let n = 0;
  for (const p of pathwaysAsAt(store, q.asOf, endOfLondonDay(q.asOf), reader.since)) {
    if (++n % SLICE === 0) yield;
    reader.add(p);
  }
  return reader.done();
}

export function inequalitiesOf(store: InequalitiesModels, q: InequalitiesQuery): Inequalities {
  return runThrough(inequalitySlices(store, q));
}
