// Bulk reads leave a trace (issue #25): a harvest through search, and every list that names
// patients, is in the access log with the patients it showed, and "who saw this patient" answers
// by NHS number, on the API and the command line; a user's unusual volume is flagged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb } from '../../src/store/db.ts';
import { openStore } from '../../src/pathways/open.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { SEARCH_LIMIT } from '../../src/store/search.ts';
import { tempDir } from '../support/store.ts';
import { nhsNumber, record } from '../support/national.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';
import type { Store } from '../../src/store/store.ts';

const PASSWORD = 'mauve-kettle-orbit';
const PATIENTS = 30;
const bin = join(import.meta.dirname, '../../bin/openptl.js');

let running: RunningServer;
let base = '';
let file = '';
const tokens: Record<string, string> = {};
let opened: Store;
const store = () => opened;

beforeAll(async () => {
  file = join(tempDir(), 'reads.db');
  const clock = fixedClock('2026-11-24T10:00:00Z');
  const s = openStore(openDb(file), clock);
  opened = s;
  for (let i = 0; i < PATIENTS; i++)
    record(s, `H${i}`, {
      type: 'referral_received',
      on: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}` as IsoDate,
      route: 'urgent_suspected_cancer',
      tumourSite: 'lung',
      nhsNumber: nhsNumber(i),
      patientName: `Harriet Hartley`,
      dateOfBirth: '1950-01-01',
    });
  for (const [name, role] of [
    ['admin', 'admin'],
    ['harvester', 'steward'],
    ['counts', 'viewer'],
  ] as const) {
    s.users.add(name, role, PASSWORD);
    tokens[name] = s.users.createToken(name);
  }
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  running = await startServer({ store: s, clock, logger: createLogger({ destination: quiet }), port: 0 });
  base = `http://127.0.0.1:${running.port}`;
});
afterAll(async () => {
  await running.close();
});

async function get(path: string, as: string) {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${tokens[as]}` } });
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
  };
}

/** The access log's entries that showed this patient, as the admin's Audit page asks for them. */
async function whoSaw(nhs: string): Promise<{ actor: string; action: string }[]> {
  const r = await get(`/api/audit?nhsNumber=${nhs}&limit=100`, 'admin');
  expect(r.status).toBe(200);
  return r.body.entries.filter((e: { action: string }) => e.action !== 'audit_viewed');
}

describe('a harvest through search', () => {
  it('needs three letters, is capped, and each patient it showed is found in the audit by NHS number', async () => {
    expect((await get('/api/search?q=ha', 'harvester')).body).toMatchObject({ field: 'q' });
    expect((await get('/api/search?q=hart', 'counts')).status).toBe(403); // a viewer sees counts only
    const found = await get('/api/search?q=hart', 'harvester');
    expect(found.body.results).toHaveLength(SEARCH_LIMIT);
    expect(found.body.more).toBe(true);
    const shown = new Set<string>(found.body.results.map((r: { nhsNumber: string }) => r.nhsNumber));
    const notShown = Array.from({ length: PATIENTS }, (_, i) => nhsNumber(i)).filter((n) => !shown.has(n));
    expect(notShown).toHaveLength(PATIENTS - SEARCH_LIMIT);
    for (const nhs of [...shown].slice(0, 3))
      expect(await whoSaw(nhs)).toEqual([
        expect.objectContaining({ actor: 'user:harvester', action: 'patients_searched' }),
      ]);
    expect(await whoSaw(notShown[0]!)).toEqual([]); // not shown, so not seen
    const entry = store().access.query({ action: 'patients_searched', limit: 1 }).entries[0];
    expect(entry?.detail).toMatchObject({ q: 'hart', found: SEARCH_LIMIT, more: true });
  });

  it('a search by an NHS number that finds nobody still names the patient asked about', async () => {
    const stranger = nhsNumber(500);
    expect((await get(`/api/search?q=${stranger}`, 'harvester')).body.results).toEqual([]);
    expect(await whoSaw(stranger)).toEqual([expect.objectContaining({ action: 'patients_searched' })]);
  });
});

describe('every list that names patients', () => {
  it('is in the access log with the patients it showed: the PTL, its CSV, the 31-day PTL, awaiting MDT, a pathway', async () => {
    const target = nhsNumber(7);
    const reads = [
      ['/api/ptl?limit=500', 'ptl_queried'],
      ['/api/ptl/csv', 'ptl_downloaded'],
      ['/api/ptl/subsequent', 'ptl31_queried'],
      ['/api/mdt/awaiting', 'mdt_awaiting_viewed'],
      ['/api/pathways/H7', 'pathway_viewed'],
    ] as const;
    const before = (await whoSaw(target)).length;
    for (const [path, action] of reads) {
      const r = await get(path, 'harvester');
      expect(r.status, path).toBe(200);
      const seen = await whoSaw(target);
      // The 31-day PTL and awaiting MDT list only pathways with a decision to treat or awaiting
      // MDT: a fresh referral is not on them, and is not logged as seen there.
      if (action === 'ptl31_queried' || action === 'mdt_awaiting_viewed')
        expect(
          seen.map((e) => e.action),
          path,
        ).not.toContain(action);
      else expect(seen[0], path).toMatchObject({ actor: 'user:harvester', action });
    }
    expect((await whoSaw(target)).length).toBe(before + 3);
    // The lists themselves are still logged, with how much they showed.
    const actions = store()
      .access.query({ user: 'harvester', limit: 50 })
      .entries.map((e) => e.action);
    for (const [, action] of reads) expect(actions).toContain(action);
  });
});

describe('unusual volumes', () => {
  it("flag a user's hour with reads of more distinct patients than the trust's setting, for admins only", async () => {
    store().settings.set('auditPatientsPerHour', '10');
    const r = await get('/api/audit/volumes?since=2026-11-24', 'admin');
    expect(r.body).toMatchObject({ since: '2026-11-24', threshold: 10 });
    expect(r.body.hours).toEqual([{ actor: 'user:harvester', hour: '2026-11-24T10:00:00Z', patients: PATIENTS + 1 }]);
    store().settings.set('auditPatientsPerHour', String(PATIENTS + 1));
    expect((await get('/api/audit/volumes?since=2026-11-24', 'admin')).body.hours).toEqual([]);
    expect((await get('/api/audit/volumes', 'harvester')).status).toBe(403);
  });
});

describe('`openptl audit --nhs-number`', () => {
  it('answers who saw this patient from the command line, and refuses a number that fails its check digit', () => {
    store().access.flush();
    const r = spawnSync(process.execPath, [bin, 'audit', '--nhs-number', nhsNumber(7), '--db', file], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: string; action: string });
    expect(lines.filter((e) => e.actor === 'user:harvester').map((e) => e.action)).toEqual(
      expect.arrayContaining(['patients_searched', 'ptl_queried', 'ptl_downloaded', 'pathway_viewed']),
    );
    const bad = spawnSync(process.execPath, [bin, 'audit', '--nhs-number', '9434765918', '--db', file], {
      encoding: 'utf8',
    });
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(/--nhs-number: not a valid NHS number/)]);
  });
});

describe('assignments', () => {
  it('are in the access log: who assigned which patients to whom', async () => {
    const res = await fetch(`${base}/api/assignments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pathwayIds: ['H1', 'H2'], assignee: 'admin' }),
    });
    expect(res.status).toBe(200);
    const entry = store().access.query({ action: 'pathways_assigned', limit: 1 }).entries[0];
    expect(entry).toMatchObject({ actor: 'user:admin', detail: { assignee: 'admin', pathways: 2 } });
    expect((await whoSaw(nhsNumber(1))).map((e) => e.action)).toContain('pathways_assigned');
  });
});
