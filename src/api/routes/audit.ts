// Who saw what (admin): the access log, newest first. Reading it is itself logged.
import { z } from 'zod';
import { identifier, isoDate } from '../../vocabulary/events.ts';
import { ACCESS_ACTIONS } from '../../store/access-log.ts';
import type { Store } from '../../store/store.ts';
import { feature, type ApiContext } from '../route.ts';
import { userName } from '../schemas.ts';

const auditQuery = z.strictObject({
  user: userName.optional().describe('a user name, or an actor such as cli:root'),
  pathwayId: identifier.optional(),
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
});

export const audit = feature(
  {
    audit: {
      method: 'get',
      path: '/api/audit',
      summary:
        'The access log, newest first (admin): who viewed which pathway, PTL queries, reports, sign-ins, changes to users',
      role: 'admin',
      query: auditQuery,
      ok: { status: 200, description: 'a page of the access log', schema: auditPage },
      errors: [400, 401, 403],
    },
  },
  ({ store: { access }, audit: record }: { store: Pick<Store, 'access'> } & Pick<ApiContext, 'audit'>) => ({
    audit: ({ req, caller, query }) => {
      const page = access.query(query);
      const { before, ...filters } = query;
      record(req, caller, 'audit_viewed', { detail: { filters, page: before ? 'next' : 'first' } });
      return page;
    },
  }),
);
