// Synthetic, deterministic event histories of suspected-cancer referrals, for demo data,
// `openptl import` and benchmarks. Same options, same bytes. Model and calibration: docs/simulation.md.
//
// How it stays valid: each pathway is planned as a chain of events in clinical order, which the
// referral machine accepts (cwt-rules R16) and which is recorded in that order; a few events that
// move no clock are recorded days late, after events dated later (back-dated, R14), but always
// dated before the pathway closes. The plan keeps the guard rails (R18): a missed first appointment
// is dated the day it was booked for, offers come after the decision to treat, nothing is dated
// before 2000. Nothing is dated or recorded after `asOf`: a pathway whose next step falls later
// simply stops there, still open.
//
// How memory stays bounded: referrals are generated day by day in date order. A pathway's lines
// wait in a bucket for the day they are recorded; once every referral of a day is generated,
// nothing not yet generated can be recorded on that day (a pathway records nothing before its
// referral), so that day's bucket is sorted by time and written. Only lines recorded in the future
// of the current day are held: a few months of one day's referrals, whatever the total length.
import { dayNumber, fromDayNumber, isIsoDate, type IsoDate } from '../vocabulary/calendar.ts';
import type { PathwayEvent, Route, TumourSite } from '../vocabulary/events.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { checkDigit } from '../vocabulary/nhs-number.ts';
import * as M from './model.ts';
import { Random } from './random.ts';

/** One line of an import file: an event with the pathway it belongs to and when it was recorded. */
export type ImportLine = PathwayEvent & { pathwayId: string; recordedAt: string };

export interface SimulateOptions {
  referralsPerMonth: number;
  months: number;
  seed: number;
  /** The end of the history: nothing is dated or recorded after this day. */
  asOf: IsoDate;
}

export const PRESETS = {
  trust: { referralsPerMonth: 5500, months: 12 },
  england: { referralsPerMonth: 253_000, months: 12 },
  demo: { referralsPerMonth: 350, months: 12 },
} as const;

export type PresetName = keyof typeof PRESETS;

/** Upper bounds that keep a typo from asking for years of output. */
export const LIMITS = { referralsPerMonth: 10_000_000, months: 120 } as const;
/** No event may be dated before 2000 (R18): a history ends on or after it, and starts no earlier. */
export const EARLIEST_AS_OF = EARLIEST_EVENT_DATE;

const SECONDS_PER_DAY = 86_400;
/** Salt of the random stream the national items and later treatments are drawn from (issue #14). */
const NATIONAL_STREAM = 0x4e415431;
/**
 * Recording happens in working hours, from 08:00 UTC: an event is entered at a random time before
 * 18:00, or a few minutes after the pathway's previous entry, so always before 23:00 UTC (midnight
 * in London in summer) on the day it is recorded.
 */
const WORKDAY_START = 8 * 3600;
const WORKDAY_LENGTH = 10 * 3600;
/** Day numbers past the end of the history that a plan may still name (a booked appointment, an offered date). */
const LOOKAHEAD_DAYS = 400;

export function* simulate(opts: SimulateOptions): Generator<ImportLine> {
  checkOptions(opts);
  const last = dayNumber(opts.asOf);
  const first = Math.max(dayNumber(monthsBefore(opts.asOf, opts.months)) + 1, dayNumber(EARLIEST_AS_OF));
  const total = Math.round(opts.referralsPerMonth * opts.months);
  const rng = new Random(opts.seed);
  const queue = new RecordQueue(first, last);
  const days = new DayNames(first, last + LOOKAHEAD_DAYS);
  const planner = new Planner(
    rng,
    days,
    last,
    queue,
    new NhsNumbers(rng.int(0x7fffffff)),
    new Random(opts.seed ^ NATIONAL_STREAM),
  );

  // Referrals by day: weighted by the day of the week, rounded so the days add up to `total`.
  let weightSum = 0;
  for (let day = first; day <= last; day++) weightSum += M.WEEKDAY_WEIGHTS[weekday(day)]!;
  let cumulative = 0;
  let made = 0;
  for (let day = first; day <= last; day++) {
    cumulative += M.WEEKDAY_WEIGHTS[weekday(day)]!;
    const upTo = day === last ? total : Math.round((total * cumulative) / weightSum);
    for (; made < upTo; made++) planner.pathway(made, day);
    // Every later referral is received, and so recorded, after this day.
    const lines = queue.take(day, days.of(day));
    for (let i = 0; i < lines.length; i++) yield lines[i]!;
  }
}

export function checkOptions(opts: SimulateOptions): void {
  const { referralsPerMonth, months, seed, asOf } = opts;
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

/** The same day on a weekday, or the Monday after a weekend. */
function workday(day: number): number {
  const w = weekday(day);
  return w === 6 ? day + 2 : w === 0 ? day + 1 : day;
}

/** ISO names of day numbers, made once per day instead of once per event. */
class DayNames {
  private readonly names: IsoDate[] = [];

  constructor(
    private readonly from: number,
    to: number,
  ) {
    for (let d = from; d <= to; d++) this.names.push(fromDayNumber(d));
  }

  of(day: number): IsoDate {
    return this.names[day - this.from] ?? fromDayNumber(day);
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

  constructor(
    private readonly rng: Random,
    private readonly days: DayNames,
    private readonly last: number,
    private readonly queue: RecordQueue,
    private readonly nhs: NhsNumbers,
    /** The national items and the treatments after the first: their own stream, so the rest is planned as before. */
    private readonly nat: Random,
  ) {}

  pathway(index: number, received: number): void {
    const rng = this.rng;
    this.pathwayId = `P${String(index + 1).padStart(7, '0')}`;
    this.n = 0;
    this.lastDay = received;
    this.closed = false;
    this.closeDay = -1;

    const route = M.ROUTES.pick(rng);
    let site: TumourSite =
      route === 'breast_symptomatic'
        ? 'breast'
        : route === 'screening'
          ? M.SCREENING_SITES.pick(rng)
          : route === 'consultant_upgrade'
            ? M.UPGRADE_SITES.pick(rng)
            : M.USC_SITES.pick(rng);
    const cancer = rng.chance(conversion(route, site));
    const provider = M.PROVIDERS.pick(rng);
    const female = rng.chance(M.FEMALE_SHARE[site] ?? 0.5);
    const patientName = `${rng.item(female ? M.FEMALE_NAMES : M.MALE_NAMES)} ${rng.item(M.SURNAMES)}`;
    const age = site === 'children' ? rng.int(16) : M.ADULT_AGE.sample(rng);
    const dateOfBirth = fromDayNumber(received - age * 365 - Math.floor(age / 4) - rng.int(365));
    const registeredLate = rng.chance(M.REFERRAL_LATE) ? workday(received + rng.between(1, 2)) - received : 0;
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

    let start = received; // fds and d62 start; a missed first appointment moves it (R5)
    let decisionLine = -1; // the decision to treat's line, which gets its national items once the treatment is planned
    let told: number;
    let earlyDecision = -1;

    if (route === 'consultant_upgrade') {
      // Already under investigation: a scan or biopsy, an MDT, the result.
      const requested = this.test(received + rng.between(0, 2), M.TESTS[site]);
      told = Math.max(received + M.TOLD_UPGRADE.sample(rng), this.lastDay);
      this.event(
        Math.min(requested + M.TEST_REPORT.sample(rng), told),
        { type: 'test_reported', test: M.TESTS[site] },
        BACKDATABLE,
      );
    } else {
      const rdc = site === 'non_specific_symptoms' && route === 'urgent_suspected_cancer';
      const straightToTest =
        !rdc && ((route === 'screening' && site === 'lower_gi') || rng.chance(M.STRAIGHT_TO_TEST[site] ?? 0));
      const triaged = this.event(
        workday(received + M.TRIAGE.sample(rng)),
        {
          type: 'triaged',
          outcome: rdc ? 'rapid_diagnostic_centre' : straightToTest ? 'straight_to_test' : 'outpatient',
        },
        BACKDATABLE,
      );

      let investigated = triaged;
      if (!rdc && !straightToTest) {
        let appointment = workday(triaged + M.FIRST_APPOINTMENT.sample(rng));
        this.event(triaged, {
          type: 'appointment_booked',
          appointmentOn: this.name(appointment),
          appointment: 'first',
        });
        if (rng.chance(M.CANCEL_FIRST)) {
          const cancelled = this.event(triaged + rng.int(appointment - triaged), {
            type: 'patient_cancelled',
            appointment: 'first',
          });
          appointment = workday(appointment + rng.between(2, 10));
          this.event(cancelled, {
            type: 'appointment_booked',
            appointmentOn: this.name(appointment),
            appointment: 'first',
          });
        }
        if (rng.chance(M.DNA_FIRST)) {
          // Dated the day it was booked for (R18); nothing moves until it is rebooked (R5).
          this.event(appointment, { type: 'dna', appointment: 'first' });
          if (rng.chance(M.DNA_NOT_REBOOKED)) {
            this.removal(workday(appointment + rng.between(7, 21)), 'returned_to_gp');
            return this.finish(received, cancer);
          }
          const rebooked = this.event(workday(appointment + rng.between(1, 3)), {
            type: 'appointment_booked',
            appointmentOn: '' as IsoDate, // filled in below
            appointment: 'first',
          });
          start = rebooked;
          appointment = workday(rebooked + rng.between(3, 10));
          (this.lines[this.n - 1] as { appointmentOn: string }).appointmentOn = this.name(appointment);
          if (rng.chance(M.DNA_AGAIN)) {
            this.event(appointment, { type: 'dna', appointment: 'first' });
            this.removal(workday(appointment + rng.between(1, 14)), 'returned_to_gp');
            return this.finish(received, cancer);
          }
        }
        investigated = this.event(appointment, { type: 'first_seen' });
        this.items({ site: this.siteOf(provider), ...this.delay(investigated - start > 14) });
        if (cancer && site === 'skin' && rng.chance(M.EARLY_DTT_SKIN)) {
          // An excision decided at the first appointment: the decision to treat stops fds (R8).
          earlyDecision = this.event(investigated, { type: 'decision_to_treat', plannedModality: 'surgery' });
          decisionLine = this.n - 1;
        }
      } else if (rdc) {
        investigated = this.event(workday(triaged + rng.between(2, 7)), {
          type: 'first_seen',
          clinic: 'Rapid Diagnostic Centre',
        });
        this.items({ site: this.siteOf(provider), ...this.delay(investigated - start > 14) });
      }

      // A cancer needs a biopsy and its histology first: at least a few days after the first contact.
      told = workday(
        Math.max(start + (cancer ? M.TOLD_CANCER : M.TOLD_RULED_OUT).sample(rng), investigated + (cancer ? 4 : 0)),
      );
      const requested = this.test(investigated, M.TESTS[site]);
      let reported = this.event(
        Math.min(requested + M.TEST_REPORT.sample(rng), told),
        { type: 'test_reported', test: M.TESTS[site] },
        BACKDATABLE,
      );
      if (rdc && (cancer || rng.chance(M.RDC_ONWARD_NOT_CANCER))) {
        site = M.ONWARD_SITES.pick(rng);
        const onward = this.event(Math.min(reported + rng.between(0, 3), told), {
          type: 'referred_onward',
          toTumourSite: site,
        });
        const second = this.test(onward, M.TESTS[site]);
        reported = this.event(
          Math.min(second + M.TEST_REPORT.sample(rng), told),
          { type: 'test_reported', test: M.TESTS[site] },
          BACKDATABLE,
        );
      }
      if (straightToTest && rng.chance(0.6)) {
        this.event(Math.max(told - rng.int(3), reported), { type: 'first_seen' });
        this.items({ site: this.siteOf(provider) });
      }
      if (!rdc && !straightToTest && told - this.lastDay >= 3) {
        // A later appointment missed or cancelled by the patient: no clock moves (R5, R6).
        const missed = rng.chance(M.DNA_SUBSEQUENT);
        if (missed || rng.chance(M.CANCEL_SUBSEQUENT)) {
          const on = this.event(
            this.lastDay + 1 + rng.int(told - this.lastDay - 1),
            missed
              ? { type: 'dna', appointment: 'subsequent' }
              : { type: 'patient_cancelled', appointment: 'subsequent' },
            missed ? CHAIN : BACKDATABLE,
          );
          this.event(on, {
            type: 'appointment_booked',
            appointmentOn: this.name(Math.min(on + rng.between(1, 7), told)),
            appointment: 'subsequent',
          });
        }
      }
    }

    if (cancer) {
      const biopsy = this.test(this.lastDay, M.BIOPSY);
      this.event(Math.min(biopsy + rng.between(3, 10), told), { type: 'test_reported', test: M.BIOPSY }, BACKDATABLE);
      this.event(
        Math.max(told - rng.int(6), this.lastDay),
        { type: 'mdt_discussed', outcome: 'cancer confirmed: treatment options agreed' },
        BACKDATABLE,
      );
    }
    // Not cancer: ruled out, or (lung nodules, for instance) an interval scan planned; both close the pathway (R9).
    const outcome = cancer
      ? 'cancer_confirmed'
      : rng.chance(M.INTERVAL_SCAN[site] ?? M.INTERVAL_SCAN_DEFAULT)
        ? 'interval_scan'
        : 'cancer_ruled_out';
    this.event(told, { type: 'diagnosis_communicated', outcome });
    this.toldItems(site, provider, cancer, route !== 'consultant_upgrade' && told - start > 28);
    if (!cancer) return this.finish(received, cancer);

    const usual = (M.MODALITIES[site] ?? M.MODALITY_DEFAULT).pick(rng);
    const modality = earlyDecision >= 0 ? 'surgery' : usual; // an excision decided at the first appointment
    const planned = start + M.TREATMENT.sample(rng);
    const waitAfterDecision = M.DTT_TO_TREATMENT.sample(rng);
    const decision =
      earlyDecision >= 0
        ? earlyDecision
        : workday(Math.max(told + M.TOLD_TO_DTT.sample(rng), planned - waitAfterDecision));
    let treatingProvider: string | undefined;
    if (rng.chance(M.TERTIARY_TRANSFER[site] ?? M.TERTIARY_TRANSFER_DEFAULT)) treatingProvider = rng.item(M.TERTIARY);
    else if (rng.chance(M.GROUP_TRANSFER)) treatingProvider = rng.item(M.GROUP.filter((p) => p !== provider));
    if (treatingProvider !== undefined) {
      const moved = told + rng.int(Math.max(0, decision - told) + 1);
      this.event(moved, { type: 'transferred', toProvider: treatingProvider }, BACKDATABLE);
    }
    if (earlyDecision < 0) {
      this.event(
        decision,
        treatingProvider === undefined
          ? { type: 'decision_to_treat', plannedModality: modality }
          : { type: 'decision_to_treat', plannedModality: modality, treatingProvider },
      );
      decisionLine = this.n - 1;
    }
    let treated = Math.max(planned, decision);
    let paused = 0;
    if (rng.chance(M.DECLINED_OFFER)) {
      // Offered for a day after the decision to treat; a pause in either setting (R7).
      const on = this.event(decision + rng.between(1, 5), {
        type: 'treatment_offer_declined',
        offeredFor: '' as IsoDate, // filled in below
        availableFrom: '' as IsoDate,
        setting: modality === 'surgery' ? 'admitted' : 'non_admitted',
      });
      const offeredFor = on + rng.between(2, 10);
      const availableFrom = offeredFor + rng.between(7, 28);
      const line = this.lines[this.n - 1] as { offeredFor: string; availableFrom: string };
      line.offeredFor = this.name(offeredFor);
      line.availableFrom = this.name(availableFrom);
      treated = Math.max(treated, availableFrom + rng.between(0, 7));
      paused = availableFrom - Math.max(offeredFor, decision);
    }
    const lag = rng.chance(M.TREATMENT_LATE) ? rng.between(1, 7) : 0;
    const treatedOn = this.event(workday(treated), { type: 'treatment_started', modality }, CHAIN, lag);
    this.closeDay = treatedOn;
    // The national items of the decision and the treatment, with a delay reason for a breach: the
    // 31-day wait's on the treatment, a 62-day breach with the 31-day wait met on the decision.
    const where = treatingProvider ?? provider;
    const d31Breached = treatedOn - decision - Math.min(paused, treatedOn - decision) > 31;
    const d62Breached = treatedOn - start - Math.min(paused, treatedOn - decision) > 62;
    if (decisionLine >= 0)
      this.items({ site: this.siteOf(where), ...this.delay(d62Breached && !d31Breached) }, decisionLine);
    this.items({ site: this.siteOf(where), ...this.careSetting(modality), ...this.delay(d31Breached) });
    this.treatmentPlan(treatedOn, where);
    return this.finish(received, cancer);
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
      const decided = this.planEvent(workday(previous + M.TO_NEXT_DECISION.sample(nat)), {
        type: 'decision_to_treat',
        plannedModality: modality,
      });
      const start = nat.chance(M.ECAD) ? decided + M.ECAD_DAYS.sample(nat) : decided;
      this.items({
        site: this.siteOf(provider),
        earliestClinicallyAppropriateDate: start > decided ? this.name(start) : undefined,
      });
      const treated = this.planEvent(workday(start + M.SUBSEQUENT_WAIT.sample(nat)), {
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

  /** A test request, now and then entered twice and the duplicate voided later. Returns its day. */
  private test(day: number, test: string): number {
    const on = this.event(day, { type: 'test_requested', test }, BACKDATABLE);
    if (this.rng.chance(M.DUPLICATE_VOIDED)) {
      const duplicate = this.n;
      this.event(on, { type: 'test_requested', test });
      const correction = workday(on + this.rng.between(0, 2));
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
   * Applies removals, back-dating and the end of the history to the plan, gives the recorded
   * events their times and ids, and queues them.
   */
  private finish(received: number, cancer: boolean): void {
    const rng = this.rng;
    let n = this.n;
    // A patient removed before the pathway would have closed (died, declined, moved away, ...).
    // Every plan ends with the event that closes the pathway, or its first treatment (the treatment plan follows it).
    const closesOn = this.closeDay >= 0 ? this.closeDay : this.lastDay;
    let removedEarly = false;
    if (!this.closed && closesOn - received >= 2 && rng.chance(cancer ? M.REMOVAL_CANCER : M.REMOVAL_NOT_CANCER)) {
      const removedOn = received + 1 + rng.int(closesOn - received - 1);
      // Everything dated from the removal day on goes; a correction stays with the event it voids.
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
      const reasons = cancer ? M.REMOVAL_REASONS_CANCER : M.REMOVAL_REASONS_NOT_CANCER;
      this.removal(removedOn, reasons.pick(rng));
      removedEarly = true;
      n = this.n;
    }
    // Back-dated events sort before the event that closed the 62-day pathway.
    const closedOn = this.closeDay >= 0 && !removedEarly ? this.closeDay : this.lastDay;

    // Recording times: chain events in order; back-dated ones days late; corrections after their target.
    const last = this.last;
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
        if (!chainOpen || at >= (last + 1) * SECONDS_PER_DAY) {
          chainOpen = false;
          this.kept[i] = 0;
          continue;
        }
        previous = at;
        if (i === 0) referralAt = at;
      }
      this.at[i] = at;
      this.kept[i] = at < (last + 1) * SECONDS_PER_DAY && day <= last ? 1 : 0;
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
      return { pathwayId, recordedAt, id, type: f.type, on, test: f.test };
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
    case 'patient_details_updated':
      throw new Error("the simulator keeps each patient's details as referred"); // issue #17
  }
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
  }
}
