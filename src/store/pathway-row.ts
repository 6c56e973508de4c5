// The pathways table: one row per pathway, the read model the PTL, the backlog and the pathway
// page read. Derived from a pathway's state by one function (toRow), so a replay and the
// one-event-at-a-time fast path write identical rows. Only this module writes the table.
import { awaitedThirtyOneDay, clocksFromFacts, firstDayOver, mergePauses, pausedDays } from '../cwt/clocks.ts';
import { addDays, FAR_FUTURE, type Instant, type IsoDate } from '../vocabulary/calendar.ts';
import { nextAction, type NextAction } from '../cwt/next-action.ts';
import type { Route, TumourSite } from '../vocabulary/events.ts';
import { milestonesOfState, stageOfState, type PathwayState } from '../domain/pathway.ts';
import { nextBooking, startTracking } from '../cwt/tracking.ts';
import { nextMilestone, startTimedFacts } from '../cwt/milestones.ts';
import type { TimedPathwayDefinition } from '../vocabulary/timed-pathways.ts';
import { statementCache, type Db } from './db.ts';
import type { EthnicCategory, SexCode } from '../vocabulary/equality.ts';

/** The row the PTL reads. Only date-independent values: days waiting are derived at read time. */
export interface PathwayRow {
  pathway_id: string;
  version: number;
  stage: string;
  status: 'open' | 'closed';
  state: string;
  nhs_number: string;
  patient_name: string | null;
  date_of_birth: IsoDate | null;
  tumour_site: string;
  route: string;
  provider: string | null;
  referral_on: IsoDate;
  last_on: IsoDate;
  clock_start: IsoDate;
  adjustment_days: number;
  fds_state: string;
  fds_stop: IsoDate | null;
  fds_breach_on: IsoDate | null;
  d31_state: string;
  d31_start: IsoDate | null;
  d31_stop: IsoDate | null;
  d31_breach_on: IsoDate | null;
  d62_state: string;
  d62_stop: IsoDate | null;
  d62_breach_on: IsoDate | null;
  d62_over28_on: IsoDate | null;
  d62_over104_on: IsoDate | null;
  next_action: string | null;
  next_action_due: IsoDate | null;
  updated_at: Instant;
  /** Why kept history breaks a guard rail the rules now have (R18): null when it does not. */
  needs_review: string | null;
  /** The clock start moved later by the whole known adjustment: days waiting = as-of date minus this, once every pause has ended. */
  d62_wait_from: IsoDate | null;
  /** The end of the latest known pause (R7), if any. */
  d62_pause_until: IsoDate | null;
  // ---- workspace (#15), migration 020 ----
  /** How next_action_due reads: 'milestone' (due by), 'booked' (on that day), 'follow_up' (the tracker's date). */
  next_action_kind: NextAction['kind'] | null;
  /** The earliest appointment or test booked whose outcome is not recorded yet (open pathways). */
  booked_on: IsoDate | null;
  /** Waiting for MDT: the first test reported since the last MDT discussion (open, before a decision to treat). */
  awaiting_mdt_since: IsoDate | null;
  // ---- treatments after the first (issue #14) ----
  /**
   * The 31-day start of the treatment awaited off the 62-day PTL: one after the first, or the first
   * of a pathway off the 62-day standard (31-day-only route, recurrence: issue #24). On the 31-day PTL.
   */
  next_d31_start: IsoDate | null;
  /** Its breach date (R2, allowing for its known pauses). */
  next_d31_breach_on: IsoDate | null;
  // ---- inbound feed (issue #17) ----
  /** The hospital's own number for the patient (the PAS number), to match its messages. */
  local_patient_id: string | null;
  // ---- timed pathways (issue #26), migration 070 ----
  /** The timed pathway definition the pathway takes (null: a consultant upgrade). */
  timed_pathway: string | null;
  /** Its next milestone not met (open pathways): the step, its due day, and the first day it is at risk (null: never). */
  milestone: string | null;
  milestone_due: IsoDate | null;
  milestone_at_risk_from: IsoDate | null;
  /** A screening referral's programme (given, or implied by its tumour site). */
  screening_programme: string | null;
  // ---- equality monitoring (issue #27), migration 090 ----
  sex: string | null;
  ethnic_category: string | null;
  /** Normalised; its deprivation decile is looked up when read (store/imd-lookup.ts), never stored here. */
  postcode: string | null;
}

/**
 * The shape of the row and of the state JSON: a database projected with an older one is
 * rebuilt from its events when it opens (src/pathways/open.ts). 2: tracking facts, next action from bookings (#15);
 * 3: the treatment after the first that is awaited (#14); 4: the hospital's number for the patient (#17);
 * 5: timed pathways, their next milestone and the referral's items (#26);
 * 6: sex, ethnic category and postcode, first appointments missed and the stage at diagnosis (#27).
 */
export const PROJECTION_VERSION = 6;

export function toRow(
  pathwayId: string,
  version: number,
  state: PathwayState,
  updatedAt: Instant,
  definitions: readonly TimedPathwayDefinition[],
  needsReview: string | null = null,
): PathwayRow {
  const { facts } = state.fold;
  // Clock states and breach dates do not depend on the as-of date; days do, so they are not stored.
  const clocks = clocksFromFacts(facts, state.details.lastOn);
  const pauses = mergePauses(facts.pauses);
  const adjustment = pausedDays(pauses, facts.start, FAR_FUTURE);
  const running = clocks.d62.state === 'running';
  const stage = stageOfState(state);
  const open = clocks.status === 'open';
  const { definition, planned } = milestonesOfState(state, definitions, open);
  const milestone = open ? nextMilestone(planned) : null;
  const next = open ? nextAction(stage, facts.start, clocks.d62.breachDate, state.tracking, milestone) : null;
  const d = state.details;
  const awaited = awaitedThirtyOneDay(facts);
  return {
    pathway_id: pathwayId,
    version,
    stage,
    status: clocks.status,
    state: JSON.stringify({ machine: state.machine, fold: state.fold, tracking: state.tracking, timed: state.timed }), // the details are the columns below
    nhs_number: d.nhsNumber,
    patient_name: d.patientName,
    date_of_birth: d.dateOfBirth,
    tumour_site: d.tumourSite,
    route: d.route,
    provider: d.provider,
    referral_on: d.referralOn,
    last_on: d.lastOn,
    clock_start: facts.start,
    adjustment_days: adjustment, // the whole known adjustment
    fds_state: clocks.fds.state,
    fds_stop: clocks.fds.stop,
    fds_breach_on: clocks.fds.breachDate,
    d31_state: clocks.d31.state,
    d31_start: clocks.d31.start,
    d31_stop: clocks.d31.stop,
    d31_breach_on: clocks.d31.breachDate,
    d62_state: clocks.d62.state,
    d62_stop: clocks.d62.stop,
    d62_breach_on: clocks.d62.breachDate,
    d62_over28_on: running ? firstDayOver(28, facts.start, pauses) : null,
    d62_over104_on: running ? firstDayOver(104, facts.start, pauses) : null,
    next_action: next?.action ?? null,
    next_action_due: next?.due ?? null,
    updated_at: updatedAt,
    needs_review: needsReview,
    d62_wait_from: running ? addDays(facts.start, adjustment) : null,
    d62_pause_until: running ? (pauses[pauses.length - 1]?.until ?? null) : null,
    next_action_kind: next?.kind ?? null,
    booked_on: open ? (nextBooking(state.tracking)?.on ?? null) : null,
    awaiting_mdt_since: open && !facts.decisionToTreat ? state.tracking.testsReportedSince : null,
    next_d31_start: awaited?.start ?? null,
    next_d31_breach_on: awaited ? firstDayOver(31, awaited.start, mergePauses(awaited.pauses)) : null,
    local_patient_id: d.localPatientId, // issue #17
    timed_pathway: definition?.pathway ?? null, // issue #26
    milestone: milestone?.name ?? null,
    milestone_due: milestone?.dueOn ?? null,
    milestone_at_risk_from: milestone?.atRiskFrom ?? null,
    screening_programme: state.timed.referral.screeningProgramme,
    sex: d.sex, // issue #27
    ethnic_category: d.ethnicCategory,
    postcode: d.postcode,
  };
}

/**
 * Rows of state read at a time by a pass over many pathways. Small enough that a chunk dies young:
 * 5,000 rows (about 10 MB of state text, with what is parsed from it) outlived V8's young
 * generation and were promoted, and the nightly report for a past day at 350,000 open grew to
 * 750 MB; at 500 it peaks under 400 MB, and takes a tenth less CPU (docs/benchmarks.md, issue #23).
 */
export const STATE_CHUNK = 500;

/** The columns a pathway's state is read back from. */
export const STATE_COLUMNS = [
  'state',
  'nhs_number',
  'patient_name',
  'date_of_birth',
  'tumour_site',
  'route',
  'provider',
  'referral_on',
  'last_on',
  'local_patient_id',
  'sex', // issue #27
  'ethnic_category',
  'postcode',
] as const;
export type StateColumns = Pick<PathwayRow, (typeof STATE_COLUMNS)[number]>;

/**
 * The patient's details are kept once, in their own columns, not again in the state JSON: a
 * smaller row (faster imports) and one place to correct or erase patient-identifiable data.
 * Rows written before this keep a copy of the details in the JSON; the columns win.
 */
export function stateFromRow(row: StateColumns): PathwayState {
  const { machine, fold, tracking, timed } = JSON.parse(row.state) as Omit<
    PathwayState,
    'details' | 'tracking' | 'timed'
  > &
    Partial<Pick<PathwayState, 'tracking' | 'timed'>>;
  return {
    machine,
    fold,
    // Rows projected before PROJECTION_VERSION 2 (tracking) and 5 (timed) are rebuilt on opening.
    tracking: tracking ?? startTracking(),
    timed:
      timed ??
      startTimedFacts({
        type: 'referral_received',
        on: row.referral_on,
        route: row.route as Route,
        tumourSite: row.tumour_site as TumourSite,
        nhsNumber: '',
      }),
    details: {
      nhsNumber: row.nhs_number,
      patientName: row.patient_name,
      dateOfBirth: row.date_of_birth,
      tumourSite: row.tumour_site as TumourSite,
      route: row.route as Route,
      provider: row.provider,
      referralOn: row.referral_on,
      lastOn: row.last_on,
      localPatientId: row.local_patient_id,
      sex: row.sex as SexCode | null, // issue #27
      ethnicCategory: row.ethnic_category as EthnicCategory | null,
      postcode: row.postcode,
    },
  };
}

/** Every column, in table order. */
export const PATHWAY_COLUMNS = [
  'pathway_id',
  'version',
  'stage',
  'status',
  'state',
  'nhs_number',
  'patient_name',
  'date_of_birth',
  'tumour_site',
  'route',
  'provider',
  'referral_on',
  'last_on',
  'clock_start',
  'adjustment_days',
  'fds_state',
  'fds_stop',
  'fds_breach_on',
  'd31_state',
  'd31_start',
  'd31_stop',
  'd31_breach_on',
  'd62_state',
  'd62_stop',
  'd62_breach_on',
  'd62_over28_on',
  'd62_over104_on',
  'next_action',
  'next_action_due',
  'updated_at',
  'needs_review',
  'd62_wait_from',
  'd62_pause_until',
  'next_action_kind',
  'booked_on',
  'awaiting_mdt_since', // workspace (#15)
  'next_d31_start',
  'next_d31_breach_on', // issue #14
  'local_patient_id', // issue #17
  'timed_pathway',
  'milestone',
  'milestone_due',
  'milestone_at_risk_from',
  'screening_programme', // issue #26
  'sex',
  'ethnic_category',
  'postcode', // issue #27
] as const satisfies readonly (keyof PathwayRow)[];

export type RowWithState = StateColumns & Pick<PathwayRow, 'pathway_id' | 'updated_at' | 'status' | 'next_d31_start'>;
/** An open pathway of a patient, as the inbound feed reads it (issue #17). */
export type PatientPathway = StateColumns & Pick<PathwayRow, 'pathway_id' | 'version' | 'stage'>;

/** A row written, with the row it replaced (none for a new pathway). */
export type RowChange = [old: PathwayRow | undefined, row: PathwayRow];

/** Which pathways a read "as at" a moment needs (PathwayRows.activeIds). */
export interface ActiveFilter {
  since: IsoDate;
  spans?: readonly { from: IsoDate; to: IsoDate }[];
}

/** One read "as at" a moment and what it needs: the pathways PathwayRows.activeIds lists for it. */
export interface ActiveCut {
  asAt: string;
  filter: ActiveFilter;
}

/**
 * The condition a row meets when the read as at each cut needs it (the parameters named by the
 * cut's place), as one test for any of them and as a mask saying which.
 */
function activeWhere(cuts: readonly ActiveCut[]) {
  const params: Record<string, string> = {};
  const each = cuts.map(({ asAt, filter: { since, spans = [] } }, c) => {
    params[`asAt${c}`] = asAt;
    params[`since${c}`] = since;
    const terms = ["status = 'open'", `last_on >= @since${c}`, `updated_at > @asAt${c}`];
    spans.forEach((s, i) => {
      terms.push(`(referral_on <= @to${c}_${i} AND last_on >= @from${c}_${i})`);
      params[`from${c}_${i}`] = s.from;
      params[`to${c}_${i}`] = s.to;
    });
    return `(${terms.join(' OR ')})`;
  });
  const mask = each.map((t, c) => `(CASE WHEN ${t} THEN ${1 << c} ELSE 0 END)`).join(' | ');
  return { where: each.join(' OR '), mask, params };
}

export class PathwayRows {
  private readonly sql;
  private changes: RowChange[] = [];
  private readonly insertRow;
  private readonly byId;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    this.insertRow = db.prepare(
      `INSERT INTO pathways (${PATHWAY_COLUMNS.join(', ')}) VALUES (${PATHWAY_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    this.byId = db.prepare('SELECT * FROM pathways WHERE pathway_id = ?');
  }

  get(pathwayId: string): PathwayRow | undefined {
    return this.byId.get(pathwayId) as PathwayRow | undefined;
  }

  /**
   * Writes a row (true when anything changed), updating only the columns that changed: SQLite then rewrites only the indexes
   * over those columns, which keeps bulk imports fast. The change is kept for the unit of work,
   * which hands it to the in-memory backlog index once the transaction has committed.
   */
  write(old: PathwayRow | undefined, row: PathwayRow): boolean {
    this.changes.push([old, row]);
    if (!old) {
      this.insertRow.run(row);
      return true;
    }
    const changed = PATHWAY_COLUMNS.filter((c) => c !== 'pathway_id' && old[c] !== row[c]);
    if (changed.length === 0) return false;
    const update = this.sql(
      `UPDATE pathways SET ${changed.map((c) => `${c} = @${c}`).join(', ')} WHERE pathway_id = @pathway_id`,
    );
    update.run(Object.fromEntries([['pathway_id', row.pathway_id], ...changed.map((c) => [c, row[c]])]));
    return true;
  }

  /** The rows written since the last call, each with the row it replaced. */
  takeChanges(): RowChange[] {
    const changes = this.changes;
    this.changes = [];
    return changes;
  }

  /** Empties the table, for a rebuild inside the caller's transaction. */
  clear(): void {
    this.db.exec('DELETE FROM pathways');
  }

  /** A rebuild's row, after clear(): not kept as a change (the backlog index is made again after a rebuild). */
  insert(row: PathwayRow): void {
    this.insertRow.run(row);
  }

  /**
   * Every row's state and last update, in pathway id order, a chunk at a time (no cursor held
   * open). With `activeSince`, only rows open, or with a clinical date on or after that day, or
   * updated after `asAt` (whose state then must be replayed), or awaiting a treatment after the
   * first: the others cannot matter to a report of what stood at `asAt` and stopped since `activeSince`.
   */
  *withState(filter?: { activeSince: string; asAt: string }): Generator<RowWithState> {
    // A pathway awaiting a treatment after the first is closed to the 62-day PTL but still on the 31-day one.
    const where = filter
      ? "AND (status = 'open' OR last_on >= @activeSince OR updated_at > @asAt OR next_d31_start IS NOT NULL)"
      : '';
    const chunk = this.sql(
      `SELECT pathway_id, updated_at, status, next_d31_start, ${STATE_COLUMNS.join(', ')} FROM pathways WHERE pathway_id > @after ${where} ORDER BY pathway_id LIMIT ${STATE_CHUNK}`,
    );
    let after = '';
    for (;;) {
      const rows = chunk.all({ after, ...filter }) as RowWithState[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.pathway_id;
      yield* rows;
    }
  }

  /**
   * Rows that may hold an event dated in [from, to] as they stood at `asAt`: a clinical date on or
   * after `from` and a referral by `to`, or written since `asAt` (replayed by the caller). In
   * pathway id order, a chunk at a time (issue #14: the monthly national return).
   */
  *activeBetween(from: string, to: string, asAt: string): Generator<RowWithState> {
    const chunk = this
      .sql(`SELECT pathway_id, updated_at, status, next_d31_start, ${STATE_COLUMNS.join(', ')} FROM pathways
      WHERE pathway_id > @after AND ((last_on >= @from AND referral_on <= @to) OR updated_at > @asAt) ORDER BY pathway_id LIMIT ${STATE_CHUNK}`);
    let after = '';
    for (;;) {
      const rows = chunk.all({ after, from, to, asAt }) as RowWithState[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.pathway_id;
      yield* rows;
    }
  }

  /** Every open pathway's whole row, in pathway id order, a chunk at a time (no cursor held open). */
  *open(): Generator<PathwayRow> {
    const chunk = this.sql(
      "SELECT * FROM pathways WHERE status = 'open' AND pathway_id > ? ORDER BY pathway_id LIMIT 5000",
    );
    let after = '';
    for (;;) {
      const rows = chunk.all(after) as PathwayRow[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.pathway_id;
      yield* rows;
    }
  }

  /** The open pathways at a stage, in pathway id order (issue #26: those awaiting triage). */
  openAtStage(stage: string): PathwayRow[] {
    return this.sql("SELECT * FROM pathways WHERE status = 'open' AND stage = ? ORDER BY pathway_id").all(
      stage,
    ) as PathwayRow[];
  }

  /**
   * The ids of the pathways that, at any of the cuts, may have been open at its `asAt`, or active
   * (a clinical date) on or after its `since` or within one of its `spans` (referred by its end, a
   * clinical date from its start), as they stood at `asAt`: rows updated since `asAt` are always
   * included (their state then is replayed by the caller). In id order, `size` at a time, each with
   * the cuts that need it (bit c for the c-th cut).
   */
  *activeIds(cuts: readonly ActiveCut[], size = 5000): Generator<{ ids: string[]; cuts: number[] }> {
    if (cuts.length > 30) throw new Error('activeIds: at most 30 cuts in one read');
    const { where, mask, params } = activeWhere(cuts);
    const chunk = this.sql(
      `SELECT pathway_id, ${mask} FROM pathways WHERE pathway_id > @after AND (${where}) ORDER BY pathway_id LIMIT ${size}`,
    ).raw();
    let after = '';
    for (;;) {
      const rows = chunk.all({ ...params, after }) as [string, number][];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]![0];
      yield { ids: rows.map((r) => r[0]), cuts: rows.map((r) => r[1]) };
    }
  }

  /** The earliest referral day of the pathways `activeIds` leaves out (null if none): they stood so at `asAt`. */
  earliestReferralLeftOut(asAt: string, filter: ActiveFilter): IsoDate | null {
    const { where, params } = activeWhere([{ asAt, filter }]);
    return (this.sql(`SELECT min(referral_on) FROM pathways WHERE NOT (${where})`).pluck().get(params) ??
      null) as IsoDate | null;
  }

  /** The earliest referral day of any pathway as it stands now (null if none). */
  firstReferralOn(): IsoDate | null {
    return (this.sql('SELECT min(referral_on) FROM pathways').pluck().get() ?? null) as IsoDate | null;
  }

  /** The pathways flagged for review, in id order. */
  *needingReview(): Generator<{ pathwayId: string; reasons: string }> {
    for (const row of this.sql(
      'SELECT pathway_id, needs_review FROM pathways WHERE needs_review IS NOT NULL ORDER BY pathway_id',
    ).iterate() as Iterable<{ pathway_id: string; needs_review: string }>) {
      yield { pathwayId: row.pathway_id, reasons: row.needs_review };
    }
  }

  // ---- inbound feed (issue #17) ----

  /**
   * The open pathways of a patient, by NHS number or else by the hospital's own number, in pathway
   * id order: how a message from the hospital's PAS finds its patient.
   */
  openForPatient(ids: { nhsNumber?: string | null; localPatientId?: string | null }, limit = 100): PatientPathway[] {
    const columns = `pathway_id, version, stage, ${STATE_COLUMNS.join(', ')}`;
    if (ids.nhsNumber) {
      const rows = this.sql(
        `SELECT ${columns} FROM pathways WHERE nhs_number = ? AND status = 'open' ORDER BY pathway_id LIMIT ?`,
      ).all(ids.nhsNumber, limit) as PatientPathway[];
      if (rows.length > 0) return rows;
    }
    if (!ids.localPatientId) return [];
    return this.sql(
      `SELECT ${columns} FROM pathways WHERE local_patient_id = ? AND status = 'open' ORDER BY pathway_id LIMIT ?`,
    ).all(ids.localPatientId, limit) as PatientPathway[];
  }

  /** The open rows' backlog columns, for building the in-memory backlog index. */
  openForIndex(): Iterable<unknown> {
    return this.sql(
      "SELECT status, tumour_site, stage, provider, d62_over28_on, d62_breach_on, d62_over104_on, fds_state, fds_breach_on FROM pathways WHERE status = 'open'",
    ).iterate();
  }
}
