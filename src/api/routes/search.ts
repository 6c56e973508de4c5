// Finding a patient by NHS number or name, over open and closed pathways. A search finds a patient,
// it does not list them: at least three letters of a name, at most SEARCH_LIMIT answers, and each
// search is in the access log with what was asked, how many were found and which (issue #25).
import { z } from 'zod';
import type { Store } from '../../store/store.ts';
import { SEARCH_LIMIT, SEARCH_MIN_LETTERS } from '../../store/search.ts';
import { patientSubject } from '../../store/access-log.ts';
import { normaliseNhsNumber } from '../../vocabulary/nhs-number.ts';
import { searchPathways } from '../../queries/patients.ts';
import { feature, type ApiContext } from '../route.ts';
import { date } from '../schemas.ts';

const searchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe(`an NHS number (spaces allowed) or the start of words of a name, at least ${SEARCH_MIN_LETTERS} letters`),
});
const searchAnswer = z.object({
  results: z.array(
    z.object({
      pathwayId: z.string(),
      nhsNumber: z.string(),
      patientName: z.string().nullable(),
      dateOfBirth: date.nullable(),
      tumourSite: z.string(),
      stage: z.string(),
      status: z.enum(['open', 'closed']),
      referralOn: date,
      provider: z.string().nullable(),
    }),
  ),
  more: z.boolean().describe(`more than ${SEARCH_LIMIT} were found: only the first are given; type more of the name`),
});

export const search = feature(
  {
    search: {
      method: 'get',
      path: '/api/search',
      summary: 'Find patients by NHS number or name, open and closed pathways',
      allow: 'patients',
      scope: 'pathway',
      query: searchQuery,
      ok: { status: 200, description: `at most ${SEARCH_LIMIT} pathways, open ones first`, schema: searchAnswer },
      errors: [400, 401, 403],
    },
  },
  ({ store, audit }: { store: Pick<Store, 'search' | 'rows'> } & Pick<ApiContext, 'audit'>) => ({
    search: ({ req, query, user, caller }) => {
      const found = searchPathways(store, query.q, user.providers);
      const asked = normaliseNhsNumber(query.q);
      audit(req, caller, 'patients_searched', {
        detail: { q: query.q, found: found.results.length, more: found.more },
        seen: [...(asked ? [patientSubject(asked)] : []), ...found.results.map((r) => r.pathwayId)],
      });
      return found;
    },
  }),
);
