// The comments table (workspace #15): each pathway's latest tracking comment, the `note` event
// the PTL shows against the patient. A read model of the events: written again from the
// pathway's events whenever a note is recorded or voided, and by a rebuild.
import type { Instant, IsoDate } from '../vocabulary/calendar.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import { latestNote } from '../cwt/tracking.ts';
import { statementCache, type Db } from './db.ts';

export interface Comment {
  eventId: string;
  on: IsoDate;
  text: string;
  followUpOn: IsoDate | null;
  actor: string;
  recordedAt: Instant;
}

interface CommentRow {
  pathway_id: string;
  event_id: string;
  on_date: IsoDate;
  text: string;
  follow_up_on: IsoDate | null;
  actor: string;
  recorded_at: Instant;
}

const fromRow = (r: CommentRow): Comment => ({
  eventId: r.event_id,
  on: r.on_date,
  text: r.text,
  followUpOn: r.follow_up_on,
  actor: r.actor,
  recordedAt: r.recorded_at,
});

export class Comments {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Sets the pathway's latest comment from its events as recorded (in the caller's transaction). */
  refresh(
    pathwayId: string,
    events: readonly { eventId: string; actor: string; recordedAt: string; event: PathwayEvent }[],
  ): void {
    const latest = latestNote(effectiveTimeline(events.map((e) => e.event)));
    if (!latest) {
      this.sql('DELETE FROM comments WHERE pathway_id = ?').run(pathwayId);
      return;
    }
    const stored = events[latest.index]!;
    this.sql(
      `INSERT OR REPLACE INTO comments (pathway_id, event_id, on_date, text, follow_up_on, actor, recorded_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      pathwayId,
      stored.eventId,
      latest.event.on,
      latest.event.text,
      latest.event.followUpOn ?? null,
      stored.actor,
      stored.recordedAt,
    );
  }

  get(pathwayId: string): Comment | null {
    const row = this.sql('SELECT * FROM comments WHERE pathway_id = ?').get(pathwayId) as CommentRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** The latest comments of a page of pathways. */
  forPathways(pathwayIds: readonly string[]): Map<string, Comment> {
    const found = new Map<string, Comment>();
    if (pathwayIds.length === 0) return found;
    const rows = this.sql('SELECT * FROM comments WHERE pathway_id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(pathwayIds),
    ) as CommentRow[];
    for (const r of rows) found.set(r.pathway_id, fromRow(r));
    return found;
  }

  /** Empties the table, for a rebuild inside the caller's transaction. */
  clear(): void {
    this.db.exec('DELETE FROM comments');
  }
}
