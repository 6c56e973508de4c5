// The store adapter: the forecast's read of a database as at a day, or several days in one pass. Only
// the pathways that matter are read (open at the end of an as-of day, or with anything dated in the
// calibration's windows: calibrate.ts readWindows), each cut at the end of each day by the store's
// own "as at" reader (src/queries/as-at.ts), in chunks of ids that worker threads can share
// (pool.ts). Everything past this line is pure (read.ts, calibrate.ts).
import { dayNumber, endOfLondonDay, type IsoDate } from '../vocabulary/calendar.ts';
import { activeChunks, earliestReferralLeftOut, recordedBy } from '../queries/as-at.ts';
import { Store } from '../store/store.ts';
import { openDb } from '../store/db.ts';
import { systemClock } from '../wall-clock.ts';
import { readWindows, type CalibrationBuilder } from './calibrate.ts';
import { calibrationBuilder, gatherCuts, inputOf, type ForecastInput } from './read.ts';
import { measurable, nestedFrom } from './bands.ts';

export type ReadModels = Pick<Store, 'rows' | 'log'>;

/** Pathways per chunk of the read: small enough to share out evenly, large enough that each query pays. */
export const CHUNK = 2000;

/**
 * SQLite's page cache (MB) for a connection the forecast reads through: the read takes the pages
 * of each chunk once, in id order, so a large cache would only hold memory (64 MB a connection,
 * one per worker thread) without making the read any faster.
 */
export const READ_CACHE_MB = 8;

/** A chunk of the read: pathway ids in id order, each with the days that need it (bit i for the i-th day). */
export interface ReadChunk {
  ids: string[];
  cuts: number[];
}

/** The chunks of pathway ids the forecast's read as at each of `days` reads, in id order. */
export function chunksToRead(models: ReadModels, days: readonly IsoDate[]): Iterable<ReadChunk> {
  const cuts = days.map((day) => ({ asAt: endOfLondonDay(day), filter: readWindows(day) }));
  return activeChunks(models, cuts, CHUNK);
}

/**
 * Reads one chunk into `builders` (one for each day read, each made as at its day), each pathway
 * cut at the end of each day that needs it: the events are fetched once, up to the latest day.
 */
export function readChunk(models: ReadModels, { ids, cuts }: ReadChunk, builders: readonly CalibrationBuilder[]) {
  const latest = builders.reduce((day, b) => (b.asOf > day ? b.asOf : day), builders[0]!.asOf);
  // The events come in id order, as the ids do (a pathway with none recorded yet is not among them).
  let at = 0;
  const needs = (id: string) => {
    while (ids[at] !== id) at++;
    return cuts[at]!;
  };
  gatherCuts(recordedBy(models, ids, endOfLondonDay(latest)), builders, needs);
}

/** The pathways left unread as at the builder's day still date the start of the history (CalibrationBuilder.referredBy). */
export function noteLeftOut(models: ReadModels, builder: CalibrationBuilder): void {
  const earliest = earliestReferralLeftOut(models, endOfLondonDay(builder.asOf), readWindows(builder.asOf));
  if (earliest !== null) builder.referredBy(dayNumber(earliest));
}

/** The forecast's input as at each of `days`, read in this thread in one pass, a chunk at a time. */
export function readAll(models: ReadModels, days: readonly IsoDate[]): ForecastInput[] {
  const builders = days.map((day) => calibrationBuilder(day));
  for (const chunk of chunksToRead(models, days)) readChunk(models, chunk, builders);
  return builders.map((builder) => {
    noteLeftOut(models, builder);
    return inputOf(builder);
  });
}

/**
 * The forecast's input as at `asOf`, and how to read the nested cut its bands measure the model's
 * error from (bands.ts modelError). With `nested` asked for, that cut is read in the same pass
 * (`read` takes days and reads them all at once) where the history, as the store stands now, began
 * long enough before the nested day to measure anything there. That is only a guess to save a
 * second pass: modelError decides from the as-of day's own input, and a cut not read here is read
 * when it is asked for.
 */
export async function readForForecast(
  models: ReadModels,
  asOf: IsoDate,
  read: (days: IsoDate[]) => ForecastInput[] | Promise<ForecastInput[]>,
  nested = true,
): Promise<{ input: ForecastInput; readNested: (day: IsoDate) => Promise<ForecastInput> }> {
  const day = nestedFrom(asOf);
  const together = nested && measurable(models.rows.firstReferralOn(), day);
  const [input, early] = await read(together ? [asOf, day] : [asOf]);
  const readNested = async (d: IsoDate) => (early && d === day ? early : (await read([d]))[0]!);
  return { input: input!, readNested };
}

/** A database file opened read-only: a worker thread's own connection. */
export function readOnly(file: string): ReadModels & Pick<Store, 'close'> {
  return new Store(openDb(file, { readonly: true, cacheMb: READ_CACHE_MB }), systemClock);
}
