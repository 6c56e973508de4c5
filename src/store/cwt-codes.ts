// The code lists a trust keeps for the national CWT record (cwt_code_list) and the columns of
// the monthly CSV (cwt_extract_column), db/migrations/031: read here, changed with `openptl codes`.
// Small tables, read once and read again when another connection has written.
import { AppError } from '../errors.ts';
import { TRUST_LISTS, type TrustCode, type TrustListName } from '../vocabulary/cwt-codes.ts';
import { TRUST_CODED_ITEMS } from '../vocabulary/national-items.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import { statementCache, type Db } from './db.ts';

export interface ExtractColumn {
  position: number;
  /** What OpenPTL fills the column with (src/returns/cwt-record.ts). */
  item: string;
  /** The data dictionary element name written in the header. */
  element: string;
}

interface Loaded {
  dataVersion: number;
  codes: TrustCode[];
  byList: Map<TrustListName, Map<string, TrustCode>>;
  byMaps: Map<string, TrustCode>;
  columns: ExtractColumn[];
}

export class CodeLists {
  private readonly sql;
  private loaded: Loaded | null = null;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  private load(): Loaded {
    const dataVersion = this.sql('PRAGMA data_version').pluck().get() as number;
    if (this.loaded && this.loaded.dataVersion === dataVersion) return this.loaded;
    const rows = this.sql(
      'SELECT list, code, label, maps, confirmed, comment_required FROM cwt_code_list ORDER BY list, code',
    ).all() as {
      list: TrustListName;
      code: string;
      label: string;
      maps: string | null;
      confirmed: number;
      comment_required: number;
    }[];
    const codes = rows.map((r): TrustCode => ({
      list: r.list,
      code: r.code,
      label: r.label,
      maps: r.maps,
      confirmed: r.confirmed === 1,
      commentRequired: r.comment_required === 1,
    }));
    const byList = new Map<TrustListName, Map<string, TrustCode>>();
    const byMaps = new Map<string, TrustCode>();
    for (const c of codes) {
      let list = byList.get(c.list);
      if (!list) byList.set(c.list, (list = new Map()));
      list.set(c.code, c);
      if (c.maps !== null) byMaps.set(`${c.list}|${c.maps}`, c);
    }
    const columns = this.sql(
      'SELECT position, item, element FROM cwt_extract_column ORDER BY position',
    ).all() as ExtractColumn[];
    this.loaded = { dataVersion, codes, byList, byMaps, columns };
    return this.loaded;
  }

  /** Every code the trust keeps, by list then code. */
  all(): TrustCode[] {
    return this.load().codes;
  }

  get(list: TrustListName, code: string): TrustCode | undefined {
    return this.load().byList.get(list)?.get(code);
  }

  /** The code standing for one of OpenPTL's own values in a mapping list (a tumour site's referral type). */
  codeFor(list: TrustListName, maps: string): TrustCode | undefined {
    return this.load().byMaps.get(`${list}|${maps}`);
  }

  /** The CSV's columns, in order. */
  columns(): ExtractColumn[] {
    return this.load().columns;
  }

  /**
   * The first problem with an event's codes from the trust's lists: a code not in its list, or a
   * code that needs a comment given without one. Null when there is none.
   */
  eventProblem(event: PathwayEvent): { field: string; message: string } | null {
    const e = event as unknown as Record<string, unknown>;
    for (const [field, list] of Object.entries(TRUST_CODED_ITEMS)) {
      const code = e[field];
      if (typeof code !== 'string') continue;
      const entry = this.get(list, code);
      if (!entry)
        return {
          field,
          message: `${code} is not in the trust's ${list.replaceAll('_', ' ')} list (${[...(this.load().byList.get(list)?.keys() ?? [])].join(', ')})`,
        };
      if (field === 'delayReason' && entry.commentRequired && e.delayComment === undefined) {
        return { field: 'delayComment', message: `is needed with delay reason ${code} (${entry.label})` };
      }
    }
    return null;
  }

  /** Adds or corrects a code (`openptl codes set`). */
  set(entry: {
    list: string;
    code: string;
    label: string;
    maps?: string | null;
    confirmed?: boolean;
    commentRequired?: boolean;
  }): TrustCode {
    const list = checkList(entry.list);
    if (!/^[0-9A-Z]{1,3}$/.test(entry.code))
      throw new AppError('invalid_request', `code: ${entry.code} must be 1 to 3 capital letters or digits`, 'code');
    if (entry.label.trim() === '') throw new AppError('invalid_request', 'label: must not be empty', 'label');
    const maps = entry.maps ?? null;
    const clash = maps === null ? undefined : this.codeFor(list, maps);
    if (clash && clash.code !== entry.code)
      throw new AppError(
        'invalid_request',
        `maps: ${maps} is already code ${clash.code} in ${list}; remove that first`,
        'maps',
      );
    this.sql(
      `INSERT INTO cwt_code_list (list, code, label, maps, confirmed, comment_required) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (list, code) DO UPDATE SET label = excluded.label, maps = excluded.maps, confirmed = excluded.confirmed, comment_required = excluded.comment_required`,
    ).run(list, entry.code, entry.label.trim(), maps, entry.confirmed ? 1 : 0, entry.commentRequired ? 1 : 0);
    this.loaded = null;
    return this.get(list, entry.code)!;
  }

  /** Removes a code (`openptl codes remove`); false when there was none. */
  remove(list: string, code: string): boolean {
    const removed =
      this.sql('DELETE FROM cwt_code_list WHERE list = ? AND code = ?').run(checkList(list), code).changes > 0;
    this.loaded = null;
    return removed;
  }

  /** Replaces the CSV's columns: items in the order given, each with its header. */
  setColumns(columns: { item: string; element: string }[], knownItems: readonly string[]): void {
    const unknown = columns.find((c) => !knownItems.includes(c.item));
    if (unknown)
      throw new AppError(
        'invalid_request',
        `item: ${unknown.item} is not an item OpenPTL fills in; known items: ${knownItems.join(', ')}`,
        'item',
      );
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c.item)) throw new AppError('invalid_request', `item: ${c.item} is given twice`, 'item');
      seen.add(c.item);
    }
    this.db
      .transaction(() => {
        this.sql('DELETE FROM cwt_extract_column').run();
        const insert = this.sql('INSERT INTO cwt_extract_column (position, item, element) VALUES (?, ?, ?)');
        columns.forEach((c, i) => insert.run(i + 1, c.item, c.element.trim()));
      })
      .immediate();
    this.loaded = null;
  }
}

function checkList(list: string): TrustListName {
  if (!(TRUST_LISTS as readonly string[]).includes(list)) {
    throw new AppError(
      'invalid_request',
      `list: ${list} is not a list the trust keeps; lists: ${TRUST_LISTS.join(', ')}`,
      'list',
    );
  }
  return list as TrustListName;
}
