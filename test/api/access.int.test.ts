// Patient data protection over HTTP and websockets (issue #16): access that can be taken away,
// the access log, and the hardening list. Real servers on loopback ports with temporary databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import type { TrustProxy } from '../../src/api/app.ts';
import { tempDir } from '../support/store.ts';
import { openStore } from '../../src/pathways/open.ts';

const NHS = '9434765919';
const NAME = 'Zebedee Quartermaine';
const DOB = '1950-01-01';
const PASSWORD = 'mauve-kettle-orbit';
const referral = (on: string) => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: NHS,
  patientName: NAME,
  dateOfBirth: DOB,
});

interface Server {
  running: RunningServer;
  store: Store;
  sql: Db;
  file: string;
  base: string;
  logs: string[];
  clock: ReturnType<typeof fixedClock>;
}
const servers: Server[] = [];

async function serve(
  opts: { trustProxy?: TrustProxy; file?: string; clock?: ReturnType<typeof fixedClock> } = {},
): Promise<Server> {
  const file = opts.file ?? join(tempDir(), 'access.db');
  const clock = opts.clock ?? fixedClock('2026-11-24T10:00:00Z');
  const store = openStore(openDb(file), clock);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const running = await startServer({
    store,
    clock,
    logger: createLogger({ destination }),
    port: 0,
    trustProxy: opts.trustProxy,
    hub: { coalesceMs: 5, rolloverCheckMs: 50, accessCheckMs: 200 },
  });
  const server = { running, store, sql: openDb(file), file, base: `http://127.0.0.1:${running.port}`, logs, clock };
  servers.push(server);
  return server;
}
afterAll(async () => {
  for (const s of servers) await s.running.close();
});

async function call(
  s: Server,
  method: string,
  path: string,
  {
    token,
    cookie,
    body,
    headers = {},
  }: { token?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${s.base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(cookie ? { cookie } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, text };
}

async function signIn(s: Server, name: string, password = PASSWORD, headers: Record<string, string> = {}) {
  const r = await call(s, 'POST', '/api/session', { body: { name, password }, headers });
  return { ...r, cookie: r.headers.get('set-cookie')?.split(';')[0] };
}

/** A /live socket; `closed` resolves with the close code; `received(n)` once n messages have come. */
function live(s: Server, headers: Record<string, string>) {
  return new Promise<{
    ws: WebSocket;
    messages: string[];
    closed: Promise<number>;
    received: (n: number) => Promise<void>;
  }>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${s.running.port}/live`, { headers, perMessageDeflate: false });
    const messages: string[] = [];
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    const waiting: [number, () => void][] = [];
    ws.on('message', (m) => {
      messages.push(String(m));
      for (const [n, done] of waiting) if (messages.length >= n) done();
    });
    const received = (n: number) =>
      messages.length >= n ? Promise.resolve() : new Promise<void>((r) => waiting.push([n, r]));
    ws.on('open', () => resolve({ ws, messages, closed, received }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
    ws.on('error', reject);
  });
}

describe('taking access away', () => {
  let s: Server;
  let admin = '';
  beforeAll(async () => {
    s = await serve();
    s.store.users.add('admin', 'admin', PASSWORD);
    admin = s.store.users.createToken('admin');
  });

  it('signing out with a bearer token revokes it (it used to answer 204 and go on working)', async () => {
    s.store.users.add('script', 'viewer', PASSWORD);
    const token = s.store.users.createToken('script');
    expect((await call(s, 'GET', '/api/me', { token })).status).toBe(200);
    expect((await call(s, 'DELETE', '/api/session', { token })).status).toBe(204);
    expect((await call(s, 'GET', '/api/me', { token })).status).toBe(401);
  });

  it('disabling a user through the API ends their sessions, stops their tokens and closes their websockets', async () => {
    s.store.users.add('nurse', 'tracker', PASSWORD);
    const token = s.store.users.createToken('nurse');
    const { cookie } = await signIn(s, 'nurse');
    const bySession = await live(s, { cookie: cookie! });
    const byToken = await live(s, { authorization: `Bearer ${token}` });
    const r = await call(s, 'PATCH', '/api/users/NURSE', { token: admin, body: { disabled: true } });
    expect([r.status, r.body]).toMatchObject([200, { name: 'nurse', disabled: true }]);
    // A socket left open would hang the test until its timeout: no wall-clock figure is asserted.
    expect(await Promise.all([bySession.closed, byToken.closed])).toEqual([4401, 4401]);
    expect((await call(s, 'GET', '/api/me', { cookie })).status).toBe(401);
    expect((await call(s, 'GET', '/api/me', { token })).status).toBe(401);
    expect((await signIn(s, 'nurse')).status).toBe(401);
    await expect(live(s, { authorization: `Bearer ${token}` })).rejects.toThrow('401');
    expect(
      (await call(s, 'PATCH', '/api/users/nurse', { token: admin, body: { disabled: false } })).body,
    ).toMatchObject({ disabled: false });
    expect((await signIn(s, 'nurse')).status).toBe(200);
  });

  it('a token revoked from another process (the command line) closes its websocket', async () => {
    s.store.users.add('robot', 'viewer', PASSWORD);
    const issued = s.store.users.issueToken('robot');
    const socket = await live(s, { authorization: `Bearer ${issued.token}` });
    const other = openStore(openDb(s.file), s.clock); // another connection, as `openptl token revoke` has
    other.users.revokeToken(issued.tokenId);
    expect(await socket.closed).toBe(4401);
    other.close();
  });

  it("signing out closes that session's websocket", async () => {
    const { cookie } = await signIn(s, 'admin');
    const socket = await live(s, { cookie: cookie! });
    await call(s, 'DELETE', '/api/session', { cookie });
    expect(await socket.closed).toBe(4401);
  });

  it('an admin makes, lists and revokes tokens; the secret is shown once and never listed', async () => {
    const made = await call(s, 'POST', '/api/tokens', {
      token: admin,
      body: { user: 'robot', days: 7, label: 'weekly extract' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      user: 'robot',
      label: 'weekly extract',
      expiresAt: '2026-12-01T10:00:00.000Z',
      token: expect.stringMatching(/^optl_/),
    });
    expect((await call(s, 'GET', '/api/me', { token: made.body.token })).body).toMatchObject({
      name: 'robot',
      role: 'viewer',
      providers: null,
      permissions: ['signed_in'],
      passwordChangeRequired: false,
    });
    const list = await call(s, 'GET', '/api/tokens?user=robot', { token: admin });
    expect(list.text).not.toContain(made.body.token);
    expect(list.body.map((t: { tokenId: number }) => t.tokenId)).toContain(made.body.tokenId);
    expect((await call(s, 'DELETE', `/api/tokens/${made.body.tokenId}`, { token: admin })).status).toBe(200);
    expect((await call(s, 'GET', '/api/me', { token: made.body.token })).status).toBe(401);
    expect((await call(s, 'DELETE', `/api/tokens/${made.body.tokenId}`, { token: admin })).status).toBe(404);
  });

  it('changes a role and resets a password from the API, refusing what would leave no admin', async () => {
    s.store.users.add('clerk', 'viewer', PASSWORD);
    const { cookie } = await signIn(s, 'clerk');
    expect(
      (await call(s, 'PATCH', '/api/users/clerk', { token: admin, body: { role: 'tracker' } })).body,
    ).toMatchObject({ role: 'tracker' });
    expect((await call(s, 'GET', '/api/me', { cookie })).body).toMatchObject({ name: 'clerk', role: 'tracker' });
    const weak = await call(s, 'PATCH', '/api/users/clerk', { token: admin, body: { password: 'password1234' } });
    expect([weak.status, weak.body.field]).toEqual([400, 'password']);
    expect(
      (await call(s, 'PATCH', '/api/users/clerk', { token: admin, body: { password: 'fenland-otter-sprocket' } }))
        .status,
    ).toBe(200);
    expect((await call(s, 'GET', '/api/me', { cookie })).status).toBe(401); // sessions end with the old password
    expect((await signIn(s, 'clerk', 'fenland-otter-sprocket')).status).toBe(200);
    const last = await call(s, 'PATCH', '/api/users/admin', { token: admin, body: { role: 'viewer' } });
    expect([last.status, last.body.error]).toEqual([409, 'last_admin']);
    expect((await call(s, 'PATCH', '/api/users/nobody', { token: admin, body: { disabled: true } })).status).toBe(404);
    expect((await call(s, 'PATCH', '/api/users/clerk', { token: admin, body: {} })).status).toBe(400);
    expect(
      (
        await call(s, 'POST', '/api/users', {
          token: admin,
          body: { name: 'CLERK', role: 'viewer', password: PASSWORD },
        })
      ).status,
    ).toBe(409);
  });
});

describe('the access log', () => {
  let s: Server;
  let viewer = '';
  let admin = '';
  let pathwayId = '';
  beforeAll(async () => {
    s = await serve();
    s.store.users.add('admin', 'admin', PASSWORD);
    s.store.users.add('viewer', 'steward', PASSWORD); // a steward reads patient lists, read only
    s.store.users.add('tracker', 'tracker', PASSWORD);
    admin = s.store.users.createToken('admin');
    viewer = s.store.users.createToken('viewer');
    const tracker = s.store.users.createToken('tracker');
    pathwayId = (await call(s, 'POST', '/api/pathways', { token: tracker, body: referral('2026-11-01') })).body
      .pathwayId;
    await call(s, 'POST', '/api/pathways', { token: tracker, body: referral('2026-10-01') });
  });
  const entries = () => s.store.access.query({ limit: 1000 }).entries;

  it('records each pathway viewed and each PTL query with its filters and how many patients it returned', async () => {
    await call(s, 'GET', `/api/pathways/${pathwayId}`, { token: viewer });
    const ptl = await call(s, 'GET', '/api/ptl?tumourSite=lung&limit=500&breached=false', { token: viewer });
    expect(ptl.body.entries).toHaveLength(2);
    expect(ptl.body.entries[0].patientName).toBe(NAME); // the PTL's work list will show names
    const [query, view] = entries();
    expect(view).toMatchObject({
      actor: 'user:viewer',
      action: 'pathway_viewed',
      pathwayId,
      address: '127.0.0.1',
      detail: { via: expect.stringMatching(/^token \d+$/) },
    });
    expect(query).toMatchObject({
      actor: 'user:viewer',
      action: 'ptl_queried',
      detail: {
        filters: { tumourSite: 'lung', limit: 500, breached: false },
        asOf: '2026-11-24',
        page: 'first',
        patients: 2,
      },
    });
  });

  it('records sign-ins and failures (a failure under a known name only: a mistyped name may be a password)', async () => {
    await signIn(s, 'viewer');
    await signIn(s, 'viewer', 'not-the-password');
    await signIn(s, 'correct-horse-battery', 'x');
    const [unknown, failed, ok] = entries();
    expect(ok).toMatchObject({ actor: 'user:viewer', action: 'sign_in', address: '127.0.0.1' });
    expect(failed).toMatchObject({ actor: 'user:viewer', action: 'sign_in_failed' });
    expect(unknown).toMatchObject({ actor: 'unknown', action: 'sign_in_failed' });
    expect(JSON.stringify(unknown)).not.toContain('correct-horse-battery');
  });

  it('holds no patient details, only pathway ids (and what a search asked, issue #25)', () => {
    s.store.access.flush();
    const all = JSON.stringify([
      ...s.sql.prepare('SELECT * FROM access_log').all(),
      ...s.sql.prepare('SELECT * FROM access_seen').all(),
    ]);
    expect(all).toContain(pathwayId);
    for (const secret of [NHS, NAME, DOB, PASSWORD, 'not-the-password']) expect(all).not.toContain(secret);
  });

  it('is readable by admins only, filtered, and reading it is recorded too', async () => {
    expect((await call(s, 'GET', '/api/audit', { token: viewer })).status).toBe(403);
    const page = await call(s, 'GET', `/api/audit?pathwayId=${pathwayId}`, { token: admin });
    expect(page.status).toBe(200);
    // The pathway viewed, and the PTL page that listed it (issue #25: a list read names what it showed).
    expect(page.body.entries.map((e: { action: string }) => e.action)).toEqual(['ptl_queried', 'pathway_viewed']);
    expect((await call(s, 'GET', '/api/audit?user=VIEWER&action=sign_in', { token: admin })).body.entries).toHaveLength(
      1,
    );
    expect((await call(s, 'GET', '/api/audit?since=1999-02-30', { token: admin })).body).toMatchObject({
      field: 'query.since',
    });
    expect(entries()[0]).toMatchObject({
      actor: 'user:admin',
      action: 'audit_viewed',
      detail: { filters: { user: 'VIEWER', action: 'sign_in' } },
    });
  });

  it("records admins' changes to users and tokens", async () => {
    await call(s, 'PATCH', '/api/users/tracker', { token: admin, body: { role: 'viewer', disabled: true } });
    const made = await call(s, 'POST', '/api/tokens', { token: admin, body: { user: 'viewer' } });
    await call(s, 'DELETE', `/api/tokens/${made.body.tokenId}`, { token: admin });
    expect(
      entries()
        .slice(0, 4)
        .map((e) => [e.action, e.detail?.user]),
    ).toEqual([
      ['token_revoked', 'viewer'],
      ['token_created', 'viewer'],
      ['user_disabled', 'tracker'],
      ['role_changed', 'tracker'],
    ]);
  });
});

describe('the hardening list', () => {
  let s: Server;
  let tracker = '';
  beforeAll(async () => {
    s = await serve();
    s.store.users.add('tracker', 'tracker', PASSWORD);
    s.store.users.add('colleague', 'tracker', PASSWORD);
    tracker = s.store.users.createToken('tracker');
  });

  it('serves patient data with Cache-Control: no-store', async () => {
    for (const path of ['/api/ptl', '/api/backlog', '/api/me'])
      expect((await call(s, 'GET', path, { token: tracker })).headers.get('cache-control')).toBe('no-store');
  });

  it('over plain HTTP sends no upgrade-insecure-requests, no HSTS and no Secure cookie', async () => {
    const page = await fetch(`${s.base}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(page.headers.get('strict-transport-security')).toBeNull();
    // A client's claim to have come over https counts for nothing unless --trust-proxy names its proxy.
    const claimed = await fetch(`${s.base}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(
      (await signIn(s, 'tracker', PASSWORD, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie'),
    ).not.toMatch(/Secure/);
  });

  it("behind a trusted proxy that says https: the upgrade header, HSTS and a Secure cookie; and the client's own address", async () => {
    const proxied = await serve({ trustProxy: 'loopback' });
    proxied.store.users.add('tracker', 'tracker', PASSWORD);
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };
    const page = await fetch(`${proxied.base}/`, { headers });
    expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(page.headers.get('strict-transport-security')).toContain('max-age=');
    const signedIn = await signIn(proxied, 'tracker', PASSWORD, headers);
    expect(signedIn.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(proxied.store.access.query({ action: 'sign_in' }).entries[0]).toMatchObject({ address: '203.0.113.7' });
  });

  it("refuses a websocket from another site's page (Origin), and lets same-origin and scripts without one through", async () => {
    await expect(live(s, { authorization: `Bearer ${tracker}`, origin: 'http://evil.example' })).rejects.toThrow('403');
    (await live(s, { authorization: `Bearer ${tracker}`, origin: s.base })).ws.close();
    (await live(s, { authorization: `Bearer ${tracker}` })).ws.close();
  });

  it('refuses "__proto__" in an event with 400 naming it, as import does, and writes nothing', async () => {
    const before = s.sql.prepare('SELECT count(*) FROM events').pluck().get();
    const top = await call(s, 'POST', '/api/pathways', {
      token: tracker,
      body: `{"type":"referral_received","on":"2026-11-03","route":"urgent_suspected_cancer","tumourSite":"lung","nhsNumber":"${NHS}","__proto__":{"x":1}}`,
    });
    expect([top.status, top.body.field]).toEqual([400, 'body.__proto__']);
    const created = await call(s, 'POST', '/api/pathways', { token: tracker, body: referral('2026-11-02') });
    const inner = await call(s, 'POST', `/api/pathways/${created.body.pathwayId}/events`, {
      token: tracker,
      body: '{"expectedVersion":1,"event":{"type":"triaged","on":"2026-11-03","outcome":"outpatient","__proto__":{"polluted":true}}}',
    });
    expect([inner.status, inner.body.field]).toEqual([400, 'body.event.__proto__']);
    expect(s.sql.prepare('SELECT count(*) FROM events').pluck().get()).toBe(Number(before) + 1);
  });

  it('refuses dates before 2000 in reads with 400 naming the field, and bounds referral and appointment dates (R18)', async () => {
    for (const path of [
      '/api/ptl?asOf=0001-01-01',
      '/api/backlog?asOf=0000-01-01',
      '/api/ptl?asOf=1999-12-31&minDays=100000',
    ]) {
      const r = await call(s, 'GET', path, { token: tracker });
      expect([r.status, r.body.field], path).toEqual([400, 'query.asOf']);
    }
    expect((await call(s, 'GET', '/api/ptl?minDays=1e9', { token: tracker })).status).toBe(400);
    const old = await call(s, 'POST', '/api/pathways', {
      token: tracker,
      body: { ...referral('0000-01-01'), dateOfBirth: undefined },
    });
    expect([old.status, old.body.field]).toEqual([422, 'on']);
    const created = await call(s, 'POST', '/api/pathways', { token: tracker, body: referral('2026-11-10') });
    const far = await call(s, 'POST', `/api/pathways/${created.body.pathwayId}/events`, {
      token: tracker,
      body: {
        expectedVersion: 1,
        event: { type: 'appointment_booked', on: '2026-11-11', appointmentOn: '9999-12-31', appointment: 'first' },
      },
    });
    expect([far.status, far.body.field]).toEqual([422, 'appointmentOn']);
  });

  it('refuses NHS number 0000000000 and a name carrying a right-to-left override', async () => {
    const zeros = await call(s, 'POST', '/api/pathways', {
      token: tracker,
      body: { ...referral('2026-11-10'), nhsNumber: '0000000000' },
    });
    expect([zeros.status, zeros.body.field]).toEqual([400, 'nhsNumber']);
    const rlo = await call(s, 'POST', '/api/pathways', {
      token: tracker,
      body: { ...referral('2026-11-10'), patientName: 'Ann \u202Eeyor' },
    });
    expect([rlo.status, rlo.body.field]).toEqual([400, 'patientName']);
  });

  it('takes the same longest password to set as to sign in (200 characters)', async () => {
    expect((await signIn(s, 'tracker', 'y'.repeat(201))).status).toBe(400);
    const admin = s.store.users.add('boss', 'admin', PASSWORD) && s.store.users.createToken('boss');
    const long = await call(s, 'POST', '/api/users', {
      token: admin,
      body: { name: 'longpass', role: 'viewer', password: 'q7'.repeat(100) + 'z' },
    });
    expect([long.status, long.body.field]).toEqual([400, 'body.password']);
  });

  it("a full disk answers 507 naming the cause, changes nothing, and logs SQLite's code", async () => {
    const before = s.sql.prepare('SELECT count(*) FROM events').pluck().get();
    const db = (s.store as unknown as { db: Db }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    let r = { status: 0, body: {} as Record<string, unknown> };
    for (let i = 0; i < 50 && r.status !== 507; i++)
      r = await call(s, 'POST', '/api/pathways', {
        token: tracker,
        body: { ...referral('2026-11-10'), referrer: `${'r'.repeat(190)}${i}` },
      });
    db.pragma('max_page_count = 1073741823');
    expect(r).toMatchObject({
      status: 507,
      body: { error: 'storage_full', message: expect.stringContaining('disk is full') },
    });
    expect(s.logs.join('')).toMatch(/"code":"SQLITE_FULL"/);
    const after = Number(s.sql.prepare('SELECT count(*) FROM events').pluck().get());
    expect(after - Number(before)).toBeLessThan(50); // the refused one wrote nothing: every other append was whole
    expect(s.sql.prepare('SELECT count(*) FROM pathways').pluck().get()).toBe(
      s.sql.prepare('SELECT count(DISTINCT pathway_id) FROM events').pluck().get(),
    );
  });

  it('accepts an append after the system clock steps back (as NTP may)', async () => {
    const created = await call(s, 'POST', '/api/pathways', { token: tracker, body: referral('2026-11-10') });
    s.clock.set('2026-11-24T09:59:58Z'); // two seconds earlier than the referral was recorded
    const next = await call(s, 'POST', `/api/pathways/${created.body.pathwayId}/events`, {
      token: tracker,
      body: { expectedVersion: 1, event: { type: 'triaged', on: '2026-11-11', outcome: 'outpatient' } },
    });
    s.clock.set('2026-11-24T10:00:00Z');
    expect(next.status).toBe(201);
    const events = s.store.log.ofPathway(created.body.pathwayId);
    expect(events[1]!.recordedAt).toBe(events[0]!.recordedAt);
  });
});

describe('sign-in limits', () => {
  it("a colleague's failures from the same address do not lock out a genuine user; the account and the address each have a limit", async () => {
    const s = await serve();
    s.store.users.add('alice', 'viewer', PASSWORD);
    s.store.users.add('bob', 'viewer', PASSWORD);
    for (let i = 0; i < 6; i++) await signIn(s, 'bob', 'wrong-password');
    expect((await signIn(s, 'bob')).status).toBe(429); // bob from here: locked
    expect((await signIn(s, 'alice')).status).toBe(200); // alice from the same address: not
    expect((await signIn(s, 'ALICE', 'wrong')).status).toBe(401);
  });

  it("behind a trusted proxy counts each client address: 100 failures lock that address only, 20 lock an account, never for the user's usual address", async () => {
    const s = await serve({ trustProxy: 'loopback' });
    s.store.users.add('alice', 'viewer', PASSWORD);
    s.store.users.add('carol', 'viewer', PASSWORD);
    const from = (address: string) => ({ 'x-forwarded-for': address });
    // Alice works at 198.51.100.1. One address tries 100 made-up names (each once): that address is
    // locked for anyone who does not usually sign in there, and nowhere else; Alice, there, is not
    // locked out by someone else's failures (issue #25).
    expect((await signIn(s, 'alice', PASSWORD, from('198.51.100.1'))).status).toBe(200);
    for (let i = 0; i < 100; i++) expect((await signIn(s, `guess${i}`, 'x', from('198.51.100.1'))).status).toBe(401);
    const locked = await signIn(s, 'carol', PASSWORD, from('198.51.100.1'));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await signIn(s, 'alice', PASSWORD, from('198.51.100.1'))).status).toBe(200);
    expect((await signIn(s, 'alice', PASSWORD, from('198.51.100.2'))).status).toBe(200);
    // Carol guessed at from 20 addresses: her account is locked wherever she signs in from, but
    // where she usually signs in; there her own five mistakes still lock her.
    expect((await signIn(s, 'carol', PASSWORD, from('203.0.113.7'))).status).toBe(200);
    for (let i = 0; i < 20; i++) await signIn(s, 'carol', 'wrong', from(`192.0.2.${i}`));
    expect((await signIn(s, 'carol', PASSWORD, from('192.0.2.200'))).status).toBe(429);
    expect((await signIn(s, 'carol', PASSWORD, from('203.0.113.7'))).status).toBe(200);
    for (let i = 0; i < 5; i++) await signIn(s, 'carol', 'wrong', from('203.0.113.7'));
    expect((await signIn(s, 'carol', PASSWORD, from('203.0.113.7'))).status).toBe(429);
    s.clock.advance(15 * 60_000);
    expect((await signIn(s, 'carol', PASSWORD, from('192.0.2.200'))).status).toBe(200);
  }, 60_000);
});

describe('two servers on one database', () => {
  it("a websocket client of one sees the other's writes", async () => {
    const a = await serve();
    const b = await serve({ file: a.file });
    a.store.users.add('viewer', 'viewer', PASSWORD);
    const token = a.store.users.createToken('viewer');
    const socket = await live(a, { authorization: `Bearer ${token}` });
    await socket.received(1);
    const before = JSON.parse(socket.messages[0]!).counts.open;
    expect((await call(b, 'POST', '/api/pathways', { token, body: referral('2026-11-10') })).status).toBe(403); // a viewer
    b.store.users.add('tracker', 'tracker', PASSWORD);
    expect(
      (
        await call(b, 'POST', '/api/pathways', {
          token: b.store.users.createToken('tracker'),
          body: referral('2026-11-10'),
        })
      ).status,
    ).toBe(201);
    await socket.received(2); // pushed when this server's hub notices the other's write
    expect(JSON.parse(socket.messages[1]!).counts.open).toBe(before + 1);
    socket.ws.close();
  });
});
