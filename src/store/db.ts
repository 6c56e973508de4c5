// Opening the SQLite database: pragmas, numbered migrations in one transaction, WAL upkeep.
// The database holds patient data: it is created readable by its owner only (0600), and SQLite
// gives its WAL and shared-memory files the database file's permissions.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../paths.ts';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(ROOT, 'db/migrations');
/** The WAL is cut back to this size when it restarts (SQLite checkpoints it at commit past 4 MB). */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function migrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((f) => ({ version: Number(f.split('_')[0]), name: f, sql: readFileSync(join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

export function openDb(
  file: string,
  options: {
    readonly?: boolean;
    migrationsDir?: string;
    cacheMb?: number;
    /** Read every page first (SQLite's quick_check) and refuse a damaged file before anything is written (serve, check). */
    verify?: boolean;
  } = {},
): Db {
  if (file !== ':memory:' && !options.readonly) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ownerOnly(file);
  }
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL'); // durable against a killed process; WAL keeps every commit whole
      db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${(options.cacheMb ?? 64) * 1024}`); // KiB: the default 2 MB makes large imports re-read index pages
    const problem = options.verify ? damage(db) : null;
    if (problem)
      throw new DatabaseRefused(
        `the file is damaged (SQLite's check found: ${problem.replace(/\s*\n\s*/g, '; ')}): restore the latest backup; nothing was changed`,
      );
    const all = migrations(options.migrationsDir);
    if (!options.readonly) migrate(db, all);
    else {
      refuseUnknownMigrations(db, all);
      if (pendingMigrations(db, all).length)
        throw new Error(
          'it is read-only and needs upgrading to this version of OpenPTL: open it once where it can be written',
        );
    }
  } catch (err) {
    db.close();
    throw damaged(err) ?? err;
  }
  return db;
}

/** SQLite's word that a file is not a database, or a damaged one, as a refusal a person can act on. */
function damaged(err: unknown): DatabaseRefused | null {
  const code = (err as { code?: unknown }).code;
  if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') return null;
  return new DatabaseRefused(
    `the file is damaged or is not an OpenPTL database (${(err as Error).message}): restore it from a backup; nothing was changed`,
  );
}

/**
 * A new database file is created 0600. An existing one (or its WAL or shared-memory file) that
 * every local user may read was left so by a umask, not chosen: it becomes 0600 too. One whose
 * permissions give others nothing (0640 for a backup group, say) was chosen and is left alone.
 */
function ownerOnly(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (statSync(f).mode & 0o007) chmodSync(f, 0o600);
    } catch {
      /* absent, or not ours to change */
    }
  }
}

function pendingMigrations(db: Db, all: Migration[]): Migration[] {
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  return all.filter((m) => !applied.has(m.version));
}

/**
 * One build, one database (issue #25): a database carrying a migration this build does not have
 * was written by another build (a newer one, or a branch's): opening it would read tables and rows
 * this build does not understand, and its writes would leave them wrong for the build that made
 * them. Refused, naming both.
 */
function refuseUnknownMigrations(db: Db, all: Migration[]): void {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) return;
  const known = new Set(all.map((m) => m.version));
  const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
  }[];
  const unknown = applied.filter((m) => !known.has(m.version));
  if (unknown.length === 0) return;
  const latest = all[all.length - 1];
  throw new DatabaseRefused(
    `the database was made by another build of OpenPTL: it carries migration ${unknown.map((m) => m.name).join(', ')}, which this build does not know (this build's schema ends at ${latest?.name ?? 'none'}). Run the build that made it, or restore the backup taken before it was upgraded; nothing was changed`,
  );
}

/** A database this build will not open (another build's, or damaged): the message says why and what to do. */
export class DatabaseRefused extends Error {}

/**
 * Applies the migrations not yet applied, all in one transaction: an old database is upgraded in
 * place. Foreign keys are off while they run (SQLite's way of making a table again: dropping the
 * old one must not delete the rows that name it) and checked before the transaction commits.
 */
export function migrate(db: Db, all: Migration[]): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  refuseUnknownMigrations(db, all);
  const pending = pendingMigrations(db, all);
  if (pending.length === 0) return [];
  const foreignKeys = db.pragma('foreign_keys', { simple: true });
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
      }
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`the upgrade would break ${broken.length} references between tables`);
    }).immediate();
  } finally {
    db.pragma(`foreign_keys = ${Number(foreignKeys)}`);
  }
  return pending.map((m) => m.version);
}

/**
 * SQLite's quick_check of every page (issue #25): a damaged file is refused at start with a
 * message, not found by a request failing later. It reads the whole file (a second or so per GB).
 */
export function damage(db: Db): string | null {
  try {
    const problems = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
    const text = problems.map((p) => p.quick_check).filter((p) => p !== 'ok');
    return text.length ? text.join('; ') : null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Prepares each SQL text once per connection: preparing costs more than running a small query. */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
