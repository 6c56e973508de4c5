// `openptl forecast`: the stewards' outlook (issue #23). Reads the history once, cut at the end of
// the as-of day, and prints JSON: the weekly forecast, the resource table (--resources), or the
// backtest against what really happened (--backtest). Method: docs/forecast.md.
import { type WallClock, systemClock, today } from '../wall-clock.ts';
import { dayNumber, fromDayNumber, isIsoDate, londonDateOf, type IsoDate } from '../vocabulary/calendar.ts';
import { TUMOUR_SITES, type TumourSite } from '../vocabulary/events.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { backtestDays, scoreBacktest } from '../forecast/backtest.ts';
import { modelError } from '../forecast/bands.ts';
import { describeCalibration } from '../forecast/describe.ts';
import type { ForecastRequest } from '../forecast/forecast.ts';
import { checkLeverNames, stewardsOutlook } from '../forecast/outlook.ts';
import { CORES, ForecastPool } from '../forecast/pool.ts';
import {
  checkResourceName,
  ForecastOptionError,
  parseCapacity,
  parseConfidence,
  parseDemand,
  parseTarget,
} from '../forecast/levers.ts';
import { weekEndings, type Lever } from '../forecast/model.ts';
import { READ_CACHE_MB, readForForecast } from '../forecast/from-store.ts';
import { CliError } from './errors.ts';
import { DEFAULT_DB, openDatabase, options } from './store-commands.ts';

const USAGE = `openptl forecast --as-of DATE --weeks N [--runs K] [--seed S] [--site SITE] [--provider CODE]
         [--capacity RESOURCE=+20%[@DATE]]... [--demand SITE=+10%[@DATE]]...
         [--target over62<100@DATE [--confidence 0.8] [--solve RESOURCE|all]] [--workers W] [--db FILE]
       openptl forecast --resources [--as-of DATE] [--workers W] [--db FILE]
       openptl forecast --backtest --from DATE --weeks N [--runs K] [--seed S] [levers] [--workers W] [--db FILE]`;

export const DEFAULT_RUNS = 200;
const MAX_WEEKS = 104;
const MAX_RUNS = 10_000;
/** Seeds up to 2^32 - 1: each run's generator is seeded with seed * 65536 + run, a safe integer. */
const MAX_SEED = 4_294_967_295;

const SPEC = {
  db: { type: 'string' },
  'as-of': { type: 'string' },
  from: { type: 'string' },
  weeks: { type: 'string' },
  runs: { type: 'string' },
  seed: { type: 'string' },
  site: { type: 'string' },
  provider: { type: 'string' },
  capacity: { type: 'string', multiple: true },
  demand: { type: 'string', multiple: true },
  target: { type: 'string' },
  confidence: { type: 'string' },
  solve: { type: 'string' },
  resources: { type: 'boolean' },
  backtest: { type: 'boolean' },
  workers: { type: 'string' },
} as const;

export async function forecastCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  try {
    await run(args, clock);
  } catch (err) {
    if (err instanceof ForecastOptionError) throw new CliError(err.message);
    throw err;
  }
}

async function run(args: string[], clock: WallClock): Promise<void> {
  const { values, positionals } = options(args, SPEC as never, USAGE) as unknown as {
    values: Partial<Record<keyof typeof SPEC, string & string[] & boolean>>;
    positionals: string[];
  };
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${USAGE}`);
  if (values.resources && values.backtest) throw new CliError('--resources and --backtest: give one or the other');
  const mode = values.resources ? 'resources' : values.backtest ? 'backtest' : 'forecast';
  if (mode === 'backtest' && values['as-of'] !== undefined)
    throw new CliError('--as-of: a backtest is made as at --from DATE');
  if (mode !== 'backtest' && values.from !== undefined) throw new CliError('--from: only with --backtest');
  const asOf = day(
    mode === 'backtest' ? '--from' : '--as-of',
    mode === 'backtest' ? values.from : values['as-of'],
    clock,
  );
  // One worker thread per core (0: all in this thread); the answer is the same bytes either way.
  const workers = whole('--workers', values.workers, 0, 64, CORES);

  if (mode === 'resources') {
    for (const o of [
      'weeks',
      'runs',
      'seed',
      'site',
      'provider',
      'capacity',
      'demand',
      'target',
      'confidence',
      'solve',
    ] as const)
      if (values[o] !== undefined) throw new CliError(`--${o}: not used with --resources`);
    await withPool(values.db, workers, clock, async ({ read }) => {
      const { input } = await read(asOf, false);
      process.stdout.write(`${JSON.stringify(describeCalibration(input.calibration))}\n`);
    });
    return;
  }

  const req = request(values, asOf, mode);
  await withPool(values.db, workers, clock, async ({ store, pool, read }) => {
    const { log, backlog } = store;
    // The backlog as it stood at the end of a day: the store's kept daily counts.
    const now = today(clock);
    const recorded = (d: IsoDate) => {
      const { open, over62, over104 } = backlog.asOfNow(d, now);
      return { open, over62, over104 };
    };
    if (mode === 'backtest') {
      const latest = log.latestRecordedAt();
      const last = weekEndings(dayNumber(asOf), req.weeks).at(-1)!;
      const lastRecorded = latest === null ? null : londonDateOf(new Date(latest));
      if (lastRecorded === null || dayNumber(lastRecorded) < last)
        throw new CliError(
          `--weeks: the backtest's last week-ending, ${fromDayNumber(last)}, is after the last day recorded (${lastRecorded ?? 'none'}): there is nothing to compare it with`,
        );
      const { input, readNested } = await read(asOf);
      checkLeverNames(req, input);
      const counts = new Map(backtestDays(asOf, req.weeks).map((d) => [d, recorded(d)] as const));
      const out = await scoreBacktest({ input, backlog: counts, readNested }, req, pool.runner);
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return;
    }
    const { input, readNested } = await read(asOf);
    // The bands widened by the model's own error as at the day (bands.ts).
    const errorScale = await modelError(input, readNested, recorded, req.seed, pool.runner);
    const { outlook } = await stewardsOutlook(input, { ...req, errorScale }, pool.runner);
    // The forecast (and what it would take); the API answers the resource table and the flows too.
    const { resources: _resources, flows: _flows, ...printed } = outlook;
    process.stdout.write(`${JSON.stringify(printed)}\n`);
  });
}

/** The store and a pool of `workers` threads reading it, closed when `fn` is done. */
async function withPool(
  db: string | undefined,
  workers: number,
  clock: WallClock,
  fn: (env: {
    store: ReturnType<typeof openDatabase>;
    pool: ForecastPool;
    /** The input as at the day, and the nested cut for the bands (read in the same pass when `nested`). */
    read: (asOf: IsoDate, nested?: boolean) => ReturnType<typeof readForForecast>;
  }) => Promise<void>,
): Promise<void> {
  const file = db ?? DEFAULT_DB;
  const store = openDatabase(file, clock, { readOnlyOk: true, cacheMb: READ_CACHE_MB });
  const pool = new ForecastPool(workers, store);
  try {
    await fn({
      store,
      pool,
      read: (asOf, nested) => readForForecast(store, asOf, (days) => pool.read(file, days), nested),
    });
  } finally {
    await pool.close();
    store.close();
  }
}

function day(option: string, text: string | undefined, clock: WallClock): IsoDate {
  if (option === '--from' && text === undefined)
    throw new CliError('--from: a backtest needs the day its forecast is made as at, YYYY-MM-DD');
  const value = text ?? today(clock);
  if (!isIsoDate(value)) throw new CliError(`${option}: must be a real calendar date, YYYY-MM-DD (got ${value})`);
  if (value < EARLIEST_EVENT_DATE)
    throw new CliError(`${option}: ${value} is before ${EARLIEST_EVENT_DATE}: nothing is recorded before then`);
  return value;
}

function whole(option: string, text: string | undefined, min: number, max: number, fallback?: number): number {
  if (text === undefined) {
    if (fallback !== undefined) return fallback;
    throw new CliError(`${option} is required: a whole number from ${min} to ${max}`);
  }
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new CliError(`${option}: must be a whole number from ${min} to ${max} (got ${text})`);
  return n;
}

type Values = Partial<Record<keyof typeof SPEC, string & string[] & boolean>>;

function request(values: Values, asOf: IsoDate, mode: 'forecast' | 'backtest'): ForecastRequest & { solve?: string } {
  const weeks = whole('--weeks', values.weeks, 1, MAX_WEEKS);
  const runs = whole('--runs', values.runs, 1, MAX_RUNS, DEFAULT_RUNS);
  const seed = whole('--seed', values.seed, 0, MAX_SEED, 1);
  const site = values.site as string | undefined;
  if (site !== undefined && !(TUMOUR_SITES as readonly string[]).includes(site))
    throw new CliError(`--site: "${site}" is not a tumour site (one of ${TUMOUR_SITES.join(', ')})`);
  const provider = values.provider as string | undefined;
  if (provider !== undefined && !/^[A-Z0-9]{3,10}$/.test(provider))
    throw new CliError(
      `--provider: "${provider}" is not an ODS code (3 to 10 capital letters and digits, such as RAJ)`,
    );
  const levers: Lever[] = [
    ...((values.capacity as string[] | undefined) ?? []).map((t) => parseCapacity(t, asOf)),
    ...((values.demand as string[] | undefined) ?? []).map((t) => parseDemand(t, asOf)),
  ];
  const target = values.target === undefined ? undefined : parseTarget(values.target, asOf);
  if (values.confidence !== undefined && !target) throw new CliError('--confidence: only with --target');
  const confidence = values.confidence === undefined ? undefined : parseConfidence(values.confidence);
  const solve = values.solve as string | undefined;
  if (solve !== undefined) {
    if (mode === 'backtest') throw new CliError('--solve: not with --backtest');
    if (!target) throw new CliError('--solve: needs --target (what the extra capacity should achieve)');
    if (solve !== 'all') checkResourceName('--solve', solve);
  }
  if (mode === 'backtest') {
    for (const o of ['target', 'confidence', 'site', 'provider'] as const)
      if (values[o] !== undefined)
        throw new CliError(`--${o}: not with --backtest (it scores the trust's over-62 backlog)`);
  }
  return { weeks, runs, seed, site: site as TumourSite | undefined, provider, levers, target, confidence, solve };
}
