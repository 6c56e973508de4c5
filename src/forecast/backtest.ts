// The backtest: the forecast made as at a past day beside the backlog as it really stood (recorded
// by the end of each week-ending), scored as the issue asks (mean absolute percentage error of the
// p50, and the share of weeks inside the p10-p90 band), with two naive forecasts scored the same
// way: the over-62 count stays as it was on the as-of day, and a straight line through the last
// eight weeks. A naive forecast's 80% band is its own error spread, measured on the weeks before
// the as-of day, and the model's is widened by its own errors in a nested backtest made twelve
// weeks before the as-of day (bands.ts), so nothing after it is used to make any of the three.
import { dayNumber, fromDayNumber, type IsoDate } from '../vocabulary/calendar.ts';
import { leastSquares, percentile, round } from './distributions.ts';
import { modelError, type ErrorScale, type Widened } from './bands.ts';
import { forecast, inThread, type ForecastRequest, type Runner } from './forecast.ts';
import { weekEndings } from './model.ts';
import { readAsAt, type ForecastInput, type HistoryRecord } from './read.ts';

/** Weeks of over-62 counts the straight line is fitted through. */
export const LINE_WEEKS = 8;
/** Weeks before the as-of day whose naive forecasts measure the naive bands. */
export const NAIVE_HISTORY_WEEKS = 26;

export interface Score {
  mapeOver62: number | null;
  coverage80: number | null;
}

export interface BacktestWeek {
  weekEnding: IsoDate;
  actual: number;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  stays: number;
  line: number;
}

export interface BacktestOutput {
  from: IsoDate;
  weeks: number;
  runs: number;
  trajectory: BacktestWeek[];
  summary: Score;
  naive: { stays: Score; line: Score };
  /** The model's own error its bands were widened by (bands.ts). */
  bands?: ErrorScale;
}

/**
 * The forecast's input as at `from`, the backlog as it stood at each day the backtest compares
 * (backtestDays), and how to read the input as at the nested day for the model's own error
 * (bands.ts modelError; none: the runs' bands alone).
 */
export interface BacktestData {
  input: ForecastInput;
  backlog: Map<IsoDate, Record<Widened, number>>;
  readNested?: (day: IsoDate) => ForecastInput | Promise<ForecastInput>;
}

/**
 * Days the backtest reads the backlog at: the as-of day and the same weekday in each week before
 * it (the naive forecasts' origins and the straight line's points), and the Sundays before and after
 * it (the weeks forecast, and the outcomes the naive bands are measured on).
 */
export function backtestDays(from: IsoDate, weeks: number): IsoDate[] {
  const a = dayNumber(from);
  const past = (NAIVE_HISTORY_WEEKS + LINE_WEEKS + weeks + 1) * 7;
  const days = new Set<number>();
  for (let d = a; d >= a - past; d -= 7) days.add(d);
  const sundays = weekEndings(a - past, Math.ceil(past / 7) + weeks + 1);
  for (const s of sundays) if (s <= weekEndings(a, weeks).at(-1)!) days.add(s);
  return [...days].sort((x, y) => x - y).map(fromDayNumber);
}

/**
 * The input cut at the end of `from` and each day's backlog cut at the end of that day (one pass
 * over the history), and the input cut at the end of the nested day when it is asked for (a second).
 */
export function readBacktest(records: readonly HistoryRecord[], from: IsoDate, weeks: number): BacktestData {
  const { input, backlog } = readAsAt(records, from, { backlogDays: backtestDays(from, weeks) });
  const readNested = (day: IsoDate) => readAsAt(records, day).input;
  return { input, backlog: new Map(backlog.map((b) => [b.day, b])), readNested };
}

export function backtest(
  records: readonly HistoryRecord[],
  from: IsoDate,
  req: ForecastRequest,
  runner: Runner = inThread,
): Promise<BacktestOutput> {
  return scoreBacktest(readBacktest(records, from, req.weeks), req, runner);
}

export async function scoreBacktest(
  { input, backlog, readNested }: BacktestData,
  req: ForecastRequest,
  runner: Runner = inThread,
): Promise<BacktestOutput> {
  const from = input.calibration.asOf;
  const over62 = new Map([...backlog].map(([day, b]) => [day, b.over62]));
  const errorScale = readNested && (await modelError(input, readNested, (d) => backlog.get(d), req.seed, runner));
  const out = await forecast(input, { ...req, errorScale }, runner);
  const a = dayNumber(from);
  const stays = (origin: number) => over62.get(fromDayNumber(origin)) ?? 0;
  const line = (origin: number, day: number) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = LINE_WEEKS - 1; k >= 0; k--) {
      const y = over62.get(fromDayNumber(origin - 7 * k));
      if (y === undefined) continue;
      xs.push(-k);
      ys.push(y);
    }
    const fit = leastSquares(xs, ys);
    return Math.max(0, fit.intercept + (fit.slope * (day - origin)) / 7);
  };
  const weeks = out.trajectory.map((w) => ({
    weekEnding: w.weekEnding,
    actual: over62.get(w.weekEnding) ?? 0,
    p10: w.over62.p10,
    p50: w.over62.p50,
    p90: w.over62.p90,
    stays: stays(a),
    line: round(line(a, dayNumber(w.weekEnding)), 1),
  }));
  const staysBand = naiveBands(over62, a, req.weeks, (origin) => stays(origin));
  const lineBand = naiveBands(over62, a, req.weeks, line);
  return {
    from,
    weeks: req.weeks,
    runs: req.runs,
    trajectory: weeks,
    summary: score(weeks),
    naive: {
      stays: score(weeks.map((w, k) => ({ actual: w.actual, p50: w.stays, ...staysBand(w.stays, k) }))),
      line: score(weeks.map((w, k) => ({ actual: w.actual, p50: w.line, ...lineBand(w.line, k) }))),
    },
    ...(out.bands && { bands: out.bands }),
  };
}

/**
 * A naive method's 80% band `h` weeks ahead: its point plus the 10th and 90th percentiles of its
 * own errors `h` weeks ahead, from origins in the NAIVE_HISTORY_WEEKS before the as-of day whose
 * outcome was known by then.
 */
function naiveBands(
  over62: Map<IsoDate, number>,
  asOf: number,
  weeks: number,
  method: (origin: number, day: number) => number,
): (point: number, week: number) => { p10: number; p90: number } {
  const first = weekEndings(asOf, weeks)[0]! - asOf; // days to the first week-ending
  const errors: number[][] = [];
  for (let h = 0; h < weeks; h++) {
    const e: number[] = [];
    const ahead = first + 7 * h;
    // Origins on the as-of day's weekday whose outcome, a Sunday `ahead` days later, was known by the as-of day.
    for (let k = h + 1; k <= h + NAIVE_HISTORY_WEEKS; k++) {
      const origin = asOf - 7 * k;
      const actual = over62.get(fromDayNumber(origin + ahead));
      if (actual === undefined || !over62.has(fromDayNumber(origin - 7 * (LINE_WEEKS - 1)))) continue;
      e.push(actual - method(origin, origin + ahead));
    }
    errors.push(e.sort((x, y) => x - y));
  }
  return (point, h) => ({
    p10: round(point + (percentile(errors[h]!, 0.1) ?? 0), 1),
    p90: round(point + (percentile(errors[h]!, 0.9) ?? 0), 1),
  });
}

function score(weeks: { actual: number; p10: number | null; p50: number | null; p90: number | null }[]): Score {
  const withActual = weeks.filter((w) => w.actual > 0 && w.p50 !== null);
  const mape = withActual.length
    ? withActual.reduce((s, w) => s + Math.abs(w.p50! - w.actual) / w.actual, 0) / withActual.length
    : null;
  const banded = weeks.filter((w) => w.p10 !== null && w.p90 !== null);
  const inside = banded.filter((w) => w.actual >= w.p10! && w.actual <= w.p90!).length;
  return {
    mapeOver62: mape === null ? null : round(mape, 4),
    coverage80: banded.length ? round(inside / banded.length, 4) : null,
  };
}
