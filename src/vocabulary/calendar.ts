// The one module for calendar-day arithmetic (cwt-rules R1).
// Dates are ISO calendar dates (YYYY-MM-DD) with no time and no zone. Arithmetic runs on
// day numbers (days since 1970-01-01, computed in UTC) so daylight saving and the host's
// time zone can never shift a count. "Today" is the calendar date in England.
// One file per function: the package's index loads all of date-fns (about 0.15 s at every CLI start).
import { addMonths } from 'date-fns/addMonths';
import { endOfMonth } from 'date-fns/endOfMonth';
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { startOfMonth } from 'date-fns/startOfMonth';

/**
 * A calendar date, YYYY-MM-DD (an as-of date, a clinical date), and an instant, an ISO timestamp
 * (an as-at moment, when an event was recorded). Template-literal types rather than nominal
 * brands: a literal such as '2026-11-24' is an IsoDate as it stands (no constructor call in every
 * test and table), yet an IsoDate is not an Instant nor an Instant an IsoDate, so swapping an
 * as-of date and an as-at instant does not compile. A plain string becomes one only through a
 * check (isIsoDate, the zod schemas) or this module's arithmetic, which makes them.
 */
export type IsoDate = `${number}-${number}-${number}`;
export type Instant = `${number}-${number}-${number}T${string}`;

/** The instant a Date stands for, as an ISO timestamp in UTC. */
export function instantOf(at: Date): Instant {
  return at.toISOString() as Instant;
}

/** A date after every real one: "no bound" where a date is needed. */
export const FAR_FUTURE: IsoDate = '9999-12-31';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (2026-02-29 is false). */
export function isIsoDate(value: string): value is IsoDate {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month, 0)).getUTCDate();
}

/** Date.UTC, except that years 0-99 are those years, not 1900-1999. */
function utcMs(year: number, monthIndex: number, day: number): number {
  return year >= 100 ? Date.UTC(year, monthIndex, day) : new Date(0).setUTCFullYear(year, monthIndex, day);
}

const dayNumbers = new Map<string, number>();

/** Day number of an ISO date: whole days since 1970-01-01. */
export function dayNumber(date: IsoDate): number {
  // Kept once worked out: a forecast's read takes the day of each of millions of events, on a few hundred dates.
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = utcMs(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
    if (dayNumbers.size > 100_000) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

/** 1900-01-01 as a day number, and the days kept from it (to 2100), by fromDayNumber. */
const FIRST_KEPT_DAY = -25_567;
const KEPT_DAYS = 73_049;
const dayNames: (IsoDate | undefined)[] = [];

/** The ISO date of a day number. */
export function fromDayNumber(day: number): IsoDate {
  // Kept once made for the days 1900 to 2100 (every row's dates are among them): a Date and its
  // ISO string for each date sum were most of the cost of deriving a pathway's row.
  const i = day - FIRST_KEPT_DAY;
  const kept = i >= 0 && i < KEPT_DAYS ? dayNames[i] : undefined;
  if (kept !== undefined) return kept;
  const name = new Date(day * MS_PER_DAY).toISOString().slice(0, 10) as IsoDate;
  if (i >= 0 && i < KEPT_DAYS) dayNames[i] = name;
  return name;
}

/** Days from `from` to `to`: the start date is day 0, the next day is day 1 (R1). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** The same day `years` later (or earlier); 29 February becomes 28 February in a common year. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const y = Number(date.slice(0, 4)) + years;
  const m = Number(date.slice(5, 7));
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${date.slice(5, 7)}-${String(d).padStart(2, '0')}` as IsoDate;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A date as a tracker reads it, "10 Jun 2026": in refusals, where a slipped digit must be seen. */
export function displayDate(date: IsoDate): string {
  return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

// Made on first use: a formatter with a time zone costs about 20 ms to build, and `openptl clock` never needs it.
let londonDate: Intl.DateTimeFormat | undefined;
const makeLondonDate = () =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });

// London's offset from UTC is a whole number of hours, so the date is the same for a whole UTC hour.
const londonDateByHour = new Map<number, IsoDate>();

/** The calendar date in England at an instant: a patient crosses day 62 at midnight in London, not UTC. */
export function londonDateOf(instant: Date): IsoDate {
  const hour = Math.floor(instant.getTime() / 3_600_000);
  let date = londonDateByHour.get(hour);
  if (date === undefined) {
    date = (londonDate ??= makeLondonDate()).format(instant) as IsoDate;
    if (londonDateByHour.size > 100_000) londonDateByHour.clear();
    londonDateByHour.set(hour, date);
  }
  return date;
}

/** The last instant (ISO, UTC) of a calendar day in England: the "as at" cut-off for that day. */
export function endOfLondonDay(date: IsoDate): Instant {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  // London is UTC or UTC+1: the next London midnight is at 00:00 or 23:00 UTC.
  for (const hour of [0, -1]) {
    const midnight = Date.UTC(y, m - 1, d + 1, hour);
    if (londonDateOf(new Date(midnight - 1)) === date && londonDateOf(new Date(midnight)) !== date) {
      return instantOf(new Date(midnight - 1));
    }
  }
  throw new Error(`no London midnight found after ${date}`);
}

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The time of day in England at an instant, as HH:MM. */
export function londonTimeOf(instant: Date): string {
  return londonClock.format(instant);
}

/** First and last day of the calendar month containing `date`, and of the month before it. */
export function monthOf(date: IsoDate): { first: IsoDate; last: IsoDate } {
  const d = parseISO(date);
  return { first: isoDateOf(startOfMonth(d)), last: isoDateOf(endOfMonth(d)) };
}

export function previousMonthOf(date: IsoDate): { first: IsoDate; last: IsoDate } {
  return monthOf(isoDateOf(addMonths(startOfMonth(parseISO(date)), -1)));
}

/** A date-fns local date as YYYY-MM-DD. */
const isoDateOf = (d: Date) => format(d, 'yyyy-MM-dd') as IsoDate;

// ---- weeks (issue #14: the weekly cancer PTL return, a snapshot at the end of a Sunday) ----
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Day of the week, 0 for Sunday (1970-01-01, day 0, was a Thursday). */
export function dayOfWeek(date: IsoDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** The name of a date's weekday: "Sunday". */
export function weekdayName(date: IsoDate): string {
  return WEEKDAYS[dayOfWeek(date)]!;
}

/** The Sunday on or before a date. */
export function sundayOnOrBefore(date: IsoDate): IsoDate {
  return addDays(date, -dayOfWeek(date));
}

// ---- bank holidays in England (and Wales): issue #22, the simulator's clinic calendar ----

/** Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return isoOf(year, Math.floor(n / 31), (n % 31) + 1);
}

function isoOf(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as IsoDate;
}

/** The first (n = 1) or last (n = -1) Monday of a month. */
function mondayOf(year: number, month: number, n: 1 | -1): IsoDate {
  if (n === 1) {
    const first = isoOf(year, month, 1);
    return addDays(first, (8 - dayOfWeek(first)) % 7);
  }
  const last = isoOf(year, month, daysInMonth(year, month));
  return addDays(last, -((dayOfWeek(last) + 6) % 7));
}

/**
 * Bank holidays set by royal proclamation instead of, or as well as, the usual ones (GOV.UK's
 * list): a usual day moved, and extra days (jubilees, a royal wedding, a state funeral, a coronation).
 */
const MOVED_BANK_HOLIDAYS: Readonly<Record<IsoDate, IsoDate>> = {
  '1995-05-01': '1995-05-08', // VE Day, 50 years
  '2002-05-27': '2002-06-04', // Golden Jubilee
  '2012-05-28': '2012-06-04', // Diamond Jubilee
  '2020-05-04': '2020-05-08', // VE Day, 75 years
  '2022-05-30': '2022-06-02', // Platinum Jubilee
};
const EXTRA_BANK_HOLIDAYS: readonly IsoDate[] = [
  '1999-12-31',
  '2002-06-03',
  '2011-04-29',
  '2012-06-05',
  '2022-06-03',
  '2022-09-19',
  '2023-05-08',
];

/**
 * England's bank holidays in a year, in date order: New Year's Day, Good Friday, Easter Monday,
 * the first and last Mondays of May, the last Monday of August, Christmas Day and Boxing Day. A
 * fixed day on a weekend is made up on the next weekday that is not already a holiday (Christmas
 * on a Saturday: Monday 27 and, for Boxing Day, Tuesday 28 December).
 */
export function englandBankHolidays(year: number): IsoDate[] {
  const easter = easterSunday(year);
  const days = new Set<IsoDate>([
    addDays(easter, -2),
    addDays(easter, 1),
    mondayOf(year, 5, 1),
    mondayOf(year, 5, -1),
    mondayOf(year, 8, -1),
  ]);
  const fixed = [isoOf(year, 1, 1), isoOf(year, 12, 25), isoOf(year, 12, 26)];
  const weekend = (d: IsoDate) => dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
  for (const d of fixed) if (!weekend(d)) days.add(d);
  for (const d of fixed) {
    if (!weekend(d)) continue;
    let substitute = addDays(d, 1);
    while (weekend(substitute) || days.has(substitute)) substitute = addDays(substitute, 1);
    days.add(substitute);
  }
  const out = [...days].map((d) => MOVED_BANK_HOLIDAYS[d] ?? d);
  for (const d of EXTRA_BANK_HOLIDAYS) if (Number(d.slice(0, 4)) === year) out.push(d);
  return out.sort();
}

const bankHolidaysByYear = new Map<number, ReadonlySet<IsoDate>>();

/** True on a bank holiday in England. */
export function isEnglandBankHoliday(date: IsoDate): boolean {
  const year = Number(date.slice(0, 4));
  let days = bankHolidaysByYear.get(year);
  if (!days) bankHolidaysByYear.set(year, (days = new Set(englandBankHolidays(year))));
  return days.has(date);
}

// ---- working days (issue #26: a timed pathway's milestone at risk) ----

/** A weekday that is not a bank holiday in England. */
export function isWorkingDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isEnglandBankHoliday(date);
}

/** Answers of withinWorkingDaysFrom, by date and n: due days repeat across pathways, and each is a walk back over days. */
const withinWorkingDays = new Map<string, IsoDate>();

/**
 * The first day on which `date` is at most `n` working days ahead: from then on, the working days
 * after the day up to and including `date` number `n` or fewer (due on a Monday, two working days
 * ahead from the Thursday before: Friday and Monday).
 */
export function withinWorkingDaysFrom(date: IsoDate, n: number): IsoDate {
  const key = `${date}|${n}`;
  const known = withinWorkingDays.get(key);
  if (known !== undefined) return known;
  let day = date;
  let ahead = 0;
  for (;;) {
    const more = ahead + (isWorkingDay(day) ? 1 : 0); // stepping back a day brings `day` into the range
    if (more > n) break;
    ahead = more;
    day = addDays(day, -1);
  }
  if (withinWorkingDays.size > 100_000) withinWorkingDays.clear(); // a bound; a few years of days in practice
  withinWorkingDays.set(key, day);
  return day;
}
