// `serve --nightly-report HH:MM --reports-dir DIR`: after that time each night (Europe/London),
// write the report for the day that has just ended, once, and any the server missed while down.
import type { Logger } from 'pino';
import { type WallClock, today } from '../wall-clock.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, londonTimeOf, type IsoDate } from '../vocabulary/calendar.ts';
import type { Store } from '../store/store.ts';
import type { ReportModels } from './report.ts';
import { writeReport } from './write.ts';

/** How far back a server that was down catches up on the reports it missed. */
export const CATCH_UP_DAYS = 31;

export function scheduleNightlyReport(
  store: ReportModels & Pick<Store, 'access'>,
  clock: WallClock,
  opts: { at: string; dir: string; logger: Logger; checkMs?: number },
): () => void {
  const { access } = store;
  let lastWritten: string | null = null;
  const check = () => {
    const day = today(clock);
    if (londonTimeOf(clock.now()) < opts.at) return;
    const reportDate = addDays(day, -1);
    if (lastWritten === reportDate) return;
    lastWritten = reportDate;
    for (const date of missingReports(opts.dir, reportDate)) {
      try {
        writeReport(store, date, opts.dir);
        access.record({ actor: 'system:nightly-report', action: 'report_generated', detail: { asOf: date } });
        opts.logger.info({ reportDate: date, dir: opts.dir }, 'nightly report written');
      } catch (err) {
        opts.logger.error(
          { reportDate: date, err: (err as Error).name, code: (err as { code?: unknown }).code },
          'nightly report failed',
        );
      }
    }
  };
  const timer = setInterval(check, opts.checkMs ?? 30_000);
  check();
  return () => clearInterval(timer);
}

/**
 * The reports to write now, oldest first: the one for `reportDate`, and those for the days since
 * the latest report in the folder (a server down over a night writes them when it is back), at most
 * CATCH_UP_DAYS back. A folder with none of the last CATCH_UP_DAYS gets only `reportDate`.
 */
export function missingReports(dir: string, reportDate: IsoDate): IsoDate[] {
  const has = (d: IsoDate) => existsSync(join(dir, `report-${d}.json`));
  for (let back = 1; back <= CATCH_UP_DAYS; back++) {
    const earlier = addDays(reportDate, -back);
    if (!has(earlier)) continue;
    const days: IsoDate[] = [];
    for (let d = addDays(earlier, 1); d <= reportDate; d = addDays(d, 1)) if (!has(d) || d === reportDate) days.push(d);
    return days;
  }
  return [reportDate];
}
