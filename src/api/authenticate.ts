// Who is calling: the session cookie or the bearer token a request carries, looked up in the users'
// read model. Every route and the /live websocket ask this; the secret itself is never kept.
import type { Users, Caller } from '../store/users.ts';

export const SESSION_COOKIE = 'openptl_session';

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The bearer token a request carries, if any. */
export function bearerToken(headers: { authorization?: string }): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
}

/** The caller (user and credential) behind a request's session cookie or bearer token, or null. */
export function authenticate(users: Users, headers: { cookie?: string; authorization?: string }): Caller | null {
  const bearer = bearerToken(headers);
  if (bearer) return users.callerByToken(bearer);
  const session = cookieValue(headers.cookie, SESSION_COOKIE);
  return session ? users.callerBySession(session) : null;
}
