// What a forecast's worker thread does (worker.ts), and what the pool does in its own thread when it
// has no workers (pool.ts): read chunks of the history into a calibration builder, and make runs of
// a forecast's input. One executor per thread, holding its database connection, the builder of the
// read under way and the inputs it has been given.
import type { IsoDate } from '../vocabulary/calendar.ts';
import { forecastRuns, type ForecastOptions, type OpenColumns, type RunCounts } from './model.ts';
import { calibrationBuilder, type ForecastInput } from './read.ts';
import type { CalibrationBuilder } from './calibrate.ts';
import type { ReadChunk, ReadModels } from './from-store.ts';
import type { BreachRisk } from './forecast.ts';
import { ForecastOptionError } from './levers.ts';
import { modelError, type ErrorScale, type Widened } from './bands.ts';
import { inThread } from './forecast.ts';
import { checkLeverNames, stewardsOutlook, type Outlook, type OutlookRequest } from './outlook.ts';

export type Task =
  /** Read these pathways (a chunk of ids) of the database as at each of the days, into this thread's builders. */
  | { kind: 'read'; db: string; days: IsoDate[]; chunk: ReadChunk }
  /** The builders read so far, one for each day (then new ones). */
  | { kind: 'collect' }
  /** Keep a forecast's input under `key`, for the runs to come (its open pathways packed: shared, not copied). */
  | { kind: 'input'; key: number; input: RunsInput }
  /** Runs `from` to `to` - 1 of the input kept under `key`. */
  | { kind: 'runs'; key: number; options: ForecastOptions; from: number; to: number }
  | { kind: 'drop'; key: number }
  /**
   * The steward's outlook as at the day, read and run in this thread (the server's forecasts), its
   * bands widened by the nested backtest scored against `recorded` (bands.ts).
   */
  | { kind: 'outlook'; db: string; asOf: IsoDate; request: OutlookRequest; risks: boolean; recorded: Recorded };

/** The backlog as it stood recorded at the end of some days (the nested backtest's week-endings). */
export type Recorded = Record<IsoDate, Record<Widened, number>>;

/** The outlook, or the option refused (a resource the calibration does not know). */
export type OutlookAnswer =
  { outlook: Outlook; risks: BreachRisk[] | null; open: number } | { refused: { option: string; message: string } };

/** What the runs take: the calibration and the open pathways as columns. */
export interface RunsInput {
  calibration: ForecastInput['calibration'];
  open: OpenColumns;
}

export class Executor {
  private builders: CalibrationBuilder[] | null = null;
  private readonly inputs = new Map<number, RunsInput>();
  /** The runs of the last options given for each input: the blocks that follow reuse what they made. */
  private readonly runs = new Map<number, { options: string; make: ReturnType<typeof forecastRuns> }>();
  private connection: { file: string; models: ReadModels & { close(): void } } | null = null;
  /**
   * The model's own error as at a day (bands.ts), kept for the next outlook of the same day, seed
   * and recorded backlog: a steward trying levers one after another reads the nested cut once.
   */
  private scale: { key: string; scale: ErrorScale } | null = null;

  /** `models`: read through these (the pool's own store) instead of opening the file. */
  constructor(private readonly models?: ReadModels) {}

  async run(task: Task): Promise<CalibrationBuilder[] | RunCounts | OutlookAnswer | null> {
    switch (task.kind) {
      case 'read': {
        // The store is loaded only by a thread that reads it (the runs need no SQLite).
        const { readChunk } = await import('./from-store.ts');
        this.builders ??= task.days.map((day) => calibrationBuilder(day));
        readChunk(await this.connect(task.db), task.chunk, this.builders);
        return null;
      }
      case 'outlook': {
        const { readAll, readForForecast } = await import('./from-store.ts');
        const models = await this.connect(task.db);
        const key = JSON.stringify([task.db, task.asOf, task.request.seed, task.recorded]);
        // The nested cut is read with the day's own only when the error scale is not kept already.
        const kept = this.scale?.key === key;
        const { input, readNested } = await readForForecast(models, task.asOf, (days) => readAll(models, days), !kept);
        try {
          checkLeverNames(task.request, input); // before the nested runs: a refusal costs no more
          if (!kept) {
            const actual = (day: IsoDate) => task.recorded[day];
            this.scale = { key, scale: await modelError(input, readNested, actual, task.request.seed, inThread) };
          }
          const { outlook, risks } = await stewardsOutlook(input, { ...task.request, errorScale: this.scale!.scale });
          return { outlook, risks: task.risks ? risks : null, open: input.open.length };
        } catch (err) {
          if (err instanceof ForecastOptionError) return { refused: { option: err.option, message: err.message } };
          throw err;
        }
      }
      case 'collect': {
        const builders = this.builders;
        this.builders = null;
        return builders;
      }
      case 'input':
        this.inputs.set(task.key, task.input);
        return null;
      case 'runs': {
        const options = JSON.stringify(task.options);
        let runs = this.runs.get(task.key);
        if (runs?.options !== options) {
          const input = this.inputs.get(task.key)!;
          runs = { options, make: forecastRuns(input.calibration, input.open, task.options) };
          this.runs.set(task.key, runs);
        }
        return runs.make({ from: task.from, to: task.to });
      }
      case 'drop':
        this.inputs.delete(task.key);
        this.runs.delete(task.key);
        return null;
    }
  }

  /** The caller's models, or this thread's own read-only connection to the file. */
  private async connect(file: string): Promise<ReadModels> {
    if (this.models) return this.models;
    if (this.connection?.file !== file) {
      const { readOnly } = await import('./from-store.ts');
      this.connection?.models.close();
      this.connection = { file, models: readOnly(file) };
    }
    return this.connection.models;
  }

  close(): void {
    this.connection?.models.close();
    this.connection = null;
  }
}
