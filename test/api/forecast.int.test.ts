// GET /api/forecast (issue #23, item 6) on a running server: made in a worker thread, so an append
// is answered while a forecast runs; kept per as-of day and options; each bad option refused with a
// 400 naming the parameter. And the day's forecast writes each open pathway's breach risk, which
// the PTL shows, sorts on and puts in its CSV (item 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { ForecastService } from '../../src/forecast/service.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requestsOf, tempStore } from '../support/store.ts';

// The history ends the day before the server's today: the forecast as at yesterday reads all of it.
const { store, commands, clock } = tempStore('2026-11-23T09:00:00Z');
let running: RunningServer;
let token = '';
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`http://127.0.0.1:${running.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, any> };
};

beforeAll(async () => {
  commands.appendMany(requestsOf(simulate({ referralsPerMonth: 400, months: 8, seed: 6, asOf: '2026-11-22' })));
  running = await startServer({
    store,
    clock,
    logger: createLogger({ level: 'silent' }),
    port: 0,
    dailyForecast: false, // made by the test below, when it asks
  });
  // The past days' backlog counts made beforehand (the answer's history reads them), so all the
  // forecast's own work is in its thread.
  store.backlog.fillNow(null, '2026-11-23');
  store.users.add('tracker', 'tracker', 'tracker-mauve-kettle');
  token = store.users.createToken('tracker');
}, 120_000);
afterAll(async () => running.close());

describe('GET /api/forecast', () => {
  it('answers an append while a forecast runs, then the forecast, the same bytes when asked again', async () => {
    const order: string[] = [];
    const forecast = call('GET', '/api/forecast?weeks=30&runs=300&seed=4').then((r) => {
      order.push('forecast');
      return r;
    });
    await new Promise((r) => setTimeout(r, 200)); // the forecast is under way in its thread
    const append = await call('POST', '/api/pathways', {
      type: 'referral_received',
      on: '2026-11-23',
      route: 'urgent_suspected_cancer',
      tumourSite: 'skin',
      nhsNumber: '9990000018',
    });
    order.push('append');
    expect(append.status).toBe(201);
    const answer = await forecast;
    expect(order).toEqual(['append', 'forecast']);
    expect(answer.status).toBe(200);
    expect(answer.body.asOf).toBe('2026-11-22'); // yesterday: the last whole day recorded
    expect(answer.body.trajectory).toHaveLength(30);
    expect(answer.body.flows.recorded.length).toBeGreaterThan(20);
    // Kept per as-of day and options: the same answer, not made again (the append since is after the as-of day).
    const made = ForecastService.made;
    expect((await call('GET', '/api/forecast?weeks=30&runs=300&seed=4')).text).toBe(answer.text);
    expect(ForecastService.made).toBe(made);
  }, 120_000);

  it('refuses each bad option with a 400 naming the parameter, and computes nothing', async () => {
    const made = ForecastService.made;
    for (const [query, field, words] of [
      ['weeks=0', 'query.weeks', /1/],
      ['runs=5000', 'query.runs', /500/],
      ['site=kidney', 'query.site', /urological/],
      ['provider=raj', 'query.provider', /ODS code/],
      ['capacity=mri%3D%2B20%25', 'query.capacity', /not a resource/],
      ['capacity=test:mri_brain%3D%2B20%25%402026-01-01', 'query.capacity', /not after the as-of day/],
      ['demand=skin%3D%2B5/week', 'query.demand', /percentage/],
      ['target=over62%3C100', 'query.target', /METRIC<N@YYYY-MM-DD/],
      ['target=none&confidence=0.9', 'query.confidence', /only with a target/],
      ['target=none&solve=all', 'query.solve', /needs a target/],
      ['asOf=2026-11-30', 'query.asOf', /future/],
      ['colour=red', 'query.colour', /colour|not|unrecognized/i],
    ] as const) {
      const r = await call('GET', `/api/forecast?${query}`);
      expect([r.status, r.body.field], query).toEqual([400, field]);
      expect(r.body.message, query).toMatch(words);
    }
    expect(ForecastService.made).toBe(made);
    // A resource the calibration has never seen is known only once the history is read.
    const unknown = await call('GET', '/api/forecast?weeks=2&runs=5&capacity=test:x_ray%3D%2B20%25');
    expect([unknown.status, unknown.body.field]).toEqual([400, 'query.capacity']);
    expect(unknown.body.message).toMatch(/no resource "test:x_ray" was used by 2026-11-22/);
  }, 120_000);

  it("answers against the trust's target, set by an admin", async () => {
    store.users.add('admin', 'admin', 'admin-mauve-kettle-orbit');
    const admin = store.users.createToken('admin');
    const patch = await fetch(`http://127.0.0.1:${running.port}/api/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ forecastTarget: 'over62<40@2027-02-28' }),
    });
    expect(patch.status).toBe(200);
    const bad = await call('PATCH', '/api/settings', { forecastTarget: 'over62<40@2027-02-28' });
    expect(bad.status).toBe(403); // a tracker may not set it
    const r = await call('GET', '/api/forecast?weeks=4&runs=20');
    expect(r.body.trustTarget).toBe('over62<40@2027-02-28');
    expect(r.body.target).toMatchObject({ metric: 'over62', below: 40, on: '2027-02-28', confidence: 0.8 });
    expect(r.body.target.probability).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it("shows weeks enough to reach the target's date unless asked for a number (16 at least, 26 at most)", async () => {
    const lastWeek = async (query: string) => {
      const r = await call('GET', `/api/forecast?runs=5&${query}`);
      expect(r.status).toBe(200);
      return { weeks: r.body.trajectory.length as number, last: r.body.trajectory.at(-1).weekEnding as string };
    };
    // From 2026-11-22 (a Sunday): 30 April 2027 is a Friday, within the 23rd Sunday after.
    expect(await lastWeek('target=over62%3C40%402027-04-30')).toEqual({ weeks: 23, last: '2027-05-02' });
    expect(await lastWeek('target=over62%3C40%402027-05-02')).toEqual({ weeks: 23, last: '2027-05-02' });
    expect(await lastWeek('target=over62%3C40%402027-01-10')).toEqual({ weeks: 16, last: '2027-03-14' });
    expect(await lastWeek('target=over62%3C40%402027-12-31')).toEqual({ weeks: 26, last: '2027-05-23' });
    expect(await lastWeek('target=none')).toEqual({ weeks: 16, last: '2027-03-14' });
    expect((await lastWeek('target=over62%3C40%402027-04-30&weeks=4')).weeks).toBe(4);
  }, 120_000);
});

describe("the day's forecast and the PTL's breach risk", () => {
  it('writes each open pathway’s chance of breaching, which the PTL shows, sorts on and exports', async () => {
    const before = await call('GET', '/api/ptl?limit=5');
    expect(before.body.breachRiskFrom).toBeNull(); // before any day's forecast: no column to fill
    expect(before.body.entries.every((e: any) => e.breachRisk === null)).toBe(true);

    const service = new ForecastService(store, clock);
    expect(await service.refreshRisks()).toBe(true);
    expect(await service.refreshRisks()).toBe(false); // once a day
    await service.close();

    const page = await call('GET', '/api/ptl?sort=breachRisk&order=desc&limit=500');
    expect(page.body.breachRiskFrom).toMatchObject({ asOf: '2026-11-22', horizon: '2027-03-14', runs: 200 });
    const risks = page.body.entries.map((e: any) => e.breachRisk?.over62 ?? -1);
    expect(risks).toEqual([...risks].sort((a, b) => b - a)); // highest first
    // Equal risks (those certain to pass 62 days, say): the soonest breach first, so of those already
    // over 62 days the longest waiting.
    let ties = 0;
    page.body.entries.forEach((e: any, i: number, all: any[]) => {
      const before = all[i - 1];
      if (!e.breachRisk || e.breachRisk.over62 !== before?.breachRisk?.over62) return;
      ties++;
      expect(e.breachDate >= before.breachDate).toBe(true);
      if (e.daysWaiting > 62 && before.daysWaiting > 62) expect(e.daysWaiting).toBeLessThanOrEqual(before.daysWaiting);
    });
    expect(ties).toBeGreaterThan(10);
    const withRisk = page.body.entries.filter((e: any) => e.breachRisk);
    expect(withRisk.length).toBeGreaterThan(100);
    // Those already over 62 days are certain to pass it; others are graded.
    for (const e of withRisk) if (e.daysWaiting > 62) expect(e.breachRisk.over62).toBe(1);
    expect(withRisk.some((e: any) => e.breachRisk.over62 > 0 && e.breachRisk.over62 < 1)).toBe(true);
    // The referral made today has no risk yet: the day's forecast was made as at yesterday.
    const today = (await call('GET', '/api/ptl?tumourSite=skin&limit=500')).body.entries.find(
      (e: any) => e.nhsNumber === '9990000018',
    );
    expect(today.breachRisk).toBeNull();
    // The next page goes on from where the first stopped, in the same order.
    const first = await call('GET', '/api/ptl?sort=breachRisk&order=desc&limit=50');
    const second = await call('GET', `/api/ptl?sort=breachRisk&order=desc&limit=50&cursor=${first.body.nextCursor}`);
    expect([...first.body.entries, ...second.body.entries].map((e: any) => e.pathwayId)).toEqual(
      page.body.entries.slice(0, 100).map((e: any) => e.pathwayId),
    );
    const csv = await fetch(`http://127.0.0.1:${running.port}/api/ptl/csv?sort=breachRisk&order=desc`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/,Breach risk,Pathway id$/);
    expect(lines[1]).toMatch(/,100%,[^,]+$/);
  }, 180_000);
});
