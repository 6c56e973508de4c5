// `openptl simulate --describe` (issue #22): the model a history is made from, with the same options
// and scenario: each resource's weekly capacity by date range and the referrals a week by suspected
// site, so a test (or a forecast's backtest) can set what it estimated from a history beside the truth.
import { fromDayNumber, type IsoDate } from '../cwt/calendar.ts';
import type { Route, TumourSite } from '../domain/events.ts';
import { REFERRALS } from './demand.ts';
import * as M from './model.ts';
import { bookedAtStart, clinicShare, describeRanges, RESOURCES } from './resources.ts';
import { modelAsRun, referralDays, referralWeight, weekday, type SimulateOptions } from './simulate.ts';

type Range = { from: IsoDate; to: IsoDate | null };

export interface ModelDescription {
  /** The history's days, and the referrals received in them (the scenario's demand changes included). */
  history: { from: IsoDate; to: IsoDate; referrals: number };
  /** The order a resource serves patients in. */
  order: 'referral date';
  capacityScale: number;
  /** Slots run Monday to Friday: none on bank holidays, CHRISTMAS_SHARE of them on the other days from 24 to 31 December. */
  calendar: Range & { bankHolidays: IsoDate[]; christmas: { share: number; days: IsoDate[] } };
  resources: {
    resource: string;
    /** Slots already taken by patients referred before the history, from its first day to this one. */
    bookedUntil: IsoDate | null;
    capacity: (Range & { perWeek: number })[];
  }[];
  /** Referrals received in a week without a bank holiday, by suspected site (and route). */
  demand: {
    tumourSite: TumourSite;
    referrals: (Range & { perWeek: number; byRoute: Partial<Record<Route, number>> })[];
  }[];
}

export function describeModel(opts: SimulateOptions): ModelDescription {
  const model = modelAsRun(opts);
  const { first, last, end } = model;
  const bankHolidays: IsoDate[] = [];
  const christmas: IsoDate[] = [];
  let weightSum = 0;
  let referrals = 0;
  for (const { upTo } of referralDays(model)) referrals = upTo;
  for (let day = first; day <= end; day++) {
    if (day <= last) weightSum += referralWeight(day);
    const share = clinicShare(day);
    const weekend = weekday(day) === 0 || weekday(day) === 6;
    if (share === 0 && !weekend) bankHolidays.push(fromDayNumber(day));
    else if (share > 0 && share < 1) christmas.push(fromDayNumber(day));
  }
  // Referrals a day are total * weight / weightSum (simulate), so a week without a bank holiday has all seven weights.
  const perWeek = (model.total * M.WEEKDAY_WEIGHTS.reduce((s, w) => s + w, 0)) / weightSum;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    history: { from: fromDayNumber(first), to: fromDayNumber(last), referrals },
    order: 'referral date',
    capacityScale: round(model.capacityScale),
    calendar: {
      from: fromDayNumber(first),
      to: fromDayNumber(end),
      bankHolidays,
      christmas: { share: M.CHRISTMAS_SHARE, days: christmas },
    },
    resources: RESOURCES.map((resource, r) => {
      const booked = bookedAtStart(resource);
      return {
        resource,
        bookedUntil: booked > 0 ? fromDayNumber(first + booked - 1) : null,
        capacity: describeRanges(model.capacity[r]!, first),
      };
    }),
    demand: [...new Set(REFERRALS.map((r) => r.site))].map((tumourSite) => {
      const ranges = model.demand
        .filter((d, i) => i + 1 === model.demand.length || model.demand[i + 1]!.from > first)
        .map((d) => {
          const byRoute: Partial<Record<Route, number>> = {};
          let total = 0;
          for (const r of REFERRALS) {
            if (r.site !== tumourSite) continue;
            const n = perWeek * r.share * (d.factors[tumourSite] ?? 1);
            byRoute[r.route] = round((byRoute[r.route] ?? 0) + n);
            total += n;
          }
          return { from: Math.max(d.from, first), perWeek: round(total), byRoute };
        })
        // A change to another site's referrals leaves this one's as it was.
        .filter((d, i, all) => i === 0 || d.perWeek !== all[i - 1]!.perWeek);
      return {
        tumourSite,
        referrals: ranges.map(({ from, ...rest }, i) => ({
          from: fromDayNumber(from),
          to: i + 1 < ranges.length ? fromDayNumber(ranges[i + 1]!.from - 1) : null,
          ...rest,
        })),
      };
    }),
  };
}
