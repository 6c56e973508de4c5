// `serve --nightly-report HH:MM --reports-dir DIR`: after that time each night (Europe/London),
// write the report for the day that has just ended, once.
import type { Logger } from 'pino';
import { type WallClock, today } from '../wall-clock.ts';
import { addDays, londonTimeOf } from '../cwt/calendar.ts';
import type { Store } from '../store/store.ts';
import { writeReport } from './write.ts';

export function scheduleNightlyReport(store: Store, clock: WallClock, opts: { at: string; dir: string; logger: Logger; checkMs?: number }): () => void {
  let lastWritten: string | null = null;
  const check = () => {
    const day = today(clock);
    if (londonTimeOf(clock.now()) < opts.at) return;
    const reportDate = addDays(day, -1);
    if (lastWritten === reportDate) return;
    lastWritten = reportDate;
    try {
      writeReport(store, reportDate, opts.dir);
      opts.logger.info({ reportDate, dir: opts.dir }, 'nightly report written');
    } catch (err) {
      opts.logger.error({ reportDate, err: (err as Error).message }, 'nightly report failed');
    }
  };
  const timer = setInterval(check, opts.checkMs ?? 30_000);
  check();
  return () => clearInterval(timer);
}
