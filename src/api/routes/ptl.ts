// The PTLs: open pathways longest wait first (a page, or the whole filtered list as CSV), and the
// 31-day PTL of treatments after the first (issue #14). Each page read is in the access log.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { isoDate, TUMOUR_SITES } from '../../vocabulary/events.ts';
import { PTL_PAGE_MAX, PTL_SORTS } from '../../store/ptl.ts';
import { SCREENING_PROGRAMMES } from '../../vocabulary/timed-pathways.ts';
import { PTL31_PAGE_MAX } from '../../store/ptl31.ts';
import type { Store } from '../../store/store.ts';
import { PTL_CSV_HEADER, ptlCsvLine } from '../ptl-csv.ts';
import { feature, type ApiContext } from '../route.ts';
import { asOfDate, date, ptlEntry, queryBoolean } from '../schemas.ts';

const ptlQuery = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES).optional(),
  stage: z.string().max(64).optional(),
  provider: z
    .string()
    .max(10)
    .transform((v) => v.toUpperCase())
    .optional()
    .describe('ODS code, in any case'),
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
    z.object({
      pathwayId: z.string(),
      nhsNumber: z.string(),
      patientName: z.string().nullable(),
      tumourSite: z.string(),
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

type Deps = { store: Pick<Store, 'ptl' | 'ptl31'> } & Pick<ApiContext, 'clock' | 'audit'>;

export const ptl = feature(
  {
    ptl: {
      method: 'get',
      path: '/api/ptl',
      summary: 'The PTL: open pathways, longest wait first, keyset-paginated',
      role: 'viewer',
      query: ptlQuery,
      ok: { status: 200, description: 'a page of the PTL', schema: ptlPage },
      errors: [400, 401],
    },
    ptlCsv: {
      method: 'get',
      path: '/api/ptl/csv',
      summary: 'The PTL as CSV: exactly the pathways the filters select, in the same order',
      role: 'viewer',
      query: ptlCsvQuery,
      ok: { status: 200, description: 'text/csv, one row per pathway' },
      errors: [400, 401],
    },
    ptl31: {
      method: 'get',
      path: '/api/ptl/subsequent',
      summary: 'The 31-day PTL of treatments after the first: earliest breach first, keyset-paginated',
      role: 'viewer',
      query: ptl31Query,
      ok: { status: 200, description: 'a page of the 31-day PTL', schema: ptl31Page },
      errors: [400, 401],
    },
  },
  ({ store: { ptl: list, ptl31 }, clock, audit }: Deps) => ({
    ptl: ({ req, query: { asOf, nextActionDueBy, ...query }, caller }) => {
      const day = asOf ?? today(clock);
      const filtered = { ...query, nextActionDueBy: nextActionDueBy === 'today' ? day : nextActionDueBy };
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
      });
      return page;
    },
    ptlCsv: async ({ res, query: { asOf, nextActionDueBy, ...query } }) => {
      const day = asOf ?? today(clock);
      const pages = list.pages({ ...query, nextActionDueBy: nextActionDueBy === 'today' ? day : nextActionDueBy }, day);
      const first = pages.next(); // a bad cursor or filter is refused before anything is sent
      res.status(200).type('text/csv; charset=utf-8').attachment(`ptl-${day}.csv`);
      res.write(PTL_CSV_HEADER);
      // Streamed a page at a time, giving way to other requests between pages (a whole PTL is long).
      for (let page = first; !page.done; page = pages.next()) {
        res.write(page.value.map(ptlCsvLine).join(''));
        await nextTurn();
      }
      res.end();
    },
    ptl31: ({ query: { asOf, ...query } }) => ptl31.page(query, asOf ?? today(clock)),
  }),
);
