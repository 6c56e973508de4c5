// The HTTP API and the /live websocket against a real server on an ephemeral port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { can, ROLES, rolesWith, type Permission } from '../../src/auth/roles.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { tempDir } from '../support/store.ts';
import { join } from 'node:path';
import { openStore } from '../../src/pathways/open.ts';

const NHS = '9434765919';
const referral = (on: string) => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: NHS,
  patientName: 'Test Patient',
  dateOfBirth: '1950-01-01',
});

let running: RunningServer;
let store: Store;
let sql: Db;
const clock = fixedClock('2026-11-24T10:00:00Z');
const logLines: string[] = [];
const tokens: Record<string, string> = {};
let base = '';

beforeAll(async () => {
  const file = join(tempDir(), 'api.db');
  store = openStore(openDb(file), clock);
  sql = openDb(file);
  const destination = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  running = await startServer({
    store,
    clock,
    logger: createLogger({ destination }),
    port: 0,
    hub: { coalesceMs: 5, rolloverCheckMs: 20 },
  });
  base = `http://127.0.0.1:${running.port}`;
  for (const role of ROLES) {
    store.users.add(role, role, `${role}-kettle-orbit`);
    tokens[role] = store.users.createToken(role);
  }
});
afterAll(async () => running.close());

async function call(
  method: string,
  path: string,
  { role, body, headers = {} }: { role?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, text };
}

const dbState = () =>
  sql
    .prepare(
      'SELECT (SELECT count(*) FROM events) AS events, (SELECT coalesce(sum(version), 0) FROM pathways) AS versions',
    )
    .get();

describe('pathways over HTTP', () => {
  let id = '';

  it('creates a pathway from a referral (201) and appends events with the expected version', async () => {
    const created = await call('POST', '/api/pathways', { role: 'tracker', body: referral('2026-11-01') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      version: 1,
      stage: 'awaiting_triage',
      clocks: { d62: { state: 'running', days: 23 } },
    });
    id = created.body.pathwayId;
    const next = await call('POST', `/api/pathways/${id}/events`, {
      role: 'tracker',
      body: { expectedVersion: 1, event: { type: 'triaged', on: '2026-11-02', outcome: 'outpatient' } },
    });
    expect([next.status, next.body.version, next.body.stage]).toEqual([201, 2, 'awaiting_first_appointment']);
    const got = await call('GET', `/api/pathways/${id}`, { role: 'steward' });
    expect(got.body.events.map((e: { event: { type: string } }) => e.event.type)).toEqual([
      'referral_received',
      'triaged',
    ]);
    expect(got.body.events[1].actor).toBe('user:tracker');
    expect(got.body.allowedEvents).toContain('appointment_booked');
    expect(got.body.clocks.fds).toMatchObject({ state: 'running', days: 23, breachDate: '2026-11-30' });
  });

  it('answers each error class specifically and changes nothing', async () => {
    const before = dbState();
    const cases: [string, string, object, number, Record<string, unknown>][] = [
      [
        'malformed JSON',
        `/api/pathways/${id}/events`,
        { body: '{"expectedVersion": 2,' },
        400,
        { error: 'invalid_json' },
      ],
      [
        'a schema failure',
        `/api/pathways/${id}/events`,
        { body: { expectedVersion: 2, event: { type: 'first_seen', on: '2026-11-31' } } },
        400,
        { field: 'on' },
      ],
      [
        'a missing expectedVersion',
        `/api/pathways/${id}/events`,
        { body: { event: { type: 'first_seen', on: '2026-11-03' } } },
        400,
        { field: 'body.expectedVersion' },
      ],
      [
        'an unknown pathway',
        '/api/pathways/nope/events',
        { body: { expectedVersion: 0, event: { type: 'first_seen', on: '2026-11-03' } } },
        404,
        { error: 'unknown_pathway' },
      ],
      [
        'a stale version',
        `/api/pathways/${id}/events`,
        { body: { expectedVersion: 1, event: { type: 'first_seen', on: '2026-11-03' } } },
        409,
        { error: 'stale_version', currentVersion: 2 },
      ],
      [
        'an event the stage does not allow',
        `/api/pathways/${id}/events`,
        { body: { expectedVersion: 2, event: { type: 'treatment_started', on: '2026-11-03', modality: 'surgery' } } },
        409,
        { error: 'not_allowed', stage: 'awaiting_first_appointment' },
      ],
      [
        'a future date',
        `/api/pathways/${id}/events`,
        { body: { expectedVersion: 2, event: { type: 'first_seen', on: '2026-11-25' } } },
        422,
        { field: 'on' },
      ],
      [
        'an oversized body',
        `/api/pathways/${id}/events`,
        {
          body: { expectedVersion: 2, event: { type: 'mdt_discussed', on: '2026-11-03', outcome: 'x'.repeat(70_000) } },
        },
        413,
        { error: 'too_large' },
      ],
      [
        'a referral that is not a referral',
        '/api/pathways',
        { body: { type: 'first_seen', on: '2026-11-03' } },
        400,
        { field: 'body.type' },
      ],
    ];
    for (const [what, path, options, status, expected] of cases) {
      const r = await call('POST', path, { role: 'tracker', ...options });
      expect(r.status, what).toBe(status);
      expect(r.body, what).toMatchObject(expected);
      expect(r.text, what).not.toMatch(/at .*\.ts|node_modules|9434765919/);
    }
    expect((await call('GET', '/api/pathways/nope', { role: 'steward' })).status).toBe(404);
    expect(dbState()).toEqual(before);
  });

  it('repeats an Idempotency-Key request with the first result and writes nothing', async () => {
    const headers = { 'Idempotency-Key': 'abc-123' };
    const first = await call('POST', '/api/pathways', { role: 'tracker', body: referral('2026-11-20'), headers });
    const before = dbState();
    const again = await call('POST', '/api/pathways', { role: 'tracker', body: referral('2026-11-20'), headers });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    expect(dbState()).toEqual(before);
  });

  it('serves the PTL, the backlog, the OpenAPI document and health', async () => {
    const ptl = await call('GET', '/api/ptl?tumourSite=lung&limit=1', { role: 'steward' });
    expect(ptl.status).toBe(200);
    expect(ptl.body.entries).toHaveLength(1);
    expect(ptl.body.nextCursor).toEqual(expect.any(String));
    const page2 = await call('GET', `/api/ptl?tumourSite=lung&limit=1&cursor=${ptl.body.nextCursor}`, {
      role: 'steward',
    });
    expect(page2.body.entries[0].pathwayId).not.toBe(ptl.body.entries[0].pathwayId);
    expect((await call('GET', '/api/ptl?tumourSite=liver', { role: 'steward' })).body).toMatchObject({
      field: 'query.tumourSite',
    });
    const backlog = await call('GET', '/api/backlog', { role: 'steward' });
    expect(backlog.body).toMatchObject({ asOf: '2026-11-24', open: 2 });
    expect((await call('GET', '/api/backlog?asOf=2026-02-30', { role: 'steward' })).status).toBe(400);
    const openapi = await call('GET', '/api/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/api/pathways', '/api/pathways/{id}/events', '/api/ptl', '/api/backlog']),
    );
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok', today: '2026-11-24' });
  });
});

describe('users and roles', () => {
  const routes: [string, string, Permission, unknown?][] = [
    ['GET', '/api/ptl', 'patients'],
    ['GET', '/api/backlog', 'signed_in'],
    ['GET', '/api/pathways/x', 'patients'],
    ['GET', '/api/me', 'signed_in'],
    ['POST', '/api/pathways', 'record', { type: 'first_seen', on: '2026-11-01' }],
    ['POST', '/api/pathways/x/events', 'record_items', {}],
    ['POST', '/api/mdt/meetings', 'mdt', {}],
    ['GET', '/api/returns/canptl', 'returns'],
    ['GET', '/api/users', 'admin'],
    ['POST', '/api/users', 'admin', {}],
  ];
  for (const [method, path, needed, body] of routes) {
    it(`${method} ${path} needs ${needed} (${rolesWith(needed).join(', ')})`, async () => {
      expect((await call(method, path, { body })).status).toBe(401);
      expect((await call(method, path, { body, headers: { authorization: 'Bearer optl_wrong' } })).status).toBe(401);
      for (const role of ROLES) {
        const { status } = await call(method, path, { role, body });
        if (!can({ role }, needed)) expect(status, role).toBe(403);
        else expect([401, 403], role).not.toContain(status);
      }
    });
  }

  it('signs in with an HttpOnly SameSite cookie, and rate limits failed sign-ins', async () => {
    const ok = await call('POST', '/api/session', { body: { name: 'viewer', password: 'viewer-kettle-orbit' } });
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/openptl_session=[^;]+; Max-Age=43200; Path=\/; Expires=.*; HttpOnly; SameSite=Strict/);
    const me = await call('GET', '/api/me', { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.body).toEqual({
      name: 'viewer',
      role: 'viewer',
      providers: null,
      permissions: ['signed_in'],
      passwordChangeRequired: false,
    });
    for (let i = 0; i < 5; i++)
      expect((await call('POST', '/api/session', { body: { name: 'tracker', password: 'wrong' } })).status).toBe(401);
    const limited = await call('POST', '/api/session', { body: { name: 'tracker', password: 'tracker-kettle-orbit' } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lets an admin add users', async () => {
    expect(
      (
        await call('POST', '/api/users', {
          role: 'admin',
          body: { name: 'mdt-coordinator', role: 'tracker', password: 'mauve-kettle-orbit' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/api/users', {
          role: 'admin',
          body: { name: 'mdt-coordinator', role: 'tracker', password: 'mauve-kettle-orbit' },
        })
      ).status,
    ).toBe(409);
  });
});

describe('live backlog over websockets', () => {
  const connect = (headers: Record<string, string>) =>
    new Promise<{
      ws: WebSocket;
      next: () => Promise<{ type: string; asOf: string; counts: { open: number; over62: number } }>;
    }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${running.port}/live`, { headers, perMessageDeflate: false });
      const queue: string[] = [];
      const waiting: ((m: string) => void)[] = [];
      ws.on('message', (m) => {
        const w = waiting.shift();
        if (w) w(String(m));
        else queue.push(String(m));
      });
      ws.on('open', () =>
        resolve({
          ws,
          next: () =>
            new Promise((r) => {
              const m = queue.shift();
              if (m) r(JSON.parse(m));
              else waiting.push((x) => r(JSON.parse(x)));
            }),
        }),
      );
      ws.on('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
      ws.on('error', reject);
    });

  it('refuses an unauthenticated upgrade', async () => {
    await expect(connect({})).rejects.toThrow('401');
  });

  it('sends counts on connect, after an event lands, and when midnight moves a patient past day 62', async () => {
    const { ws, next } = await connect({ authorization: `Bearer ${tokens.viewer}` });
    const first = await next();
    expect(first.type).toBe('backlog');
    // Referred 62 days before today: on day 62 now, over 62 from midnight.
    await call('POST', '/api/pathways', { role: 'tracker', body: referral('2026-09-23') });
    const afterEvent = await next();
    expect(afterEvent.counts.open).toBe(first.counts.open + 1);
    expect(afterEvent.counts.over62).toBe(first.counts.over62);
    clock.set('2026-11-25T00:00:30Z'); // 00:00:30 in London (GMT)
    const afterMidnight = await next();
    expect(afterMidnight.asOf).toBe('2026-11-25');
    expect(afterMidnight.counts.over62).toBe(first.counts.over62 + 1);
    ws.close();
  });
});

describe('hostile input', () => {
  it('random and malformed bodies to the write endpoints change nothing and the server keeps answering', async () => {
    const before = dbState();
    const body = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({ expectedVersion: fc.anything(), event: fc.anything() }),
      fc.record({
        expectedVersion: fc.nat(5),
        event: fc.record({
          type: fc.constantFrom('first_seen', 'dna', 'removed', 'referral_received', 'x'),
          on: fc.string(),
        }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('/api/pathways', '/api/pathways/nope/events'), async (b, path) => {
        const r = await call('POST', path, { role: 'tracker', body: typeof b === 'string' ? b : JSON.stringify(b) });
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(dbState()).toEqual(before);
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('never logs patient details or a stack trace', () => {
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(NHS);
    expect(logs).not.toContain('Test Patient');
    expect(logs).not.toContain('1950-01-01');
    expect(logs).not.toMatch(/\.ts:\d+/);
  });
});
