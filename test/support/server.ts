// A server for an API test: the app on a free port over the test's store (on its clock, logs
// silenced), a user of each role asked for (named after the role) with a token, and `call`, which
// sends a request as one of them and answers the status and the JSON.
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../src/api/server.ts';
import type { Role } from '../../src/auth/roles.ts';
import type { Store } from '../../src/store/store.ts';

export interface TestServer {
  running: RunningServer;
  base: string;
  tokens: Partial<Record<Role, string>>;
  call(method: string, path: string, role: Role, body?: unknown): Promise<{ status: number; body: any }>;
}

export async function serveForTest(
  store: Store,
  roles: readonly Role[],
  options: Omit<Partial<ServerOptions>, 'store'> = {},
): Promise<TestServer> {
  const running = await startServer({
    store,
    clock: store.clock,
    logger: createLogger({ level: 'silent' }),
    port: 0,
    ...options,
  });
  const base = `http://127.0.0.1:${running.port}`;
  const tokens: TestServer['tokens'] = {};
  for (const role of roles) {
    store.users.add(role, role, `${role}-test-staple-orbit`);
    tokens[role] = store.users.createToken(role);
  }
  return {
    running,
    base,
    tokens,
    call: async (method, path, role, body) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[role]}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}
