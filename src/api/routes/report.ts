// The steward's performance against the national standards, and the nightly reports kept in the
// reports folder (serve --reports-dir). The performance count is a pass over the last two months'
// pathways, kept between requests (src/api/recount.ts).
import { readdirSync } from 'node:fs';
import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { HistoryModels } from '../../queries/as-at.ts';
import { buildReport, performanceSlices, type ReportModels } from '../../report/report.ts';
import { renderHtml } from '../../report/render.ts';
import { addDays, type IsoDate } from '../../vocabulary/calendar.ts';
import { today } from '../../wall-clock.ts';
import { keptCount } from '../recount.ts';
import type { Store } from '../../store/store.ts';
import { feature, type ApiContext } from '../route.ts';
import { date } from '../schemas.ts';

// Counts are whole but for the 62-day standard, where a transferred patient may count half (issue #24).
const standard = z.record(
  z.string(),
  z.object({ stopped: z.number().multipleOf(0.5), met: z.number().multipleOf(0.5), rate: z.number().nullable() }),
);
const performancePeriod = z.object({
  period: z.object({ from: date, to: date }),
  standards: z.object({ fds: standard, d31: standard, d62: standard }),
  d31Parts: z
    .object({ first: standard, subsequent: standard })
    .describe('the 31-day standard in its two parts: first treatments and those after the first (#14)'),
  d62ByProvider: standard.describe(
    'the 62-day standard by provider, a transferred patient shared as national processing shares it (#24)',
  ),
});
const performanceAnswer = z.object({
  monthToDate: performancePeriod,
  lastMonth: performancePeriod,
  targets: z.object({ fds: z.number(), d31: z.number(), d62: z.number() }),
});
const reportsAnswer = z.object({
  reports: z.array(z.object({ date, files: z.array(z.string()) })).describe('newest first'),
});
const reportFileParams = z.strictObject({
  file: z
    .string()
    .regex(/^report-\d{4}-\d{2}-\d{2}(-[A-Za-z0-9]+)?\.(html|csv|json)$/, 'is not the name of a report file'),
});

type Deps = { store: HistoryModels & ReportModels & Pick<Store, 'onCommit'> } & Pick<
  ApiContext,
  'clock' | 'reportsDir'
>;

export const report = feature(
  {
    performance: {
      method: 'get',
      path: '/api/performance',
      summary:
        'Performance against the FDS, 31 and 62-day standards, month to date and last month, as the nightly report counts it',
      role: 'viewer',
      ok: { status: 200, description: 'met and stopped, by tumour site and overall', schema: performanceAnswer },
      errors: [401],
    },
    reports: {
      method: 'get',
      path: '/api/reports',
      summary: 'The nightly reports kept in the reports folder (serve --reports-dir)',
      role: 'viewer',
      ok: { status: 200, description: 'the reports, newest first', schema: reportsAnswer },
      errors: [401],
    },
    // Before /api/reports/:file, which would refuse "latest" as a file name.
    latestReport: {
      method: 'get',
      path: '/api/reports/latest',
      summary:
        'The latest nightly report as HTML: the newest kept in the reports folder or, with none kept (no --reports-dir), the report for yesterday made now',
      role: 'viewer',
      ok: { status: 200, description: 'text/html, the trust page of the report' },
      errors: [401],
    },
    reportFile: {
      method: 'get',
      path: '/api/reports/:file',
      summary: 'One file of a nightly report',
      role: 'viewer',
      params: reportFileParams,
      ok: { status: 200, description: 'the file (HTML, CSV or JSON)' },
      errors: [400, 401, 404],
    },
  },
  ({ store, clock, reportsDir }: Deps) => {
    const performance = keptCount(store, clock, (day) => performanceSlices(store, day));
    // Yesterday's report reads only what was recorded by the end of yesterday: made once a day.
    let made: { day: IsoDate; html: string } | null = null;
    const madeFor = (day: IsoDate) => {
      if (made?.day !== day) made = { day, html: renderHtml(buildReport(store, day)) };
      return made.html;
    };
    return {
      performance: () => performance(),
      reports: () => ({ reports: reportsDir ? keptReports(reportsDir) : [] }),
      latestReport: async ({ res }) => {
        const latest = reportsDir ? keptReports(reportsDir)[0] : undefined;
        const page = latest?.files.find((f) => f === `report-${latest.date}.html`);
        res.setHeader('Cache-Control', 'no-store'); // it lists patients
        if (!page) {
          res
            .status(200)
            .type('html')
            .send(madeFor(addDays(today(clock), -1)));
          return;
        }
        await sendKept(res, reportsDir!, page);
      },
      reportFile: async ({ res, params }) => {
        if (!reportsDir || !keptReports(reportsDir).some((r) => r.files.includes(params.file)))
          throw new AppError('not_found', `no report file ${params.file}`, 'file');
        res.setHeader('Cache-Control', 'no-store'); // it lists patients
        await sendKept(res, reportsDir, params.file);
      },
    };
  },
);

/** A file of the reports folder, sent as it is. */
function sendKept(res: Response, dir: string, file: string): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    res.sendFile(file, { root: dir, dotfiles: 'deny' }, (err) => (err ? reject(err) : resolve())),
  );
}

/** The reports kept in the folder, newest first: each date with its files (trust page, provider pages, CSV, JSON). */
function keptReports(dir: string): { date: string; files: string[] }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const byDate = new Map<string, string[]>();
  for (const name of names.sort()) {
    const m = /^report-(\d{4}-\d{2}-\d{2})(-[A-Za-z0-9]+)?\.(html|csv|json)$/.exec(name);
    if (m) byDate.set(m[1]!, [...(byDate.get(m[1]!) ?? []), name]);
  }
  return [...byDate].sort(([a], [b]) => (a < b ? 1 : -1)).map(([date, files]) => ({ date, files }));
}
