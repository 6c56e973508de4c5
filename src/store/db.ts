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
  options: { readonly?: boolean; migrationsDir?: string; cacheMb?: number } = {},
): Db {
  if (file !== ':memory:' && !options.readonly) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ownerOnly(file);
  }
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // durable against a killed process; WAL keeps every commit whole
    db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
  }
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${(options.cacheMb ?? 64) * 1024}`); // KiB: the default 2 MB makes large imports re-read index pages
  if (!options.readonly) migrate(db, migrations(options.migrationsDir));
  else if (pendingMigrations(db, migrations(options.migrationsDir)).length) {
    db.close();
    throw new Error(
      'it is read-only and needs upgrading to this version of OpenPTL: open it once where it can be written',
    );
  }
  return db;
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

/** Applies the migrations not yet applied, all in one transaction: an old database is upgraded in place. */
export function migrate(db: Db, all: Migration[]): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const pending = pendingMigrations(db, all);
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
    }
  }).immediate();
  return pending.map((m) => m.version);
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
