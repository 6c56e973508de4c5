// The nightly breach report: everything is read "as at" the end of the report date, so a report
// for a past date comes out the same, byte for byte, whatever has been recorded since.
import { endOfLondonDay } from '../vocabulary/calendar.ts';
import { addDays, monthOf, previousMonthOf, type IsoDate } from '../vocabulary/calendar.ts';
import { backlogPosition, type TrendPoint } from '../cwt/backlog.ts';
import type { Clock, ClockFacts, ClockName, Clocks } from '../cwt/clocks.ts';
import { nextAction } from '../cwt/next-action.ts';
import { nextMilestone } from '../cwt/milestones.ts';
import { milestonesOfState } from '../domain/pathway.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import type { Store } from '../store/store.ts';
import { pathwaysAsAt, readFor, type HistoryModels } from '../queries/as-at.ts';
import { today } from '../wall-clock.ts';
import { allocate62, holdingsOf, type Allocation } from './allocation.ts';
import { subsequentTreatmentCounts } from '../vocabulary/cwt-codes.ts';
import { runThrough, SLICE } from '../slices.ts';
import { timedPathwayReader, type TimedPathwayPeriod } from '../queries/timed-pathways.ts';
import type { PathwayStatistics } from '../cwt/timed-statistics.ts';
import { inequalityReader } from '../queries/inequalities.ts';
import type { Inequalities } from '../cwt/inequalities.ts';

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
  /**
   * The 62-day standard by provider, each transferred patient shared between the accountable
   * investigating provider and the treating one as national processing shares them (halves, met
   * patients too: allocation.ts). `standards.d62` counts the shares of the providers that referred
   * the patients counted (the trust's own), so a patient treated at a tertiary centre counts its half.
   */
  d62ByProvider: Record<string, Cell>;
}

export interface Cell {
  /** Clocks stopped in the period (62-day: patients' shares, so possibly a half). */
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
  /** Where the days go (issue #26): the timed pathways' step statistics of the last 4 weeks. */
  timedPathways: { weeks: number; from: IsoDate; to: IsoDate; pathways: PathwayStatistics[] };
  /**
   * Who waits longest (issue #27): by deprivation quintile, suppressed (small numbers hidden), as the
   * report goes to managers without pathway access.
   */
  inequalities: Inequalities;
}

const zero = (): Counts => ({ open: 0, over62: 0, over104: 0 });

/** The store's modules the report reads. */
export type ReportModels = HistoryModels & Pick<Store, 'backlog' | 'settings' | 'clock' | 'timed' | 'imd'>;

/** The report for `asOf`, made straight through (the nightly job, the CLI). */
export function buildReport(store: ReportModels, asOf: IsoDate): Report {
  return runThrough(reportSlices(store, asOf));
}

/**
 * The report for `asOf`, yielding every SLICE pathways (src/slices.ts): the server makes one giving
 * way to other requests (at 360,000 open pathways a report is a pass of seconds).
 */
export function* reportSlices(store: ReportModels, asOf: IsoDate): Generator<void, Report> {
  const { backlog: counts, settings, clock, timed } = store;
  const definitions = timed.definitions();
  const asAt = endOfLondonDay(asOf);
  const { monthToDate: mtd, lastMonth } = periodsOf(asOf);
  const backlog = { ...zero(), byTumourSite: {} as Record<string, Counts>, byProvider: {} as Record<string, Counts> };
  const listed: ListedPatient[] = [];
  const performance = { monthToDate: new Tally(mtd), lastMonth: new Tally(lastMonth) };
  const breachedStops = { monthToDate: [] as BreachedStop[], lastMonth: [] as BreachedStop[] };
  const subsequentAwaited: SubsequentAwaited[] = [];

  // One pass serves the report, the timed pathways' last 4 weeks and the deprivation split: read
  // from the earliest day any of them needs, each taking the pathways its own read would give.
  const timedSteps = timedPathwayReader(store, asOf, null, [4]);
  const deprivation = inequalityReader(store, { by: 'deprivation', asOf, suppress: true });
  const since = [lastMonth.from, timedSteps.since, deprivation.since].sort()[0]!;
  let n = 0;
  for (const p of pathwaysAsAt(store, asOf, asAt, since)) {
    if (++n % SLICE === 0) yield;
    timedSteps.add(p);
    deprivation.add(p);
    // Only pathways open at the cut-off or with a clock stop in the two periods can count.
    if (!readFor(p, lastMonth.from)) continue;
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
        const milestone = nextMilestone(milestonesOfState(state, definitions, true).planned);
        const next = nextAction(p.stage, state.fold.facts.start, breachDate, state.tracking, milestone);
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
      const shared = name === 'd62' ? allocation(store, p.pathwayId, asAt, state.fold.facts) : null;
      performance[key].count(name, p.tumourSite, clock.breached, treatment, shared);
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
          allocation: shared,
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
    performance: {
      monthToDate: performance.monthToDate.done(),
      lastMonth: performance.lastMonth.done(),
      targets: NATIONAL_TARGETS,
    },
    breachedStops: {
      monthToDate: breachedStops.monthToDate.sort(byStop),
      lastMonth: breachedStops.lastMonth.sort(byStop),
    },
    trend: counts.trendNow(addDays(asOf, -89), asOf, today(clock)),
    subsequentAwaited,
    timedPathways: whereTheDaysGo(timedSteps.done()),
    inequalities: deprivation.done(),
  };
}

/** The step statistics of the 4 weeks to the report date, without the patients behind them. */
function whereTheDaysGo([fourWeeks]: TimedPathwayPeriod[]): Report['timedPathways'] {
  const { weeks, from, to, pathways } = fourWeeks!;
  return { weeks, from, to, pathways };
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

type Shares = { patients: number; breaches: number };

/** Stops counted for one period: each per tumour site and overall; the 62-day by provider share (issue #24). */
class Tally {
  private readonly perf: Performance;
  /** 62-day shares by tumour site, then provider. */
  private readonly d62 = new Map<string, Map<string, Shares>>();
  /** The providers that referred the patients counted: the trust's own. */
  private readonly issuers = new Set<string>();

  constructor(period: { from: IsoDate; to: IsoDate }) {
    this.perf = {
      period,
      standards: { fds: {}, d31: {}, d62: {} },
      d31Parts: { first: {}, subsequent: {} },
      d62ByProvider: {},
    };
  }

  /** One stop; a 31-day stop also in its part (first or subsequent); a 62-day stop by its allocation. */
  count(name: ClockName, tumourSite: string, breached: boolean, treatment: number, shared: Allocation | null): void {
    if (name === 'd62' && shared) {
      this.issuers.add(shared.referring);
      let bySite = this.d62.get(tumourSite);
      if (!bySite) this.d62.set(tumourSite, (bySite = new Map()));
      for (const { provider, patients, breaches } of shared.shares) {
        const s = bySite.get(provider) ?? { patients: 0, breaches: 0 };
        bySite.set(provider, { patients: s.patients + patients, breaches: s.breaches + breaches });
      }
      return;
    }
    for (const site of [tumourSite, 'all']) {
      add((this.perf.standards[name][site] ??= empty()), 1, breached ? 1 : 0);
      if (name === 'd31')
        add((this.perf.d31Parts[treatment === 1 ? 'first' : 'subsequent'][site] ??= empty()), 1, breached ? 1 : 0);
    }
  }

  done(): Performance {
    const { perf } = this;
    for (const [site, byProvider] of [...this.d62].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const [provider, s] of byProvider) {
        add((perf.d62ByProvider[provider] ??= empty()), s.patients, s.breaches);
        if (!this.issuers.has(provider)) continue;
        for (const key of [site, 'all']) add((perf.standards.d62[key] ??= empty()), s.patients, s.breaches);
      }
    }
    perf.d62ByProvider = sortKeys(perf.d62ByProvider);
    const cells = [...Object.values(perf.standards), ...Object.values(perf.d31Parts), perf.d62ByProvider];
    for (const bySite of cells)
      for (const cell of Object.values(bySite)) cell.rate = cell.stopped ? cell.met / cell.stopped : null;
    return perf;
  }
}

const empty = (): Cell => ({ stopped: 0, met: 0, rate: null });
function add(cell: Cell, patients: number, breaches: number): void {
  cell.stopped += patients;
  cell.met += patients - breaches;
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
  const asAt = endOfLondonDay(asOf);
  const tallies = { monthToDate: new Tally(periods.monthToDate), lastMonth: new Tally(periods.lastMonth) };
  let n = 0;
  for (const p of pathwaysAsAt(store, asOf, asAt, periods.lastMonth.from)) {
    if (++n % SLICE === 0) yield;
    // A scoped user's performance (issue #25): the stops of pathways at their providers then.
    if (providers !== null && (p.provider === null || !providers.includes(p.provider))) continue;
    const facts = p.state.fold.facts;
    for (const { name, key, clock, treatment } of stopsInPeriods(p.clocks, facts, periods)) {
      const shared = name === 'd62' ? allocation(store, p.pathwayId, asAt, facts) : null;
      tallies[key].count(name, p.tumourSite, clock.breached, treatment, shared);
    }
  }
  return { monthToDate: tallies.monthToDate.done(), lastMonth: tallies.lastMonth.done(), targets: NATIONAL_TARGETS };
}

function diff(now: Counts, then: Counts): Counts {
  return { open: now.open - then.open, over62: now.over62 - then.over62, over104: now.over104 - then.over104 };
}

function sortKeys<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Who a 62-day stop counts for, from the clock facts and the transfers recorded by the report's cut-off. */
function allocation({ log }: HistoryModels, pathwayId: string, asAt: string, facts: ClockFacts): Allocation {
  const events = log
    .ofPathway(pathwayId)
    .filter((e) => e.recordedAt <= asAt)
    .map((e) => e.event);
  return allocate62({ facts, holdings: holdingsOf(effectiveTimeline(events).map((e) => e.event)) });
}
