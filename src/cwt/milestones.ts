// A pathway's timed-pathway milestones (issue #26), derived from its events like the next action,
// never stored on them: a change of definition takes effect without rewriting history.
//
// The facts: the referral's items (which definition applies, the FIT result, the screening
// programme) and the first day each kind of event happened, folded over the effective timeline
// (plain JSON, kept with the pathway's state). A test counts on the day it was done: the day it
// was booked for (`testOn` of its request) once its report is recorded, else the report's day;
// first seen counts as the national record counts it, the first appointment or the first test;
// and the patient told as the faster diagnosis clock stops, at a decision to treat before it (R8).
//
// The milestones: each due by its day counted from the clock start as the clocks count (after a
// DNA restart, R5; moved later by a declined offer's pause, R7, as a breach date is), and met
// (on time or late) by the first event that meets it. One not met is left out when a later one
// has been met (a biopsy not needed once the patient is told) or the pathway has closed; the rest
// are due, at risk (due within two working days with nothing booked for it on or before then) or late.
import { addDays, daysBetween, withinWorkingDaysFrom, type IsoDate } from '../vocabulary/calendar.ts';
import type { ReferralReceived, Route, TimelineEvent, TumourSite } from '../vocabulary/events.ts';
import {
  definitionFor,
  MILESTONE_EVENTS,
  screeningProgrammeOf,
  testKey,
  type MilestoneDefinition,
  type MilestoneEvent,
  type ScreeningProgramme,
  type TimedPathwayDefinition,
} from '../vocabulary/timed-pathways.ts';
import { firstDayOver, type Pause } from './clocks.ts';
import type { Tracking } from './tracking.ts';

/** Working days ahead within which a milestone with nothing booked for it is at risk. */
export const AT_RISK_WORKING_DAYS = 2;

export type MilestoneStatus = 'met' | 'met_late' | 'due' | 'at_risk' | 'late';

export interface TimedFacts {
  /** The referral's timed-pathway items: with its site, the suspected site picks the definition. */
  referral: {
    suspectedSite: string | null;
    screeningProgramme: ScreeningProgramme | null;
    fitResult: number | null;
    fitTestedOn: IsoDate | null;
    fitNotDoneReason: string | null;
    lowDoseCtOn: IsoDate | null;
  };
  /** The first day of each kind of event, by type; a test's also by `type:testKey`. */
  firsts: Record<string, IsoDate>;
  /** Tests booked for a day and not yet reported, by test key: the day each is done. */
  testDays: Record<string, IsoDate>;
  /**
   * The tumour site referred to, once a referral onward has changed it (R12): the pathway keeps
   * the timed pathway it started on. Null until then (the site is the pathway's own, kept once).
   */
  referredSite: TumourSite | null;
}

export function startTimedFacts(referral: ReferralReceived): TimedFacts {
  return {
    referral: {
      suspectedSite: referral.suspectedSite ?? null,
      screeningProgramme: screeningProgrammeOf(referral),
      fitResult: referral.fitResult ?? null,
      fitTestedOn: referral.fitTestedOn ?? null,
      fitNotDoneReason: referral.fitNotDoneReason ?? null,
      lowDoseCtOn: referral.lowDoseCtOn ?? null,
    },
    firsts: {},
    testDays: {},
    referredSite: null,
  };
}

const MEETS = new Set<string>(MILESTONE_EVENTS);

/** Takes one more event, in effective-timeline order, at tumour site `site` before it (mutates and returns `t`). */
export function foldTimedFacts(t: TimedFacts, e: TimelineEvent, site: TumourSite): TimedFacts {
  if (e.type === 'referred_onward') t.referredSite ??= site;
  if (!MEETS.has(e.type)) return t;
  const earliest = (key: string, on: IsoDate) => {
    const known = t.firsts[key];
    if (known === undefined || on < known) t.firsts[key] = on;
  };
  if (e.type === 'test_requested' || e.type === 'test_reported') {
    const key = testKey(e.test);
    let on = e.on;
    if (e.type === 'test_requested' && e.testOn !== undefined) t.testDays[key] = e.testOn;
    if (e.type === 'test_reported') {
      const booked = t.testDays[key];
      if (booked !== undefined && booked <= e.on) on = booked; // done on the day booked, reported since
      delete t.testDays[key];
      earliest('first_seen', on); // DATE FIRST SEEN: the first appointment or diagnostic test
    }
    earliest(e.type, on);
    earliest(`${e.type}:${key}`, on);
    return t;
  }
  earliest(e.type, e.on);
  // Told counts as the faster diagnosis standard's stop does: a decision to treat before it stops it (R8).
  if (e.type === 'decision_to_treat') earliest('diagnosis_communicated', e.on);
  return t;
}

/** The definition a pathway takes (by the site it was referred to, now at `site`, and its route), or null (a consultant upgrade). */
export function timedPathwayOf(
  definitions: readonly TimedPathwayDefinition[],
  facts: TimedFacts,
  site: TumourSite,
  route: Route,
): TimedPathwayDefinition | null {
  return definitionFor(definitions, {
    route,
    tumourSite: facts.referredSite ?? site,
    suspectedSite: facts.referral.suspectedSite,
  });
}

/** A milestone of one pathway, whatever the as-of date. */
export interface PlannedMilestone {
  name: string;
  /** The days allowed, from the clock start. */
  day: number;
  event: MilestoneEvent;
  dueOn: IsoDate;
  metOn: IsoDate | null;
  /** Not met: the first day it is at risk; null when it never is before it is late (booked in time). */
  atRiskFrom: IsoDate | null;
}

/** What the milestones are counted from: the clock start (R5) and the known pauses (R7, merged). */
export interface MilestoneClock {
  start: IsoDate;
  pauses: Pause[];
}

/**
 * The pathway's milestones under its definition, met or still to meet (those left out: see the
 * module's comment), in the definition's order. Date-independent: statusOn reads them on a day.
 */
export function plannedMilestones(
  definition: TimedPathwayDefinition,
  facts: TimedFacts,
  clock: MilestoneClock,
  open: boolean,
  tracking: Pick<Tracking, 'appointment' | 'tests'>,
): PlannedMilestone[] {
  const all = definition.milestones.map((m): PlannedMilestone => {
    // Due by the last day within `day`, as a breach date is found (R2, R7), so a pause moves it too.
    const dueOn = addDays(firstDayOver(m.day, clock.start, clock.pauses), -1);
    const metOn = metOf(m, facts);
    return {
      name: m.name,
      day: m.day,
      event: m.event,
      dueOn,
      metOn,
      atRiskFrom: metOn === null ? atRiskFrom(dueOn, bookedFor(m, tracking)) : null,
    };
  });
  let lastMet = -1;
  all.forEach((m, i) => {
    if (m.metOn !== null) lastMet = i;
  });
  return all.filter((m, i) => m.metOn !== null || (open && i > lastMet));
}

/** The first milestone not met, or null. */
export function nextMilestone(planned: readonly PlannedMilestone[]): PlannedMilestone | null {
  return planned.find((m) => m.metOn === null) ?? null;
}

export function statusOn(m: Pick<PlannedMilestone, 'dueOn' | 'metOn' | 'atRiskFrom'>, asOf: IsoDate): MilestoneStatus {
  if (m.metOn !== null) return m.metOn <= m.dueOn ? 'met' : 'met_late';
  if (asOf > m.dueOn) return 'late';
  return m.atRiskFrom !== null && asOf >= m.atRiskFrom ? 'at_risk' : 'due';
}

/** A milestone as the pathway's page and the API show it on a day. */
export interface MilestoneView {
  name: string;
  day: number;
  dueOn: IsoDate;
  status: MilestoneStatus;
  metOn?: IsoDate;
  /** The day of the pathway it was met on (from the clock start). */
  metDay?: number;
}

export function milestoneView(m: PlannedMilestone, start: IsoDate, asOf: IsoDate): MilestoneView {
  const view: MilestoneView = { name: m.name, day: m.day, dueOn: m.dueOn, status: statusOn(m, asOf) };
  if (m.metOn !== null) {
    view.metOn = m.metOn;
    view.metDay = Math.max(0, daysBetween(start, m.metOn)); // met before a DNA restart: on time, day 0
  }
  return view;
}

/** Each test milestone's keys (`type:testKey`), made once per definition: every row derives them. */
const KEYS = new WeakMap<MilestoneDefinition, { tests: string[]; firsts: string[] }>();
function keysOf(m: MilestoneDefinition): { tests: string[]; firsts: string[] } {
  let keys = KEYS.get(m);
  if (!keys) {
    const tests = (m.tests ?? []).map(testKey);
    KEYS.set(m, (keys = { tests, firsts: tests.map((k) => `${m.event}:${k}`) }));
  }
  return keys;
}

function metOf(m: MilestoneDefinition, facts: TimedFacts): IsoDate | null {
  if ((m.event === 'test_requested' || m.event === 'test_reported') && m.tests?.length) {
    let met: IsoDate | null = null;
    for (const key of keysOf(m).firsts) {
      const on = facts.firsts[key];
      if (on !== undefined && (met === null || on < met)) met = on;
    }
    return met;
  }
  return facts.firsts[m.event] ?? null;
}

/**
 * The day booked that stands for the milestone, if any: a test booked for one of its tests; the
 * first appointment or a test for first seen; an appointment for the rest (the clinic that tells
 * the patient, a decision made at a clinic); nothing for triage or a test's request.
 */
function bookedFor(m: MilestoneDefinition, tracking: Pick<Tracking, 'appointment' | 'tests'>): IsoDate | null {
  const keys = keysOf(m).tests;
  const tests = keys.length ? tracking.tests.filter((b) => keys.includes(testKey(b.test ?? ''))) : tracking.tests;
  const earliest = (days: (IsoDate | undefined)[]) =>
    days.reduce<IsoDate | null>((a, d) => (d !== undefined && (a === null || d < a) ? d : a), null);
  switch (m.event) {
    case 'triaged':
    case 'test_requested':
      return null;
    case 'test_reported':
      return earliest(tests.map((b) => b.on));
    case 'first_seen':
      return earliest([tracking.appointment?.on, ...tracking.tests.map((b) => b.on)]);
    default:
      return tracking.appointment?.on ?? null;
  }
}

/**
 * The latest due day a milestone can have and be at risk on `asOf`: a milestone is at risk no
 * earlier than two working days before it is due (a booking only moves that later), so the PTL's
 * at-risk filter reads only the milestones due from `asOf` to this day (an index range, not a scan).
 */
export function latestDueAtRiskOn(asOf: IsoDate): IsoDate {
  let due = asOf;
  while (withinWorkingDaysFrom(addDays(due, 1), AT_RISK_WORKING_DAYS) <= asOf) due = addDays(due, 1);
  return due;
}

/**
 * At risk from the day it is due within two working days, or, with something booked for it on or
 * before the due day, from the day after the booking (it passed with no outcome); null when that
 * is after the due day.
 */
function atRiskFrom(dueOn: IsoDate, booked: IsoDate | null): IsoDate | null {
  let from = withinWorkingDaysFrom(dueOn, AT_RISK_WORKING_DAYS);
  if (booked !== null && booked <= dueOn) {
    const after = addDays(booked, 1);
    if (after > from) from = after;
  }
  return from <= dueOn ? from : null;
}
