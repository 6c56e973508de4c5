// The forecast's bands widened by the model's own error (bands.ts): the error scale from a nested
// backtest, smoothed as a random walk over the weeks ahead; the runs' spread and that error in
// quadrature, never narrower than the runs'; and the nested backtest reads nothing after the as-of day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, endOfLondonDay, type IsoDate } from '../../src/vocabulary/calendar.ts';
import {
  chanceBelow,
  chanceVariance,
  errorScale,
  errorScaleAsAt,
  NESTED_HISTORY_WEEKS,
  measurable,
  modelError,
  nestedDays,
  nestedFrom,
  unmeasured,
  walkScale,
  widenBand,
  widenTrajectory,
} from '../../src/forecast/bands.ts';
import { readBacktest } from '../../src/forecast/backtest.ts';
import { inThread } from '../../src/forecast/forecast.ts';
import { normalCdf, normalQuantile } from '../../src/forecast/distributions.ts';
import type { Band, WeekForecast } from '../../src/forecast/model.ts';
import type { ForecastInput } from '../../src/forecast/read.ts';
import { history } from './support.ts';

const week = (weekEnding: IsoDate, p10: number, p50: number, p90: number): WeekForecast => {
  const band = { p10, p50, p90 };
  return { weekEnding, open: band, over62: band, over104: band, fds: band, d62: band };
};

describe('the error scale', () => {
  it('given errors of +10% one week ahead and -20% four weeks ahead, is the root of 0.05 over 5 weeks: 0.1', () => {
    expect(
      walkScale([
        { h: 1, e: 0.1 },
        { h: 4, e: -0.2 },
      ]),
    ).toBeCloseTo(0.1, 10);
    expect(walkScale([])).toBe(0);
  });

  it('given the nested forecast and the backlog as recorded, scores each week ahead relative to its p50', () => {
    // Runs that all agree (no spread): nothing of the errors is chance.
    const nested = [week('2026-06-14', 100, 100, 100), week('2026-06-21', 200, 200, 200)];
    const recorded = { '2026-06-14': 110, '2026-06-21': 160 } as Record<string, number>;
    const scale = errorScale(
      nested,
      (d) => ({ open: recorded[d]!, over62: recorded[d]!, over104: recorded[d]! }),
      '2026-06-07',
      '2026-08-30',
      Infinity,
    );
    // +10% one week ahead, -20% two weeks ahead: sqrt((0.01 + 0.04) / 3).
    expect(scale).toEqual({
      from: '2026-06-07',
      weeks: 2,
      perWeek: { open: 0.1291, over62: 0.1291, over104: 0.1291 },
    });
  });

  it('leaves out a count whose p50 is under 20: mostly chance, which the runs carry', () => {
    const nested = [week('2026-06-14', 1, 2, 4), week('2026-06-21', 100, 100, 100)];
    const scale = errorScale(
      nested,
      () => ({ open: 110, over62: 110, over104: 110 }),
      '2026-06-07',
      '2026-08-30',
      Infinity,
    );
    // Only the second week: +10% two weeks ahead, sqrt(0.01 / 2).
    expect(scale.perWeek.over62).toBe(0.0707);
  });

  it('never reads the backlog after the as-of day', () => {
    const nested = [week('2026-08-23', 90, 100, 110), week('2026-08-30', 90, 100, 110), week('2026-09-06', 9, 10, 11)];
    const read: IsoDate[] = [];
    const scale = errorScale(
      nested,
      (d) => {
        read.push(d);
        return { open: 120, over62: 120, over104: 120 };
      },
      '2026-06-07',
      '2026-08-30',
      20,
    );
    expect(read).toEqual(['2026-08-23', '2026-08-30']);
    expect(scale.weeks).toBe(2);
  });

  it('takes off what chance alone makes of each error: p10 90, p50 100, p90 110 of 20 runs, 10% out, is 5.86%', () => {
    // The runs' sd 20 / (2 x 1.2816) = 7.80, 0.00609 of the p50 squared: what happened is one path
    // drawn with that spread, and a median of 20 runs varies by pi/2 / 20 of it more, 0.00657 in all:
    // sqrt(0.01 - 0.00657) = 0.0586.
    expect(chanceVariance({ p10: 90, p50: 100, p90: 110 }, 20)).toBeCloseTo(0.006567, 6);
    expect(chanceVariance({ p10: 90, p50: 100, p90: 110 }, Infinity)).toBeCloseTo(0.006089, 6);
    expect(chanceVariance({ p10: 100, p50: 100, p90: 100 }, 20)).toBe(0);
    const nested = [week('2026-06-14', 90, 100, 110)];
    const scale = errorScale(nested, () => ({ open: 110, over62: 110, over104: 110 }), '2026-06-07', '2026-08-30', 20);
    expect(scale.perWeek.over62).toBe(0.0586);
    // An error within chance leaves no error of the model's: 0, not a root of a negative.
    expect(walkScale([{ h: 1, e: 0.05, chance: 0.006567 }])).toBe(0);
  });

  it('is larger from more runs (less of each error is their chance), up to the scale of the errors less the spread alone, and below the uncorrected scale', () => {
    const count = fc.integer({ min: 20, max: 2000 });
    const weekArb = fc
      .tuple(count, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), count)
      .map(([p50, below, above, seen]) => ({ band: { p10: Math.max(0, p50 - below), p50, p90: p50 + above }, seen }));
    fc.assert(
      fc.property(
        fc.array(weekArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 400 }),
        (weeks, runs) => {
          const nested = weeks.map((w, i) => ({ ...week(addDays('2026-06-14', 7 * i), 0, 0, 0), over62: w.band }));
          const actual = (d: IsoDate) => {
            const seen = weeks[nested.findIndex((n) => n.weekEnding === d)]!.seen;
            return { open: seen, over62: seen, over104: seen };
          };
          const at = (r: number) => errorScale(nested, actual, '2026-06-07', '2026-09-06', r).perWeek.over62;
          // The same p50s from runs that all agreed: nothing taken off.
          const agreed = nested.map((n) => ({
            ...n,
            over62: { p10: n.over62.p50, p50: n.over62.p50, p90: n.over62.p50 },
          }));
          const uncorrected = errorScale(agreed, actual, '2026-06-07', '2026-09-06', runs).perWeek.over62;
          expect(at(runs)).toBeLessThanOrEqual(at(runs + 1));
          expect(at(runs + 1)).toBeLessThanOrEqual(at(Infinity));
          expect(at(Infinity)).toBeLessThanOrEqual(uncorrected);
        },
      ),
    );
  });

  it('compares the twelve Sundays after the day twelve weeks before, none after the as-of day', () => {
    expect(nestedFrom('2026-08-30')).toBe('2026-06-07');
    expect(nestedDays('2026-08-30')).toEqual(
      Array.from({ length: 12 }, (_, k) => addDays('2026-06-14', 7 * k)).filter((d) => d <= '2026-08-30'),
    );
    const wednesday = nestedDays('2026-09-02');
    expect(wednesday).toHaveLength(12);
    expect(wednesday.at(-1)! <= '2026-09-02').toBe(true);
  });
});

describe('a widened band', () => {
  it('given p10 90, p50 100, p90 110 four weeks ahead and an error of 5% a week, is 83 to 117', () => {
    // 1.2816 x 0.05 x 2 x 100 = 12.8 beside the runs' 10 each side: 16.3 each side, out to whole patients.
    expect(widenBand({ p10: 90, p50: 100, p90: 110 }, 4, 0.05)).toEqual({ p10: 83, p50: 100, p90: 117 });
    expect(widenBand({ p10: 90, p50: 100, p90: 110 }, 4, 0)).toEqual({ p10: 90, p50: 100, p90: 110 });
    expect(widenBand({ p10: null, p50: null, p90: null }, 4, 0.05)).toEqual({ p10: null, p50: null, p90: null });
  });

  const band = fc
    .tuple(fc.nat(500), fc.nat(500), fc.nat(500))
    .map(([a, b, c]) => [a, b, c].sort((x, y) => x - y))
    .map(([p10, p50, p90]): Band => ({ p10: p10!, p50: p50!, p90: p90! }));
  const scale = fc.double({ min: 0, max: 0.5, noNaN: true });
  const contains = (outer: Band, inner: Band) => outer.p10! <= inner.p10! && outer.p90! >= inner.p90!;

  it('never narrows below the runs’ own spread, keeps the p50 and stays at zero or more', () => {
    fc.assert(
      fc.property(band, fc.integer({ min: 1, max: 104 }), scale, (b, h, a) => {
        const w = widenBand(b, h, a);
        expect(contains(w, b)).toBe(true);
        expect(w.p50).toBe(b.p50);
        expect(w.p10!).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('widens as the error scale grows and as the weeks ahead grow', () => {
    fc.assert(
      fc.property(band, fc.integer({ min: 1, max: 52 }), scale, scale, (b, h, x, y) => {
        const [small, large] = x <= y ? [x, y] : [y, x];
        expect(contains(widenBand(b, h, large), widenBand(b, h, small))).toBe(true);
        expect(contains(widenBand(b, h + 1, small), widenBand(b, h, small))).toBe(true);
      }),
    );
  });

  it('widens the counts week by week ahead, and leaves the shares (FDS, 62-day) as the runs give them', () => {
    const weeks = [week('2026-09-06', 90, 100, 110), week('2026-09-13', 90, 100, 110)];
    const out = widenTrajectory(weeks, {
      from: '2026-06-07',
      weeks: 12,
      perWeek: { open: 0, over62: 0.05, over104: 0.05 },
    });
    expect(out[0]!.open).toEqual(weeks[0]!.open);
    expect(out[0]!.over62).toEqual(widenBand(weeks[0]!.over62, 1, 0.05));
    expect(out[1]!.over62).toEqual(widenBand(weeks[1]!.over62, 2, 0.05));
    expect(out[1]!.fds).toEqual(weeks[1]!.fds);
  });
});

describe("a target's chance, with the model's own error", () => {
  it('given no error, is the share of runs below the target', () => {
    expect(chanceBelow([90, 100, 110, 99], 100, 4, 0)).toBe(0.5);
    expect(chanceBelow([], 100, 4, 0.1)).toBe(0);
  });

  it('given every run at 100 and an error of 10% a week four weeks ahead, matches the widened band: 9 in 10 below its p90', () => {
    const runs = Array<number>(50).fill(100);
    const band = widenBand({ p10: 100, p50: 100, p90: 100 }, 4, 0.1); // 100 -/+ 1.2816 x 20, to whole patients
    expect(band).toEqual({ p10: 74, p50: 100, p90: 126 });
    // Below 126 is 125.5 or less: (125.5 - 100) / 20 = 1.275 sigmas.
    expect(chanceBelow(runs, band.p90!, 4, 0.1)).toBeCloseTo(0.8989, 3);
    expect(chanceBelow(runs, band.p10! + 1, 4, 0.1)).toBeCloseTo(0.1011, 3); // 74 or less: 74.5, 1.275 sigmas under
    expect(chanceBelow(runs, 100, 4, 0.1)).toBeCloseTo(0.49, 3); // 99.5 or less: a fortieth of a sigma under, about even
  });

  it('rises with the target, and comes to the share of runs as the error goes', () => {
    const runs = fc.array(fc.nat(300), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(runs, fc.nat(300), fc.nat(300), fc.double({ min: 0, max: 0.5, noNaN: true }), (c, x, y, a) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        expect(chanceBelow(c, low, 9, a)).toBeLessThanOrEqual(chanceBelow(c, high, 9, a) + 1e-12);
        const share = c.filter((n) => n < high).length / c.length;
        expect(chanceBelow(c, high, 9, 1e-9)).toBeCloseTo(share, 9);
      }),
    );
  });

  it('uses a normal distribution function true to the quantile the bands use', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    fc.assert(
      // Where the quantile is Acklam's exact rational (its tails are coarse by design, distributions.ts).
      fc.property(fc.double({ min: 0.08, max: 0.92, noNaN: true }), (u) => {
        expect(normalCdf(normalQuantile(u))).toBeCloseTo(u, 6);
        expect(normalCdf(-normalQuantile(u))).toBeCloseTo(1 - u, 6);
      }),
    );
  });
});

describe('the nested backtest as at a day', () => {
  it('gives the same error scale whatever was recorded after the end of that day', async () => {
    const asOf: IsoDate = '2026-06-14';
    const all = history({ referralsPerMonth: 400, months: 8, seed: 3, asOf: '2026-07-26' });
    const cut = endOfLondonDay(asOf);
    const known = all
      .map((r) => ({ pathwayId: r.pathwayId, events: r.events.filter((e) => e.recordedAt <= cut) }))
      .filter((r) => r.events.length > 0);
    const scale = async (records: typeof all) => {
      const data = readBacktest(records, asOf, 1);
      return modelError(data.input, data.readNested!, (d) => data.backlog.get(d), 1, inThread);
    };
    const withLater = await scale(all);
    expect(withLater).toEqual(await scale(known));
    expect(withLater.weeks).toBe(12);
    expect(withLater.perWeek.over62).toBeGreaterThan(0);
  });

  it('is measured from a history begun at least a quarter (13 weeks) before the nested day, not a day less', () => {
    expect(measurable('2026-03-08', '2026-06-07')).toBe(true); // 91 days
    expect(measurable('2026-03-09', '2026-06-07')).toBe(false);
    expect(measurable(null, '2026-06-07')).toBe(false);
    expect(unmeasured('2026-06-07')).toEqual({
      from: '2026-06-07',
      weeks: 0,
      perWeek: { open: 0, over62: 0, over104: 0 },
    });
  });

  it('measures nothing, reading no earlier cut and making no runs, where the history began under a quarter before the nested day', async () => {
    const records = history({ referralsPerMonth: 200, months: 8, seed: 3, asOf: '2026-07-26' });
    const asOf: IsoDate = '2026-04-19'; // the nested day 2026-01-25, the history from late November: 9 weeks
    const data = readBacktest(records, asOf, 1);
    const nestedDay = nestedFrom(asOf);
    expect(data.input.calibration.historyFrom! > addDays(nestedDay, -7 * NESTED_HISTORY_WEEKS)).toBe(true);
    const never = () => {
      throw new Error('nothing read or run from a history this young');
    };
    const none = { from: '2026-01-25', weeks: 0, perWeek: { open: 0, over62: 0, over104: 0 } };
    expect(await modelError(data.input, never, (d) => data.backlog.get(d), 1, never)).toEqual(none);
    // The nested cut checks its own start too (an early referral recorded late counts only once recorded).
    expect(await errorScaleAsAt(data.readNested!(nestedDay) as ForecastInput, () => undefined, asOf, 1, never)).toEqual(
      none,
    );
  });
});
