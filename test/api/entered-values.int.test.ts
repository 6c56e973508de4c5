// The smaller items of issue #25 over HTTP: a date of birth from 1900 to today, follow-up and
// meeting dates within two years of today, and a delay comment a spreadsheet would run refused at
// input (the national file carries it as typed); each refusal names the field and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { openStore } from '../../src/pathways/open.ts';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { tempDir } from '../support/store.ts';

let running: RunningServer;
let sql: Db;
let base = '';
let token = '';

beforeAll(async () => {
  const file = join(tempDir(), 'entered.db');
  const clock = fixedClock('2026-11-24T10:00:00Z');
  const store = openStore(openDb(file), clock);
  store.users.add('nurse', 'tracker', 'mauve-kettle-orbit');
  token = store.users.createToken('nurse');
  sql = openDb(file);
  running = await startServer({ store, clock, logger: createLogger({ level: 'silent' }), port: 0 });
  base = `http://127.0.0.1:${running.port}`;
});
afterAll(async () => {
  await running.close();
});

async function post(path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const written = () => sql.prepare('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM mdt_meetings)').get();
const referral = (extra: object = {}) => ({
  type: 'referral_received',
  on: '2026-11-02',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
  ...extra,
});

describe('values a tracker enters', () => {
  it('a date of birth before 1900 or after today is refused naming the field; 1900-01-01 and the day of the referral are taken', async () => {
    for (const dateOfBirth of ['0001-01-01', '1899-12-31', '2026-11-25']) {
      const before = written();
      const r = await post('/api/pathways', referral({ dateOfBirth }));
      // A future date is refused by the schema (400); an implausible past one by the guard rails (422).
      expect([r.status, r.body.field], dateOfBirth).toEqual([dateOfBirth > '2026' ? 400 : 422, 'dateOfBirth']);
      expect(r.body.message).toMatch(/check the year|must not be after/);
      expect(written()).toEqual(before);
    }
    for (const dateOfBirth of ['1900-01-01', '2026-11-02'])
      expect((await post('/api/pathways', referral({ dateOfBirth }))).status, dateOfBirth).toBe(201);
  });

  it('a follow-up date more than two years from today is refused (one in 9999 would leave "due today" for ever)', async () => {
    const { pathwayId } = (await post('/api/pathways', referral())).body;
    const note = (followUpOn: string) => ({
      expectedVersion: 1,
      event: { type: 'note', on: '2026-11-24', text: 'chase the CT', followUpOn },
    });
    const far = await post(`/api/pathways/${pathwayId}/events`, note('9999-12-31'));
    expect([far.status, far.body.field]).toEqual([422, 'followUpOn']);
    expect(far.body.message).toMatch(/more than two years after today/);
    expect((await post(`/api/pathways/${pathwayId}/events`, note('2028-11-24'))).status).toBe(201);
  });

  it('an MDT meeting more than two years from today is refused naming meetsOn', async () => {
    const before = written();
    const far = await post('/api/mdt/meetings', { tumourSite: 'lung', meetsOn: '2062-11-30', name: 'Lung MDT' });
    expect([far.status, far.body.field]).toEqual([400, 'meetsOn']);
    expect(written()).toEqual(before);
    expect(
      (await post('/api/mdt/meetings', { tumourSite: 'lung', meetsOn: '2026-11-30', name: 'Lung MDT' })).status,
    ).toBe(201);
  });

  it('a delay comment a spreadsheet would run as a formula is refused at input; one starting with a word is taken', async () => {
    const { pathwayId } = (await post('/api/pathways', referral())).body;
    const seen = (delayComment: string) => ({
      expectedVersion: 1,
      event: { type: 'first_seen', on: '2026-11-20', delayReason: '01', delayComment },
    });
    for (const formula of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)']) {
      const r = await post(`/api/pathways/${pathwayId}/events`, seen(formula));
      expect([r.status, r.body.field], formula).toEqual([422, 'delayComment']);
      expect(r.body.message).toMatch(/spreadsheet would run as a formula/);
    }
    expect((await post(`/api/pathways/${pathwayId}/events`, seen('Clinic cancelled = rebooked'))).status).toBe(201);
  });
});
