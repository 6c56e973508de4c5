// The event store and the PTL projection. Every append validates the event, asks the machine,
// computes the clocks and writes the event and the pathway row in ONE transaction.
import { createHash } from 'node:crypto';
import { type WallClock, today } from '../wall-clock.ts';
import { addDays, endOfLondonDay, londonDateOf, type IsoDate } from '../cwt/calendar.ts';
import type { Clocks } from '../cwt/clocks.ts';
import { backlogPosition, BANDS, type Band } from '../cwt/backlog.ts';
import { describeIssue, pathwayEvent, type PathwayEvent } from '../domain/events.ts';
import {
  advancePathway, allowedEventsOf, clocksOf, replayPathway, stageOfState, startPathway, stateFromRow, toRow,
  STATE_COLUMNS, type PathwayRow, type PathwayState, type StateColumns,
} from '../domain/pathway.ts';
import { checkDates, TimelineError } from '../domain/timeline.ts';
import { statementCache, type Db } from './db.ts';
import { BacklogIndex, type IndexedRow } from './backlog-index.ts';
import { StoreError } from './errors.ts';

export interface AppendOptions {
  actor: string;
  idempotencyKey?: string;
  /** When the event was recorded; defaults to the store's clock. Imports of history may give their own. */
  recordedAt?: string;
}

export interface AppendResult {
  pathwayId: string;
  version: number;
  eventId: string;
  stage: string;
  status: 'open' | 'closed';
  clocks: Clocks;
  allowedEvents: string[];
  /** True when this repeats an earlier append (same idempotency key, or same event id and content): nothing was written. */
  duplicate: boolean;
}

export interface AppendRequest extends AppendOptions {
  pathwayId: string;
  /** The version the caller last saw; undefined appends at whatever the current version is (imports). */
  expectedVersion?: number;
  event: unknown;
}

/** A pathway appended to in the current batch: its row is written when the batch ends. */
interface Pending {
  old: PathwayRow | undefined;
  state: PathwayState;
  version: number;
  updatedAt: string;
}

/** What a bulk append reports per item, without computing clocks for the answer. */
export type AppendOutcome = 'written' | 'duplicate';

export interface StoredEvent {
  position: number;
  version: number;
  eventId: string;
  recordedAt: string;
  actor: string;
  event: PathwayEvent;
}

export interface BacklogCounts {
  asOf: IsoDate;
  open: number;
  over62: number;
  over104: number;
  fdsOverdue: number;
  bands: Record<Band, number>;
  byTumourSite: Record<string, { open: number; over62: number; over104: number }>;
  byStage: Record<string, { open: number; over62: number; over104: number }>;
}

export interface PtlQuery {
  tumourSite?: string;
  stage?: string;
  provider?: string;
  minDays?: number;
  maxDays?: number;
  breached?: boolean;
  /** Faster diagnosis clock still running past 28 days. */
  fdsOverdue?: boolean;
  nextActionDueBy?: IsoDate;
  sort?: 'breachDate' | 'daysWaiting';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

export interface PtlEntry {
  pathwayId: string;
  nhsNumber: string;
  patientName: string | null;
  tumourSite: string;
  stage: string;
  provider: string | null;
  route: string;
  referralOn: IsoDate;
  clockStart: IsoDate;
  daysWaiting: number;
  breachDate: IsoDate;
  fdsDue: IsoDate | null;
  fdsState: string;
  nextAction: string | null;
  nextActionDue: IsoDate | null;
  version: number;
}

const PATHWAY_COLUMNS = [
  'pathway_id', 'version', 'stage', 'status', 'state', 'nhs_number', 'patient_name', 'date_of_birth', 'tumour_site',
  'route', 'provider', 'referral_on', 'last_on', 'clock_start', 'adjustment_days', 'fds_state', 'fds_stop',
  'fds_breach_on', 'd31_state', 'd31_start', 'd31_stop', 'd31_breach_on', 'd62_state', 'd62_stop', 'd62_breach_on',
  'd62_over28_on', 'd62_over104_on', 'next_action', 'next_action_due', 'updated_at',
] as const satisfies readonly (keyof PathwayRow)[];

type Listener = (commit: { pathwayIds: string[] }) => void;

export class Store {
  private readonly stmt;
  private readonly listeners = new Set<Listener>();
  private readonly sql;
  private rowChanges: [PathwayRow | undefined, PathwayRow][] = [];
  private index: BacklogIndex | null = null;
  private indexDataVersion = -1;

  constructor(readonly db: Db, readonly clock: WallClock) {
    this.sql = statementCache(db);
    const cols = PATHWAY_COLUMNS.join(', ');
    const params = PATHWAY_COLUMNS.map((c) => `@${c}`).join(', ');
    this.stmt = {
      insertEvent: db.prepare(`INSERT INTO events (pathway_id, version, event_id, type, on_date, recorded_at, actor, idempotency_key, data)
        VALUES (@pathwayId, @version, @eventId, @type, @on, @recordedAt, @actor, @idempotencyKey, @data)`),
      insertPathway: db.prepare(`INSERT INTO pathways (${cols}) VALUES (${params})`),
      pathway: db.prepare('SELECT * FROM pathways WHERE pathway_id = ?'),
      rowsAfter: db.prepare(`SELECT pathway_id, updated_at, ${STATE_COLUMNS.join(', ')} FROM pathways WHERE pathway_id > ? ORDER BY pathway_id LIMIT 5000`),
      eventsRecordedBy: db.prepare('SELECT data FROM events WHERE pathway_id = ? AND recorded_at <= ? ORDER BY version').pluck(),
      byKey: db.prepare('SELECT pathway_id, version, data FROM events WHERE idempotency_key = ?'),
      byEventId: db.prepare('SELECT pathway_id, version, data FROM events WHERE pathway_id = ? AND event_id = ?'),
      events: db.prepare('SELECT position, version, event_id, recorded_at, actor, data FROM events WHERE pathway_id = ? ORDER BY version'),
    };
  }

  /** Called after every commit that wrote something (the live hub listens here). */
  onCommit(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(pathwayId: string, expectedVersion: number | undefined, event: unknown, options: AppendOptions): AppendResult {
    const result = this.write(() => this.appendInTransaction({ pathwayId, expectedVersion, event, ...options }));
    if (!result.duplicate) this.committed([pathwayId]);
    return result;
  }

  /**
   * Bulk append in ONE transaction: all of the batch is written or none of it. An item the rules
   * refuse is reported and skipped (it writes nothing); any other failure rolls the batch back.
   */
  appendMany(items: AppendRequest[]): (AppendOutcome | StoreError)[] {
    const results = this.write(() => {
      // Within the batch each pathway's state is kept in memory and its row written once, at the end.
      const pending = new Map<string, Pending>();
      const outcomes = items.map((item) => {
        try {
          return this.appendInTransaction(item, false, pending);
        } catch (err) {
          if (err instanceof StoreError) return err;
          throw err;
        }
      });
      for (const [id, p] of pending) this.writeRow(p.old, toRow(id, p.version, p.state, p.updatedAt));
      return outcomes;
    });
    const written = results.flatMap((r, i) => (r === 'written' ? [items[i]!.pathwayId] : []));
    if (written.length) this.committed([...new Set(written)]);
    return results;
  }

  /**
   * One IMMEDIATE transaction. Row changes reach the in-memory backlog index only once it has
   * committed; a rollback leaves the index as it was.
   */
  private write<T>(fn: () => T): T {
    this.rowChanges = [];
    try {
      const result = this.db.transaction(fn).immediate();
      if (this.index) for (const [old, row] of this.rowChanges) { this.index.apply(old, -1); this.index.apply(row, 1); }
      return result;
    } finally {
      this.rowChanges = [];
    }
  }

  private committed(pathwayIds: string[]): void {
    for (const listener of this.listeners) listener({ pathwayIds });
  }

  private appendInTransaction(req: AppendRequest): AppendResult;
  private appendInTransaction(req: AppendRequest, withResult: false, pending: Map<string, Pending>): AppendOutcome;
  private appendInTransaction(req: AppendRequest, withResult = true, pending?: Map<string, Pending>): AppendResult | AppendOutcome {
    const parsed = pathwayEvent.safeParse(req.event);
    if (!parsed.success) {
      const { field, message } = describeIssue(parsed.error);
      throw new StoreError('invalid_event', `${field || 'event'}: ${message}`, field);
    }
    const event = parsed.data;
    const recordedAt = req.recordedAt ?? this.clock.now().toISOString();
    const asOf = londonDateOf(new Date(recordedAt));
    try {
      return this.appendChecked(req, event, recordedAt, asOf, withResult, pending);
    } catch (err) {
      // A repeat of an earlier append (same idempotency key, or same event id) fails the checks or
      // a unique key: only then is the earlier one looked up, so new events pay no extra lookup.
      const earlier = err instanceof StoreError || isUniqueViolation(err) ? this.earlierAppend(req, event) : undefined;
      if (!earlier) throw err;
      const first = sameRequest(req, event, earlier);
      return withResult ? this.firstResult(req.pathwayId, earlier.version, first) : 'duplicate';
    }
  }

  /** The event stored earlier under this request's idempotency key, or else under its event id. */
  private earlierAppend(req: AppendRequest, event: PathwayEvent): EarlierAppend | undefined {
    if (req.idempotencyKey !== undefined) {
      const byKey = this.stmt.byKey.get(req.idempotencyKey) as Omit<EarlierAppend, 'by'> | undefined;
      if (byKey) return { ...byKey, by: 'key' };
    }
    if (event.id === undefined) return undefined;
    const byId = this.stmt.byEventId.get(req.pathwayId, event.id) as Omit<EarlierAppend, 'by'> | undefined;
    return byId && { ...byId, by: 'id' };
  }

  private appendChecked(req: AppendRequest, event: PathwayEvent, recordedAt: string, asOf: IsoDate, withResult: boolean, pending?: Map<string, Pending>): AppendResult | AppendOutcome {
    const held = pending?.get(req.pathwayId);
    const row = held ? held.old : (this.stmt.pathway.get(req.pathwayId) as PathwayRow | undefined);
    const prior = held ?? (row ? { state: stateFromRow(row), version: row.version, updatedAt: row.updated_at } : undefined);
    const current = prior?.version ?? 0;
    // The record runs forward in time: "as at" queries rely on a pathway's last event being its latest recorded.
    if (prior && recordedAt < prior.updatedAt) {
      throw new StoreError('invalid_timeline', `recordedAt: ${recordedAt} is earlier than this pathway's last recorded event (${prior.updatedAt})`, 'recordedAt');
    }
    if (req.expectedVersion !== undefined && req.expectedVersion !== current) {
      throw new StoreError('stale_version', `expected version ${req.expectedVersion} but the pathway is at version ${current}`, 'expectedVersion', { currentVersion: current });
    }
    const version = current + 1;
    const state = this.nextState(req.pathwayId, prior?.state, event, version, asOf);
    const eventId = event.id ?? `#${version}`;
    const stored = { ...event, id: eventId };
    // An id this pathway already used fails the UNIQUE (pathway_id, event_id) key: appendInTransaction answers it.
    this.stmt.insertEvent.run({
      pathwayId: req.pathwayId, version, eventId, type: event.type, on: event.on, recordedAt,
      actor: req.actor, idempotencyKey: req.idempotencyKey ?? null, data: JSON.stringify(stored),
    });
    if (pending) pending.set(req.pathwayId, { old: row, state, version, updatedAt: recordedAt });
    else this.writeRow(row, toRow(req.pathwayId, version, state, recordedAt));
    return withResult ? this.result(req.pathwayId, version, eventId, state, asOf, false) : 'written';
  }

  /**
   * Writes the pathway row, updating only the columns that changed: SQLite then rewrites only the
   * indexes over those columns, which keeps bulk imports fast.
   */
  private writeRow(old: PathwayRow | undefined, row: PathwayRow): void {
    if (this.index) this.rowChanges.push([old, row]); // for the in-memory backlog index, once committed
    if (!old) {
      this.stmt.insertPathway.run(row);
      return;
    }
    const changed = PATHWAY_COLUMNS.filter((c) => c !== 'pathway_id' && old[c] !== row[c]);
    const update = this.sql(`UPDATE pathways SET ${changed.map((c) => `${c} = @${c}`).join(', ')} WHERE pathway_id = @pathway_id`);
    update.run(Object.fromEntries([['pathway_id', row.pathway_id], ...changed.map((c) => [c, row[c]])]));
  }

  /** Validates the event against the pathway and returns the state after it (throws StoreError). */
  private nextState(pathwayId: string, prior: PathwayState | undefined, event: PathwayEvent, version: number, asOf: IsoDate): PathwayState {
    try {
      if (!prior) {
        if (event.type !== 'referral_received') throw new StoreError('unknown_pathway', `no pathway ${pathwayId}: a pathway starts with referral_received`, 'pathwayId');
        checkDates(0, event, event.on, asOf);
        return startPathway(event);
      }
      if (event.type === 'referral_received') throw new StoreError('pathway_exists', `pathway ${pathwayId} already has a referral`, 'type');
      const fast = advancePathway(prior, event, version - 1, asOf);
      if (fast) return fast;
      // A correction or a back-dated event: check the whole timeline again with it in place.
      const events = this.events(pathwayId).map((e) => e.event);
      return replayPathway([...events, event], asOf);
    } catch (err) {
      if (!(err instanceof TimelineError)) throw err;
      if (err.kind === 'not_allowed') {
        throw new StoreError('not_allowed', `${event.type} is not allowed in stage ${err.stage}; allowed: ${err.allowed?.join(', ') || 'none'}`, 'type', { stage: err.stage, allowedEvents: err.allowed });
      }
      throw new StoreError('invalid_timeline', `${err.field}: ${err.reason}`, err.field);
    }
  }

  /** A repeated idempotency key answers with the first append's result, as it was then. */
  private firstResult(pathwayId: string, version: number, first: PathwayEvent): AppendResult {
    const history = this.events(pathwayId).filter((e) => e.version <= version);
    const asOf = londonDateOf(new Date(history[history.length - 1]!.recordedAt));
    const state = replayPathway(history.map((e) => e.event), asOf);
    return this.result(pathwayId, version, first.id!, state, asOf, true);
  }

  private result(pathwayId: string, version: number, eventId: string, state: PathwayState, asOf: IsoDate, duplicate: boolean): AppendResult {
    const clocks = clocksOf(state, asOf);
    return { pathwayId, version, eventId, stage: stageOfState(state), status: clocks.status, clocks, allowedEvents: allowedEventsOf(state), duplicate };
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** The pathway an idempotency key was first used on: a repeated "create" names the same pathway. */
  pathwayIdForKey(idempotencyKey: string): string | undefined {
    return (this.stmt.byKey.get(idempotencyKey) as { pathway_id: string } | undefined)?.pathway_id;
  }

  events(pathwayId: string): StoredEvent[] {
    return (this.stmt.events.all(pathwayId) as { position: number; version: number; event_id: string; recorded_at: string; actor: string; data: string }[])
      .map((r) => ({ position: r.position, version: r.version, eventId: r.event_id, recordedAt: r.recorded_at, actor: r.actor, event: JSON.parse(r.data) as PathwayEvent }));
  }

  /** A pathway with its events and its clocks as of today; null when there is no such pathway. */
  pathway(pathwayId: string, asOf: IsoDate = today(this.clock)) {
    const row = this.stmt.pathway.get(pathwayId) as PathwayRow | undefined;
    if (!row) return null;
    const state = stateFromRow(row);
    const clocks = clocksOf(state, asOf);
    return {
      pathwayId,
      version: row.version,
      stage: row.stage,
      status: row.status,
      patient: { nhsNumber: row.nhs_number, name: row.patient_name, dateOfBirth: row.date_of_birth },
      tumourSite: row.tumour_site,
      route: row.route,
      provider: row.provider,
      nextAction: row.next_action ? { action: row.next_action, due: row.next_action_due } : null,
      clocks,
      allowedEvents: allowedEventsOf(state),
      events: this.events(pathwayId),
    };
  }

  /** The PTL: open pathways, filtered, ordered by breach date (= longest wait first), keyset-paginated. */
  ptl(query: PtlQuery = {}, asOf: IsoDate = today(this.clock)): { asOf: IsoDate; entries: PtlEntry[]; nextCursor: string | null } {
    const where = ["status = 'open'"];
    const params: Record<string, unknown> = {};
    for (const [key, column] of [['tumourSite', 'tumour_site'], ['stage', 'stage'], ['provider', 'provider']] as const) {
      if (query[key] !== undefined) {
        where.push(`${column} = @${key}`);
        params[key] = query[key];
      }
    }
    // Days waiting from the breach date: days = asOf - (breach date - 63). Exact except while a
    // declined-admission pause is under way, when it is the wait the pause will have ended at.
    if (query.breached !== undefined) {
      where.push(query.breached ? 'd62_breach_on <= @asOf' : 'd62_breach_on > @asOf');
      params.asOf = asOf;
    }
    if (query.fdsOverdue !== undefined) {
      where.push(query.fdsOverdue ? "fds_state = 'running' AND fds_breach_on <= @asOf" : "NOT (fds_state = 'running' AND fds_breach_on <= @asOf)");
      params.asOf = asOf;
    }
    if (query.minDays !== undefined) {
      where.push('d62_breach_on <= @minBreach');
      params.minBreach = addDays(asOf, 63 - query.minDays);
    }
    if (query.maxDays !== undefined) {
      where.push('d62_breach_on >= @maxBreach');
      params.maxBreach = addDays(asOf, 63 - query.maxDays);
    }
    if (query.nextActionDueBy !== undefined) {
      where.push('next_action_due <= @dueBy');
      params.dueBy = query.nextActionDueBy;
    }
    // Longest wait first is the earliest breach date first.
    const ascending = (query.sort ?? 'daysWaiting') === 'daysWaiting' ? (query.order ?? 'desc') === 'desc' : (query.order ?? 'asc') === 'asc';
    const dir = ascending ? 'ASC' : 'DESC';
    if (query.cursor) {
      const [breach, id] = decodeCursor(query.cursor);
      where.push(`(d62_breach_on, pathway_id) ${ascending ? '>' : '<'} (@cBreach, @cId)`);
      params.cBreach = breach;
      params.cId = id;
    }
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    const rows = this.sql(`SELECT * FROM pathways WHERE ${where.join(' AND ')} ORDER BY d62_breach_on ${dir}, pathway_id ${dir} LIMIT ${limit + 1}`).all(params) as PathwayRow[];
    const page = rows.slice(0, limit);
    const entries = page.map((row) => {
      const clocks = clocksOf(stateFromRow(row), asOf);
      return {
        pathwayId: row.pathway_id, nhsNumber: row.nhs_number, patientName: row.patient_name, tumourSite: row.tumour_site,
        stage: row.stage, provider: row.provider, route: row.route, referralOn: row.referral_on, clockStart: row.clock_start,
        daysWaiting: clocks.d62.days!, breachDate: row.d62_breach_on!, fdsDue: row.fds_state === 'running' ? row.fds_breach_on : null,
        fdsState: row.fds_state, nextAction: row.next_action, nextActionDue: row.next_action_due, version: row.version,
      };
    });
    const last = page[page.length - 1];
    return { asOf, entries, nextCursor: rows.length > limit && last ? encodeCursor(last.d62_breach_on!, last.pathway_id) : null };
  }

  /**
   * Backlog counts as of a date from the projection (R15), from the in-memory index: prefix sums
   * over each open pathway's threshold dates. Right for today and later; for an earlier date use
   * backlogAsAt, which also drops what was recorded since. The index is rebuilt from the rows
   * when another connection (an import run beside the server) has committed.
   */
  backlog(asOf: IsoDate = today(this.clock)): BacklogCounts {
    const dataVersion = this.sql('PRAGMA data_version').pluck().get() as number;
    if (!this.index || dataVersion !== this.indexDataVersion) {
      const index = new BacklogIndex();
      for (const row of this.db.prepare("SELECT status, tumour_site, stage, d62_over28_on, d62_breach_on, d62_over104_on, fds_state, fds_breach_on FROM pathways WHERE status = 'open'").iterate()) {
        index.apply(row as IndexedRow, 1);
      }
      this.index = index;
      this.indexDataVersion = dataVersion;
    }
    return this.index.counts(asOf);
  }

  /** The same counts by one index-only pass over the open rows in SQL: the reference for the index. */
  backlogFromRows(asOf: IsoDate = today(this.clock)): BacklogCounts {
    const groups = this.db.prepare(`SELECT tumour_site AS site, stage, count(*) AS open,
        sum(d62_over28_on <= @asOf) AS over28, sum(d62_breach_on <= @asOf) AS over62, sum(d62_over104_on <= @asOf) AS over104,
        sum(fds_state = 'running' AND fds_breach_on <= @asOf) AS fdsOverdue
      FROM pathways WHERE status = 'open' GROUP BY tumour_site, stage`).all({ asOf }) as
      { site: string; stage: string; open: number; over28: number; over62: number; over104: number; fdsOverdue: number }[];
    const counts = emptyCounts(asOf);
    let over28 = 0;
    for (const g of groups) {
      counts.open += g.open;
      counts.over62 += g.over62;
      counts.over104 += g.over104;
      counts.fdsOverdue += g.fdsOverdue;
      over28 += g.over28;
      addTo(counts.byTumourSite, g.site, g);
      addTo(counts.byStage, g.stage, g);
    }
    counts.bands = { '0-28': counts.open - over28, '29-62': over28 - counts.over62, '63-104': counts.over62 - counts.over104, '105+': counts.over104 };
    return counts;
  }

  /**
   * Backlog counts as at an earlier moment: only events recorded by `asAt` (default: the end of
   * the as-of date in England) are replayed, so yesterday's figures can be reproduced exactly.
   */
  backlogAsAt(asOf: IsoDate, asAt: string = endOfLondonDay(asOf)): BacklogCounts {
    const counts = emptyCounts(asOf);
    for (const { stage, tumourSite, clocks } of this.pathwaysAsAt(asOf, asAt)) {
      const position = backlogPosition(clocks);
      if (!position) continue;
      counts.open++;
      counts.bands[position.band]++;
      if (position.over62) counts.over62++;
      if (position.over104) counts.over104++;
      if (position.fdsOverdue) counts.fdsOverdue++;
      const g = { open: 1, over62: Number(position.over62), over104: Number(position.over104) };
      addTo(counts.byTumourSite, tumourSite, g);
      addTo(counts.byStage, stage, g);
    }
    return counts;
  }

  /**
   * Every pathway as it stood at `asAt` (events recorded by then), with its clocks as of `asOf`.
   * A pathway with nothing recorded since is read from its row; only the others are replayed.
   */
  *pathwaysAsAt(asOf: IsoDate, asAt: string): Generator<{ pathwayId: string; stage: string; tumourSite: string; provider: string | null; state: PathwayState; clocks: Clocks }> {
    let after = '';
    for (;;) {
      const rows = this.stmt.rowsAfter.all(after) as (StateColumns & Pick<PathwayRow, 'pathway_id' | 'updated_at'>)[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.pathway_id;
      for (const row of rows) {
        let state: PathwayState;
        if (row.updated_at <= asAt) {
          state = stateFromRow(row);
        } else {
          const known = (this.stmt.eventsRecordedBy.all(row.pathway_id, asAt) as string[]).map((d) => JSON.parse(d) as PathwayEvent);
          if (known.length === 0) continue;
          state = replayTrusted(known);
        }
        yield { pathwayId: row.pathway_id, stage: stageOfState(state), tumourSite: state.details.tumourSite, provider: state.details.provider, state, clocks: clocksOf(state, asOf) };
      }
    }
  }

  /**
   * Each pathway's events, pathway by pathway, read in
   * chunks so nothing holds a cursor open while the caller writes.
   */
  *eventsByPathway(): Generator<{ pathwayId: string; events: { version: number; recordedAt: string; event: PathwayEvent }[] }> {
    const ids = this.db.prepare('SELECT DISTINCT pathway_id FROM events WHERE pathway_id > ? ORDER BY pathway_id LIMIT 5000').pluck();
    const rows = this.db.prepare(`SELECT pathway_id, version, recorded_at, data FROM events
      WHERE pathway_id >= ? AND pathway_id <= ? ORDER BY pathway_id, version`);
    let after = '';
    for (;;) {
      const chunk = ids.all(after) as string[];
      if (chunk.length === 0) return;
      after = chunk[chunk.length - 1]!;
      const all = rows.all(chunk[0], after) as { pathway_id: string; version: number; recorded_at: string; data: string }[];
      for (let i = 0; i < all.length;) {
        const pathwayId = all[i]!.pathway_id;
        const events = [];
        for (; i < all.length && all[i]!.pathway_id === pathwayId; i++) {
          events.push({ version: all[i]!.version, recordedAt: all[i]!.recorded_at, event: JSON.parse(all[i]!.data) as PathwayEvent });
        }
        yield { pathwayId, events };
      }
    }
  }

  // ---- rebuild -------------------------------------------------------------------------------

  /** Drops the projection and replays every pathway's events: the rows must come out identical. */
  rebuild(): { pathways: number; events: number } {
    let pathways = 0;
    let eventCount = 0;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM pathways');
      for (const { pathwayId, events } of this.eventsByPathway()) {
        const last = events[events.length - 1]!;
        this.stmt.insertPathway.run(toRow(pathwayId, last.version, replayTrusted(events.map((e) => e.event)), last.recordedAt));
        pathways++;
        eventCount += events.length;
      }
    }).immediate();
    this.index = null; // rebuilt from the new rows when next asked
    this.committed([]);
    return { pathways, events: eventCount };
  }
}

/** Replays stored events, which were checked when they were appended: no as-of bound applies. */
function replayTrusted(events: PathwayEvent[]): PathwayState {
  return replayPathway(events, '9999-12-31');
}

function emptyCounts(asOf: IsoDate): BacklogCounts {
  return {
    asOf, open: 0, over62: 0, over104: 0, fdsOverdue: 0,
    bands: Object.fromEntries(BANDS.map((b) => [b, 0])) as Record<Band, number>,
    byTumourSite: {}, byStage: {},
  };
}

function addTo(map: Record<string, { open: number; over62: number; over104: number }>, key: string, g: { open: number; over62: number; over104: number }): void {
  const entry = (map[key] ??= { open: 0, over62: 0, over104: 0 });
  entry.open += g.open;
  entry.over62 += g.over62;
  entry.over104 += g.over104;
}

function encodeCursor(breach: string, id: string): string {
  return Buffer.from(JSON.stringify([breach, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch { /* fall through */ }
  throw new StoreError('invalid_event', 'cursor: is not a cursor this server issued', 'cursor'); // 400
}

interface EarlierAppend {
  pathway_id: string;
  version: number;
  data: string;
  /** Found by the request's idempotency key, or by the event's id within the pathway. */
  by: 'key' | 'id';
}

function isUniqueViolation(err: unknown): err is Error {
  return err instanceof Error && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The event first stored under a repeated idempotency key or event id, provided this is the same request. */
function sameRequest(req: AppendRequest, event: PathwayEvent, earlier: EarlierAppend): PathwayEvent {
  const first = JSON.parse(earlier.data) as PathwayEvent;
  const same = earlier.pathway_id === req.pathwayId && canonical({ ...event, id: first.id }) === canonical(first);
  if (same) return first;
  if (earlier.by === 'id') throw new StoreError('invalid_timeline', `id ${first.id} is used by an earlier event of this pathway`, 'id');
  throw new StoreError('idempotency_key_reused', 'this Idempotency-Key was already used for a different event', 'idempotencyKey');
}

/** Key order does not matter when comparing two events for an idempotent repeat. */
function canonical(event: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(event).sort(([a], [b]) => a.localeCompare(b))));
}

/** A stable idempotency key for a line of an import file. */
// Led by the pathway id, so the keys of one batch sit close together in the unique index instead of
// dirtying a random page each (a large share of import time when they were pure hashes).
export function importKey(pathwayId: string, ordinal: number, line: string): string {
  return `import:${pathwayId}:${createHash('sha256').update(`${ordinal}\n${line}`).digest('base64url').slice(0, 22)}`;
}
