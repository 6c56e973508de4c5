// The running server: the HTTP API and the /live websocket on one port.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { WallClock } from '../wall-clock.ts';
import type { Store } from '../store/store.ts';
import { DEFAULT_KEEP_DAYS } from '../store/access-log.ts';
import { purgeKeptMessages } from '../hl7/retention.ts';
import { LiveHub, type HubOptions } from '../live/hub.ts';
import { ForecastService } from '../forecast/service.ts';
import { createApp, type TrustProxy } from './app.ts';
import { authenticate } from './authenticate.ts';

export interface RunningServer {
  server: Server;
  hub: LiveHub;
  port: number;
  close(): Promise<void>;
}

export interface ServerOptions {
  store: Store;
  clock: WallClock;
  logger: Logger;
  port: number;
  host?: string;
  hub?: HubOptions;
  trustProxy?: TrustProxy;
  /** Access log entries older than this are removed (at start and hourly). */
  auditKeepDays?: number;
  /** Where the nightly reports are kept, for the dashboard's links to them. */
  reportsDir?: string;
  /** The day's forecast and its breach risks, made by the server each day (default true). */
  dailyForecast?: boolean;
}

const UPKEEP_MS = 3_600_000;

/** A browser's websocket from another site carries that site's Origin: refused. Clients that send none (scripts) are let through. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { store, clock, logger } = options;
  const { users, access } = store;
  // The stewards' forecasts run in a worker thread; the day's, with the PTL's breach risks, by itself (issue #23).
  const forecasts = new ForecastService(store, clock, logger);
  const app = createApp({
    store,
    clock,
    logger,
    trustProxy: options.trustProxy,
    reportsDir: options.reportsDir,
    forecasts,
  });
  const server = createServer(app);
  const hub = new LiveHub(store, clock, options.hub);
  // Small JSON messages: compression would cost far more CPU than it saves.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 4096 });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/live') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const caller = authenticate(users, req.headers);
    if (!caller) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    if (caller.passwordChangeRequired) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n'); // the password first
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => hub.attach(ws, caller.credential, caller.user.providers));
  });

  // Upkeep: expired sessions deleted, access log entries past their retention removed, the PAS
  // feed's messages for no open pathway purged past theirs (issue #25). A write that fails (a
  // read-only or full disk) is logged by its code and tried again next time.
  access.onWriteError = (err) =>
    logger.error(
      {
        err: (err as Error).name,
        code: (err as { code?: unknown }).code,
        waiting: access.waiting,
        dropped: access.dropped,
      },
      'access log write failed',
    );
  const upkeep = () => {
    try {
      const sessions = users.pruneSessions();
      const entries = access.prune(options.auditKeepDays ?? DEFAULT_KEEP_DAYS);
      const { purged: messages } = purgeKeptMessages(store, 'system:retention');
      if (sessions || entries || messages)
        logger.info({ expiredSessions: sessions, accessLogEntries: entries, pasMessagesPurged: messages }, 'upkeep');
    } catch (err) {
      logger.error({ err: (err as Error).name, code: (err as { code?: unknown }).code }, 'upkeep failed');
    }
  };
  upkeep();
  const upkeepTimer = setInterval(upkeep, UPKEEP_MS).unref();

  hub.start();
  const stopDaily = options.dailyForecast === false ? () => {} : forecasts.startDaily();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject); // a port in use (EADDRINUSE) or not allowed (EACCES): the caller says which
      server.listen(options.port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    stopDaily();
    clearInterval(upkeepTimer);
    hub.stop();
    wss.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'listening');
  return {
    server,
    hub,
    port,
    close: async () => {
      clearInterval(upkeepTimer);
      stopDaily();
      await forecasts.close();
      hub.stop();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      access.flush();
    },
  };
}
