// The latest nightly report with none kept (no --reports-dir): yesterday's, made in slices that
// give way to other requests (a pass over every open pathway), once a day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathwayCommands } from '../../src/pathways/commands.ts';
import { reportSlices } from '../../src/report/report.ts';
import { SLICE } from '../../src/slices.ts';
import type { Store } from '../../src/store/store.ts';
import { nhsNumber } from '../support/national.ts';
import { serveForTest, type TestServer } from '../support/server.ts';
import { tempStore } from '../support/store.ts';

const OPEN = 4 * SLICE + 1;
let store: Store;
let server: TestServer;

beforeAll(async () => {
  ({ store } = tempStore('2026-11-24T10:00:00Z'));
  const written = new PathwayCommands(store).appendMany(
    Array.from({ length: OPEN }, (_, i) => ({
      pathwayId: `P${i}`,
      recordedAt: '2026-11-02T12:00:00.000Z' as const,
      actor: 'test',
      event: {
        type: 'referral_received',
        on: '2026-11-02',
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: nhsNumber(i),
      },
    })),
  );
  expect(written.every((r) => r === 'written')).toBe(true);
  server = await serveForTest(store, ['steward']);
});
afterAll(async () => server.running.close());

const latest = () =>
  fetch(`${server.base}/api/reports/latest`, { headers: { authorization: `Bearer ${server.tokens.steward}` } });

describe('the latest report made now', () => {
  it('is made in slices: it gives way every SLICE pathways and still counts every one', () => {
    const work = reportSlices(store, '2026-11-23');
    let gaveWay = 0;
    let step = work.next();
    for (; !step.done; step = work.next()) gaveWay++;
    expect(gaveWay).toBeGreaterThanOrEqual(Math.floor(OPEN / SLICE)); // one pass reads every open pathway
    expect(step.value.backlog.open).toBe(OPEN);
  });

  it('answers other requests while it is made, then the report for yesterday', async () => {
    // Two connections open, so neither request below waits for one.
    await Promise.all([server.call('GET', '/api/me', 'steward'), server.call('GET', '/api/me', 'steward')]);
    const answered: string[] = [];
    const report = latest().then((res) => (answered.push('report'), res));
    const me = server.call('GET', '/api/me', 'steward').then((res) => (answered.push('me'), res));
    expect((await me).status).toBe(200);
    const res = await report;
    expect(answered).toEqual(['me', 'report']);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1>Cancer PTL breach report, 23 Nov 2026</h1>');
    expect(html).toContain(String(OPEN));
  });

  it('is made once a day: a second request gets the same page', async () => {
    const [a, b] = await Promise.all([latest(), latest()]);
    expect(await a.text()).toBe(await b.text());
  });
});
