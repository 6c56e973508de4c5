// The trust's Index of Multiple Deprivation lookup (issue #27): each postcode's IMD decile (1 = the
// most deprived 10% of areas in England), loaded whole from a CSV (`openptl lookup load imd FILE`).
// A pathway's decile is read from here when the pathway is read, never stored with it, so loading
// a new lookup moves pathways between deciles without an event.
import type { Instant } from '../vocabulary/calendar.ts';
import { statementCache, type Db } from './db.ts';

export interface ImdLookupSource {
  file: string;
  postcodes: number;
  loadedAt: Instant;
  loadedBy: string;
}

export class ImdLookup {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Replaces the whole lookup in one transaction (normalised postcodes, deciles 1-10). */
  replace(entries: ReadonlyMap<string, number>, source: Omit<ImdLookupSource, 'postcodes'>): void {
    const insert = this.sql('INSERT INTO imd_lookup (postcode, decile) VALUES (?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM imd_lookup');
      for (const [postcode, decile] of entries) insert.run(postcode, decile);
      this.sql(
        'INSERT OR REPLACE INTO imd_lookup_source (id, file, postcodes, loaded_at, loaded_by) VALUES (1, ?, ?, ?, ?)',
      ).run(source.file, entries.size, source.loadedAt, source.loadedBy);
    })();
  }

  /** The postcode's decile, or null when the lookup does not have it. */
  decileOf(postcode: string | null): number | null {
    if (postcode === null) return null;
    return (this.sql('SELECT decile FROM imd_lookup WHERE postcode = ?').pluck().get(postcode) as number) ?? null;
  }

  /** A memo of decileOf for one long read (a split reads each postcode once). */
  reader(): (postcode: string | null) => number | null {
    const seen = new Map<string, number | null>();
    return (postcode) => {
      if (postcode === null) return null;
      let decile = seen.get(postcode);
      if (decile === undefined) seen.set(postcode, (decile = this.decileOf(postcode)));
      return decile;
    };
  }

  /** What is loaded: how many postcodes, from which file, when and by whom (null: nothing loaded). */
  source(): ImdLookupSource | null {
    const row = this.sql('SELECT file, postcodes, loaded_at, loaded_by FROM imd_lookup_source WHERE id = 1').get() as
      { file: string; postcodes: number; loaded_at: Instant; loaded_by: string } | undefined;
    return row ? { file: row.file, postcodes: row.postcodes, loadedAt: row.loaded_at, loadedBy: row.loaded_by } : null;
  }
}
