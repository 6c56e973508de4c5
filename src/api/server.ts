// The running server: the HTTP API and the /live websocket on one port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { WallClock } from '../wall-clock.ts';
import type { Store } from '../store/store.ts';
import { LiveHub, type HubOptions } from '../live/hub.ts';
import { authenticate, createApp } from './app.ts';

export interface RunningServer {
  server: Server;
  hub: LiveHub;
  port: number;
  close(): Promise<void>;
}

export async function startServer(options: { store: Store; clock: WallClock; logger: Logger; port: number; host?: string; hub?: HubOptions; reportsDir?: string }): Promise<RunningServer> {
  const { store, clock, logger } = options;
  const app = createApp({ store, clock, logger, reportsDir: options.reportsDir });
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
    const user = authenticate(store.users, req.headers);
    if (!user) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => hub.attach(ws));
  });

  hub.start();
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'listening');
  return {
    server, hub, port,
    close: async () => {
      hub.stop();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
