// "My patients": which tracker looks after a pathway (operational, not an event). Every change is
// in the access log (issue #25); a scoped tracker assigns only their providers' pathways.
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { can } from '../../auth/roles.ts';
import { actorOf, feature, pathwayInScope, type ApiContext } from '../route.ts';
import { pathwayIds } from '../schemas.ts';

const assignBody = z.strictObject({
  pathwayIds,
  assignee: z.string().min(1).max(64).nullable().describe("a tracker's user name; null unassigns"),
});
const assignAnswer = z.object({ assigned: z.number().int(), assignee: z.string().nullable() });
const assigneesAnswer = z.object({ assignees: z.array(z.string()) });

type Deps = { store: Pick<Store, 'users' | 'rows' | 'assignments' | 'providers'> } & Pick<
  ApiContext,
  'clock' | 'audit'
>;

export const assignments = feature(
  {
    assign: {
      method: 'post',
      path: '/api/assignments',
      summary: 'Assign pathways to a tracker, or unassign them (tracker)',
      allow: 'record',
      scope: 'pathway',
      body: assignBody,
      ok: { status: 200, description: 'how many', schema: assignAnswer },
      errors: [400, 401, 403, 404],
    },
    assignees: {
      method: 'get',
      path: '/api/assignees',
      summary: 'The users pathways can be assigned to (those who may record events: trackers and admins)',
      allow: 'patients',
      scope: 'none',
      ok: { status: 200, description: 'user names', schema: assigneesAnswer },
      errors: [401, 403],
    },
  },
  ({ store, clock, audit }: Deps) => {
    const { users, rows, assignments: assigned } = store;
    const assignable = () =>
      users
        .list()
        .filter((u) => !u.disabled && can(u, 'record'))
        .map((u) => u.name);
    return {
      assignees: () => ({ assignees: assignable() }),
      assign: ({ req, caller, body: { pathwayIds: ids, assignee }, user }) => {
        if (assignee !== null && !assignable().includes(assignee))
          throw new AppError(
            'invalid_request',
            `assignee: ${assignee} is not a tracker who can be assigned patients`,
            'assignee',
          );
        for (const id of ids) {
          if (!rows.get(id)) throw new AppError('unknown_pathway', `no pathway ${id}`, 'pathwayIds');
          pathwayInScope(store, user, id);
        }
        assigned.assign(ids, assignee, actorOf(user), clock.now().toISOString());
        audit(req, caller, 'pathways_assigned', { detail: { assignee, pathways: ids.length }, seen: ids });
        return { assigned: ids.length, assignee };
      },
    };
  },
);
