// Signing in and out, and who is signed in. Failed sign-ins are rate limited (rate-limit.ts) and
// logged against a known user only; the session is an HttpOnly cookie.
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { PASSWORD_MAX_LENGTH } from '../../auth/passwords.ts';
import type { Store } from '../../store/store.ts';
import { bearerToken, cookieValue, SESSION_COOKIE } from '../authenticate.ts';
import { SignInLimiter } from '../rate-limit.ts';
import { actorOf, feature, type ApiContext } from '../route.ts';
import { me } from '../schemas.ts';

const signInBody = z.strictObject({
  name: z.string().min(1).max(64),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const session = feature(
  {
    signIn: {
      method: 'post',
      path: '/api/session',
      summary: 'Sign in (sets an HttpOnly session cookie)',
      role: null,
      body: signInBody,
      ok: { status: 200, description: 'signed in', schema: me },
      errors: [400, 401, 429],
    },
    signOut: {
      method: 'delete',
      path: '/api/session',
      summary: 'Sign out',
      role: null,
      ok: { status: 204, description: 'signed out' },
      errors: [],
    },
    me: {
      method: 'get',
      path: '/api/me',
      summary: 'Who is signed in',
      role: 'viewer',
      ok: { status: 200, description: 'the user', schema: me },
      errors: [401],
    },
  },
  ({ store: { users }, clock, audit }: { store: Pick<Store, 'users'> } & Pick<ApiContext, 'clock' | 'audit'>) => {
    const limiter = new SignInLimiter(clock);
    return {
      signIn: ({ req, res, body: { name, password } }) => {
        const address = req.ip ?? '';
        const wait = limiter.retryAfter(address, name);
        if (wait > 0) {
          // Not logged: a refusal costs the server nothing, so logging each would let a flood fill the disk.
          res.set('Retry-After', String(wait));
          throw new AppError('too_many_attempts', 'too many failed sign-ins; try again later');
        }
        const user = users.authenticate(name, password);
        if (!user) {
          limiter.failed(address, name);
          // Logged against a known user only: a name typed wrongly may be a password.
          const known = users.canonicalName(name);
          audit(req, null, 'sign_in_failed', {
            actor: known ? `user:${known}` : 'unknown',
            detail: { reason: 'wrong name or password, or disabled' },
          });
          throw new AppError('unauthenticated', 'name or password is wrong');
        }
        limiter.succeeded(address, name);
        audit(req, null, 'sign_in', { actor: actorOf(user) });
        const session = users.createSession(user);
        // Max-Age, not an absolute time: the browser's clock need not agree with the server's.
        const maxAge = Date.parse(session.expiresAt) - clock.now().getTime();
        res.cookie(SESSION_COOKIE, session.token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: req.secure,
          path: '/',
          maxAge,
        });
        return { name: user.name, role: user.role };
      },
      signOut: ({ req, res, caller }) => {
        // With a bearer token, signing out revokes that token: it must not go on working.
        const bearer = bearerToken(req.headers);
        if (bearer) users.revokeTokenSecret(bearer);
        const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
        if (token) users.endSession(token);
        if (caller) audit(req, caller, 'signed_out');
        res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.secure });
      },
      me: ({ user }) => ({ name: user.name, role: user.role }),
    };
  },
);
