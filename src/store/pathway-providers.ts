// The pathway_providers table (issue #25): every provider a pathway has been at (its referral's,
// and each it was transferred to), so that a user scoped to some providers sees the pathways those
// providers have held, a pathway transferred between two being seen by both. Written with each
// event and by a rebuild (src/pathways/project.ts); only added to, since a provider that has held a
// pathway keeps the record of it (a transfer voided later too).
import type { Scope } from '../auth/roles.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import { statementCache, type Db } from './db.ts';

/**
 * The SQL condition that keeps a query to a scope, over a table with a pathway_id column; its
 * parameter @scope is the scope as JSON (`scopeParam`). One statement whatever the scope's size.
 */
export const IN_SCOPE =
  'pathway_id IN (SELECT pathway_id FROM pathway_providers WHERE provider IN (SELECT value FROM json_each(@scope)))';

/** The scope as the @scope parameter of IN_SCOPE. */
export const scopeParam = (scope: readonly string[]) => JSON.stringify(scope);

/** The provider an event brings a pathway to, if any. */
export function providerOf(event: PathwayEvent): string | null {
  if (event.type === 'referral_received') return event.provider ?? null;
  if (event.type === 'transferred') return event.toProvider;
  return null;
}

export class PathwayProviders {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Notes that a pathway is (or was) at a provider (in the caller's transaction). */
  add(pathwayId: string, provider: string): void {
    this.sql('INSERT OR IGNORE INTO pathway_providers (pathway_id, provider) VALUES (?, ?)').run(pathwayId, provider);
  }

  /** Every provider the pathway has been at, in order of their codes. */
  of(pathwayId: string): string[] {
    return this.sql('SELECT provider FROM pathway_providers WHERE pathway_id = ? ORDER BY provider')
      .pluck()
      .all(pathwayId) as string[];
  }

  /** True when a user with this scope sees the pathway (every user with no scope does). */
  inScope(pathwayId: string, scope: Scope): boolean {
    if (scope === null) return true;
    return (
      this.sql(
        `SELECT 1 FROM pathway_providers WHERE pathway_id = @id AND provider IN (SELECT value FROM json_each(@scope))`,
      )
        .pluck()
        .get({ id: pathwayId, scope: scopeParam(scope) }) !== undefined
    );
  }

  /** Of these pathway ids, those a scope sees, in the order given. */
  filter(pathwayIds: readonly string[], scope: Scope): string[] {
    if (scope === null) return [...pathwayIds];
    return pathwayIds.filter((id) => this.inScope(id, scope));
  }

  /** Empties the table, for a rebuild inside the caller's transaction. */
  clear(): void {
    this.db.exec('DELETE FROM pathway_providers');
  }
}
