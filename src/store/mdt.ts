// The mdt_meetings and mdt_patients tables (workspace #15): MDT meetings (a tumour site, a date,
// a name) and the patients listed for each. What the MDT decided is the `mdt_discussed` event on
// the patient's pathway carrying the meeting's id: outcomes are read from the events, never kept here.
import { AppError } from '../errors.ts';
import { statementCache, type Db } from './db.ts';
import { FAR_FUTURE, type IsoDate } from '../vocabulary/calendar.ts';

export interface Meeting {
  meetingId: number;
  tumourSite: string;
  meetsOn: IsoDate;
  name: string;
  /** Patients listed for discussion. */
  patients: number;
}

const MEETING = `SELECT m.meeting_id AS meetingId, m.tumour_site AS tumourSite, m.meets_on AS meetsOn, m.name,
  (SELECT count(*) FROM mdt_patients p WHERE p.meeting_id = m.meeting_id) AS patients FROM mdt_meetings m`;

export class Mdt {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  create(m: { tumourSite: string; meetsOn: IsoDate; name: string }, by: string, at: string): Meeting {
    const info = this.sql(
      'INSERT INTO mdt_meetings (tumour_site, meets_on, name, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(m.tumourSite, m.meetsOn, m.name, by, at);
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(meetingId: number): Meeting | null {
    return (this.sql(`${MEETING} WHERE m.meeting_id = ?`).get(meetingId) as Meeting | undefined) ?? null;
  }

  /** The meeting, or a refusal naming it. */
  meeting(meetingId: number): Meeting {
    const m = this.get(meetingId);
    if (!m) throw new AppError('not_found', `no MDT meeting ${meetingId}`, 'meetingId');
    return m;
  }

  /** Meetings from `from` on (and up to `to`), earliest first. */
  list(from: string, to: string = FAR_FUTURE): Meeting[] {
    return this.sql(`${MEETING} WHERE m.meets_on >= ? AND m.meets_on <= ? ORDER BY m.meets_on, m.meeting_id`).all(
      from,
      to,
    ) as Meeting[];
  }

  /** Lists pathways for discussion; those already listed stay as they were. Returns how many were added. */
  add(meetingId: number, pathwayIds: readonly string[], by: string, at: string): number {
    const insert = this.sql(
      'INSERT OR IGNORE INTO mdt_patients (meeting_id, pathway_id, added_by, added_at) VALUES (?, ?, ?, ?)',
    );
    return this.db
      .transaction(() => pathwayIds.reduce((n, id) => n + insert.run(meetingId, id, by, at).changes, 0))
      .immediate();
  }

  remove(meetingId: number, pathwayId: string): boolean {
    return (
      this.sql('DELETE FROM mdt_patients WHERE meeting_id = ? AND pathway_id = ?').run(meetingId, pathwayId).changes > 0
    );
  }

  /** The pathways listed for a meeting, in the order they were added. */
  pathwaysOf(meetingId: number): string[] {
    return this.sql('SELECT pathway_id FROM mdt_patients WHERE meeting_id = ? ORDER BY added_at, rowid')
      .pluck()
      .all(meetingId) as string[];
  }

  /** The meetings a pathway is listed for, earliest first. */
  meetingsOf(pathwayId: string): Meeting[] {
    return this.sql(
      `${MEETING} WHERE m.meeting_id IN (SELECT meeting_id FROM mdt_patients WHERE pathway_id = ?) ORDER BY m.meets_on, m.meeting_id`,
    ).all(pathwayId) as Meeting[];
  }

  /** For each of these pathways, the meetings on or after `from` it is listed for. */
  listedFrom(pathwayIds: readonly string[], from: string): Map<string, Meeting[]> {
    const listed = new Map<string, Meeting[]>();
    if (pathwayIds.length === 0) return listed;
    const rows = this.sql(
      `SELECT p.pathway_id AS pathwayId, m.meeting_id AS meetingId, m.tumour_site AS tumourSite, m.meets_on AS meetsOn, m.name, 0 AS patients
      FROM mdt_patients p JOIN mdt_meetings m USING (meeting_id) WHERE p.pathway_id IN (SELECT value FROM json_each(?)) AND m.meets_on >= ? ORDER BY m.meets_on`,
    ).all(JSON.stringify(pathwayIds), from) as (Meeting & { pathwayId: string })[];
    for (const { pathwayId, ...m } of rows) listed.set(pathwayId, [...(listed.get(pathwayId) ?? []), m]);
    return listed;
  }
}
