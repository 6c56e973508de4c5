// Opening the SQLite database: pragmas, numbered migrations in one transaction, WAL upkeep.
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(import.meta.dirname, '../../db/migrations');
/** Checkpoint when the WAL passes this size, so long-lived readers cannot make it grow without bound. */
const WAL_CHECKPOINT_BYTES = 64 * 1024 * 1024;

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

export function openDb(file: string, options: { readonly?: boolean; migrationsDir?: string; cacheMb?: number } = {}): Db {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // durable against a killed process; WAL keeps every commit whole
    db.pragma(`journal_size_limit = ${WAL_CHECKPOINT_BYTES}`);
  }
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${(options.cacheMb ?? 64) * 1024}`); // KiB: the default 2 MB makes large imports re-read index pages
  if (!options.readonly) migrate(db, migrations(options.migrationsDir));
  return db;
}

/** Applies the migrations not yet applied, all in one transaction: an old database is upgraded in place. */
export function migrate(db: Db, all: Migration[]): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const pending = all.filter((m) => !applied.has(m.version));
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
    }
  }).immediate();
  return pending.map((m) => m.version);
}

/** Checkpoints the WAL once it is large; cheap to call after every commit. */
export function checkpointIfLarge(db: Db): boolean {
  if (db.memory) return false;
  let size = 0;
  try {
    size = statSync(`${db.name}-wal`).size;
  } catch {
    return false;
  }
  if (size < WAL_CHECKPOINT_BYTES) return false;
  db.pragma('wal_checkpoint(RESTART)');
  return true;
}
