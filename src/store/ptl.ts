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
    const params: Record<string, unknown> = {};
    for (const [key, column] of [['tumourSite', 'tumour_site'], ['stage', 'stage'], ['provider', 'provider']] as const) {
      if (query[key] !== undefined) {
        where.push(`${column} = @${key}`);
        params[key] = query[key];
      }
    }
    // Days waiting = asOf - d62_wait_from (the start moved by the whole known adjustment). Exact
    // except while a treatment pause is under way, when it is the wait the pause will have ended at.
    if (query.breached !== undefined) {
      where.push(query.breached ? 'd62_breach_on <= @asOf' : 'd62_breach_on > @asOf');
      params.asOf = asOf;
    }
    if (query.fdsOverdue !== undefined) {
      where.push(query.fdsOverdue ? "fds_state = 'running' AND fds_breach_on <= @asOf" : "NOT (fds_state = 'running' AND fds_breach_on <= @asOf)");
      params.asOf = asOf;
    }
    if (query.minDays !== undefined) {
      where.push('d62_wait_from <= @minFrom');
      params.minFrom = addDays(asOf, -query.minDays);
    }
    if (query.maxDays !== undefined) {
      where.push('d62_wait_from >= @maxFrom');
      params.maxFrom = addDays(asOf, -query.maxDays);
    }
    if (query.needsReview !== undefined) where.push(query.needsReview ? 'needs_review IS NOT NULL' : 'needs_review IS NULL');
    if (query.nextActionDueBy !== undefined) {
      where.push('next_action_due <= @dueBy');
      params.dueBy = query.nextActionDueBy;
    }
    // Longest wait first is the earliest wait-from date first.
    const byDays = (query.sort ?? 'daysWaiting') === 'daysWaiting';
    const key = byDays ? 'd62_wait_from' : 'd62_breach_on';
    const ascending = byDays ? (query.order ?? 'desc') === 'desc' : (query.order ?? 'asc') === 'asc';
    const dir = ascending ? 'ASC' : 'DESC';
    if (query.cursor) {
      const [value, id] = decodeCursor(query.cursor);
      where.push(`(${key}, pathway_id) ${ascending ? '>' : '<'} (@cValue, @cId)`);
      params.cValue = value;
      params.cId = id;
    }
    const limit = Math.min(Math.max(query.limit ?? 50, 1), PTL_PAGE_MAX);
    const rows = this.sql(`SELECT * FROM pathways WHERE ${where.join(' AND ')} ORDER BY ${key} ${dir}, pathway_id ${dir} LIMIT ${limit + 1}`).all(params) as PathwayRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      asOf,
      entries: page.map((row) => entryOf(row, asOf)),
      nextCursor: rows.length > limit && last ? encodeCursor(last[key]!, last.pathway_id) : null,
    };
  }
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
  throw new AppError('invalid_cursor', 'cursor: is not a cursor this server issued; start again from the first page', 'cursor');
}
