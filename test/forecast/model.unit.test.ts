// The forward model: the same seed gives the same bytes, levers move the backlog the way they
// should, and each open pathway gets its chance of passing 62 days within the horizon.
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/vocabulary/calendar.ts';
import { breachRisks, forecast, type ForecastRequest } from '../../src/forecast/forecast.ts';
import { weekEndings } from '../../src/forecast/model.ts';
import { BACKGROUND_NICE, ForecastPool } from '../../src/forecast/pool.ts';
import { readAsAt } from '../../src/forecast/read.ts';
import { history } from './support.ts';

const asOf = '2026-06-10';
const { input } = readAsAt(history({ referralsPerMonth: 400, months: 6, seed: 5, asOf: '2026-07-26' }), asOf);
const req: ForecastRequest = { weeks: 8, runs: 40, seed: 7 };
const from = dayNumber(asOf) + 1;

describe('the forecast', () => {
  it('gives the same bytes for the same seed, and other numbers for another', async () => {
    const a = JSON.stringify(await forecast(input, req));
    expect(JSON.stringify(await forecast(input, req))).toBe(a);
    expect(JSON.stringify(await forecast(input, { ...req, seed: 8 }))).not.toBe(a);
  });

  it('gives the same bytes with its runs shared among one, two or three worker threads', async () => {
    const lever = {
      kind: 'capacity' as const,
      resource: Object.keys(input.calibration.resources)[0]!,
      percent: 0.3,
      from,
    };
    const asked = { ...req, runs: 13, levers: [lever] }; // blocks of uneven size
    const alone = JSON.stringify([await forecast(input, asked), await breachRisks(input, asked)]);
    for (const workers of [1, 2, 3]) {
      const pool = new ForecastPool(workers);
      try {
        const shared = [await forecast(input, asked, pool.runner), await breachRisks(input, asked, pool.runner)];
        expect(JSON.stringify(shared), `${workers} workers`).toBe(alone);
      } finally {
        await pool.close();
      }
    }
  });

  // The server's pool (service.ts) must not slow the trackers' appends while it forecasts: Linux keeps a
  // niceness per thread, so its thread is made nicer and the rest of the process is not.
  it.runIf(process.platform === 'linux')(
    "runs a background pool's thread, and no other, at a lower priority, with the same bytes",
    async () => {
      const mine = getPriority();
      // The threads of this process made nicer than this one: thread id and niceness (field 19 of stat).
      const nicer = () =>
        readdirSync('/proc/self/task')
          .map((tid) => {
            const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
            return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
          })
          .filter(([, nice]) => nice > mine);
      const before = nicer().map(([tid]) => tid);
      const made = () => nicer().filter(([tid]) => !before.includes(tid));
      const alone = JSON.stringify(await forecast(input, req));
      for (const background of [false, true]) {
        const pool = new ForecastPool(1, undefined, background);
        try {
          expect(JSON.stringify(await forecast(input, req, pool.runner))).toBe(alone);
          expect(
            made().map(([, nice]) => nice),
            `background: ${background}`,
          ).toEqual(background ? [Math.min(19, mine + BACKGROUND_NICE)] : []);
        } finally {
          await pool.close();
        }
      }
      expect(getPriority()).toBe(mine); // this thread as it was
    },
  );

  it('counts at each Sunday after the as-of day, with bands in order', async () => {
    const out = await forecast(input, req);
    expect(Object.keys(out)).toEqual(['asOf', 'weeks', 'runs', 'trajectory']);
    expect(out.trajectory.map((w) => w.weekEnding)).toEqual([
      '2026-06-14',
      '2026-06-21',
      '2026-06-28',
      '2026-07-05',
      '2026-07-12',
      '2026-07-19',
      '2026-07-26',
      '2026-08-02',
    ]);
    for (const w of out.trajectory)
      for (const band of [w.open, w.over62, w.over104, w.fds, w.d62]) {
        expect(band.p10!).toBeLessThanOrEqual(band.p50!);
        expect(band.p50!).toBeLessThanOrEqual(band.p90!);
      }
    expect(weekEndings(dayNumber('2026-06-14'), 1)).toEqual([dayNumber('2026-06-21')]); // a Sunday's own week has ended
  });

  it('grows the over-62 backlog when the busiest first clinic loses most of its capacity, and shrinks it when referrals fall', async () => {
    const busiest = Object.values(input.calibration.resources)
      .filter((r) => r.kind === 'first')
      .sort((a, b) => b.demandPerWeek - a.demandPerWeek)[0]!.name;
    // Sixteen weeks: patients referred after the as-of day need nine weeks to pass 62 days.
    const long = { ...req, weeks: 16, runs: 20 };
    const over62 = async (r: ForecastRequest) => (await forecast(input, r)).trajectory.at(-1)!.over62.p50!;
    const base = await over62(long);
    expect(
      await over62({ ...long, levers: [{ kind: 'capacity', resource: busiest, percent: -0.9, from }] }),
    ).toBeGreaterThan(base * 2);
    const sites = [...new Set(input.calibration.arrivals.streams.map((s) => s.site))];
    expect(
      await over62({ ...long, levers: sites.map((site) => ({ kind: 'demand' as const, site, percent: -0.9, from })) }),
    ).toBeLessThan(base);
  });

  it('gives the chance of passing 62 days: 1 for those already over, none for a horizon too short to reach day 63', async () => {
    const risks = await breachRisks(input, req);
    expect(risks.map((r) => r.pathwayId)).toEqual(input.open.map((o) => o.id));
    const last = weekEndings(dayNumber(asOf), req.weeks).at(-1)!;
    input.open.forEach((o, i) => {
      const risk = risks[i]!;
      if (o.breach62 <= dayNumber(asOf)) expect(risk.over62).toBe(1);
      if (o.breach62 > last) expect(risk.over62).toBe(0);
      expect(risk.fdsBreach === null).toBe(!o.fdsRunning);
    });
    const middling = risks.filter((r) => r.over62 > 0 && r.over62 < 1);
    expect(middling.length).toBeGreaterThan(10); // the chances are graded, not all or nothing
  });

  it('gives the share of runs meeting a target, higher for a more generous one', async () => {
    const on = '2026-07-26';
    const p = async (below: number) =>
      (await forecast(input, { ...req, target: { metric: 'over62', below, on } })).target!.probability;
    const p50 = (await forecast(input, req)).trajectory.find((w) => w.weekEnding === on)!.over62.p50!;
    expect(await p(Math.round(p50 * 0.5))).toBeLessThan(0.2);
    expect(await p(Math.round(p50 * 2) + 1)).toBeGreaterThan(0.8);
  });
});
