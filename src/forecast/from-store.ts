// The store adapter: the forecast's read of a database as at a day. Only the pathways that matter
// are read (open at the end of the as-of day, or with anything dated in the calibration's windows:
// calibrate.ts readWindows), each cut at the end of that day by the store's own "as at" reader
// (src/queries/as-at.ts), in chunks of ids that worker threads can share (pool.ts). Everything past
// this line is pure (read.ts, calibrate.ts).
import { dayNumber, endOfLondonDay, type IsoDate } from '../vocabulary/calendar.ts';
import { activeChunks, earliestReferralLeftOut, recordedBy } from '../queries/as-at.ts';
import { Store } from '../store/store.ts';
import { openDb } from '../store/db.ts';
import { systemClock } from '../wall-clock.ts';
import { readWindows, type CalibrationBuilder } from './calibrate.ts';
import { calibrationBuilder, gather, inputOf, type ForecastInput } from './read.ts';

export type ReadModels = Pick<Store, 'rows' | 'log'>;

/** Pathways per chunk of the read: small enough to share out evenly, large enough that each query pays. */
export const CHUNK = 2000;

/**
 * SQLite's page cache (MB) for a connection the forecast reads through: the read takes the pages
 * of each chunk once, in id order, so a large cache would only hold memory (64 MB a connection,
 * one per worker thread) without making the read any faster.
 */
export const READ_CACHE_MB = 8;

/** The chunks of pathway ids the forecast as at `asOf` reads, in id order. */
export function chunksToRead(models: ReadModels, asOf: IsoDate): Iterable<string[]> {
  return activeChunks(models, endOfLondonDay(asOf), readWindows(asOf), CHUNK);
}

/** Reads one chunk into `builder` (made as at `asOf`). */
export function readChunk(models: ReadModels, asOf: IsoDate, ids: readonly string[], builder: CalibrationBuilder) {
  gather(recordedBy(models, ids, endOfLondonDay(asOf)), asOf, {}, builder);
}

/** The pathways left unread still date the start of the history (CalibrationBuilder.referredBy). */
export function noteLeftOut(models: ReadModels, asOf: IsoDate, builder: CalibrationBuilder): void {
  const earliest = earliestReferralLeftOut(models, endOfLondonDay(asOf), readWindows(asOf));
  if (earliest !== null) builder.referredBy(dayNumber(earliest));
}

/** The forecast's input as at `asOf`, read in this thread, a chunk at a time. */
export function readAll(models: ReadModels, asOf: IsoDate): ForecastInput {
  const builder = calibrationBuilder(asOf);
  for (const ids of chunksToRead(models, asOf)) readChunk(models, asOf, ids, builder);
  noteLeftOut(models, asOf, builder);
  return inputOf(builder);
}

/** A database file opened read-only: a worker thread's own connection. */
export function readOnly(file: string): ReadModels & Pick<Store, 'close'> {
  return new Store(openDb(file, { readonly: true, cacheMb: READ_CACHE_MB }), systemClock);
}
