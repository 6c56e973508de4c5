// CLI commands over the event store: backlog, import, rebuild, backup. All take --db FILE.
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { systemClock, today, type WallClock } from '../wall-clock.ts';
import { isIsoDate } from '../cwt/calendar.ts';
import { openDb } from '../store/db.ts';
import { AppError } from '../errors.ts';
import { identifier } from '../domain/events.ts';
import { importKey } from '../store/idempotency.ts';
import { Store, type AppendRequest } from '../store/store.ts';
import { CliError } from './errors.ts';

export const DEFAULT_DB = './data/openptl.db';
// Events per transaction: bigger batches dirty each index page once for many events, which is most of
// the cost once the database outgrows memory (England scale); the price is memory for the batch.
const IMPORT_BATCH = 100_000;
// Bulk commands keep more of the database in SQLite's own cache than the server does.
const BULK_CACHE_MB = 1024;

/** Parses a command's options, turning node's own messages into a CliError. */
export function options<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(args: string[], spec: T, usage: string) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\nusage: ${usage}`);
  }
}

/** Opens an existing database (read commands must not create an empty one by accident). */
export function openStore(file: string, clock: WallClock = systemClock, { mustExist = true, cacheMb = undefined as number | undefined } = {}): Store {
  if (mustExist && !existsSync(file)) throw new CliError(`no database at ${file} (give --db FILE, or import or serve first)`);
  try {
    return new Store(openDb(file, { cacheMb }), clock);
  } catch (err) {
    throw new CliError(`cannot open database ${file}: ${(err as Error).message}`);
  }
}

export function backlogCommand(args: string[], clock: WallClock = systemClock): void {
  const usage = 'openptl backlog [--as-of YYYY-MM-DD] [--db FILE]';
  const { values, positionals } = options(args, { 'as-of': { type: 'string' }, db: { type: 'string' } }, usage);
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const asOf = values['as-of'] ?? today(clock);
  if (!isIsoDate(asOf)) throw new CliError(`--as-of: must be a real calendar date, YYYY-MM-DD (got ${asOf})`);
  const store = openStore(values.db ?? DEFAULT_DB, clock);
  const counts = store.backlog.asOfNow(asOf, today(clock));
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

export async function importCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const usage = 'openptl import FILE [--db FILE] [--batch-size N]';
  const { values, positionals } = options(args, { db: { type: 'string' }, 'batch-size': { type: 'string' } }, usage);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new CliError(`usage: ${usage}`);
  const batchSize = Number(values['batch-size'] ?? IMPORT_BATCH);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000) {
    throw new CliError(`--batch-size: must be a whole number of events from 1 to 1000000 (got ${values['batch-size']})`);
  }
  if (!existsSync(file)) throw new CliError(`no such file ${file}`);
  const store = openStore(values.db ?? DEFAULT_DB, clock, { mustExist: false, cacheMb: BULK_CACHE_MB });
  const actor = `import:${basename(file)}`;
  const summary = { read: 0, imported: 0, duplicates: 0, rejected: 0 };
  const reject = (line: number, message: string) => {
    summary.rejected++;
    process.stderr.write(`line ${line}: ${message}\n`);
  };
  let batch: { line: number; request: AppendRequest }[] = [];
  const flush = () => {
    const outcomes = store.appendMany(batch.map((b) => b.request));
    outcomes.forEach((outcome, i) => {
      if (outcome instanceof AppError) reject(batch[i]!.line, `${batch[i]!.request.pathwayId}: ${outcome.message}`);
      else if (outcome === 'written') summary.imported++;
      else summary.duplicates++;
    });
    batch = [];
  };
  const now = clock.now().toISOString();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === '') continue;
    summary.read++;
    const parsed = parseImportLine(text, now);
    if (typeof parsed === 'string') {
      reject(lineNo, parsed);
      continue;
    }
    // Importing the same file again adds nothing: an event with an id repeats by its id (which needs no
    // idempotency key to index); one without is keyed by the line itself where it stands in the file.
    const idempotencyKey = hasEventId(parsed.event) ? undefined : importKey(parsed.pathwayId, lineNo, text);
    batch.push({ line: lineNo, request: { ...parsed, actor: parsed.actor ?? actor, idempotencyKey } });
    if (batch.length >= batchSize) flush();
  }
  if (batch.length) flush();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (summary.rejected > 0) process.exitCode = 1;
}

function hasEventId(event: unknown): boolean {
  return typeof (event as { id?: unknown }).id === 'string';
}

/** One import line: an event with its pathwayId, and optionally recordedAt and actor; or why not. */
function parseImportLine(text: string, now: string): (Omit<AppendRequest, 'actor'> & { actor?: string }) | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object';
  const { pathwayId, recordedAt, actor, ...event } = value as Record<string, unknown>;
  const id = identifier.safeParse(pathwayId);
  if (!id.success) return `pathwayId: ${id.error.issues[0]!.message}`;
  if (recordedAt !== undefined) {
    if (typeof recordedAt !== 'string' || Number.isNaN(Date.parse(recordedAt)) || !recordedAt.endsWith('Z')) return 'recordedAt: must be an ISO timestamp in UTC (…Z)';
    if (recordedAt > now) return 'recordedAt: must not be in the future';
  }
  if (actor !== undefined && typeof actor !== 'string') return 'actor: must be a string';
  return { pathwayId: id.data, event, ...(recordedAt !== undefined ? { recordedAt: new Date(recordedAt).toISOString() } : {}), ...(actor !== undefined ? { actor } : {}) };
}

export function rebuildCommand(args: string[], clock: WallClock = systemClock): void {
  const { values, positionals } = options(args, { db: { type: 'string' } }, 'openptl rebuild [--db FILE]');
  if (positionals.length) throw new CliError('usage: openptl rebuild [--db FILE]');
  const store = openStore(values.db ?? DEFAULT_DB, clock, { cacheMb: BULK_CACHE_MB });
  const result = store.rebuild();
  // The daily backlog snapshots are made again too, so the server answers past days at once.
  const now = today(clock);
  store.backlog.fillNow(null, now);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** `openptl check`: the pathways whose kept history breaks a guard rail of the current rules (R18). */
export function checkCommand(args: string[], clock: WallClock = systemClock): void {
  const { values, positionals } = options(args, { db: { type: 'string' } }, 'openptl check [--db FILE]');
  if (positionals.length) throw new CliError('usage: openptl check [--db FILE]');
  const store = openStore(values.db ?? DEFAULT_DB, clock);
  let flagged = 0;
  for (const { pathwayId, reasons } of store.rows.needingReview()) {
    flagged++;
    process.stdout.write(`${JSON.stringify({ pathwayId, needsReview: reasons })}\n`);
  }
  process.stderr.write(`openptl: ${flagged} pathway${flagged === 1 ? '' : 's'} flagged for review (clock rules version ${store.rulesVersion()})\n`);
  if (flagged > 0) process.exitCode = 1;
}

export async function backupCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const usage = 'openptl backup FILE [--db FILE]';
  const { values, positionals } = options(args, { db: { type: 'string' } }, usage);
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new CliError(`usage: ${usage}`);
  if (existsSync(target)) throw new CliError(`${target} already exists: choose a new file for the backup`);
  const store = openStore(values.db ?? DEFAULT_DB, clock);
  try {
    const { totalPages } = await store.backup(target);
    process.stdout.write(`${JSON.stringify({ backup: target, pages: totalPages })}\n`);
  } catch (err) {
    throw new CliError(`backup to ${target} failed: ${(err as Error).message}`);
  }
}
