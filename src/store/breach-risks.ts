// The breach risks read model (issue #23): each open pathway's chance of passing 62 days (and of
// breaching its FDS) within the horizon of the day's forecast, written when that forecast runs and
// joined by the PTL. Derived from the forecast, which is derived from the events: a new day's risks
// replace the old ones, and nothing here is history (db/migrations/080).
import type { IsoDate } from '../vocabulary/calendar.ts';
import { statementCache, type Db } from './db.ts';

export interface BreachRisk {
  /** Chance of passing 62 days within the horizon (0 to 1). */
  over62: number;
  /** Chance of breaching the FDS within it; null when its FDS clock had stopped. */
  fds: number | null;
}

/** Which forecast the risks come from. */
export interface RiskDay {
  asOf: IsoDate;
  /** The last week-ending the runs went to. */
  horizon: IsoDate;
  runs: number;
}

/** Rows per transaction: a day's risks at 360,000 open go in slices, each a short write. */
export const RISK_BATCH = 5000;

export class BreachRisks {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** The latest complete day's forecast, or null before any has run. */
  latest(): RiskDay | null {
    const row = this.sql(
      'SELECT as_of, horizon, runs FROM breach_risk_days WHERE complete = 1 ORDER BY as_of DESC LIMIT 1',
    ).get() as { as_of: IsoDate; horizon: IsoDate; runs: number } | undefined;
    return row ? { asOf: row.as_of, horizon: row.horizon, runs: row.runs } : null;
  }

  /**
   * Writes a day's risks: a batch per call of `write` (each its own transaction, so a long list
   * does not hold the database), then `done` marks the day complete and drops older days.
   */
  begin(
    day: RiskDay,
    writtenAt: string,
  ): { write(batch: readonly ({ pathwayId: string } & BreachRisk)[]): void; done(): void } {
    this.db.transaction(() => {
      this.sql('DELETE FROM breach_risks WHERE as_of = ?').run(day.asOf);
      this.sql(
        'INSERT OR REPLACE INTO breach_risk_days (as_of, horizon, runs, complete, written_at) VALUES (?, ?, ?, 0, ?)',
      ).run(day.asOf, day.horizon, day.runs, writtenAt);
    })();
    const insert = this.sql('INSERT INTO breach_risks (as_of, pathway_id, over62, fds) VALUES (?, ?, ?, ?)');
    return {
      write: (batch) =>
        this.db.transaction(() => {
          for (const r of batch) insert.run(day.asOf, r.pathwayId, r.over62, r.fds);
        })(),
      done: () =>
        this.db.transaction(() => {
          this.sql('UPDATE breach_risk_days SET complete = 1 WHERE as_of = ?').run(day.asOf);
          this.sql('DELETE FROM breach_risks WHERE as_of < ?').run(day.asOf);
          this.sql('DELETE FROM breach_risk_days WHERE as_of < ?').run(day.asOf);
        })(),
    };
  }

  /** The risks of a page of pathways, from the latest complete day. */
  forPathways(pathwayIds: readonly string[]): Map<string, BreachRisk> {
    const found = new Map<string, BreachRisk>();
    const day = this.latest();
    if (!day || pathwayIds.length === 0) return found;
    const rows = this.sql(
      'SELECT pathway_id, over62, fds FROM breach_risks WHERE as_of = ? AND pathway_id IN (SELECT value FROM json_each(?))',
    ).all(day.asOf, JSON.stringify(pathwayIds)) as { pathway_id: string; over62: number; fds: number | null }[];
    for (const r of rows) found.set(r.pathway_id, { over62: r.over62, fds: r.fds });
    return found;
  }
}
