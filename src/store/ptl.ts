// The PTL read model: open pathways from the pathways table, filtered, longest wait first (or
// sorted on any column), keyset-paginated. Days waiting are derived at read time from the row's
// dates. Each page carries the latest comment and the assigned tracker (comments.ts,
// assignments.ts); the filter on a tracker and the sorts on those columns read their tables.
import { addDays, type IsoDate } from '../vocabulary/calendar.ts';
import { clocksOf } from '../domain/pathway.ts';
import { nextBooking, type Booking } from '../cwt/tracking.ts';
import { latestDueAtRiskOn, statusOn } from '../cwt/milestones.ts';
import { OPEN_STAGES } from '../../machines/referral.ts';
import type { Quintile } from '../vocabulary/equality.ts';
import { statementCache, type Db } from './db.ts';
import { stateFromRow, type PathwayRow } from './pathway-row.ts';
import type { Comment, Comments } from './comments.ts';
import type { Assignments } from './assignments.ts';
import type { BreachRisk, BreachRisks } from './breach-risks.ts';
import { badCursor, decodeCursor, encodeCursor } from './cursor.ts';
import { IN_SCOPE, scopeParam } from './pathway-providers.ts';
import type { Scope } from '../auth/roles.ts';

/**
 * The columns the PTL sorts on besides days waiting, as SQL over a pathways row. Nulls come last
 * whichever way (see byColumn); the stage sorts in pathway order, not by name.
 */
const SORT_SQL = {
  breachDate: 'd62_breach_on',
  nextActionDue: 'next_action_due',
  patientName: 'lower(patient_name)',
  nhsNumber: 'nhs_number',
  tumourSite: 'tumour_site',
  stage: `printf('%02d', CASE stage ${OPEN_STAGES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} ELSE 99 END)`,
  provider: 'provider',
  nextAction: 'next_action',
  bookedOn: 'booked_on',
  fdsDue: "CASE WHEN fds_state = 'running' THEN fds_breach_on END",
  assignee: '(SELECT assignee FROM assignments a WHERE a.pathway_id = pathways.pathway_id)',
  commentOn: '(SELECT on_date FROM comments c WHERE c.pathway_id = pathways.pathway_id)',
  milestoneDue: 'milestone_due', // issue #26
  // issue #23: the latest day's forecast (as text, 0.0000 to 1.0000, so a cursor compares it as written),
  // equal risks the soonest breach first when the riskiest come first (so the longest waiting of those
  // already over 62 days): the breach day turned so an earlier day is the larger number (none: smallest).
  breachRisk: `(SELECT printf('%.4f|%08d', over62, 99999999 - CAST(replace(coalesce(d62_breach_on, '9999-12-31'), '-', '') AS INTEGER))
    FROM breach_risks r WHERE r.pathway_id = pathways.pathway_id
    AND r.as_of = (SELECT max(as_of) FROM breach_risk_days WHERE complete = 1))`,
} as const;
/** Columns never null on an open row: sorted on as they are, so an index can serve them. */
const NEVER_NULL = new Set<PtlSort>(['breachDate', 'nextActionDue', 'nhsNumber', 'tumourSite', 'stage']);

export const PTL_SORTS = ['daysWaiting', ...Object.keys(SORT_SQL)] as [PtlSort, ...PtlSort[]];
export type PtlSort = 'daysWaiting' | keyof typeof SORT_SQL;

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
  /** Kept history that a guard rail now refuses (R18): flagged for review. */
  needsReview?: boolean;
  /** Pathways assigned to this tracker (workspace #15). */
  assignee?: string;
  /** Issue #26: the next timed-pathway milestone late (its day has passed) or at risk. */
  milestone?: 'late' | 'at_risk';
  /** Issue #26: screening referrals of one programme. */
  screeningProgramme?: string;
  /** Only the pathways of these providers (a scoped user, issue #25); null or absent: all. */
  scope?: Scope;
  /** Issue #27: the IMD quintile of the patient's postcode in the loaded lookup (1 = Core20; not_known: none). */
  deprivationQuintile?: Quintile;
  /** Issue #28: not over 62 days yet, and breaching within this many days (as the nightly report lists them). */
  breachWithin?: number;
  sort?: PtlSort;
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
  needsReview: string | null;
  version: number;
  // ---- workspace (#15) ----
  /** How the due date reads: by a milestone, on a booked day, or the tracker's follow-up date. */
  nextActionKind: 'milestone' | 'booked' | 'follow_up' | null;
  /** The earliest appointment or test booked whose outcome is not recorded yet. */
  booked: Booking | null;
  /** Faster diagnosis clock days while it runs. */
  fdsDays: number | null;
  dateOfBirth: IsoDate | null;
  comment: Comment | null;
  assignee: string | null;
  // ---- timed pathways (#26) ----
  timedPathway: string | null;
  /** The next milestone not met, and how it stands on the as-of date. */
  milestone: { name: string; dueOn: IsoDate; status: 'due' | 'at_risk' | 'late' } | null;
  screeningProgramme: string | null;
  /** Issue #23: the chance of breaching, from the latest day's forecast; null when it has none for this pathway. */
  breachRisk: BreachRisk | null;
}

export interface PtlPage {
  asOf: IsoDate;
  entries: PtlEntry[];
  nextCursor: string | null;
}

export const PTL_PAGE_MAX = 500;

export class Ptl {
  private readonly sql;

  constructor(
    db: Db,
    private readonly comments: Comments,
    private readonly assignments: Assignments,
    private readonly risks: BreachRisks,
  ) {
    this.sql = statementCache(db);
  }

  /** The SQL conditions and parameters of the filters (days waiting aside: each read applies those). */
  private filters(query: PtlQuery, asOf: IsoDate): { where: string[]; params: Record<string, unknown> } {
    const where = ["status = 'open'"];
    const params: Record<string, unknown> = { asOf };
    for (const [key, column] of [
      ['tumourSite', 'tumour_site'],
      ['stage', 'stage'],
      ['provider', 'provider'],
      ['screeningProgramme', 'screening_programme'],
    ] as const) {
      if (query[key] !== undefined) {
        where.push(`${column} = @${key}`);
        params[key] = query[key];
      }
    }
    if (query.breached !== undefined) where.push(query.breached ? 'd62_breach_on <= @asOf' : 'd62_breach_on > @asOf');
    if (query.fdsOverdue !== undefined) {
      where.push(
        query.fdsOverdue
          ? "fds_state = 'running' AND fds_breach_on <= @asOf"
          : "NOT (fds_state = 'running' AND fds_breach_on <= @asOf)",
      );
    }
    if (query.nextActionDueBy !== undefined) {
      where.push('next_action_due <= @dueBy');
      params.dueBy = query.nextActionDueBy;
    }
    // Issue #26: late once the due day has passed; at risk from its first day at risk up to the due day.
    if (query.milestone === 'late') where.push('milestone_due < @asOf');
    if (query.milestone === 'at_risk') {
      where.push('milestone_due BETWEEN @asOf AND @atRiskDueBy AND milestone_at_risk_from <= @asOf');
      params.atRiskDueBy = latestDueAtRiskOn(asOf);
    }
    // Issue #27: the quintile is read from the lookup now (never stored with the row).
    if (query.deprivationQuintile === 'not_known')
      where.push('(SELECT decile FROM imd_lookup l WHERE l.postcode = pathways.postcode) IS NULL');
    else if (query.deprivationQuintile !== undefined) {
      where.push('(SELECT (decile + 1) / 2 FROM imd_lookup l WHERE l.postcode = pathways.postcode) = @quintile');
      params.quintile = Number(query.deprivationQuintile);
    }
    if (query.breachWithin !== undefined) {
      where.push('d62_breach_on > @asOf AND d62_breach_on <= @breachBy');
      params.breachBy = addDays(asOf, query.breachWithin);
    }
    if (query.needsReview !== undefined)
      where.push(query.needsReview ? 'needs_review IS NOT NULL' : 'needs_review IS NULL');
    if (query.assignee !== undefined) {
      where.push('pathway_id IN (SELECT pathway_id FROM assignments WHERE assignee = @assignee)');
      params.assignee = query.assignee;
    }
    if (query.scope) {
      where.push(IN_SCOPE);
      params.scope = scopeParam(query.scope);
    }
    if (query.minDays !== undefined) params.minFrom = addDays(asOf, -query.minDays);
    if (query.maxDays !== undefined) params.maxFrom = addDays(asOf, -query.maxDays);
    return { where, params };
  }

  page(query: PtlQuery, asOf: IsoDate): PtlPage {
    const { where, params } = this.filters(query, asOf);
    const limit = Math.min(Math.max(query.limit ?? 50, 1), PTL_PAGE_MAX);
    const sort = query.sort ?? 'daysWaiting';
    const page =
      sort === 'daysWaiting'
        ? this.byDaysWaiting(query, asOf, where, params, limit)
        : this.byColumn(sort, query, asOf, where, params, limit);
    return { ...page, entries: this.withTracking(page.entries) };
  }

  /** Every page the filters select, in the PTL's order (for a CSV of exactly the filtered list). */
  *pages(query: Omit<PtlQuery, 'limit' | 'cursor'>, asOf: IsoDate): Generator<PtlEntry[]> {
    let cursor: string | undefined;
    do {
      const page = this.page({ ...query, limit: PTL_PAGE_MAX, cursor }, asOf);
      yield page.entries;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /**
   * How many open pathways the filters select (issue #28), read from the indexes (migration 110).
   */
  count(query: Omit<PtlQuery, 'limit' | 'cursor' | 'sort' | 'order'>, asOf: IsoDate): number {
    const { where, params } = this.filters(query, asOf);
    const countOf = (terms: string[], index = '') =>
      this.sql(`SELECT count(*) FROM pathways ${index} WHERE ${terms.join(' AND ')}`)
        .pluck()
        .get(params) as number;
    // Without a days-waiting filter a pause changes nothing: one count the indexes answer alone.
    if (query.minDays === undefined && query.maxDays === undefined) return countOf(where);
    // With one, the index counts by d62_wait_from; the few rows still in (or before) a pause are
    // taken off that count and counted by their days computed.
    const byWait = [...where];
    if (query.minDays !== undefined) byWait.push('d62_wait_from <= @minFrom');
    if (query.maxDays !== undefined) byWait.push('d62_wait_from >= @maxFrom');
    const inPause = 'd62_pause_until > @asOf';
    const settled = countOf(byWait) - countOf([...byWait, inPause], 'INDEXED BY ptl_paused');
    const paused = this.sql(
      `SELECT * FROM pathways INDEXED BY ptl_paused WHERE ${[...where, inPause].join(' AND ')}`,
    ).all(params) as PathwayRow[];
    return (
      settled + paused.map((row) => entryOf(row, asOf).daysWaiting).filter((days) => withinDays(query, days)).length
    );
  }

  /** Open pathways with tests reported since their last MDT, before a decision to treat: longest waiting for MDT first. */
  awaitingMdt(
    tumourSite: string | undefined,
    asOf: IsoDate,
    scope: Scope = null,
    limit = PTL_PAGE_MAX,
  ): (PtlEntry & { testsReportedSince: IsoDate })[] {
    const site = tumourSite === undefined ? '' : 'AND tumour_site = @tumourSite';
    const within = scope === null ? '' : `AND ${IN_SCOPE}`;
    const rows = this.sql(
      `SELECT * FROM pathways WHERE status = 'open' AND awaiting_mdt_since IS NOT NULL ${site} ${within} ORDER BY awaiting_mdt_since, pathway_id LIMIT ${limit}`,
    ).all({ tumourSite, ...(scope === null ? {} : { scope: scopeParam(scope) }) }) as PathwayRow[];
    return this.withTracking(rows.map((row) => entryOf(row, asOf))).map((e, i) => ({
      ...e,
      testsReportedSince: rows[i]!.awaiting_mdt_since!,
    }));
  }

  /** The latest comment and the tracker of each entry of a page. */
  private withTracking(entries: PtlEntry[]): PtlEntry[] {
    const ids = entries.map((e) => e.pathwayId);
    const comments = this.comments.forPathways(ids);
    const assignees = this.assignments.forPathways(ids);
    const risks = this.risks.forPathways(ids);
    return entries.map((e) => ({
      ...e,
      comment: comments.get(e.pathwayId) ?? null,
      assignee: assignees.get(e.pathwayId) ?? null,
      breachRisk: risks.get(e.pathwayId) ?? null,
    }));
  }

  /**
   * Longest (or shortest) wait first. Once every pause has ended, days waiting = asOf -
   * d62_wait_from, so the index orders and filters those rows; the few still in (or before) a
   * pause have their days computed and are merged in, so the order is exact.
   */
  private byDaysWaiting(
    query: PtlQuery,
    asOf: IsoDate,
    where: string[],
    params: Record<string, unknown>,
    limit: number,
  ): PtlPage {
    const longestFirst = (query.order ?? 'desc') === 'desc';
    const settled = [...where, '(d62_pause_until IS NULL OR d62_pause_until <= @asOf)'];
    // days >= minDays  <=>  wait_from <= asOf - minDays, and so on.
    if (query.minDays !== undefined) settled.push('d62_wait_from <= @minFrom');
    if (query.maxDays !== undefined) settled.push('d62_wait_from >= @maxFrom');
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    if (after) {
      const [days, id] = [Number(after[0]), after[1]];
      if (!Number.isSafeInteger(days)) throw badCursor();
      settled.push(`(d62_wait_from, pathway_id) ${longestFirst ? '>' : '<'} (@cFrom, @cId)`);
      params.cFrom = addDays(asOf, -days);
      params.cId = id;
    }
    const dir = longestFirst ? 'ASC' : 'DESC';
    const rows = (
      this.sql(
        `SELECT * FROM pathways WHERE ${settled.join(' AND ')} ORDER BY d62_wait_from ${dir}, pathway_id ${dir} LIMIT ${limit + 1}`,
      ).all(params) as PathwayRow[]
    ).map((row) => entryOf(row, asOf));
    // A row in (or before) a pause waits at least asOf - d62_wait_from days (every known pause
    // taken off) and at most asOf - clock_start (none): only rows whose range reaches this page
    // are read and computed (at 360,000 open there are hundreds in a pause).
    const reach = [...where, 'd62_pause_until > @asOf'];
    const atLeast = (days: number, name: string) => {
      reach.push(`clock_start <= @${name}`);
      params[name] = addDays(asOf, -days);
    };
    const atMost = (days: number, name: string) => {
      reach.push(`d62_wait_from >= @${name}`);
      params[name] = addDays(asOf, -days);
    };
    if (query.minDays !== undefined) atLeast(query.minDays, 'reachMin');
    if (query.maxDays !== undefined) atMost(query.maxDays, 'reachMax');
    if (after) (longestFirst ? atMost : atLeast)(Number(after[0]), 'reachCursor');
    const edge = rows[limit - 1]; // the page is full without them: they must come before its last row
    if (edge) (longestFirst ? atLeast : atMost)(edge.daysWaiting, 'reachEdge');
    // Through the index of paused rows: with a site, stage or provider the planner would rather
    // walk that filter's index, every open row of it (a quarter of a second at 360,000 open).
    const paused = (
      this.sql(`SELECT * FROM pathways INDEXED BY ptl_paused WHERE ${reach.join(' AND ')}`).all(params) as PathwayRow[]
    )
      .map((row) => entryOf(row, asOf))
      .filter((e) => withinDays(query, e.daysWaiting))
      .filter((e) => !after || before(e, Number(after[0]), after[1], longestFirst));
    const entries = [...rows, ...paused]
      .sort((x, y) => (before(y, x.daysWaiting, x.pathwayId, longestFirst) ? -1 : 1))
      .slice(0, limit + 1);
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    return {
      asOf,
      entries: page,
      nextCursor: entries.length > limit && last ? encodeCursor(String(last.daysWaiting), last.pathwayId) : null,
    };
  }

  /**
   * Sorted on one column (ascending unless asked), ties by pathway id, keyset-paginated on the
   * pair. Nulls come last either way: the key is the column with a sentinel that sorts last.
   * Days-waiting filters are applied on the exact days of each row read.
   */
  private byColumn(
    sort: Exclude<PtlSort, 'daysWaiting'>,
    query: PtlQuery,
    asOf: IsoDate,
    where: string[],
    params: Record<string, unknown>,
    limit: number,
  ): PtlPage {
    const ascending = (query.order ?? 'asc') === 'asc';
    const dir = ascending ? 'ASC' : 'DESC';
    const key = NEVER_NULL.has(sort)
      ? SORT_SQL[sort]
      : `coalesce(${SORT_SQL[sort]}, ${ascending ? 'char(1114111)' : "''"})`;
    const conditions = [...where];
    // Days from d62_wait_from, exact once pauses have ended; rows in a pause are checked below.
    if (query.minDays !== undefined) conditions.push('(d62_wait_from <= @minFrom OR d62_pause_until > @asOf)');
    if (query.maxDays !== undefined) conditions.push('(d62_wait_from >= @maxFrom OR d62_pause_until > @asOf)');
    if (query.cursor) {
      const [value, id] = decodeCursor(query.cursor);
      conditions.push(`(${key}, pathway_id) ${ascending ? '>' : '<'} (@cKey, @cId)`);
      params.cKey = value;
      params.cId = id;
    }
    const rows = this.sql(
      `SELECT *, ${key} AS sort_key FROM pathways WHERE ${conditions.join(' AND ')} ORDER BY ${key} ${dir}, pathway_id ${dir} LIMIT ${limit + 1}`,
    ).all(params) as (PathwayRow & { sort_key: string })[];
    const entries = rows
      .slice(0, limit)
      .map((row) => entryOf(row, asOf))
      .filter((e) => withinDays(query, e.daysWaiting));
    const last = rows[Math.min(rows.length, limit) - 1];
    return {
      asOf,
      entries,
      nextCursor: rows.length > limit && last ? encodeCursor(String(last.sort_key), last.pathway_id) : null,
    };
  }
}

/** True when days waiting are within the query's band. */
function withinDays(query: Pick<PtlQuery, 'minDays' | 'maxDays'>, days: number): boolean {
  return (
    (query.minDays === undefined || days >= query.minDays) && (query.maxDays === undefined || days <= query.maxDays)
  );
}

/** True when entry `e` comes after the position (days, id) in the PTL's order. */
function before(e: PtlEntry, days: number, id: string, longestFirst: boolean): boolean {
  if (e.daysWaiting !== days) return longestFirst ? e.daysWaiting < days : e.daysWaiting > days;
  return longestFirst ? e.pathwayId > id : e.pathwayId < id;
}

function entryOf(row: PathwayRow, asOf: IsoDate): PtlEntry {
  const state = stateFromRow(row);
  const clocks = clocksOf(state, asOf);
  return {
    pathwayId: row.pathway_id,
    nhsNumber: row.nhs_number,
    patientName: row.patient_name,
    tumourSite: row.tumour_site,
    stage: row.stage,
    provider: row.provider,
    route: row.route,
    referralOn: row.referral_on,
    clockStart: row.clock_start,
    daysWaiting: clocks.d62.days!,
    breachDate: row.d62_breach_on!,
    fdsDue: row.fds_state === 'running' ? row.fds_breach_on : null,
    fdsState: row.fds_state,
    nextAction: row.next_action,
    nextActionDue: row.next_action_due,
    needsReview: row.needs_review,
    version: row.version,
    nextActionKind: row.next_action_kind,
    booked: nextBooking(state.tracking),
    fdsDays: clocks.fds.state === 'running' ? clocks.fds.days : null,
    dateOfBirth: row.date_of_birth,
    comment: null,
    assignee: null,
    timedPathway: row.timed_pathway,
    milestone:
      row.milestone !== null && row.milestone_due !== null
        ? {
            name: row.milestone,
            dueOn: row.milestone_due,
            status: statusOn(
              { dueOn: row.milestone_due, metOn: null, atRiskFrom: row.milestone_at_risk_from },
              asOf,
            ) as 'due' | 'at_risk' | 'late',
          }
        : null,
    screeningProgramme: row.screening_programme,
    breachRisk: null,
  };
}
