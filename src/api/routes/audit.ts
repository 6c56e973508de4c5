// Who saw what (admin): the access log, newest first, by user, pathway, action, day, or patient: an
// NHS number finds every entry that showed any pathway that patient has had, or the patient by
// number (a search, a file, a message), issue #25. And the hours in which a user read more patients
// than the trust's threshold. Reading the log is itself logged.
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { addDays } from '../../vocabulary/calendar.ts';
import { identifier, isoDate, nhsNumber } from '../../vocabulary/events.ts';
import { ACCESS_ACTIONS, patientSubject } from '../../store/access-log.ts';
import type { Store } from '../../store/store.ts';
import { feature, type ApiContext } from '../route.ts';
import { date, userName } from '../schemas.ts';

const auditQuery = z.strictObject({
  user: userName.optional().describe('a user name, or an actor such as cli:root'),
  pathwayId: identifier.optional(),
  nhsNumber: nhsNumber
    .optional()
    .describe('who saw this patient: entries that showed any pathway that has carried it, or the number itself'),
  action: z.enum(ACCESS_ACTIONS).optional(),
  since: isoDate.optional().describe('from the start of this day in England'),
  before: z.coerce.number().int().min(1).optional().describe('nextBefore of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('page size (default 100)'),
});
const auditPage = z.object({
  entries: z.array(
    z.object({
      entryId: z.number().int(),
      at: z.string(),
      actor: z.string(),
      action: z.enum(ACCESS_ACTIONS),
      pathwayId: z.string().nullable(),
      address: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  nextBefore: z.number().int().nullable(),
  pathways: z
    .array(z.string())
    .optional()
    .describe('with nhsNumber: the pathways that have carried it, which the entries were looked up by'),
});
const volumesQuery = z.strictObject({
  since: isoDate.optional().describe('from the start of this day in England (default: 7 days ago)'),
});
const volumesAnswer = z.object({
  since: date,
  threshold: z.number().int().describe("the trust's setting: patients a user may read in an hour before it is flagged"),
  hours: z.array(
    z.object({
      actor: z.string(),
      hour: z.string().describe('the start of the hour, UTC'),
      patients: z.number().int().describe('distinct patients (by NHS number) in what the user was shown'),
    }),
  ),
});

type Deps = { store: Pick<Store, 'access' | 'log' | 'settings'> } & Pick<ApiContext, 'audit' | 'clock'>;

export const audit = feature(
  {
    audit: {
      method: 'get',
      path: '/api/audit',
      summary:
        'The access log, newest first (admin): who saw which patient (by pathway or NHS number), PTL queries, reports, sign-ins, changes to users',
      allow: 'admin',
      scope: 'none',
      query: auditQuery,
      ok: { status: 200, description: 'a page of the access log', schema: auditPage },
      errors: [400, 401, 403],
    },
    auditVolumes: {
      method: 'get',
      path: '/api/audit/volumes',
      summary: "Users' hours with reads of more patients than the trust's threshold (admin)",
      allow: 'admin',
      scope: 'none',
      query: volumesQuery,
      ok: { status: 200, description: 'newest first', schema: volumesAnswer },
      errors: [400, 401, 403],
    },
  },
  ({ store: { access, log, settings }, audit: record, clock }: Deps) => ({
    audit: ({ req, caller, query }) => {
      const { before, nhsNumber: patient, ...rest } = query;
      const pathways = patient === undefined ? undefined : log.pathwaysOfNhsNumber(patient);
      const page = access.query({
        ...rest,
        before,
        ...(patient === undefined ? {} : { subjects: [...pathways!, patientSubject(patient)] }),
      });
      const filters = { ...rest, ...(patient === undefined ? {} : { nhsNumber: patient }) };
      record(req, caller, 'audit_viewed', { detail: { filters, page: before ? 'next' : 'first' } });
      return pathways === undefined ? page : { ...page, pathways };
    },
    auditVolumes: ({ req, caller, query }) => {
      const since = query.since ?? addDays(today(clock), -7);
      const threshold = settings.number('auditPatientsPerHour');
      const hours = access.heavyHours(since, threshold);
      record(req, caller, 'audit_viewed', { detail: { volumes: true, since } });
      return { since, threshold, hours };
    },
  }),
);
