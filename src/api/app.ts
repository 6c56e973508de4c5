// The HTTP API: express 5, zod-validated, role-checked; errors are specific and change nothing.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type Clock, today } from '../clock.ts';
import { ROOT } from '../paths.ts';
import { addDays, isIsoDate } from '../cwt/calendar.ts';
import { dailyBacklog } from '../store/daily.ts';
import { describeIssue, TUMOUR_SITES } from '../domain/events.ts';
import { roleAllows, type Role, type User, Users, UserError } from '../auth/users.ts';
import { StoreError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { openApiDocument } from './openapi.ts';
import { SignInLimiter } from './rate-limit.ts';

const require = createRequire(import.meta.url);

export const SESSION_COOKIE = 'openptl_session';
export const BODY_LIMIT = '64kb';

export interface AppDeps {
  store: Store;
  users: Users;
  clock: Clock;
  logger: Logger;
  /** Extra routes mounted before the API's 404 (the dashboard's static files). */
  mount?: (app: express.Express) => void;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const PATHWAY_ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be letters, digits, _ . : - (at most 64)');
const IDEMPOTENCY_KEY = z.string().min(1).max(200);
const appendBody = z.strictObject({ expectedVersion: z.number().int().min(0), event: z.record(z.string(), z.unknown()) });
const signInBody = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(200) });
const newUserBody = z.strictObject({ name: z.string(), role: z.enum(['viewer', 'tracker', 'admin']), password: z.string() });
const date = z.string().refine(isIsoDate, 'must be a real calendar date, YYYY-MM-DD');
const ptlQuery = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES).optional(),
  stage: z.string().max(64).optional(),
  provider: z.string().max(10).optional(),
  minDays: z.coerce.number().int().min(0).optional(),
  maxDays: z.coerce.number().int().min(0).optional(),
  breached: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  fdsOverdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  nextActionDueBy: date.optional(),
  sort: z.enum(['breachDate', 'daysWaiting']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(200).optional(),
  asOf: date.optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const { field, message } = describeIssue(result.error);
    const path = field ? `${where}.${field}` : where;
    throw new HttpError(400, 'invalid_request', `${path}: ${message}`, path);
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

export function createApp({ store, users, clock, logger, mount }: AppDeps): express.Express {
  const app = express();
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

  const need = (role: Role) => (req: Request, res: Response, next: NextFunction) => {
    const user = authenticate(users, req.headers);
    if (!user) throw new HttpError(401, 'unauthenticated', 'sign in, or send an API token as "Authorization: Bearer …"');
    res.locals.user = user;
    if (!roleAllows(user.role, role)) throw new HttpError(403, 'forbidden', `this needs the ${role} role; ${user.name} is a ${user.role}`);
    next();
  };
  const idempotencyKey = (req: Request) => {
    const key = req.get('Idempotency-Key');
    return key === undefined ? undefined : parse(IDEMPOTENCY_KEY, key, 'Idempotency-Key');
  };
  const actorOf = (res: Response) => `user:${(res.locals.user as User).name}`;

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', today: today(clock) });
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  app.post('/api/session', (req, res) => {
    const { name, password } = parse(signInBody, req.body, 'body');
    const wait = limiter.retryAfter(req.ip ?? '', name);
    if (wait > 0) throw new HttpError(429, 'too_many_attempts', 'too many failed sign-ins; try again later', undefined, { 'Retry-After': String(wait) });
    const user = users.authenticate(name, password);
    if (!user) {
      limiter.failed(req.ip ?? '', name);
      throw new HttpError(401, 'unauthenticated', 'name or password is wrong');
    }
    limiter.succeeded(req.ip ?? '', name);
    const session = users.createSession(user);
    // Max-Age, not an absolute time: the browser's clock need not agree with the server's.
    const maxAge = Date.parse(session.expiresAt) - clock.now().getTime();
    res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge });
    res.json({ name: user.name, role: user.role });
  });
  app.delete('/api/session', (req, res) => {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (token) users.endSession(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });
  app.get('/api/me', need('viewer'), (_req, res) => {
    const { name, role } = res.locals.user as User;
    res.json({ name, role });
  });

  app.post('/api/pathways', need('tracker'), (req, res) => {
    const event = parse(z.record(z.string(), z.unknown()), req.body, 'body');
    if (event.type !== 'referral_received') throw new HttpError(400, 'invalid_request', 'body.type: a new pathway starts with referral_received', 'body.type');
    const key = idempotencyKey(req);
    const pathwayId = (key !== undefined ? store.pathwayIdForKey(key) : undefined) ?? randomUUID();
    const result = store.append(pathwayId, 0, event, { actor: actorOf(res), idempotencyKey: key });
    res.status(result.duplicate ? 200 : 201).location(`/api/pathways/${result.pathwayId}`).json(result);
  });
  app.post('/api/pathways/:id/events', need('tracker'), (req, res) => {
    const id = parse(PATHWAY_ID, req.params.id, 'pathwayId');
    const { expectedVersion, event } = parse(appendBody, req.body, 'body');
    const result = store.append(id, expectedVersion, event, { actor: actorOf(res), idempotencyKey: idempotencyKey(req) });
    res.status(result.duplicate ? 200 : 201).json(result);
  });
  app.get('/api/pathways/:id', need('viewer'), (req, res) => {
    const id = parse(PATHWAY_ID, req.params.id, 'pathwayId');
    const pathway = store.pathway(id);
    if (!pathway) throw new HttpError(404, 'unknown_pathway', `no pathway ${id}`, 'pathwayId');
    res.json(pathway);
  });
  app.get('/api/ptl', need('viewer'), (req, res) => {
    const { asOf, ...query } = parse(ptlQuery, req.query, 'query');
    res.json(store.ptl(query, asOf ?? today(clock)));
  });
  app.get('/api/backlog', need('viewer'), (req, res) => {
    const { asOf } = parse(z.strictObject({ asOf: date.optional() }), req.query, 'query');
    const now = today(clock);
    const day = asOf ?? now;
    // An earlier date is counted as it stood then: only events recorded by the end of that day.
    res.json(day < now ? store.backlogAsAt(day) : store.backlog(day));
  });

  app.get('/api/backlog/trend', need('viewer'), (req, res) => {
    const { days } = parse(z.strictObject({ days: z.coerce.number().int().min(1).max(366).optional() }), req.query, 'query');
    const now = today(clock);
    res.json({ points: dailyBacklog(store, addDays(now, -((days ?? 90) - 1)), now) });
  });

  app.get('/api/users', need('admin'), (_req, res) => {
    res.json(users.list());
  });
  app.post('/api/users', need('admin'), (req, res) => {
    const { name, role, password } = parse(newUserBody, req.body, 'body');
    try {
      res.status(201).json(users.add(name, role, password));
    } catch (err) {
      if (err instanceof UserError) throw new HttpError(err.message.includes('already exists') ? 409 : 400, 'invalid_request', err.message);
      throw err;
    }
  });

  mount?.(app);
  // The dashboard: static files, with the NHS design system's styles and Chart.js from their packages.
  app.use('/vendor/nhsuk', express.static(join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist/nhsuk'), { index: false }));
  app.get('/vendor/chart.umd.min.js', (_req, res) => res.sendFile(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js')));
  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  app.use(express.static(join(ROOT, 'public'), { index: 'index.html' }));

  app.use('/api', (req) => {
    throw new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`);
  });

  // Every error becomes a specific JSON answer; never a stack trace or patient data.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const body = errorBody(err);
    if (body.status >= 500) logger.error({ method: req.method, path: req.path, err: err instanceof Error ? err.name : 'unknown' }, 'internal error');
    for (const [k, v] of Object.entries(body.headers)) res.set(k, v);
    res.status(body.status).json(body.json);
  });
  return app;
}

function errorBody(err: unknown): { status: number; json: Record<string, unknown>; headers: Record<string, string> } {
  if (err instanceof StoreError) return { status: err.status, json: err.toJSON(), headers: {} };
  if (err instanceof HttpError) {
    return { status: err.status, json: { error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) }, headers: err.headers };
  }
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.parse.failed') return { status: 400, json: { error: 'invalid_json', message: 'the body is not valid JSON', field: 'body' }, headers: {} };
  if (e.type === 'entity.too.large') return { status: 413, json: { error: 'too_large', message: `the body is larger than ${BODY_LIMIT}` }, headers: {} };
  if (e.status && e.status >= 400 && e.status < 500) return { status: e.status, json: { error: 'bad_request', message: 'the request could not be read' }, headers: {} };
  return { status: 500, json: { error: 'internal', message: 'something went wrong; nothing was changed' }, headers: {} };
}
