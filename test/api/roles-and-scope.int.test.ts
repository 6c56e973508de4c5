// Roles and scope (issue #25). The route table (each route's permission and how a user's scope of
// providers applies, written beside the route in src/api/routes/) is the one shown in
// docs/security.md, and each role's permissions too: a route added without its row fails here.
// The attack campaign (attacks.int.test.ts) walks the same table with every role. And a user scoped
// to some providers gets those providers' counts only, everywhere counts are given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API } from '../../src/api/routes/index.ts';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, rolesWith } from '../../src/auth/roles.ts';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb } from '../../src/store/db.ts';
import { openStore } from '../../src/pathways/open.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { tempDir } from '../support/store.ts';
import { nhsNumber } from '../support/national.ts';

const security = readFileSync(join(import.meta.dirname, '../../docs/security.md'), 'utf8');
/** The rows of the markdown table whose header row starts with `| first |`. */
function table(first: string): string[][] {
  const lines = security.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  expect(start, `docs/security.md has a table starting "| ${first} |"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe('the route table', () => {
  it('docs/security.md lists every route with its permission, the roles that have it, and its scope', () => {
    const expected = Object.entries(API).map(([name, r]) => [
      `\`${r.method.toUpperCase()} ${r.path}\``,
      name,
      r.allow ?? 'anyone',
      r.allow ? rolesWith(r.allow).join(', ') : 'anyone',
      r.scope,
    ]);
    expect(table('route')).toEqual(expected);
  });

  it("docs/security.md shows each role's permissions as src/auth/roles.ts has them", () => {
    expect(table('permission')).toEqual(
      PERMISSIONS.map((p) => [p, ...ROLES.map((r) => (ROLE_PERMISSIONS[r].includes(p) ? 'yes' : ''))]),
    );
  });

  it('every role can sign in and read counts; only admins manage users; a viewer reads no patient', () => {
    for (const role of ROLES) expect(ROLE_PERMISSIONS[role]).toContain('signed_in');
    expect(rolesWith('admin')).toEqual(['admin']);
    expect(ROLE_PERMISSIONS.viewer).toEqual(['signed_in']);
    const patientRoutes = Object.values(API).filter((r) => r.scope === 'pathway' || r.scope === 'trust');
    for (const r of patientRoutes) expect(rolesWith(r.allow!), `${r.method} ${r.path}`).not.toContain('viewer');
  });
});

describe("a scoped user's counts", () => {
  const clock = fixedClock('2026-11-24T10:00:00Z');
  let running: RunningServer;
  let base = '';
  const tokens: Record<string, string> = {};
  const get = async (path: string, as: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tokens[as]}` } });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    const store = openStore(openDb(join(tempDir(), 'scope.db')), clock);
    const commands = new PathwayCommands(store);
    // RAJ: 3 open (one referred 70 days ago, over 62); RQ8: 2 open; one moved from RQ8 to RAJ.
    const referrals: [string, string, string][] = [
      ['A1', 'RAJ', '2026-11-01'],
      ['A2', 'RAJ', '2026-11-10'],
      ['A3', 'RAJ', '2026-09-15'],
      ['B1', 'RQ8', '2026-11-02'],
      ['B2', 'RQ8', '2026-11-03'],
      ['M1', 'RQ8', '2026-11-04'],
    ];
    referrals.forEach(([id, provider, on], i) =>
      commands.append(
        id,
        0,
        {
          type: 'referral_received',
          on,
          route: 'urgent_suspected_cancer',
          tumourSite: 'lung',
          nhsNumber: nhsNumber(i),
          provider,
        },
        { actor: 'test' },
      ),
    );
    commands.append('M1', 1, { type: 'transferred', on: '2026-11-20', toProvider: 'RAJ' }, { actor: 'test' });
    for (const [name, role, providers] of [
      ['all', 'steward', null],
      ['raj', 'steward', ['RAJ']],
      ['rq8', 'viewer', ['RQ8']],
    ] as const) {
      store.users.add(name, role, 'mauve-kettle-orbit', providers ? [...providers] : null);
      tokens[name] = store.users.createToken(name);
    }
    running = await startServer({ store, clock, logger: createLogger({ level: 'silent' }), port: 0 });
    base = `http://127.0.0.1:${running.port}`;
  });
  afterAll(async () => {
    await running.close();
  });

  it("the backlog: the whole trust's for an unscoped user; the providers' own, each pathway where it is now, for a scoped one", async () => {
    const all = (await get('/api/backlog', 'all')).body;
    expect([all.open, all.over62]).toEqual([6, 1]);
    const raj = (await get('/api/backlog', 'raj')).body;
    expect([raj.open, raj.over62, Object.keys(raj.byProvider)]).toEqual([4, 1, ['RAJ']]);
    const rq8 = (await get('/api/backlog', 'rq8')).body;
    expect([rq8.open, rq8.over62, Object.keys(rq8.byProvider)]).toEqual([2, 0, ['RQ8']]);
    expect(raj.open + rq8.open).toBe(all.open); // a transferred pathway is counted once, where it is
  });

  it("the trend, and the filters' providers, are the scope's; an earlier day's full counts are refused", async () => {
    const last = (who: string) =>
      get('/api/backlog/trend?days=7', who).then((r) => r.body.points[r.body.points.length - 1]);
    expect(await last('raj')).toMatchObject({ date: '2026-11-24', open: 4, over62: 1 });
    expect(await last('rq8')).toMatchObject({ date: '2026-11-24', open: 2, over62: 0 });
    expect((await get('/api/vocabulary', 'rq8')).body.providers).toEqual(['RQ8']);
    expect((await get('/api/vocabulary', 'all')).body.providers).toEqual(['RAJ', 'RQ8']);
    const earlier = await get('/api/backlog?asOf=2026-11-20', 'raj');
    expect([earlier.status, earlier.body.error, earlier.body.field]).toEqual([403, 'out_of_scope', 'asOf']);
    expect((await get('/api/backlog?asOf=2026-11-20', 'all')).status).toBe(200);
  });

  it('the PTL: a pathway transferred between providers is seen by both', async () => {
    const ids = async (who: string) =>
      (await get('/api/ptl?limit=500', who)).body.entries.map((e: { pathwayId: string }) => e.pathwayId).sort();
    expect(await ids('raj')).toEqual(['A1', 'A2', 'A3', 'M1']);
    expect(await ids('all')).toEqual(['A1', 'A2', 'A3', 'B1', 'B2', 'M1']);
    expect((await get('/api/ptl', 'rq8')).status).toBe(403); // a viewer: counts only
  });
});
