// Reads "as at" a moment: every pathway as it stood then, from only the events recorded by then (no
// peeking at later ones). A pathway with nothing recorded since is read from its row; only the
// others are replayed from their kept history. The nightly report, the performance count, the
// national returns and the forecast read through these.
import { endOfLondonDay, type Instant, type IsoDate } from '../vocabulary/calendar.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import type { ClockFacts, Clocks } from '../cwt/clocks.ts';
import { pathwayFromKeptHistory } from '../domain/kept-history.ts';
import { clocksOf, stageOfState, type PatientDetails, type PathwayState } from '../domain/pathway.ts';
import { stateFromRow, type ActiveCut, type ActiveFilter } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';

export type HistoryModels = Pick<Store, 'rows' | 'log'>;

export interface PathwayAsAt {
  pathwayId: string;
  stage: string;
  tumourSite: string;
  provider: string | null;
  state: PathwayState;
  clocks: Clocks;
  /**
   * Its latest clinical date when only that brought it into a read with `activeSince` (closed, not
   * written since the moment read, no later treatment awaited); null when it is read whatever the
   * day. One pass read with the earliest day serves readers of later days: see `readFor`.
   */
  activeOn: IsoDate | null;
}

/** Whether a read with `activeSince` would have given this pathway (it was read with that day or an earlier one). */
export function readFor(p: PathwayAsAt, activeSince: IsoDate): boolean {
  return p.activeOn === null || p.activeOn >= activeSince;
}

/**
 * Every pathway as it stood at `asAt` (events recorded by then), with its clocks as of `asOf`.
 * With `activeSince`, pathways closed before that day are left out.
 */
export function* pathwaysAsAt(
  { rows, log }: HistoryModels,
  asOf: IsoDate,
  asAt: Instant = endOfLondonDay(asOf),
  activeSince?: IsoDate,
): Generator<PathwayAsAt> {
  for (const row of rows.withState(activeSince === undefined ? undefined : { activeSince, asAt })) {
    let state: PathwayState;
    if (row.updated_at <= asAt) {
      state = stateFromRow(row);
    } else {
      const known = log.recordedBy(row.pathway_id, asAt);
      if (known.length === 0) continue;
      state = pathwayFromKeptHistory(known);
    }
    yield {
      pathwayId: row.pathway_id,
      stage: stageOfState(state),
      tumourSite: state.details.tumourSite,
      provider: state.details.provider,
      state,
      clocks: clocksOf(state, asOf),
      activeOn: row.status === 'open' || row.updated_at > asAt || row.next_d31_start !== null ? null : row.last_on,
    };
  }
}

/**
 * Issue #14, the monthly national return: each pathway that, as it stood at `asAt`, has a
 * clinical fact `wanted` picks out (a treatment or an FDS end in the month), with its events
 * recorded by then, as today's vocabulary reads them, and the patient's details as they stood.
 */
export function* eventsAsAt(
  { rows, log }: HistoryModels,
  from: IsoDate,
  to: IsoDate,
  asAt: Instant,
  wanted: (facts: ClockFacts) => boolean,
): Generator<{ pathwayId: string; events: PathwayEvent[]; details: PatientDetails }> {
  for (const row of rows.activeBetween(from, to, asAt)) {
    if (row.updated_at <= asAt) {
      const state = stateFromRow(row);
      if (!wanted(state.fold.facts)) continue;
      yield {
        pathwayId: row.pathway_id,
        events: log.ofPathway(row.pathway_id).map((e) => e.event),
        details: state.details,
      };
    } else {
      const known = log.recordedBy(row.pathway_id, asAt);
      if (known.length === 0) continue;
      const state = pathwayFromKeptHistory(known);
      if (wanted(state.fold.facts)) yield { pathwayId: row.pathway_id, events: known, details: state.details };
    }
  }
}

/**
 * Issue #23, the forecast's read. The pathways that, as they stood at a cut's `asAt`, were open
 * then or active as its `filter` says (a clinical date since `filter.since` or within one of its
 * spans), at any of the cuts, as lists of ids in id order, `size` at a time, each id with a mask of
 * the cuts that need it: the chunks a read is shared out in.
 */
export function activeChunks({ rows }: Pick<Store, 'rows'>, cuts: readonly ActiveCut[], size?: number) {
  return rows.activeIds(cuts, size);
}

/**
 * The events of each pathway named (a chunk from `activeChunks`) recorded by `asAt`, in the order
 * recorded, each with the instant it was recorded: what the forecast's pure read takes.
 */
export function recordedBy({ log }: Pick<Store, 'log'>, pathwayIds: readonly string[], asAt: Instant) {
  return log.recordedByEach(pathwayIds, asAt);
}

/** The earliest referral, as it stood at `asAt`, among the pathways `activeChunks` leaves out (null if none). */
export function earliestReferralLeftOut(
  { rows }: Pick<Store, 'rows'>,
  asAt: Instant,
  filter: ActiveFilter,
): IsoDate | null {
  return rows.earliestReferralLeftOut(asAt, filter);
}
