// Synthetic, deterministic event histories of suspected-cancer referrals, for demo data,
// `openptl import` and benchmarks. Same options, same bytes. Model and calibration: docs/simulation.md.
//
// Where waits come from (issue #22): a step that needs a slot (a first appointment, a test, a first
// treatment) takes the next free slot of its resource (resources.ts), so waits grow where demand
// exceeds capacity. Pathways are planned one at a time in order of referral, each booking as it
// goes, so a resource serves patients in order of referral date. Steps that are not queues
// (reporting, the MDT's weekly cycle, the patient's choices) are drawn from model.ts's tables.
//
// How it stays valid: each pathway is planned as a chain of events in clinical order, which the
// referral machine accepts (cwt-rules R16) and which is recorded in that order; a few events that
// move no clock are recorded days late, after events dated later (back-dated, R14), but always
// dated before the pathway closes. The plan keeps the guard rails (R18): a missed first appointment
// is dated the day it was booked for, no slot is booked more than a year ahead, offers come after
// the decision to treat, nothing is dated before 2000. Nothing is dated or recorded after `asOf`
// (nor after `recordedUntil`): a pathway whose next step falls later simply stops there, still open.
//
// How memory stays bounded: referrals are generated day by day in date order. A pathway's lines
// wait in a bucket for the day they are recorded; once every referral of a day is generated,
// nothing not yet generated can be recorded on that day (a pathway records nothing before its
// referral), so that day's bucket is sorted by time and written. Only lines recorded in the future
// of the current day are held: a few months of one day's referrals, whatever the total length.
// The slot calendars hold a number per resource and day.
import { dayNumber, fromDayNumber, isEnglandBankHoliday, isIsoDate, type IsoDate } from '../vocabulary/calendar.ts';
import type { PathwayEvent, Route, TumourSite } from '../vocabulary/events.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { checkDigit } from '../vocabulary/nhs-number.ts';
import { demandRanges, REFERRALS, type DemandRange } from './demand.ts';
import * as M from './model.ts';
import { Random, type Mix } from './random.ts';
import {
  bookedAtStart,
  capacitySchedule,
  clinicShare,
  defaultCapacityScale,
  RESOURCES,
  resourceIndex,
  SlotCalendar,
  type CapacityRange,
} from './resources.ts';
import { NO_SCENARIO, type Scenario } from './scenario.ts';
import { EQUALITY_STREAM, equalityDetails } from './equality.ts';

/** One line of an import file: an event with the pathway it belongs to and when it was recorded. */
export type ImportLine = PathwayEvent & { pathwayId: string; recordedAt: string };

export interface SimulateOptions {
  referralsPerMonth: number;
  months: number;
  seed: number;
  /** The end of the history: nothing is dated or recorded after this day. */
  asOf: IsoDate;
  /** Every resource's capacity as a multiple of the trust preset's per referral (default: 1, more for a smaller trust). */
  capacityScale?: number;
  /** Changes to capacity and demand (scenario.ts's readScenario). */
  scenario?: Scenario;
  /** An instant (ISO 8601): no line recorded after it is written. The command gives the time it runs. */
  recordedUntil?: string;
}

/** What a run made, returned when the generator is done. */
export interface SimulateSummary {
  pathways: number;
  lines: number;
  /** The most lines held at once, waiting for the day they are recorded (bounded memory). */
  maxHeldLines: number;
}

export const PRESETS = {
  trust: { referralsPerMonth: 5500, months: 12 },
  england: { referralsPerMonth: 253_000, months: 12 },
  demo: { referralsPerMonth: 350, months: 12 },
} as const;

export type PresetName = keyof typeof PRESETS;

/** Upper bounds that keep a typo from asking for years of output. */
export const LIMITS = { referralsPerMonth: 10_000_000, months: 120, capacityScale: 100 } as const;
/** No event may be dated before 2000 (R18): a history ends on or after it, and starts no earlier. */
export const EARLIEST_AS_OF = EARLIEST_EVENT_DATE;

const SECONDS_PER_DAY = 86_400;
/**
 * Recording happens in working hours, from 08:00 UTC: an event is entered at a random time before
 * 18:00, or a few minutes after the pathway's previous entry, so always before 23:00 UTC (midnight
 * in London in summer) on the day it is recorded.
 */
const WORKDAY_START = 8 * 3600;
const WORKDAY_LENGTH = 10 * 3600;
/** Day numbers past the end of the history that a plan may still name (a booked appointment, an offered date). */
const LOOKAHEAD_DAYS = 400;
/** No slot is booked more than this many days after it is asked for (R18 refuses an appointment over a year ahead). */
const MAX_BOOKING_AHEAD = 365;

/** The model as run: the history's days, each resource's capacity by date range, the referral mix by date range. */
export interface ModelAsRun {
  first: number;
  last: number;
  /** The last day a slot may be booked for. */
  end: number;
  total: number;
  capacityScale: number;
  capacity: CapacityRange[][];
  demand: DemandRange[];
}

export function modelAsRun(opts: SimulateOptions): ModelAsRun {
  checkOptions(opts);
  const last = dayNumber(opts.asOf);
  const first = Math.max(dayNumber(monthsBefore(opts.asOf, opts.months)) + 1, dayNumber(EARLIEST_AS_OF));
  const scenario = opts.scenario ?? NO_SCENARIO;
  const capacityScale = opts.capacityScale ?? defaultCapacityScale(opts.referralsPerMonth);
  return {
    first,
    last,
    end: last + LOOKAHEAD_DAYS,
    total: Math.round(opts.referralsPerMonth * opts.months),
    capacityScale,
    capacity: capacitySchedule(opts.referralsPerMonth, capacityScale, scenario),
    demand: demandRanges(scenario),
  };
}

export function* simulate(opts: SimulateOptions): Generator<ImportLine, SimulateSummary> {
  const model = modelAsRun(opts);
  const { first, last, end } = model;
  const days = new SimDays(first, end);
  const slots = model.capacity.map(
    (ranges, r) => new SlotCalendar(first, end, ranges, days.shares, bookedAtStart(RESOURCES[r]!)),
  );
  const queue = new RecordQueue(first, last);
  const recordEnd = Math.min(
    (last + 1) * SECONDS_PER_DAY,
    opts.recordedUntil === undefined ? Infinity : Math.floor(Date.parse(opts.recordedUntil) / 1000) + 1,
  );
  const planner = new Planner(
    opts.seed,
    days,
    last,
    recordEnd,
    queue,
    new NhsNumbers(new Random(opts.seed).int(0x7fffffff)),
    slots,
  );

  let made = 0;
  let lines = 0;
  for (const { day, upTo, mix } of referralDays(model)) {
    for (; made < upTo; made++) planner.pathway(made, day, mix!); // no mix only when no one is referred
    // Every later referral is received, and so recorded, after this day.
    const taken = queue.take(day, days.of(day));
    lines += taken.length;
    for (let i = 0; i < taken.length; i++) yield taken[i]!;
  }
  return { pathways: made, lines, maxHeldLines: queue.maxHeld };
}

/**
 * Each day of the history, with the referrals received by its end: weighted by the day of the week
 * (bank holidays as a Sunday) and by the scenario's demand, rounded so that without a demand change
 * the days add up to `total`.
 */
export function* referralDays(model: ModelAsRun): Generator<{ day: number; upTo: number; mix: Mix<number> | null }> {
  const { first, last, total, demand } = model;
  let weightSum = 0;
  for (let day = first; day <= last; day++) weightSum += referralWeight(day);
  let cumulative = 0;
  let range = 0;
  for (let day = first; day <= last; day++) {
    while (range + 1 < demand.length && demand[range + 1]!.from <= day) range++;
    const { mix, multiplier } = demand[range]!;
    cumulative += referralWeight(day) * multiplier;
    yield { day, upTo: Math.round((total * cumulative) / weightSum), mix };
  }
}

/** A day's share of the referrals: by the day of the week, a bank holiday as a Sunday. */
export function referralWeight(day: number): number {
  return M.WEEKDAY_WEIGHTS[isEnglandBankHoliday(fromDayNumber(day)) ? 0 : weekday(day)]!;
}

export function checkOptions(opts: SimulateOptions): void {
  const { referralsPerMonth, months, seed, asOf, capacityScale, scenario, recordedUntil } = opts;
  if (!Number.isFinite(referralsPerMonth) || referralsPerMonth < 0 || referralsPerMonth > LIMITS.referralsPerMonth) {
    throw new RangeError(
      `referralsPerMonth must be a number from 0 to ${LIMITS.referralsPerMonth} (got ${referralsPerMonth})`,
    );
  }
  if (!Number.isInteger(months) || months < 0 || months > LIMITS.months) {
    throw new RangeError(`months must be a whole number from 0 to ${LIMITS.months} (got ${months})`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number (got ${seed})`);
  if (typeof asOf !== 'string' || !isIsoDate(asOf) || asOf < EARLIEST_AS_OF) {
    throw new RangeError(`asOf must be a real calendar date, YYYY-MM-DD, from ${EARLIEST_AS_OF} (got ${asOf})`);
  }
  if (
    capacityScale !== undefined &&
    !(Number.isFinite(capacityScale) && capacityScale >= 0 && capacityScale <= LIMITS.capacityScale)
  ) {
    throw new RangeError(`capacityScale must be a number from 0 to ${LIMITS.capacityScale} (got ${capacityScale})`);
  }
  for (const c of scenario?.capacity ?? [])
    if (resourceIndex(c.resource) < 0) throw new RangeError(`scenario: no resource "${c.resource}" in the model`);
  if (recordedUntil !== undefined && Number.isNaN(Date.parse(recordedUntil)))
    throw new RangeError(`recordedUntil must be an ISO 8601 instant (got ${recordedUntil})`);
}

/** The same day of the month `months` earlier (the last day of a shorter month: 31 March less one month is 28 or 29 February). */
export function monthsBefore(date: IsoDate, months: number): IsoDate {
  const total = Number(date.slice(0, 4)) * 12 + (Number(date.slice(5, 7)) - 1) - months;
  const year = String(Math.floor(total / 12)).padStart(4, '0');
  const month = String((total % 12) + 1).padStart(2, '0');
  for (let day = Number(date.slice(8, 10)); day >= 28; day--) {
    const candidate = `${year}-${month}-${String(day).padStart(2, '0')}`;
    if (isIsoDate(candidate)) return candidate;
  }
  return `${year}-${month}-${date.slice(8, 10)}` as IsoDate;
}

/** Day of the week of a day number, 0 = Sunday (day 0, 1970-01-01, was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * The days of a run, made once instead of once per event: ISO names, each day's clinic share (the
 * slot calendars'), and the next working day (a weekday that is not a bank holiday), when triage,
 * appointments, telling the patient and decisions to treat happen.
 */
class SimDays {
  private readonly names: IsoDate[] = [];
  readonly shares: Float64Array;
  private readonly working: Int32Array;

  constructor(
    private readonly from: number,
    to: number,
  ) {
    const n = to - from + 1;
    this.shares = new Float64Array(n);
    this.working = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.names.push(fromDayNumber(from + i));
      this.shares[i] = clinicShare(from + i);
    }
    let next = to + 1;
    for (let i = n - 1; i >= 0; i--) this.working[i] = next = this.shares[i]! > 0 ? from + i : next;
  }

  of(day: number): IsoDate {
    return this.names[day - this.from] ?? fromDayNumber(day);
  }

  /** The same day if it is a working day, or the next one. */
  workday(day: number): number {
    const known = this.working[day - this.from];
    if (known !== undefined && known < this.from + this.working.length) return known;
    while (clinicShare(day) === 0) day++;
    return day;
  }
}

const clockTimes: string[] = [];
/** "HH:MM:SS" for a second of the day. */
function clockTime(second: number): string {
  let t = clockTimes[second];
  if (t === undefined) {
    const two = (n: number) => (n < 10 ? `0${n}` : String(n));
    t = `${two(Math.floor(second / 3600))}:${two(Math.floor(second / 60) % 60)}:${two(second % 60)}`;
    clockTimes[second] = t;
  }
  return t;
}

/**
 * NHS numbers from the 999 range (999 000 0000 to 999 999 9999, never issued to patients) with a
 * valid Modulus 11 check digit. Pathway i gets the i-th number of a seeded permutation of the
 * 909,091 valid ones, so no two of the first 909,091 pathways share a number.
 */
class NhsNumbers {
  private static valid: Int32Array | null = null;
  private readonly step: number;
  private readonly offset: number;

  constructor(salt: number) {
    const valid = NhsNumbers.validSuffixes();
    const n = valid.length;
    let step = 1 + (salt % (n - 1));
    while (gcd(step, n) !== 1) step++;
    this.step = step;
    this.offset = mix(salt) % n;
  }

  of(index: number): string {
    const valid = NhsNumbers.validSuffixes();
    const n = valid.length;
    const round = Math.floor(index / n);
    let k = ((index % n) * this.step + this.offset + round * 7919) % n;
    // 9999999999 passes Modulus 11 but all one digit is refused (nhs-number.ts): take its neighbour.
    if (valid[k] === 999_999) k = (k + 1) % n;
    const nine = `999${String(valid[k]!).padStart(6, '0')}`;
    return `${nine}${checkDigit(nine)!}`;
  }

  private static validSuffixes(): Int32Array {
    if (!NhsNumbers.valid) {
      // Modulus 11 over 9,9,9,d1..d6 with weights 10..2 (R17): the remainder 10 has no check digit.
      // `of` still takes the check digit from the domain's checkDigit, and the tests validate every number.
      const out: number[] = [];
      for (let k = 0; k < 1_000_000; k++) {
        let sum = 9 * 10 + 9 * 9 + 9 * 8;
        for (let rest = k, weight = 2; weight <= 7; weight++, rest = Math.floor(rest / 10)) sum += (rest % 10) * weight;
        if (11 - (sum % 11) !== 10) out.push(k);
      }
      NhsNumbers.valid = Int32Array.from(out);
    }
    return NhsNumbers.valid;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function mix(x: number): number {
  let z = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Lines waiting for the day they are recorded. */
class RecordQueue {
  private readonly lines: (ImportLine[] | undefined)[] = [];
  private readonly seconds: (number[] | undefined)[] = [];
  private held = 0;
  /** The most lines held at once. */
  maxHeld = 0;

  constructor(
    private readonly first: number,
    last: number,
  ) {
    this.lines.length = last - first + 1;
    this.seconds.length = last - first + 1;
  }

  add(at: number, line: ImportLine): void {
    const day = Math.floor(at / SECONDS_PER_DAY);
    const i = day - this.first;
    let lines = this.lines[i];
    if (!lines) {
      lines = this.lines[i] = [];
      this.seconds[i] = [];
    }
    lines.push(line);
    this.seconds[i]!.push(at - day * SECONDS_PER_DAY);
    if (++this.held > this.maxHeld) this.maxHeld = this.held;
  }

  /**
   * A day's lines in the order to write them, with their recordedAt: by time, ties in the order
   * added (a pathway's lines are added in the order recorded). Sort keys are
   * second * 2^32 + position, sorted as doubles.
   */
  take(day: number, name: IsoDate): ImportLine[] {
    const i = day - this.first;
    const lines = this.lines[i];
    const seconds = this.seconds[i];
    if (!lines || !seconds) return [];
    this.lines[i] = undefined;
    this.seconds[i] = undefined;
    this.held -= lines.length;
    const order = new Float64Array(lines.length);
    for (let k = 0; k < lines.length; k++) order[k] = seconds[k]! * 4294967296 + k;
    order.sort();
    const sorted = new Array<ImportLine>(lines.length);
    for (let k = 0; k < order.length; k++) {
      const key = order[k]!;
      const line = lines[key % 4294967296]!;
      // The time is written only now, so lines waiting in the queue hold no timestamp strings.
      line.recordedAt = `${name}T${clockTime(Math.floor(key / 4294967296))}.000Z`;
      sorted[k] = line;
    }
    return sorted;
  }
}

// What a planned event is, for the recording step.
const CHAIN = 0; // recorded in clinical order, after the previous chain event
const BACKDATABLE = 1; // a chain event that moves no clock: may be recorded late, after later events
const CORRECTION = 2; // an event_voided, recorded after the event it voids

const MAX_EVENTS = 64;
const MAX_BOOKINGS = 16;
/** No free slot within a year: the request is recorded, unbooked, and the patient waits. */
const NO_SLOT = -2;
/** Stream numbers of the timed-pathway items (issue #26): apart from the plan's (index + 1) and the national items' (its negative). */
const TIMED_STREAM = 0x40000000;

/** The resources of each step by what it is for (a site, a test, a modality): indices into RESOURCES. */
const resourcesOf = (kind: string) =>
  new Map(RESOURCES.flatMap((r, i) => (r.startsWith(`${kind}:`) ? [[r.slice(kind.length + 1), i] as const] : [])));
const FIRST_RESOURCE = resourcesOf('first');
const TEST_RESOURCE = resourcesOf('test');
const TREATMENT_RESOURCE = resourcesOf('treatment');

/** Plans one pathway at a time into reusable scratch arrays, then hands its lines to the queue. */
class Planner {
  private pathwayId = '';
  private n = 0;
  /** Clinical day of each planned event. */
  private readonly day = new Int32Array(MAX_EVENTS);
  /** Days after `day` it is recorded (chain events) or the back-dating delay (others). */
  private readonly lag = new Int32Array(MAX_EVENTS);
  private readonly kind = new Uint8Array(MAX_EVENTS);
  /** For a correction: the planned index of the event it voids. */
  private readonly target = new Int16Array(MAX_EVENTS);
  private readonly at = new Float64Array(MAX_EVENTS);
  private readonly kept = new Uint8Array(MAX_EVENTS);
  private readonly lines: (ImportLine | null)[] = new Array<ImportLine | null>(MAX_EVENTS).fill(null);
  private readonly order: number[] = [];
  private readonly remap = new Int16Array(MAX_EVENTS);
  /** The latest day in the chain so far: chain events never go back in time. */
  private lastDay = 0;
  /** Set once the pathway has closed (a removal for missed appointments ends the plan early). */
  private closed = false;
  /** The day of the first definitive treatment, which closes the 62-day pathway; -1 before one is planned. */
  private closeDay = -1;
  /** Events planned after the first treatment (issue #14): their recording draws on the national stream. */
  private readonly afterFirst = new Uint8Array(MAX_EVENTS);
  /** The fds and d62 clock start: the referral, or the rebooking after a missed first appointment (R5). */
  private start = 0;
  /** The slots this pathway holds (resource, day), to give back those after an early removal; resource -1 once given back. */
  private readonly bookedResource = new Int16Array(MAX_BOOKINGS);
  private readonly bookedDay = new Int32Array(MAX_BOOKINGS);
  private bookings = 0;
  /** Each pathway's own random streams: the plan, and the national items and treatments after the first (issue #14). */
  private readonly rng = new Random(0);
  private readonly nat = new Random(0);
  /** The timed-pathway items' own stream (issue #26), and whether the referral is for suspected prostate cancer. */
  private readonly timed = new Random(0);
  private prostate = false;
  /** The equality details' own stream (issue #27), the patient drawn female, and the line telling a cancer (-1: none). */
  private readonly equality = new Random(0);
  private female = false;
  private cancerToldLine = -1;

  constructor(
    private readonly seed: number,
    private readonly days: SimDays,
    private readonly last: number,
    /** Lines recorded at or after this second are not written. */
    private readonly recordEnd: number,
    private readonly queue: RecordQueue,
    private readonly nhs: NhsNumbers,
    private readonly slots: readonly SlotCalendar[],
  ) {}

  pathway(index: number, received: number, mix: Mix<number>): void {
    const rng = this.rng;
    rng.reseed(this.seed, index + 1);
    this.nat.reseed(this.seed, -(index + 1));
    this.timed.reseed(this.seed, TIMED_STREAM + index + 1);
    this.equality.reseed(this.seed, EQUALITY_STREAM + index + 1);
    this.cancerToldLine = -1;
    this.pathwayId = `P${String(index + 1).padStart(7, '0')}`;
    this.n = 0;
    this.lastDay = received;
    this.closed = false;
    this.closeDay = -1;
    this.start = received;
    this.bookings = 0;

    const { route, site: suspected } = REFERRALS[mix.pick(rng)]!;
    let site = suspected;
    const cancer = rng.chance(conversion(route, site));
    const provider = this.referral(index, received, route, site, cancer);

    let earlyDecision = -1; // an excision decided at the first appointment, and its line
    let earlyLine = -1;
    let reported: number;
    let straightToTest = false;
    if (route === 'consultant_upgrade') {
      // Already under investigation: a scan or biopsy, an MDT, the result.
      reported = this.testReported(received + rng.between(0, 2), M.TESTS[site]);
      if (reported >= 0) this.items({ site: testSiteOf(provider) }); // the first contact: its site (#24)
    } else {
      const rdc = site === 'non_specific_symptoms' && route === 'urgent_suspected_cancer';
      // A suspected prostate cancer goes straight to MRI (issue #26); the draw stays, so others' draws do not move.
      straightToTest =
        (!rdc && ((route === 'screening' && site === 'lower_gi') || rng.chance(M.STRAIGHT_TO_TEST[site] ?? 0))) ||
        this.prostate;
      const triaged = this.event(
        this.days.workday(received + M.TRIAGE.sample(rng)),
        {
          type: 'triaged',
          outcome: rdc ? 'rapid_diagnostic_centre' : straightToTest ? 'straight_to_test' : 'outpatient',
        },
        BACKDATABLE,
      );
      let investigated = triaged;
      if (!straightToTest) {
        investigated = this.firstAppointment(site, triaged, rdc, provider);
        if (investigated < 0) return this.finish(received, cancer);
        if (cancer && site === 'skin' && rng.chance(M.EARLY_DTT_SKIN)) {
          // An excision decided at the first appointment: the decision to treat stops fds (R8).
          earlyDecision = this.event(investigated, { type: 'decision_to_treat', plannedModality: 'surgery' });
          earlyLine = this.n - 1;
        }
      }
      reported = this.testReported(investigated, M.TESTS[site]);
      if (reported >= 0 && straightToTest) this.items({ site: testSiteOf(provider) }); // the first contact (#24)
      if (reported >= 0 && rdc && (cancer || rng.chance(M.RDC_ONWARD_NOT_CANCER))) {
        site = M.ONWARD_SITES.pick(rng);
        const onward = this.event(reported + rng.between(0, 3), { type: 'referred_onward', toTumourSite: site });
        reported = this.testReported(onward, M.TESTS[site]);
      }
    }
    if (reported < 0) return this.finish(received, cancer);

    let told: number;
    if (cancer) {
      // A biopsy; the patient is told at a results clinic once the histology is back.
      const histology = this.testReported(reported, M.BIOPSY);
      if (histology < 0) return this.finish(received, cancer);
      told = this.days.workday(histology + M.TOLD_AFTER_HISTOLOGY.sample(rng));
    } else {
      if (rng.chance(M.FURTHER_IMAGING[site] ?? M.FURTHER_IMAGING_DEFAULT)) {
        reported = this.testReported(reported, M.FURTHER_IMAGING_TEST);
        if (reported < 0) return this.finish(received, cancer);
      }
      const delay = rng.chance(M.CLINICAL_DELAY_NOT_CANCER) ? M.CLINICAL_DELAY_DAYS.sample(rng) : 0;
      told = this.days.workday(reported + delay + M.TOLD_AFTER_REPORT.sample(rng));
    }
    if (straightToTest && rng.chance(0.6)) {
      this.event(Math.max(told - rng.int(3), this.lastDay), { type: 'first_seen' });
      this.items({ site: this.siteOf(provider) });
    }
    // Not cancer: ruled out, or (lung nodules, for instance) an interval scan planned; both close the pathway (R9).
    const outcome = cancer
      ? 'cancer_confirmed'
      : rng.chance(M.INTERVAL_SCAN[site] ?? M.INTERVAL_SCAN_DEFAULT)
        ? 'interval_scan'
        : 'cancer_ruled_out';
    told = this.event(told, { type: 'diagnosis_communicated', outcome });
    if (outcome === 'cancer_confirmed') this.cancerToldLine = this.n - 1;
    this.toldItems(site, provider, cancer, route !== 'consultant_upgrade' && told - this.start > 28);
    if (cancer) this.treatment(site, provider, told, earlyDecision, earlyLine);
    return this.finish(received, cancer);
  }

  /** The referral line, its national items and its timed-pathway items. Returns the provider. */
  private referral(index: number, received: number, route: Route, site: TumourSite, cancer: boolean): string {
    const rng = this.rng;
    const provider = M.PROVIDERS.pick(rng);
    const female = rng.chance(M.FEMALE_SHARE[site] ?? 0.5);
    this.female = female;
    const patientName = `${rng.item(female ? M.FEMALE_NAMES : M.MALE_NAMES)} ${rng.item(M.SURNAMES)}`;
    const age = site === 'children' ? rng.int(16) : M.ADULT_AGE.sample(rng);
    const dateOfBirth = fromDayNumber(received - age * 365 - Math.floor(age / 4) - rng.int(365));
    const registeredLate = rng.chance(M.REFERRAL_LATE) ? this.days.workday(received + rng.between(1, 2)) - received : 0;
    this.add(
      received,
      {
        pathwayId: this.pathwayId,
        recordedAt: '',
        id: '',
        type: 'referral_received',
        on: this.name(received),
        route,
        tumourSite: site,
        nhsNumber: this.nhs.of(index),
        patientName,
        dateOfBirth,
        provider,
      },
      CHAIN,
      registeredLate,
    );
    this.referralItems(route, received, provider);
    this.timedItems(route, site, received, cancer, female);
    return provider;
  }

  // ---- timed pathways (issue #26): drawn from a stream of their own, so no other draw moves ----

  /**
   * A urological referral of a man may be for suspected prostate cancer (then MRI first); a
   * symptomatic lower GI referral carries a FIT result (more often 10 or more with cancer) or now
   * and then why there is none; a screening referral names its programme, a lung one the day of
   * the low-dose CT that found it.
   */
  private timedItems(route: Route, site: TumourSite, received: number, cancer: boolean, female: boolean): void {
    const t = this.timed;
    const line = this.lines[0] as Record<string, unknown>;
    this.prostate = route === 'urgent_suspected_cancer' && site === 'urological' && !female && t.chance(M.PROSTATE);
    if (this.prostate) line.suspectedSite = 'prostate';
    const earliest = dayNumber(EARLIEST_EVENT_DATE);
    if (route === 'urgent_suspected_cancer' && site === 'lower_gi') {
      if (t.chance(M.FIT_WITH_RESULT)) {
        const positive = t.chance(cancer ? M.FIT_POSITIVE_WITH_CANCER : M.FIT_POSITIVE_WITHOUT_CANCER);
        line.fitResult = positive ? M.FIT_AT_LEAST_10.sample(t) : M.FIT_BELOW_10.sample(t);
        const tested = received - t.between(3, 21);
        if (tested >= earliest) line.fitTestedOn = this.name(tested);
      } else if (t.chance(M.FIT_REASON_GIVEN)) line.fitNotDoneReason = M.FIT_NOT_DONE_REASONS.pick(t);
    }
    if (route === 'screening') {
      const programme = M.SCREENING_PROGRAMME[site];
      if (programme) line.screeningProgramme = programme;
      const scanned = received - t.between(5, 28);
      if (programme === 'lung' && scanned >= earliest) line.lowDoseCtOn = this.name(scanned);
    }
  }

  /**
   * The first appointment (at the Rapid Diagnostic Centre for `rdc`), booked at triage into the
   * next free slot of the site's clinic. A patient who cancels is booked again 2-10 days after the
   * slot they gave up; one who misses it loses the slot and, once rebooked, queues again (the clocks
   * restart on the rebooking, R5). Returns the day seen, or -1 when the plan goes no further.
   */
  private firstAppointment(site: TumourSite, triaged: number, rdc: boolean, provider: string): number {
    const rng = this.rng;
    const resource = FIRST_RESOURCE.get(site)!;
    let slot = this.book(resource, triaged, triaged + (rdc ? M.RDC_LEAD : M.FIRST_LEAD).sample(rng));
    if (slot < 0) return -1;
    this.appointment(triaged, slot);
    if (!rdc && rng.chance(M.CANCEL_FIRST)) {
      const cancelled = this.event(triaged + rng.int(slot - triaged), {
        type: 'patient_cancelled',
        appointment: 'first',
      });
      this.giveBack(resource, slot);
      slot = this.book(resource, cancelled, slot + rng.between(2, 10));
      if (slot < 0) return -1;
      this.appointment(cancelled, slot);
    }
    if (!rdc && rng.chance(M.DNA_FIRST)) {
      // Dated the day it was booked for (R18); the slot is lost, and nothing moves until the patient is rebooked (R5).
      this.event(slot, { type: 'dna', appointment: 'first' });
      if (rng.chance(M.DNA_NOT_REBOOKED)) {
        this.removal(this.days.workday(slot + rng.between(7, 21)), 'returned_to_gp');
        return -1;
      }
      const rebooked = this.days.workday(slot + rng.between(1, 3));
      slot = this.book(resource, rebooked, rebooked + M.FIRST_LEAD.sample(rng));
      if (slot < 0) return -1;
      this.appointment(rebooked, slot);
      this.start = rebooked;
      if (rng.chance(M.DNA_AGAIN)) {
        this.event(slot, { type: 'dna', appointment: 'first' });
        this.removal(this.days.workday(slot + rng.between(1, 14)), 'returned_to_gp');
        return -1;
      }
    }
    const seen = this.event(
      slot,
      rdc ? { type: 'first_seen', clinic: 'Rapid Diagnostic Centre' } : { type: 'first_seen' },
    );
    this.items({ site: this.siteOf(provider), ...this.delay(seen - this.start > 14) });
    return seen;
  }

  private appointment(booked: number, slot: number): void {
    this.event(booked, { type: 'appointment_booked', appointmentOn: this.name(slot), appointment: 'first' });
  }

  /**
   * A test requested on `day` (or the chain's last day, if later), booked into the next free slot
   * of its resource, and reported. A patient who misses the test loses the slot and is booked
   * again; one who cancels gives it back. Returns the day reported, or -1 when the plan goes no further.
   */
  private testReported(day: number, test: string): number {
    const rng = this.rng;
    const resource = TEST_RESOURCE.get(test)!;
    let asked = Math.max(day, this.lastDay);
    let slot = this.book(resource, asked, asked + this.testLead(test));
    if (slot === NO_SLOT) this.test(asked, test);
    if (slot < 0) return -1;
    this.test(asked, test, slot);
    const missed = rng.chance(M.DNA_SUBSEQUENT);
    if (missed || rng.chance(M.CANCEL_SUBSEQUENT)) {
      // A missed or cancelled appointment after the first moves no clock (R5, R6).
      if (missed) {
        this.event(slot, { type: 'dna', appointment: 'subsequent' });
        asked = this.days.workday(slot + rng.between(1, 3));
        slot = this.book(resource, asked, asked + this.testLead(test));
      } else {
        asked = this.event(
          asked + rng.int(slot - asked),
          { type: 'patient_cancelled', appointment: 'subsequent' },
          BACKDATABLE,
        );
        this.giveBack(resource, slot);
        slot = this.book(resource, asked, slot + rng.between(2, 10));
      }
      if (slot === NO_SLOT) this.test(asked, test);
      if (slot < 0) return -1;
      this.test(asked, test, slot);
    }
    const reporting = test === M.BIOPSY ? M.HISTOLOGY : M.TEST_REPORT;
    return this.event(slot + reporting.sample(rng), { type: 'test_reported', test }, BACKDATABLE);
  }

  private testLead(test: string): number {
    return M.SAME_DAY_TESTS.has(test) ? 0 : M.TEST_LEAD.sample(this.rng);
  }

  /** The first meeting of the site's MDT on or after a day (the next working day if that is a bank holiday). */
  private mdtAfter(site: TumourSite, day: number): number {
    return this.days.workday(day + ((M.MDT_WEEKDAY[site] - weekday(day) + 7) % 7));
  }

  /**
   * The decision to treat and the first treatment: a treatment that needs a slot is booked at the
   * decision into the next free one after its preparation; a patient who declines the date offered
   * gives the slot back and is booked again from the day they are available (a pause, R7).
   */
  private treatment(site: TumourSite, provider: string, told: number, earlyDecision: number, earlyLine: number): void {
    const rng = this.rng;
    const usual = (M.MODALITIES[site] ?? M.MODALITY_DEFAULT).pick(rng);
    const modality = earlyDecision >= 0 ? 'surgery' : usual; // an excision decided at the first appointment
    // Staging, then the site's next MDT plans the treatment, and the patient decides at a clinic after it.
    let staged = told;
    if (rng.chance(M.STAGING[site] ?? M.STAGING_DEFAULT)) {
      staged = this.testReported(told, M.STAGING_TEST);
      if (staged < 0) return;
    }
    const mdt = this.event(
      this.mdtAfter(site, staged + 1),
      { type: 'mdt_discussed', outcome: 'cancer confirmed: treatment options agreed' },
      BACKDATABLE,
    );
    const delay = rng.chance(M.CLINICAL_DELAY_CANCER) ? M.CLINICAL_DELAY_DAYS.sample(rng) : 0;
    const decision =
      earlyDecision >= 0 ? earlyDecision : this.days.workday(mdt + delay + M.DECISION_AFTER_MDT.sample(rng));
    let treatingProvider: string | undefined;
    if (rng.chance(M.TERTIARY_TRANSFER[site] ?? M.TERTIARY_TRANSFER_DEFAULT)) treatingProvider = rng.item(M.TERTIARY);
    else if (rng.chance(M.GROUP_TRANSFER)) treatingProvider = rng.item(M.GROUP.filter((p) => p !== provider));
    if (treatingProvider !== undefined) {
      const moved = told + rng.int(Math.max(0, decision - told) + 1);
      this.event(moved, { type: 'transferred', toProvider: treatingProvider }, BACKDATABLE);
    }
    let decisionLine = earlyLine;
    if (earlyDecision < 0) {
      this.event(
        decision,
        treatingProvider === undefined
          ? { type: 'decision_to_treat', plannedModality: modality }
          : { type: 'decision_to_treat', plannedModality: modality, treatingProvider },
      );
      decisionLine = this.n - 1;
    }
    const resource = TREATMENT_RESOURCE.get(modality) ?? -1;
    const preparation = M.PREPARATION[modality] ?? M.UNQUEUED_START;
    let treated = this.treatmentDay(resource, decision, decision + preparation.sample(rng));
    if (treated < 0) return;
    let paused = 0;
    if (rng.chance(M.DECLINED_OFFER)) {
      // The date offered is declined; the patient is available again 1-4 weeks after it: a pause in either setting (R7).
      const on = this.event(Math.min(decision + rng.between(1, 5), treated), {
        type: 'treatment_offer_declined',
        offeredFor: this.name(treated),
        availableFrom: '' as IsoDate, // filled in below
        setting: modality === 'surgery' ? 'admitted' : 'non_admitted',
      });
      const availableFrom = treated + rng.between(7, 28);
      (this.lines[this.n - 1] as { availableFrom: string }).availableFrom = this.name(availableFrom);
      paused = availableFrom - treated;
      if (resource >= 0) this.giveBack(resource, treated);
      treated = this.treatmentDay(resource, on, availableFrom + (resource < 0 ? rng.between(0, 7) : 0));
      if (treated < 0) return;
    }
    const lag = rng.chance(M.TREATMENT_LATE) ? rng.between(1, 7) : 0;
    const treatedOn = this.event(treated, { type: 'treatment_started', modality }, CHAIN, lag);
    this.closeDay = treatedOn;
    // The national items of the decision and the treatment, with a delay reason for a breach: the
    // 31-day wait's on the treatment, a 62-day breach with the 31-day wait met on the decision.
    const where = treatingProvider ?? provider;
    const d31Breached = treatedOn - decision - Math.min(paused, treatedOn - decision) > 31;
    const d62Breached = treatedOn - this.start - Math.min(paused, treatedOn - decision) > 62;
    if (decisionLine >= 0)
      this.items({ site: this.siteOf(where), ...this.delay(d62Breached && !d31Breached) }, decisionLine);
    this.items({ site: this.siteOf(where), ...this.careSetting(modality), ...this.delay(d31Breached) });
    this.treatmentPlan(treatedOn, where);
  }

  /** The day a first treatment starts: its resource's next free slot from `earliest`, or the working day then if it needs none. */
  private treatmentDay(resource: number, asked: number, earliest: number): number {
    const from = Math.max(earliest, this.lastDay);
    return resource < 0 ? this.days.workday(from) : this.book(resource, asked, from);
  }

  /**
   * Takes the first free slot of a resource from day `earliest`, asked for on day `asked`: returns
   * its day, or NO_SLOT when there is none within a year. (Bookings asked for after the end of the
   * history are made too, though never written: patients referred earlier come first whenever they
   * ask, so leaving them out would shorten the waits of the history's last weeks.)
   */
  private book(resource: number, asked: number, earliest: number): number {
    const day = this.slots[resource]!.take(earliest, asked + MAX_BOOKING_AHEAD);
    if (day < 0) return NO_SLOT;
    if (this.bookings >= MAX_BOOKINGS) throw new Error('simulator: too many bookings in one pathway');
    this.bookedResource[this.bookings] = resource;
    this.bookedDay[this.bookings++] = day;
    return day;
  }

  private giveBack(resource: number, day: number): void {
    this.slots[resource]!.giveBack(day);
    for (let k = this.bookings - 1; k >= 0; k--) {
      if (this.bookedResource[k] === resource && this.bookedDay[k] === day) {
        this.bookedResource[k] = -1;
        return;
      }
    }
  }

  // ---- the national record and treatments after the first (issue #14) ----------------------

  /** Adds national items to a planned line (the last one by default). */
  private items(items: Record<string, string | undefined>, line = this.n - 1): void {
    const target = this.lines[line] as Record<string, unknown>;
    for (const [k, v] of Object.entries(items)) if (v !== undefined) target[k] = v;
  }

  /** A site of the provider, or now and then none (the extract's validation lists it). */
  private siteOf(provider: string): string | undefined {
    if (this.nat.chance(M.ITEM_MISSING)) return undefined;
    const sites = M.SITES[provider] ?? [`${provider.slice(0, 3)}01`];
    return this.nat.item(sites);
  }

  /** A delay reason when a standard was breached (a comment with 98), now and then left out. */
  private delay(breached: boolean): Record<string, string | undefined> {
    if (!breached || this.nat.chance(M.DELAY_REASON_MISSING)) return {};
    const delayReason = M.DELAY_REASONS.pick(this.nat);
    return delayReason === '98'
      ? { delayReason, delayComment: 'Awaiting a specialist opinion from the tertiary centre' }
      : { delayReason };
  }

  private careSetting(modality: string): Record<string, string | undefined> {
    return {
      careSetting: this.nat.chance(M.ITEM_MISSING)
        ? undefined
        : (M.CARE_SETTINGS[modality as keyof typeof M.CARE_SETTINGS] ?? '04'),
    };
  }

  private referralItems(route: Route, received: number, provider: string): void {
    const nat = this.nat;
    const items: Record<string, string | undefined> = {
      nhsNumberStatus: nat.chance(M.ITEM_MISSING) ? undefined : nat.chance(0.98) ? '01' : '02',
      sourceOfReferral: route === 'screening' ? '17' : M.SOURCES_OF_REFERRAL.pick(nat),
    };
    if (route === 'urgent_suspected_cancer' || route === 'breast_symptomatic') {
      items.decisionToReferOn = nat.chance(M.ITEM_MISSING) ? undefined : this.name(received - nat.int(3));
    }
    if (route === 'consultant_upgrade') {
      items.priorityType = nat.chance(0.7) ? '2' : '1';
      items.upgradeSite = this.siteOf(provider);
    }
    this.items(items, 0);
  }

  private toldItems(site: TumourSite, provider: string, cancer: boolean, breached: boolean): void {
    const nat = this.nat;
    const items: Record<string, string | undefined> = {
      site: this.siteOf(provider),
      communicationMethod: nat.chance(M.ITEM_MISSING) ? undefined : M.COMMUNICATION_METHODS.pick(nat),
      informedBy: M.INFORMED_BY.pick(nat),
      ...this.delay(breached),
    };
    if (cancer) {
      items.primaryDiagnosis = nat.chance(M.ITEM_MISSING) ? undefined : nat.item(M.DIAGNOSES[site]);
      items.laterality = M.LATERAL.has(site) ? (nat.chance(0.5) ? 'L' : 'R') : '8';
    }
    this.items(items);
  }

  /**
   * Treatments after the first: a decision to treat after a post-treatment MDT, now and then an
   * earliest clinically appropriate date (recovery from surgery), a treatment in the next weeks,
   * and for some a third; then, for most, the plan recorded as complete.
   */
  private treatmentPlan(firstTreated: number, provider: string): void {
    const nat = this.nat;
    const site = (this.lines[0] as { tumourSite: TumourSite }).tumourSite;
    if (!nat.chance(M.SUBSEQUENT_TREATMENT[site] ?? M.SUBSEQUENT_TREATMENT_DEFAULT)) return;
    let previous = firstTreated;
    const count = nat.chance(M.THIRD_TREATMENT) ? 2 : 1;
    for (let k = 0; k < count; k++) {
      const modality = M.SUBSEQUENT_MODALITIES.pick(nat);
      const decided = this.planEvent(this.days.workday(previous + M.TO_NEXT_DECISION.sample(nat)), {
        type: 'decision_to_treat',
        plannedModality: modality,
      });
      const start = nat.chance(M.ECAD) ? decided + M.ECAD_DAYS.sample(nat) : decided;
      this.items({
        site: this.siteOf(provider),
        earliestClinicallyAppropriateDate: start > decided ? this.name(start) : undefined,
      });
      const treated = this.planEvent(this.days.workday(start + M.SUBSEQUENT_WAIT.sample(nat)), {
        type: 'treatment_started',
        modality,
      });
      this.items({
        site: this.siteOf(provider),
        eventType: '02',
        ...this.careSetting(modality),
        ...this.delay(treated - start > 31),
      });
      previous = treated;
    }
    if (nat.chance(M.PLAN_COMPLETED))
      this.planEvent(previous + M.TO_NEXT_DECISION.sample(nat), { type: 'treatment_plan_completed' });
  }

  /** An event after the first treatment: recorded in order, its recording times drawn on the national stream. */
  private planEvent(day: number, fields: EventFields): number {
    const on = this.event(day, fields);
    this.afterFirst[this.n - 1] = 1;
    return on;
  }

  /**
   * A test request, booked for `testOn` (left out when there is no slot), now and then entered
   * twice and the duplicate voided later. Returns its day.
   */
  private test(day: number, test: string, testOn?: number): number {
    const fields = {
      type: 'test_requested',
      test,
      testOn: testOn === undefined ? undefined : this.name(testOn),
    } as const;
    // A request entered twice is recorded in order (never back-dated), so the duplicate's twin is always there before it.
    const duplicated = this.rng.chance(M.DUPLICATE_VOIDED);
    const on = this.event(day, fields, duplicated ? CHAIN : BACKDATABLE);
    if (duplicated) {
      const duplicate = this.n;
      this.event(on, fields);
      const correction = this.days.workday(on + this.rng.between(0, 2));
      this.add(
        correction,
        {
          pathwayId: this.pathwayId,
          recordedAt: '',
          id: '',
          type: 'event_voided',
          on: this.name(correction),
          voids: '',
          reason: 'duplicate entry',
        },
        CORRECTION,
        0,
        duplicate,
      );
    }
    return on;
  }

  private removal(day: number, reason: M.RemovalReason): void {
    this.event(day, { type: 'removed', reason });
    this.closed = true;
  }

  /**
   * Adds a chain event on `day`, or on the last chain day if that is later (the chain never goes
   * back in time). Returns the day used.
   */
  private event(day: number, fields: EventFields, kind = CHAIN, lag = 0): number {
    const d = day > this.lastDay ? day : this.lastDay;
    this.add(d, makeLine(this.pathwayId, this.name(d), fields), kind, lag);
    return d;
  }

  private add(day: number, line: ImportLine, kind: number, lag: number, target = -1): void {
    const i = this.n++;
    if (i >= MAX_EVENTS) throw new Error('simulator: too many events in one pathway');
    this.day[i] = day;
    this.lag[i] = lag;
    this.kind[i] = kind;
    this.target[i] = target;
    this.lines[i] = line;
    this.afterFirst[i] = 0;
    if (kind !== CORRECTION && day > this.lastDay) this.lastDay = day;
  }

  private name(day: number): IsoDate {
    return this.days.of(day);
  }

  /**
   * Now and then a patient is removed before the pathway would have closed (died, declined, moved
   * away, ...): everything dated from the removal day on goes (a correction stays with the event it
   * voids), and the slots booked from that day on are given back for other patients. Every plan ends
   * with the event that closes the pathway, or its first treatment (the treatment plan follows it).
   */
  private removedEarly(received: number, cancer: boolean): boolean {
    const rng = this.rng;
    const closesOn = this.closeDay >= 0 ? this.closeDay : this.lastDay;
    if (this.closed || closesOn - received < 2 || !rng.chance(cancer ? M.REMOVAL_CANCER : M.REMOVAL_NOT_CANCER))
      return false;
    const removedOn = received + 1 + rng.int(closesOn - received - 1);
    const n = this.n;
    const moved = this.remap;
    let w = 0;
    this.lastDay = received;
    for (let i = 0; i < n; i++) {
      const correction = this.kind[i] === CORRECTION;
      if (correction ? moved[this.target[i]!]! < 0 : this.day[i]! >= removedOn) {
        moved[i] = -1;
        continue;
      }
      moved[i] = w;
      this.move(i, w);
      if (correction) this.target[w] = moved[this.target[w]!]!;
      else if (this.day[w]! > this.lastDay) this.lastDay = this.day[w]!;
      w++;
    }
    for (let i = w; i < n; i++) this.lines[i] = null;
    this.n = w;
    for (let k = 0; k < this.bookings; k++) {
      const resource = this.bookedResource[k]!;
      if (resource >= 0 && this.bookedDay[k]! >= removedOn) this.slots[resource]!.giveBack(this.bookedDay[k]!);
    }
    const reasons = cancer ? M.REMOVAL_REASONS_CANCER : M.REMOVAL_REASONS_NOT_CANCER;
    this.removal(removedOn, reasons.pick(rng));
    return true;
  }

  /**
   * Applies removals, back-dating and the end of the history to the plan, gives the recorded
   * events their times and ids, and queues them.
   */
  /**
   * Issue #27: the patient's sex, ethnic category and synthetic postcode on the referral, and the
   * stage on the cancer told, from the equality stream once the plan is made (equality.ts).
   */
  private equalityItems(): void {
    let booked = false;
    let missed = false;
    for (let i = 0; i < this.n; i++) {
      const line = this.lines[i] as { type: string; appointment?: string } | null;
      if (line?.appointment !== 'first') continue;
      if (line.type === 'appointment_booked') booked = true;
      if (line.type === 'dna') missed = true;
    }
    const referral = this.lines[0] as Record<string, unknown>;
    const details = equalityDetails(
      this.equality,
      {
        site: referral.tumourSite as TumourSite,
        female: this.female,
        firstDna: booked ? missed : null,
        cancer: this.cancerToldLine >= 0,
      },
      M.DNA_FIRST,
    );
    referral.sex = details.sex;
    referral.ethnicCategory = details.ethnicCategory;
    if (details.postcode) referral.postcode = details.postcode;
    if (details.stage) (this.lines[this.cancerToldLine] as Record<string, unknown>).stage = details.stage;
  }

  private finish(received: number, cancer: boolean): void {
    this.equalityItems();
    const rng = this.rng;
    const removedEarly = this.removedEarly(received, cancer);
    let n = this.n;
    // Back-dated events sort before the event that closed the 62-day pathway.
    const closedOn = this.closeDay >= 0 && !removedEarly ? this.closeDay : this.lastDay;

    // Recording times: chain events in order; back-dated ones days late; corrections after their target.
    const last = this.last;
    const recordEnd = this.recordEnd;
    let previous = -Infinity;
    let chainOpen = true;
    let referralAt = 0;
    for (let i = 0; i < n; i++) {
      const kind = this.kind[i]!;
      const day = this.day[i]!;
      let at: number;
      if (kind === CORRECTION) {
        const t = this.target[i]!;
        if (!this.kept[t]) {
          this.kept[i] = 0;
          continue;
        }
        at = Math.max(this.at[t]! + 1, this.timeOn(day));
      } else if (kind === BACKDATABLE && i > 0 && day < closedOn && rng.chance(M.BACK_DATED)) {
        // Recorded after events dated later: it still sorts before the closing event (R14, R16).
        at = Math.max(referralAt + 1, this.timeOn(day + M.BACK_DATED_DAYS.sample(rng)));
      } else {
        const r = this.afterFirst[i] ? this.nat : rng; // events after the first treatment: the national stream
        const lag = this.lag[i]! || (i > 0 && r.chance(M.RECORDED_NEXT_DAY) ? r.between(1, 2) : 0);
        at = this.timeOn(day + lag, r);
        // Entered after the previous one: a few minutes later if it would have come first. (At most
        // 64 steps of 4 minutes from 18:00 UTC stays before midnight in London, 23:00 UTC in summer.)
        if (at <= previous) at = previous + r.between(15, 240);
        if (!chainOpen || at >= recordEnd) {
          chainOpen = false;
          this.kept[i] = 0;
          continue;
        }
        previous = at;
        if (i === 0) referralAt = at;
      }
      this.at[i] = at;
      this.kept[i] = at < recordEnd && day <= last ? 1 : 0;
      if (i === 0 && !this.kept[0]) break; // the referral is not recorded yet: nothing is
    }

    if (!this.kept[0]) n = 0;
    // The order recorded: by time, ties in plan order (insertion sort: a pathway has few events).
    const order = this.order;
    order.length = 0;
    for (let i = 0; i < n; i++) {
      if (!this.kept[i]) continue;
      let j = order.length;
      order.push(i);
      while (j > 0 && this.at[order[j - 1]!]! > this.at[i]!) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = i;
    }
    const ids: string[] = [];
    for (let k = 0; k < order.length; k++) ids[order[k]!] = eventId(k);
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const line = this.lines[i]!;
      line.id = ids[i]!;
      if (line.type === 'event_voided') line.voids = ids[this.target[i]!]!;
      this.queue.add(this.at[i]!, line);
    }
    for (let i = 0; i < this.n; i++) this.lines[i] = null;
  }

  private move(from: number, to: number): void {
    if (from === to) return;
    this.day[to] = this.day[from]!;
    this.lag[to] = this.lag[from]!;
    this.kind[to] = this.kind[from]!;
    this.target[to] = this.target[from]!;
    this.lines[to] = this.lines[from]!;
    this.afterFirst[to] = this.afterFirst[from]!;
  }

  /** A time in working hours on a day, in seconds since 1970-01-01T00:00Z. */
  private timeOn(day: number, r: Random = this.rng): number {
    return day * SECONDS_PER_DAY + WORKDAY_START + r.int(WORKDAY_LENGTH);
  }
}

type EventFields = {
  [T in PathwayEvent['type']]: Omit<Extract<PathwayEvent, { type: T }>, 'on' | 'id'>;
}[PathwayEvent['type']];

/**
 * The line for an event, as an object literal per type: every line of a type has the same shape
 * (fast to hold and to serialise) and the same key order: pathwayId, recordedAt, id, type, on, ...
 * recordedAt and id are filled in once the pathway's recording order is known.
 */
function makeLine(pathwayId: string, on: IsoDate, f: EventFields): ImportLine {
  const recordedAt = '';
  const id = '';
  switch (f.type) {
    case 'triaged':
      return { pathwayId, recordedAt, id, type: f.type, on, outcome: f.outcome };
    case 'appointment_booked':
      return {
        pathwayId,
        recordedAt,
        id,
        type: f.type,
        on,
        appointmentOn: f.appointmentOn,
        appointment: f.appointment,
      };
    case 'first_seen':
      return f.clinic === undefined
        ? { pathwayId, recordedAt, id, type: f.type, on }
        : { pathwayId, recordedAt, id, type: f.type, on, clinic: f.clinic };
    case 'dna':
      return { pathwayId, recordedAt, id, type: f.type, on, appointment: f.appointment };
    case 'patient_cancelled':
      return { pathwayId, recordedAt, id, type: f.type, on, appointment: f.appointment! };
    case 'test_requested':
      return f.testOn === undefined
        ? { pathwayId, recordedAt, id, type: f.type, on, test: f.test }
        : { pathwayId, recordedAt, id, type: f.type, on, test: f.test, testOn: f.testOn };
    case 'test_reported':
      return { pathwayId, recordedAt, id, type: f.type, on, test: f.test };
    case 'mdt_discussed':
      return { pathwayId, recordedAt, id, type: f.type, on, outcome: f.outcome! };
    case 'note':
      return { pathwayId, recordedAt, id, type: f.type, on, text: f.text };
    case 'diagnosis_communicated':
      return { pathwayId, recordedAt, id, type: f.type, on, outcome: f.outcome };
    case 'referred_onward':
      return { pathwayId, recordedAt, id, type: f.type, on, toTumourSite: f.toTumourSite };
    case 'decision_to_treat':
      return f.treatingProvider === undefined
        ? { pathwayId, recordedAt, id, type: f.type, on, plannedModality: f.plannedModality! }
        : {
            pathwayId,
            recordedAt,
            id,
            type: f.type,
            on,
            plannedModality: f.plannedModality!,
            treatingProvider: f.treatingProvider,
          };
    case 'treatment_offer_declined':
      return {
        pathwayId,
        recordedAt,
        id,
        type: f.type,
        on,
        offeredFor: f.offeredFor,
        availableFrom: f.availableFrom,
        setting: f.setting,
      };
    case 'treatment_started':
      return { pathwayId, recordedAt, id, type: f.type, on, modality: f.modality };
    case 'transferred':
      return { pathwayId, recordedAt, id, type: f.type, on, toProvider: f.toProvider };
    case 'removed':
      return { pathwayId, recordedAt, id, type: f.type, on, reason: f.reason };
    case 'event_voided':
      return { pathwayId, recordedAt, id, type: f.type, on, voids: f.voids, reason: f.reason };
    case 'treatment_plan_completed':
      return { pathwayId, recordedAt, id, type: f.type, on };
    case 'national_items_added':
      throw new Error('the simulator records national items with their events');
    case 'referral_received':
      throw new Error('the referral line is made by Planner.pathway');
    case 'patient_details_updated': // issue #17
    case 'referral_corrected': // issue #28
      throw new Error("the simulator keeps each patient's details and referral as first recorded");
  }
}

/**
 * The site of a diagnostic test that is the first contact (DATE FIRST SEEN, issue #24): the
 * provider's first. Drawn from no stream, so adding it moved nothing else a seed gives.
 */
function testSiteOf(provider: string): string {
  return M.SITES[provider]?.[0] ?? `${provider.slice(0, 3)}01`;
}

const eventIds: string[] = [];
function eventId(k: number): string {
  return (eventIds[k] ??= `e${k + 1}`);
}

function conversion(route: Route, site: TumourSite): number {
  switch (route) {
    case 'urgent_suspected_cancer':
      return M.USC_CONVERSION[site];
    case 'screening':
      return M.SCREENING_CONVERSION[site] ?? 0.05;
    case 'breast_symptomatic':
      return M.BREAST_SYMPTOMATIC_CONVERSION;
    case 'consultant_upgrade':
      return M.UPGRADE_CONVERSION;
    case 'thirty_one_day_only': // not simulated: a cancer already found (issue #24)
      return 1;
  }
}
