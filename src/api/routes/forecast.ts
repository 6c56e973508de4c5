// The stewards' outlook (issue #23): `GET /api/forecast` with the command line's options as query
// parameters. Computed off the event loop in a worker thread (src/forecast/service.ts), so appends
// and live pushes go on, and kept per as-of day and options. The answer adds to the forecast the
// backlog as recorded each Sunday before it (the fan chart's history), the resource table and the
// weekly flows in and out. Bad options are refused naming the parameter.
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { addDays, dayNumber, fromDayNumber, type IsoDate } from '../../vocabulary/calendar.ts';
import { TUMOUR_SITES } from '../../vocabulary/events.ts';
import { today } from '../../wall-clock.ts';
import {
  checkResourceName,
  ForecastOptionError,
  parseCapacity,
  parseConfidence,
  parseDemand,
  parseTarget,
} from '../../forecast/levers.ts';
import type { OutlookRequest } from '../../forecast/outlook.ts';
import { weeksToShow, type ForecastService } from '../../forecast/service.ts';
import type { Store } from '../../store/store.ts';
import { feature, type ApiContext } from '../route.ts';
import { asOfDate, date } from '../schemas.ts';
import { reasonOf } from './settings.ts';

/** The API's bounds: a forecast ties up a core for seconds, so fewer runs and weeks than the command line allows. */
const MAX_WEEKS = 52;
const MAX_RUNS = 500;
const HISTORY_WEEKS = 26;

const some = z
  .union([z.string().max(100), z.array(z.string().max(100)).max(20)])
  .transform((v) => (Array.isArray(v) ? v : [v]));
const forecastQuery = z.strictObject({
  asOf: asOfDate
    .optional()
    .describe(
      'the day it is made as at (default yesterday, the last whole day recorded); only what was recorded by its end is read',
    ),
  weeks: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_WEEKS)
    .optional()
    .describe("Sundays forecast (default 16, or enough to reach the target's date, up to 26)"),
  runs: z.coerce.number().int().min(1).max(MAX_RUNS).optional().describe('runs (default 200)'),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(4_294_967_295)
    .optional()
    .describe('default 1: the same seed, the same answer'),
  site: z.enum(TUMOUR_SITES).optional().describe('count only pathways of this tumour site'),
  provider: z
    .string()
    .regex(/^[A-Z0-9]{3,10}$/, 'must be an ODS code: 3 to 10 capital letters and digits, such as RAJ')
    .optional(),
  capacity: some
    .optional()
    .describe('RESOURCE=+20% or RESOURCE=+15/week, then @YYYY-MM-DD for a later start (repeatable)'),
  demand: some.optional().describe('SITE=+10%[@YYYY-MM-DD] (repeatable)'),
  target: z
    .string()
    .max(64)
    .optional()
    .describe("METRIC<N@YYYY-MM-DD, such as over62<100@2027-03-31 (default the trust's target; none for no target)"),
  confidence: z.string().max(16).optional().describe('the share of runs the target must be met in (default 0.8)'),
  solve: z.string().max(64).optional().describe('a resource, or all: the extra capacity a week that meets the target'),
});

const band = z.object({ p10: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable() });
const count = z.object({
  p10: z.number().int().nullable(),
  p50: z.number().int().nullable(),
  p90: z.number().int().nullable(),
});
const target = z.object({
  metric: z.enum(['open', 'over62', 'over104']),
  below: z.number().int(),
  on: date,
  confidence: z.number(),
  probability: z.number().describe('the share of runs meeting it'),
});
const forecastAnswer = z.object({
  asOf: date,
  weeks: z.number().int(),
  runs: z.number().int(),
  site: z.string().nullable(),
  provider: z.string().nullable(),
  trajectory: z.array(z.object({ weekEnding: date, open: count, over62: count, over104: count, fds: band, d62: band })),
  target: target.optional(),
  bands: z
    .object({
      from: date,
      weeks: z.number().int(),
      perWeek: z.object({ open: z.number(), over62: z.number(), over104: z.number() }),
    })
    .optional()
    .describe(
      "the model's own error the counts' bands are widened by: a nested backtest made as at `from`, its relative error of the p50 a week ahead (h weeks ahead: times the root of h)",
    ),
  trustTarget: z.string().nullable().describe("the trust's target (GET /api/settings)"),
  solve: z
    .array(
      z.object({
        resource: z.string(),
        capacityPerWeek: z.number(),
        extraPerWeek: z.number().int().nullable(),
        probability: z.number(),
        oneFewer: z.object({ extraPerWeek: z.number().int(), probability: z.number() }).nullable(),
        triedUpTo: z.number(),
      }),
    )
    .optional(),
  history: z
    .array(z.object({ weekEnding: date, open: z.number().int(), over62: z.number().int(), over104: z.number().int() }))
    .nullable()
    .describe(
      'the backlog as it stood at the end of each Sunday of the 26 weeks before (null for a site and a provider together)',
    ),
  resources: z.array(
    z.object({
      resource: z.string(),
      label: z.string(),
      demandPerWeek: z.number(),
      capacityPerWeek: z.number(),
      capacityBasis: z.string(),
      saturated: z.boolean(),
      queue: z.number(),
      utilisation: z.number().nullable(),
      weeksToClear: z.number().nullable(),
      targetWaitDays: z.number(),
      targetQueue: z.number(),
      reliefCapacityPerWeek: z.number(),
      targetCapacityPerWeek: z.number(),
      waitDays: z.object({ median: z.number().nullable(), p90: z.number().nullable() }),
      throughputPerWeek: z.number(),
      queueGrowthPerWeek: z.number(),
      plain: z.string(),
    }),
  ),
  flows: z.object({
    recorded: z.array(
      z.object({ weekEnding: date, referred: z.number().int(), treated: z.number().int(), closed: z.number().int() }),
    ),
    forecast: z
      .array(z.object({ weekEnding: date, referred: count, treated: count, closed: count }))
      .describe('the first week adds what was recorded in it up to the as-of day (none when that was a Sunday)'),
  }),
});

type Deps = { store: Pick<Store, 'backlog'>; forecasts: ForecastService } & Pick<ApiContext, 'clock'>;

export const forecast = feature(
  {
    forecast: {
      method: 'get',
      path: '/api/forecast',
      summary: 'The over-62 outlook: weekly percentiles, the target, levers, the resource table and the flows',
      allow: 'patients', // aggregates, but each forecast takes a core: not for the counts-only viewer
      scope: 'trust', // the trust's forecast: not yet made for a scoped user's providers
      query: forecastQuery,
      ok: {
        status: 200,
        description: 'the outlook (docs/forecast.md says how each figure is made)',
        schema: forecastAnswer,
      },
      errors: [400, 401, 403],
    },
  },
  ({ store: { backlog }, forecasts, clock }: Deps) => ({
    forecast: async ({ query }) => {
      const now = today(clock);
      const asOf = query.asOf ?? addDays(now, -1);
      if (asOf > now) throw new AppError('invalid_request', `query.asOf: ${asOf} is in the future`, 'query.asOf');
      const request = requestOf(query, asOf, forecasts);
      const answer = await forecasts.outlook(asOf, request);
      if ('refused' in answer) {
        const field = `query.${answer.refused.option.replace(/^--/, '')}`;
        throw new AppError(
          'invalid_request',
          `${field}: ${answer.refused.message.slice(answer.refused.option.length + 2)}`,
          field,
        );
      }
      const { outlook } = answer;
      return {
        ...outlook,
        site: query.site ?? null,
        provider: query.provider ?? null,
        trustTarget: forecasts.trustTarget()?.text ?? null,
        history: await history(backlog, asOf, now, query.site, query.provider),
      };
    },
  }),
);

/** The options as the forecast takes them; a lever, target or confidence that cannot be read is refused naming it. */
function requestOf(query: z.output<typeof forecastQuery>, asOf: IsoDate, forecasts: ForecastService): OutlookRequest {
  const read = <T>(name: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof ForecastOptionError)) throw err;
      throw new AppError('invalid_request', `query.${name}: ${reasonOf(err)}`, `query.${name}`);
    }
  };
  const defaults = forecasts.defaultRequest(asOf);
  const target =
    query.target === 'none'
      ? undefined
      : query.target === undefined
        ? defaults.target
        : read('target', () => parseTarget(query.target!, asOf));
  if (query.confidence !== undefined && !target)
    throw new AppError('invalid_request', 'query.confidence: only with a target', 'query.confidence');
  if (query.solve !== undefined) {
    if (!target)
      throw new AppError(
        'invalid_request',
        'query.solve: needs a target (what the extra capacity should achieve)',
        'query.solve',
      );
    if (query.solve !== 'all') read('solve', () => checkResourceName('--solve', query.solve!));
  }
  return {
    weeks: query.weeks ?? weeksToShow(asOf, target),
    runs: query.runs ?? defaults.runs,
    seed: query.seed ?? defaults.seed,
    ...(query.site ? { site: query.site } : {}),
    ...(query.provider ? { provider: query.provider } : {}),
    levers: [
      ...(query.capacity ?? []).map((t) => read('capacity', () => parseCapacity(t, asOf))),
      ...(query.demand ?? []).map((t) => read('demand', () => parseDemand(t, asOf))),
    ],
    ...(target ? { target } : {}),
    ...(query.confidence !== undefined
      ? { confidence: read('confidence', () => parseConfidence(query.confidence!)) }
      : {}),
    ...(query.solve !== undefined ? { solve: query.solve } : {}),
  };
}

/** The backlog as it stood at the end of each Sunday of the 26 weeks up to `asOf`, for a site or a provider (not both). */
async function history(
  backlog: Store['backlog'],
  asOf: IsoDate,
  now: IsoDate,
  site?: string,
  provider?: string,
): Promise<{ weekEnding: IsoDate; open: number; over62: number; over104: number }[] | null> {
  if (site && provider) return null;
  const lastSunday = dayNumber(asOf) - ((dayNumber(asOf) + 4) % 7);
  const points = [];
  for (let k = HISTORY_WEEKS - 1; k >= 0; k--) {
    const day = fromDayNumber(lastSunday - 7 * k);
    const counts = await backlog.asOfAsync(day, now);
    const group = site ? counts.byTumourSite[site] : provider ? counts.byProvider[provider] : counts;
    points.push({ weekEnding: day, open: group?.open ?? 0, over62: group?.over62 ?? 0, over104: group?.over104 ?? 0 });
  }
  return points;
}
