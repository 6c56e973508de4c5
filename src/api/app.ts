// The HTTP API: express 5. The middleware (security headers, no caching, the request log, JSON
// bodies), each feature's routes registered from their specs (routes/: authentication, role, every
// part parsed by its schema, the answer as its schema documents it), the dashboard's static files,
// and the one error handler: errors are specific, name the field, and change nothing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { WallClock } from '../wall-clock.ts';
import { can, rolesWith } from '../auth/roles.ts';
import { ROOT } from '../paths.ts';
import type { Store } from '../store/store.ts';
import { PathwayCommands } from '../pathways/commands.ts';
import { ForecastService } from '../forecast/service.ts';
import { authenticate } from './authenticate.ts';
import { HTTP_STATUS } from './errors.ts';
import {
  auditTo,
  parse,
  SENT,
  wholeTrustOnly,
  type ApiContext,
  type Call,
  type Feature,
  type RouteSpec,
} from './route.ts';
import { API, FEATURES } from './routes/index.ts';

const require = createRequire(import.meta.url);

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
  /** The stewards' forecasts (issue #23); one is made for the app when not given. */
  forecasts?: ForecastService;
}

export type TrustProxy = false | number | string;

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

/** What a session whose password must be changed may still do. */
const WHILE_PASSWORD_CHANGE_REQUIRED = new Set(['me', 'signOut', 'changePassword']);

/**
 * Registers a feature's routes, each from its spec: authentication, the permission (and a scoped
 * user kept from the whole trust's data), then each part parsed by its schema.
 */
function register(
  app: express.Express,
  { users }: Pick<Store, 'users'>,
  { routes, handlers }: Feature<Record<string, RouteSpec>, ApiContext>,
  context: ApiContext,
): void {
  const handle = handlers(context);
  for (const [name, spec] of Object.entries(routes)) {
    app[spec.method](spec.path, async (req: Request, res: Response) => {
      const caller = authenticate(users, req.headers);
      const user = caller?.user ?? null;
      if (spec.allow !== null) {
        if (!user) throw new AppError('unauthenticated', 'sign in, or send an API token as "Authorization: Bearer …"');
        res.locals.user = user;
        if (caller?.passwordChangeRequired && !WHILE_PASSWORD_CHANGE_REQUIRED.has(name))
          throw new AppError(
            'password_change_required',
            'your password is too easy to guess: change it before anything else (POST /api/session/password)',
          );
        if (!can(user, spec.allow))
          throw new AppError(
            'forbidden',
            `this is for ${rolesWith(spec.allow).join(', ')}; ${user.name} is ${/^[aeiou]/.test(user.role) ? 'an' : 'a'} ${user.role}`,
          );
        if (spec.scope === 'trust') wholeTrustOnly(user);
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
      } as Call<RouteSpec>;
      res.status(spec.ok.status); // the handler may answer with another (200 for a repeated request)
      const answer = await handle[name]!(call);
      if (answer === SENT || res.headersSent) return;
      if (answer === undefined) res.end();
      else res.json(answer);
    });
  }
}

export function createApp(deps: AppDeps): express.Express {
  const { store, logger, trustProxy = false } = deps;
  const app = express();
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

  const context = contextOf(deps);
  for (const f of FEATURES) register(app, store, f, context);

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
  // lit-html's ES modules, as the dashboard imports them (Node resolves the package to its node/ build).
  app.use('/vendor/lit-html', express.static(join(dirname(require.resolve('lit-html')), '..'), { index: false }));
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

/** What the features' handlers may be given. */
function contextOf({ store, clock, logger, reportsDir, forecasts }: AppDeps): ApiContext {
  return {
    store,
    commands: new PathwayCommands(store),
    clock,
    audit: auditTo(store),
    reportsDir,
    routes: API,
    forecasts: forecasts ?? new ForecastService(store, clock, logger),
  };
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
