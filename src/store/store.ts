// The event store's write path: every append validates the event, asks the machine, computes
// the clocks and writes the event and the pathway row in ONE transaction, then tells the
// listeners (the live hub). The read models each own their table and queries: pathway-row.ts,
// ptl.ts, backlog.ts, event-log.ts, idempotency.ts, users.ts. Only src/store touches the database.
import { AppError } from '../errors.ts';
import { type WallClock, today } from '../wall-clock.ts';
import { endOfLondonDay, londonDateOf, type IsoDate } from '../vocabulary/calendar.ts';
import { RULES_VERSION, type ClockFacts, type Clocks } from '../cwt/clocks.ts';
import { describeIssue, pathwayEvent, type PathwayEvent } from '../vocabulary/events.ts';
import {
  advancePathway,
  allowedNextOf,
  clocksOf,
  pathwayFromEvents,
  pathwayForReview,
  stageOfState,
  startPathway,
  type PatientDetails,
  type PathwayState,
} from '../domain/pathway.ts';
import { guardRailProblems, type GuardOptions } from '../domain/guard-rails.ts';
import { checkDates, TimelineError } from '../domain/timeline.ts';
import type { Db } from './db.ts';
import { Backlog } from './backlog.ts';
import { EventLog, type EventSource, type StoredEvent } from './event-log.ts';
import { Idempotency, isUniqueViolation, sameRequest } from './idempotency.ts';
import { PathwayRows, PROJECTION_VERSION, stateFromRow, toRow, type PathwayRow } from './pathway-row.ts';
import { Ptl } from './ptl.ts';
import { Users } from './users.ts';
import { AccessLog } from './access-log.ts';
import { pathwayFromKeptHistory, reviewOf } from './kept-history.ts';
import { Comments } from './comments.ts';
import { Search } from './search.ts';
import { Assignments } from './assignments.ts';
import { Mdt } from './mdt.ts';
import { Settings } from './settings.ts';
import { nextBooking } from '../cwt/tracking.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import { unusualEvents } from '../domain/unusual-events.ts';
import { CodeLists } from './cwt-codes.ts';
import { Ptl31 } from './ptl31.ts';
import { Inbox } from './inbox.ts';

export interface AppendOptions {
  actor: string;
  idempotencyKey?: string;
  /** When the event was recorded; defaults to the store's clock. Imports of history may give their own. */
  recordedAt?: string;
  /** Entered by a person (the API, the forms): the guard rails for entry apply too (R18: a referral over two years old). */
  entered?: boolean;
  /** Where a feed supplied the event (issue #17): kept beside it in the event log. */
  source?: EventSource;
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

/** What a bulk append reports per item, without computing clocks for the answer. */
export type AppendOutcome = 'written' | 'duplicate';

/** A pathway appended to in the current batch: its row is written when the batch ends. */
interface Pending {
  old: PathwayRow | undefined;
  state: PathwayState;
  review: string | null;
  version: number;
  updatedAt: string;
}

type Listener = (commit: { pathwayIds: string[] }) => void;

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
  private readonly listeners = new Set<Listener>();
  private rowChanges: [PathwayRow | undefined, PathwayRow][] = [];

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
    this.ptl = new Ptl(db, this.comments, this.assignments);
    this.backlog = new Backlog(db, this.rows, this.log);
    this.users = new Users(db, clock);
    this.access = new AccessLog(db, clock);
    this.codes = new CodeLists(db);
    this.ptl31 = new Ptl31(db);
    this.inbox = new Inbox(db);
    this.upgradeRules();
  }

  /**
   * A database last folded under older clock rules, or projected into an older shape of row
   * (PROJECTION_VERSION), is recomputed from its events (never rewritten).
   */
  private upgradeRules(): void {
    const meta = (key: string) => Number(this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) ?? 0);
    if (meta('clock_rules_version') >= RULES_VERSION && meta('projection_version') >= PROJECTION_VERSION) return;
    if (this.db.readonly)
      throw new AppError(
        'storage_read_only',
        'the database is read-only and was folded under older clock rules: open it once where it can be written',
      );
    if (this.log.count() > 0) this.rebuild();
    else this.noteVersions();
  }

  private noteVersions(): void {
    const set = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    set.run('clock_rules_version', String(RULES_VERSION));
    set.run('projection_version', String(PROJECTION_VERSION));
  }

  /** The version of the clock rules the projection was folded with. */
  rulesVersion(): number {
    return Number(this.db.prepare("SELECT value FROM meta WHERE key = 'clock_rules_version'").pluck().get() ?? 0);
  }

  /** Called after every commit that wrote something (the live hub listens here). */
  onCommit(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(pathwayId: string, expectedVersion: number | undefined, event: unknown, options: AppendOptions): AppendResult {
    this.backlog.seal(today(this.clock));
    const result = this.write(() => this.appendInTransaction({ pathwayId, expectedVersion, event, ...options }));
    if (!result.duplicate) this.committed([pathwayId]);
    return result;
  }

  /**
   * Bulk append in ONE transaction: all of the batch is written or none of it. An item the rules
   * refuse is reported and skipped (it writes nothing); any other failure rolls the batch back.
   */
  appendMany(items: AppendRequest[]): (AppendOutcome | AppError)[] {
    const results = this.write(() => {
      // Within the batch each pathway's state is kept in memory and its row written once, at the end.
      const pending = new Map<string, Pending>();
      const outcomes = items.map((item) => {
        try {
          return this.appendInTransaction(item, false, pending);
        } catch (err) {
          if (err instanceof AppError) return err;
          throw err;
        }
      });
      for (const [id, p] of pending) this.writeRow(p.old, toRow(id, p.version, p.state, p.updatedAt, p.review));
      return outcomes;
    });
    const written = results.flatMap((r, i) => (r === 'written' ? [items[i]!.pathwayId] : []));
    if (written.length) this.committed([...new Set(written)]);
    return results;
  }

  /**
   * The caller's own writes (another read model's tables: the inbox) and appends, in ONE
   * transaction: all of it or none (issue #17). `append` answers as append() does; an append the
   * rules refuse throws AppError having written nothing, and the caller may carry on without it.
   * The listeners hear of every commit, so a change to the inbox alone reaches the live hub.
   * `durable`: the commit is synced to disk before this returns (synchronous = FULL), so it survives
   * a power cut too, not only a killed process: for a feed whose sender forgets what was acknowledged.
   */
  unitOfWork<T>(fn: (append: (req: AppendRequest) => AppendResult) => T, opts: { durable?: boolean } = {}): T {
    this.backlog.seal(today(this.clock));
    const touched = new Set<string>();
    const before = opts.durable ? this.db.pragma('synchronous', { simple: true }) : null;
    if (opts.durable) this.db.pragma('synchronous = FULL');
    try {
      const result = this.write(() =>
        fn((req) => {
          const r = this.appendInTransaction(req);
          if (!r.duplicate) touched.add(req.pathwayId);
          return r;
        }),
      );
      this.committed([...touched]);
      return result;
    } finally {
      if (before !== null) this.db.pragma(`synchronous = ${Number(before)}`);
    }
  }

  /** One IMMEDIATE transaction; the backlog index hears of the row changes only once it has committed. */
  private write<T>(fn: () => T): T {
    this.rowChanges = [];
    try {
      const result = this.db.transaction(fn).immediate();
      this.backlog.committed(this.rowChanges);
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
  private appendInTransaction(
    req: AppendRequest,
    withResult = true,
    pending?: Map<string, Pending>,
  ): AppendResult | AppendOutcome {
    const parsed = pathwayEvent.safeParse(req.event);
    if (!parsed.success) {
      const { field, message } = describeIssue(parsed.error);
      throw new AppError('invalid_event', `${field || 'event'}: ${message}`, field);
    }
    const event = parsed.data;
    const codeProblem = this.codes.eventProblem(event); // codes from the lists the trust keeps
    if (codeProblem)
      throw new AppError('invalid_event', `${codeProblem.field}: ${codeProblem.message}`, codeProblem.field);
    const recordedAt = req.recordedAt ?? this.clock.now().toISOString();
    const asOf = londonDateOf(new Date(recordedAt));
    try {
      return this.appendChecked(req, event, recordedAt, asOf, withResult, pending);
    } catch (err) {
      // A repeat of an earlier append (same idempotency key, or same event id) fails the checks or
      // a unique key: only then is the earlier one looked up, so new events pay no extra lookup.
      const earlier =
        err instanceof AppError || isUniqueViolation(err)
          ? this.idempotency.earlier(req.pathwayId, req.idempotencyKey, event.id)
          : undefined;
      if (!earlier) throw err;
      const first = sameRequest(req.pathwayId, event, earlier);
      return withResult ? this.firstResult(req.pathwayId, earlier.version, first) : 'duplicate';
    }
  }

  private appendChecked(
    req: AppendRequest,
    event: PathwayEvent,
    recordedAt: string,
    asOf: IsoDate,
    withResult: boolean,
    pending?: Map<string, Pending>,
  ): AppendResult | AppendOutcome {
    const held = pending?.get(req.pathwayId);
    const row = held ? held.old : this.rows.get(req.pathwayId);
    const prior =
      held ??
      (row
        ? { state: stateFromRow(row), version: row.version, updatedAt: row.updated_at, review: row.needs_review }
        : undefined);
    const current = prior?.version ?? 0;
    // A system clock stepped back (as NTP may) must not refuse a tracker's entry: an event timed by
    // the store's own clock is recorded no earlier than the pathway's last one.
    if (prior && req.recordedAt === undefined && recordedAt < prior.updatedAt) {
      recordedAt = prior.updatedAt;
      asOf = londonDateOf(new Date(recordedAt));
    }
    // The record runs forward in time: "as at" queries rely on a pathway's last event being its latest recorded.
    if (prior && recordedAt < prior.updatedAt) {
      throw new AppError(
        'invalid_timeline',
        `recordedAt: ${recordedAt} is earlier than this pathway's last recorded event (${prior.updatedAt})`,
        'recordedAt',
      );
    }
    if (req.expectedVersion !== undefined && req.expectedVersion !== current) {
      throw new AppError(
        'stale_version',
        `expected version ${req.expectedVersion} but the pathway is at version ${current}; reload it and try again`,
        'expectedVersion',
        { currentVersion: current },
      );
    }
    const version = current + 1;
    const { state, review } = this.nextState(
      req.pathwayId,
      prior,
      event,
      version,
      asOf,
      req.entered ? { today: asOf } : {},
    );
    const eventId = event.id ?? `#${version}`;
    // An id this pathway already used fails the UNIQUE (pathway_id, event_id) key: appendInTransaction answers it.
    this.log.append({
      pathwayId: req.pathwayId,
      version,
      eventId,
      event: { ...event, id: eventId },
      recordedAt,
      actor: req.actor,
      idempotencyKey: req.idempotencyKey ?? null,
      source: req.source ?? null,
    });
    this.workspaceReadModels(req.pathwayId, event, prior?.state.details, state.details);
    this.backlog.recordedOn(asOf, today(this.clock));
    if (pending) pending.set(req.pathwayId, { old: row, state, review, version, updatedAt: recordedAt });
    else this.writeRow(row, toRow(req.pathwayId, version, state, recordedAt, review));
    return withResult ? this.result(req.pathwayId, version, eventId, state, asOf, false) : 'written';
  }

  /**
   * Workspace (#15): the search terms of a new patient, or of one whose details were corrected
   * (#17, or such a correction voided); the latest comment when a note is recorded or anything voided.
   */
  private workspaceReadModels(
    pathwayId: string,
    event: PathwayEvent,
    before: PatientDetails | undefined,
    after: PatientDetails,
  ): void {
    if (!before) this.search.add(pathwayId, after.nhsNumber, after.patientName);
    else if (before.nhsNumber !== after.nhsNumber || before.patientName !== after.patientName)
      this.search.replace(pathwayId, before, after);
    if (event.type === 'note' || event.type === 'event_voided')
      this.comments.refresh(pathwayId, this.log.ofPathway(pathwayId));
  }

  private writeRow(old: PathwayRow | undefined, row: PathwayRow): void {
    this.rowChanges.push([old, row]); // for the in-memory backlog index, once committed
    this.rows.write(old, row);
  }

  /**
   * Validates the event against the pathway and returns the state after it, with the pathway's
   * review flag (throws AppError). The event itself must pass every guard rail; problems in
   * history kept from before a guard rail existed stay flagged until corrected.
   */
  private nextState(
    pathwayId: string,
    prior: { state: PathwayState; review: string | null } | undefined,
    event: PathwayEvent,
    version: number,
    asOf: IsoDate,
    guard: GuardOptions,
  ): { state: PathwayState; review: string | null } {
    try {
      if (!prior) {
        if (event.type !== 'referral_received')
          throw new AppError(
            'unknown_pathway',
            `no pathway ${pathwayId}: a pathway starts with referral_received`,
            'pathwayId',
          );
        checkDates(0, event, event.on, asOf);
        return { state: startPathway(event, guard), review: null };
      }
      if (event.type === 'referral_received')
        throw new AppError('pathway_exists', `pathway ${pathwayId} already has a referral`, 'type');
      const fast = advancePathway(prior.state, event, version - 1, asOf, guard);
      if (fast) return { state: fast, review: prior.review };
      // A correction or a back-dated event: check the whole timeline again with it in place.
      const events = [
        ...this.log.ofPathway(pathwayId).map((e) => e.event),
        { ...event, id: event.id ?? `#${version}` },
      ];
      const known = guardRailProblems(events.slice(0, -1));
      const state = pathwayFromEvents(events, asOf, { ...guard, tolerate: known });
      return { state, review: reviewOf(events, guardRailProblems(events)) };
    } catch (err) {
      if (!(err instanceof TimelineError)) throw err;
      if (err.kind === 'not_allowed') {
        throw new AppError(
          'not_allowed',
          `${event.type} is not allowed in stage ${err.stage}; allowed: ${err.allowed?.join(', ') || 'none'}`,
          'type',
          { stage: err.stage, allowedEvents: err.allowed },
        );
      }
      throw new AppError('invalid_timeline', `${err.field}: ${err.reason}`, err.field);
    }
  }

  /** A repeated idempotency key answers with the first append's result, as it was then. */
  private firstResult(pathwayId: string, version: number, first: PathwayEvent): AppendResult {
    const history = this.log.ofPathway(pathwayId).filter((e) => e.version <= version);
    const asOf = londonDateOf(new Date(history[history.length - 1]!.recordedAt));
    const state = pathwayFromEvents(
      history.map((e) => e.event),
      asOf,
    );
    return this.result(pathwayId, version, first.id!, state, asOf, true);
  }

  private result(
    pathwayId: string,
    version: number,
    eventId: string,
    state: PathwayState,
    asOf: IsoDate,
    duplicate: boolean,
  ): AppendResult {
    const clocks = clocksOf(state, asOf);
    return {
      pathwayId,
      version,
      eventId,
      stage: stageOfState(state),
      status: clocks.status,
      clocks,
      allowedEvents: allowedNextOf(state),
      duplicate,
    };
  }

  // ---- reads that join the event log and the rows --------------------------------------------

  events(pathwayId: string): StoredEvent[] {
    return this.log.ofPathway(pathwayId);
  }

  /** A pathway with its events and its clocks as of today; null when there is no such pathway. */
  pathway(pathwayId: string, asOf: IsoDate = today(this.clock)) {
    const row = this.rows.get(pathwayId);
    if (!row) return null;
    const state = stateFromRow(row);
    const allowedEvents = allowedNextOf(state);
    return {
      pathwayId,
      version: row.version,
      stage: row.stage,
      status: row.status,
      patient: {
        nhsNumber: row.nhs_number,
        name: row.patient_name,
        dateOfBirth: row.date_of_birth,
        localPatientId: row.local_patient_id,
      },
      tumourSite: row.tumour_site,
      route: row.route,
      provider: row.provider,
      nextAction: row.next_action
        ? { action: row.next_action, due: row.next_action_due, kind: row.next_action_kind }
        : null,
      needsReview: row.needs_review,
      clocks: clocksOf(state, asOf),
      allowedEvents,
      events: this.log.ofPathway(pathwayId),
      // workspace (#15)
      asOf,
      booked: row.status === 'open' ? nextBooking(state.tracking) : null,
      awaitingMdtSince: row.awaiting_mdt_since,
      comment: this.comments.get(pathwayId),
      assignee: this.assignments.of(pathwayId),
      mdtMeetings: this.mdt.meetingsOf(pathwayId),
      unusual: unusualEvents({ seen: state.fold.seen, referralOn: state.details.referralOn }).filter((u) =>
        allowedEvents.includes(u.type),
      ),
    };
  }

  // ---- workspace (#15): reads joining the rows, the events and the workspace's read models ----

  /** Open pathways with this NHS number and tumour site: a new referral for them may be a duplicate. */
  openDuplicatesOf(nhsNumber: string, tumourSite: string): { pathwayId: string; referralOn: string; stage: string }[] {
    return this.search
      .byNhsNumber(nhsNumber)
      .map((id) => this.rows.get(id)!)
      .filter((row) => row && row.status === 'open' && row.tumour_site === tumourSite)
      .map((row) => ({ pathwayId: row.pathway_id, referralOn: row.referral_on, stage: row.stage }));
  }

  /** Patients found by NHS number or name (search.ts), open pathways first, latest referral first. */
  searchPathways(query: string) {
    return this.search
      .find(query)
      .map((id) => this.rows.get(id))
      .filter((row): row is PathwayRow => row !== undefined)
      .map((row) => ({
        pathwayId: row.pathway_id,
        nhsNumber: row.nhs_number,
        patientName: row.patient_name,
        dateOfBirth: row.date_of_birth,
        tumourSite: row.tumour_site,
        stage: row.stage,
        status: row.status,
        referralOn: row.referral_on,
        provider: row.provider,
      }));
  }

  /** The `mdt_discussed` event that counts for this meeting on a pathway (voided ones left out), or null. */
  mdtOutcome(
    meetingId: number,
    pathwayId: string,
  ): { decision: string | null; comment: string | null; eventId: string } | null {
    const stored = this.log.ofPathway(pathwayId);
    let found: { decision: string | null; comment: string | null; eventId: string } | null = null;
    for (const { index, event } of effectiveTimeline(stored.map((e) => e.event))) {
      if (event.type === 'mdt_discussed' && event.meetingId === meetingId)
        found = { decision: event.decision ?? null, comment: event.outcome ?? null, eventId: stored[index]!.eventId };
    }
    return found;
  }

  /** A meeting with each listed patient: who, where they are, and what the MDT decided if it is recorded. */
  mdtMeeting(meetingId: number, asOf: IsoDate = today(this.clock)) {
    const meeting = this.mdt.meeting(meetingId);
    const ids = this.mdt.pathwaysOf(meetingId);
    const comments = this.comments.forPathways(ids);
    const patients = ids
      .map((id) => this.rows.get(id))
      .filter((row): row is PathwayRow => row !== undefined)
      .map((row) => {
        const state = stateFromRow(row);
        const clocks = clocksOf(state, asOf);
        const allowed = allowedNextOf(state);
        return {
          pathwayId: row.pathway_id,
          patientName: row.patient_name,
          nhsNumber: row.nhs_number,
          dateOfBirth: row.date_of_birth,
          tumourSite: row.tumour_site,
          provider: row.provider,
          stage: row.stage,
          status: row.status,
          version: row.version,
          daysWaiting: clocks.d62.state === 'running' ? clocks.d62.days : null,
          breachDate: clocks.d62.state === 'running' ? clocks.d62.breachDate : null,
          testsReportedSince: state.tracking.testsReportedSince,
          comment: comments.get(row.pathway_id) ?? null,
          outcome: this.mdtOutcome(meetingId, row.pathway_id),
          allowedEvents: allowed,
          unusual: unusualEvents({ seen: state.fold.seen, referralOn: state.details.referralOn }).filter((u) =>
            allowed.includes(u.type),
          ),
        };
      });
    return { meeting, asOf, patients };
  }

  /** Patients waiting for MDT (tests reported since their last discussion), with the meetings each is listed for since. */
  awaitingMdt(tumourSite: string | undefined, asOf: IsoDate = today(this.clock)) {
    const entries = this.ptl.awaitingMdt(tumourSite, asOf);
    const listed = this.mdt.listedFrom(
      entries.map((e) => e.pathwayId),
      '0000-01-01',
    );
    return {
      asOf,
      entries: entries.map((e) => ({
        ...e,
        listedFor: (listed.get(e.pathwayId) ?? []).filter((m) => m.meetsOn >= e.testsReportedSince),
      })),
    };
  }

  /**
   * Every pathway as it stood at `asAt` (events recorded by then), with its clocks as of `asOf`.
   * A pathway with nothing recorded since is read from its row; only the others are replayed.
   * With `activeSince`, pathways closed before that day are left out.
   */
  *pathwaysAsAt(
    asOf: IsoDate,
    asAt: string = endOfLondonDay(asOf),
    activeSince?: IsoDate,
  ): Generator<{
    pathwayId: string;
    stage: string;
    tumourSite: string;
    provider: string | null;
    state: PathwayState;
    clocks: Clocks;
  }> {
    for (const row of this.rows.withState(activeSince === undefined ? undefined : { activeSince, asAt })) {
      let state: PathwayState;
      if (row.updated_at <= asAt) {
        state = stateFromRow(row);
      } else {
        const known = this.log.recordedBy(row.pathway_id, asAt);
        if (known.length === 0) continue;
        state = pathwayFromKeptHistory(known);
      }
      yield {
        pathwayId: row.pathway_id,
        stage: stageOfState(state),
        tumourSite: state.details.tumourSite,
        provider: state.details.provider,
        state,
        clocks: clocksOf(state, asOf),
      };
    }
  }

  /**
   * Issue #14, the monthly national return: each pathway that, as it stood at `asAt`, has a
   * clinical fact `wanted` picks out (a treatment or an FDS end in the month), with its events
   * recorded by then, as today's vocabulary reads them.
   */
  *eventsAsAt(
    from: IsoDate,
    to: IsoDate,
    asAt: string,
    wanted: (facts: ClockFacts) => boolean,
  ): Generator<{ pathwayId: string; events: PathwayEvent[] }> {
    for (const row of this.rows.activeBetween(from, to, asAt)) {
      if (row.updated_at <= asAt) {
        if (!wanted(stateFromRow(row).fold.facts)) continue;
        yield { pathwayId: row.pathway_id, events: this.log.ofPathway(row.pathway_id).map((e) => e.event) };
      } else {
        const known = this.log.recordedBy(row.pathway_id, asAt);
        if (known.length > 0 && wanted(pathwayFromKeptHistory(known).fold.facts))
          yield { pathwayId: row.pathway_id, events: known };
      }
    }
  }

  // ---- upkeep --------------------------------------------------------------------------------

  /** Drops the projection and replays every pathway's events: the rows must come out identical. */
  rebuild(): { pathways: number; events: number } {
    let pathways = 0;
    let eventCount = 0;
    this.db
      .transaction(() => {
        this.rows.clear();
        this.search.clear();
        this.comments.clear();
        for (const { pathwayId, events } of this.log.byPathway()) {
          const last = events[events.length - 1]!;
          const kept = events.map((e) => e.event);
          const { state, problems } = pathwayForReview(kept);
          this.rows.write(undefined, toRow(pathwayId, last.version, state, last.recordedAt, reviewOf(kept, problems)));
          this.search.add(pathwayId, state.details.nhsNumber, state.details.patientName);
          if (kept.some((e) => e.type === 'note')) this.comments.refresh(pathwayId, this.log.ofPathway(pathwayId));
          pathways++;
          eventCount += events.length;
        }
        this.backlog.reset();
        this.noteVersions();
      })
      .immediate();
    this.committed([]);
    return { pathways, events: eventCount };
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
