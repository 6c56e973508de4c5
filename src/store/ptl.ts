// The PTL read model: open pathways from the pathways table, filtered, longest wait first,
// keyset-paginated. Days waiting are derived at read time from the row's dates.
import { AppError } from '../errors.ts';
import { addDays, type IsoDate } from '../cwt/calendar.ts';
import { clocksOf } from '../domain/pathway.ts';
import { statementCache, type Db } from './db.ts';
import { stateFromRow, type PathwayRow } from './pathway-row.ts';

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
  sort?: 'breachDate' | 'daysWaiting';
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
}

export interface PtlPage {
  asOf: IsoDate;
  entries: PtlEntry[];
  nextCursor: string | null;
}

export const PTL_PAGE_MAX = 500;

export class Ptl {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  page(query: PtlQuery, asOf: IsoDate): PtlPage {
    const where = ["status = 'open'"];
    const params: Record<string, unknown> = { asOf };
    for (const [key, column] of [['tumourSite', 'tumour_site'], ['stage', 'stage'], ['provider', 'provider']] as const) {
      if (query[key] !== undefined) {
        where.push(`${column} = @${key}`);
        params[key] = query[key];
      }
    }
    if (query.breached !== undefined) where.push(query.breached ? 'd62_breach_on <= @asOf' : 'd62_breach_on > @asOf');
    if (query.fdsOverdue !== undefined) {
      where.push(query.fdsOverdue ? "fds_state = 'running' AND fds_breach_on <= @asOf" : "NOT (fds_state = 'running' AND fds_breach_on <= @asOf)");
    }
    if (query.nextActionDueBy !== undefined) {
      where.push('next_action_due <= @dueBy');
      params.dueBy = query.nextActionDueBy;
    }
    if (query.needsReview !== undefined) where.push(query.needsReview ? 'needs_review IS NOT NULL' : 'needs_review IS NULL');
    if (query.minDays !== undefined) params.minFrom = addDays(asOf, -query.minDays);
    if (query.maxDays !== undefined) params.maxFrom = addDays(asOf, -query.maxDays);
    const limit = Math.min(Math.max(query.limit ?? 50, 1), PTL_PAGE_MAX);
    return (query.sort ?? 'daysWaiting') === 'daysWaiting'
      ? this.byDaysWaiting(query, asOf, where, params, limit)
      : this.byBreachDate(query, asOf, where, params, limit);
  }

  /**
   * Longest (or shortest) wait first. Once every pause has ended, days waiting = asOf -
   * d62_wait_from, so the index orders and filters those rows; the few still in (or before) a
   * pause have their days computed and are merged in, so the order is exact.
   */
  private byDaysWaiting(query: PtlQuery, asOf: IsoDate, where: string[], params: Record<string, unknown>, limit: number): PtlPage {
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
    const rows = this.sql(`SELECT * FROM pathways WHERE ${settled.join(' AND ')} ORDER BY d62_wait_from ${dir}, pathway_id ${dir} LIMIT ${limit + 1}`).all(params) as PathwayRow[];
    const paused = (this.sql(`SELECT * FROM pathways WHERE ${[...where, 'd62_pause_until > @asOf'].join(' AND ')}`).all(params) as PathwayRow[])
      .map((row) => entryOf(row, asOf))
      .filter((e) => (query.minDays === undefined || e.daysWaiting >= query.minDays) && (query.maxDays === undefined || e.daysWaiting <= query.maxDays))
      .filter((e) => !after || before(e, Number(after[0]), after[1], longestFirst));
    const entries = [...rows.map((row) => entryOf(row, asOf)), ...paused]
      .sort((x, y) => (before(y, x.daysWaiting, x.pathwayId, longestFirst) ? -1 : 1))
      .slice(0, limit + 1);
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    return { asOf, entries: page, nextCursor: entries.length > limit && last ? encodeCursor(String(last.daysWaiting), last.pathwayId) : null };
  }

  /** Earliest (or latest) 62-day breach date first: a date that does not depend on the as-of date. */
  private byBreachDate(query: PtlQuery, asOf: IsoDate, where: string[], params: Record<string, unknown>, limit: number): PtlPage {
    const ascending = (query.order ?? 'asc') === 'asc';
    const dir = ascending ? 'ASC' : 'DESC';
    // Days waiting from d62_wait_from, exact once pauses have ended; rows in a pause are checked below.
    const conditions = [...where];
    if (query.minDays !== undefined) conditions.push('(d62_wait_from <= @minFrom OR d62_pause_until > @asOf)');
    if (query.maxDays !== undefined) conditions.push('(d62_wait_from >= @maxFrom OR d62_pause_until > @asOf)');
    if (query.cursor) {
      const [breach, id] = decodeCursor(query.cursor);
      conditions.push(`(d62_breach_on, pathway_id) ${ascending ? '>' : '<'} (@cBreach, @cId)`);
      params.cBreach = breach;
      params.cId = id;
    }
    const rows = this.sql(`SELECT * FROM pathways WHERE ${conditions.join(' AND ')} ORDER BY d62_breach_on ${dir}, pathway_id ${dir} LIMIT ${limit + 1}`).all(params) as PathwayRow[];
    const entries = rows.map((row) => entryOf(row, asOf))
      .filter((e) => (query.minDays === undefined || e.daysWaiting >= query.minDays) && (query.maxDays === undefined || e.daysWaiting <= query.maxDays));
    const page = entries.slice(0, limit);
    const last = rows[Math.min(rows.length, limit) - 1];
    return { asOf, entries: page, nextCursor: rows.length > limit && last ? encodeCursor(last.d62_breach_on!, last.pathway_id) : null };
  }
}

/** True when entry `e` comes after the position (days, id) in the PTL's order. */
function before(e: PtlEntry, days: number, id: string, longestFirst: boolean): boolean {
  if (e.daysWaiting !== days) return longestFirst ? e.daysWaiting < days : e.daysWaiting > days;
  return longestFirst ? e.pathwayId > id : e.pathwayId < id;
}

function entryOf(row: PathwayRow, asOf: IsoDate): PtlEntry {
  const clocks = clocksOf(stateFromRow(row), asOf);
  return {
    pathwayId: row.pathway_id, nhsNumber: row.nhs_number, patientName: row.patient_name, tumourSite: row.tumour_site,
    stage: row.stage, provider: row.provider, route: row.route, referralOn: row.referral_on, clockStart: row.clock_start,
    daysWaiting: clocks.d62.days!, breachDate: row.d62_breach_on!, fdsDue: row.fds_state === 'running' ? row.fds_breach_on : null,
    fdsState: row.fds_state, nextAction: row.next_action, nextActionDue: row.next_action_due, needsReview: row.needs_review, version: row.version,
  };
}

function encodeCursor(breach: string, id: string): string {
  return Buffer.from(JSON.stringify([breach, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch { /* fall through */ }
  throw badCursor();
}

function badCursor(): AppError {
  return new AppError('invalid_cursor', 'cursor: is not a cursor this server issued; start again from the first page', 'cursor');
}
