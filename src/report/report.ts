// The nightly breach report: everything is read "as at" the end of the report date, so a report
// for a past date comes out the same, byte for byte, whatever has been recorded since.
import { endOfLondonDay } from '../vocabulary/calendar.ts';
import { addDays, monthOf, previousMonthOf, type IsoDate } from '../vocabulary/calendar.ts';
import { backlogPosition, type TrendPoint } from '../cwt/backlog.ts';
import type { Clock, ClockFacts, ClockName, Clocks } from '../cwt/clocks.ts';
import { nextAction } from '../cwt/next-action.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import type { Store } from '../store/store.ts';
import { pathwaysAsAt, type HistoryModels } from '../queries/as-at.ts';
import { today } from '../wall-clock.ts';
import { allocateBreach, holdingsOf, type Allocation } from './allocation.ts';
import { subsequentTreatmentCounts } from '../vocabulary/cwt-codes.ts';
import { SLICE } from '../slices.ts';

/** Current national operational standards (cwt-rules.md; FDS 80% and 62-day 75% from March 2026). */
export const NATIONAL_TARGETS: Record<ClockName, number> = { fds: 0.8, d31: 0.96, d62: 0.75 };

export interface Counts {
  open: number;
  over62: number;
  over104: number;
}

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
  /** For a 31-day stop: which treatment (1 the first, 2 the second, ...). */
  treatment?: number;
}

export interface Performance {
  period: { from: IsoDate; to: IsoDate };
  /**
   * Per standard, per tumour site and overall ("all"): clocks stopped in the period and how many
   * met the target. The 31-day standard counts first and subsequent treatments together, as the
   * national statistics do since October 2023; `d31Parts` shows each part.
   */
  standards: Record<ClockName, Record<string, Cell>>;
  d31Parts: { first: Record<string, Cell>; subsequent: Record<string, Cell> };
}

export interface Cell {
  stopped: number;
  met: number;
  rate: number | null;
}

/** A treatment after the first that is awaited, on the 31-day PTL (issue #14). */
export interface SubsequentAwaited {
  pathwayId: string;
  nhsNumber: string;
  patientName: string | null;
  tumourSite: string;
  provider: string | null;
  /** 2 for the second treatment, and so on. */
  treatment: number;
  start: IsoDate;
  daysWaiting: number;
  breachDate: IsoDate;
  breached: boolean;
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
  /** The 31-day PTL of treatments after the first, at the cut-off: earliest breach first. */
  subsequentAwaited: SubsequentAwaited[];
}

const zero = (): Counts => ({ open: 0, over62: 0, over104: 0 });

/** The store's modules the report reads. */
export type ReportModels = HistoryModels & Pick<Store, 'backlog' | 'settings' | 'clock'>;

export function buildReport(store: ReportModels, asOf: IsoDate): Report {
  const { backlog: counts, settings, clock } = store;
  const asAt = endOfLondonDay(asOf);
  const { monthToDate: mtd, lastMonth } = periodsOf(asOf);
  const backlog = { ...zero(), byTumourSite: {} as Record<string, Counts>, byProvider: {} as Record<string, Counts> };
  const listed: ListedPatient[] = [];
  const performance = { monthToDate: emptyPerformance(mtd), lastMonth: emptyPerformance(lastMonth) };
  const breachedStops = { monthToDate: [] as BreachedStop[], lastMonth: [] as BreachedStop[] };
  const subsequentAwaited: SubsequentAwaited[] = [];

  // Only pathways open at the cut-off or with a clock stop in the two periods can count.
  for (const p of pathwaysAsAt(store, asOf, asAt, lastMonth.from)) {
    const { clocks, state } = p;
    const provider = p.provider ?? 'unknown';
    const position = backlogPosition(clocks);
    if (position) {
      const bump = (c: Counts) => {
        c.open++;
        if (position.over62) c.over62++;
        if (position.over104) c.over104++;
      };
      bump(backlog);
      bump((backlog.byTumourSite[p.tumourSite] ??= zero()));
      bump((backlog.byProvider[provider] ??= zero()));
      // Listed only when breaching today or within 14 days: the rest are counted, not listed.
      const breachDate = clocks.d62.breachDate!;
      if (breachDate >= asOf && breachDate <= addDays(asOf, 14)) {
        const next = nextAction(p.stage, state.details.tumourSite, state.fold.facts.start, breachDate, state.tracking);
        listed.push({
          pathwayId: p.pathwayId,
          nhsNumber: state.details.nhsNumber,
          patientName: state.details.patientName,
          tumourSite: p.tumourSite,
          provider: p.provider,
          stage: p.stage,
          daysWaiting: position.daysWaiting,
          breachDate,
          nextAction: next?.action ?? null,
          nextActionDue: next?.due ?? null,
        });
      }
    }
    for (const { name, key, clock, treatment } of stopsInPeriods(clocks, state.fold.facts, {
      monthToDate: mtd,
      lastMonth,
    })) {
      countStop(performance[key], name, p.tumourSite, clock.breached, treatment);
      if (clock.breached) {
        breachedStops[key].push({
          pathwayId: p.pathwayId,
          nhsNumber: state.details.nhsNumber,
          patientName: state.details.patientName,
          clock: name,
          tumourSite: p.tumourSite,
          provider: p.provider,
          start: clock.start!,
          stop: clock.stop!,
          days: clock.days!,
          target: clock.target,
          allocation: name === 'd62' ? allocation(store, p.pathwayId, asAt, state.fold.facts) : null,
          ...(treatment > 1 ? { treatment } : {}),
        });
      }
    }
    // The 31-day PTL of treatments after the first (issue #14).
    (clocks.subsequent ?? []).forEach((clock, i) => {
      if (clock.state !== 'running') return;
      subsequentAwaited.push({
        pathwayId: p.pathwayId,
        nhsNumber: state.details.nhsNumber,
        patientName: state.details.patientName,
        tumourSite: p.tumourSite,
        provider: p.provider,
        treatment: i + 2,
        start: clock.start!,
        daysWaiting: clock.days!,
        breachDate: clock.breachDate!,
        breached: clock.breached,
      });
    });
  }
  for (const perf of Object.values(performance)) rates(perf);
  subsequentAwaited.sort((a, b) =>
    a.breachDate < b.breachDate ? -1 : a.breachDate > b.breachDate ? 1 : a.pathwayId < b.pathwayId ? -1 : 1,
  );

  const byUrgency = (a: ListedPatient, b: ListedPatient) =>
    a.breachDate < b.breachDate ? -1 : a.breachDate > b.breachDate ? 1 : a.pathwayId < b.pathwayId ? -1 : 1;
  listed.sort(byUrgency);
  const totals = (d: IsoDate): Counts => {
    const c = counts.asOfNow(d, today(clock));
    return { open: c.open, over62: c.over62, over104: c.over104 };
  };
  const byStop = (a: BreachedStop, b: BreachedStop) =>
    a.stop < b.stop
      ? -1
      : a.stop > b.stop
        ? 1
        : a.pathwayId < b.pathwayId
          ? -1
          : a.pathwayId > b.pathwayId
            ? 1
            : a.clock < b.clock
              ? -1
              : a.clock > b.clock
                ? 1
                : (a.treatment ?? 1) - (b.treatment ?? 1);
  return {
    asOf,
    asAt,
    trustName: settings.get('trustName'),
    backlog: {
      ...backlog,
      byTumourSite: sortKeys(backlog.byTumourSite),
      byProvider: sortKeys(backlog.byProvider),
      change: {
        dayBefore: diff(backlog, totals(addDays(asOf, -1))),
        weekBefore: diff(backlog, totals(addDays(asOf, -7))),
      },
    },
    newBreaches: listed.filter((p) => p.breachDate === asOf),
    breachingWithin7Days: listed.filter((p) => p.breachDate > asOf && p.breachDate <= addDays(asOf, 7)),
    breachingWithin14Days: listed.filter((p) => p.breachDate > asOf && p.breachDate <= addDays(asOf, 14)),
    performance: { ...performance, targets: NATIONAL_TARGETS },
    breachedStops: {
      monthToDate: breachedStops.monthToDate.sort(byStop),
      lastMonth: breachedStops.lastMonth.sort(byStop),
    },
    trend: counts.trendNow(addDays(asOf, -89), asOf, today(clock)),
    subsequentAwaited,
  };
}

type Periods = { monthToDate: { from: IsoDate; to: IsoDate }; lastMonth: { from: IsoDate; to: IsoDate } };

/** The month to date and the last complete month, for a report dated `asOf`. */
function periodsOf(asOf: IsoDate): Periods {
  return {
    monthToDate: { from: monthOf(asOf).first, to: asOf },
    lastMonth: { from: previousMonthOf(asOf).first, to: previousMonthOf(asOf).last },
  };
}

/**
 * Each clock of a pathway that stopped in one of the periods and counts against its standard: the
 * first treatment's clocks, and the 31-day clock of each treatment after the first that the
 * standard counts (issue #14; `treatment` is 2 for the second, and so on).
 */
function* stopsInPeriods(
  clocks: Clocks,
  facts: ClockFacts,
  periods: Periods,
): Generator<{ name: ClockName; key: keyof Periods; clock: Clock; treatment: number }> {
  const counted: { name: ClockName; clock: Clock; treatment: number }[] = (['fds', 'd31', 'd62'] as const).map(
    (name) => ({ name, clock: clocks[name], treatment: 1 }),
  );
  (clocks.subsequent ?? []).forEach((clock, i) => {
    const modality = facts.subsequent[i]!.modality;
    if (modality !== null && subsequentTreatmentCounts(modality))
      counted.push({ name: 'd31', clock, treatment: i + 2 });
  });
  for (const { name, clock, treatment } of counted) {
    if (clock.state !== 'stopped' || !clock.stop) continue;
    for (const key of ['monthToDate', 'lastMonth'] as const) {
      if (clock.stop >= periods[key].from && clock.stop <= periods[key].to) yield { name, key, clock, treatment };
    }
  }
}

/** One stop counted per tumour site and overall; a 31-day stop also in its part (first or subsequent). */
function countStop(perf: Performance, name: ClockName, tumourSite: string, breached: boolean, treatment: number): void {
  for (const site of [tumourSite, 'all']) {
    count((perf.standards[name][site] ??= { stopped: 0, met: 0, rate: null }), breached);
    if (name === 'd31')
      count(
        (perf.d31Parts[treatment === 1 ? 'first' : 'subsequent'][site] ??= { stopped: 0, met: 0, rate: null }),
        breached,
      );
  }
}

function rates(perf: Performance): void {
  const cells = [...Object.values(perf.standards), ...Object.values(perf.d31Parts)];
  for (const bySite of cells)
    for (const cell of Object.values(bySite)) cell.rate = cell.stopped ? cell.met / cell.stopped : null;
}

/**
 * Performance against the standards for the month to date and the last complete month, counted
 * as the nightly report counts it (clocks stopped in the period, as recorded by the end of
 * `asOf`): the steward's dashboard (workspace #15). A pass over every pathway open or closed since
 * the start of last month, yielding every SLICE pathways (slices.ts); with `providers`, only the
 * pathways at those providers (each at the one it was at when its clock stopped, so counted once).
 */
export function* performanceSlices(
  store: HistoryModels,
  asOf: IsoDate,
  providers: readonly string[] | null = null,
): Generator<void, Report['performance']> {
  const periods = periodsOf(asOf);
  const performance = {
    monthToDate: emptyPerformance(periods.monthToDate),
    lastMonth: emptyPerformance(periods.lastMonth),
  };
  let n = 0;
  for (const p of pathwaysAsAt(store, asOf, endOfLondonDay(asOf), periods.lastMonth.from)) {
    if (++n % SLICE === 0) yield;
    // A scoped user's performance (issue #25): the stops of pathways at their providers then.
    if (providers !== null && (p.provider === null || !providers.includes(p.provider))) continue;
    for (const { name, key, clock, treatment } of stopsInPeriods(p.clocks, p.state.fold.facts, periods))
      countStop(performance[key], name, p.tumourSite, clock.breached, treatment);
  }
  rates(performance.monthToDate);
  rates(performance.lastMonth);
  return { ...performance, targets: NATIONAL_TARGETS };
}

function emptyPerformance(period: { from: IsoDate; to: IsoDate }): Performance {
  return { period, standards: { fds: {}, d31: {}, d62: {} }, d31Parts: { first: {}, subsequent: {} } };
}

function count(cell: Cell, breached: boolean): void {
  cell.stopped++;
  if (!breached) cell.met++;
}

function diff(now: Counts, then: Counts): Counts {
  return { open: now.open - then.open, over62: now.over62 - then.over62, over104: now.over104 - then.over104 };
}

function sortKeys<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Who a 62-day breach belongs to, from the clock facts and the transfers recorded by the report's cut-off. */
function allocation({ log }: HistoryModels, pathwayId: string, asAt: string, facts: ClockFacts): Allocation {
  const events = log
    .ofPathway(pathwayId)
    .filter((e) => e.recordedAt <= asAt)
    .map((e) => e.event);
  return allocateBreach({ facts, holdings: holdingsOf(effectiveTimeline(events).map((e) => e.event)) });
}
