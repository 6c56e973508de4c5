// CLI commands over the event store: backlog, import, rebuild, backup. All take --db FILE.
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  createReadStream,
  existsSync,
  linkSync,
  lstatSync,
  openSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { systemClock, today, type WallClock } from '../wall-clock.ts';
import { instantOf, isIsoDate } from '../vocabulary/calendar.ts';
import { openDb } from '../store/db.ts';
import { AppError } from '../errors.ts';
import { identifier } from '../vocabulary/events.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { importKey } from '../store/idempotency.ts';
import type { Store } from '../store/store.ts';
import { PathwayCommands, type AppendRequest } from '../pathways/commands.ts';
import { openStore } from '../pathways/open.ts';
import { rebuild } from '../pathways/project.ts';
import { CliError, helpIfAsked } from './errors.ts';
import { passProgress, progress, withProgress } from './progress.ts';
import { auditCli } from './audit-entry.ts';

export const DEFAULT_DB = './data/openptl.db';
// Events per transaction: bigger batches dirty each index page once for many events, which is most of
// the cost once the database outgrows memory (England scale); the price is memory for the batch.
const IMPORT_BATCH = 100_000;
// Bulk commands keep more of the database in SQLite's own cache than the server does.
const BULK_CACHE_MB = 1024;
/** An import line longer than this is refused unread (an event is well under 1 KB; the API takes 64 KB). */
export const MAX_IMPORT_LINE_BYTES = 64 * 1024;

/** Parses a command's options, turning node's own messages into a CliError. */
export function options<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(
  args: string[],
  spec: T,
  usage: string,
) {
  helpIfAsked(args, usage);
  try {
    return parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\nusage: ${usage}`);
  }
}

/**
 * Opens an existing database (read commands must not create an empty one by accident). With
 * `readOnlyOk`, a database this user cannot write (a read-only file or disk) is opened read-only:
 * the command reads, and an access log entry it cannot write is reported on stderr.
 */
export function openDatabase(
  file: string,
  clock: WallClock = systemClock,
  { mustExist = true, cacheMb = undefined as number | undefined, readOnlyOk = false, verify = false } = {},
): Store {
  if (mustExist && !existsSync(file))
    throw new CliError(`no database at ${file} (give --db FILE, or import or serve first)`);
  const readonly = readOnlyOk && existsSync(file) && !writable(file);
  try {
    const store = openStore(openDb(file, { cacheMb, readonly, verify }), clock);
    const { access, backlog } = store;
    backlog.onPass = passProgress('Counting the backlog of each past day');
    access.onWriteError = (err) =>
      process.stderr.write(
        `openptl: warning: the access log could not be written (${(err as { code?: string }).code ?? (err as Error).name}); ${access.waiting} entries not kept\n`,
      );
    return store;
  } catch (err) {
    throw new CliError(`cannot open database ${file}${readonly ? ' (read-only)' : ''}: ${(err as Error).message}`);
  }
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function backlogCommand(args: string[], clock: WallClock = systemClock): void {
  const usage = 'openptl backlog [--as-of YYYY-MM-DD] [--db FILE]';
  const { values, positionals } = options(args, { 'as-of': { type: 'string' }, db: { type: 'string' } }, usage);
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const asOf = values['as-of'] ?? today(clock);
  if (!isIsoDate(asOf)) throw new CliError(`--as-of: must be a real calendar date, YYYY-MM-DD (got ${asOf})`);
  if (asOf < EARLIEST_EVENT_DATE)
    throw new CliError(`--as-of: ${asOf} is before ${EARLIEST_EVENT_DATE}: nothing is recorded before then`);
  const { backlog } = openDatabase(values.db ?? DEFAULT_DB, clock, { readOnlyOk: true });
  const counts = backlog.asOfNow(asOf, today(clock));
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

export async function importCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const usage = 'openptl import FILE [--db FILE] [--batch-size N]';
  const { values, positionals } = options(args, { db: { type: 'string' }, 'batch-size': { type: 'string' } }, usage);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new CliError(`usage: ${usage}`);
  const batchSize = Number(values['batch-size'] ?? IMPORT_BATCH);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000) {
    throw new CliError(
      `--batch-size: must be a whole number of events from 1 to 1000000 (got ${values['batch-size']})`,
    );
  }
  if (!existsSync(file)) throw new CliError(`no such file ${file}`);
  const commands = new PathwayCommands(
    openDatabase(values.db ?? DEFAULT_DB, clock, { mustExist: false, cacheMb: BULK_CACHE_MB }),
  );
  const actor = `import:${basename(file)}`;
  const summary = { read: 0, imported: 0, duplicates: 0, rejected: 0 };
  const reject = (line: number, message: string) => {
    summary.rejected++;
    process.stderr.write(`line ${line}: ${message}\n`);
  };
  let batch: { line: number; request: AppendRequest }[] = [];
  const flush = () => {
    const outcomes = commands.appendMany(batch.map((b) => b.request));
    outcomes.forEach((outcome, i) => {
      if (outcome instanceof AppError) reject(batch[i]!.line, `${batch[i]!.request.pathwayId}: ${outcome.message}`);
      else if (outcome === 'written') summary.imported++;
      else summary.duplicates++;
    });
    batch = [];
  };
  const now = clock.now().toISOString();
  let lineNo = 0;
  const size = statSync(file).size;
  let read = 0; // characters, near enough bytes for JSON: the progress a terminal shows
  const shown = progress(`Importing ${basename(file)}`);
  for await (const line of ndjsonLines(createReadStream(file), MAX_IMPORT_LINE_BYTES)) {
    lineNo++;
    read += line.text.length + 1;
    shown.step(read, size);
    if (line.tooLong) {
      summary.read++;
      reject(lineNo, `longer than ${MAX_IMPORT_LINE_BYTES / 1024} KB: not read`);
      continue;
    }
    // A byte-order mark (some Windows tools write one) is not part of the first line.
    const text = lineNo === 1 ? line.text.replace(/^\uFEFF/, '') : line.text;
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
  shown.end();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (summary.rejected > 0) process.exitCode = 1;
}

/**
 * The lines of a file as readline splits them (at LF, CRLF or CR), but in bounded memory: a line
 * longer than `maxBytes` is skipped to its end and reported as too long, never held whole.
 */
export async function* ndjsonLines(
  input: Readable,
  maxBytes: number,
): AsyncGenerator<{ text: string; tooLong: false } | { text: ''; tooLong: true }> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let afterCr = false;
  const take = (piece: Buffer) => {
    if (tooLong || piece.length === 0) return;
    if (size + piece.length > maxBytes) {
      tooLong = true;
      parts = [];
      return;
    }
    parts.push(piece);
    size += piece.length;
  };
  const line = () => {
    const text = parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts).toString('utf8');
    const done = tooLong ? { text: '' as const, tooLong: true as const } : { text, tooLong: false as const };
    parts = [];
    size = 0;
    tooLong = false;
    return done;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    // The LF of a CRLF split across two chunks belongs to the line already ended.
    let start: number = afterCr && chunk[0] === 0x0a ? 1 : 0;
    afterCr = false;
    let cr = chunk.indexOf(0x0d, start); // most files have none: looked for once, then only when passed
    for (;;) {
      const lf: number = chunk.indexOf(0x0a, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(0x0d, start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) break;
      take(chunk.subarray(start, end));
      yield line();
      start = end + 1;
      if (chunk[end] === 0x0d) {
        if (end + 1 === chunk.length) afterCr = true;
        else if (chunk[end + 1] === 0x0a) start = end + 2;
      }
    }
    take(chunk.subarray(start));
  }
  if (size > 0 || tooLong) yield line();
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
    // Not the parser's own message: it quotes the line, which may hold patient details.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    return `invalid JSON${at === undefined ? '' : ` at character ${Number(at) + 1}`} (check the line's brackets, quotes and commas)`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object';
  const { pathwayId, recordedAt, actor, ...event } = value as Record<string, unknown>;
  const id = identifier.safeParse(pathwayId);
  if (!id.success) return `pathwayId: ${id.error.issues[0]!.message}`;
  if (recordedAt !== undefined) {
    if (typeof recordedAt !== 'string' || Number.isNaN(Date.parse(recordedAt)) || !recordedAt.endsWith('Z'))
      return 'recordedAt: must be an ISO timestamp in UTC (…Z)';
    if (recordedAt > now) return 'recordedAt: must not be in the future';
  }
  if (actor !== undefined && typeof actor !== 'string') return 'actor: must be a string';
  return {
    pathwayId: id.data,
    event,
    ...(recordedAt !== undefined ? { recordedAt: instantOf(new Date(recordedAt)) } : {}),
    ...(actor !== undefined ? { actor } : {}),
  };
}

export function rebuildCommand(args: string[], clock: WallClock = systemClock): void {
  const { values, positionals } = options(args, { db: { type: 'string' } }, 'openptl rebuild [--db FILE]');
  if (positionals.length) throw new CliError('usage: openptl rebuild [--db FILE]');
  const store = openDatabase(values.db ?? DEFAULT_DB, clock, { cacheMb: BULK_CACHE_MB });
  const result = withProgress('Rebuilding the projection', (p) => rebuild(store, p.step));
  // The daily backlog snapshots are made again too, so the server answers past days at once.
  const { backlog } = store;
  backlog.fillNow(null, today(clock));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** `openptl check`: the pathways whose kept history breaks a guard rail of the current rules (R18). */
export function checkCommand(args: string[], clock: WallClock = systemClock): void {
  const { values, positionals } = options(args, { db: { type: 'string' } }, 'openptl check [--db FILE]');
  if (positionals.length) throw new CliError('usage: openptl check [--db FILE]');
  // A damaged file is refused with SQLite's finding (issue #25), before any pathway is read.
  const store = openDatabase(values.db ?? DEFAULT_DB, clock, { readOnlyOk: true, verify: true });
  let flagged = 0;
  const { rows } = store;
  for (const { pathwayId, reasons } of rows.needingReview()) {
    flagged++;
    process.stdout.write(`${JSON.stringify({ pathwayId, needsReview: reasons })}\n`);
  }
  process.stderr.write(
    `openptl: ${flagged} pathway${flagged === 1 ? '' : 's'} flagged for review (clock rules version ${store.rulesVersion()})\n`,
  );
  if (flagged > 0) process.exitCode = 1;
}

export async function backupCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const usage = 'openptl backup FILE [--db FILE]';
  const { values, positionals } = options(args, { db: { type: 'string' } }, usage);
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new CliError(`usage: ${usage}`);
  if (existsOrLink(target)) throw new CliError(`${target} already exists: choose a new file for the backup`);
  const store = openDatabase(values.db ?? DEFAULT_DB, clock, { readOnlyOk: true });
  // Copied into a new file of our own (0600, made with O_EXCL, so never through a link), then
  // linked to its name: link() fails if the name exists meanwhile, even as a symbolic link, so a
  // backup never writes over anything.
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    closeSync(openSync(temp, 'wx', 0o600));
    const { totalPages } = await store.backup(temp);
    linkSync(temp, target);
    auditCli(store, 'backup_made', { detail: { file: basename(target), pages: totalPages } });
    process.stdout.write(`${JSON.stringify({ backup: target, pages: totalPages })}\n`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new CliError(
      code === 'EEXIST'
        ? `${target} already exists: choose a new file for the backup`
        : `backup to ${target} failed: ${(err as Error).message}`,
    );
  } finally {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
  }
}

/** True for an existing file, and for a symbolic link even when it points nowhere. */
function existsOrLink(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
