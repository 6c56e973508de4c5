// Calibration as at a day, from what was recorded by the end of that day (history.ts reads each
// pathway cut there): how many referrals arrive (by tumour site and route, with the weekday
// pattern, bank holidays and any trend), how each step that is not a queue ends and how long it
// takes, and each resource's demand, throughput, queue and capacity. Gathered one pathway at a
// time (bounded memory), then built into a plain, serialisable Calibration. docs/forecast.md
// explains each estimate.
import { dayNumber, fromDayNumber, type IsoDate } from '../vocabulary/calendar.ts';
import type { Route, TumourSite } from '../vocabulary/events.ts';
import { ExitCounter, leastSquares, round, type ExitTable } from './distributions.ts';
import { BANDS, type LagKind, type OpenPathway, type PathwayFacts, type QueueEpisode } from './history.ts';

/** Weeks of history the calibration reads: long enough to see waits of half a year, short enough to be current. */
export const WINDOW_WEEKS = 26;
/** Weeks the current level of referrals, demand and throughput is measured over. */
export const LEVEL_WEEKS = 8;
/** Fewer entries than this and a step's figures come from a wider group (any route, then any site). */
export const MIN_ENTRIES = 20;
/** Daily use less dispersed than this (variance over mean; Poisson demand gives about 1) means every slot is used. */
export const FULL_DISPERSION = 0.35;
/** Numbers kept per queue entry in the window. */
const ENTRY = 5;
/** A trend is used only when its slope is this many standard errors from zero, and never beyond ±MAX_TREND a week. */
const TREND_T = 2.5;
const MAX_TREND = 0.03;

export interface ArrivalStream {
  site: TumourSite;
  route: Route;
  /** The provider referred to ('' when none is recorded). */
  provider: string;
  /** Referrals on an average day of the level window, before the weekday factor. */
  perDay: number;
  /** Relative change a week (0.01: 1% a week), from the anchor day. */
  trendPerWeek: number;
  /** Referrals counted in the level window: the level's sampling error is about 1 / sqrt of this. */
  counted: number;
}

export interface Arrivals {
  /** Weekday factors, Sunday first, averaging 1 over a week. */
  weekday: number[];
  /** A bank holiday's factor, on the same scale. */
  holiday: number;
  /** The day (number) the level is measured at: the trend counts from here. */
  anchor: number;
  streams: ArrivalStream[];
  /** Share of referrals recorded within 0, 1, 2, ... days of receipt (cumulative). */
  recordedWithin: number[];
}

export type ResourceKind = 'first' | 'test' | 'treatment';

export interface ResourceModel {
  name: string;
  kind: ResourceKind;
  /** Entries a week (the need arising), over the last LEVEL_WEEKS weeks. */
  demandPerWeek: number;
  /** Slots used a week (attended or missed; tests done; treatments given), over the same weeks. */
  throughputPerWeek: number;
  /** Waiting at the end of the as-of day. */
  queue: number;
  /** Queue change a week over the level window (least squares), and its standard error. */
  queueGrowthPerWeek: number;
  queueGrowthSe: number;
  /** Slots a normal week (no bank holiday); see `basis`. */
  capacityPerWeek: number;
  /** The capacity estimate's relative standard error (normal weeks' variation over the root of their number). */
  capacitySe: number;
  /** How capacity was estimated. */
  basis: 'throughput while saturated' | 'lower bound: busiest recent week';
  saturated: boolean;
  /**
   * Variance over mean of the slots used a day (service weekdays of the level window): about 1
   * when use follows demand (Poisson), near 0 when every slot is filled every day.
   */
  dispersion: number | null;
  /** Share of a week's slots on each weekday, Sunday first. */
  weekdayShare: number[];
  /** Days from the need arising to the slot when the queue is not the constraint. */
  lead: ExitTable;
  /** The same by band of the wait at entry (null where too few): long waiters are booked sooner. */
  leadByBand: (ExitTable | null)[];
  /** Days waited by those served in the last four weeks. */
  waitDays: { median: number | null; p90: number | null };
  /**
   * Days from the need arising to the slot, for those who joined in the level window (Kaplan-Meier,
   * the still waiting censored): where bookings are not recorded, the place a patient already
   * waiting holds.
   */
  wait: ExitTable;
  /** Share of the window's entries with a booked day recorded (appointments, tests with their day). */
  bookedShare: number;
  /** Outcomes of a used slot (first appointments: seen or missed). */
  outcomes: Record<string, number>;
  /** Tests: days from the test to its report. */
  report: ExitTable | null;
  /** Chance a day that a patient waiting here is removed from the pathway. */
  removalPerDay: number;
}

export interface Calibration {
  asOf: IsoDate;
  window: { from: IsoDate; to: IsoDate };
  /** The first referral of the history read (null with none): how long the trust's history is. */
  historyFrom: IsoDate | null;
  arrivals: Arrivals;
  /** Non-queue steps: key `state|site|ctx|route|band`, with `*` for a wider group. */
  steps: Record<string, ExitTable>;
  resources: Record<string, ResourceModel>;
  /** Share of closing events recorded within 0, 1, 2, ... days (cumulative), by kind. */
  recordedWithin: Record<Exclude<LagKind, 'referral'>, number[]>;
  /** Bank holidays (day numbers) the calibration and the forecast know of. */
  holidays: number[];
  /**
   * The Christmas week (24 to 31 December, bank holidays aside) against the weeks before it, at the
   * last Christmas the history shows: slots used (all resources) and referrals; 1 without one.
   */
  christmas: { slots: number; referrals: number };
  /** The flows in and out of the backlog each week of the window (for the steward's chart, not the model). */
  flows: HistoryFlows;
}

/**
 * Referrals received, first treatments given and pathways closed otherwise (ruled out, removed),
 * by clinical date, in each week ending on a Sunday within the window, by tumour site and provider
 * as referred.
 */
export interface HistoryFlows {
  weekEndings: IsoDate[];
  groups: {
    site: TumourSite;
    provider: string;
    referred: number[];
    treated: number[];
    closed: number[];
    /** The days of the as-of day's own week up to it (none when it is a Sunday): the first forecast week's start. */
    weekSoFar: WeekFlowCounts;
  }[];
}

export interface WeekFlowCounts {
  referred: number;
  treated: number;
  closed: number;
}

/**
 * What came before, without the site's own test names, for pooling a route over sites: a
 * consultant upgrade is half cancers at any site. ('seen', 'stt' and '' stand for themselves.)
 */
export function contextClass(ctx: string): string {
  return ctx === '' || ctx === 'seen' || ctx === 'stt' ? ctx : ctx === 'biopsy' ? '~biopsy' : '~test';
}

/**
 * The keys a step is looked up under (state|site|context|route|band), narrowest first. The site
 * and what came before (the context) are kept longest, as they say what can follow (a site's own
 * tests and treatments), then the route (an upgrade is far likelier cancer), then the band, which
 * says how soon; the route pooled over sites comes before the sites' routes pooled.
 */
export function stepKeys(state: string, site: string, ctx: string, route: string, band: number | string): string[] {
  return [
    `${state}|${site}|${ctx}|${route}|${band}`,
    `${state}|${site}|${ctx}|${route}|*`,
    `${state}|${site}|${ctx}|*|${band}`,
    `${state}|*|${contextClass(ctx)}|${route}|*`,
    `${state}|${site}|${ctx}|*|*`,
    `${state}|${site}|*|*|${band}`,
    `${state}|${site}|*|*|*`,
    `${state}|*|${ctx}|*|${band}`,
    `${state}|*|${ctx}|*|*`,
    `${state}|*|*|*|*`,
  ];
}

/**
 * The resources a tumour site's pathways were seen to use in the window: its own first clinic, and
 * the tests and treatments its steps led to (a test shared with other sites is among them).
 */
export function resourcesOfSite(cal: Calibration, site: TumourSite): Set<string> {
  const used = new Set([`first:${site}`]);
  for (const [key, table] of Object.entries(cal.steps)) {
    if (key.split('|')[1] !== site || table.exits === 0) continue;
    for (const label of table.labels) {
      const resource = resourceOfOutcome(label);
      if (resource) used.add(resource);
    }
  }
  return new Set([...used].filter((name) => name in cal.resources));
}

/** The resource a step's outcome (history.ts's labels) queues for next: a test, or a decision's treatment; null for none. */
export function resourceOfOutcome(label: string): string | null {
  if (label.startsWith('test:')) return label;
  if (label.startsWith('dtt:')) return `treatment:${label.slice(4)}`;
  return null;
}

export function resourceKind(name: string): ResourceKind {
  return name.startsWith('first:') ? 'first' : name.startsWith('test:') ? 'test' : 'treatment';
}

const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;

/** The Christmas weeks the calibration may compare (christmasFactor): 24 December of this year and the last, once ended. */
function christmasEves(asOf: IsoDate): number[] {
  const year = Number(asOf.slice(0, 4));
  return [year, year - 1].map((y) => dayNumber(`${y}-12-24`)).filter((eve) => eve + 7 <= dayNumber(asOf));
}

/**
 * What the calibration as at `asOf` reads of a pathway that is closed: anything dated in the last
 * WINDOW_WEEKS, and the slots and referrals of the Christmas weeks it compares with the four weeks
 * before them. A pathway closed with nothing dated in these is left unread (only its referral day
 * counts, to date the history's start: CalibrationBuilder.referredBy).
 */
export function readWindows(asOf: IsoDate): { since: IsoDate; spans: { from: IsoDate; to: IsoDate }[] } {
  return {
    since: fromDayNumber(dayNumber(asOf) - WINDOW_WEEKS * 7 + 1),
    spans: christmasEves(asOf).map((eve) => ({ from: fromDayNumber(eve - 28), to: fromDayNumber(eve + 7) })),
  };
}

/** Gathers pathways one at a time; `build()` gives the Calibration. */
export class CalibrationBuilder {
  readonly asOfDay: number;
  readonly from: number;
  private readonly holidays: Set<number>;
  private readonly referrals = new Map<string, Float64Array>();
  private readonly steps = new Map<string, ExitCounter>();
  private readonly resources = new Map<string, ResourceCounts>();
  private readonly lags = new Map<LagKind, number[]>();
  private firstReferral = Infinity;
  /** Slots used (all resources) and referrals by day, over the whole history: for the Christmas factor. */
  private readonly usedByDay = new Map<number, number>();
  private readonly referredByDay = new Map<number, number>();
  /** Flows by day of the window, per site|provider: referred, treated, closed. */
  private readonly flowsByDay = new Map<string, { referred: Int32Array; treated: Int32Array; closed: Int32Array }>();
  readonly open: OpenPathway[] = [];

  constructor(
    readonly asOf: IsoDate,
    holidays: Iterable<number> = [],
  ) {
    this.asOfDay = dayNumber(asOf);
    this.from = this.asOfDay - WINDOW_WEEKS * 7 + 1;
    this.holidays = new Set(holidays);
  }

  add(p: PathwayFacts): void {
    if (p.open) this.open.push(p.open);
    if (p.referred < this.firstReferral) this.firstReferral = p.referred;
    this.referredByDay.set(p.referred, (this.referredByDay.get(p.referred) ?? 0) + 1);
    for (const q of p.queues)
      if (q.served !== null) this.usedByDay.set(q.served, (this.usedByDay.get(q.served) ?? 0) + 1);
    const length = this.asOfDay - this.from + 1;
    if (p.referred >= this.from) {
      const key = `${p.site}|${p.route}|${p.provider ?? ''}`;
      let a = this.referrals.get(key);
      if (!a) this.referrals.set(key, (a = new Float64Array(length)));
      a[p.referred - this.from]! += 1;
    }
    for (const s of p.states) {
      if (s.entered < this.from) continue;
      const key = `${s.state}|${s.site}|${s.ctx}|${s.route}|${s.band}`;
      let c = this.steps.get(key);
      if (!c) this.steps.set(key, (c = new ExitCounter()));
      if (s.left === null) c.censor(this.asOfDay - s.entered);
      else c.exit(s.left - s.entered, s.label!);
    }
    for (const q of p.queues) {
      // A resource is known by the waits in the window (one used only before it is not a constraint now).
      if (!inWindow(q, this.from, this.asOfDay)) continue;
      let r = this.resources.get(q.resource);
      if (!r) this.resources.set(q.resource, (r = new ResourceCounts(this.from, this.asOfDay, this.holidays)));
      r.add(q, p.referred);
    }
    for (const l of p.lags) {
      if (l.on < this.from || l.on > this.asOfDay) continue;
      const key = `${p.site}|${p.provider ?? ''}`;
      let f = this.flowsByDay.get(key);
      if (!f)
        this.flowsByDay.set(
          key,
          (f = { referred: new Int32Array(length), treated: new Int32Array(length), closed: new Int32Array(length) }),
        );
      f[l.kind === 'referral' ? 'referred' : l.kind][l.on - this.from]! += 1;
    }
    // Recording delays, from events old enough that a late recording would have arrived by now.
    for (const l of p.lags) {
      if (l.on < this.from || l.on > this.asOfDay - 21 || l.lag < 0) continue;
      let a = this.lags.get(l.kind);
      if (!a) this.lags.set(l.kind, (a = []));
      const d = Math.min(l.lag, 20);
      a[d] = (a[d] ?? 0) + 1;
    }
  }

  /**
   * Adds what another builder gathered (made as at the same day, from other pathways): the
   * forecast's read is split between worker threads, each gathering its share, and the shares are
   * added here. Only plain fields are read, so `other` may be a builder passed between threads
   * (its class lost on the way). Every count is a sum, so the order shares are added in does not matter.
   */
  merge(other: CalibrationBuilder): void {
    for (const [key, a] of other.referrals) {
      const mine = this.referrals.get(key);
      if (mine) for (let i = 0; i < a.length; i++) mine[i]! += a[i]!;
      else this.referrals.set(key, Float64Array.from(a));
    }
    for (const [key, c] of other.steps) {
      let mine = this.steps.get(key);
      if (!mine) this.steps.set(key, (mine = new ExitCounter()));
      mine.merge(c);
    }
    for (const [name, r] of other.resources) {
      let mine = this.resources.get(name);
      if (!mine) this.resources.set(name, (mine = new ResourceCounts(this.from, this.asOfDay, this.holidays)));
      mine.merge(r);
    }
    for (const [kind, a] of other.lags) {
      let mine = this.lags.get(kind);
      if (!mine) this.lags.set(kind, (mine = []));
      a.forEach((n, d) => (mine[d] = (mine[d] ?? 0) + n));
    }
    this.firstReferral = Math.min(this.firstReferral, other.firstReferral);
    for (const [mine, theirs] of [
      [this.usedByDay, other.usedByDay],
      [this.referredByDay, other.referredByDay],
    ] as const)
      for (const [day, n] of theirs) mine.set(day, (mine.get(day) ?? 0) + n);
    // Copied from another thread, each open pathway has its own copy of every name: one of each is kept.
    const names = new Map<string, string>();
    const one = <T extends string | null>(name: T): T => {
      if (name === null) return name;
      const kept = names.get(name);
      if (kept !== undefined) return kept as T;
      names.set(name, name);
      return name;
    };
    for (const o of other.open) {
      o.route = one(o.route);
      o.site = one(o.site);
      o.provider = one(o.provider);
      o.state = one(o.state);
      o.returnsTo = one(o.returnsTo);
      o.decided = one(o.decided);
      o.ctx = one(o.ctx);
      for (const w of o.waiting) w.resource = one(w.resource);
      this.open.push(o);
    }
    for (const [key, f] of other.flowsByDay) {
      const mine = this.flowsByDay.get(key);
      if (!mine)
        this.flowsByDay.set(key, {
          referred: Int32Array.from(f.referred),
          treated: Int32Array.from(f.treated),
          closed: Int32Array.from(f.closed),
        });
      else
        for (const k of ['referred', 'treated', 'closed'] as const)
          for (let i = 0; i < mine[k].length; i++) mine[k][i]! += f[k][i]!;
    }
  }

  /**
   * The history began before `day` (a referral the read left out, as it closed before anything
   * the calibration looks at): it counts toward the history's first referral.
   */
  referredBy(day: number): void {
    this.firstReferral = Math.min(this.firstReferral, day);
  }

  build(): Calibration {
    const steps: Record<string, ExitTable> = {};
    const merged = new Map<string, ExitCounter>();
    for (const [key, counter] of this.steps) {
      const [state, site, ctx, route, band] = key.split('|') as [string, string, string, string, string];
      for (const k of stepKeys(state, site, ctx, route, band)) {
        let m = merged.get(k);
        if (!m) merged.set(k, (m = new ExitCounter()));
        m.merge(counter);
      }
    }
    for (const k of [...merged.keys()].sort()) {
      const m = merged.get(k)!;
      if (m.entries >= MIN_ENTRIES || k.endsWith('|*|*|*|*')) steps[k] = m.table();
    }
    const resources: Record<string, ResourceModel> = {};
    const built = [...this.resources.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, r]) => ({ model: r.model(name), lead: r.lead }));
    borrowLeads(built);
    for (const { model } of built) resources[model.name] = model;
    const cumulative = (kind: LagKind) => {
      const a = this.lags.get(kind) ?? [];
      const total = a.reduce((s, n) => s + (n ?? 0), 0);
      let c = 0;
      const out: number[] = [];
      for (let d = 0; d < a.length; d++) out.push(total ? round((c += a[d] ?? 0) / total, 6) : 1);
      return out.length ? out : [1];
    };
    return {
      asOf: this.asOf,
      window: { from: fromDayNumber(this.from), to: this.asOf },
      historyFrom: this.firstReferral === Infinity ? null : fromDayNumber(this.firstReferral),
      arrivals: this.arrivals(cumulative('referral')),
      steps,
      resources,
      recordedWithin: { treated: cumulative('treated'), closed: cumulative('closed') },
      holidays: [...this.holidays].sort((a, b) => a - b),
      christmas: { slots: this.christmasFactor(this.usedByDay), referrals: this.christmasFactor(this.referredByDay) },
      flows: this.flows(),
    };
  }

  /** The flows by week (HistoryFlows): whole weeks ending on Sundays from the window's start to the as-of day. */
  private flows(): HistoryFlows {
    const lastSunday = this.asOfDay - weekdayOf(this.asOfDay);
    const sundays: number[] = [];
    for (let s = lastSunday; s - 6 >= this.from; s -= 7) sundays.unshift(s);
    const sum = (a: Int32Array, from: number, to: number) => {
      let n = 0;
      for (let d = Math.max(from, this.from); d <= to; d++) n += a[d - this.from]!;
      return n;
    };
    const weekly = (a: Int32Array) => sundays.map((s) => sum(a, s - 6, s));
    const soFar = (a: Int32Array) => sum(a, lastSunday + 1, this.asOfDay);
    return {
      weekEndings: sundays.map(fromDayNumber),
      groups: [...this.flowsByDay.keys()].sort().map((key) => {
        const [site, provider] = key.split('|') as [TumourSite, string];
        const f = this.flowsByDay.get(key)!;
        return {
          site,
          provider,
          referred: weekly(f.referred),
          treated: weekly(f.treated),
          closed: weekly(f.closed),
          weekSoFar: { referred: soFar(f.referred), treated: soFar(f.treated), closed: soFar(f.closed) },
        };
      }),
    };
  }

  /**
   * Counts a working day of the last Christmas week the history shows (24-31 December) against
   * those of the four weeks before it, weekday by weekday; 1 when the history has no Christmas.
   */
  private christmasFactor(byDay: Map<number, number>): number {
    const working = (d: number) => weekdayOf(d) >= 1 && weekdayOf(d) <= 5 && !this.holidays.has(d);
    for (const christmasEve of christmasEves(this.asOf)) {
      if (christmasEve - 28 < this.firstReferral + 90) continue; // the history too young
      let ratio = 0;
      let days = 0;
      for (let d = christmasEve; d <= christmasEve + 7; d++) {
        if (!working(d)) continue;
        const before = [7, 14, 21, 28].map((k) => d - k).filter(working);
        const usual = before.reduce((s, b) => s + (byDay.get(b) ?? 0), 0) / Math.max(1, before.length);
        if (usual <= 0) continue;
        ratio += (byDay.get(d) ?? 0) / usual;
        days++;
      }
      if (days > 0) return round(ratio / days, 3);
    }
    return 1;
  }

  /** The referral model: weekday factors and a bank-holiday factor pooled over all referrals, a level per site and route, a trend per site. */
  private arrivals(recordedWithin: number[]): Arrivals {
    // The last week is left out: referrals registered late would still be missing from it.
    const end = this.asOfDay - 7;
    const start = Math.max(this.from, this.firstReferral);
    const isHoliday = (d: number) => this.holidays.has(d);
    const byWeekday = new Array<number>(7).fill(0);
    const daysByWeekday = new Array<number>(7).fill(0);
    let holidayCount = 0;
    let holidayDays = 0;
    const total = (d: number) => {
      let n = 0;
      for (const a of this.referrals.values()) n += a[d - this.from]!;
      return n;
    };
    for (let d = start; d <= end; d++) {
      if (isHoliday(d) && weekdayOf(d) >= 1 && weekdayOf(d) <= 5) {
        holidayCount += total(d);
        holidayDays++;
      } else if (!isHoliday(d)) {
        byWeekday[weekdayOf(d)]! += total(d);
        daysByWeekday[weekdayOf(d)]!++;
      }
    }
    const means = byWeekday.map((n, w) => (daysByWeekday[w] ? n / daysByWeekday[w]! : 0));
    const overall = means.reduce((s, m) => s + m, 0) / 7;
    const weekday = means.map((m) => (overall > 0 ? m / overall : 1));
    const holiday = holidayDays > 0 && overall > 0 ? holidayCount / holidayDays / overall : weekday[0]!;
    const factor = (d: number) => (isHoliday(d) ? holiday : weekday[weekdayOf(d)]!);

    const levelStart = Math.max(start, end - LEVEL_WEEKS * 7 + 1);
    const anchor = Math.round((levelStart + end) / 2);
    let levelWeight = 0;
    for (let d = levelStart; d <= end; d++) levelWeight += factor(d);

    // A trend per site: its weekly rate (counts over expected) against the week, used only if clear.
    const trends = new Map<string, number>();
    const sites = new Set([...this.referrals.keys()].map((k) => k.split('|')[0]!));
    for (const site of sites) {
      const x: number[] = [];
      const y: number[] = [];
      for (let w = 0; start + (w + 1) * 7 - 1 <= end; w++) {
        let n = 0;
        let weight = 0;
        for (let d = start + w * 7; d < start + (w + 1) * 7; d++) {
          weight += factor(d);
          for (const [k, a] of this.referrals) if (k.startsWith(`${site}|`)) n += a[d - this.from]!;
        }
        x.push(w);
        y.push(weight > 0 ? n / weight : 0);
      }
      const fit = leastSquares(x, y);
      const mean = y.reduce((s, v) => s + v, 0) / (y.length || 1);
      const clear = x.length >= 8 && fit.se > 0 && Math.abs(fit.slope / fit.se) >= TREND_T && mean > 0;
      trends.set(site, clear ? Math.max(-MAX_TREND, Math.min(MAX_TREND, fit.slope / mean)) : 0);
    }

    const streams: ArrivalStream[] = [];
    for (const key of [...this.referrals.keys()].sort()) {
      const [site, route, provider] = key.split('|') as [TumourSite, Route, string];
      const a = this.referrals.get(key)!;
      let n = 0;
      for (let d = levelStart; d <= end; d++) n += a[d - this.from]!;
      if (n === 0) continue;
      streams.push({
        site,
        route,
        provider,
        perDay: round(n / levelWeight, 6),
        trendPerWeek: round(trends.get(site) ?? 0, 6),
        counted: n,
      });
    }
    return {
      weekday: weekday.map((w) => round(w, 6)),
      holiday: round(holiday, 6),
      anchor,
      streams,
      recordedWithin,
    };
  }
}

/** A place in a queue that was waiting (or used its slot) on some day from `from` to `to`. */
function inWindow(q: QueueEpisode, from: number, to: number): boolean {
  const end = q.served ?? q.ended; // the day it stops waiting
  return q.entered <= to && (end === null || end >= from);
}

/** A resource's counts over the window: arrivals, slots used, the queue day by day, and its waits. */
class ResourceCounts {
  private readonly length: number;
  readonly arrivals: Float64Array;
  readonly served: Float64Array;
  /** Difference array of the queue: +1 the day a need arises, -1 the day it is met or ends. */
  private readonly queueDiff: Float64Array;
  /**
   * Entries in the window, for the lead (entered, served or -1, ended or -1, band, referred), five
   * numbers each, in `entryInts` of a typed array that grows: millions at 350,000 open, and a plain
   * array of numbers would take twice the room and be copied item by item between threads.
   */
  private entries = new Int32Array(64 * ENTRY);
  private entryInts = 0;
  /** Each day, the latest referral day of those whose slot it was (-Infinity: none). */
  private readonly latestReferred: Float64Array;
  readonly lead = new ExitCounter();
  readonly wait = new ExitCounter();
  private booked = 0;
  readonly leadByBand = Array.from({ length: BANDS }, () => new ExitCounter());
  readonly report = new ExitCounter();
  readonly outcomes = new Map<string, number>();
  readonly recentWaits: number[] = [];
  removals = 0;
  patientDays = 0;

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly holidays: ReadonlySet<number>,
  ) {
    this.length = to - from + 1;
    this.arrivals = new Float64Array(this.length);
    this.served = new Float64Array(this.length);
    this.latestReferred = new Float64Array(this.length).fill(-Infinity);
    this.queueDiff = new Float64Array(this.length + 1);
  }

  add(q: QueueEpisode, referred: number): void {
    const end = q.served ?? q.ended; // the day it stops waiting
    const i = (d: number) => d - this.from;
    if (q.entered >= this.from) this.arrivals[i(q.entered)]! += 1;
    if (q.served !== null && q.served >= this.from && q.served <= this.to) {
      this.served[i(q.served)]! += 1;
      this.latestReferred[i(q.served)] = Math.max(this.latestReferred[i(q.served)]!, referred);
      this.outcomes.set(q.outcome!, (this.outcomes.get(q.outcome!) ?? 0) + 1);
      if (q.served > this.to - 28) this.recentWaits.push(q.served - q.entered);
      if (q.outcome === 'done')
        if (q.reported !== null) this.report.exit(q.reported - q.served, 'reported');
        else this.report.censor(this.to - q.served);
    }
    // In the queue at the end of each day from `entered` until the day before `end`.
    const a = Math.max(q.entered, this.from);
    const b = end === null || end > this.to ? this.to + 1 : end;
    if (a < b) {
      this.queueDiff[i(a)]! += 1;
      this.queueDiff[i(b)]! -= 1;
      this.patientDays += b - a;
    }
    if (q.outcome === 'removed' && q.ended !== null && q.ended >= this.from) this.removals++;
    if (q.entered >= this.from) {
      const at = this.reserve(ENTRY);
      const e = this.entries;
      e[at] = q.entered;
      e[at + 1] = q.served ?? -1;
      e[at + 2] = q.ended ?? -1;
      e[at + 3] = q.band;
      e[at + 4] = referred;
      if (q.booked !== null) this.booked++;
    }
    if (q.entered > this.to - LEVEL_WEEKS * 7) {
      if (q.served !== null) this.wait.exit(q.served - q.entered, 'served');
      else this.wait.censor((q.ended ?? this.to) - q.entered);
    }
  }

  /**
   * The notice a patient needs before a slot (the lead), estimated so that queueing does not count:
   * a wait is the lead itself only if every day from the need arising to the slot had a slot to
   * spare (nothing queued ahead); otherwise the lead is only known to be longer than the run of
   * spare days, a censored observation. Kaplan-Meier takes both. Days with no clinic count as spare
   * (a lead ending on a Saturday waits for Monday, as the forecast's patients do). A day had slots
   * to spare if it used clearly fewer than the most used on that weekday in the weeks around it.
   * Where bookings are not recorded (treatments), a full day tells as much if it gave a slot to
   * someone referred later: the queue serves in referral order (as the forecast's does), so the
   * patient was not ready that day. On a treatment always full that is the only way its lead (the
   * preparation) shows: without it, the long waiters, first in the queue, went to treatment a few
   * days after the decision, far sooner than they did (issue #23). Not where bookings are recorded:
   * there slots given back (cancellations, missed appointments) go to whoever asks next, so a slot
   * used by someone referred later says little, and the spare days already show the lead.
   */
  private estimateLead(weekdayShare: number[]): void {
    const spare = new Uint8Array(this.length + 1);
    for (let d = 0; d < this.length; d++) {
      const day = this.from + d;
      const wd = weekdayOf(day);
      if (weekdayShare[wd]! < 0.05 || this.holidays.has(day)) {
        spare[d] = 1;
        continue;
      }
      let full = 0;
      for (let k = d - 28; k <= d + 28; k += 7)
        if (k >= 0 && k < this.length && !this.holidays.has(this.from + k)) full = Math.max(full, this.served[k]!);
      spare[d] = this.served[d]! <= full - Math.max(1, 0.05 * full) ? 1 : 0;
    }
    // run[d]: how many days from d+1 on are spare in a row.
    const run = new Int32Array(this.length + 1);
    const unbooked = this.booked < 0.5 * (this.entryInts / ENTRY);
    for (let d = this.length - 1; d >= 0; d--) run[d] = spare[d + 1] ? run[d + 1]! + 1 : 0;
    const e = this.entries;
    for (let at = 0; at < this.entryInts; at += ENTRY) {
      const entered = e[at]!;
      const served = e[at + 1]!;
      const ended = e[at + 2]!;
      const band = e[at + 3]!;
      const referred = e[at + 4]!;
      const open = Math.max(
        run[entered - this.from]!,
        unbooked ? this.notReady(entered, served >= 0 ? served : ended, referred, spare) : 0,
      );
      for (const c of [this.lead, this.leadByBand[band]!]) {
        if (served >= 0 && served - entered <= open) c.exit(served - entered, 'served');
        else c.censor(Math.min(open, (served >= 0 ? served : ended >= 0 ? ended : this.to) - entered));
      }
    }
  }

  /**
   * Days from `entered` the patient is known not to have been ready for a slot: up to the last day
   * before its slot (or before it left, or the window's end) that gave a slot to someone referred
   * later; all of them if only days with slots to spare lie between that day and the slot.
   */
  private notReady(entered: number, left: number, referred: number, spare: Uint8Array): number {
    const end = (left >= 0 ? left : this.to + 1) - this.from;
    let d = end - 1;
    while (d > entered - this.from && !(this.latestReferred[d]! > referred)) d--;
    if (d <= entered - this.from) return 0;
    let k = d + 1;
    while (k < end && spare[k]) k++;
    return (k === end ? end : d) - (entered - this.from);
  }

  /** Room for `n` more numbers in `entries`: where they go. */
  private reserve(n: number): number {
    const at = this.entryInts;
    if (at + n > this.entries.length) {
      const grown = new Int32Array(Math.max(2 * this.entries.length, at + n));
      grown.set(this.entries.subarray(0, at));
      this.entries = grown;
    }
    this.entryInts = at + n;
    return at;
  }

  /** Adds another resource's counts over the same window (CalibrationBuilder.merge). */
  merge(other: ResourceCounts): void {
    for (const [mine, theirs] of [
      [this.arrivals, other.arrivals],
      [this.served, other.served],
      [this.queueDiff, other.queueDiff],
    ] as const)
      for (let i = 0; i < mine.length; i++) mine[i]! += theirs[i]!;
    // Exactly the room needed: a doubling here would hold tens of megabytes unused at 350,000 open.
    const entries = new Int32Array(this.entryInts + other.entryInts);
    entries.set(this.entries.subarray(0, this.entryInts));
    entries.set(other.entries.subarray(0, other.entryInts), this.entryInts);
    this.entries = entries;
    this.entryInts = entries.length;
    for (let d = 0; d < this.length; d++)
      this.latestReferred[d] = Math.max(this.latestReferred[d]!, other.latestReferred[d]!);
    this.lead.merge(other.lead);
    this.wait.merge(other.wait);
    this.booked += other.booked;
    this.leadByBand.forEach((c, i) => c.merge(other.leadByBand[i]!));
    this.report.merge(other.report);
    for (const [k, n] of other.outcomes) this.outcomes.set(k, (this.outcomes.get(k) ?? 0) + n);
    append(this.recentWaits, other.recentWaits);
    this.removals += other.removals;
    this.patientDays += other.patientDays;
  }

  private holidayWeek(sunday: number): boolean {
    for (let d = sunday - 6; d <= sunday; d++) if (this.holidays.has(d)) return true;
    return false;
  }

  /** Service days (weekdays with a share of the slots, not bank holidays) in the window. */
  private serviceDays(weekdayShare: number[]): number {
    let n = 0;
    for (let d = 0; d < this.length; d++)
      if (weekdayShare[weekdayOf(this.from + d)]! >= 0.05 && !this.holidays.has(this.from + d)) n++;
    return n;
  }

  /** Index of dispersion of daily slots used, per service weekday, weighted by days (null with too little use). */
  private dispersion(weekdayShare: number[]): number | null {
    let num = 0;
    let den = 0;
    for (let w = 0; w < 7; w++) {
      if (weekdayShare[w]! < 0.05) continue;
      const xs: number[] = [];
      for (let d = this.length - LEVEL_WEEKS * 7; d < this.length; d++)
        if (d >= 0 && weekdayOf(this.from + d) === w && !this.holidays.has(this.from + d)) xs.push(this.served[d]!);
      if (xs.length < 3) continue;
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      if (m <= 0) continue;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
      num += (v / m) * xs.length;
      den += xs.length;
    }
    return den > 0 ? num / den : null;
  }

  /** Queue at the end of each day of the window. */
  private queueByDay(): number[] {
    const out: number[] = [];
    let q = 0;
    for (let d = 0; d < this.length; d++) out.push((q += this.queueDiff[d]!));
    return out;
  }

  model(name: string): ResourceModel {
    const weeks = LEVEL_WEEKS;
    const queue = this.queueByDay();
    // Complete weeks ending on Sundays within the window, latest last.
    const lastSunday = this.to - weekdayOf(this.to);
    const weekEnds: number[] = [];
    for (let s = lastSunday; s - 6 >= this.from && weekEnds.length < weeks; s -= 7) weekEnds.unshift(s);
    const sum = (a: Float64Array, s: number) => {
      let n = 0;
      for (let d = s - 6; d <= s; d++) n += a[d - this.from]!;
      return n;
    };
    const arrivals = weekEnds.map((s) => sum(this.arrivals, s));
    const served = weekEnds.map((s) => sum(this.served, s));
    const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);
    const demandPerWeek = mean(arrivals);
    const throughputPerWeek = mean(served);
    const queueNow = queue[queue.length - 1] ?? 0;
    const qSeries = weekEnds.map((s) => queue[s - this.from]!);
    const growth = leastSquares(
      qSeries.map((_, k) => k),
      qSeries,
    );
    const weekdayCounts = new Array<number>(7).fill(0);
    for (let d = 0; d < this.length; d++) weekdayCounts[weekdayOf(this.from + d)]! += this.served[d]!;
    const totalServed = weekdayCounts.reduce((s, n) => s + n, 0);
    const weekdayShare = weekdayCounts.map((n) => (totalServed ? round(n / totalServed, 6) : n === 0 ? 0 : 0));
    if (!totalServed) for (let w = 1; w <= 5; w++) weekdayShare[w] = 0.2;

    const dispersion = this.dispersion(weekdayShare);
    this.estimateLead(weekdayShare);
    // Saturated: the queue grew clearly over the level window (demand beyond what the slots meet).
    // Saturated (the slots, not the demand, set the pace): every slot used every day, or, where a
    // day's use is too small to tell, a queue growing clearly and by a good part of itself.
    const perDay = totalServed / Math.max(1, this.serviceDays(weekdayShare));
    const full = perDay >= 1.5 && dispersion !== null && dispersion < FULL_DISPERSION;
    const start = qSeries[0] ?? 0;
    const rise = growth.slope * (qSeries.length - 1);
    const growing =
      growth.slope > 0 && growth.se >= 0 && growth.slope >= 3 * growth.se && rise >= Math.max(5, 0.25 * start);
    const saturated = throughputPerWeek > 0 && (full || growing);
    // Capacity: where saturated, what is used is what there is (normal weeks); elsewhere the busiest
    // normal week shows at least what the slots can take (exactly, if that week ran full).
    const normal = weekEnds.map((s, k) => [s, served[k]!] as const).filter(([s]) => !this.holidayWeek(s));
    const normalServed = (normal.length ? normal : weekEnds.map((s, k) => [s, served[k]!] as const)).map(([, n]) => n);
    const busiest = normalServed.length ? Math.max(...normalServed) : 0;
    const capacityPerWeek = saturated ? mean(normalServed) : busiest;
    const sd = Math.sqrt(
      normalServed.reduce((a, x) => a + (x - mean(normalServed)) ** 2, 0) / Math.max(1, normalServed.length - 1),
    );
    const capacitySe =
      capacityPerWeek > 0 && normalServed.length > 1 ? sd / capacityPerWeek / Math.sqrt(normalServed.length) : 0;
    const waits = this.recentWaits.sort((a, b) => a - b);
    const at = (q: number) => (waits.length ? waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]! : null);
    const used = [...this.outcomes.values()].reduce((s, n) => s + n, 0);
    return {
      name,
      kind: resourceKind(name),
      demandPerWeek: round(demandPerWeek, 2),
      throughputPerWeek: round(throughputPerWeek, 2),
      queue: queueNow,
      queueGrowthPerWeek: round(growth.slope, 3),
      queueGrowthSe: Number.isNaN(growth.se) ? 0 : round(growth.se, 3),
      capacityPerWeek: round(capacityPerWeek, 2),
      capacitySe: round(capacitySe, 4),
      basis: saturated ? 'throughput while saturated' : 'lower bound: busiest recent week',
      saturated,
      dispersion: dispersion === null ? null : round(dispersion, 3),
      weekdayShare,
      lead: this.lead.table(),
      wait: this.wait.table(),
      bookedShare: this.entryInts ? round(this.booked / (this.entryInts / ENTRY), 4) : 0,
      leadByBand: this.leadByBand.map((c) => (c.exits >= MIN_ENTRIES ? c.table() : null)),
      waitDays: { median: at(0.5), p90: at(0.9) },
      outcomes: Object.fromEntries([...this.outcomes].sort().map(([k, n]) => [k, round(n / used, 4)])),
      report: this.report.entries > 0 ? this.report.table() : null,
      removalPerDay: this.patientDays > 0 ? round(this.removals / this.patientDays, 8) : 0,
    };
  }
}

/**
 * A resource that never had slots to spare all the way to anyone's slot shows no lead at all: it
 * borrows the pooled lead of the resources of its kind (or one day).
 */
function borrowLeads(built: { model: ResourceModel; lead: ExitCounter }[]): void {
  for (const { model } of built) {
    if (model.lead.exits > 0) continue;
    const pooled = new ExitCounter();
    for (const o of built) if (o.model.kind === model.kind) pooled.merge(o.lead);
    model.lead = pooled.entries > 0 ? pooled.table() : oneDay();
    model.leadByBand = model.leadByBand.map(() => null);
  }
}

/** Appends `b` to `a` (a spread of millions of numbers would pass too many arguments). */
function append<T>(a: T[], b: readonly T[]): void {
  for (const x of b) a.push(x);
}

function oneDay(): ExitTable {
  return {
    labels: ['served'],
    days: [1],
    cum: [1],
    pick: [[[0, 1]]],
    tailFrom: 1,
    tailHazard: 1,
    tailPick: [[0, 1]],
    entries: 1,
    exits: 1,
  };
}
