// Backlog counts in microseconds at England scale: for each open pathway the dates on which its
// wait passes 28, 62 and 104 days (and its FDS due date) are held in Fenwick trees by day, so
// "how many are over 62 on date D" is a prefix sum, not a scan. Built from the pathway rows and
// kept in step with every commit; a SQL count over the rows (test/support) is the reference it
// is tested against.
import { dayNumber, type IsoDate } from '../vocabulary/calendar.ts';
import { backlogCounts, NO_PROVIDER, type BacklogCounts } from '../cwt/backlog.ts';
import type { PathwayRow } from './pathway-row.ts';

/** Days from 1990-01-01; 2^15 days reach into 2079. Dates outside count as never reached. */
const BASE = dayNumber('1990-01-01');
const SIZE = 1 << 15;

type Metric = 'over28' | 'over62' | 'over104' | 'fdsOverdue';

class Fenwick {
  private readonly tree = new Int32Array(SIZE + 1);

  add(day: number, delta: number): void {
    for (let i = day + 1; i <= SIZE; i += i & -i) this.tree[i]! += delta;
  }

  /** How many entries have a day on or before `day`. */
  upTo(day: number): number {
    let sum = 0;
    for (let i = Math.min(day + 1, SIZE); i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }
}

export type IndexedRow = Pick<
  PathwayRow,
  | 'status'
  | 'tumour_site'
  | 'stage'
  | 'provider'
  | 'd62_over28_on'
  | 'd62_breach_on'
  | 'd62_over104_on'
  | 'fds_state'
  | 'fds_breach_on'
>;

interface Group {
  open: number;
  over62: Fenwick;
  over104: Fenwick;
}

export class BacklogIndex {
  private readonly totals: Record<Metric, Fenwick> = {
    over28: new Fenwick(),
    over62: new Fenwick(),
    over104: new Fenwick(),
    fdsOverdue: new Fenwick(),
  };
  private readonly bySite = new Map<string, Group>();
  private readonly byStage = new Map<string, Group>();
  private readonly byProvider = new Map<string, Group>();
  private open = 0;

  /** With a provider, the index counts only that provider's pathways (a scoped user's counts, issue #25). */
  constructor(private readonly provider?: string) {}

  /** Adds (+1) or removes (-1) a pathway row's contribution; closed pathways contribute nothing. */
  apply(row: IndexedRow | undefined, sign: 1 | -1): void {
    if (!row || row.status !== 'open') return;
    if (this.provider !== undefined && row.provider !== this.provider) return;
    this.open += sign;
    const at = (date: IsoDate | null) => (date === null ? null : dayNumber(date) - BASE);
    const put = (tree: Fenwick, date: IsoDate | null) => {
      const day = at(date);
      if (day !== null && day < SIZE) tree.add(Math.max(day, 0), sign);
    };
    put(this.totals.over28, row.d62_over28_on);
    put(this.totals.over62, row.d62_breach_on);
    put(this.totals.over104, row.d62_over104_on);
    if (row.fds_state === 'running') put(this.totals.fdsOverdue, row.fds_breach_on);
    for (const [map, key] of [
      [this.bySite, row.tumour_site],
      [this.byStage, row.stage],
      [this.byProvider, row.provider ?? NO_PROVIDER],
    ] as const) {
      let group = map.get(key);
      if (!group) map.set(key, (group = { open: 0, over62: new Fenwick(), over104: new Fenwick() }));
      group.open += sign;
      put(group.over62, row.d62_breach_on);
      put(group.over104, row.d62_over104_on);
    }
  }

  counts(asOf: IsoDate): BacklogCounts {
    const day = dayNumber(asOf) - BASE;
    const upTo = (tree: Fenwick) => (day < 0 ? 0 : tree.upTo(day));
    const groups = (map: Map<string, Group>) =>
      [...map].map(
        ([key, g]) =>
          [key, { open: g.open, over62: upTo(g.over62), over104: upTo(g.over104) }] as [
            string,
            { open: number; over62: number; over104: number },
          ],
      );
    return backlogCounts(
      asOf,
      {
        open: this.open,
        over28: upTo(this.totals.over28),
        over62: upTo(this.totals.over62),
        over104: upTo(this.totals.over104),
        fdsOverdue: upTo(this.totals.fdsOverdue),
      },
      groups(this.bySite),
      groups(this.byStage),
      groups(this.byProvider),
    );
  }
}
