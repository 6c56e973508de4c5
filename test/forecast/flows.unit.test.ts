// The outlook for the trust or one tumour site (issue #23, item 6). Its weekly flows: the runs start
// the day after the as-of day, so the first forecast week takes the days of its week recorded up to
// then, and is not a dip. Its resource table for a site: the clinics, tests and treatments that
// site's pathways used, not the other sites' clinics.
import { describe, expect, it } from 'vitest';
import { addDays, endOfLondonDay, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { forecastWithRisks, type ForecastRequest } from '../../src/forecast/forecast.ts';
import { flows } from '../../src/forecast/model.ts';
import { stewardsOutlook } from '../../src/forecast/outlook.ts';
import type { TumourSite } from '../../src/vocabulary/events.ts';
import { readAsAt } from '../../src/forecast/read.ts';
import { history } from './support.ts';

const sim = { referralsPerMonth: 400, months: 6, seed: 3, asOf: '2026-07-26' as IsoDate };
const req: ForecastRequest = { weeks: 4, runs: 20, seed: 1 };

/** Referrals dated from `from` to `to` and recorded by the end of `asOf`, counted from the events themselves. */
function referralsRecorded(from: IsoDate, to: IsoDate, asOf: IsoDate): number {
  const cut = endOfLondonDay(asOf);
  return history(sim).filter((r) =>
    r.events.some(
      (e) => e.event.type === 'referral_received' && e.recordedAt <= cut && e.event.on >= from && e.event.on <= to,
    ),
  ).length;
}

async function bothWays(asOf: IsoDate) {
  const { input } = readAsAt(history(sim), asOf);
  const { outlook } = await stewardsOutlook(input, req);
  const { counts } = await forecastWithRisks(input, req);
  return { shown: outlook.flows.forecast, runs: flows(counts, req.weeks) };
}

describe("the outlook's first forecast week", () => {
  it('adds the days of its week recorded up to a Wednesday as-of day to those the runs forecast', async () => {
    const wednesday: IsoDate = '2026-06-17';
    const { shown, runs } = await bothWays(wednesday);
    const soFar = referralsRecorded(addDays(wednesday, -2), wednesday, wednesday);
    expect(soFar).toBeGreaterThan(30); // three working days of 400 referrals a month
    expect(shown[0]!.weekEnding).toBe('2026-06-21');
    expect(shown[0]!.referred).toEqual({
      p10: runs[0]!.referred.p10! + soFar,
      p50: runs[0]!.referred.p50! + soFar,
      p90: runs[0]!.referred.p90! + soFar,
    });
    for (const k of ['treated', 'closed'] as const) {
      const added = shown[0]![k].p50! - runs[0]![k].p50!;
      expect(added).toBeGreaterThanOrEqual(0);
      expect(shown[0]![k].p90! - runs[0]![k].p90!).toBe(added);
    }
    expect(shown.slice(1)).toEqual(runs.slice(1));
  });

  it('is the runs alone when the as-of day is a Sunday (its week is whole among the recorded)', async () => {
    const { shown, runs } = await bothWays('2026-06-14');
    expect(shown).toEqual(runs);
  });
});

describe("the outlook's resources for one tumour site", () => {
  it("are its own first clinic and only tests its pathways were sent for; the trust's are all", async () => {
    const asOf: IsoDate = '2026-06-14';
    const { input } = readAsAt(history(sim), asOf);
    const trust = (await stewardsOutlook(input, req)).outlook.resources.map((r) => r.resource);
    expect(trust.filter((r) => r.startsWith('first:')).length).toBeGreaterThan(5);
    const cut = endOfLondonDay(asOf);
    for (const site of ['lower_gi', 'lung'] as TumourSite[]) {
      const shown = (await stewardsOutlook(input, { ...req, site })).outlook.resources.map((r) => r.resource);
      // The tests this site's pathways were sent for, from the events themselves.
      const requested = new Set(
        history(sim)
          .filter((r) => r.events.some((e) => e.event.type === 'referral_received' && e.event.tumourSite === site))
          .flatMap((r) => r.events.filter((e) => e.recordedAt <= cut && e.event.type === 'test_requested'))
          .map((e) => `test:${(e.event as { test: string }).test}`),
      );
      expect(shown).toContain(`first:${site}`);
      expect(shown.filter((r) => r.startsWith('first:'))).toEqual([`first:${site}`]);
      const tests = shown.filter((r) => r.startsWith('test:'));
      expect(tests.length).toBeGreaterThan(0);
      for (const t of tests) expect(requested).toContain(t);
      for (const r of shown) expect(trust).toContain(r);
    }
  });
});
