// "My patients": which tracker looks after a pathway (operational, not an event).
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { actorOf, feature, type ApiContext } from '../route.ts';
import { pathwayIds } from '../schemas.ts';

const assignBody = z.strictObject({
  pathwayIds,
  assignee: z.string().min(1).max(64).nullable().describe("a tracker's user name; null unassigns"),
});
const assignAnswer = z.object({ assigned: z.number().int(), assignee: z.string().nullable() });
const assigneesAnswer = z.object({ assignees: z.array(z.string()) });

type Deps = { store: Pick<Store, 'users' | 'rows' | 'assignments'> } & Pick<ApiContext, 'clock'>;

export const assignments = feature(
  {
    assign: {
      method: 'post',
      path: '/api/assignments',
      summary: 'Assign pathways to a tracker, or unassign them (tracker)',
      role: 'tracker',
      body: assignBody,
      ok: { status: 200, description: 'how many', schema: assignAnswer },
      errors: [400, 401, 403, 404],
    },
    assignees: {
      method: 'get',
      path: '/api/assignees',
      summary: 'The users pathways can be assigned to (trackers and admins)',
      role: 'viewer',
      ok: { status: 200, description: 'user names', schema: assigneesAnswer },
      errors: [401],
    },
  },
  ({ store: { users, rows, assignments: assigned }, clock }: Deps) => {
    const assignable = () =>
      users
        .list()
        .filter((u) => u.role !== 'viewer')
        .map((u) => u.name);
    return {
      assignees: () => ({ assignees: assignable() }),
      assign: ({ body: { pathwayIds: ids, assignee }, user }) => {
        if (assignee !== null && !assignable().includes(assignee))
          throw new AppError(
            'invalid_request',
            `assignee: ${assignee} is not a tracker who can be assigned patients`,
            'assignee',
          );
        for (const id of ids)
          if (!rows.get(id)) throw new AppError('unknown_pathway', `no pathway ${id}`, 'pathwayIds');
        assigned.assign(ids, assignee, actorOf(user), clock.now().toISOString());
        return { assigned: ids.length, assignee };
      },
    };
  },
);
