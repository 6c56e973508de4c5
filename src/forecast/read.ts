// The one pass over the history a forecast needs: each pathway's events are cut at the end of the
// as-of day (Europe/London) before anything reads them, so the calibration and the open pathways
// are exactly what was recorded by then. The same pass can also read the backlog as it stood at
// other days (each cut at the end of its own day), which a backtest compares the forecast with.
import { clockFold, clocksFromFacts } from '../cwt/clocks.ts';
import { dayNumber, endOfLondonDay, englandBankHolidays, type IsoDate } from '../vocabulary/calendar.ts';
import { CalibrationBuilder, type Calibration } from './calibrate.ts';
import { pathwayFacts, type OpenPathway, type Recorded } from './history.ts';

/** A pathway's events in the order recorded, as the event log gives them. */
export interface HistoryRecord {
  pathwayId: string;
  events: readonly Recorded[];
}

/** What the forecast runs on: plain data, ready to hand to a worker. */
export interface ForecastInput {
  calibration: Calibration;
  open: OpenPathway[];
}

/** The backlog as it stood at the end of a day. */
export interface BacklogPoint {
  day: IsoDate;
  open: number;
  over62: number;
  over104: number;
}

export interface ReadOptions {
  /** Bank holidays (ISO dates) the calibration and the forecast should know of; England's by default. */
  holidays?: readonly IsoDate[];
  /** Days to read the backlog at, each as recorded by the end of that day. */
  backlogDays?: readonly IsoDate[];
}

export function readAsAt(
  pathways: Iterable<HistoryRecord>,
  asOf: IsoDate,
  opts: ReadOptions = {},
): { input: ForecastInput; backlog: BacklogPoint[] } {
  const { builder, backlog } = gather(pathways, asOf, opts);
  return { input: inputOf(builder), backlog };
}

/** A builder for the calibration as at `asOf`, knowing the bank holidays. */
export function calibrationBuilder(asOf: IsoDate, holidays?: readonly IsoDate[]): CalibrationBuilder {
  return new CalibrationBuilder(asOf, (holidays ?? bankHolidaysAround(asOf)).map(dayNumber));
}

/**
 * Reads some pathways into a builder (each cut at the end of the as-of day), and their part of
 * the backlog at `opts.backlogDays`: a worker thread's share of the read, added up by the caller.
 */
export function gather(
  pathways: Iterable<HistoryRecord>,
  asOf: IsoDate,
  opts: ReadOptions = {},
  builder: CalibrationBuilder = calibrationBuilder(asOf, opts.holidays),
): { builder: CalibrationBuilder; backlog: BacklogPoint[] } {
  const days = [...(opts.backlogDays ?? [])].sort();
  const cuts = days.map(endOfLondonDay);
  const backlog = days.map((day) => ({ day, open: 0, over62: 0, over104: 0 }));
  const endOfDay = endOfLondonDay(asOf);
  for (const { pathwayId, events } of pathways) {
    addCut(builder, endOfDay, pathwayId, events);
    if (days.length) countBacklog(events, days, cuts, backlog);
  }
  return { builder, backlog };
}

/**
 * Reads some pathways into several builders in one pass, each pathway cut at the end of each
 * builder's own as-of day, and given only to the builders `needs` names (bit i for the i-th): the
 * events are fetched and parsed once for all of them (the forecast and the nested cut its bands
 * are measured from, bands.ts).
 */
export function gatherCuts(
  pathways: Iterable<HistoryRecord>,
  builders: readonly CalibrationBuilder[],
  needs: (pathwayId: string) => number,
): void {
  const ends = builders.map((b) => endOfLondonDay(b.asOf));
  for (const { pathwayId, events } of pathways) {
    const mask = needs(pathwayId);
    for (let i = 0; i < builders.length; i++) if (mask & (1 << i)) addCut(builders[i]!, ends[i]!, pathwayId, events);
  }
}

/** Adds a pathway to a builder as it stood recorded by `endOfDay` (nothing if none of it was). */
function addCut(builder: CalibrationBuilder, endOfDay: string, pathwayId: string, events: readonly Recorded[]): void {
  const known = recordedBy(events, endOfDay);
  if (known.length === 0) return;
  const facts = pathwayFacts(pathwayId, known, builder.asOf);
  if (facts) builder.add(facts);
}

/** The forecast's input from a builder that has read every pathway that matters. */
export function inputOf(builder: CalibrationBuilder): ForecastInput {
  // In pathway order, whatever order the source gives them: each pathway's random stream follows its place.
  const open = builder.open.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { calibration: builder.build(), open };
}

/** The events recorded by `cut`, in the order recorded (as the store's own "as at" read takes them). */
function recordedBy(events: readonly Recorded[], cut: string): readonly Recorded[] {
  let all = true;
  for (const e of events) if (e.recordedAt > cut) all = false;
  return all ? events : events.filter((e) => e.recordedAt <= cut);
}

/** England's bank holidays from the year before the as-of day to three years after: the calibration's window and any horizon. */
function bankHolidaysAround(asOf: IsoDate): IsoDate[] {
  const year = Number(asOf.slice(0, 4));
  return [year - 1, year, year + 1, year + 2, year + 3].flatMap(englandBankHolidays);
}

/** Adds one pathway to the backlog of each day, as it stood recorded by the end of that day. */
function countBacklog(events: readonly Recorded[], days: IsoDate[], cuts: string[], out: BacklogPoint[]): void {
  let counted = -1;
  let fold: ReturnType<typeof clockFold> = null;
  for (let i = 0; i < days.length; i++) {
    // Days ascend, so each day's events include the day before's: the same count is the same events.
    const known = recordedBy(events, cuts[i]!);
    if (known.length === 0) continue;
    if (known.length !== counted) {
      counted = known.length;
      fold = clockFold(known.map((e) => e.event));
    }
    if (!fold) continue;
    const clocks = clocksFromFacts(fold.facts, days[i]!);
    if (clocks.status !== 'open') continue;
    out[i]!.open++;
    const waited = clocks.d62.days ?? 0;
    if (waited > 62) out[i]!.over62++;
    if (waited > 104) out[i]!.over104++;
  }
}
