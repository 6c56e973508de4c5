// An attack campaign against a real server on loopback, counted: every kind of credential against
// every protected route, hostile values in every query and path parameter, prototype pollution in
// bodies, stored script payloads, and forged websocket upgrades. Each request's outcome is checked;
// the tally (requests by kind and their statuses) is printed at the end for docs/security.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { z } from 'zod';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { API } from '../../src/api/routes/index.ts';
import type { RouteSpec } from '../../src/api/route.ts';
import { roleAllows, type Role } from '../../src/auth/roles.ts';
import { tempDir } from '../support/store.ts';
import { openStore } from '../../src/pathways/open.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

const PASSWORD = 'mauve-kettle-orbit';
const clock = fixedClock('2026-11-24T10:00:00Z');
let running: RunningServer;
let store: Store;
let commands: PathwayCommands;
let sql: Db;
let base = '';
let pathwayId = '';
const tally: Record<string, { requests: number; outcomes: Record<string, number> }> = {};
const count = (kind: string, outcome: string | number) => {
  const k = (tally[kind] ??= { requests: 0, outcomes: {} });
  k.requests++;
  k.outcomes[outcome] = (k.outcomes[outcome] ?? 0) + 1;
};

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
}

const state = () =>
  sql
    .prepare(
      `SELECT (SELECT count(*) FROM events) AS events, (SELECT coalesce(sum(version), 0) FROM pathways) AS versions,
  (SELECT count(*) FROM users) AS users, (SELECT group_concat(role || disabled_at IS NULL) FROM users) AS roles, (SELECT count(*) FROM api_tokens) AS tokens`,
    )
    .get();

beforeAll(async () => {
  const file = join(tempDir(), 'attacks.db');
  store = openStore(openDb(file), clock);
  commands = new PathwayCommands(store);
  sql = openDb(file);
  running = await startServer({
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    port: 0,
    hub: { accessCheckMs: 100 },
  });
  base = `http://127.0.0.1:${running.port}`;
  for (const role of ['viewer', 'tracker', 'admin'] as const) store.users.add(role, role, PASSWORD);
  const tracker = store.users.createToken('tracker');
  pathwayId = commands.append(
    'P-ATTACK',
    0,
    {
      type: 'referral_received',
      on: '2026-11-01',
      route: 'urgent_suspected_cancer',
      tumourSite: 'lung',
      nhsNumber: '9434765919',
      patientName: 'Test Patient',
    },
    { actor: 'test' },
  ).pathwayId;
  void tracker;
});
afterAll(async () => {
  await running.close();
  const total = Object.values(tally).reduce((n, k) => n + k.requests, 0);
  console.log(`ATTACK-TALLY ${JSON.stringify({ total, ...tally })}`);
});

describe('attack campaign', () => {
  it('every kind of credential against every protected route: 401 or 403 unless the role allows it, never a 5xx', async () => {
    const session = async (name: string) => {
      const r = await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password: PASSWORD }),
      });
      return r.headers.get('set-cookie')!.split(';')[0]!;
    };
    store.users.add('leaver', 'admin', PASSWORD);
    const leaverToken = store.users.createToken('leaver');
    const leaverCookie = await session('leaver');
    store.users.setDisabled('leaver', true);
    const revoked = store.users.issueToken('admin');
    store.users.revokeToken(revoked.tokenId);
    clock.set('2026-11-21T10:00:00Z');
    const expired = store.users.createToken('admin', { days: 1 });
    const expiredSession = `openptl_session=${store.users.createSession({ userId: 3, name: 'admin', role: 'admin' }).token}`;
    clock.set('2026-11-24T10:00:00Z');
    const signedOut = await session('admin');
    await fetch(`${base}/api/session`, { method: 'DELETE', headers: { cookie: signedOut } });
    const credentials: [string, Record<string, string>, Role | null][] = [
      ['none', {}, null],
      ['malformed Authorization', { authorization: 'Basic YWRtaW46cGFzc3dvcmQ=' }, null],
      ['made-up bearer token', { authorization: 'Bearer optl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, null],
      ['revoked token', { authorization: `Bearer ${revoked.token}` }, null],
      ['expired token', { authorization: `Bearer ${expired}` }, null],
      ["disabled user's token", { authorization: `Bearer ${leaverToken}` }, null],
      ["disabled user's session", { cookie: leaverCookie }, null],
      ['signed-out session', { cookie: signedOut }, null],
      ['expired session', { cookie: expiredSession }, null],
      ['forged session cookie', { cookie: 'openptl_session=forged-value; openptl_session=x' }, null],
      ['viewer', { authorization: `Bearer ${store.users.createToken('viewer')}` }, 'viewer'],
      ['tracker', { authorization: `Bearer ${store.users.createToken('tracker')}` }, 'tracker'],
      ['admin session', { cookie: await session('admin') }, 'admin'],
    ];
    const before = state();
    const routes = (Object.values(API) as RouteSpec[]).filter((r) => r.role !== null);
    for (const route of routes) {
      const path = route.path
        .replace(':id', route.path.startsWith('/api/tokens') ? '999999' : 'no-such-pathway')
        .replace(':name', 'no-such-user');
      // Bodies that the schemas refuse: an allowed caller gets 400 or 404 and nothing changes.
      const body =
        route.method === 'get' || route.method === 'delete'
          ? undefined
          : route.path === '/api/pathways'
            ? { type: 'first_seen', on: '2026-11-01' }
            : {};
      for (const [kind, headers, role] of credentials) {
        const r = await send(route.method.toUpperCase(), path, headers, body);
        count('credential x route', r.status);
        const allowed = role !== null && roleAllows(role, route.role!);
        if (role === null) expect(r.status, `${kind} ${route.method} ${path}`).toBe(401);
        else if (!allowed) expect(r.status, `${kind} ${route.method} ${path}`).toBe(403);
        else expect([401, 403], `${kind} ${route.method} ${path}`).not.toContain(r.status);
        expect(r.status).toBeLessThan(500);
      }
    }
    expect(state()).toEqual(before);
  });

  it('hostile values in every query and path parameter: 200 or a 4xx (400 naming the parameter), never a 5xx, nothing changed', async () => {
    const admin = { authorization: `Bearer ${store.users.createToken('admin')}` };
    const payloads = [
      "' OR '1'='1",
      '1; DROP TABLE events; --',
      '") UNION SELECT * FROM users --',
      '1e9',
      '-1',
      'NaN',
      '0001-01-01',
      '9999-99-99',
      '../../../../etc/passwd',
      '%00',
      '__proto__',
      '<script>alert(1)</script>',
      '${7*7}',
      'x'.repeat(5000),
      '\u202Eevil',
    ];
    const before = state();
    // Every query parameter of every route that has them (from the route list), plus one unknown;
    // a route's other required parameters are given good values, so a refusal names the one at fault.
    const required: Record<string, Record<string, string>> = {
      '/api/returns/cwt': { period: '2026-10' },
      '/api/returns/canptl': { weekEnding: '2026-11-22' },
      '/api/search': { q: 'ann' },
    };
    const queries = (Object.values(API) as RouteSpec[])
      .filter((r) => r.query && !r.path.includes(':'))
      .map((r): [string, string[]] => [
        r.path,
        [...Object.keys((r.query as z.ZodObject).shape), ...(r.path === '/api/ptl' ? ['unknownParameter'] : [])],
      ]);
    expect(queries.flatMap(([, params]) => params).length).toBeGreaterThan(40);
    for (const [path, params] of queries) {
      for (const param of params) {
        const others = Object.entries(required[path] ?? {})
          .filter(([name]) => name !== param)
          .map(([name, value]) => `&${name}=${value}`)
          .join('');
        for (const payload of payloads) {
          const r = await send('GET', `${path}?${param}=${encodeURIComponent(payload)}${others}`, admin);
          count('hostile query parameter', r.status);
          expect(r.status, `${path} ${param}=${payload.slice(0, 20)}`).toBeLessThan(500);
          if (r.status !== 200) expect(r.type).toContain('application/json');
          if (r.status === 400) expect(JSON.parse(r.text).field, `${path} ${param}`).toContain(param);
        }
        const repeated = await send('GET', `${path}?${param}=a&${param}=b${others}`, admin); // a parameter given twice
        count('hostile query parameter', repeated.status);
        expect(repeated.status).toBeLessThan(500);
      }
    }
    for (const payload of payloads) {
      for (const [method, path] of [
        ['GET', '/api/pathways/'],
        ['POST', '/api/pathways/'],
        ['PATCH', '/api/users/'],
        ['DELETE', '/api/tokens/'],
      ] as const) {
        const suffix = method === 'POST' ? '/events' : '';
        const r = await send(
          method,
          `${path}${encodeURIComponent(payload)}${suffix}`,
          admin,
          method === 'GET' || method === 'DELETE'
            ? undefined
            : method === 'POST'
              ? { expectedVersion: 1, event: { type: 'first_seen', on: '2026-11-02' } }
              : { disabled: true },
        );
        count('hostile path parameter', r.status);
        expect(r.status, `${method} ${path}${payload.slice(0, 20)}`).toBeLessThan(500);
        expect([200, 201]).not.toContain(r.status);
      }
    }
    expect(state()).toEqual(before);
  });

  it('prototype pollution in bodies: refused with 400 naming the key, and nothing polluted', async () => {
    const tracker = { authorization: `Bearer ${store.users.createToken('tracker')}` };
    const admin = { authorization: `Bearer ${store.users.createToken('admin')}` };
    const before = state();
    const bodies: [string, string, Record<string, string>][] = [
      [
        '/api/pathways',
        '{"type":"referral_received","on":"2026-11-02","route":"urgent_suspected_cancer","tumourSite":"lung","nhsNumber":"9434765919","__proto__":{"polluted":true}}',
        tracker,
      ],
      ['/api/pathways', '{"__proto__":{"type":"referral_received"},"on":"2026-11-02"}', tracker],
      [
        '/api/pathways',
        '{"type":"referral_received","on":"2026-11-02","route":"urgent_suspected_cancer","tumourSite":"lung","nhsNumber":"9434765919","constructor":{"prototype":{"polluted":true}}}',
        tracker,
      ],
      [
        `/api/pathways/${pathwayId}/events`,
        '{"expectedVersion":1,"event":{"type":"triaged","on":"2026-11-02","outcome":"outpatient","__proto__":{"polluted":true}}}',
        tracker,
      ],
      [
        `/api/pathways/${pathwayId}/events`,
        '{"expectedVersion":1,"__proto__":{"event":{"type":"triaged"}},"event":{"type":"triaged","on":"2026-11-02","outcome":"outpatient"}}',
        tracker,
      ],
      [
        `/api/pathways/${pathwayId}/events`,
        '{"expectedVersion":1,"event":{"type":"triaged","on":"2026-11-02","outcome":"outpatient","x":{"y":{"__proto__":{"polluted":true}}}}}',
        tracker,
      ],
      [
        '/api/users',
        '{"name":"mallory","role":"viewer","password":"mauve-kettle-orbit","__proto__":{"role":"admin"}}',
        admin,
      ],
      ['/api/tokens', '{"user":"viewer","__proto__":{"days":100000}}', admin],
    ];
    for (const [path, body, headers] of bodies) {
      const r = await send('POST', path, headers, body);
      count('prototype pollution', r.status);
      expect(r.status, body).toBe(400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(state()).toEqual(before);
  });

  it('stored script payloads come back as JSON data, never as HTML', async () => {
    const tracker = { authorization: `Bearer ${store.users.createToken('tracker')}` };
    const payloads = [
      '<script>window.__xss=1</script>',
      '<img src=x onerror="window.__xss=1">',
      '"><svg onload=window.__xss=1>',
      "'-alert(1)-'",
      'javascript:window.__xss=1',
      '{{constructor.constructor("window.__xss=1")()}}',
      '<iframe srcdoc="<script>parent.__xss=1</script>">',
    ];
    for (const payload of payloads) {
      const created = await send('POST', '/api/pathways', tracker, {
        type: 'referral_received',
        on: '2026-11-03',
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: '9434765919',
        patientName: payload,
        referrer: payload,
      });
      count('stored script payload', created.status);
      expect(created.status).toBe(201);
      const id = JSON.parse(created.text).pathwayId as string;
      const events = [
        { type: 'triaged', on: '2026-11-04', outcome: 'straight_to_test' },
        { type: 'test_requested', on: '2026-11-05', test: payload },
        { type: 'test_reported', on: '2026-11-06', test: payload, result: payload },
        { type: 'mdt_discussed', on: '2026-11-07', outcome: payload },
        { type: 'patient_cancelled', on: '2026-11-08', note: payload },
        { type: 'removed', on: '2026-11-09', reason: 'other', note: payload },
      ];
      for (const [i, event] of events.entries()) {
        const r = await send('POST', `/api/pathways/${id}/events`, tracker, { expectedVersion: i + 1, event });
        count('stored script payload', r.status);
        expect(r.status).toBe(201);
      }
      const got = await send('GET', `/api/pathways/${id}`, tracker);
      expect(got.type).toContain('application/json');
      expect(JSON.parse(got.text).patient.name).toBe(payload);
    }
  });

  it("forged websocket upgrades: another site's Origin, no credential, a revoked token, a wrong path", async () => {
    const upgrade = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${running.port}${path}`, { headers, perMessageDeflate: false });
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(0));
      });
    const token = store.users.createToken('viewer');
    const revoked = store.users.issueToken('viewer');
    store.users.revokeToken(revoked.tokenId);
    const cases: [string, Record<string, string>, number][] = [
      ['/live', { authorization: `Bearer ${token}`, origin: 'http://evil.example' }, 403],
      ['/live', { authorization: `Bearer ${token}`, origin: 'null' }, 403],
      ['/live', { authorization: `Bearer ${token}`, origin: `http://127.0.0.1:${running.port}.evil.example` }, 403],
      ['/live', { authorization: `Bearer ${token}`, origin: `https://127.0.0.1:${running.port + 1}` }, 403],
      ['/live', {}, 401],
      ['/live', { authorization: `Bearer ${revoked.token}` }, 401],
      ['/live', { cookie: 'openptl_session=forged' }, 401],
      ['/other', { authorization: `Bearer ${token}` }, 404],
      ['/live', { authorization: `Bearer ${token}`, origin: base }, 101],
    ];
    for (const [path, headers, expected] of cases) {
      const status = await upgrade(path, headers);
      count('websocket upgrade', status);
      expect(status, JSON.stringify(headers)).toBe(expected);
    }
  });
});
