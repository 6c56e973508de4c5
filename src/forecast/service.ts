// The server's forecasts (issue #23, items 2 and 6). Each outlook is read and run in a worker thread
// (one, so a core stays free for appends and live pushes), one at a time, and kept per as-of day
// and options: a past day's history does not change, so its forecast is made once (today's is made
// again after any write). Once a day the trust's forecast as at yesterday runs by itself, and its
// breach risks go to the PTL (src/store/breach-risks.ts).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import { addDays, dayNumber, type IsoDate } from '../vocabulary/calendar.ts';
import { type WallClock, today } from '../wall-clock.ts';
import type { Store } from '../store/store.ts';
import { RISK_BATCH } from '../store/breach-risks.ts';
import { parseTarget, type Target } from './levers.ts';
import type { OutlookRequest } from './outlook.ts';
import { ForecastPool } from './pool.ts';
import type { OutlookAnswer, Recorded } from './tasks.ts';
import { nestedDays } from './bands.ts';
import { weekEndings } from './model.ts';

/** The trust's forecast each day, and the API's unless asked otherwise: 16 weeks (or to the target: weeksToShow), 200 runs, seed 1. */
export const DAILY = { weeks: 16, runs: 200, seed: 1 } as const;
/** The most weeks a forecast shows unasked, to reach a target's date: half a year. */
export const MOST_WEEKS_UNASKED = 26;

/** The weeks a forecast shows unless asked: the daily 16, or enough to reach the target's date (up to 26). */
export function weeksToShow(asOf: IsoDate, target?: Target): number {
  if (!target) return DAILY.weeks;
  const reach = weekEndings(dayNumber(asOf), MOST_WEEKS_UNASKED).findIndex((d) => d >= dayNumber(target.on));
  return Math.max(DAILY.weeks, reach < 0 ? MOST_WEEKS_UNASKED : reach + 1);
}

/** Outlooks kept, the most recently asked for last. */
const KEPT = 32;
/** A past day's outlook is made again after this long all the same (an import may have written into that day). */
const KEEP_MS = 6 * 3_600_000;

export type ForecastModels = Pick<Store, 'rows' | 'log' | 'risks' | 'settings' | 'file' | 'backlog'>;

export class ForecastService {
  /** Outlooks made (not answered from those kept), by every service in this process: for tests and the log. */
  static made = 0;
  private pool: ForecastPool | null = null;
  private readonly kept = new Map<string, { made: number; answer: Promise<OutlookAnswer> }>();
  private queue: Promise<unknown> = Promise.resolve();
  private dailyRun: Promise<unknown> | null = null;

  private readonly models: ForecastModels;
  private readonly settings: ForecastModels['settings'];
  private readonly risks: ForecastModels['risks'];
  private readonly log: ForecastModels['log'];

  constructor(
    models: ForecastModels,
    private readonly clock: WallClock,
    private readonly logger?: Logger,
  ) {
    this.models = models;
    ({ settings: this.settings, risks: this.risks, log: this.log } = models);
  }

  /** The trust's target (`openptl settings --target`), or null when none is set. */
  trustTarget(): { text: string; target: Target } | null {
    const text = this.settings.get('forecastTarget');
    if (text === null) return null;
    try {
      return { text, target: parseTarget(text, '0000-01-01') };
    } catch {
      return null; // checked when set; a value that no longer parses is not used
    }
  }

  /**
   * The outlook as at `asOf` with these options: made once per day and options (for today, again
   * after any write), in the worker thread, one at a time. A pending answer is shared by everyone
   * who asks for it meanwhile.
   */
  outlook(asOf: IsoDate, request: OutlookRequest): Promise<OutlookAnswer> {
    const key = this.key(asOf, request);
    const kept = this.kept.get(key);
    if (kept && Date.now() - kept.made < KEEP_MS) {
      this.kept.delete(key); // most recently asked for last
      this.kept.set(key, kept);
      return kept.answer;
    }
    const answer = this.inTurn(() => this.make(asOf, request, false));
    this.keep(key, answer);
    return answer;
  }

  /**
   * The day's forecast: the trust's outlook as at yesterday (the default options and the trust's
   * target), its breach risks written for the PTL. Run when the latest risks are older; true if it ran.
   */
  async refreshRisks(): Promise<boolean> {
    const asOf = addDays(today(this.clock), -1);
    const latest = this.risks.latest();
    if ((latest && latest.asOf >= asOf) || this.log.lastPosition() === 0) return false;
    this.dailyRun ??= (async () => {
      const request = this.defaultRequest(asOf);
      const answer = this.inTurn(() => this.make(asOf, request, true));
      const done = await answer;
      if ('refused' in done || !done.risks) return;
      this.keep(this.key(asOf, request), Promise.resolve({ ...done, risks: null }));
      const write = this.risks.begin(
        { asOf, horizon: done.outlook.trajectory.at(-1)!.weekEnding, runs: done.outlook.runs },
        this.clock.now().toISOString(),
      );
      // In batches, giving way between them: appends go on while a long list is written.
      for (let i = 0; i < done.risks.length; i += RISK_BATCH) {
        write.write(done.risks.slice(i, i + RISK_BATCH).map((r) => ({ ...r, fds: r.fdsBreach })));
        await nextTurn();
      }
      write.done();
      this.logger?.info({ asOf, pathways: done.risks.length }, 'breach risks written');
    })().finally(() => {
      this.dailyRun = null;
    });
    await this.dailyRun;
    return true;
  }

  /** Checks every `everyMs` whether the day's forecast is due (and once now); returns the stop. */
  startDaily(everyMs = 60_000): () => void {
    const check = () =>
      this.refreshRisks().catch((err: unknown) =>
        this.logger?.error({ err: (err as Error).name, message: (err as Error).message }, 'daily forecast failed'),
      );
    const timer = setInterval(check, everyMs).unref();
    void check();
    return () => clearInterval(timer);
  }

  /** The options the dashboard asks for first: the defaults, with the trust's target (and weeks to show its date) while it is ahead. */
  defaultRequest(asOf: IsoDate): OutlookRequest {
    const trust = this.trustTarget();
    return trust && trust.target.on > asOf
      ? { ...DAILY, weeks: weeksToShow(asOf, trust.target), target: trust.target }
      : { ...DAILY };
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }

  private key(asOf: IsoDate, request: OutlookRequest): string {
    // Today is not over: its forecast is made again once anything more is recorded.
    const moving = asOf >= today(this.clock) ? this.log.lastPosition() : '';
    return JSON.stringify([asOf, moving, request]);
  }

  private keep(key: string, answer: Promise<OutlookAnswer>): void {
    this.kept.delete(key);
    this.kept.set(key, { made: Date.now(), answer });
    answer.catch(() => this.kept.delete(key)); // a failure is not kept
    while (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
  }

  /** One outlook at a time: each waits for those asked for before it. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work, work);
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async make(asOf: IsoDate, request: OutlookRequest, risks: boolean): Promise<OutlookAnswer> {
    ForecastService.made++;
    // The backlog as it stood at the nested backtest's week-endings, which widens the bands (bands.ts).
    const recorded: Recorded = {};
    for (const day of nestedDays(asOf)) {
      const { open, over62, over104 } = await this.models.backlog.asOfAsync(day, today(this.clock));
      recorded[day] = { open, over62, over104 };
    }
    return this.threads().outlook(this.file(), asOf, request, risks, recorded);
  }

  /**
   * A worker thread when the database is a file (in this thread for one in memory: tests), in the
   * background: a forecast takes a core for seconds, and the trackers' appends come first.
   */
  private threads(): ForecastPool {
    this.pool ??= new ForecastPool(this.models.file === null ? 0 : 1, this.models, true);
    return this.pool;
  }

  private file(): string {
    return this.models.file ?? ':memory:';
  }
}
