// The access_log table: who saw which patient, who queried the PTL and what came back, who made a
// report, who signed in (or failed to), and what admins changed. Entries are buffered in memory
// and written in one transaction per second (or per thousand), so a read costs no write of its
// own and an append never waits for the audit; the buffer is written at shutdown too. At most
// the last second of entries is lost if the process is killed outright.
// No patient details: a pathway id is the only reference to a patient (db/migrations/011).
import { AppError } from '../errors.ts';
import type { WallClock } from '../wall-clock.ts';
import { addDays, endOfLondonDay, isIsoDate } from '../vocabulary/calendar.ts';
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
  Partial<Pick<AccessEntry, 'at' | 'pathwayId' | 'address' | 'detail'>>;

export interface AccessQuery {
  /** A user's name (their requests, actor user:NAME), or an actor as written (cli:root). */
  user?: string;
  pathwayId?: string;
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
        'INSERT INTO access_log (at, actor, action, pathway_id, address, detail) VALUES (@at, @actor, @action, @pathwayId, @address, @detail)',
      );
      this.db
        .transaction(() => {
          for (const e of batch) insert.run(e);
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
        return this.sql('DELETE FROM access_log WHERE at < ?').run(keptFrom).changes;
      })
      .immediate();
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
    if (q.pathwayId !== undefined) {
      where.push('pathway_id = @pathwayId');
      params.pathwayId = q.pathwayId;
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
