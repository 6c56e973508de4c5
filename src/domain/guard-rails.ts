// Plausible dates (cwt-rules R18): a slip of the key must not move a clock quietly. The one place
// for these checks. It imports no machine: the timeline check (timeline.ts), the store's fast path
// (pathway.ts), `openptl clock`, import and the forms all reach it through replay or advance.
// Callers either refuse (TimelineError, kind 'invalid') or, for history stored before rules
// version 2, get the problems listed to flag the pathway for review.
import { addYears, displayDate, type IsoDate } from '../vocabulary/calendar.ts';
import { awaitedTreatment, foldEvent, inClockOrder, startClockFold, type ClockFold } from '../cwt/clocks.ts';
import type { EventOf, PathwayEvent } from '../vocabulary/events.ts';
import { eventTypeProblem } from '../vocabulary/national-items.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import { TimelineError } from './timeline-error.ts';

/** No event is dated before this: an earlier date is a slipped year. */
export const EARLIEST_EVENT_DATE = '2000-01-01';
/** Through the API and the forms a referral may be at most this many years old (bulk import migrates older history). */
const ENTERED_REFERRAL_MAX_YEARS = 2;
/** No patient alive now was born before this: an earlier date of birth is a slip (0001-01-01, a blank field). */
export const EARLIEST_BIRTH_DATE = '1900-01-01';
/** A date the tracker sets ahead (a follow-up, an MDT meeting) is within this many years of today (issue #25). */
export const PLANNED_DATE_MAX_YEARS = 2;

/** Why a date of birth cannot be right (before 1900, or after today), or null. */
export function dateOfBirthProblem(dateOfBirth: IsoDate, today: IsoDate): string | null {
  if (dateOfBirth < EARLIEST_BIRTH_DATE)
    return `the date of birth (${displayDate(dateOfBirth)}) is before 1900: check the year`;
  if (dateOfBirth > today) return `the date of birth (${displayDate(dateOfBirth)}) is after today: check the year`;
  return null;
}

/**
 * Why a date set ahead (a follow-up, an MDT meeting) cannot be right: more than two years from
 * today either way (a follow-up in 9999 would drop the patient from "due today" for ever), or null.
 */
export function plannedDateProblem(what: string, on: IsoDate, today: IsoDate): string | null {
  if (on > addYears(today, PLANNED_DATE_MAX_YEARS))
    return `${what} (${displayDate(on)}) is more than two years after today: check the year`;
  if (on < addYears(today, -PLANNED_DATE_MAX_YEARS))
    return `${what} (${displayDate(on)}) is more than two years before today: check the year`;
  return null;
}

export interface GuardOptions {
  /**
   * Today in England, given only when the event (the last one recorded) is being entered through
   * the API or the forms: a referral so entered more than two years before today is refused.
   * Bulk import and replays of stored history leave it out.
   */
  today?: IsoDate;
}

export interface GuardRailProblem {
  /** The event's position in the order recorded. */
  index: number;
  field: string;
  reason: string;
}

/** What the checks of one event need to know of the pathway before it (in clock order). */
export interface GuardContext {
  referralOn: IsoDate | null;
  /** The day the latest first appointment booked before the event is for. */
  firstAppointmentOn: IsoDate | null;
  /** The first decision to treat, once made: any later one is for a treatment after the first (issue #14). */
  decided: IsoDate | null;
  /** The first definitive treatment, once given: later treatments are subsequent ones (issue #14). */
  treated: IsoDate | null;
  /** The 31-day start of the treatment after the first that is awaited, if any. */
  awaitedStart: IsoDate | null;
  /** Told the cancer is a recurrence: its first treatment is of a recurrence's event type (issue #24). */
  recurrence: boolean;
}

/** Before the referral: nothing known. */
export const NO_CONTEXT: GuardContext = {
  referralOn: null,
  firstAppointmentOn: null,
  decided: null,
  treated: null,
  awaitedStart: null,
  recurrence: false,
};

export function guardContext(fold: ClockFold): GuardContext {
  return {
    referralOn: fold.facts.referred,
    firstAppointmentOn: fold.firstAppointmentOn ?? null,
    decided: fold.facts.decisionToTreat,
    treated: fold.facts.treated,
    awaitedStart: awaitedTreatment(fold.facts)?.start ?? null,
    recurrence: Boolean(fold.facts.recurrence),
  };
}

/** The problems of one event, given the pathway before it. `opts.today` only for an event being entered. */
export function eventProblems(
  e: PathwayEvent,
  before: GuardContext,
  opts: GuardOptions = {},
): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  const problem = (field: string, reason: string) => problems.push({ field, reason });
  if (e.on < EARLIEST_EVENT_DATE) problem('on', `${displayDate(e.on)} is before 2000: check the year`);
  if (opts.today !== undefined) problems.push(...enteredProblems(e, opts.today));
  switch (e.type) {
    case 'referral_received':
      if (opts.today !== undefined && e.on < addYears(opts.today, -ENTERED_REFERRAL_MAX_YEARS)) {
        problem(
          'on',
          `the referral (${displayDate(e.on)}) is more than two years before today (${displayDate(opts.today)}): check the year; older history is loaded by bulk import`,
        );
      }
      break;
    case 'referral_corrected': // issue #28: the corrected date as the referral's own (the timeline checks the order)
      problems.push(...correctedReferralProblems(e, opts));
      break;
    case 'appointment_booked':
      if (e.appointmentOn > addYears(e.on, 1)) {
        problem(
          'appointmentOn',
          `the appointment (${displayDate(e.appointmentOn)}) is more than a year after it was booked (${displayDate(e.on)}): check the year`,
        );
      }
      break;
    case 'dna':
      if (e.appointment === 'first' && before.firstAppointmentOn !== null && e.on !== before.firstAppointmentOn) {
        problem(
          'on',
          `the missed appointment must be dated the day it was booked for (${displayDate(before.firstAppointmentOn)})`,
        );
      }
      break;
    case 'treatment_offer_declined':
      if (before.referralOn !== null && e.offeredFor < before.referralOn) {
        problem(
          'offeredFor',
          `the offered date (${displayDate(e.offeredFor)}) is before the referral (${displayDate(before.referralOn)})`,
        );
      }
      if (e.availableFrom > addYears(e.offeredFor, 1)) {
        problem(
          'availableFrom',
          `the patient is available again (${displayDate(e.availableFrom)}) more than a year after the offered date (${displayDate(e.offeredFor)}): check the year`,
        );
      }
      break;
    // ---- treatments after the first (issue #14) ----
    case 'decision_to_treat':
      if (e.earliestClinicallyAppropriateDate !== undefined) {
        if (before.decided === null) {
          problem(
            'earliestClinicallyAppropriateDate',
            'only a decision to treat after the first treatment has one: the first 31-day clock starts at the decision to treat',
          );
        } else if (e.earliestClinicallyAppropriateDate > addYears(e.on, 1)) {
          problem(
            'earliestClinicallyAppropriateDate',
            `the earliest clinically appropriate date (${displayDate(e.earliestClinicallyAppropriateDate)}) is more than a year after the decision (${displayDate(e.on)}): check the year`,
          );
        }
      }
      break;
    case 'treatment_started': {
      const first = before.treated === null;
      const typeProblem = e.eventType === undefined ? null : eventTypeProblem(e.eventType, first, before.recurrence);
      if (typeProblem) problem('eventType', typeProblem);
      if (!first && before.awaitedStart !== null && e.on < before.awaitedStart) {
        problem(
          'on',
          `the treatment (${displayDate(e.on)}) is before its earliest clinically appropriate date (${displayDate(before.awaitedStart)})`,
        );
      }
      break;
    }
    default:
      break;
  }
  return problems;
}

/** Issue #25: a date of birth and a follow-up date entered (the API, the forms) must be plausible. */
function enteredProblems(e: PathwayEvent, today: IsoDate): { field: string; reason: string }[] {
  const born =
    (e.type === 'referral_received' || e.type === 'patient_details_updated') && e.dateOfBirth !== undefined
      ? dateOfBirthProblem(e.dateOfBirth, today)
      : null;
  const planned =
    e.type === 'note' && e.followUpOn !== undefined
      ? plannedDateProblem('the follow-up date', e.followUpOn, today)
      : null;
  // The national file carries a delay comment as typed, and a tracker opens it in a spreadsheet:
  // one that would run as a formula is refused here, never altered there.
  const comment = 'delayComment' in e && typeof e.delayComment === 'string' ? e.delayComment : '';
  return [
    ...(born ? [{ field: 'dateOfBirth', reason: born }] : []),
    ...(planned ? [{ field: 'followUpOn', reason: planned }] : []),
    ...(SPREADSHEET_FORMULA.test(comment)
      ? [
          {
            field: 'delayComment',
            reason: 'starts with =, +, - or @, which a spreadsheet would run as a formula: begin with a word',
          },
        ]
      : []),
  ];
}

/** What a spreadsheet runs as a formula when a cell starts with it (src/csv.ts guards the files for people). */
const SPREADSHEET_FORMULA = /^[=+\-@]/;

function correctedReferralProblems(e: EventOf<'referral_corrected'>, opts: GuardOptions) {
  if (e.receivedOn === undefined) return [];
  if (e.receivedOn < EARLIEST_EVENT_DATE)
    return [{ field: 'receivedOn', reason: `${displayDate(e.receivedOn)} is before 2000: check the year` }];
  if (opts.today !== undefined && e.receivedOn < addYears(opts.today, -ENTERED_REFERRAL_MAX_YEARS))
    return [
      {
        field: 'receivedOn',
        reason: `the corrected referral date (${displayDate(e.receivedOn)}) is more than two years before today (${displayDate(opts.today)}): check the year`,
      },
    ];
  return [];
}

/**
 * Every problem of a timeline, in clock order (voided events left out: they count as never
 * recorded, R13). `opts.today` applies to the last event recorded only: the one being entered.
 */
export function guardRailProblems(events: readonly PathwayEvent[], opts: GuardOptions = {}): GuardRailProblem[] {
  const problems: GuardRailProblem[] = [];
  let fold: ClockFold | null = null;
  for (const { index, event } of inClockOrder(effectiveTimeline(events))) {
    const before = fold ? guardContext(fold) : NO_CONTEXT;
    const entered = index === events.length - 1 ? opts : {};
    for (const p of eventProblems(event, before, entered)) problems.push({ index, ...p });
    if (fold) foldEvent(fold, event);
    else if (event.type === 'referral_received') fold = startClockFold(event);
  }
  const last = events.at(-1); // the referral corrected is off the timeline: its own date is checked here
  if (last?.type === 'referral_corrected')
    for (const p of eventProblems(last, NO_CONTEXT, opts)) problems.push({ index: events.length - 1, ...p });
  return problems;
}

/** The problems of `after` that are not among `known`: what an append would add. */
export function newProblems(
  after: readonly GuardRailProblem[],
  known: readonly GuardRailProblem[],
): GuardRailProblem[] {
  const key = (p: GuardRailProblem) => `${p.index}|${p.field}|${p.reason}`;
  const old = new Set(known.map(key));
  return after.filter((p) => !old.has(key(p)));
}

/** The refusal for a problem: the store answers it with 422, the CLI with exit 2. */
export function refusal(p: GuardRailProblem): TimelineError {
  return new TimelineError(p.index, p.field, p.reason, 'invalid');
}
