// The command handler, in the manner of emmett's handleCommand: an append is parsed (the vocabulary
// and the trust's code lists), the pathway LOADED from its row (state: machine snapshot and clock
// fold), the event DECIDED on (decide.ts: the machine, the guard rails, the clocks), APPENDED to the
// event log and PROJECTED (the row by toRow, the search terms and the latest comment), all in one
// unit of work; the store NOTIFIES its listeners (the live hub) once it has committed.
import { AppError } from '../errors.ts';
import { instantOf, londonDateOf, type Instant, type IsoDate } from '../vocabulary/calendar.ts';
import { describeIssue, pathwayEvent, type PathwayEvent } from '../vocabulary/events.ts';
import type { Clocks } from '../cwt/clocks.ts';
import { allowedNextOf, clocksOf, pathwayFromEvents, stageOfState, type PathwayState } from '../domain/pathway.ts';
import { today } from '../wall-clock.ts';
import type { EventSource } from '../store/event-log.ts';
import { isUniqueViolation, sameRequest } from '../store/idempotency.ts';
import { stateFromRow, toRow, type PathwayRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';
import { decide, type Loaded } from './decide.ts';
import { projectWorkspace } from './project.ts';

export interface AppendOptions {
  actor: string;
  idempotencyKey?: string;
  /** When the event was recorded; defaults to the store's clock. Imports of history may give their own. */
  recordedAt?: Instant;
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

/** The store's modules the command handler uses. */
export type CommandStore = Pick<
  Store,
  | 'unitOfWork'
  | 'clock'
  | 'rows'
  | 'log'
  | 'idempotency'
  | 'codes'
  | 'backlog'
  | 'search'
  | 'comments'
  | 'timed'
  | 'providers'
>;

/** A pathway appended to in the current batch: its row is written when the batch ends. */
interface Pending extends Loaded {
  old: PathwayRow | undefined;
}

export class PathwayCommands {
  private readonly store: CommandStore;

  constructor(store: CommandStore) {
    this.store = store;
  }

  /**
   * One event, in its own unit of work, or in the caller's when called inside one (the inbox, the
   * HL7 feed): then a refusal throws AppError having written nothing, and the caller may carry on.
   */
  append(pathwayId: string, expectedVersion: number | undefined, event: unknown, options: AppendOptions): AppendResult {
    return this.store.unitOfWork(() => this.appendOne({ pathwayId, expectedVersion, event, ...options }));
  }

  /**
   * Bulk append in ONE transaction: all of the batch is written or none of it. An item the rules
   * refuse is reported and skipped (it writes nothing); any other failure rolls the batch back.
   */
  appendMany(items: AppendRequest[]): (AppendOutcome | AppError)[] {
    const { unitOfWork, rows, timed } = this.store;
    return unitOfWork(
      () => {
        // Within the batch each pathway's state is kept in memory and its row written once, at the end.
        const pending = new Map<string, Pending>();
        const outcomes = items.map((item) => {
          try {
            return this.appendOne(item, false, pending);
          } catch (err) {
            if (err instanceof AppError) return err;
            throw err;
          }
        });
        const definitions = timed.definitions();
        for (const [id, p] of pending)
          rows.write(p.old, toRow(id, p.version, p.state, p.updatedAt, definitions, p.review));
        return outcomes;
      },
      { history: true },
    );
  }

  private appendOne(req: AppendRequest): AppendResult;
  private appendOne(req: AppendRequest, withResult: false, pending: Map<string, Pending>): AppendOutcome;
  private appendOne(
    req: AppendRequest,
    withResult = true,
    pending?: Map<string, Pending>,
  ): AppendResult | AppendOutcome {
    const { clock, idempotency } = this.store;
    const event = this.parse(req.event);
    const recordedAt = req.recordedAt ?? instantOf(clock.now());
    try {
      return this.appendChecked(req, event, recordedAt, withResult, pending);
    } catch (err) {
      // A repeat of an earlier append (same idempotency key, or same event id) fails the checks or
      // a unique key: only then is the earlier one looked up, so new events pay no extra lookup.
      const earlier =
        err instanceof AppError || isUniqueViolation(err)
          ? idempotency.earlier(req.pathwayId, req.idempotencyKey, event.id)
          : undefined;
      if (!earlier) throw err;
      const first = sameRequest(req.pathwayId, event, earlier);
      return withResult ? this.firstResult(req.pathwayId, earlier.version, first) : 'duplicate';
    }
  }

  /** The event in the vocabulary, with codes from the lists the trust keeps; or a refusal naming the field. */
  private parse(raw: unknown): PathwayEvent {
    const parsed = pathwayEvent.safeParse(raw);
    if (!parsed.success) {
      const { field, message } = describeIssue(parsed.error);
      throw new AppError('invalid_event', `${field || 'event'}: ${message}`, field);
    }
    const { codes } = this.store;
    const codeProblem = codes.eventProblem(parsed.data);
    if (codeProblem)
      throw new AppError('invalid_event', `${codeProblem.field}: ${codeProblem.message}`, codeProblem.field);
    return parsed.data;
  }

  private appendChecked(
    req: AppendRequest,
    event: PathwayEvent,
    recordedAt: Instant,
    withResult: boolean,
    pending?: Map<string, Pending>,
  ): AppendResult | AppendOutcome {
    const { rows, log, backlog, clock, timed } = this.store;
    // load
    const held = pending?.get(req.pathwayId);
    const row = held ? held.old : rows.get(req.pathwayId);
    const prior: Loaded | undefined =
      held ??
      (row
        ? { state: stateFromRow(row), version: row.version, updatedAt: row.updated_at, review: row.needs_review }
        : undefined);
    const current = prior?.version ?? 0;
    // A system clock stepped back (as NTP may) must not refuse a tracker's entry: an event timed by
    // the store's own clock is recorded no earlier than the pathway's last one.
    if (prior && req.recordedAt === undefined && recordedAt < prior.updatedAt) recordedAt = prior.updatedAt;
    const asOf = londonDateOf(new Date(recordedAt));
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
    // decide
    const version = current + 1;
    const { state, review } = decide(
      req.pathwayId,
      prior,
      event,
      version,
      asOf,
      req.entered ? { today: asOf } : {},
      () => log.ofPathway(req.pathwayId).map((e) => e.event),
    );
    // append: an id this pathway already used fails the UNIQUE (pathway_id, event_id) key, which appendOne answers.
    const eventId = event.id ?? `#${version}`;
    log.append({
      pathwayId: req.pathwayId,
      version,
      eventId,
      event: { ...event, id: eventId },
      recordedAt,
      actor: req.actor,
      idempotencyKey: req.idempotencyKey ?? null,
      source: req.source ?? null,
    });
    // project
    projectWorkspace(this.store, req.pathwayId, event, prior?.state.details, state.details);
    backlog.recordedOn(asOf, today(clock));
    if (pending) pending.set(req.pathwayId, { old: row, state, review, version, updatedAt: recordedAt });
    else rows.write(row, toRow(req.pathwayId, version, state, recordedAt, timed.definitions(), review));
    return withResult ? result(req.pathwayId, version, eventId, state, asOf, false) : 'written';
  }

  /** A repeated idempotency key answers with the first append's result, as it was then. */
  private firstResult(pathwayId: string, version: number, first: PathwayEvent): AppendResult {
    const { log } = this.store;
    const history = log.ofPathway(pathwayId).filter((e) => e.version <= version);
    const asOf = londonDateOf(new Date(history[history.length - 1]!.recordedAt));
    const state = pathwayFromEvents(
      history.map((e) => e.event),
      asOf,
    );
    return result(pathwayId, version, first.id!, state, asOf, true);
  }
}

function result(
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
