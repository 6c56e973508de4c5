// The events table: the history, append-only. Every other table is derived from it and can be
// rebuilt; a database trigger refuses UPDATE and DELETE on it (db/migrations/001).
import type { Instant } from '../vocabulary/calendar.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import { upcastEvent } from '../vocabulary/national-items.ts';
import type { Db } from './db.ts';

/** A stored event as today's vocabulary reads it: upcast when read, never rewritten (issue #14). */
const readEvent = (data: string): PathwayEvent => upcastEvent(JSON.parse(data) as PathwayEvent);

export interface StoredEvent {
  position: number;
  version: number;
  eventId: string;
  recordedAt: Instant;
  actor: string;
  event: PathwayEvent;
  /** Where a feed supplied the event (issue #17); absent when a person entered it or it was imported. */
  source?: EventSource;
}

/**
 * Provenance of an event a feed supplied: kept beside the event, not in it, so the vocabulary stays
 * what a pathway is made of and only the server can say where an event came from (issue #17).
 */
export interface EventSource {
  feed: 'hl7';
  sendingApplication: string;
  sendingFacility: string;
  messageControlId: string;
}

export interface NewEvent {
  pathwayId: string;
  version: number;
  eventId: string;
  event: PathwayEvent;
  recordedAt: Instant;
  actor: string;
  idempotencyKey: string | null;
  source?: EventSource | null;
}

export class EventLog {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      insert:
        db.prepare(`INSERT INTO events (pathway_id, version, event_id, type, on_date, recorded_at, actor, idempotency_key, data)
        VALUES (@pathwayId, @version, @eventId, @type, @on, @recordedAt, @actor, @idempotencyKey, @data)`),
      insertSource: db.prepare('INSERT INTO event_sources (position, source) VALUES (?, ?)'), // issue #17
      ofPathway: db.prepare(
        'SELECT position, version, event_id, recorded_at, actor, data, source FROM events LEFT JOIN event_sources USING (position) WHERE pathway_id = ? ORDER BY version',
      ),
      recordedBy: db
        .prepare('SELECT data FROM events WHERE pathway_id = ? AND recorded_at <= ? ORDER BY version')
        .pluck(),
      recordedByEach: db
        .prepare(
          'SELECT pathway_id, recorded_at, data FROM events WHERE pathway_id IN (SELECT value FROM json_each(?)) AND recorded_at <= ? ORDER BY pathway_id, version',
        )
        .raw(),
      count: db.prepare('SELECT count(*) FROM events').pluck(),
      latestRecordedAt: db.prepare('SELECT max(recorded_at) FROM events').pluck(),
      lastPosition: db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck(),
    };
  }

  /** Appends one event; a repeated (pathway, version) or (pathway, event id) fails a unique key. */
  append(e: NewEvent): void {
    const { lastInsertRowid } = this.stmt.insert.run({
      pathwayId: e.pathwayId,
      version: e.version,
      eventId: e.eventId,
      type: e.event.type,
      on: e.event.on,
      recordedAt: e.recordedAt,
      actor: e.actor,
      idempotencyKey: e.idempotencyKey,
      data: JSON.stringify(e.event),
    });
    if (e.source) this.stmt.insertSource.run(lastInsertRowid, JSON.stringify(e.source));
  }

  ofPathway(pathwayId: string): StoredEvent[] {
    return (
      this.stmt.ofPathway.all(pathwayId) as {
        position: number;
        version: number;
        event_id: string;
        recorded_at: Instant;
        actor: string;
        data: string;
        source: string | null;
      }[]
    ).map((r) => ({
      position: r.position,
      version: r.version,
      eventId: r.event_id,
      recordedAt: r.recorded_at,
      actor: r.actor,
      event: readEvent(r.data),
      ...(r.source ? { source: JSON.parse(r.source) as EventSource } : {}), // issue #17
    }));
  }

  /** A pathway's events recorded by `asAt`, in the order recorded. */
  recordedBy(pathwayId: string, asAt: Instant): PathwayEvent[] {
    return (this.stmt.recordedBy.all(pathwayId, asAt) as string[]).map(readEvent);
  }

  /**
   * The events recorded by `asAt` of each pathway named, pathway by pathway in id order, each in
   * the order recorded with the instant it was recorded (the forecast's "as at" read).
   */
  *recordedByEach(
    pathwayIds: readonly string[],
    asAt: Instant,
  ): Generator<{ pathwayId: string; events: { recordedAt: Instant; event: PathwayEvent }[] }> {
    // Rows as arrays (not objects): a fifth of the time of the read goes to making rows.
    const rows = this.stmt.recordedByEach.all(JSON.stringify(pathwayIds), asAt) as [string, Instant, string][];
    for (let i = 0; i < rows.length;) {
      const pathwayId = rows[i]![0];
      const events = [];
      for (; i < rows.length && rows[i]![0] === pathwayId; i++)
        events.push({ recordedAt: rows[i]![1], event: readEvent(rows[i]![2]) });
      yield { pathwayId, events };
    }
  }

  count(): number {
    return this.stmt.count.get() as number;
  }

  /** The position of the latest event written (0 for none): it moves whenever anyone appends. */
  lastPosition(): number {
    return this.stmt.lastPosition.get() as number;
  }

  latestRecordedAt(): Instant | null {
    return (this.stmt.latestRecordedAt.get() as Instant | null) ?? null;
  }

  /** Each pathway's events, pathway by pathway, read in chunks so nothing holds a cursor open while the caller writes. */
  /**
   * Every pathway that has carried this NHS number: given it by its referral, or by a correction
   * or a merge (issue #25: "who saw this patient" asks about them all, whatever their number now).
   */
  pathwaysOfNhsNumber(nhsNumber: string): string[] {
    return this.db
      .prepare(
        "SELECT DISTINCT pathway_id FROM events WHERE json_extract(data, '$.nhsNumber') = ? AND type IN ('referral_received', 'patient_details_updated') ORDER BY pathway_id",
      )
      .pluck()
      .all(nhsNumber) as string[];
  }

  *byPathway(): Generator<{
    pathwayId: string;
    events: { version: number; recordedAt: Instant; event: PathwayEvent }[];
  }> {
    const ids = this.db
      .prepare('SELECT DISTINCT pathway_id FROM events WHERE pathway_id > ? ORDER BY pathway_id LIMIT 5000')
      .pluck();
    const rows = this.db.prepare(`SELECT pathway_id, version, recorded_at, data FROM events
      WHERE pathway_id >= ? AND pathway_id <= ? ORDER BY pathway_id, version`);
    let after = '';
    for (;;) {
      const chunk = ids.all(after) as string[];
      if (chunk.length === 0) return;
      after = chunk[chunk.length - 1]!;
      const all = rows.all(chunk[0], after) as {
        pathway_id: string;
        version: number;
        recorded_at: Instant;
        data: string;
      }[];
      for (let i = 0; i < all.length;) {
        const pathwayId = all[i]!.pathway_id;
        const events = [];
        for (; i < all.length && all[i]!.pathway_id === pathwayId; i++) {
          events.push({ version: all[i]!.version, recordedAt: all[i]!.recorded_at, event: readEvent(all[i]!.data) });
        }
        yield { pathwayId, events };
      }
    }
  }
}
