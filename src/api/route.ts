// What a feature of the HTTP API is made of: its routes as data (method, path, who may call it and
// how the caller's scope of providers applies, its zod schemas: they validate the request and make
// the OpenAPI document) and a handler for each,
// typed by its route: the request's parts as the schemas parse them, and the answer as the
// response schema accepts it (z.input), so what is sent cannot drift from what is documented.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { can, type Permission, type Scope, type User } from '../auth/roles.ts';
import { describeIssue } from '../vocabulary/events.ts';
import type { WallClock } from '../wall-clock.ts';
import type { AccessAction } from '../store/access-log.ts';
import type { Store } from '../store/store.ts';
import type { Caller, Credential } from '../store/users.ts';
import type { PathwayCommands } from '../pathways/commands.ts';
import type { ForecastService } from '../forecast/service.ts';
import { idempotencyKey as idempotencyKeySchema } from './schemas.ts';

export interface RouteSpec {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express form: /api/pathways/:id */
  path: string;
  summary: string;
  /** The permission a caller needs (src/auth/roles.ts has which roles have it); null for routes open to all. */
  allow: Permission | null;
  /**
   * How a user's scope of providers applies (issue #25); every route must say:
   * - `pathway`: patient-level data or a change to a pathway: filtered to, or refused outside, the user's providers;
   * - `aggregate`: counts: a scoped user gets their providers' counts (or a clear refusal where that cannot be made);
   * - `trust`: the whole trust's data, which cannot be cut by provider (a national return): refused to a scoped user;
   * - `none`: nothing about patients (the vocabulary, users, sign-in): the same for everyone.
   */
  scope: RouteScope;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType | 'Event';
  idempotent?: boolean;
  ok: { status: number; description: string; schema?: z.ZodType };
  errors: readonly number[];
}

/** What a route's handler gets: the request's parts, already validated by the route's schemas. */
export interface Call<S extends RouteSpec> {
  req: Request;
  /** Its status is the route's `ok` status until the handler sets another. */
  res: Response;
  params: S['params'] extends z.ZodType ? z.output<S['params']> : undefined;
  query: S['query'] extends z.ZodType ? z.output<S['query']> : undefined;
  body: S['body'] extends z.ZodType ? z.output<S['body']> : unknown;
  user: S['allow'] extends null ? User | null : User;
  caller: S['allow'] extends null ? Caller | null : Caller;
}

export const ROUTE_SCOPES = ['pathway', 'aggregate', 'trust', 'none'] as const;
export type RouteScope = (typeof ROUTE_SCOPES)[number];

/** Returned by a handler that has written the response itself (a file, a download). */
export const SENT = Symbol('sent');

/** A handler's answer: what its response schema accepts (sent as JSON), or SENT; nothing for a route with no JSON answer. */
export type Answer<S extends RouteSpec> = S['ok']['schema'] extends z.ZodType
  ? z.input<S['ok']['schema']> | typeof SENT
  : void | typeof SENT;

export type Handlers<R extends Record<string, RouteSpec>> = {
  [K in keyof R]: (call: Call<R[K]>) => Answer<R[K]> | Promise<Answer<R[K]>>;
};

/** One feature: its routes, and its handlers given what they use (`Deps`: a few of the store's modules, the command handler...). */
export interface Feature<R extends Record<string, RouteSpec>, Deps> {
  routes: R;
  handlers: (deps: Deps) => Handlers<R>;
}

/** A feature, with its handlers typed by its routes. */
export function feature<R extends Record<string, RouteSpec>, Deps>(
  routes: R,
  handlers: (deps: Deps) => Handlers<R>,
): Feature<R, Deps> {
  return { routes, handlers };
}

/** One entry in the access log for this request: who (and how signed in), from where, what. */
export type Audit = (
  req: Request,
  caller: Caller | null,
  action: AccessAction,
  what?: { pathwayId?: string; detail?: Record<string, unknown>; actor?: string; seen?: readonly string[] },
) => void;

/** Everything a feature may be given; each takes only what it names. */
export interface ApiContext {
  store: Store;
  commands: PathwayCommands;
  clock: WallClock;
  audit: Audit;
  /** Where the nightly reports are written (serve --reports-dir). */
  reportsDir?: string;
  /** Every route of the API, for the OpenAPI document. */
  routes: Record<string, RouteSpec>;
  /** The stewards' forecasts, made in a worker thread (issue #23). */
  forecasts: ForecastService;
}

export const actorOf = (user: User) => `user:${user.name}`;

/** How a caller signed in, for the access log (never the secret). */
const via = (credential: Credential) => (credential.kind === 'token' ? `token ${credential.tokenId}` : 'session');

export function auditTo({ access }: Pick<Store, 'access'>): Audit {
  return (req, caller, action, what = {}) =>
    access.record({
      actor: what.actor ?? (caller ? actorOf(caller.user) : 'unknown'),
      action,
      address: req.ip ?? null,
      pathwayId: what.pathwayId ?? null,
      detail: { ...(caller ? { via: via(caller.credential) } : {}), ...what.detail },
      seen: what.seen,
    });
}

/** The caller's scope: the providers they see, or null for all. */
export const scopeOf = (user: User): Scope => user.providers;

/** Refuses a caller whose scope is limited to some providers: this route's data is the whole trust's. */
export function wholeTrustOnly(user: User, what = 'this'): void {
  if (user.providers !== null)
    throw new AppError(
      'out_of_scope',
      `${what} covers every provider of the trust; ${user.name} sees ${user.providers.join(', ')} only: ask a user who sees the whole trust`,
    );
}

/**
 * Refuses a pathway outside the providers the user sees (issue #25). A pathway that does not exist
 * is left to the route's own answer (404).
 */
export function pathwayInScope(
  { providers, rows }: Pick<Store, 'providers' | 'rows'>,
  user: User,
  pathwayId: string,
): void {
  if (user.providers === null || providers.inScope(pathwayId, user.providers) || !rows.get(pathwayId)) return;
  throw new AppError(
    'out_of_scope',
    `this pathway has not been at ${user.providers.join(' or ')}, the providers ${user.name} sees`,
    'pathwayId',
  );
}

/** True when the user may do what a permission allows (a handler's finer check: a data manager's events). */
export const allows = (user: User, permission: Permission) => can(user, permission);

/** Validates a value against a schema, or refuses with 400 naming the field. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const { field, message } = describeIssue(result.error);
    const path = field ? `${where}.${field}` : where;
    throw new AppError('invalid_request', `${path}: ${message}`, path);
  }
  return result.data;
}

/** The request's Idempotency-Key header, checked. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  return key === undefined ? undefined : parse(idempotencyKeySchema, key, 'Idempotency-Key');
}
