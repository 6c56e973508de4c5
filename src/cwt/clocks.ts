// The Cancer Waiting Times clocks: one pure calculator from (events, as-of date) to the
// 28-day Faster Diagnosis Standard, 31-day and 62-day clocks. ../shared/cwt-rules.md is the
// specification (version 2); the rule numbers (R1..R15) below point into it.
import { addDays, daysBetween, type IsoDate } from '../vocabulary/calendar.ts';
import type { EventOf, PathwayEvent, Route } from '../vocabulary/events.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';

export type ClockName = 'fds' | 'd31' | 'd62';
export type ClockState = 'running' | 'stopped' | 'not_applicable';

export interface Clock {
  state: ClockState;
  start: IsoDate | null;
  stop: IsoDate | null;
  days: number | null;
  adjustmentDays: number;
  target: number;
  breachDate: IsoDate | null;
  breached: boolean;
}

export interface Clocks {
  status: 'open' | 'closed';
  fds: Clock;
  d31: Clock;
  d62: Clock;
  /** The 31-day clock of each treatment after the first, in order; present only when there is one. */
  subsequent?: Clock[];
}

/**
 * The version of cwt-rules.md these clocks follow: a store folded with an older one recomputes.
 * 3: cwt-rules v2 with the treatment plan after the first treatment (subsequent treatments, issue #14).
 * 4: the 31-day-only route and recurrences (issue #24).
 */
export const RULES_VERSION = 4;

export const TARGETS: Record<ClockName, number> = { fds: 28, d31: 31, d62: 62 };

/** Which standards a route is measured against (R3); d31 also needs a decision to treat. */
export const FDS_APPLIES: Record<Route, boolean> = {
  urgent_suspected_cancer: true,
  breast_symptomatic: true,
  screening: true,
  consultant_upgrade: false,
  thirty_one_day_only: false,
};

/**
 * The routes on the 62-day standard (R3). A cancer found by another route, or a recurrence
 * (issue #24), has the 31-day standard only: decision to treat to first treatment.
 */
export const D62_APPLIES: Record<Route, boolean> = {
  urgent_suspected_cancer: true,
  breast_symptomatic: true,
  screening: true,
  consultant_upgrade: true,
  thirty_one_day_only: false,
};

/**
 * A pause in the wait (R7): a declined offer of treatment, [from, until), already limited to the
 * days between the decision to treat and the treatment, so it is the adjustment itself.
 */
export interface Pause {
  from: IsoDate;
  until: IsoDate;
}

/** The dated facts the clocks are read from, after one pass over the timeline. */
export interface ClockFacts {
  route: Route;
  /** The referral's date (R4): with `start`, gives the first-seen adjustment for the national record (R5). */
  referred: IsoDate;
  /** Start of fds and d62: the referral, or the rebooking after a missed first appointment (R4, R5). */
  start: IsoDate;
  fdsStop: IsoDate | null;
  decisionToTreat: IsoDate | null;
  treated: IsoDate | null;
  /** Told cancer is ruled out, or of a planned interval scan: the pathway closes untreated (R9). */
  ruledOut: IsoDate | null;
  removed: IsoDate | null;
  /**
   * Told the cancer is a recurrence (issue #24): the pathway leaves the 62-day standard that day and
   * its first treatment counts in the 31-day one. Absent in folds kept before rules version 4.
   */
  recurrence?: IsoDate | null;
  pauses: Pause[];
  /** Treatments after the first, each with its own 31-day clock (issue #14). */
  subsequent: SubsequentTreatment[];
  /** The treatment plan ended after the first treatment: recorded complete, or the patient removed. */
  planEnded: IsoDate | null;
}

/** A treatment after the first: its 31-day clock and the facts the national record and measures need. */
export interface SubsequentTreatment {
  /** The decision to treat. */
  decided: IsoDate;
  /** The 31-day start: the earliest clinically appropriate date when one was given, else the decision. */
  start: IsoDate;
  treated: IsoDate | null;
  /** Today's modality name of the treatment given (the 31-day measure leaves some out). */
  modality: string | null;
  /** Declined offers (R7), limited to the days from the start to the treatment. */
  pauses: Pause[];
}

/**
 * The running state of one pass over the timeline: the facts so far, and what the next event
 * needs. Plain JSON: the store keeps it between events.
 */
export interface ClockFold {
  facts: ClockFacts;
  /** First seen, or a diagnostic test reported (which counts as first seen, R5). */
  seen: boolean;
  /** A missed first appointment waits for its rebooking to restart the clocks (R5). */
  awaitingRebooking: boolean;
  /** The day the latest first appointment booked is for: a missed one must be dated that day (R18). */
  firstAppointmentOn: IsoDate | null;
  /** The latest clinical date taken, and the highest same-day rank of a clock event on it. */
  lastOn: IsoDate;
  lastRank: number;
  /** DATE FIRST SEEN: the first attendance or diagnostic test reported (R5), for the national returns. */
  firstSeenOn: IsoDate | null;
}

export function startClockFold(referral: { route: Route; on: IsoDate }): ClockFold {
  return {
    facts: {
      route: referral.route,
      referred: referral.on,
      start: referral.on,
      fdsStop: null,
      decisionToTreat: null,
      treated: null,
      ruledOut: null,
      removed: null,
      recurrence: null,
      pauses: [],
      subsequent: [],
      planEnded: null,
    },
    seen: false,
    awaitingRebooking: false,
    firstAppointmentOn: null,
    lastOn: referral.on,
    lastRank: 0,
    firstSeenOn: null,
  };
}

/** True when `event` comes after everything folded so far in clock order, so foldEvent() may take it. */
export function followsFold(fold: ClockFold, event: PathwayEvent): boolean {
  if (event.on !== fold.lastOn) return event.on > fold.lastOn;
  // On the same day: an event that moves no clock can always be taken; a clock event only in order.
  const r = SAME_DAY_ORDER[event.type];
  return r === undefined || r >= fold.lastRank;
}

/** Takes one more event, in clock order, into the fold (mutates and returns it). */
export function foldEvent(fold: ClockFold, e: PathwayEvent): ClockFold {
  const facts = fold.facts;
  const r = SAME_DAY_ORDER[e.type];
  if (e.on > fold.lastOn) {
    fold.lastOn = e.on;
    fold.lastRank = r ?? 0;
  } else if (r !== undefined && r > fold.lastRank) {
    fold.lastRank = r;
  }
  if (facts.treated) return foldTreatmentPlan(fold, e); // the treatment plan after the first treatment (issue #14)
  if (facts.ruledOut || facts.removed) return fold; // nothing follows a closing event
  switch (e.type) {
    case 'dna':
      // R5: a missed FIRST appointment, before the patient is seen or tested and before the fds
      // clock stops, restarts fds and d62 only once it is rebooked: nothing moves until then.
      if (e.appointment === 'first' && !fold.seen && !facts.fdsStop) fold.awaitingRebooking = true;
      break;
    case 'appointment_booked':
      if (fold.awaitingRebooking) {
        facts.start = e.on; // R5: the rebooking's date
        fold.awaitingRebooking = false;
      }
      if (e.appointment === 'first') fold.firstAppointmentOn = e.appointmentOn;
      break;
    case 'first_seen':
    case 'test_reported': // R5: the first diagnostic test counts as first seen
      fold.seen = true;
      fold.firstSeenOn ??= e.on;
      fold.awaitingRebooking = false; // no rebooking recorded: no adjustment
      break;
    case 'diagnosis_communicated': // R8, R9
      facts.fdsStop ??= e.on;
      fold.awaitingRebooking = false; // a rebooking after the patient is told restarts nothing
      if (e.outcome !== 'cancer_confirmed') facts.ruledOut = e.on;
      else if (e.recurrence !== undefined) facts.recurrence ??= e.on; // issue #24
      break;
    case 'decision_to_treat': // R4 (d31 start), R8 (a DTT before the patient is told stops fds)
      facts.decisionToTreat ??= e.on;
      facts.fdsStop ??= e.on;
      fold.awaitingRebooking = false;
      break;
    case 'treatment_offer_declined': {
      // R7, either setting: only days from the decision to treat count (an earlier offered date
      // counts from the decision); with no decision to treat there is nothing to adjust.
      const dtt = facts.decisionToTreat;
      const from = dtt && e.offeredFor < dtt ? dtt : e.offeredFor;
      if (dtt && e.availableFrom > from) facts.pauses.push({ from, until: e.availableFrom });
      break;
    }
    case 'treatment_started': // R10; R7: and no pause counts past the treatment
      if (facts.decisionToTreat) {
        facts.treated = e.on;
        facts.pauses = clipPauses(facts.pauses, e.on);
      }
      break;
    case 'removed': // R11
      facts.removed = e.on;
      break;
    default: // R6, R12: cancellations, onward referrals and transfers change no clock
      break;
  }
  return fold;
}

/**
 * After the first treatment (issue #14): each later decision to treat starts a 31-day clock, at
 * the earliest clinically appropriate date when one is given; declined offers pause it (R7,
 * counted from its start); its treatment stops it. A removal or the plan's completion ends the plan.
 */
function foldTreatmentPlan(fold: ClockFold, e: PathwayEvent): ClockFold {
  const facts = fold.facts;
  if (facts.planEnded) return fold;
  const awaited = awaitedTreatment(facts);
  switch (e.type) {
    case 'decision_to_treat':
      if (!awaited) facts.subsequent.push(laterTreatment(e));
      break;
    case 'treatment_offer_declined':
      if (awaited) {
        const from = e.offeredFor < awaited.start ? awaited.start : e.offeredFor;
        if (e.availableFrom > from) awaited.pauses.push({ from, until: e.availableFrom });
      }
      break;
    case 'treatment_started':
      if (awaited) {
        awaited.treated = e.on;
        awaited.modality = e.modality;
        awaited.pauses = clipPauses(awaited.pauses, e.on);
      }
      break;
    case 'removed':
    case 'treatment_plan_completed':
      facts.planEnded = e.on;
      break;
    default:
      break;
  }
  return fold;
}

function laterTreatment(e: EventOf<'decision_to_treat'>): SubsequentTreatment {
  return {
    decided: e.on,
    start: e.earliestClinicallyAppropriateDate ?? e.on,
    treated: null,
    modality: null,
    pauses: [],
  };
}

/** The treatment after the first that is decided and not yet given, if any (the earliest, should a tie leave two). */
export function awaitedTreatment(facts: ClockFacts): SubsequentTreatment | null {
  if (facts.planEnded) return null;
  return facts.subsequent.find((s) => !s.treated) ?? null;
}

/** R7: no pause counts past the treatment. */
function clipPauses(pauses: Pause[], treatedOn: IsoDate): Pause[] {
  return pauses
    .map((p) => (p.until > treatedOn ? { from: p.from, until: treatedOn } : p))
    .filter((p) => p.until > p.from);
}

/** One pass over the whole timeline (voids removed, clock order); null without a referral. */
export function clockFold(events: readonly PathwayEvent[]): ClockFold | null {
  return clockFoldOf(effectiveTimeline(events));
}

/** clockFold of a timeline already made by effectiveTimeline (a reader needing both makes it once). */
export function clockFoldOf(timeline: { index: number; event: PathwayEvent }[]): ClockFold | null {
  let fold: ClockFold | null = null;
  for (const { event } of inClockOrder(timeline)) {
    if (!fold) {
      if (event.type === 'referral_received') fold = startClockFold(event);
      continue;
    }
    foldEvent(fold, event);
  }
  return fold;
}

/**
 * WAITING TIME ADJUSTMENT (FIRST SEEN) for the national record (R5, reason 3 DNA): the days from
 * the referral to the last rebooking after a missed first appointment.
 */
export function firstSeenAdjustmentDays(facts: ClockFacts): number {
  return daysBetween(facts.referred, facts.start);
}

// OpenPTL convention: events on the same clinical date are read in this order, whatever order
// they were recorded in, so recording order never changes a clock (a DNA and a rebooking on the
// same day restart the clock on that day; a DNA on the day the patient is told still counts).
const SAME_DAY_ORDER: Partial<Record<PathwayEvent['type'], number>> = {
  referral_received: 0,
  dna: 1,
  appointment_booked: 2,
  first_seen: 3,
  test_reported: 3,
  decision_to_treat: 5,
  diagnosis_communicated: 6,
  treatment_offer_declined: 7,
  treatment_started: 8,
  removed: 9,
  treatment_plan_completed: 9,
};
const rank = (e: PathwayEvent) => SAME_DAY_ORDER[e.type] ?? 4;

/**
 * Timeline entries in the order the clocks read them: clinical date, then the same-day order, then
 * as recorded. On the day of a treatment, what was recorded after it is read after it (issue #14:
 * a later treatment's decision or declined offer on the day of the one before; the machine, too,
 * reads ties in the order recorded).
 */
export function inClockOrder<T extends { index: number; event: PathwayEvent }>(timeline: T[]): T[] {
  const after = treatmentsRecordedBefore(timeline);
  return [...timeline].sort((a, b) =>
    a.event.on < b.event.on
      ? -1
      : a.event.on > b.event.on
        ? 1
        : after(a) - after(b) || rank(a.event) - rank(b.event) || a.index - b.index,
  );
}

/** For each entry, how many treatments on its date were recorded before it (0 on most days: nothing to do). */
function treatmentsRecordedBefore<T extends { index: number; event: PathwayEvent }>(
  timeline: T[],
): (entry: T) => number {
  const treatmentDays = new Map<IsoDate, number[]>();
  for (const e of timeline)
    if (e.event.type === 'treatment_started')
      treatmentDays.set(e.event.on, [...(treatmentDays.get(e.event.on) ?? []), e.index]);
  if (treatmentDays.size === 0) return () => 0;
  return (e) => (treatmentDays.get(e.event.on) ?? []).filter((i) => i < e.index).length;
}

export function computeClocks(events: readonly PathwayEvent[], asOf: IsoDate): Clocks {
  const fold = clockFold(events);
  if (!fold) throw new Error('computeClocks needs a referral_received event');
  return clocksFromFacts(fold.facts, asOf);
}

export function clocksFromFacts(f: ClockFacts, asOf: IsoDate): Clocks {
  const pauses = mergePauses(f.pauses);
  const ended = f.ruledOut ?? f.removed; // untreated, the patient leaves every standard (R9, R11)
  const recurrence = f.recurrence ?? null;

  const fds: Clock = !FDS_APPLIES[f.route]
    ? notApplicable('fds')
    : f.fdsStop
      ? measured('fds', 'stopped', f.start, f.fdsStop, [], asOf)
      : f.removed
        ? measured('fds', 'not_applicable', f.start, f.removed, [], asOf)
        : measured('fds', 'running', f.start, null, [], asOf);

  // Treatment stops d62 and d31 (R10); ruling cancer out or a removal takes the patient out of
  // both (R9, R11); a recurrence takes the pathway out of the 62-day standard only (issue #24).
  const d62: Clock = !D62_APPLIES[f.route]
    ? notApplicable('d62')
    : recurrence
      ? measured('d62', 'not_applicable', f.start, recurrence, pauses, asOf)
      : f.treated
        ? measured('d62', 'stopped', f.start, f.treated, pauses, asOf)
        : ended
          ? measured('d62', 'not_applicable', f.start, ended, pauses, asOf)
          : measured('d62', 'running', f.start, null, pauses, asOf);
  const d31: Clock = !f.decisionToTreat
    ? notApplicable('d31')
    : f.treated
      ? measured('d31', 'stopped', f.decisionToTreat, f.treated, pauses, asOf)
      : ended
        ? measured('d31', 'not_applicable', f.decisionToTreat, ended, pauses, asOf)
        : measured('d31', 'running', f.decisionToTreat, null, pauses, asOf);

  // Open: on the 62-day PTL (R15). A pathway off the 62-day standard is never on it, though its
  // 31-day clock may run (on the 31-day PTL, like a treatment after the first).
  const clocks: Clocks = { status: d62.state === 'running' ? 'open' : 'closed', fds, d31, d62 };
  if (f.subsequent.length > 0) clocks.subsequent = f.subsequent.map((s) => subsequentClock(s, f.planEnded, asOf));
  return clocks;
}

/**
 * The 31-day clock awaited off the 62-day PTL, if any: a treatment after the first (issue #14),
 * or the first treatment of a pathway off the 62-day standard (the 31-day-only route or a
 * recurrence, issue #24) once decided. `treatment` is 1 for the first, 2 for the second, ...
 */
export function awaitedThirtyOneDay(facts: ClockFacts): { treatment: number; start: IsoDate; pauses: Pause[] } | null {
  const later = awaitedTreatment(facts);
  if (later) return { treatment: facts.subsequent.indexOf(later) + 2, start: later.start, pauses: later.pauses };
  const offD62 = !D62_APPLIES[facts.route] || Boolean(facts.recurrence);
  if (offD62 && facts.decisionToTreat && !facts.treated && !facts.ruledOut && !facts.removed)
    return { treatment: 1, start: facts.decisionToTreat, pauses: facts.pauses };
  return null;
}

/**
 * A treatment after the first: its 31-day clock, from the decision or the earliest clinically
 * appropriate date to its treatment; a removal before it takes it out of the standard (R11).
 * Before a start still to come (an appropriate date ahead) the wait is day 0.
 */
export function subsequentClock(s: SubsequentTreatment, planEnded: IsoDate | null, asOf: IsoDate): Clock {
  const [state, stop]: [ClockState, IsoDate | null] = s.treated
    ? ['stopped', s.treated]
    : planEnded
      ? ['not_applicable', planEnded]
      : ['running', null];
  const end = stop ?? asOf;
  if (end < s.start) return { ...measured('d31', state, s.start, s.start, mergePauses(s.pauses), asOf), stop };
  return measured('d31', state, s.start, stop, mergePauses(s.pauses), asOf);
}

function notApplicable(name: ClockName): Clock {
  return {
    state: 'not_applicable',
    start: null,
    stop: null,
    days: null,
    adjustmentDays: 0,
    target: TARGETS[name],
    breachDate: null,
    breached: false,
  };
}

function measured(
  name: ClockName,
  state: ClockState,
  start: IsoDate,
  stop: IsoDate | null,
  pauses: Pause[],
  asOf: IsoDate,
): Clock {
  const target = TARGETS[name];
  const end = stop ?? asOf;
  const adjustmentDays = pausedDays(pauses, start, end);
  const days = daysBetween(start, end) - adjustmentDays;
  if (state === 'not_applicable') {
    return { state, start, stop, days, adjustmentDays, target, breachDate: null, breached: false };
  }
  const breached = days > target; // R2
  const breachDate = state === 'running' || breached ? firstDayOver(target, start, pauses) : null;
  return { state, start, stop, days, adjustmentDays, target, breachDate, breached };
}

/** Overlapping declined offers are one pause: a day is only taken off once (R7). */
export function mergePauses(pauses: Pause[]): Pause[] {
  const sorted = pauses
    .filter((p) => p.until > p.from)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: Pause[] = [];
  for (const p of sorted) {
    const last = merged[merged.length - 1];
    if (last && p.from <= last.until) {
      if (p.until > last.until) last.until = p.until;
    } else {
      merged.push({ ...p });
    }
  }
  return merged;
}

/** Paused days inside [start, end): a pause still under way counts only up to `end` (R7). */
export function pausedDays(pauses: Pause[], start: IsoDate, end: IsoDate): number {
  let total = 0;
  for (const p of pauses) {
    const from = p.from > start ? p.from : start;
    const until = p.until < end ? p.until : end;
    if (until > from) total += daysBetween(from, until);
  }
  return total;
}

/**
 * The first date on which a clock's days, less its adjustment, exceed the target (R2): start +
 * target + 1, moved later by each known pause that starts before the date reached so far (the
 * whole pause, even one still under way). A pause starting once the clock has breached moves nothing.
 */
export function firstDayOver(target: number, start: IsoDate, pauses: Pause[]): IsoDate {
  let remaining = target + 1;
  let cursor = start;
  for (const p of pauses) {
    if (p.until <= cursor) continue;
    const from = p.from > cursor ? p.from : cursor;
    const before = daysBetween(cursor, from);
    if (before >= remaining) break;
    remaining -= before;
    cursor = p.until;
  }
  return addDays(cursor, remaining);
}
