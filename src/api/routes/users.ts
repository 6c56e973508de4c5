// Who may sign in (admin): users, their roles, the providers they see, their passwords, and API
// tokens. Every change is in the access log; disabling a user or revoking a token ends their
// sessions and closes their sockets.
import { z } from 'zod';
import { ROLES } from '../../auth/roles.ts';
import { PASSWORD_MAX_LENGTH } from '../../auth/passwords.ts';
import type { AccessAction } from '../../store/access-log.ts';
import type { Store } from '../../store/store.ts';
import { TOKEN_DAYS_MAX } from '../../store/users.ts';
import { feature, type ApiContext } from '../route.ts';
import { providers, user, userName } from '../schemas.ts';

const newUserBody = z.strictObject({
  name: z.string().max(64),
  role: z.enum(ROLES),
  password: z.string().max(PASSWORD_MAX_LENGTH),
  providers: providers.optional().describe('the providers whose pathways the user sees and changes (default: all)'),
});
const userEntry = user.extend({
  disabled: z.boolean(),
  createdAt: z.string(),
  passwordChangeRequired: z.boolean().describe('signed in with a password too easy to guess: must change it'),
});
const userNameParams = z.strictObject({ name: userName.describe('the user name (any case)') });
const userChangeBody = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    disabled: z
      .boolean()
      .optional()
      .describe('true ends their sessions, stops their tokens and closes their websockets'),
    password: z.string().max(PASSWORD_MAX_LENGTH).optional().describe('a new password (their sessions end)'),
    providers: providers.optional().describe('the providers the user sees; null: every provider'),
  })
  .refine(
    (b) => b.role !== undefined || b.disabled !== undefined || b.password !== undefined || b.providers !== undefined,
    { message: 'give role, disabled, password or providers' },
  );
const tokenEntry = z.object({
  tokenId: z.number().int(),
  user: z.string(),
  label: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  expired: z.boolean(),
});
const newToken = tokenEntry.extend({
  token: z.string().describe('the secret: shown once, only its hash is kept'),
});
const tokenQuery = z.strictObject({ user: userName.optional().describe("one user's tokens") });
const newTokenBody = z.strictObject({
  user: userName,
  days: z.number().int().min(1).max(TOKEN_DAYS_MAX).optional().describe('days until it expires (default 90)'),
  label: z.string().max(64).optional().describe('what it is for'),
});
const tokenIdParams = z.strictObject({ id: z.coerce.number().int().min(1).describe('the token id') });

export const users = feature(
  {
    users: {
      method: 'get',
      path: '/api/users',
      summary: 'Users (admin)',
      allow: 'admin',
      scope: 'none',
      ok: { status: 200, description: 'users', schema: userEntry.array() },
      errors: [401, 403],
    },
    addUser: {
      method: 'post',
      path: '/api/users',
      summary: 'Add a user (admin)',
      allow: 'admin',
      scope: 'none',
      body: newUserBody,
      ok: { status: 201, description: 'the user', schema: user },
      errors: [400, 401, 403, 409],
    },
    changeUser: {
      method: 'patch',
      path: '/api/users/:name',
      summary:
        'Change a user (admin): role, providers, disabled (their sessions end and websockets close), or a new password',
      allow: 'admin',
      scope: 'none',
      params: userNameParams,
      body: userChangeBody,
      ok: { status: 200, description: 'the user', schema: userEntry },
      errors: [400, 401, 403, 404, 409],
    },
    tokens: {
      method: 'get',
      path: '/api/tokens',
      summary: 'API tokens, without their secrets (admin)',
      allow: 'admin',
      scope: 'none',
      query: tokenQuery,
      ok: { status: 200, description: 'tokens', schema: tokenEntry.array() },
      errors: [400, 401, 403, 404],
    },
    createToken: {
      method: 'post',
      path: '/api/tokens',
      summary: 'Make an API token for a user (admin); it expires (default 90 days)',
      allow: 'admin',
      scope: 'none',
      body: newTokenBody,
      ok: { status: 201, description: 'the token, with its secret shown once', schema: newToken },
      errors: [400, 401, 403, 404],
    },
    revokeToken: {
      method: 'delete',
      path: '/api/tokens/:id',
      summary: 'Revoke an API token (admin); its websockets close',
      allow: 'admin',
      scope: 'none',
      params: tokenIdParams,
      ok: { status: 200, description: 'the token revoked', schema: tokenEntry },
      errors: [400, 401, 403, 404],
    },
  },
  ({ store: { users: all }, audit }: { store: Pick<Store, 'users'> } & Pick<ApiContext, 'audit'>) => ({
    users: () => all.list(),
    addUser: ({ req, caller, body: { name, role, password, providers: scope } }) => {
      const added = all.add(name, role, password, scope ?? null);
      audit(req, caller, 'user_added', { detail: { user: added.name, role: added.role, providers: added.providers } });
      return added;
    },
    changeUser: ({ req, caller, params, body }) => {
      const before = all.list().find((u) => u.name.toLowerCase() === params.name.toLowerCase());
      const after = all.change(params.name, body);
      const changed = (action: AccessAction, detail: Record<string, unknown> = {}) =>
        audit(req, caller, action, { detail: { user: after.name, ...detail } });
      if (body.role !== undefined && body.role !== before?.role) changed('role_changed', { role: after.role });
      if (body.providers !== undefined && JSON.stringify(body.providers) !== JSON.stringify(before?.providers))
        changed('providers_changed', { providers: after.providers });
      if (body.password !== undefined) changed('password_reset');
      if (body.disabled !== undefined && body.disabled !== before?.disabled)
        changed(body.disabled ? 'user_disabled' : 'user_enabled');
      return after;
    },
    tokens: ({ query }) => all.listTokens(query.user),
    createToken: ({ req, caller, body }) => {
      const issued = all.issueToken(body.user, { days: body.days, label: body.label });
      const entry = all.listTokens().find((t) => t.tokenId === issued.tokenId)!;
      audit(req, caller, 'token_created', {
        detail: { user: entry.user, tokenId: entry.tokenId, expiresAt: entry.expiresAt },
      });
      return { ...entry, token: issued.token };
    },
    revokeToken: ({ req, caller, params }) => {
      const revoked = all.revokeToken(params.id);
      audit(req, caller, 'token_revoked', { detail: { user: revoked.user, tokenId: revoked.tokenId } });
      return revoked;
    },
  }),
);
