// The access_log table: who saw which patient, who queried the PTL and what came back, who made a
// report, who signed in (or failed to), and what admins changed. Entries are buffered in memory
// and written in one transaction per second (or per thousand), so a read costs no write of its
// own and an append never waits for the audit; the buffer is written at shutdown too. At most
// the last second of entries is lost if the process is killed outright.
// Each read of patients names what it showed (access_seen, issue #25): the pathways by id, and a
// patient known only by NHS number (searched for, or in a downloaded file) by '#' and the number;
// "who saw this patient" and the hourly volumes read it. Patient details are otherwise limited
// to what a person asked a search for (an NHS number or letters of a name).
import { AppError } from '../errors.ts';
import type { WallClock } from '../wall-clock.ts';
import { addDays, endOfLondonDay, isIsoDate, type IsoDate } from '../vocabulary/calendar.ts';
import { statementCache, type Db } from './db.ts';

export const ACCESS_ACTIONS = [
  'pathway_viewed',
  'ptl_queried',
  'export_downloaded',
  'report_generated',
  'return_generated',
  'backup_made',
  'audit_viewed',
  'inbox_viewed',
  'messages_searched', // the PAS feed's inbox and kept messages (#17): they show patients' details
  // ---- every read of a patient (issue #25) ----
  'patients_searched',
  'ptl_downloaded',
  'ptl31_queried',
  'mdt_awaiting_viewed',
  'mdt_meeting_viewed',
  'report_downloaded',
  'sign_in',
  'sign_in_failed',
  'signed_out',
  'user_added',
  'user_disabled',
  'user_enabled',
  'role_changed',
  'password_reset',
  'token_created',
  'token_revoked',
  // ---- issue #25 ----
  'providers_changed',
  'password_changed',
  'pathways_assigned',
  'inbox_rule_set',
  'inbox_rule_removed',
  'messages_purged',
  'settings_changed', // the trust's name, its backlog target (issue #23), the audit and feed settings
  'code_list_changed', // issue #28: a trust code's label corrected or its confirmation, from the Code lists page
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface AccessEntry {
  entryId: number;
  at: string;
  actor: string;
  action: AccessAction;
  pathwayId: string | null;
  address: string | null;
  detail: Record<string, unknown> | null;
}

export type NewAccessEntry = Omit<AccessEntry, 'entryId' | 'at' | 'pathwayId' | 'address' | 'detail'> &
  Partial<Pick<AccessEntry, 'at' | 'pathwayId' | 'address' | 'detail'>> & {
    /** What the answer showed: pathway ids, and '#' + an NHS number for a patient named only by it (patientSubject). */
    seen?: readonly string[];
  };

/** The subject of a patient named by NHS number alone (a pathway id never starts with '#'). */
export const patientSubject = (nhsNumber: string) => `#${nhsNumber}`;

/** A user's reads of patients in one hour, past the trust's threshold. */
export interface HeavyHour {
  actor: string;
  /** The hour's start, UTC (YYYY-MM-DDTHH:00:00Z; the dashboard shows it in UK time). */
  hour: string;
  /** Distinct patients (by NHS number) in the answers they were given that hour. */
  patients: number;
}

export interface AccessQuery {
  /** A user's name (their requests, actor user:NAME), or an actor as written (cli:root). */
  user?: string;
  pathwayId?: string;
  /** Entries that showed any of these (a patient's pathways and '#' + their NHS number): "who saw this patient". */
  subjects?: readonly string[];
  action?: AccessAction;
  /** From the start of this day in England (YYYY-MM-DD). */
  since?: string;
  /** Entries before this entry id (the next page, newest first). */
  before?: number;
  limit?: number;
}

export interface AccessLogOptions {
  /** Entries are written at least this often (0: each at once, for comparison). */
  flushMs?: number;
  /** ... or as soon as this many are waiting. */
  flushAt?: number;
  /** A failed write (a full disk): the entries are kept and tried again; past this many the oldest are dropped and counted. */
  maxBuffered?: number;
}

export const DEFAULT_KEEP_DAYS = 730;

export class AccessLog {
  private readonly sql;
  private buffer: {
    at: string;
    actor: string;
    action: string;
    pathwayId: string | null;
    address: string | null;
    detail: string | null;
    seen: readonly string[] | undefined;
  }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly opts: Required<AccessLogOptions>;
  /** Entries dropped because they could not be written and the buffer was full. */
  dropped = 0;
  /** The latest write failure (the server logs it). */
  onWriteError: (err: unknown) => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly clock: WallClock,
    options: AccessLogOptions = {},
  ) {
    this.sql = statementCache(db);
    this.opts = { flushMs: 1000, flushAt: 1000, maxBuffered: 100_000, ...options };
  }

  configure(options: AccessLogOptions): void {
    Object.assign(this.opts, options);
  }

  record(entry: NewAccessEntry): void {
    this.buffer.push({
      at: entry.at ?? this.clock.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      pathwayId: entry.pathwayId ?? null,
      address: entry.address ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      seen: entry.seen,
    });
    if (this.opts.flushMs === 0 || this.buffer.length >= this.opts.flushAt) this.flush();
    else
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.opts.flushMs).unref();
  }

  /** Writes what is waiting, in one transaction; returns how many were written. A failure keeps them for the next try. */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return 0;
    const batch = this.buffer;
    this.buffer = [];
    try {
      const insert = this.sql(
        'INSERT INTO access_log (at, actor, action, pathway_id, address, detail) VALUES (?, ?, ?, ?, ?, ?)',
      );
      // One statement per entry, its subjects as a JSON array: a PTL page names 50 or more.
      const seen = this.sql('INSERT OR IGNORE INTO access_seen (entry_id, subject) SELECT ?, value FROM json_each(?)');
      this.db
        .transaction(() => {
          for (const e of batch) {
            const entryId = insert.run(e.at, e.actor, e.action, e.pathwayId, e.address, e.detail).lastInsertRowid;
            if (e.seen?.length) seen.run(entryId, JSON.stringify(e.seen));
          }
        })
        .immediate();
      return batch.length;
    } catch (err) {
      this.buffer = [...batch, ...this.buffer];
      const over = this.buffer.length - this.opts.maxBuffered;
      if (over > 0) {
        this.buffer.splice(0, over);
        this.dropped += over;
      }
      this.onWriteError(err);
      this.timer ??= setTimeout(
        () => {
          this.timer = null;
          this.flush();
        },
        Math.max(this.opts.flushMs, 1000),
      ).unref();
      return 0;
    }
  }

  get waiting(): number {
    return this.buffer.length;
  }

  /** Entries newest first, filtered; what is still buffered is written first so it is seen. */
  query(q: AccessQuery): { entries: AccessEntry[]; nextBefore: number | null } {
    this.flush();
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    const { where, params } = this.conditions(q);
    if (q.before !== undefined) {
      where.push('entry_id < @before');
      params.before = q.before;
    }
    const rows = this.sql(
      `SELECT * FROM access_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY entry_id DESC LIMIT ${limit + 1}`,
    ).all(params) as Row[];
    const entries = rows.slice(0, limit).map(entryOf);
    return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1]!.entryId : null };
  }

  /** Every matching entry, oldest first, read in pages (the command line). */
  *all(q: Omit<AccessQuery, 'before' | 'limit'>): Generator<AccessEntry> {
    this.flush();
    const { where, params } = this.conditions(q);
    let after = 0;
    for (;;) {
      const rows = this.sql(
        `SELECT * FROM access_log WHERE ${[...where, 'entry_id > @after'].join(' AND ')} ORDER BY entry_id LIMIT 1000`,
      ).all({ ...params, after }) as Row[];
      if (rows.length === 0) return;
      for (const row of rows) yield entryOf(row);
      after = rows[rows.length - 1]!.entry_id;
    }
  }

  /** Removes entries older than `keepDays` (the only removal the table allows); returns how many. */
  prune(keepDays: number): number {
    if (!Number.isInteger(keepDays) || keepDays < 1)
      throw new AppError('invalid_request', 'audit retention: a whole number of days, at least 1', 'keepDays');
    const keptFrom = new Date(this.clock.now().getTime() - keepDays * 86_400_000).toISOString();
    return this.db
      .transaction(() => {
        this.sql("INSERT OR REPLACE INTO meta (key, value) VALUES ('access_log_kept_from', ?)").run(keptFrom);
        const last = this.sql('SELECT max(entry_id) FROM access_log WHERE at < ?').pluck().get(keptFrom) as
          number | null;
        const removed = this.sql('DELETE FROM access_log WHERE at < ?').run(keptFrom).changes;
        // What those entries showed goes with them (the trigger refuses it while an entry is kept).
        if (last !== null)
          this.sql(
            'DELETE FROM access_seen WHERE entry_id <= ? AND entry_id NOT IN (SELECT entry_id FROM access_log WHERE entry_id <= ?)',
          ).run(last, last);
        return removed;
      })
      .immediate();
  }

  /**
   * Users' hours with reads of more distinct patients than `threshold`, since a day (newest first):
   * the volumes the Audit page flags (issue #25). A patient is counted by NHS number, whether seen
   * by pathway or by number; users only (not the command line or the nightly report).
   */
  heavyHours(since: string, threshold: number, limit = 200): HeavyHour[] {
    this.flush();
    const from = since > '2000-01-01' ? endOfLondonDay(addDays(since as IsoDate, -1)) : ''; // nothing is older
    return this.sql(
      `SELECT actor, substr(at, 1, 13) || ':00:00Z' AS hour, count(DISTINCT patient) AS patients FROM (
        SELECT a.actor, a.at, CASE WHEN substr(s.subject, 1, 1) = '#' THEN substr(s.subject, 2)
          ELSE coalesce((SELECT nhs_number FROM pathways WHERE pathway_id = s.subject), s.subject) END AS patient
        FROM access_log a JOIN access_seen s ON s.entry_id = a.entry_id
        WHERE a.at > @from AND a.actor LIKE 'user:%')
      GROUP BY actor, hour HAVING patients > @threshold ORDER BY hour DESC, patients DESC LIMIT @limit`,
    ).all({
      from,
      threshold,
      limit,
    }) as HeavyHour[];
  }

  close(): void {
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private conditions(q: AccessQuery): { where: string[]; params: Record<string, unknown> } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.user !== undefined) {
      // A user's name in any case (actor user:NAME as stored), or an actor as written (cli:root).
      const name = this.sql('SELECT name FROM users WHERE name = ? COLLATE NOCASE').pluck().get(q.user) as
        string | undefined;
      where.push('actor IN (@user, @asUser)');
      Object.assign(params, { user: q.user, asUser: `user:${name ?? q.user}` });
    }
    const subjects = [...(q.pathwayId !== undefined ? [q.pathwayId] : []), ...(q.subjects ?? [])];
    if (q.pathwayId !== undefined || q.subjects !== undefined) {
      // Entries from before issue #25 name a pathway in their own column only.
      where.push(
        '(pathway_id IN (SELECT value FROM json_each(@subjects)) OR entry_id IN (SELECT entry_id FROM access_seen WHERE subject IN (SELECT value FROM json_each(@subjects))))',
      );
      params.subjects = JSON.stringify(subjects);
    }
    if (q.action !== undefined) {
      where.push('action = @action');
      params.action = q.action;
    }
    if (q.since !== undefined) {
      if (!isIsoDate(q.since))
        throw new AppError(
          'invalid_request',
          `since: must be a real calendar date, YYYY-MM-DD (got ${q.since})`,
          'since',
        );
      if (q.since > '2000-01-01') {
        // nothing is older
        where.push('at > @since');
        params.since = endOfLondonDay(addDays(q.since, -1));
      }
    }
    return { where, params };
  }
}

interface Row {
  entry_id: number;
  at: string;
  actor: string;
  action: AccessAction;
  pathway_id: string | null;
  address: string | null;
  detail: string | null;
}

function entryOf(r: Row): AccessEntry {
  return {
    entryId: r.entry_id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    pathwayId: r.pathway_id,
    address: r.address,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
  };
}
