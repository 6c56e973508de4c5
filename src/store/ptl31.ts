// The 31-day PTL of treatments after the first (issue #14): pathways whose first definitive
// treatment is given (closed to the 62-day PTL) and that await a later treatment, each with its
// own 31-day clock; and (issue #24) pathways off the 62-day standard (the 31-day-only route, a
// recurrence) awaiting their first treatment once decided. Earliest breach date first,
// keyset-paginated on (breach date, pathway id).
import type { IsoDate } from '../vocabulary/calendar.ts';
import { clocksOf } from '../domain/pathway.ts';
import { awaitedThirtyOneDay } from '../cwt/clocks.ts';
import { statementCache, type Db } from './db.ts';
import { stateFromRow, type PathwayRow } from './pathway-row.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { IN_SCOPE, scopeParam } from './pathway-providers.ts';
import type { Scope } from '../auth/roles.ts';

export interface Ptl31Query {
  tumourSite?: string;
  provider?: string;
  /** Only the pathways of these providers (a scoped user, issue #25). */
  scope?: Scope;
  limit?: number;
  cursor?: string;
}

export interface Ptl31Entry {
  pathwayId: string;
  nhsNumber: string;
  patientName: string | null;
  tumourSite: string;
  provider: string | null;
  /** Which treatment is awaited: 2 for the second, and so on. */
  treatmentNumber: number;
  decisionToTreat: IsoDate;
  /** The 31-day start: the earliest clinically appropriate date when one was given. */
  start: IsoDate;
  daysWaiting: number;
  adjustmentDays: number;
  breachDate: IsoDate;
  breached: boolean;
  version: number;
}

export interface Ptl31Page {
  asOf: IsoDate;
  entries: Ptl31Entry[];
  nextCursor: string | null;
}

export const PTL31_PAGE_MAX = 500;

export class Ptl31 {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  page(query: Ptl31Query, asOf: IsoDate): Ptl31Page {
    const where = ['next_d31_start IS NOT NULL'];
    const params: Record<string, unknown> = {};
    if (query.tumourSite !== undefined) {
      where.push('tumour_site = @tumourSite');
      params.tumourSite = query.tumourSite;
    }
    if (query.provider !== undefined) {
      where.push('provider = @provider');
      params.provider = query.provider;
    }
    if (query.scope) {
      where.push(IN_SCOPE);
      params.scope = scopeParam(query.scope);
    }
    if (query.cursor !== undefined) {
      const [breach, id] = decodeCursor(query.cursor);
      where.push('(next_d31_breach_on, pathway_id) > (@cBreach, @cId)');
      params.cBreach = breach;
      params.cId = id;
    }
    const limit = Math.min(Math.max(query.limit ?? 50, 1), PTL31_PAGE_MAX);
    const rows = this.sql(
      `SELECT * FROM pathways WHERE ${where.join(' AND ')} ORDER BY next_d31_breach_on, pathway_id LIMIT ${limit + 1}`,
    ).all(params) as PathwayRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      asOf,
      entries: page.map((row) => entryOf(row, asOf)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.next_d31_breach_on!, last.pathway_id) : null,
    };
  }

  /** How many pathways await a treatment after the first. */
  count(): number {
    return this.sql('SELECT count(*) FROM pathways WHERE next_d31_start IS NOT NULL').pluck().get() as number;
  }
}

function entryOf(row: PathwayRow, asOf: IsoDate): Ptl31Entry {
  const state = stateFromRow(row);
  const { facts } = state.fold;
  const awaited = awaitedThirtyOneDay(facts)!;
  const clocks = clocksOf(state, asOf);
  // The first treatment of a pathway off the 62-day standard (issue #24), or one after the first.
  const first = awaited.treatment === 1;
  const clock = first ? clocks.d31 : (clocks.subsequent ?? [])[awaited.treatment - 2]!;
  return {
    pathwayId: row.pathway_id,
    nhsNumber: row.nhs_number,
    patientName: row.patient_name,
    tumourSite: row.tumour_site,
    provider: row.provider,
    treatmentNumber: awaited.treatment,
    decisionToTreat: first ? facts.decisionToTreat! : facts.subsequent[awaited.treatment - 2]!.decided,
    start: awaited.start,
    daysWaiting: clock.days!,
    adjustmentDays: clock.adjustmentDays,
    breachDate: row.next_d31_breach_on!,
    breached: clock.breached,
    version: row.version,
  };
}
