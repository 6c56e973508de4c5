// Issue #27 over HTTP: GET /api/inequalities (a viewer sees only suppressed figures and never a
// postcode; a tracker the whole figures) and the PTL's deprivation filter (a tracker lists the
// Core20 patients over 62 days).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { createLogger } from '../../src/api/logger.ts';
import { tempStore } from '../support/store.ts';

const PASSWORD = 'mauve-kettle-orbit-lantern';

function setup() {
  const t = tempStore('2026-11-24T10:00:00Z');
  const add = (id: string, on: string, postcode: string, sex: string) =>
    t.commands.append(
      id,
      0,
      {
        type: 'referral_received',
        on,
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: '9434765919',
        postcode,
        sex,
      },
      { actor: 'test' },
    );
  // Quintile 1: 12 over 62 days, 3 not; quintile 5: 20 not over 62; 3 in a postcode not in the lookup.
  for (let i = 0; i < 12; i++) add(`Q1-old-${i}`, '2026-08-03', 'CM1 1AA', '1');
  for (let i = 0; i < 3; i++) add(`Q1-new-${i}`, '2026-11-02', 'CM1 1AA', '2');
  for (let i = 0; i < 20; i++) add(`Q5-${i}`, '2026-11-02', 'SS9 9ZZ', '2');
  for (let i = 0; i < 3; i++) add(`NK-${i}`, '2026-11-02', 'CO1 1XX', '2');
  t.store.imd.replace(
    new Map([
      ['CM1 1AA', 2],
      ['SS9 9ZZ', 9],
    ]),
    { file: 'test.csv', loadedAt: '2026-11-24T09:00:00Z', loadedBy: 'test' },
  );
  const app = createApp({ store: t.store, clock: t.store.clock, logger: createLogger({ level: 'silent' }) });
  const tokens: Record<string, string> = {};
  for (const role of ['viewer', 'tracker'] as const) {
    t.store.users.add(role, role, PASSWORD);
    tokens[role] = t.store.users.createToken(role);
  }
  const get = (role: 'viewer' | 'tracker', path: string, query: Record<string, string>) =>
    request(app).get(path).query(query).set('Authorization', `Bearer ${tokens[role]}`);
  return { ...t, get };
}

describe('GET /api/inequalities', () => {
  it('a viewer gets only suppressed figures, whatever it asks; a tracker the whole figures; never a postcode', async () => {
    const t = setup();
    const viewer = await t.get('viewer', '/api/inequalities', { by: 'deprivation', suppress: 'false' });
    expect(viewer.status).toBe(200);
    expect(viewer.body.suppressed).toBe(true);
    const q = (body: { groups: { group: string }[] }, g: string) => body.groups.find((x) => x.group === g) as any;
    // not known: 3 (hidden), so another cell of the column goes with it: the open counts cannot be worked back.
    expect(q(viewer.body, 'not_known').open).toBeNull();
    expect(viewer.body.groups.filter((g: any) => g.open === null).length).toBeGreaterThanOrEqual(2);
    for (const text of ['CM1', 'SS9', 'CO1']) expect(JSON.stringify(viewer.body)).not.toContain(text);
    const shown = (n: unknown) => n === null || n === 0 || (typeof n === 'number' && n >= 8);
    for (const g of [viewer.body.total, ...viewer.body.groups]) {
      expect([g.open, g.over62, g.over104, ...Object.values(g.bands)].every(shown), g.group).toBe(true);
    }

    const tracker = await t.get('tracker', '/api/inequalities', { by: 'deprivation' });
    expect(tracker.body.suppressed).toBe(false);
    expect(q(tracker.body, '1')).toMatchObject({ core20: true, open: 15, over62: 12 });
    expect(q(tracker.body, '5')).toMatchObject({ reference: true, open: 20, over62: 0 });
    expect(q(tracker.body, 'not_known').open).toBe(3);
    expect(q(tracker.body, '1').rates.over62.rate).toBeCloseTo(0.8, 10);
    const asViewer = await t.get('tracker', '/api/inequalities', { by: 'deprivation', suppress: 'true' });
    expect(asViewer.body).toEqual(viewer.body);
  });

  it('refuses a split that is not one, naming the field', async () => {
    const t = setup();
    const r = await t.get('tracker', '/api/inequalities', { by: 'postcode' });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('query.by');
    const early = await t.get('tracker', '/api/inequalities', { by: 'sex', asOf: '2026-11-01', from: '2026-11-02' });
    expect([early.status, early.body.field]).toEqual([400, 'query.from']);
  });

  it("the PTL lists the Core20 patients over 62 days; the lookup's quintile, read now", async () => {
    const t = setup();
    const core20 = await t.get('tracker', '/api/ptl', { deprivationQuintile: '1', breached: 'true', limit: '100' });
    expect(core20.status).toBe(200);
    expect(core20.body.entries.map((e: any) => e.pathwayId).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `Q1-old-${i}`).sort(),
    );
    const unknown = await t.get('tracker', '/api/ptl', { deprivationQuintile: 'not_known', limit: '100' });
    expect(unknown.body.entries).toHaveLength(3);
    t.store.imd.replace(new Map([['CM1 1AA', 5]]), {
      file: 'b.csv',
      loadedAt: '2026-11-24T09:30:00Z',
      loadedBy: 'test',
    });
    expect((await t.get('tracker', '/api/ptl', { deprivationQuintile: '1', limit: '100' })).body.entries).toHaveLength(
      0,
    );
    expect((await t.get('tracker', '/api/ptl', { deprivationQuintile: '3', limit: '100' })).body.entries).toHaveLength(
      15,
    );
  });
});
