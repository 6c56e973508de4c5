// Signing in and out, and who is signed in. Failed sign-ins are rate limited (rate-limit.ts) and
// logged against a known user only; the session is an HttpOnly cookie. A password kept from before
// the password policy that the policy refuses must be changed at that sign-in (issue #25): the
// session may then do nothing else (src/api/app.ts), and a user changes their own password here.
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { PASSWORD_MAX_LENGTH } from '../../auth/passwords.ts';
import type { Store } from '../../store/store.ts';
import { bearerToken, cookieValue, SESSION_COOKIE } from '../authenticate.ts';
import { SignInLimiter } from '../rate-limit.ts';
import { actorOf, feature, type ApiContext } from '../route.ts';
import { me } from '../schemas.ts';
import { ROLE_PERMISSIONS, type User } from '../../auth/roles.ts';
import type { Request, Response } from 'express';

const signInBody = z.strictObject({
  name: z.string().min(1).max(64),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
const passwordBody = z.strictObject({
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH).describe('the current password'),
  newPassword: z.string().max(PASSWORD_MAX_LENGTH).describe('the new one: at least 12 characters, hard to guess'),
});

/** Who is signed in, as the dashboard needs it: the role, what it may do, the providers seen. */
const meOf = (user: User, passwordChangeRequired: boolean) => ({
  name: user.name,
  role: user.role,
  providers: user.providers,
  permissions: [...ROLE_PERMISSIONS[user.role]],
  passwordChangeRequired,
});

export const session = feature(
  {
    signIn: {
      method: 'post',
      path: '/api/session',
      summary: 'Sign in (sets an HttpOnly session cookie)',
      allow: null,
      scope: 'none',
      body: signInBody,
      ok: { status: 200, description: 'signed in', schema: me },
      errors: [400, 401, 429],
    },
    signOut: {
      method: 'delete',
      path: '/api/session',
      summary: 'Sign out',
      allow: null,
      scope: 'none',
      ok: { status: 204, description: 'signed out' },
      errors: [],
    },
    me: {
      method: 'get',
      path: '/api/me',
      summary: 'Who is signed in',
      allow: 'signed_in',
      scope: 'none',
      ok: { status: 200, description: 'the user', schema: me },
      errors: [401, 403],
    },
    changePassword: {
      method: 'post',
      path: '/api/session/password',
      summary:
        'Change your own password: every session of yours ends; signed in with a session, you are given a new one',
      allow: 'signed_in',
      scope: 'none',
      body: passwordBody,
      ok: { status: 200, description: 'the user', schema: me },
      errors: [400, 401, 403, 429],
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
        audit(req, null, 'sign_in', {
          actor: actorOf(user),
          ...(user.passwordChangeRequired ? { detail: { passwordChangeRequired: true } } : {}),
        });
        startSession(req, res, user);
        return meOf(user, user.passwordChangeRequired);
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
      me: ({ user, caller }) => meOf(user, caller.passwordChangeRequired),
      changePassword: ({ req, res, body, user, caller }) => {
        const address = req.ip ?? '';
        const wait = limiter.retryAfter(address, user.name);
        if (wait > 0) {
          res.set('Retry-After', String(wait));
          throw new AppError('too_many_attempts', 'too many wrong passwords; try again later');
        }
        try {
          users.changeOwnPassword(user.userId, body.password, body.newPassword);
        } catch (err) {
          // A wrong current password counts against the sign-in limits (it is a guess at the password).
          if (err instanceof AppError && err.field === 'password') limiter.failed(address, user.name);
          throw err;
        }
        audit(req, caller, 'password_changed', { detail: { user: user.name } });
        if (caller.credential.kind === 'session') startSession(req, res, user);
        return meOf(user, false);
      },
    };

    /** A new session for the user, as an HttpOnly cookie. */
    function startSession(req: Request, res: Response, user: User): void {
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
    }
  },
);
