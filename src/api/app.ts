// The HTTP API: express 5; every route is registered from its spec (routes.ts), validated with
// its zod schemas and role-checked; errors are specific, name the field, and change nothing.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { type WallClock, today } from '../wall-clock.ts';
import { addDays } from '../cwt/calendar.ts';
import { BANDS } from '../cwt/backlog.ts';
import { describeIssue, ROUTES, TUMOUR_SITES } from '../domain/events.ts';
import { OPEN_STAGES } from '../../machines/referral.ts';
import { roleAllows, type User } from '../auth/roles.ts';
import type { Users } from '../store/users.ts';
import { ROOT } from '../paths.ts';
import type { Store } from '../store/store.ts';
import { HTTP_STATUS } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { API, type RouteSpec } from './routes.ts';
import { idempotencyKey as idempotencyKeySchema } from './schemas.ts';
import { SignInLimiter } from './rate-limit.ts';
import { acceptProposal, acceptProposals, rejectProposal } from '../hl7/decide.ts';

const require = createRequire(import.meta.url);

export const SESSION_COOKIE = 'openptl_session';
export const BODY_LIMIT = '64kb';

export interface AppDeps {
  store: Store;
  clock: WallClock;
  logger: Logger;
}

/** Validates a value against a schema, or refuses with 400 naming the field. */
function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const { field, message } = describeIssue(result.error);
    const path = field ? `${where}.${field}` : where;
    throw new AppError('invalid_request', `${path}: ${message}`, path);
  }
  return result.data;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The user behind a request's session cookie or bearer token, or null. */
export function authenticate(users: Users, headers: { cookie?: string; authorization?: string }): User | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) return users.byToken(bearer);
  const session = cookieValue(headers.cookie, SESSION_COOKIE);
  return session ? users.bySession(session) : null;
}

/** What a route's handler gets: the request's parts, already validated by the route's schemas. */
interface Call<S extends RouteSpec> {
  req: Request;
  res: Response;
  params: S['params'] extends z.ZodType ? z.output<S['params']> : undefined;
  query: S['query'] extends z.ZodType ? z.output<S['query']> : undefined;
  body: S['body'] extends z.ZodType ? z.output<S['body']> : unknown;
  user: S['role'] extends null ? User | null : User;
}

export function createApp({ store, clock, logger }: AppDeps): express.Express {
  const app = express();
  const { users } = store;
  const limiter = new SignInLimiter(clock);
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('etag', false); // API answers are not cached; hashing every body cost time on each append
  app.use(helmet());
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Path only: never the query string or the body, which may carry patient details.
      logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, user: res.locals.user?.name }, 'request');
    });
    next();
  });
  app.use(express.json({ limit: BODY_LIMIT }));

  /** Registers a route from its spec: authentication, role, then each part parsed by its schema. */
  function route<S extends RouteSpec>(spec: S, handler: (call: Call<S>) => unknown | Promise<unknown>): void {
    app[spec.method](spec.path, async (req: Request, res: Response) => {
      const user = authenticate(users, req.headers);
      if (spec.role !== null) {
        if (!user) throw new AppError('unauthenticated', 'sign in, or send an API token as "Authorization: Bearer …"');
        res.locals.user = user;
        if (!roleAllows(user.role, spec.role)) throw new AppError('forbidden', `this needs the ${spec.role} role; ${user.name} is a ${user.role}`);
      }
      const call = {
        req, res, user,
        params: spec.params ? parse(spec.params, req.params, 'path') : undefined,
        query: spec.query ? parse(spec.query, req.query, 'query') : undefined,
        body: spec.body && spec.body !== 'Event' ? parse(spec.body, req.body, 'body') : req.body,
      } as Call<S>;
      const answer = await handler(call);
      if (!res.headersSent) res.status(spec.ok.status).json(answer);
    });
  }

  const idempotencyKey = (req: Request) => {
    const key = req.get('Idempotency-Key');
    return key === undefined ? undefined : parse(idempotencyKeySchema, key, 'Idempotency-Key');
  };
  const actorOf = (user: User) => `user:${user.name}`;

  route(API.health, () => ({ status: 'ok', today: today(clock) }));
  route(API.openapi, () => openApiDocument());
  // The lists the dashboard's filters offer, so the browser never keeps its own copy.
  route(API.vocabulary, () => ({ tumourSites: TUMOUR_SITES, routes: ROUTES, stages: OPEN_STAGES, bands: BANDS }));

  route(API.signIn, ({ req, res, body: { name, password } }) => {
    const wait = limiter.retryAfter(req.ip ?? '', name);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new AppError('too_many_attempts', 'too many failed sign-ins; try again later');
    }
    const user = users.authenticate(name, password);
    if (!user) {
      limiter.failed(req.ip ?? '', name);
      throw new AppError('unauthenticated', 'name or password is wrong');
    }
    limiter.succeeded(req.ip ?? '', name);
    const session = users.createSession(user);
    // Max-Age, not an absolute time: the browser's clock need not agree with the server's.
    const maxAge = Date.parse(session.expiresAt) - clock.now().getTime();
    res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge });
    return { name: user.name, role: user.role };
  });
  route(API.signOut, ({ req, res }) => {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (token) users.endSession(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });
  route(API.me, ({ user }) => ({ name: user.name, role: user.role }));

  route(API.createPathway, ({ req, res, body, user }) => {
    const event = parse(API.appendEvent.body.shape.event, body, 'body');
    if (event.type !== 'referral_received') throw new AppError('invalid_request', 'body.type: a new pathway starts with referral_received', 'body.type');
    const key = idempotencyKey(req);
    const pathwayId = (key !== undefined ? store.idempotency.pathwayIdForKey(key) : undefined) ?? randomUUID();
    const result = store.append(pathwayId, 0, event, { actor: actorOf(user), idempotencyKey: key, entered: true });
    res.status(result.duplicate ? 200 : 201).location(`/api/pathways/${result.pathwayId}`).json(result);
  });
  route(API.appendEvent, ({ req, res, params, body, user }) => {
    const result = store.append(params.id, body.expectedVersion, body.event, { actor: actorOf(user), idempotencyKey: idempotencyKey(req), entered: true });
    res.status(result.duplicate ? 200 : 201).json(result);
  });
  route(API.pathway, ({ params }) => {
    const pathway = store.pathway(params.id);
    if (!pathway) throw new AppError('unknown_pathway', `no pathway ${params.id}`, 'pathwayId');
    return pathway;
  });
  route(API.ptl, ({ query: { asOf, ...query } }) => store.ptl.page(query, asOf ?? today(clock)));
  route(API.backlog, ({ query }) => {
    const now = today(clock);
    return store.backlog.asOfAsync(query.asOf ?? now, now);
  });
  route(API.trend, async ({ query }) => {
    const now = today(clock);
    return { points: await store.backlog.trend(addDays(now, -((query.days ?? 90) - 1)), now) };
  });

  route(API.users, () => users.list());
  route(API.addUser, ({ body: { name, role, password } }) => users.add(name, role, password));

  // ---- the inbox (issue #17) ----
  route(API.inbox, ({ query }) => ({ open: store.inbox.openCount(), proposals: store.inbox.open(query.limit ?? 100, query.after ?? 0) }));
  route(API.inboxMessages, ({ query }) => store.inbox.search(query));
  route(API.acceptProposals, ({ body, user }) => ({ results: acceptProposals(store, body.ids, actorOf(user)) }));
  route(API.acceptProposal, ({ params, body, user }) => acceptProposal(store, params.id, actorOf(user), body));
  route(API.rejectProposal, ({ params, body, user }) => rejectProposal(store, params.id, actorOf(user), body.reason));
  route(API.inboxRules, () => store.inbox.rules());
  route(API.setInboxRule, ({ body, user }) => {
    const rule = { clinic: body.clinic, autoAcceptBookings: body.autoAcceptBookings, setBy: actorOf(user), setAt: clock.now().toISOString() };
    store.inbox.setRule(rule);
    return rule;
  });
  route(API.deleteInboxRule, ({ params, res }) => {
    if (!store.inbox.deleteRule(params.clinic)) throw new AppError('not_found', `no rule for clinic ${params.clinic}`, 'clinic');
    res.status(204).end();
  });

  // The dashboard: static files, with the NHS design system's styles and Chart.js from their packages.
  app.use('/vendor/nhsuk', express.static(join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist/nhsuk'), { index: false }));
  app.get('/vendor/chart.umd.min.js', (_req, res) => res.sendFile(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js')));
  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  app.use(express.static(join(ROOT, 'public'), { index: 'index.html' }));

  app.use('/api', (req) => {
    throw new AppError('not_found', `no route ${req.method} ${req.path}`);
  });

  // Every error becomes a specific JSON answer; never a stack trace or patient data.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, json } = errorAnswer(err);
    if (status >= 500) logger.error({ method: req.method, path: req.path, err: err instanceof Error ? err.name : 'unknown' }, 'internal error');
    res.status(status).json(json);
  });
  return app;
}

function errorAnswer(err: unknown): { status: number; json: Record<string, unknown> } {
  if (err instanceof AppError) return { status: HTTP_STATUS[err.code], json: err.toJSON() };
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.parse.failed') return { status: 400, json: { error: 'invalid_json', message: 'the body is not valid JSON', field: 'body' } };
  if (e.type === 'entity.too.large') return { status: 413, json: { error: 'too_large', message: `the body is larger than ${BODY_LIMIT}` } };
  if (e.status && e.status >= 400 && e.status < 500) return { status: e.status, json: { error: 'bad_request', message: 'the request could not be read' } };
  return { status: 500, json: { error: 'internal', message: 'something went wrong; nothing was changed' } };
}
