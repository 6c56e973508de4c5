// The backlog read model (cwt-rules R15): counts of open pathways by band, site and stage.
// Today and later come from an in-memory index over the pathways table, kept in step with
// every commit. An earlier day is counted as it stood at the end of that day (only events
// recorded by then), from a kept daily snapshot: computed once, since a past day never changes
// unless history is imported into it (which drops the snapshots from that day on).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { addDays, londonDateOf, type IsoDate } from '../vocabulary/calendar.ts';
import { backlogCounts, providersTotal, sumCounts, type BacklogCounts, type TrendPoint } from '../cwt/backlog.ts';
import { BacklogIndex, type IndexedRow } from './backlog-index.ts';
import { statementCache, type Db } from './db.ts';
import type { EventLog } from './event-log.ts';
import { historyPass, historyPassAsync } from './backlog-history.ts';
import type { PathwayRows, RowChange } from './pathway-row.ts';

/** Days of history kept ready for the dashboard's trend and "as at" questions. */
export const SNAPSHOT_WINDOW_DAYS = 400;

export class Backlog {
  private readonly sql;
  private index: BacklogIndex | null = null;
  /** One index per provider a scoped user has asked about, made on first use and kept in step (issue #25). */
  private readonly providerIndexes = new Map<string, BacklogIndex>();
  private indexDataVersion = -1;
  private indexLastEvent = -1;
  /** The latest day whose snapshot is known to be written (or that needs none). */
  private sealedThrough: IsoDate | null = null;
  /** No snapshot exists from this day on (so an import need not delete again for each event). */
  private clearedFrom: IsoDate | null = null;
  /** Bumped whenever history is written into the past, so a snapshot computation under way knows to start again. */
  private generation = 0;
  private filling: Promise<void> | null = null;
  /** Hears a pass over the history made at once (fillNow): events read of all there are (issue #28). */
  onPass: ((done: number, total: number) => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly rows: PathwayRows,
    private readonly events: EventLog,
  ) {
    this.sql = statementCache(db);
  }

  /** Counts as of `asOf` (today or later) from the index; rebuilt when another connection has written events. */
  current(asOf: IsoDate): BacklogCounts {
    this.changedElsewhere();
    if (!this.index) {
      const index = new BacklogIndex();
      for (const row of this.rows.openForIndex()) index.apply(row as IndexedRow, 1);
      this.index = index;
    }
    return this.index.counts(asOf);
  }

  /**
   * Counts as of `asOf` (today or later) for some providers only: the sum of each provider's
   * index. A pathway counts at the provider it is at now, so once in any sum (issue #25).
   */
  currentFor(asOf: IsoDate, providers: readonly string[]): BacklogCounts {
    this.changedElsewhere();
    return sumCounts(
      asOf,
      providers.map((p) => {
        let index = this.providerIndexes.get(p);
        if (!index) {
          index = new BacklogIndex(p);
          for (const row of this.rows.openForIndex()) index.apply(row as IndexedRow, 1);
          this.providerIndexes.set(p, index);
        }
        return index.counts(asOf);
      }),
    );
  }

  /**
   * True when another connection (a second server, an import) has written events since the index
   * was made: the index is then dropped, to be made again from the rows. Other writes (the access
   * log, snapshots) change SQLite's data_version too, but leave the pathways as they were, so
   * they do not cost a rebuild.
   */
  changedElsewhere(): boolean {
    const dataVersion = this.sql('PRAGMA data_version').pluck().get() as number;
    if (dataVersion === this.indexDataVersion) return false;
    this.indexDataVersion = dataVersion;
    const lastEvent = this.events.lastPosition();
    if (lastEvent === this.indexLastEvent) return false;
    this.indexLastEvent = lastEvent;
    this.index = null;
    this.providerIndexes.clear();
    return true;
  }

  /** Row changes reach the index only once their transaction has committed. */
  committed(changes: readonly RowChange[]): void {
    for (const index of this.providerIndexes.values())
      for (const [old, row] of changes) {
        index.apply(old, -1);
        index.apply(row, 1);
      }
    if (!this.index) return;
    for (const [old, row] of changes) {
      this.index.apply(old, -1);
      this.index.apply(row, 1);
    }
    // Our own events are in the index now. Only when nobody else has written since the last look
    // may the latest event be taken as known; otherwise the next look rebuilds to be safe.
    if (changes.length && (this.sql('PRAGMA data_version').pluck().get() as number) === this.indexDataVersion)
      this.indexLastEvent = this.events.lastPosition();
  }

  /** After a rebuild: the index and every snapshot are made again from the new rows. */
  reset(): void {
    this.index = null;
    this.providerIndexes.clear();
    this.forgetFrom('0000-01-01');
  }

  /** Inside a write's transaction: an event recorded on an earlier day makes that day's snapshot and later ones stale. */
  recordedOn(day: IsoDate, today: IsoDate): void {
    if (day < today) this.forgetFrom(day);
  }

  /**
   * The one rule for a day: an earlier day than today is counted as it stood at the end of
   * that day, from its snapshot; today and later from the index. Null when the earlier day's
   * snapshot is not made yet (see fill).
   */
  asOf(day: IsoDate, today: IsoDate): BacklogCounts | null {
    if (day >= today) return this.current(day);
    this.seal(today);
    const json = this.sql('SELECT counts FROM backlog_snapshots WHERE day = ?').pluck().get(day) as string | undefined;
    if (json !== undefined) return JSON.parse(json) as BacklogCounts;
    const first = this.firstRecordedDay();
    if (first === null || day < first)
      return backlogCounts(day, { open: 0, over28: 0, over62: 0, over104: 0, fdsOverdue: 0 }, [], [], []);
    return null;
  }

  /** The same, making the day's snapshot first if needed: at most one computation at a time, in slices that let requests through. */
  async asOfAsync(day: IsoDate, today: IsoDate): Promise<BacklogCounts> {
    for (;;) {
      const counts = this.asOf(day, today);
      if (counts) return counts;
      await this.fill(
        day < addDays(today, -SNAPSHOT_WINDOW_DAYS) ? day : addDays(today, -SNAPSHOT_WINDOW_DAYS),
        addDays(today, -1),
      );
    }
  }

  /** `asOf` for a command line or a report: the missing snapshots are made at once. */
  asOfNow(day: IsoDate, today: IsoDate): BacklogCounts {
    const counts = this.asOf(day, today);
    if (counts) return counts;
    this.fillNow(day, today);
    return this.asOf(day, today)!;
  }

  /** Makes the missing snapshots from `from` (default: the kept window) to yesterday, at once. */
  fillNow(from: IsoDate | null, today: IsoDate): void {
    this.seal(today);
    const range = this.missing(from ?? addDays(today, -SNAPSHOT_WINDOW_DAYS), addDays(today, -1));
    if (range) this.keep(historyPass(this.events, range.from, range.to, this.onPass ?? undefined));
  }

  /** The open, over-62 and over-104 counts for each day from `from` to `today` (today live). */
  async trend(from: IsoDate, today: IsoDate): Promise<TrendPoint[]> {
    await this.asOfAsync(from, today);
    return this.trendNow(from, today, today);
  }

  /** The trend of some providers only (a scoped user, issue #25): each day's by-provider counts summed. */
  async trendFor(from: IsoDate, today: IsoDate, providers: readonly string[]): Promise<TrendPoint[]> {
    await this.asOfAsync(from, today);
    const points: TrendPoint[] = [];
    for (let d = from; d <= today; d = addDays(d, 1))
      points.push({ date: d, ...providersTotal(this.asOfNow(d, today), providers) });
    return points;
  }

  /** The same from `from` to `to`, making missing snapshots at once (a command line, a report). */
  trendNow(from: IsoDate, to: IsoDate, today: IsoDate): TrendPoint[] {
    const points: TrendPoint[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const c = this.asOfNow(d, today);
      points.push({ date: d, open: c.open, over62: c.over62, over104: c.over104 });
    }
    return points;
  }

  /**
   * Makes the missing snapshots from `from` to `to` in one pass over the event history, giving
   * way to other work between slices; only one pass runs at a time, and others wait for it.
   */
  fill(from: IsoDate, to: IsoDate): Promise<void> {
    // Sealed from the index first: days after the latest record need no pass over the history.
    this.filling ??= (async () => {
      this.seal(addDays(to, 1));
      const range = this.missing(from, to);
      if (!range) return;
      const generation = this.generation;
      const days = await historyPassAsync(this.events, range.from, range.to, () => nextTurn());
      if (generation === this.generation) this.keep(days); // else history changed under the pass: asked again
    })().finally(() => {
      this.filling = null;
    });
    return this.filling;
  }

  /** The span from the first day in [from, to] with no snapshot (and some history) to `to`, or null. */
  private missing(from: IsoDate, to: IsoDate): { from: IsoDate; to: IsoDate } | null {
    const first = this.firstRecordedDay();
    if (first === null) return null;
    const have = new Set(
      this.sql('SELECT day FROM backlog_snapshots WHERE day >= ? AND day <= ?').pluck().all(from, to) as string[],
    );
    let start = first > from ? first : from;
    while (start <= to && have.has(start)) start = addDays(start, 1);
    return start > to ? null : { from: start, to };
  }

  private keep(days: BacklogCounts[]): void {
    const insert = this.sql('INSERT OR REPLACE INTO backlog_snapshots (day, counts) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const c of days) insert.run(c.asOf, JSON.stringify(c));
    })();
    this.clearedFrom = null;
  }

  /**
   * Before a write of today's news, and at midnight: the days that have ended since the latest
   * recorded event are sealed from the index (their counts are exact now, before anything newer lands).
   */
  seal(today: IsoDate): void {
    const yesterday = addDays(today, -1);
    if (this.sealedThrough !== null && this.sealedThrough >= yesterday) return;
    const latest = this.events.latestRecordedAt();
    if (latest === null) {
      this.sealedThrough = yesterday;
      return;
    }
    const latestDay = londonDateOf(new Date(latest));
    const last = this.sql('SELECT max(day) FROM backlog_snapshots').pluck().get() as IsoDate | null;
    let day = last !== null && last >= latestDay ? addDays(last, 1) : latestDay;
    const insert = this.sql('INSERT OR IGNORE INTO backlog_snapshots (day, counts) VALUES (?, ?)');
    for (; day <= yesterday; day = addDays(day, 1)) insert.run(day, JSON.stringify(this.current(day)));
    this.sealedThrough = yesterday;
    this.clearedFrom = null;
  }

  private forgetFrom(day: IsoDate): void {
    if (this.clearedFrom !== null && day >= this.clearedFrom) return;
    this.sql('DELETE FROM backlog_snapshots WHERE day >= ?').run(day);
    this.clearedFrom = day;
    this.sealedThrough = null;
    this.generation++;
  }

  private firstRecordedDay(): IsoDate | null {
    const first = this.sql('SELECT min(recorded_at) FROM events').pluck().get() as string | null;
    return first === null ? null : londonDateOf(new Date(first));
  }
}
