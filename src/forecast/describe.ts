// `openptl forecast --resources`: the calibration as a steward (or a test) reads it. Referrals a
// week by tumour site and route with the weekday pattern and trend; each step's outcomes and days
// (by site and by what came before it); and the resource table, bottlenecks first.
import type { IsoDate } from '../vocabulary/calendar.ts';
import type { Calibration } from './calibrate.ts';
import { exitQuantile, exitShares, round } from './distributions.ts';
import { resourceTable, type ResourceRow } from './queueing.ts';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface CalibrationSummary {
  asOf: IsoDate;
  window: { from: IsoDate; to: IsoDate };
  referrals: {
    perWeek: number;
    weekday: Record<string, number>;
    bankHoliday: number;
    sites: { site: string; perWeek: number; byRoute: Record<string, number>; trendPerWeek: number }[];
  };
  steps: {
    state: string;
    site: string;
    after: string;
    entries: number;
    outcomes: Record<string, number>;
    days: { median: number | null; p90: number | null };
  }[];
  resources: ResourceRow[];
}

export function describeCalibration(cal: Calibration): CalibrationSummary {
  const a = cal.arrivals;
  const week = a.weekday.reduce((s, w) => s + w, 0); // 7: the factors average 1 a day
  const sites = new Map<string, { perWeek: number; byRoute: Record<string, number>; trendPerWeek: number }>();
  for (const s of a.streams) {
    const entry = sites.get(s.site) ?? { perWeek: 0, byRoute: {}, trendPerWeek: s.trendPerWeek };
    entry.perWeek += s.perDay * week;
    entry.byRoute[s.route] = (entry.byRoute[s.route] ?? 0) + s.perDay * week;
    sites.set(s.site, entry);
  }
  const siteRows = [...sites]
    .map(([site, e]) => ({
      site,
      perWeek: round(e.perWeek, 1),
      byRoute: Object.fromEntries(Object.entries(e.byRoute).map(([r, n]) => [r, round(n, 1)])),
      trendPerWeek: e.trendPerWeek,
    }))
    .sort((x, y) => y.perWeek - x.perWeek || (x.site < y.site ? -1 : 1));
  const steps = Object.entries(cal.steps)
    .map(([key, table]) => ({ key: key.split('|'), table }))
    .filter(({ key }) => key[3] === '*' && key[4] === '*')
    .map(({ key, table }) => ({
      state: key[0]!,
      site: key[1]!,
      after: key[2]!,
      entries: table.entries,
      outcomes: exitShares(table),
      days: { median: exitQuantile(table, 0.5), p90: exitQuantile(table, 0.9) },
    }));
  return {
    asOf: cal.asOf,
    window: cal.window,
    referrals: {
      perWeek: round(
        siteRows.reduce((s, r) => s + r.perWeek, 0),
        1,
      ),
      weekday: Object.fromEntries(a.weekday.map((w, i) => [WEEKDAYS[i]!, round(w, 3)])),
      bankHoliday: round(a.holiday, 3),
      sites: siteRows,
    },
    steps,
    resources: resourceTable(cal),
  };
}
