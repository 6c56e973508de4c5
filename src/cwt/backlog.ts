// Where a pathway stands in the backlog on the as-of date (cwt-rules R15). The store counts
// the same thing with range queries over breach dates; this is the rule in one place.
import type { IsoDate } from '../vocabulary/calendar.ts';
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

// ---- the shape of a count: the in-memory index, the kept snapshots and the history pass all give it ----

export interface GroupCounts {
  open: number;
  over62: number;
  over104: number;
}

export interface BacklogCounts {
  asOf: IsoDate;
  open: number;
  over62: number;
  over104: number;
  fdsOverdue: number;
  bands: Record<Band, number>;
  byTumourSite: Record<string, GroupCounts>;
  byStage: Record<string, GroupCounts>;
  /** By provider (ODS code; 'unknown' when none is recorded): the steward's view (workspace #15). */
  byProvider: Record<string, GroupCounts>;
}

/** The provider group of a pathway with no provider recorded (as the nightly report names it). */
export const NO_PROVIDER = 'unknown';

export interface TrendPoint extends GroupCounts {
  date: IsoDate;
}

/** The one shape of a count: totals, bands from the thresholds, groups sorted by name, empty groups left out. */
export function backlogCounts(
  asOf: IsoDate,
  t: { open: number; over28: number; over62: number; over104: number; fdsOverdue: number },
  bySite: Iterable<[string, GroupCounts]>,
  byStage: Iterable<[string, GroupCounts]>,
  byProvider: Iterable<[string, GroupCounts]>,
): BacklogCounts {
  const groups = (entries: Iterable<[string, GroupCounts]>) =>
    Object.fromEntries([...entries].filter(([, g]) => g.open > 0).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    asOf,
    open: t.open,
    over62: t.over62,
    over104: t.over104,
    fdsOverdue: t.fdsOverdue,
    bands: bandCounts(t.open, {
      [BAND_LIMITS[0]]: t.over28,
      [BAND_LIMITS[1]]: t.over62,
      [BAND_LIMITS[2]]: t.over104,
    } as Record<(typeof BAND_LIMITS)[number], number>),
    byTumourSite: groups(bySite),
    byStage: groups(byStage),
    byProvider: groups(byProvider),
  };
}

/**
 * One count made of several (a scoped user's providers, issue #25): totals, bands and groups summed.
 * Each pathway is counted by the provider it is at, so no pathway is in two of the parts.
 */
export function sumCounts(asOf: IsoDate, parts: readonly BacklogCounts[]): BacklogCounts {
  const add = (groups: readonly Record<string, GroupCounts>[]) => {
    const sum = new Map<string, GroupCounts>();
    for (const g of groups)
      for (const [key, c] of Object.entries(g)) {
        const s = sum.get(key) ?? { open: 0, over62: 0, over104: 0 };
        sum.set(key, { open: s.open + c.open, over62: s.over62 + c.over62, over104: s.over104 + c.over104 });
      }
    return sum;
  };
  const total = (f: (c: BacklogCounts) => number) => parts.reduce((n, c) => n + f(c), 0);
  return backlogCounts(
    asOf,
    {
      open: total((c) => c.open),
      over28: total((c) => c.open - c.bands['0-28']),
      over62: total((c) => c.over62),
      over104: total((c) => c.over104),
      fdsOverdue: total((c) => c.fdsOverdue),
    },
    add(parts.map((c) => c.byTumourSite)),
    add(parts.map((c) => c.byStage)),
    add(parts.map((c) => c.byProvider)),
  );
}

/** The open, over-62 and over-104 counts of some providers, from a count's by-provider groups. */
export function providersTotal(counts: BacklogCounts, providers: readonly string[]): GroupCounts {
  const sum = { open: 0, over62: 0, over104: 0 };
  for (const p of providers) {
    const g = counts.byProvider[p];
    if (!g) continue;
    sum.open += g.open;
    sum.over62 += g.over62;
    sum.over104 += g.over104;
  }
  return sum;
}
