// The PTLs: open pathways longest wait first (a page, or the whole filtered list as CSV), and the
// 31-day PTL of treatments after the first (issue #14). Each page read and each download is in the
// access log with the pathways it showed; a scoped user's lists hold their providers' pathways only
// (issue #25).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { isoDate, TUMOUR_SITES } from '../../vocabulary/events.ts';
import { PTL_PAGE_MAX, PTL_SORTS } from '../../store/ptl.ts';
import { SCREENING_PROGRAMMES } from '../../vocabulary/timed-pathways.ts';
import { PTL31_PAGE_MAX } from '../../store/ptl31.ts';
import type { Store } from '../../store/store.ts';
import { QUINTILES } from '../../vocabulary/equality.ts';
import { PTL_CSV_HEADER, ptlCsvLine } from '../ptl-csv.ts';
import { feature, type ApiContext } from '../route.ts';
import { asOfDate, date, patientOnPathway, ptlEntry, providerFilter, queryBoolean } from '../schemas.ts';

const ptlQuery = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES).optional(),
  stage: z.string().max(64).optional(),
  provider: providerFilter,
  minDays: z.coerce.number().int().min(0).max(100_000).optional().describe('days waiting at least'),
  maxDays: z.coerce.number().int().min(0).max(100_000).optional().describe('days waiting at most'),
  breached: queryBoolean.optional().describe('over 62 days (true) or not (false)'),
  fdsOverdue: queryBoolean.optional().describe('faster diagnosis clock running past 28 days'),
  nextActionDueBy: z
    .union([isoDate, z.literal('today')])
    .optional()
    .describe('next action due on or before this date; "today": due today or overdue'),
  needsReview: queryBoolean.optional().describe('kept history that a guard rail now refuses (true) or not (false)'),
  assignee: z.string().min(1).max(64).optional().describe('pathways assigned to this tracker'),
  milestone: z
    .enum(['late', 'at_risk'])
    .optional()
    .describe(
      'the next timed-pathway milestone late (its day has passed) or at risk (due within two working days, nothing booked)',
    ),
  screeningProgramme: z.enum(SCREENING_PROGRAMMES).optional().describe('screening referrals of one programme'),
  deprivationQuintile: z
    .enum(QUINTILES)
    .optional()
    .describe("the IMD quintile of the patient's postcode in the trust's lookup (1 = Core20, the most deprived 20%)"),
  breachWithin: z.coerce
    .number()
    .int()
    .min(1)
    .max(62)
    .optional()
    .describe('due to breach: not over 62 days yet, the 62-day breach date within this many days (7, 14)'),
  sort: z.enum(PTL_SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(PTL_PAGE_MAX).optional().describe('page size (default 50)'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  asOf: asOfDate.optional().describe('default today (Europe/London)'),
});
const ptlPage = z.object({
  asOf: date,
  entries: z.array(ptlEntry),
  nextCursor: z.string().nullable(),
  breachRiskFrom: z
    .object({ asOf: date, horizon: date, runs: z.number().int() })
    .nullable()
    .describe("the forecast the breach risks come from (made as at asOf, to horizon); null before any day's forecast"),
  total: z.number().int().describe('how many open pathways the filters select (every page, not only this one)'),
});
const ptlCsvQuery = ptlQuery.omit({ limit: true, cursor: true });

const ptl31Query = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES).optional(),
  provider: z.string().max(10).optional(),
  limit: z.coerce.number().int().min(1).max(PTL31_PAGE_MAX).optional().describe('page size (default 50)'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  asOf: asOfDate.optional().describe('default today (Europe/London)'),
});
const ptl31Page = z.object({
  asOf: date,
  entries: z.array(
    patientOnPathway.extend({
      provider: z.string().nullable(),
      treatmentNumber: z.number().int(),
      decisionToTreat: date,
      start: date,
      daysWaiting: z.number().int(),
      adjustmentDays: z.number().int(),
      breachDate: date,
      breached: z.boolean(),
      version: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

type Deps = { store: Pick<Store, 'ptl' | 'ptl31' | 'risks'> } & Pick<ApiContext, 'clock' | 'audit'>;

export const ptl = feature(
  {
    ptl: {
      method: 'get',
      path: '/api/ptl',
      summary: 'The PTL: open pathways, longest wait first, keyset-paginated',
      allow: 'patients',
      scope: 'pathway',
      query: ptlQuery,
      ok: { status: 200, description: 'a page of the PTL', schema: ptlPage },
      errors: [400, 401, 403],
    },
    ptlCsv: {
      method: 'get',
      path: '/api/ptl/csv',
      summary: 'The PTL as CSV: exactly the pathways the filters select, in the same order',
      allow: 'patients',
      scope: 'pathway',
      query: ptlCsvQuery,
      ok: { status: 200, description: 'text/csv, one row per pathway' },
      errors: [400, 401, 403],
    },
    ptl31: {
      method: 'get',
      path: '/api/ptl/subsequent',
      summary: 'The 31-day PTL of treatments after the first: earliest breach first, keyset-paginated',
      allow: 'patients',
      scope: 'pathway',
      query: ptl31Query,
      ok: { status: 200, description: 'a page of the 31-day PTL', schema: ptl31Page },
      errors: [400, 401, 403],
    },
  },
  ({ store: { ptl: list, ptl31, risks }, clock, audit }: Deps) => ({
    ptl: ({ req, query: { asOf, nextActionDueBy, ...query }, user, caller }) => {
      const day = asOf ?? today(clock);
      const filtered = {
        ...query,
        nextActionDueBy: nextActionDueBy === 'today' ? day : nextActionDueBy,
        scope: user.providers,
      };
      const page = { ...list.page(filtered, day), total: list.count(filtered, day) };
      // The filters and how many patients came back; never who they were.
      const { cursor, ...filters } = query;
      audit(req, caller, 'ptl_queried', {
        detail: {
          filters: { ...filters, ...(nextActionDueBy ? { nextActionDueBy } : {}) },
          asOf: page.asOf,
          page: cursor ? 'next' : 'first',
          patients: page.entries.length,
        },
        seen: page.entries.map((e) => e.pathwayId),
      });
      return { ...page, breachRiskFrom: risks.latest() };
    },
    ptlCsv: async ({ req, res, query: { asOf, nextActionDueBy, ...query }, user, caller }) => {
      const day = asOf ?? today(clock);
      const filters = { ...query, nextActionDueBy: nextActionDueBy === 'today' ? day : nextActionDueBy };
      const pages = list.pages({ ...filters, scope: user.providers }, day);
      const first = pages.next(); // a bad cursor or filter is refused before anything is sent
      res.status(200).type('text/csv; charset=utf-8').attachment(`ptl-${day}.csv`);
      res.write(PTL_CSV_HEADER);
      // Streamed a page at a time, giving way to other requests between pages (a whole PTL is long).
      // What was sent is logged even if the download stops half way.
      const seen: string[] = [];
      try {
        for (let page = first; !page.done; page = pages.next()) {
          if (res.destroyed) break;
          res.write(page.value.map(ptlCsvLine).join(''));
          for (const e of page.value) seen.push(e.pathwayId);
          await nextTurn();
        }
      } finally {
        audit(req, caller, 'ptl_downloaded', {
          detail: {
            filters: { ...query, ...(nextActionDueBy ? { nextActionDueBy } : {}) },
            asOf: day,
            patients: seen.length,
          },
          seen,
        });
      }
      res.end();
    },
    ptl31: ({ req, query: { asOf, ...query }, user, caller }) => {
      const page = ptl31.page({ ...query, scope: user.providers }, asOf ?? today(clock));
      const { cursor, ...filters } = query;
      audit(req, caller, 'ptl31_queried', {
        detail: { filters, asOf: page.asOf, page: cursor ? 'next' : 'first', patients: page.entries.length },
        seen: page.entries.map((e) => e.pathwayId),
      });
      return page;
    },
  }),
);
