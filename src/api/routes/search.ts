// Finding a patient by NHS number or name, over open and closed pathways.
import { z } from 'zod';
import type { Store } from '../../store/store.ts';
import { searchPathways } from '../../queries/patients.ts';
import { feature } from '../route.ts';
import { date } from '../schemas.ts';

const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(100).describe('an NHS number (spaces allowed) or the start of words of a name'),
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
});

export const search = feature(
  {
    search: {
      method: 'get',
      path: '/api/search',
      summary: 'Find patients by NHS number or name, open and closed pathways',
      role: 'viewer',
      query: searchQuery,
      ok: { status: 200, description: 'at most 50 pathways, open ones first', schema: searchAnswer },
      errors: [400, 401],
    },
  },
  ({ store }: { store: Pick<Store, 'search' | 'rows'> }) => ({
    search: ({ query }) => ({ results: searchPathways(store, query.q) }),
  }),
);
