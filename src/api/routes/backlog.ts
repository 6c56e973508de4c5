// The 62-day backlog: counts for a day (an earlier day as it stood at the end of that day) and the
// trend of the last days, from the store's backlog read model. A user scoped to some providers gets
// their providers' counts: today's from an index per provider, the trend from each day's counts by
// provider; an earlier day's full counts are kept for the whole trust only, so that is refused (#25).
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { addDays } from '../../vocabulary/calendar.ts';
import type { Store } from '../../store/store.ts';
import { AppError } from '../../errors.ts';
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
      allow: 'signed_in',
      scope: 'aggregate',
      query: backlogQuery,
      ok: { status: 200, description: 'backlog counts', schema: backlogCounts },
      errors: [400, 401, 403],
    },
    trend: {
      method: 'get',
      path: '/api/backlog/trend',
      summary: 'Open, over 62 and over 104 for each day up to today',
      allow: 'signed_in',
      scope: 'aggregate',
      query: trendQuery,
      ok: { status: 200, description: 'one point a day', schema: trendAnswer },
      errors: [400, 401, 403],
    },
  },
  ({ store: { backlog: counts }, clock }: { store: Pick<Store, 'backlog'> } & Pick<ApiContext, 'clock'>) => ({
    backlog: ({ query, user }) => {
      const now = today(clock);
      const day = query.asOf ?? now;
      if (user.providers === null) return counts.asOfAsync(day, now);
      if (day < now)
        throw new AppError(
          'out_of_scope',
          `asOf: an earlier day's counts are kept for the whole trust only; ${user.name} sees ${user.providers.join(', ')}: the trend gives their open, over 62 and over 104 for each day`,
          'asOf',
        );
      return counts.currentFor(day, user.providers);
    },
    trend: async ({ query, user }) => {
      const now = today(clock);
      const from = addDays(now, -((query.days ?? 90) - 1));
      return {
        points:
          user.providers === null ? await counts.trend(from, now) : await counts.trendFor(from, now, user.providers),
      };
    },
  }),
);
