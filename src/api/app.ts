// The HTTP API: express 5; every route is registered from its spec (routes.ts), validated with
// its zod schemas and role-checked; errors are specific, name the field, and change nothing.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { type WallClock, today } from '../wall-clock.ts';
import { addDays } from '../vocabulary/calendar.ts';
import { BANDS } from '../cwt/backlog.ts';
import { describeIssue, MDT_DECISIONS, pathwayEvent, ROUTES, TUMOUR_SITES } from '../vocabulary/events.ts';
import { displayDate } from '../vocabulary/calendar.ts';
import { LABELS } from '../vocabulary/labels.ts';
import { NO_PROVIDER } from '../cwt/backlog.ts';
import { performanceSlices, type Report } from '../report/report.ts';
import { runGivingWay } from '../slices.ts';
import { PTL_CSV_HEADER, ptlCsvLine } from './ptl-csv.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { OPEN_STAGES } from '../../machines/referral.ts';
import { roleAllows, type User } from '../auth/roles.ts';
import type { Caller, Credential, Users } from '../store/users.ts';
import { ROOT } from '../paths.ts';
import type { Store } from '../store/store.ts';
import type { AccessAction } from '../store/access-log.ts';
import { HTTP_STATUS } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { API, type RouteSpec } from './routes.ts';
import { idempotencyKey as idempotencyKeySchema } from './schemas.ts';
import { SignInLimiter } from './rate-limit.ts';
import { CONFIRMED_LISTS } from '../vocabulary/cwt-codes.ts';
import { cwtExtractSlices, cwtFiles, cwtSummary, periodProblem, recordName } from '../returns/cwt-extract.ts';
import { canptlFiles, canptlSlices, canptlTotals, weekEndingProblem } from '../returns/canptl.ts';
import { InboxDecisions } from '../hl7/decide.ts';
import { PathwayCommands } from '../pathways/commands.ts';
import { pathwayView } from '../queries/pathway-view.ts';
import { openDuplicatesOf, searchPathways } from '../queries/patients.ts';
import { awaitingMdt, mdtMeeting, mdtOutcome } from '../queries/mdt.ts';

const require = createRequire(import.meta.url);

export const SESSION_COOKIE = 'openptl_session';
export const BODY_LIMIT = '64kb';

export interface AppDeps {
  store: Store;
  clock: WallClock;
  logger: Logger;
  /**
   * Which reverse proxies to believe about the client's address and https (X-Forwarded-For,
   * X-Forwarded-Proto): a number of hops, or addresses and subnets ('loopback', '10.0.0.5').
   * Off by default: then the address is the connection's own.
   */
  trustProxy?: TrustProxy;
  /** Where the nightly reports are written (serve --reports-dir): the dashboard links to them. */
  reportsDir?: string;
}

export type TrustProxy = false | number | string;

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

/** How a caller signed in, for the access log (never the secret). */
const via = (credential: Credential) => (credential.kind === 'token' ? `token ${credential.tokenId}` : 'session');

/** An own "__proto__" key anywhere in a JSON body (JSON.parse keeps it; a schema would drop it silently): its path. */
function prototypeKey(value: unknown, path: string, depth = 0): string | null {
  if (typeof value !== 'object' || value === null || depth > 32) return null;
  for (const key of Object.keys(value)) {
    const at = `${path}.${key}`;
    if (key === '__proto__') return at;
    const inner = prototypeKey((value as Record<string, unknown>)[key], at, depth + 1);
    if (inner) return inner;
  }
  return null;
}

/** What a route's handler gets: the request's parts, already validated by the route's schemas. */
interface Call<S extends RouteSpec> {
  req: Request;
  res: Response;
  params: S['params'] extends z.ZodType ? z.output<S['params']> : undefined;
  query: S['query'] extends z.ZodType ? z.output<S['query']> : undefined;
  body: S['body'] extends z.ZodType ? z.output<S['body']> : unknown;
  user: S['role'] extends null ? User | null : User;
  caller: S['role'] extends null ? Caller | null : Caller;
}

export function createApp({ store, clock, logger, trustProxy = false, reportsDir }: AppDeps): express.Express {
  const app = express();
  const { users } = store;
  const commands = new PathwayCommands(store);
  const decisions = new InboxDecisions(store, commands);
  const limiter = new SignInLimiter(clock);
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.set('etag', false); // API answers are not cached; hashing every body cost time on each append
  // Served over plain HTTP (a ward's intranet address), the browser must not be told to fetch the
  // dashboard's scripts over https, which is not there: upgrade-insecure-requests and HSTS only
  // when the request came over TLS (directly, or through a trusted proxy that says so).
  const overTls = helmet();
  const overHttp = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
  });
  app.use((req, res, next) => (req.secure ? overTls : overHttp)(req, res, next));
  // Answers carry patient data: never kept by the browser or anything between.
  app.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Path only: never the query string or the body, which may carry patient details.
      logger.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          user: res.locals.user?.name,
        },
        'request',
      );
    });
    next();
  });
  app.use(express.json({ limit: BODY_LIMIT }));

  /** Registers a route from its spec: authentication, role, then each part parsed by its schema. */
  function route<S extends RouteSpec>(spec: S, handler: (call: Call<S>) => unknown | Promise<unknown>): void {
    app[spec.method](spec.path, async (req: Request, res: Response) => {
      const caller = authenticate(users, req.headers);
      const user = caller?.user ?? null;
      if (spec.role !== null) {
        if (!user) throw new AppError('unauthenticated', 'sign in, or send an API token as "Authorization: Bearer …"');
        res.locals.user = user;
        if (!roleAllows(user.role, spec.role))
          throw new AppError('forbidden', `this needs the ${spec.role} role; ${user.name} is a ${user.role}`);
      }
      const protoKey = prototypeKey(req.body, 'body');
      if (protoKey) throw new AppError('invalid_request', `${protoKey}: is not a field of this event`, protoKey);
      const call = {
        req,
        res,
        user,
        caller,
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
  /** One entry in the access log for this request: who (and how signed in), from where, what. */
  const audit = (
    req: Request,
    caller: Caller | null,
    action: AccessAction,
    what: { pathwayId?: string; detail?: Record<string, unknown>; actor?: string } = {},
  ) =>
    store.access.record({
      actor: what.actor ?? (caller ? actorOf(caller.user) : 'unknown'),
      action,
      address: req.ip ?? null,
      pathwayId: what.pathwayId ?? null,
      detail: { ...(caller ? { via: via(caller.credential) } : {}), ...what.detail },
    });

  route(API.health, () => ({ status: 'ok', today: today(clock) }));
  route(API.openapi, () => openApiDocument());
  // The lists the dashboard's filters offer, so the browser never keeps its own copy.
  route(API.vocabulary, () => ({
    tumourSites: TUMOUR_SITES,
    routes: ROUTES,
    stages: OPEN_STAGES,
    bands: BANDS,
    // workspace (#15): the providers present, the MDT's outcomes, words for every code, the trust's name
    providers: Object.keys(store.backlog.current(today(clock)).byProvider).filter((p) => p !== NO_PROVIDER),
    mdtDecisions: MDT_DECISIONS,
    labels: LABELS,
    trustName: store.settings.get('trustName'),
  }));

  route(API.signIn, ({ req, res, body: { name, password } }) => {
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
  });
  route(API.signOut, ({ req, res, caller }) => {
    // With a bearer token, signing out revokes that token: it must not go on working.
    const bearer = bearerToken(req.headers);
    if (bearer) users.revokeTokenSecret(bearer);
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (token) users.endSession(token);
    if (caller) audit(req, caller, 'signed_out');
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.secure });
    res.status(204).end();
  });
  route(API.me, ({ user }) => ({ name: user.name, role: user.role }));

  route(API.createPathway, ({ req, res, body, user, query }) => {
    const event = parse(API.appendEvent.body.shape.event, body, 'body');
    if (event.type !== 'referral_received')
      throw new AppError('invalid_request', 'body.type: a new pathway starts with referral_received', 'body.type');
    const key = idempotencyKey(req);
    const repeated = key !== undefined ? store.idempotency.pathwayIdForKey(key) : undefined;
    if (query.checkDuplicates && !repeated) refuseDuplicate(store, event);
    const pathwayId = repeated ?? randomUUID();
    const result = commands.append(pathwayId, 0, event, { actor: actorOf(user), idempotencyKey: key, entered: true });
    res
      .status(result.duplicate ? 200 : 201)
      .location(`/api/pathways/${result.pathwayId}`)
      .json(result);
  });
  route(API.appendEvent, ({ req, res, params, body, user }) => {
    const result = commands.append(params.id, body.expectedVersion, body.event, {
      actor: actorOf(user),
      idempotencyKey: idempotencyKey(req),
      entered: true,
    });
    res.status(result.duplicate ? 200 : 201).json(result);
  });
  route(API.pathway, ({ req, params, caller }) => {
    const pathway = pathwayView(store, params.id, today(clock));
    if (!pathway) throw new AppError('unknown_pathway', `no pathway ${params.id}`, 'pathwayId');
    audit(req, caller, 'pathway_viewed', { pathwayId: pathway.pathwayId });
    return pathway;
  });
  route(API.ptl, ({ req, query: { asOf, nextActionDueBy, ...query }, caller }) => {
    const day = asOf ?? today(clock);
    const page = store.ptl.page(
      { ...query, nextActionDueBy: nextActionDueBy === 'today' ? day : nextActionDueBy },
      day,
    );
    // The filters and how many patients came back; never who they were.
    const { cursor, ...filters } = query;
    audit(req, caller, 'ptl_queried', {
      detail: {
        filters: { ...filters, ...(nextActionDueBy ? { nextActionDueBy } : {}) },
        asOf: page.asOf,
        page: cursor ? 'next' : 'first',
        patients: page.entries.length,
      },
    });
    return page;
  });
  route(API.backlog, ({ query }) => {
    const now = today(clock);
    return store.backlog.asOfAsync(query.asOf ?? now, now);
  });
  route(API.trend, async ({ query }) => {
    const now = today(clock);
    return { points: await store.backlog.trend(addDays(now, -((query.days ?? 90) - 1)), now) };
  });

  // ---- national returns and the 31-day PTL of treatments after the first (issue #14) ----
  route(API.ptl31, ({ query: { asOf, ...query } }) => store.ptl31.page(query, asOf ?? today(clock)));
  route(API.codeLists, () => codeListsAnswer(store));
  // A return reads every pathway active in its period (seconds at 360,000 open): built giving way
  // to other requests, and one at a time, so a few impatient clicks cannot take the server's time.
  let returns: Promise<unknown> = Promise.resolve();
  const oneReturnAtATime = <T>(work: () => Generator<void, T>): Promise<T> => {
    const built = returns.then(() => runGivingWay(work()));
    returns = built.catch(() => {});
    return built;
  };
  route(API.cwtReturn, async ({ req, caller, query, res }) => {
    const now = clock.now().toISOString();
    const asAt = query.asAt === undefined ? now : new Date(query.asAt).toISOString();
    if (asAt > now) throw new AppError('invalid_return', `asAt: ${query.asAt} is in the future`, 'asAt');
    const problem = periodProblem(query.period, asAt);
    if (problem) throw new AppError('invalid_return', `period: ${problem}`, 'period');
    const extract = await oneReturnAtATime(() => cwtExtractSlices(store, query.period, asAt));
    const files = cwtFiles(extract);
    const generated = { return: 'cwt', period: query.period, asAt };
    if (query.file !== undefined)
      return sendFile(res, files, query.file, 'text/csv', () =>
        audit(req, caller, 'return_generated', { detail: { ...generated, file: query.file } }),
      );
    audit(req, caller, 'return_generated', { detail: generated });
    return {
      ...cwtSummary(extract),
      files: files.map(([name]) => name),
      workList: extract.heldBack.flatMap((r) =>
        r.problems.map((p) => ({
          pathwayId: r.pathwayId,
          nhsNumber: r.values.nhsNumber,
          record: recordName(r),
          recordDate: r.date,
          element: extract.columns.find((c) => c.item === p.item)?.element ?? p.item,
          item: p.item,
          problem: p.problem,
          eventId: p.fix?.event ?? null,
          field: p.fix?.field ?? null,
        })),
      ),
    };
  });
  route(API.canptlReturn, async ({ req, caller, query, res }) => {
    const problem = weekEndingProblem(query.weekEnding, clock.now());
    if (problem) throw new AppError('invalid_return', `weekEnding: ${problem}`, 'weekEnding');
    const canptl = await oneReturnAtATime(() => canptlSlices(store, query.weekEnding));
    const files = canptlFiles(canptl);
    const generated = { return: 'canptl', weekEnding: query.weekEnding };
    if (query.file !== undefined) {
      return sendFile(res, files, query.file, query.file.endsWith('.json') ? 'application/json' : 'text/csv', () =>
        audit(req, caller, 'return_generated', { detail: { ...generated, file: query.file } }),
      );
    }
    audit(req, caller, 'return_generated', { detail: generated });
    return { ...canptlTotals(canptl), files: files.map(([name]) => name) };
  });

  route(API.users, () => users.list());
  route(API.addUser, ({ req, caller, body: { name, role, password } }) => {
    const added = users.add(name, role, password);
    audit(req, caller, 'user_added', { detail: { user: added.name, role: added.role } });
    return added;
  });

  // ---- access: users, tokens and the audit (issue #16) ----
  route(API.changeUser, ({ req, caller, params, body }) => {
    const before = users.list().find((u) => u.name.toLowerCase() === params.name.toLowerCase());
    const after = users.change(params.name, body);
    const changed = (action: AccessAction, detail: Record<string, unknown> = {}) =>
      audit(req, caller, action, { detail: { user: after.name, ...detail } });
    if (body.role !== undefined && body.role !== before?.role) changed('role_changed', { role: after.role });
    if (body.password !== undefined) changed('password_reset');
    if (body.disabled !== undefined && body.disabled !== before?.disabled)
      changed(body.disabled ? 'user_disabled' : 'user_enabled');
    return after;
  });
  route(API.tokens, ({ query }) => users.listTokens(query.user));
  route(API.createToken, ({ req, caller, body }) => {
    const issued = users.issueToken(body.user, { days: body.days, label: body.label });
    const entry = users.listTokens().find((t) => t.tokenId === issued.tokenId)!;
    audit(req, caller, 'token_created', {
      detail: { user: entry.user, tokenId: entry.tokenId, expiresAt: entry.expiresAt },
    });
    return { ...entry, token: issued.token };
  });
  route(API.revokeToken, ({ req, caller, params }) => {
    const revoked = users.revokeToken(params.id);
    audit(req, caller, 'token_revoked', { detail: { user: revoked.user, tokenId: revoked.tokenId } });
    return revoked;
  });
  route(API.audit, ({ req, caller, query }) => {
    const page = store.access.query(query);
    const { before, ...filters } = query;
    audit(req, caller, 'audit_viewed', { detail: { filters, page: before ? 'next' : 'first' } });
    return page;
  });

  // ---- workspace (#15) ----
  route(API.search, ({ query }) => ({ results: searchPathways(store, query.q) }));
  route(API.ptlCsv, async ({ res, query: { asOf, nextActionDueBy, ...query } }) => {
    const day = asOf ?? today(clock);
    const pages = store.ptl.pages(
      { ...query, nextActionDueBy: nextActionDueBy === 'today' ? day : nextActionDueBy },
      day,
    );
    const first = pages.next(); // a bad cursor or filter is refused before anything is sent
    res.status(200).type('text/csv; charset=utf-8').attachment(`ptl-${day}.csv`);
    res.write(PTL_CSV_HEADER);
    // Streamed a page at a time, giving way to other requests between pages (a whole PTL is long).
    for (let page = first; !page.done; page = pages.next()) {
      res.write(page.value.map(ptlCsvLine).join(''));
      await nextTurn();
    }
    res.end();
  });
  const assignable = () =>
    users
      .list()
      .filter((u) => u.role !== 'viewer')
      .map((u) => u.name);
  route(API.assignees, () => ({ assignees: assignable() }));
  route(API.assign, ({ body: { pathwayIds, assignee }, user }) => {
    if (assignee !== null && !assignable().includes(assignee))
      throw new AppError(
        'invalid_request',
        `assignee: ${assignee} is not a tracker who can be assigned patients`,
        'assignee',
      );
    for (const id of pathwayIds)
      if (!store.rows.get(id)) throw new AppError('unknown_pathway', `no pathway ${id}`, 'pathwayIds');
    store.assignments.assign(pathwayIds, assignee, actorOf(user), clock.now().toISOString());
    return { assigned: pathwayIds.length, assignee };
  });
  // A pass over the last two months' pathways: counted again only after a write, at most once a
  // minute, one pass at a time, giving way to other requests as it goes.
  type PerformanceAnswer = Report['performance'];
  let performance: { day: string; writes: number; at: number; answer: PerformanceAnswer } | null = null;
  let counting: Promise<PerformanceAnswer> | null = null;
  let writes = 0;
  store.onCommit(() => {
    writes++;
  });
  route(API.performance, async () => {
    const day = today(clock);
    const now = clock.now().getTime();
    if (performance && performance.day === day && (performance.writes === writes || now - performance.at < 60_000))
      return performance.answer;
    counting ??= (async () => {
      const seen = writes;
      const answer = await runGivingWay(performanceSlices(store, day));
      performance = { day, writes: seen, at: clock.now().getTime(), answer };
      return answer;
    })().finally(() => {
      counting = null;
    });
    return counting;
  });
  route(API.reports, () => ({ reports: reportsDir ? keptReports(reportsDir) : [] }));
  route(API.reportFile, async ({ res, params }) => {
    if (!reportsDir || !keptReports(reportsDir).some((r) => r.files.includes(params.file)))
      throw new AppError('not_found', `no report file ${params.file}`, 'file');
    res.setHeader('Cache-Control', 'no-store'); // it lists patients
    await new Promise<void>((resolve, reject) =>
      res.sendFile(params.file, { root: reportsDir, dotfiles: 'deny' }, (err) => (err ? reject(err) : resolve())),
    );
  });
  route(API.mdtMeetings, ({ query }) => ({
    meetings: store.mdt.list(query.from ?? addDays(today(clock), -30), query.to),
  }));
  route(API.createMdtMeeting, ({ body, user }) => store.mdt.create(body, actorOf(user), clock.now().toISOString()));
  route(API.mdtMeeting, ({ params }) => mdtMeeting(store, params.meetingId, today(clock)));
  route(API.addMdtPatients, ({ params, body, user }) => {
    const meeting = store.mdt.meeting(params.meetingId);
    for (const id of body.pathwayIds)
      if (!store.rows.get(id)) throw new AppError('unknown_pathway', `no pathway ${id}`, 'pathwayIds');
    const added = store.mdt.add(meeting.meetingId, body.pathwayIds, actorOf(user), clock.now().toISOString());
    return { added, meeting: store.mdt.meeting(meeting.meetingId) };
  });
  route(API.removeMdtPatient, ({ res, params }) => {
    store.mdt.meeting(params.meetingId);
    if (!store.mdt.remove(params.meetingId, params.id))
      throw new AppError('not_found', `pathway ${params.id} is not on this meeting's list`, 'id');
    res.status(204).end();
  });
  route(API.recordMdtOutcome, ({ req, res, params, body, user }) => {
    const meeting = store.mdt.meeting(params.meetingId);
    if (!store.mdt.pathwaysOf(meeting.meetingId).includes(body.pathwayId))
      throw new AppError('not_found', `pathway ${body.pathwayId} is not on this meeting's list`, 'pathwayId');
    if (meeting.meetsOn > today(clock))
      throw new AppError(
        'invalid_timeline',
        `decision: the meeting is on ${displayDate(meeting.meetsOn)}; record its outcomes on or after that day`,
        'decision',
      );
    const key = idempotencyKey(req);
    const recorded =
      key !== undefined && store.idempotency.pathwayIdForKey(key)
        ? null
        : mdtOutcome(store, meeting.meetingId, body.pathwayId);
    if (recorded)
      throw new AppError(
        'mdt_outcome_recorded',
        `decision: an outcome is already recorded for this patient at this meeting (entry ${recorded.eventId}); correct it from the patient's timeline`,
        'decision',
      );
    const event = {
      type: 'mdt_discussed',
      on: meeting.meetsOn,
      decision: body.decision,
      meetingId: meeting.meetingId,
      ...(body.comment ? { outcome: body.comment } : {}),
    };
    const result = commands.append(body.pathwayId, body.expectedVersion, event, {
      actor: actorOf(user),
      idempotencyKey: key,
      entered: true,
    });
    res.status(result.duplicate ? 200 : 201).json(result);
  });
  route(API.awaitingMdt, ({ query }) => awaitingMdt(store, query.tumourSite, today(clock)));

  // ---- the inbox (issue #17) ----
  route(API.inbox, ({ req, caller, query }) => {
    const answer = { open: store.inbox.openCount(), proposals: store.inbox.open(query.limit ?? 100, query.after ?? 0) };
    audit(req, caller, 'inbox_viewed', { detail: { proposals: answer.proposals.length } });
    return answer;
  });
  route(API.inboxMessages, ({ req, caller, query }) => {
    const found = store.inbox.search(query);
    // Which filters were used, never their values: the access log holds no patient details.
    audit(req, caller, 'messages_searched', {
      detail: { by: Object.keys(query).sort(), messages: found.messages.length },
    });
    return found;
  });
  route(API.acceptProposals, ({ body, user }) => ({ results: decisions.acceptEach(body.ids, actorOf(user)) }));
  route(API.acceptProposal, ({ params, body, user }) => decisions.accept(params.id, actorOf(user), body));
  route(API.rejectProposal, ({ params, body, user }) => decisions.reject(params.id, actorOf(user), body.reason));
  route(API.inboxRules, () => store.inbox.rules());
  route(API.setInboxRule, ({ body, user }) => {
    const rule = {
      clinic: body.clinic,
      autoAcceptBookings: body.autoAcceptBookings,
      setBy: actorOf(user),
      setAt: clock.now().toISOString(),
    };
    store.inbox.setRule(rule);
    return rule;
  });
  route(API.deleteInboxRule, ({ params, res }) => {
    if (!store.inbox.deleteRule(params.clinic))
      throw new AppError('not_found', `no rule for clinic ${params.clinic}`, 'clinic');
    res.status(204).end();
  });

  // The dashboard: static files, with the NHS design system's styles and Chart.js from their packages.
  // Nothing is fetched from another origin (workspace #15): the design system's stylesheet asks for
  // its font from the NHS's CDN, which many NHS networks block, so that rule is taken out and the
  // design system's own fallback (Arial) is used; its icons are served from here.
  const nhsuk = join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist/nhsuk');
  const nhsukCss = readFileSync(join(nhsuk, 'nhsuk-frontend.min.css'), 'utf8').replace(
    /@font-face\{[^}]*\}/g,
    (rule) => (/url\(https?:/.test(rule) ? '' : rule),
  );
  app.get('/vendor/nhsuk/nhsuk-frontend.min.css', (_req, res) => res.type('text/css').send(nhsukCss));
  app.use('/vendor/nhsuk', express.static(nhsuk, { index: false }));
  app.use('/assets', express.static(join(nhsuk, 'assets'), { index: false }));
  app.get('/vendor/chart.umd.min.js', (_req, res) =>
    res.sendFile(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js')),
  );
  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  app.use(express.static(join(ROOT, 'public'), { index: 'index.html' }));

  app.use('/api', (req) => {
    throw new AppError('not_found', `no route ${req.method} ${req.path}`);
  });

  // Every error becomes a specific JSON answer; never a stack trace or patient data.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, json } = errorAnswer(err);
    // The error's name and SQLite's code (SQLITE_FULL...) say what broke; its message might quote data.
    if (status >= 500)
      logger.error(
        {
          method: req.method,
          path: req.path,
          err: err instanceof Error ? err.name : 'unknown',
          code: (err as { code?: unknown }).code,
        },
        'internal error',
      );
    res.status(status).json(json);
  });
  return app;
}

/** Refuses a referral while an open pathway has the same NHS number and tumour site (the form's "add anyway" leaves the check off). */
function refuseDuplicate(store: Store, body: unknown): void {
  const parsed = pathwayEvent.safeParse(body);
  if (!parsed.success || parsed.data.type !== 'referral_received') return; // the store's own checks answer these
  const event = parsed.data;
  const open = openDuplicatesOf(store, event.nhsNumber, event.tumourSite);
  if (open.length === 0) return;
  const [first] = open;
  throw new AppError(
    'possible_duplicate',
    `nhsNumber: this patient already has an open ${LABELS.values[event.tumourSite] ?? event.tumourSite} pathway, referred ${displayDate(first!.referralOn)}`,
    'nhsNumber',
    { duplicates: open },
  );
}

/** The reports kept in the folder, newest first: each date with its files (trust page, provider pages, CSV, JSON). */
function keptReports(dir: string): { date: string; files: string[] }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const byDate = new Map<string, string[]>();
  for (const name of names.sort()) {
    const m = /^report-(\d{4}-\d{2}-\d{2})(-[A-Za-z0-9]+)?\.(html|csv|json)$/.exec(name);
    if (m) byDate.set(m[1]!, [...(byDate.get(m[1]!) ?? []), name]);
  }
  return [...byDate].sort(([a], [b]) => (a < b ? 1 : -1)).map(([date, files]) => ({ date, files }));
}

/** One file of a national return as a download (`sent` once it is found): patient data, so never cached. */
function sendFile(res: Response, files: [string, string][], name: string, type: string, sent: () => void): void {
  const file = files.find(([n]) => n === name);
  if (!file)
    throw new AppError(
      'not_found',
      `file: this return has no file ${name}; it has ${files.map(([n]) => n).join(', ')}`,
      'file',
    );
  sent();
  res.set('Cache-Control', 'no-store').type(type).attachment(name).send(file[1]);
}

/** Every national code list with its labels: the confirmed ones, and those the trust keeps (issue #14). */
function codeListsAnswer(store: Store): {
  lists: Record<string, { code: string; label: string; confirmed: boolean }[]>;
} {
  const lists: Record<string, { code: string; label: string; confirmed: boolean }[]> = {};
  for (const [name, list] of Object.entries(CONFIRMED_LISTS))
    lists[name] = list.entries.map(([code, label]) => ({ code, label, confirmed: true }));
  for (const c of store.codes.all())
    (lists[c.list] ??= []).push({ code: c.code, label: c.label, confirmed: c.confirmed });
  return { lists };
}

function errorAnswer(err: unknown): { status: number; json: Record<string, unknown> } {
  if (err instanceof AppError) return { status: HTTP_STATUS[err.code], json: err.toJSON() };
  const storage = storageError(err);
  if (storage) return errorAnswer(storage);
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.parse.failed')
    return { status: 400, json: { error: 'invalid_json', message: 'the body is not valid JSON', field: 'body' } };
  if (e.type === 'entity.too.large')
    return { status: 413, json: { error: 'too_large', message: `the body is larger than ${BODY_LIMIT}` } };
  if (e.status && e.status >= 400 && e.status < 500)
    return { status: e.status, json: { error: 'bad_request', message: 'the request could not be read' } };
  return { status: 500, json: { error: 'internal', message: 'something went wrong; nothing was changed' } };
}

/** A database that cannot take a write, as a refusal a person can act on (the transaction was rolled back). */
export function storageError(err: unknown): AppError | null {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code === 'SQLITE_FULL')
    return new AppError(
      'storage_full',
      "the database's disk is full: nothing was changed; ask an administrator to free space",
    );
  if (code.startsWith('SQLITE_READONLY'))
    return new AppError(
      'storage_read_only',
      'the database cannot be written to now (read-only): nothing was changed; reading still works',
    );
  return null;
}
