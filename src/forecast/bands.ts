// Honest bands (issue #23): the runs' p10-p90 is the model's own chance, given its calibration; it
// does not know how wrong the model itself is. So the band is widened by the model's real error,
// measured the way the naive forecasts' bands are (Williams & Goodman 1971, empirical prediction
// intervals): a nested backtest, the same forecast made as at NESTED_WEEKS weeks before the as-of
// day, beside the backlog as it stood recorded at each of its week-endings (all on or before the
// as-of day: nothing later is read). Its relative errors give a scale `a` for each count, smoothed
// over the weeks ahead as a random walk (the error's variance grows by a^2 a week: a^2 = the sum of
// the squared errors over the sum of the weeks ahead, its maximum-likelihood estimate), and the
// band h weeks ahead becomes the runs' own spread and that error added in quadrature (the model's
// error and the chance of the path taken as independent), never narrower than the runs' own. What
// chance alone would make of each error (the path's own spread, and the nested p50's from its few
// runs) is taken off first: the runs' spread carries it already.
import { addDays, dayNumber, fromDayNumber, type IsoDate } from '../vocabulary/calendar.ts';
import {
  trajectory,
  weekEndings,
  type Band,
  type ForecastOptions,
  type RunCounts,
  type WeekForecast,
} from './model.ts';
import type { ForecastInput } from './read.ts';
import { normalCdf, normalQuantile, percentile, round } from './distributions.ts';

/** The nested backtest: made this many weeks before the as-of day, over as many weeks. */
export const NESTED_WEEKS = 12;
/**
 * Its runs: only their p50 and spread are used, and that p50's own chance error (which more runs
 * would shrink) is taken off each week's error (errorScale), so a few runs do.
 */
export const NESTED_RUNS = 20;
/**
 * The history the nested forecast needs before its as-of day to say anything of the model: a
 * quarter, so that some have waited past 62 days and the steps' longer waits have been seen.
 * From a younger history its errors are those of a model with almost nothing to go on, so the
 * bands are left as the runs give them.
 */
export const NESTED_HISTORY_WEEKS = 13;
/**
 * A week's relative error is used only where its p50 is at least this: below it the count is mostly
 * chance (a Poisson count of 20 varies by a fifth), which the runs' own spread carries, and one
 * patient more or less would swing the scale (a young history, a small over-104 count).
 */
export const MIN_COUNT = 20;
/** The counts whose bands are widened. */
export const WIDENED = ['open', 'over62', 'over104'] as const;
export type Widened = (typeof WIDENED)[number];

/** The 90th percentile of the standard normal: an 80% band is the p50 plus or minus this many sigmas. */
const Z80 = normalQuantile(0.9);

/** The model's error, measured by the nested backtest. */
export interface ErrorScale {
  /** The day the nested forecast was made as at. */
  from: IsoDate;
  /** Its week-endings compared (those with a count recorded). */
  weeks: number;
  /** Per count: the relative error of the p50 one week ahead (h weeks ahead: this times the root of h). */
  perWeek: Record<Widened, number>;
}

/** The day the nested backtest is made as at. */
export function nestedFrom(asOf: IsoDate): IsoDate {
  return addDays(asOf, -7 * NESTED_WEEKS);
}

/**
 * The random walk's scale from errors `e` (relative, actual - p50 over p50) `h` weeks ahead, less
 * the variance `chance` of each that chance alone gives (chanceVariance): sqrt(sum (e^2 - chance) /
 * sum h), 0 with none (or none left).
 */
export function walkScale(errors: readonly { h: number; e: number; chance?: number }[]): number {
  let squares = 0;
  let weeks = 0;
  for (const { h, e, chance = 0 } of errors) {
    squares += e * e - chance;
    weeks += h;
  }
  return weeks > 0 ? Math.sqrt(Math.max(0, squares) / weeks) : 0;
}

/**
 * The relative variance that chance alone gives the difference between what happened and a p50 taken
 * from `runs` runs whose p10-p90 is `band` (the spread read as a normal one's, sd): what happened is
 * one path, drawn with the runs' own spread (sd^2), and the p50 a sample median (pi/2 sd^2 / runs).
 * Neither is the model's error, and the band carries the first already: counted in the scale too, it
 * would be counted twice.
 */
export function chanceVariance({ p10, p50, p90 }: Band, runs: number): number {
  if (p10 === null || p50 === null || p90 === null || p50 === 0) return 0;
  const sd = (p90 - p10) / (2 * Z80);
  return (sd / p50) ** 2 * (1 + Math.PI / 2 / runs);
}

/**
 * The error scale from the nested forecast's trajectory (made of `runs` runs) and the backlog as
 * recorded at its week-endings (`actual`; undefined where none). Week-endings after `asOf` are never read.
 */
export function errorScale(
  nested: readonly WeekForecast[],
  actual: (day: IsoDate) => Record<Widened, number> | undefined,
  from: IsoDate,
  asOf: IsoDate,
  runs: number,
): ErrorScale {
  const errors: Record<Widened, { h: number; e: number; chance: number }[]> = { open: [], over62: [], over104: [] };
  let weeks = 0;
  nested.forEach((w, i) => {
    if (w.weekEnding > asOf) return;
    const seen = actual(w.weekEnding);
    if (!seen) return;
    weeks++;
    for (const k of WIDENED) {
      const p50 = w[k].p50;
      if (p50 !== null && p50 >= MIN_COUNT)
        errors[k].push({ h: i + 1, e: (seen[k] - p50) / p50, chance: chanceVariance(w[k], runs) });
    }
  });
  const perWeek = { open: 0, over62: 0, over104: 0 };
  for (const k of WIDENED) perWeek[k] = round(walkScale(errors[k]), 4);
  return { from, weeks, perWeek };
}

/** A band `h` weeks ahead widened by the relative error scale `a`: the runs' spread and the error in quadrature. */
export function widenBand(band: Band, h: number, a: number): Band {
  const { p10, p50, p90 } = band;
  if (p10 === null || p50 === null || p90 === null) return band;
  const error = Z80 * a * Math.sqrt(h) * p50;
  return {
    p10: Math.max(0, Math.min(p10, Math.floor(p50 - Math.hypot(p50 - p10, error)))),
    p50,
    p90: Math.max(p90, Math.ceil(p50 + Math.hypot(p90 - p50, error))),
  };
}

/**
 * The chance a count is below `below` on a day `h` weeks ahead, from the runs' counts there (any
 * order), each taken with the model's own error about it: the error the bands are widened by (a
 * normal spread of a * root(h) * p50), so the target's probability and the band tell one story. With
 * no error (a = 0) it is the share of runs below. Counts are whole: "below 100" is "99.5 or less".
 */
export function chanceBelow(counts: ArrayLike<number>, below: number, h: number, a: number): number {
  const n = counts.length;
  if (n === 0) return 0;
  const sd = a * Math.sqrt(Math.max(h, 0)) * (percentile(Float64Array.from(counts).sort(), 0.5) ?? 0);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const c = counts[r]!;
    sum += sd > 0 ? normalCdf((below - 0.5 - c) / sd) : c < below ? 1 : 0;
  }
  return sum / n;
}

/** Each week's counts' bands widened (week i is i + 1 weeks ahead). */
export function widenTrajectory(weeks: readonly WeekForecast[], scale: ErrorScale): WeekForecast[] {
  return weeks.map((w, i) => {
    const out = { ...w };
    for (const k of WIDENED) out[k] = widenBand(w[k], i + 1, scale.perWeek[k]);
    return out;
  });
}

/**
 * The error scale as at `asOf`: the nested forecast (NESTED_RUNS runs, no levers, the trust as a
 * whole) made from `nested`, the input as at nestedFrom(asOf), scored against `actual`.
 */
export async function errorScaleAsAt(
  nested: ForecastInput,
  actual: (day: IsoDate) => Record<Widened, number> | undefined,
  asOf: IsoDate,
  seed: number,
  // forecast.ts's Runner (named here without importing it: forecast.ts imports this module).
  runner: (input: ForecastInput, options: ForecastOptions) => Promise<RunCounts>,
): Promise<ErrorScale> {
  const from = nested.calibration.asOf;
  if (!measurable(nested.calibration.historyFrom, from)) return unmeasured(from);
  const weeks = Math.min(NESTED_WEEKS, Math.floor((dayNumber(asOf) - dayNumber(from)) / 7));
  const counts = await runner(nested, { weeks, runs: NESTED_RUNS, seed });
  return errorScale(trajectory(counts, weeks), actual, from, asOf, NESTED_RUNS);
}

/**
 * The model's own error as at the day of `input` (the forecast's own input): the earlier cut is read
 * (`readNested`, given the nested day) and run only where the history, as known on that day, is old
 * enough to measure anything; otherwise nothing is measured. The one way every caller asks for it.
 */
export async function modelError(
  input: ForecastInput,
  readNested: (day: IsoDate) => ForecastInput | Promise<ForecastInput>,
  actual: (day: IsoDate) => Record<Widened, number> | undefined,
  seed: number,
  runner: (input: ForecastInput, options: ForecastOptions) => Promise<RunCounts>,
): Promise<ErrorScale> {
  const asOf = input.calibration.asOf;
  const day = nestedFrom(asOf);
  if (!measurable(input.calibration.historyFrom, day)) return unmeasured(day);
  return errorScaleAsAt(await readNested(day), actual, asOf, seed, runner);
}

/**
 * Whether a history that began on `historyFrom` (null: none) is old enough on the nested day for the
 * nested forecast's errors to measure the model (NESTED_HISTORY_WEEKS).
 */
export function measurable(historyFrom: IsoDate | null, nestedDay: IsoDate): boolean {
  return historyFrom !== null && dayNumber(nestedDay) - dayNumber(historyFrom) >= 7 * NESTED_HISTORY_WEEKS;
}

/** No error measured (a history too young): the bands stay the runs' own. */
export function unmeasured(from: IsoDate): ErrorScale {
  return { from, weeks: 0, perWeek: { open: 0, over62: 0, over104: 0 } };
}

/** The week-endings the nested backtest compares: the backlog must be read at these. */
export function nestedDays(asOf: IsoDate): IsoDate[] {
  const last = dayNumber(asOf);
  return weekEndings(dayNumber(nestedFrom(asOf)), NESTED_WEEKS)
    .filter((d) => d <= last)
    .map(fromDayNumber);
}
