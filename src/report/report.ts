// The nightly breach report: everything is read "as at" the end of the report date, so a report
// for a past date comes out the same, byte for byte, whatever has been recorded since.
import { endOfLondonDay } from '../cwt/calendar.ts';
import { addDays, monthOf, previousMonthOf, type IsoDate } from '../cwt/calendar.ts';
import { backlogPosition } from '../cwt/backlog.ts';
import type { Clock, ClockFacts, ClockName, Clocks } from '../cwt/clocks.ts';
import { nextAction } from '../cwt/next-action.ts';
import { effectiveTimeline } from '../domain/effective-timeline.ts';
import type { Store } from '../store/store.ts';
import type { TrendPoint } from '../store/backlog.ts';
import { today } from '../wall-clock.ts';
import { allocateBreach, holdingsOf, type Allocation } from './allocation.ts';

/** Current national operational standards (cwt-rules.md; FDS 80% and 62-day 75% from March 2026). */
export const NATIONAL_TARGETS: Record<ClockName, number> = { fds: 0.8, d31: 0.96, d62: 0.75 };

export interface Counts { open: number; over62: number; over104: number }

export interface ListedPatient {
  pathwayId: string;
  nhsNumber: string;
  /** For the people who chase them (workspace #15). */
  patientName: string | null;
  tumourSite: string;
  provider: string | null;
  stage: string;
  daysWaiting: number;
  breachDate: IsoDate;
  nextAction: string | null;
  nextActionDue: IsoDate | null;
}

export interface BreachedStop {
  pathwayId: string;
  nhsNumber: string;
  patientName: string | null;
  clock: ClockName;
  tumourSite: string;
  provider: string | null;
  start: IsoDate;
  stop: IsoDate;
  days: number;
  target: number;
  allocation: Allocation | null;
}

export interface Performance {
  period: { from: IsoDate; to: IsoDate };
  /** Per standard, per tumour site and overall ("all"): clocks stopped in the period and how many met the target. */
  standards: Record<ClockName, Record<string, { stopped: number; met: number; rate: number | null }>>;
}

export interface Report {
  asOf: IsoDate;
  asAt: string;
  /** The trust's name (`openptl settings --trust-name`), on every page. */
  trustName: string | null;
  backlog: Counts & {
    byTumourSite: Record<string, Counts>;
    byProvider: Record<string, Counts>;
    change: { dayBefore: Counts; weekBefore: Counts };
  };
  newBreaches: ListedPatient[];
  breachingWithin7Days: ListedPatient[];
  breachingWithin14Days: ListedPatient[];
  performance: { monthToDate: Performance; lastMonth: Performance; targets: Record<ClockName, number> };
  breachedStops: { monthToDate: BreachedStop[]; lastMonth: BreachedStop[] };
  trend: TrendPoint[];
}

const zero = (): Counts => ({ open: 0, over62: 0, over104: 0 });

export function buildReport(store: Store, asOf: IsoDate): Report {
  const asAt = endOfLondonDay(asOf);
  const { monthToDate: mtd, lastMonth } = periodsOf(asOf);
  const backlog = { ...zero(), byTumourSite: {} as Record<string, Counts>, byProvider: {} as Record<string, Counts> };
  const listed: ListedPatient[] = [];
  const performance = { monthToDate: emptyPerformance(mtd), lastMonth: emptyPerformance(lastMonth) };
  const breachedStops = { monthToDate: [] as BreachedStop[], lastMonth: [] as BreachedStop[] };

  // Only pathways open at the cut-off or with a clock stop in the two periods can count.
  for (const p of store.pathwaysAsAt(asOf, asAt, lastMonth.from)) {
    const { clocks, state } = p;
    const provider = p.provider ?? 'unknown';
    const position = backlogPosition(clocks);
    if (position) {
      const bump = (c: Counts) => { c.open++; if (position.over62) c.over62++; if (position.over104) c.over104++; };
      bump(backlog);
      bump((backlog.byTumourSite[p.tumourSite] ??= zero()));
      bump((backlog.byProvider[provider] ??= zero()));
      // Listed only when breaching today or within 14 days: the rest are counted, not listed.
      const breachDate = clocks.d62.breachDate!;
      if (breachDate >= asOf && breachDate <= addDays(asOf, 14)) {
        const next = nextAction(p.stage, state.details.tumourSite, state.fold.facts.start, breachDate, state.tracking);
        listed.push({
          pathwayId: p.pathwayId, nhsNumber: state.details.nhsNumber, patientName: state.details.patientName, tumourSite: p.tumourSite, provider: p.provider, stage: p.stage,
          daysWaiting: position.daysWaiting, breachDate, nextAction: next?.action ?? null, nextActionDue: next?.due ?? null,
        });
      }
    }
    for (const { name, key, clock } of stopsInPeriods(clocks, { monthToDate: mtd, lastMonth })) {
      countStop(performance[key], name, p.tumourSite, clock.breached);
      if (clock.breached) {
        breachedStops[key].push({
          pathwayId: p.pathwayId, nhsNumber: state.details.nhsNumber, patientName: state.details.patientName, clock: name, tumourSite: p.tumourSite, provider: p.provider,
          start: clock.start!, stop: clock.stop!, days: clock.days!, target: clock.target,
          allocation: name === 'd62' ? allocation(store, p.pathwayId, asAt, state.fold.facts) : null,
        });
      }
    }
  }
  for (const perf of Object.values(performance)) rates(perf);

  const byUrgency = (a: ListedPatient, b: ListedPatient) => (a.breachDate < b.breachDate ? -1 : a.breachDate > b.breachDate ? 1 : a.pathwayId < b.pathwayId ? -1 : 1);
  listed.sort(byUrgency);
  const totals = (d: IsoDate): Counts => {
    const c = store.backlog.asOfNow(d, today(store.clock));
    return { open: c.open, over62: c.over62, over104: c.over104 };
  };
  const byStop = (a: BreachedStop, b: BreachedStop) => (a.stop < b.stop ? -1 : a.stop > b.stop ? 1 : a.pathwayId < b.pathwayId ? -1 : a.pathwayId > b.pathwayId ? 1 : a.clock < b.clock ? -1 : 1);
  return {
    asOf,
    asAt,
    trustName: store.settings.get('trustName'),
    backlog: { ...backlog, byTumourSite: sortKeys(backlog.byTumourSite), byProvider: sortKeys(backlog.byProvider), change: { dayBefore: diff(backlog, totals(addDays(asOf, -1))), weekBefore: diff(backlog, totals(addDays(asOf, -7))) } },
    newBreaches: listed.filter((p) => p.breachDate === asOf),
    breachingWithin7Days: listed.filter((p) => p.breachDate > asOf && p.breachDate <= addDays(asOf, 7)),
    breachingWithin14Days: listed.filter((p) => p.breachDate > asOf && p.breachDate <= addDays(asOf, 14)),
    performance: { ...performance, targets: NATIONAL_TARGETS },
    breachedStops: { monthToDate: breachedStops.monthToDate.sort(byStop), lastMonth: breachedStops.lastMonth.sort(byStop) },
    trend: store.backlog.trendNow(addDays(asOf, -89), asOf, today(store.clock)),
  };
}

type Periods = { monthToDate: { from: IsoDate; to: IsoDate }; lastMonth: { from: IsoDate; to: IsoDate } };

/** The month to date and the last complete month, for a report dated `asOf`. */
function periodsOf(asOf: IsoDate): Periods {
  return { monthToDate: { from: monthOf(asOf).first, to: asOf }, lastMonth: { from: previousMonthOf(asOf).first, to: previousMonthOf(asOf).last } };
}

/** Each clock of a pathway that stopped in one of the periods: what the standards count. */
function* stopsInPeriods(clocks: Clocks, periods: Periods): Generator<{ name: ClockName; key: keyof Periods; clock: Clock }> {
  for (const name of ['fds', 'd31', 'd62'] as const) {
    const clock = clocks[name];
    if (clock.state !== 'stopped' || !clock.stop) continue;
    for (const key of ['monthToDate', 'lastMonth'] as const) {
      if (clock.stop >= periods[key].from && clock.stop <= periods[key].to) yield { name, key, clock };
    }
  }
}

function countStop(perf: Performance, name: ClockName, tumourSite: string, breached: boolean): void {
  for (const site of [tumourSite, 'all']) {
    const cell = (perf.standards[name][site] ??= { stopped: 0, met: 0, rate: null });
    cell.stopped++;
    if (!breached) cell.met++;
  }
}

function rates(perf: Performance): void {
  for (const bySite of Object.values(perf.standards)) for (const cell of Object.values(bySite)) cell.rate = cell.stopped ? cell.met / cell.stopped : null;
}

/**
 * Performance against the standards for the month to date and the last complete month, counted
 * as the nightly report counts it (clocks stopped in the period, as recorded by the end of
 * `asOf`): the steward's dashboard (workspace #15). A pass over every pathway open or closed since
 * the start of last month, so it gives way to other work (`pause`) every few hundred pathways.
 */
export async function performanceAsOf(store: Store, asOf: IsoDate, pause: () => Promise<unknown> = async () => {}): Promise<Report['performance']> {
  const periods = periodsOf(asOf);
  const performance = { monthToDate: emptyPerformance(periods.monthToDate), lastMonth: emptyPerformance(periods.lastMonth) };
  let n = 0;
  for (const p of store.pathwaysAsAt(asOf, endOfLondonDay(asOf), periods.lastMonth.from)) {
    for (const { name, key, clock } of stopsInPeriods(p.clocks, periods)) countStop(performance[key], name, p.tumourSite, clock.breached);
    if (++n % 500 === 0) await pause();
  }
  rates(performance.monthToDate);
  rates(performance.lastMonth);
  return { ...performance, targets: NATIONAL_TARGETS };
}

function emptyPerformance(period: { from: IsoDate; to: IsoDate }): Performance {
  return { period, standards: { fds: {}, d31: {}, d62: {} } };
}

function diff(now: Counts, then: Counts): Counts {
  return { open: now.open - then.open, over62: now.over62 - then.over62, over104: now.over104 - then.over104 };
}

function sortKeys<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Who a 62-day breach belongs to, from the clock facts and the transfers recorded by the report's cut-off. */
function allocation(store: Store, pathwayId: string, asAt: string, facts: ClockFacts): Allocation {
  const events = store.events(pathwayId).filter((e) => e.recordedAt <= asAt).map((e) => e.event);
  return allocateBreach({ facts, holdings: holdingsOf(effectiveTimeline(events).map((e) => e.event)) });
}
