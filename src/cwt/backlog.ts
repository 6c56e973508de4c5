// Where a pathway stands in the backlog on the as-of date (cwt-rules R15). The store counts
// the same thing with range queries over breach dates; this is the rule in one place.
import type { Clocks } from './clocks.ts';

/** The bands of the national weekly cancer PTL collection, by days waiting. */
export const BANDS = ['0-28', '29-62', '63-104', '105+'] as const;
export type Band = (typeof BANDS)[number];

export const OVER_62 = 62;
/** Past this a clinical harm review is expected. */
export const OVER_104 = 104;

export interface BacklogPosition {
  daysWaiting: number;
  band: Band;
  over62: boolean;
  over104: boolean;
  fdsOverdue: boolean;
}

/** Null for a closed pathway: closed pathways are never in the backlog. */
export function backlogPosition(clocks: Clocks): BacklogPosition | null {
  if (clocks.status === 'closed' || clocks.d62.days === null) return null;
  const daysWaiting = clocks.d62.days;
  return {
    daysWaiting,
    band: bandOf(daysWaiting),
    over62: daysWaiting > OVER_62,
    over104: daysWaiting > OVER_104,
    fdsOverdue: clocks.fds.state === 'running' && clocks.fds.days !== null && clocks.fds.days > clocks.fds.target,
  };
}

/** The last day of each band but the open-ended one. */
export const BAND_LIMITS = [28, OVER_62, OVER_104] as const;

export function bandOf(daysWaiting: number): Band {
  const i = BAND_LIMITS.findIndex((limit) => daysWaiting <= limit);
  return BANDS[i === -1 ? BANDS.length - 1 : i]!;
}

/** Pathways in each band, from how many are open and how many are over each band limit. */
export function bandCounts(
  open: number,
  over: Readonly<Record<(typeof BAND_LIMITS)[number], number>>,
): Record<Band, number> {
  return {
    '0-28': open - over[28],
    '29-62': over[28] - over[OVER_62],
    '63-104': over[OVER_62] - over[OVER_104],
    '105+': over[OVER_104],
  };
}
