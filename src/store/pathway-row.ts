// The pathways table: one row per pathway, the read model the PTL, the backlog and the pathway
// page read. Derived from a pathway's state by one function (toRow), so a replay and the
// one-event-at-a-time fast path write identical rows. Only this module writes the table.
import { clocksFromFacts, firstDayOver, mergePauses, pausedDays } from '../cwt/clocks.ts';
import { addDays, FAR_FUTURE } from '../cwt/calendar.ts';
import { nextAction } from '../cwt/next-action.ts';
import type { Route, TumourSite } from '../domain/events.ts';
import { stageOfState, type PathwayState } from '../domain/pathway.ts';
import { statementCache, type Db } from './db.ts';

/** The row the PTL reads. Only date-independent values: days waiting are derived at read time. */
export interface PathwayRow {
  pathway_id: string;
  version: number;
  stage: string;
  status: 'open' | 'closed';
  state: string;
  nhs_number: string;
  patient_name: string | null;
  date_of_birth: string | null;
  tumour_site: string;
  route: string;
  provider: string | null;
  referral_on: string;
  last_on: string;
  clock_start: string;
  adjustment_days: number;
  fds_state: string;
  fds_stop: string | null;
  fds_breach_on: string | null;
  d31_state: string;
  d31_start: string | null;
  d31_stop: string | null;
  d31_breach_on: string | null;
  d62_state: string;
  d62_stop: string | null;
  d62_breach_on: string | null;
  d62_over28_on: string | null;
  d62_over104_on: string | null;
  next_action: string | null;
  next_action_due: string | null;
  updated_at: string;
  /** Why kept history breaks a guard rail the rules now have (R18): null when it does not. */
  needs_review: string | null;
  /** The clock start moved later by the whole known adjustment: days waiting = as-of date minus this, once every pause has ended. */
  d62_wait_from: string | null;
  /** The end of the latest known pause (R7), if any. */
  d62_pause_until: string | null;
  // ---- inbound feed (issue #17) ----
  /** The hospital's own number for the patient (the PAS number), to match its messages. */
  local_patient_id: string | null;
}

export function toRow(pathwayId: string, version: number, state: PathwayState, updatedAt: string, needsReview: string | null = null): PathwayRow {
  const { facts } = state.fold;
  // Clock states and breach dates do not depend on the as-of date; days do, so they are not stored.
  const clocks = clocksFromFacts(facts, state.details.lastOn);
  const pauses = mergePauses(facts.pauses);
  const adjustment = pausedDays(pauses, facts.start, FAR_FUTURE);
  const running = clocks.d62.state === 'running';
  const stage = stageOfState(state);
  const next = clocks.status === 'open' ? nextAction(stage, state.details.tumourSite, facts.start, clocks.d62.breachDate) : null;
  const d = state.details;
  return {
    pathway_id: pathwayId,
    version,
    stage,
    status: clocks.status,
    state: JSON.stringify({ machine: state.machine, fold: state.fold }), // the details are the columns below
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
    local_patient_id: d.localPatientId, // issue #17
  };
}


/** The columns a pathway's state is read back from. */
export const STATE_COLUMNS = ['state', 'nhs_number', 'patient_name', 'date_of_birth', 'tumour_site', 'route', 'provider', 'referral_on', 'last_on', 'local_patient_id'] as const;
export type StateColumns = Pick<PathwayRow, (typeof STATE_COLUMNS)[number]>;

/**
 * The patient's details are kept once, in their own columns, not again in the state JSON: a
 * smaller row (faster imports) and one place to correct or erase patient-identifiable data.
 * Rows written before this keep a copy of the details in the JSON; the columns win.
 */
export function stateFromRow(row: StateColumns): PathwayState {
  const { machine, fold } = JSON.parse(row.state) as Omit<PathwayState, 'details'>;
  return {
    machine,
    fold,
    details: {
      nhsNumber: row.nhs_number, patientName: row.patient_name, dateOfBirth: row.date_of_birth, tumourSite: row.tumour_site as TumourSite,
      route: row.route as Route, provider: row.provider, referralOn: row.referral_on, lastOn: row.last_on,
      localPatientId: row.local_patient_id,
    },
  };
}

/** Every column, in table order. */
export const PATHWAY_COLUMNS = [
  'pathway_id', 'version', 'stage', 'status', 'state', 'nhs_number', 'patient_name', 'date_of_birth', 'tumour_site',
  'route', 'provider', 'referral_on', 'last_on', 'clock_start', 'adjustment_days', 'fds_state', 'fds_stop',
  'fds_breach_on', 'd31_state', 'd31_start', 'd31_stop', 'd31_breach_on', 'd62_state', 'd62_stop', 'd62_breach_on',
  'd62_over28_on', 'd62_over104_on', 'next_action', 'next_action_due', 'updated_at', 'needs_review', 'd62_wait_from', 'd62_pause_until',
  'local_patient_id', // issue #17
] as const satisfies readonly (keyof PathwayRow)[];

export type RowWithState = StateColumns & Pick<PathwayRow, 'pathway_id' | 'updated_at'>;
/** An open pathway of a patient, as the inbound feed reads it (issue #17). */
export type PatientPathway = StateColumns & Pick<PathwayRow, 'pathway_id' | 'version' | 'stage'>;

export class PathwayRows {
  private readonly sql;
  private readonly insertRow;
  private readonly byId;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    this.insertRow = db.prepare(`INSERT INTO pathways (${PATHWAY_COLUMNS.join(', ')}) VALUES (${PATHWAY_COLUMNS.map((c) => `@${c}`).join(', ')})`);
    this.byId = db.prepare('SELECT * FROM pathways WHERE pathway_id = ?');
  }

  get(pathwayId: string): PathwayRow | undefined {
    return this.byId.get(pathwayId) as PathwayRow | undefined;
  }

  /**
   * Writes a row, updating only the columns that changed: SQLite then rewrites only the indexes
   * over those columns, which keeps bulk imports fast.
   */
  write(old: PathwayRow | undefined, row: PathwayRow): void {
    if (!old) {
      this.insertRow.run(row);
      return;
    }
    const changed = PATHWAY_COLUMNS.filter((c) => c !== 'pathway_id' && old[c] !== row[c]);
    if (changed.length === 0) return;
    const update = this.sql(`UPDATE pathways SET ${changed.map((c) => `${c} = @${c}`).join(', ')} WHERE pathway_id = @pathway_id`);
    update.run(Object.fromEntries([['pathway_id', row.pathway_id], ...changed.map((c) => [c, row[c]])]));
  }

  /** Empties the table, for a rebuild inside the caller's transaction. */
  clear(): void {
    this.db.exec('DELETE FROM pathways');
  }

  /**
   * Every row's state and last update, in pathway id order, a chunk at a time (no cursor held
   * open). With `activeSince`, only rows open, or with a clinical date on or after that day, or
   * updated after `asAt` (whose state then must be replayed): the others cannot matter to a
   * report of what stood at `asAt` and stopped since `activeSince`.
   */
  *withState(filter?: { activeSince: string; asAt: string }): Generator<RowWithState> {
    const where = filter ? "AND (status = 'open' OR last_on >= @activeSince OR updated_at > @asAt)" : '';
    const chunk = this.sql(`SELECT pathway_id, updated_at, ${STATE_COLUMNS.join(', ')} FROM pathways WHERE pathway_id > @after ${where} ORDER BY pathway_id LIMIT 5000`);
    let after = '';
    for (;;) {
      const rows = chunk.all({ after, ...filter }) as RowWithState[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.pathway_id;
      yield* rows;
    }
  }

  /** The pathways flagged for review, in id order. */
  *needingReview(): Generator<{ pathwayId: string; reasons: string }> {
    for (const row of this.sql('SELECT pathway_id, needs_review FROM pathways WHERE needs_review IS NOT NULL ORDER BY pathway_id').iterate() as Iterable<{ pathway_id: string; needs_review: string }>) {
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
      const rows = this.sql(`SELECT ${columns} FROM pathways WHERE nhs_number = ? AND status = 'open' ORDER BY pathway_id LIMIT ?`).all(ids.nhsNumber, limit) as PatientPathway[];
      if (rows.length > 0) return rows;
    }
    if (!ids.localPatientId) return [];
    return this.sql(`SELECT ${columns} FROM pathways WHERE local_patient_id = ? AND status = 'open' ORDER BY pathway_id LIMIT ?`).all(ids.localPatientId, limit) as PatientPathway[];
  }

  /** The open rows' backlog columns, for building the in-memory backlog index. */
  openForIndex(): Iterable<unknown> {
    return this.sql("SELECT status, tumour_site, stage, d62_over28_on, d62_breach_on, d62_over104_on, fds_state, fds_breach_on FROM pathways WHERE status = 'open'").iterate();
  }
}
