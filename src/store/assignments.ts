// The assignments table (workspace #15): which tracker looks after a pathway, for "my patients".
// Operational, not clinical: replaced or removed at will, never an event.
import { statementCache, type Db } from './db.ts';

export class Assignments {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Assigns the pathways to `assignee`, or unassigns them (null), in one transaction. */
  assign(pathwayIds: readonly string[], assignee: string | null, by: string, at: string): void {
    const set = this.sql(
      'INSERT OR REPLACE INTO assignments (pathway_id, assignee, assigned_by, assigned_at) VALUES (?, ?, ?, ?)',
    );
    const unset = this.sql('DELETE FROM assignments WHERE pathway_id = ?');
    this.db
      .transaction(() => {
        for (const id of pathwayIds) {
          if (assignee === null) unset.run(id);
          else set.run(id, assignee, by, at);
        }
      })
      .immediate();
  }

  of(pathwayId: string): string | null {
    return (
      (this.sql('SELECT assignee FROM assignments WHERE pathway_id = ?').pluck().get(pathwayId) as
        string | undefined) ?? null
    );
  }

  forPathways(pathwayIds: readonly string[]): Map<string, string> {
    if (pathwayIds.length === 0) return new Map();
    const rows = this.sql(
      'SELECT pathway_id, assignee FROM assignments WHERE pathway_id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(pathwayIds)) as { pathway_id: string; assignee: string }[];
    return new Map(rows.map((r) => [r.pathway_id, r.assignee]));
  }
}
