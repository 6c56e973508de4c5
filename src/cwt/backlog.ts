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

export function bandOf(daysWaiting: number): Band {
  if (daysWaiting <= 28) return '0-28';
  if (daysWaiting <= 62) return '29-62';
  if (daysWaiting <= 104) return '63-104';
  return '105+';
}
