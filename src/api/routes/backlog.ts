// The 62-day backlog: counts for a day (an earlier day as it stood at the end of that day) and the
// trend of the last days, from the store's backlog read model.
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { addDays } from '../../vocabulary/calendar.ts';
import type { Store } from '../../store/store.ts';
import { feature, type ApiContext } from '../route.ts';
import { asOfDate, bandCounts, date } from '../schemas.ts';

const backlogQuery = z.strictObject({
  asOf: asOfDate
    .optional()
    .describe('default today (Europe/London); an earlier day is counted as it stood at the end of that day'),
});
const trendQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).optional().describe('how many days up to today (default 90)'),
});
const group = z.object({ open: z.number().int(), over62: z.number().int(), over104: z.number().int() });
const backlogCounts = z.object({
  asOf: date,
  open: z.number().int(),
  over62: z.number().int(),
  over104: z.number().int(),
  fdsOverdue: z.number().int(),
  bands: bandCounts,
  byTumourSite: z.record(z.string(), group),
  byStage: z.record(z.string(), group),
  byProvider: z.record(z.string(), group).describe("by provider ODS code; 'unknown' when none is recorded"),
});
const trendAnswer = z.object({ points: z.array(group.extend({ date })) });

export const backlog = feature(
  {
    backlog: {
      method: 'get',
      path: '/api/backlog',
      summary: 'Backlog counts (an earlier date: as it stood at the end of that day)',
      role: 'viewer',
      query: backlogQuery,
      ok: { status: 200, description: 'backlog counts', schema: backlogCounts },
      errors: [400, 401],
    },
    trend: {
      method: 'get',
      path: '/api/backlog/trend',
      summary: 'Open, over 62 and over 104 for each day up to today',
      role: 'viewer',
      query: trendQuery,
      ok: { status: 200, description: 'one point a day', schema: trendAnswer },
      errors: [400, 401],
    },
  },
  ({ store: { backlog: counts }, clock }: { store: Pick<Store, 'backlog'> } & Pick<ApiContext, 'clock'>) => ({
    backlog: ({ query }) => {
      const now = today(clock);
      return counts.asOfAsync(query.asOf ?? now, now);
    },
    trend: async ({ query }) => {
      const now = today(clock);
      return { points: await counts.trend(addDays(now, -((query.days ?? 90) - 1)), now) };
    },
  }),
);
