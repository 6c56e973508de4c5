// Timed pathways (issue #26): where the days go (the step statistics of the last 4 or 12 weeks,
// with the definitions and where each day comes from), the patients behind every number, and FIT
// for lower GI referrals. The statistics are a pass over the last months' pathways, kept between
// requests (src/api/recount.ts).
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { MILESTONE_EVENTS } from '../../vocabulary/timed-pathways.ts';
import { fitSlices, STATISTICS_WEEKS, timedPathwaySlices, type TimedModels } from '../../queries/timed-pathways.ts';
import { runGivingWay } from '../../slices.ts';
import type { Store } from '../../store/store.ts';
import { feature, type ApiContext } from '../route.ts';
import { keptCountPerScope } from '../recount.ts';
import { date, patientOnPathway } from '../schemas.ts';

const weeks = z
  .enum(['4', '12'])
  .transform((w) => Number(w) as (typeof STATISTICS_WEEKS)[number])
  .describe('the period: the last 4 or 12 weeks (default 4)');

const definition = z.object({
  pathway: z.string(),
  label: z.string(),
  appliesTo: z.object({ tumourSite: z.string().optional(), suspectedSite: z.string().optional() }),
  milestones: z.array(
    z.object({
      name: z.string(),
      day: z.number().int().describe('due by this day from the clock start (day 0)'),
      event: z.enum(MILESTONE_EVENTS),
      tests: z.array(z.string()).optional(),
      source: z.string().describe('where the day comes from'),
      confirmed: z.boolean().describe('false: not confirmed nationally; a trust sets it'),
      changed: z.object({ by: z.string(), at: z.string() }).optional().describe('set by the trust: who and when'),
    }),
  ),
});
const step = z.object({
  name: z.string(),
  day: z.number().int(),
  allowed: z.number().int().describe('days allowed for the step, from the milestone before'),
  due: z.number().int().describe('milestones that fell due in the period'),
  met: z.number().int(),
  metLate: z.number().int(),
  late: z.number().int().describe('not met yet'),
  measured: z.number().int().describe('of those due, the patients who reached the step: its days count theirs'),
  metShare: z.number().nullable(),
  medianDays: z
    .number()
    .int()
    .nullable()
    .describe('days the step took, nearest rank (a patient still waiting: so far)'),
  p90Days: z.number().int().nullable(),
  daysBeyond: z.number().int().describe('days past those allowed, added up over the patients'),
});
const statisticsAnswer = z.object({
  asOf: date,
  weeks: z.number().int(),
  from: date.describe('milestones due from this day'),
  to: date.describe('to this day (the day before the as-of date)'),
  definitions: z.array(definition).describe('the definitions in force, prostate first'),
  pathways: z.array(
    z.object({
      pathway: z.string(),
      label: z.string(),
      patients: z.number().int(),
      steps: z.array(step),
      slowestStep: z.string().nullable().describe('the step with the most days beyond those allowed'),
    }),
  ),
});
const patientsQuery = z.strictObject({
  weeks: weeks.optional(),
  pathway: z.string().max(64).optional().describe('one timed pathway; every one when left out'),
  milestone: z.string().max(80).optional().describe('one step; all steps when left out'),
  outcome: z.enum(['met', 'met_late', 'late']).optional(),
});
const patientsAnswer = z.object({
  asOf: date,
  entries: z.array(
    patientOnPathway.extend({
      pathway: z.string(),
      milestone: z.string(),
      outcome: z.enum(['met', 'met_late', 'late']),
      dueOn: date,
      metOn: date.nullable(),
      stepDays: z.number().int().nullable().describe('days the step took (so far); null: not reached yet'),
      allowed: z.number().int(),
    }),
  ),
});
const fitAnswer = z.object({
  asOf: date,
  threshold: z.number().describe('micrograms of haemoglobin per gram (NICE DG56)'),
  weeks: z.array(
    z.object({
      from: date,
      to: date,
      referrals: z.number().int().describe('lower GI urgent suspected cancer referrals received'),
      withResult: z.number().int(),
      atThreshold: z.number().int().describe('with a result at the threshold or above'),
      withResultShare: z.number().nullable(),
      atThresholdShare: z.number().nullable(),
    }),
  ),
  review: z
    .array(
      z.object({
        pathwayId: z.string(),
        nhsNumber: z.string(),
        patientName: z.string().nullable(),
        referralOn: date,
        daysWaiting: z.number().int(),
        reason: z.enum(['no_result', 'below_threshold']),
        fitResult: z.number().nullable(),
        fitTestedOn: date.nullable(),
        fitNotDoneReason: z.string().nullable(),
      }),
    )
    .describe(
      'open lower GI referrals awaiting triage without a FIT result or below the threshold: for clinical review',
    ),
});

type Deps = { store: TimedModels & Pick<Store, 'onCommit'> } & Pick<ApiContext, 'clock' | 'audit'>;

export const timedPathways = feature(
  {
    timedPathways: {
      method: 'get',
      path: '/api/timed-pathways',
      summary:
        'Where the days go: per timed pathway, the share meeting each milestone and the days each step took against those allowed',
      allow: 'signed_in',
      scope: 'aggregate',
      query: z.strictObject({ weeks: weeks.optional() }),
      ok: { status: 200, description: 'the step statistics and the definitions', schema: statisticsAnswer },
      errors: [400, 401, 403],
    },
    timedPathwayPatients: {
      method: 'get',
      path: '/api/timed-pathways/patients',
      summary: 'The patients behind a number of the step statistics',
      allow: 'patients',
      scope: 'pathway', // the statistics' own patients: a scoped user's are at their providers
      query: patientsQuery,
      ok: { status: 200, description: 'the patients, due date first', schema: patientsAnswer },
      errors: [400, 401, 403],
    },
    fit: {
      method: 'get',
      path: '/api/timed-pathways/fit',
      summary:
        'FIT for lower GI referrals: the share with a result and with one of 10 or more by week, and the referrals to review',
      allow: 'patients',
      scope: 'trust',
      query: z.strictObject({ weeks: z.coerce.number().int().min(1).max(52).optional().describe('default 12') }),
      ok: { status: 200, description: 'the weekly shares and the review list', schema: fitAnswer },
      errors: [400, 401, 403],
    },
  },
  ({ store, clock, audit }: Deps) => {
    const { timed, rows } = store;
    const statisticsOf = keptCountPerScope(store, clock, (day, providers) => timedPathwaySlices(store, day, providers));
    return {
      timedPathways: async ({ query, user }) => {
        const stats = await statisticsOf(user.providers);
        const { weeks: w, from, to, pathways } = stats.periods[query.weeks ?? 4];
        return { asOf: stats.asOf, weeks: w, from, to, definitions: [...timed.definitions()], pathways };
      },
      timedPathwayPatients: async ({ req, caller, query, user }) => {
        const stats = await statisticsOf(user.providers);
        const entries = stats.periods[query.weeks ?? 4].instances
          .filter(
            (i) =>
              (query.pathway === undefined || i.pathway === query.pathway) &&
              (query.milestone === undefined || i.milestone === query.milestone) &&
              (query.outcome === undefined || i.outcome === query.outcome),
          )
          .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.pathwayId < b.pathwayId ? -1 : 1))
          .flatMap((i) => {
            const row = rows.get(i.pathwayId);
            if (!row) return [];
            return [{ ...i, nhsNumber: row.nhs_number, patientName: row.patient_name, tumourSite: row.tumour_site }];
          });
        audit(req, caller, 'ptl_queried', {
          detail: { list: 'timed_pathway', filters: query, asOf: stats.asOf, patients: entries.length },
        });
        return { asOf: stats.asOf, entries };
      },
      fit: async ({ req, caller, query }) => {
        const answer = await runGivingWay(fitSlices(store, today(clock), query.weeks ?? 12));
        audit(req, caller, 'ptl_queried', {
          detail: { list: 'fit_review', asOf: answer.asOf, patients: answer.review.length },
        });
        return answer;
      },
    };
  },
);
