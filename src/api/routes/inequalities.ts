// Who waits longest (issue #27): the backlog, waits, performance, missed first appointments and
// early diagnosis by deprivation quintile, age band, sex or ethnic group. Viewers (no pathway
// access) always get the suppressed figures (small numbers hidden: src/cwt/disclosure.ts); a
// tracker or an admin gets them whole unless asking for the viewers' copy. Never a postcode.
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { TUMOUR_SITES } from '../../vocabulary/events.ts';
import { SPLITS } from '../../vocabulary/equality.ts';
import { MEASURES } from '../../cwt/inequalities.ts';
import { BANDS } from '../../cwt/backlog.ts';
import { inequalitySlices, type InequalitiesModels } from '../../queries/inequalities.ts';
import { runGivingWay } from '../../slices.ts';
import { AppError } from '../../errors.ts';
import { allows, feature, type ApiContext } from '../route.ts';
import { asOfDate, date, providerFilter, queryBoolean } from '../schemas.ts';

const inequalitiesQuery = z.strictObject({
  by: z
    .enum(SPLITS)
    .default('deprivation')
    .describe('deprivation (IMD quintile from the lookup; the default), age (band at referral), sex, ethnicity'),
  asOf: asOfDate.optional().describe('default today; read as it stood at the end of that day'),
  from: asOfDate
    .optional()
    .describe(
      'start of the period for the standards, missed appointments and early diagnosis (default the year to asOf)',
    ),
  tumourSite: z.enum(TUMOUR_SITES).optional(),
  provider: providerFilter,
  suppress: queryBoolean.optional().describe("the viewers' copy (always, for a viewer)"),
});

const count = z.number().int().nullable().describe('null: suppressed');
const proportion = z.object({
  count,
  of: count,
  rate: z.number().nullable(),
  ratio: z.number().nullable().describe('rate against the reference group'),
  lower: z.number().nullable().describe('95% confidence interval (Katz log method)'),
  upper: z.number().nullable(),
});
const groupFigures = z.object({
  group: z.string(),
  label: z.string(),
  core20: z.boolean(),
  reference: z.boolean(),
  open: count,
  over62: count,
  over104: count,
  bands: z.object(Object.fromEntries(BANDS.map((b) => [b, count]))),
  medianDays: z.number().nullable(),
  p90Days: z.number().nullable(),
  rates: z.object(Object.fromEntries(MEASURES.map((m) => [m, proportion]))),
});
const inequalitiesAnswer = z.object({
  by: z.enum(SPLITS),
  asOf: date,
  period: z.object({ from: date, to: date }),
  reference: z.string().nullable(),
  suppressed: z.boolean(),
  groups: z.array(groupFigures),
  total: groupFigures,
});

export const inequalities = feature(
  {
    inequalities: {
      method: 'get',
      path: '/api/inequalities',
      summary:
        'Waits, the backlog, performance, missed first appointments and early diagnosis by group (suppressed for viewers)',
      allow: 'signed_in',
      scope: 'aggregate',
      query: inequalitiesQuery,
      ok: {
        status: 200,
        description: 'one entry per group, the total, ratios against the reference',
        schema: inequalitiesAnswer,
      },
      errors: [400, 401, 403],
    },
  },
  ({ store, clock }: { store: InequalitiesModels } & Pick<ApiContext, 'clock'>) => ({
    inequalities: async ({ query, user }) => {
      const asOf = query.asOf ?? today(clock);
      if (query.from && query.from > asOf)
        throw new AppError('invalid_request', 'must not be after asOf', 'query.from');
      // A user scoped to providers (issue #25) reads one of theirs: their only one unless named.
      let provider = query.provider;
      if (user.providers !== null) {
        if (provider === undefined && user.providers.length === 1) provider = user.providers[0];
        if (provider === undefined || !user.providers.includes(provider))
          throw new AppError(
            'out_of_scope',
            `${user.name} sees ${user.providers.join(', ')} only: name one of them`,
            'query.provider',
          );
      }
      return runGivingWay(
        inequalitySlices(store, {
          ...query,
          provider,
          asOf,
          // Whole figures for those who may see patient lists; a viewer's counts suppressed (issue #27).
          suppress: query.suppress === true || !allows(user, 'patients'),
        }),
      );
    },
  }),
);
