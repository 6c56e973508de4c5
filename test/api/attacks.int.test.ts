// An attack campaign against a real server on loopback, counted: every kind of credential (every
// role, a user scoped to one provider, a session that must change its password) against every
// protected route, as the route table says (each route's permission and scope, src/api/routes/);
// a scoped tracker against every route that reads or changes a pathway, aimed at another
// provider's patient; hostile values in every query and path parameter, prototype pollution in
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
import { can, ROLES, type User } from '../../src/auth/roles.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import { writeReport } from '../../src/report/write.ts';
import { hl7 } from '../support/hl7.ts';
import { mkdirSync } from 'node:fs';
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
let reportsDir = '';
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
  reportsDir = join(tempDir(), 'reports');
  mkdirSync(reportsDir);
  running = await startServer({
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    port: 0,
    hub: { accessCheckMs: 100 },
    reportsDir,
  });
  base = `http://127.0.0.1:${running.port}`;
  for (const role of ROLES) store.users.add(role.replace('_', '-'), role, PASSWORD);
  store.users.add('raj-tracker', 'tracker', PASSWORD, ['RAJ']);
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
    const session = async (name: string, password = PASSWORD) => {
      const r = await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password }),
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
    const admin = store.users.list().find((u) => u.name === 'admin')!;
    const expiredSession = `openptl_session=${store.users.createSession(admin).token}`;
    clock.set('2026-11-24T10:00:00Z');
    const signedOut = await session('admin');
    await fetch(`${base}/api/session`, { method: 'DELETE', headers: { cookie: signedOut } });
    // A user kept from the first release with a password the policy now refuses: their session may only change it.
    sql
      .prepare(
        "INSERT INTO users (name, role, password_hash, created_at, password_checked) VALUES ('oldtimer', 'tracker', ?, '2025-01-01T00:00:00Z', 0)",
      )
      .run(hashPassword('password'));
    const token = (name: string) => ({ authorization: `Bearer ${store.users.createToken(name)}` });
    type Who = Pick<User, 'role' | 'providers'> & { mustChangePassword?: boolean };
    const credentials: [string, Record<string, string>, Who | null][] = [
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
      ...ROLES.filter((r) => r !== 'admin').map((role): [string, Record<string, string>, Who] => [
        role,
        token(role.replace('_', '-')),
        { role, providers: null },
      ]),
      ['admin session', { cookie: await session('admin') }, { role: 'admin', providers: null }],
      ['tracker scoped to RAJ', token('raj-tracker'), { role: 'tracker', providers: ['RAJ'] }],
      [
        'session with a weak first-release password',
        { cookie: await session('oldtimer', 'password') },
        { role: 'tracker', providers: null, mustChangePassword: true },
      ],
    ];
    const before = state();
    const routes = Object.entries(API).filter(([, r]) => r.allow !== null);
    for (const [name, route] of routes) {
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
      for (const [kind, headers, who] of credentials) {
        const r = await send(route.method.toUpperCase(), path, headers, body);
        count('credential x route', r.status);
        const what = `${kind} ${route.method} ${path}`;
        const error = r.status >= 400 ? (JSON.parse(r.text) as { error: string }).error : null;
        if (who === null) expect(r.status, what).toBe(401);
        else if (who.mustChangePassword && !['me', 'changePassword'].includes(name))
          expect([r.status, error], what).toEqual([403, 'password_change_required']);
        else if (!can(who, route.allow!)) expect([r.status, error], what).toEqual([403, 'forbidden']);
        else if (route.scope === 'trust' && who.providers)
          expect([r.status, error], what).toEqual([403, 'out_of_scope']);
        else expect([401, 403], what).not.toContain(r.status);
        expect(r.status).toBeLessThan(500);
      }
    }
    expect(state()).toEqual(before);
  });

  it("a tracker scoped to one provider, against every route that reads or changes a pathway, aimed at another provider's patient: refused or left out, nothing changed", async () => {
    // RQ8's patient, RAJ's patient, and one transferred from RQ8 to RAJ (seen by both).
    const OTHER_NHS = '9990000026';
    const referral = (nhsNumber: string, provider: string, patientName: string) => ({
      type: 'referral_received',
      on: '2026-09-01',
      route: 'urgent_suspected_cancer',
      tumourSite: 'lung',
      nhsNumber,
      patientName,
      provider,
      localPatientId: `L${nhsNumber}`,
    });
    const steps = [
      { type: 'first_seen', on: '2026-09-05' },
      { type: 'test_reported', on: '2026-11-18', test: 'CT chest' },
    ];
    for (const [id, nhs, provider, name] of [
      ['P-RQ8', OTHER_NHS, 'RQ8', 'Other Provider'],
      ['P-RAJ', '9990000018', 'RAJ', 'Own Provider'],
      ['P-MOVED', '9990000034', 'RQ8', 'Moved Across'],
    ] as const) {
      commands.append(id, 0, referral(nhs, provider, name), { actor: 'test' });
      steps.forEach((e, i) => commands.append(id, i + 1, e, { actor: 'test' }));
    }
    commands.append('P-MOVED', 3, { type: 'transferred', on: '2026-11-19', toProvider: 'RAJ' }, { actor: 'test' });
    // Another of RQ8's pathways for the same patient, awaiting a treatment after the first: on the 31-day PTL.
    for (const [i, e] of [
      referral(OTHER_NHS, 'RQ8', 'Other Provider'),
      { type: 'decision_to_treat', on: '2026-09-20' },
      { type: 'treatment_started', on: '2026-10-20', modality: 'surgery' },
      { type: 'decision_to_treat', on: '2026-11-10', id: 'second' },
    ].entries())
      commands.append('P-RQ8B', i, e, { actor: 'test' });
    const feed = new Hl7Feed(store, commands, clock);
    for (const [id, nhs] of [
      ['S1', OTHER_NHS],
      ['S2', OTHER_NHS],
      ['S3', '9990000018'],
    ] as const)
      feed.receive(hl7({ type: 'SIU^S12', id, nhs, local: null, start: '202612011030' }));
    const proposals = store.inbox
      .open(100, 0)
      .filter((p) => p.pathwayId.startsWith('P-RQ8'))
      .map((p) => p.proposalId);
    const meeting = store.mdt.create(
      { tumourSite: 'lung', meetsOn: '2026-11-23', name: 'Lung MDT' },
      'test',
      clock.now().toISOString(),
    );
    store.mdt.add(meeting.meetingId, ['P-RQ8', 'P-RAJ'], 'test', clock.now().toISOString());
    writeReport(store, '2026-11-23', reportsDir, 0); // one page per provider too
    const scoped = { authorization: `Bearer ${store.users.createToken('raj-tracker')}` };
    const m = meeting.meetingId;
    const samples: Record<string, [string, string, unknown?]> = {
      createPathway: ['POST', '/api/pathways', referral('9990000042', 'RQ8', 'New Elsewhere')],
      appendEvent: [
        'POST',
        '/api/pathways/P-RQ8/events',
        { expectedVersion: 6, event: { type: 'note', on: '2026-11-24', text: 'x' } },
      ],
      pathway: ['GET', '/api/pathways/P-RQ8'],
      ptl: ['GET', '/api/ptl?limit=500'],
      ptlCsv: ['GET', '/api/ptl/csv'],
      ptl31: ['GET', '/api/ptl/subsequent'],
      timedPathwayPatients: ['GET', '/api/timed-pathways/patients?weeks=12'],
      search: ['GET', `/api/search?q=${OTHER_NHS}`],
      assign: ['POST', '/api/assignments', { pathwayIds: ['P-RQ8'], assignee: 'tracker' }],
      reports: ['GET', '/api/reports'],
      reportFile: ['GET', '/api/reports/report-2026-11-23.html'],
      mdtMeeting: ['GET', `/api/mdt/meetings/${m}`],
      addMdtPatients: ['POST', `/api/mdt/meetings/${m}/patients`, { pathwayIds: ['P-RQ8'] }],
      removeMdtPatient: ['DELETE', `/api/mdt/meetings/${m}/patients/P-RQ8`],
      deferMdtPatient: ['POST', `/api/mdt/meetings/${m}/patients/P-RQ8/defer`, { toMeetingId: m + 1 }],
      recordMdtOutcome: [
        'POST',
        `/api/mdt/meetings/${m}/outcomes`,
        { pathwayId: 'P-RQ8', expectedVersion: 3, decision: 'treatment_plan_agreed' },
      ],
      awaitingMdt: ['GET', '/api/mdt/awaiting'],
      inbox: ['GET', '/api/inbox'],
      acceptProposals: ['POST', '/api/inbox/accept', { ids: proposals }],
      acceptProposal: ['POST', `/api/inbox/${proposals[0]}/accept`, {}],
      rejectProposal: ['POST', `/api/inbox/${proposals[1]}/reject`, { reason: 'not ours' }],
    };
    const pathwayRoutes = Object.entries(API).filter(([, r]) => r.scope === 'pathway');
    expect(Object.keys(samples).sort(), 'a scope sample for every route whose scope is pathway').toEqual(
      pathwayRoutes.map(([name]) => name).sort(),
    );
    const other = () =>
      sql
        .prepare(
          `SELECT (SELECT sum(version) FROM pathways WHERE pathway_id LIKE 'P-RQ8%') AS version,
          (SELECT count(*) FROM assignments WHERE pathway_id = 'P-RQ8') AS assigned,
          (SELECT count(*) FROM mdt_patients WHERE pathway_id = 'P-RQ8') AS listed,
          (SELECT group_concat(status) FROM inbox_proposals WHERE pathway_id = 'P-RQ8') AS proposals,
          (SELECT count(*) FROM pathways) AS pathways`,
        )
        .get();
    const before = other();
    for (const [name, [method, path, body]] of Object.entries(samples)) {
      const r = await send(method, path, scoped, body);
      count('scoped tracker x pathway route', r.status);
      expect(r.status, `${name} ${path}`).toBeLessThan(500);
      if (r.status === 403) expect(JSON.parse(r.text).error, name).toBe('out_of_scope');
      else {
        // Let through, it shows nothing of the other provider's patient.
        for (const secret of ['P-RQ8', OTHER_NHS, 'Other Provider'])
          expect(r.text, `${name} ${path}`).not.toContain(secret);
      }
    }
    expect(other()).toEqual(before);
    // Seen by both: the pathway transferred from RQ8 to RAJ is on the RAJ tracker's PTL; RAJ's own too.
    const ptl = JSON.parse((await send('GET', '/api/ptl?limit=500', scoped)).text);
    expect(ptl.entries.map((e: { pathwayId: string }) => e.pathwayId).sort()).toEqual(['P-MOVED', 'P-RAJ']);
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
