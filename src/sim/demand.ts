// Who is referred (issue #22): route and suspected site drawn together, so a scenario can change
// one site's referrals from a date. Without a scenario the shares are those of model.ts.
import { dayNumber } from '../cwt/calendar.ts';
import type { Route, TumourSite } from '../domain/events.ts';
import * as M from './model.ts';
import { Mix } from './random.ts';
import type { Scenario } from './scenario.ts';

/** A route and suspected site, and its share of all referrals. */
export interface Referral {
  route: Route;
  site: TumourSite;
  share: number;
}

export const REFERRALS: readonly Referral[] = M.ROUTES.entries.flatMap(([route, routeShare]) => {
  const sites: readonly (readonly [TumourSite, number])[] =
    route === 'breast_symptomatic'
      ? [['breast', 1]]
      : route === 'screening'
        ? M.SCREENING_SITES.entries
        : route === 'consultant_upgrade'
          ? M.UPGRADE_SITES.entries
          : M.USC_SITES.entries;
  const total = sites.reduce((s, [, w]) => s + w, 0);
  return sites.map(([site, w]) => ({ route, site, share: (routeShare * w) / total }));
});

/** The referrals of a stretch of days: each site's factor, their mix, and the day's referrals as a multiple of the usual. */
export interface DemandRange {
  from: number;
  factors: Readonly<Partial<Record<TumourSite, number>>>;
  /** Picks an index of REFERRALS; null when no one is referred. */
  mix: Mix<number> | null;
  multiplier: number;
}

/** The referral mix by date range: each scenario change multiplies its site's referrals from its day on. */
export function demandRanges(scenario: Scenario): DemandRange[] {
  const changes = scenario.demand
    .map((c, order) => ({ ...c, day: dayNumber(c.from), order }))
    .sort((a, b) => a.day - b.day || a.order - b.order);
  const ranges = [range(-Infinity, {})];
  for (const c of changes) {
    const last = ranges[ranges.length - 1]!;
    const factors = { ...last.factors, [c.tumourSite]: (last.factors[c.tumourSite] ?? 1) * (1 + c.percent / 100) };
    if (last.from === c.day) ranges[ranges.length - 1] = range(c.day, factors);
    else ranges.push(range(c.day, factors));
  }
  return ranges;
}

const SHARES = REFERRALS.reduce((s, r) => s + r.share, 0);

function range(from: number, factors: Partial<Record<TumourSite, number>>): DemandRange {
  const weights = REFERRALS.map((r, i) => [i, r.share * (factors[r.site] ?? 1)] as const);
  // Summed as SHARES is, so with no change the multiplier is exactly 1 and the referrals add up to the total asked for.
  const multiplier = weights.reduce((s, [, w]) => s + w, 0) / SHARES;
  return { from, factors, mix: multiplier > 0 ? new Mix(weights.filter(([, w]) => w > 0)) : null, multiplier };
}
