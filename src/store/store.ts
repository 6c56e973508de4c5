// The database's modules, one per table and read model (each owns its table and its queries), and
// the unit of work they are written in: one IMMEDIATE transaction; once it has committed, the
// in-memory backlog index takes the pathway rows it changed and the listeners (the live hub) are
// told. Appending events is the command handler's (src/pathways); reads that join several of these
// modules are src/queries. Only src/store touches the database.
import { type WallClock, today } from '../wall-clock.ts';
import { RULES_VERSION } from '../cwt/clocks.ts';
import type { Db } from './db.ts';
import { Backlog } from './backlog.ts';
import { EventLog } from './event-log.ts';
import { Idempotency } from './idempotency.ts';
import { PathwayRows, PROJECTION_VERSION } from './pathway-row.ts';
import { Ptl } from './ptl.ts';
import { Users } from './users.ts';
import { AccessLog } from './access-log.ts';
import { Comments } from './comments.ts';
import { Search } from './search.ts';
import { Assignments } from './assignments.ts';
import { Mdt } from './mdt.ts';
import { Settings } from './settings.ts';
import { CodeLists } from './cwt-codes.ts';
import { Ptl31 } from './ptl31.ts';
import { Inbox } from './inbox.ts';
import { TimedPathways } from './timed-pathways.ts';
import { PathwayProviders } from './pathway-providers.ts';
import { BreachRisks } from './breach-risks.ts';
import { ImdLookup } from './imd-lookup.ts';
import { MessageLinks } from './message-links.ts';

export type CommitListener = (commit: { pathwayIds: string[] }) => void;

export interface UnitOfWorkOptions {
  /** Synced to disk before it returns (synchronous = FULL): it survives a power cut, not only a killed process. */
  durable?: boolean;
  /**
   * History written in bulk (an import, a rebuild): the days that have ended are not sealed into
   * backlog snapshots first, since what is written may change them.
   */
  history?: boolean;
}

export class Store {
  readonly rows: PathwayRows;
  readonly log: EventLog;
  readonly idempotency: Idempotency;
  readonly ptl: Ptl;
  readonly backlog: Backlog;
  readonly users: Users;
  /** Who saw what (issue #16): buffered, written once a second and at close. */
  readonly access: AccessLog;
  // ---- workspace (#15): read models of the trackers' and MDT coordinators' workspace ----
  readonly comments: Comments;
  readonly search: Search;
  readonly assignments: Assignments;
  readonly mdt: Mdt;
  readonly settings: Settings;
  /** The national CWT code lists the trust keeps, and the monthly CSV's columns (issue #14). */
  readonly codes: CodeLists;
  /** The 31-day PTL of treatments after the first (issue #14). */
  readonly ptl31: Ptl31;
  /** The inbound feed's messages, the trackers' inbox and the clinic rules (issue #17). */
  readonly inbox: Inbox;
  /** The timed pathway definitions in force: shipped, with the trust's changes (issue #26). */
  readonly timed: TimedPathways;
  /** Every provider each pathway has been at: who a scoped user sees (issue #25). */
  readonly providers: PathwayProviders;
  /** Each open pathway's breach risk from the latest day's forecast (issue #23). */
  readonly risks: BreachRisks;
  /** The trust's deprivation lookup: postcode to IMD decile (issue #27). */
  readonly imd: ImdLookup;
  /** Messages that matched no open pathway, and the links trackers make from them (issue #28). */
  readonly messageLinks: MessageLinks;
  private readonly listeners = new Set<CommitListener>();
  private readonly totalChanges;

  constructor(
    private readonly db: Db,
    readonly clock: WallClock,
  ) {
    // A read-only database (a copy on read-only storage) still answers the backlog and the report:
    // the past days' snapshots they make are kept in a temporary table instead.
    if (db.readonly)
      db.exec(
        'CREATE TEMP TABLE backlog_snapshots (day TEXT PRIMARY KEY, counts TEXT NOT NULL); INSERT INTO temp.backlog_snapshots SELECT day, counts FROM main.backlog_snapshots',
      );
    this.rows = new PathwayRows(db);
    this.log = new EventLog(db);
    this.idempotency = new Idempotency(db);
    this.comments = new Comments(db);
    this.search = new Search(db);
    this.assignments = new Assignments(db);
    this.mdt = new Mdt(db);
    this.settings = new Settings(db);
    this.risks = new BreachRisks(db);
    this.ptl = new Ptl(db, this.comments, this.assignments, this.risks);
    this.backlog = new Backlog(db, this.rows, this.log);
    this.users = new Users(db, clock);
    this.access = new AccessLog(db, clock);
    this.codes = new CodeLists(db);
    this.ptl31 = new Ptl31(db);
    this.inbox = new Inbox(db);
    this.timed = new TimedPathways(db);
    this.providers = new PathwayProviders(db);
    this.imd = new ImdLookup(db);
    this.messageLinks = new MessageLinks(db);
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
  }

  /** The database's file (null in memory): where a worker thread opens its own connection. */
  get file(): string | null {
    return this.db.memory ? null : this.db.name;
  }

  get readonly(): boolean {
    return this.db.readonly;
  }

  /**
   * Runs `fn` in ONE transaction: all of it or none. A unit of work started inside another joins
   * it. After the commit the backlog index takes the changed rows, and the listeners hear of every
   * commit that changed something (an append, or another read model's tables: the inbox).
   * An arrow, so a caller given only this can call it.
   */
  readonly unitOfWork = <T>(fn: () => T, opts: UnitOfWorkOptions = {}): T => {
    if (this.db.inTransaction) return fn();
    if (!opts.history) this.backlog.seal(today(this.clock));
    const before = this.totalChanges.get();
    const synchronous = opts.durable ? this.db.pragma('synchronous', { simple: true }) : null;
    if (opts.durable) this.db.pragma('synchronous = FULL');
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (err) {
      this.rows.takeChanges(); // rolled back: the index must not hear of them
      throw err;
    } finally {
      if (synchronous !== null) this.db.pragma(`synchronous = ${Number(synchronous)}`);
    }
    const changes = this.rows.takeChanges();
    this.backlog.committed(changes);
    if (this.totalChanges.get() !== before) {
      const pathwayIds = [...new Set(changes.map(([, row]) => row.pathway_id))];
      for (const listener of this.listeners) listener({ pathwayIds });
    }
    return result;
  };

  /** Called after every commit that changed something (the live hub listens here). */
  readonly onCommit = (listener: CommitListener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The versions of the clock rules and of the row's shape that the projection was made with (0: never). */
  projectionVersions(): { rules: number; projection: number } {
    const meta = (key: string) => Number(this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) ?? 0);
    return { rules: meta('clock_rules_version'), projection: meta('projection_version') };
  }

  /** Notes that the projection is made with the current clock rules and row shape (by a rebuild, or on a new database). */
  projectionIsCurrent(): void {
    const set = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    set.run('clock_rules_version', String(RULES_VERSION));
    set.run('projection_version', String(PROJECTION_VERSION));
  }

  /** The version of the clock rules the projection was folded with. */
  rulesVersion(): number {
    return this.projectionVersions().rules;
  }

  /** An online copy of the database (pages copied while the store stays usable). */
  backup(file: string): Promise<{ totalPages: number }> {
    return this.db.backup(file);
  }

  close(): void {
    this.access.close();
    this.db.close();
  }
}
