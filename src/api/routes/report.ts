// The steward's performance against the national standards, and the nightly reports kept in the
// reports folder (serve --reports-dir). The performance count is a pass over the last two months'
// pathways, kept between requests (src/api/recount.ts), one count per scope: a scoped user's
// performance counts their providers' pathways only, and of the reports they see only their
// providers' pages (issue #25: the trust's page, CSV and JSON list every provider's patients). Each
// download is in the access log with the patients in it.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { HistoryModels } from '../../queries/as-at.ts';
import { performanceSlices, reportSlices, type ReportModels } from '../../report/report.ts';
import { runGivingWay } from '../../slices.ts';
import { renderHtml } from '../../report/render.ts';
import { addDays, type IsoDate } from '../../vocabulary/calendar.ts';
import { today } from '../../wall-clock.ts';
import { keptCountPerScope } from '../recount.ts';
import type { Store } from '../../store/store.ts';
import { nhsNumbersIn } from '../../vocabulary/nhs-number.ts';
import { patientSubject } from '../../store/access-log.ts';
import type { Scope } from '../../auth/roles.ts';
import { feature, SENT, type ApiContext } from '../route.ts';
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
  'clock' | 'reportsDir' | 'audit'
>;

export const report = feature(
  {
    performance: {
      method: 'get',
      path: '/api/performance',
      summary:
        'Performance against the FDS, 31 and 62-day standards, month to date and last month, as the nightly report counts it',
      allow: 'signed_in',
      scope: 'aggregate',
      ok: { status: 200, description: 'met and stopped, by tumour site and overall', schema: performanceAnswer },
      errors: [401, 403],
    },
    reports: {
      method: 'get',
      path: '/api/reports',
      summary: 'The nightly reports kept in the reports folder (serve --reports-dir)',
      allow: 'patients',
      scope: 'pathway',
      ok: { status: 200, description: 'the reports, newest first', schema: reportsAnswer },
      errors: [401, 403],
    },
    // Before /api/reports/:file, which would refuse "latest" as a file name.
    latestReport: {
      method: 'get',
      path: '/api/reports/latest',
      summary:
        'The latest nightly report as HTML: the newest kept in the reports folder or, with none kept (no --reports-dir), the report for yesterday made now (once a day, giving way to other requests while it is made)',
      allow: 'patients',
      scope: 'trust', // the trust's page lists every provider's patients
      ok: { status: 200, description: 'text/html, the trust page of the report' },
      errors: [401, 403],
    },
    reportFile: {
      method: 'get',
      path: '/api/reports/:file',
      summary: 'One file of a nightly report',
      allow: 'patients',
      scope: 'pathway',
      params: reportFileParams,
      ok: { status: 200, description: 'the file (HTML, CSV or JSON)' },
      errors: [400, 401, 403, 404],
    },
  },
  ({ store, clock, reportsDir, audit }: Deps) => {
    const performanceOf = keptCountPerScope(store, clock, (day, providers) => performanceSlices(store, day, providers));
    // Yesterday's report reads only what was recorded by the end of yesterday: made once a day,
    // giving way to other requests as it is made (a pass over every open pathway), and shared by
    // the requests that come meanwhile. One that failed is not kept: the next request tries again.
    let made: { day: IsoDate; html: Promise<string> } | null = null;
    const madeFor = (day: IsoDate) => {
      if (made?.day !== day) {
        const making = runGivingWay(reportSlices(store, day)).then((r) => renderHtml(r));
        made = { day, html: making };
        making.catch(() => {
          if (made?.html === making) made = null;
        });
      }
      return made.html;
    };
    const reportsFor = (scope: Scope) => (reportsDir ? visibleReports(keptReports(reportsDir), scope) : []);
    return {
      performance: ({ user }) => performanceOf(user.providers),
      reports: ({ user }) => ({ reports: reportsFor(user.providers) }),
      latestReport: async ({ req, res, caller }) => {
        const latest = reportsDir ? keptReports(reportsDir)[0] : undefined;
        const page = latest?.files.find((f) => f === `report-${latest.date}.html`);
        const html = page ? readFileSync(join(reportsDir!, page), 'utf8') : await madeFor(addDays(today(clock), -1));
        audit(req, caller, 'report_downloaded', {
          detail: { file: page ?? 'latest' },
          seen: nhsNumbersIn(html).map(patientSubject),
        });
        res.setHeader('Cache-Control', 'no-store'); // it lists patients
        res.status(200).type('html').send(html);
      },
      reportFile: ({ req, res, params, user, caller }): typeof SENT => {
        if (!reportsDir || !reportsFor(user.providers).some((r) => r.files.includes(params.file)))
          throw new AppError(
            user.providers !== null && keptReports(reportsDir ?? '').some((r) => r.files.includes(params.file))
              ? 'out_of_scope'
              : 'not_found',
            user.providers !== null
              ? `${params.file}: ${user.name} reads the report pages of ${user.providers.join(', ')} only`
              : `no report file ${params.file}`,
            'file',
          );
        const content = readFileSync(join(reportsDir, params.file));
        audit(req, caller, 'report_downloaded', {
          detail: { file: params.file },
          seen: nhsNumbersIn(content.toString('utf8')).map(patientSubject),
        });
        res.setHeader('Cache-Control', 'no-store'); // it lists patients
        res.type(extname(params.file)).send(content);
        return SENT;
      },
    };
  },
);

/**
 * The reports a user may open: all of them, or for a scoped user the pages of their own providers
 * (report-DATE-RAJ.html, written when a report lists more patients than one page shows).
 */
function visibleReports(reports: { date: string; files: string[] }[], scope: Scope) {
  if (scope === null) return reports;
  return reports
    .map((r) => ({ date: r.date, files: r.files.filter((f) => scope.some((p) => f === `report-${r.date}-${p}.html`)) }))
    .filter((r) => r.files.length > 0);
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
