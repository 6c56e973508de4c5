// A pathway as the store keeps it between events: the machine's stage, the clock fold and the
// patient's details, so the next event is checked and folded in without a replay. The same
// state comes from a full replay (rebuild) or from folding events one by one; the store's row
// (src/store/pathway-row.ts) is derived from it by one function, so both routes give identical rows. Both routes apply the
// guard rails on clinical dates (R18, guard-rails.ts); pathwayForReview folds history stored
// under rules version 1 as it stands and lists what the guard rails would now refuse.
import { FAR_FUTURE, type IsoDate } from '../vocabulary/calendar.ts';
import {
  clockFold,
  clocksFromFacts,
  foldEvent,
  followsFold,
  mergePauses,
  startClockFold,
  type ClockFold,
  type Clocks,
} from '../cwt/clocks.ts';
import {
  initialSnapshot,
  persistSnapshot,
  restoreSnapshot,
  stageOf,
  stepPersisted,
  type PersistedStage,
} from '../../machines/referral.ts';
import type {
  EventOf,
  PathwayEvent,
  ReferralReceived,
  Route,
  TimelineEvent,
  TumourSite,
} from '../vocabulary/events.ts';
import { allowedNext, checkDates, checkTimeline, notAllowed, type TimelineOptions } from './timeline.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import {
  eventProblems,
  guardContext,
  NO_CONTEXT,
  refusal,
  type GuardContext,
  type GuardOptions,
  type GuardRailProblem,
} from './guard-rails.ts';
import { followUpAfter, foldTracking, inRecordOrder, startTracking, type Tracking } from '../cwt/tracking.ts';
import {
  foldTimedFacts,
  plannedMilestones,
  startTimedFacts,
  timedPathwayOf,
  type PlannedMilestone,
  type TimedFacts,
} from '../cwt/milestones.ts';
import type { TimedPathwayDefinition } from '../vocabulary/timed-pathways.ts';
import type { EthnicCategory, SexCode } from '../vocabulary/equality.ts';

export interface PatientDetails {
  nhsNumber: string;
  patientName: string | null;
  dateOfBirth: IsoDate | null;
  tumourSite: TumourSite;
  route: Route;
  provider: string | null;
  referralOn: IsoDate;
  /** Latest clinical date on the timeline. */
  lastOn: IsoDate;
  /** The hospital's own number for the patient (the PAS number), to match its messages (issue #17). */
  localPatientId: string | null;
  // ---- equality monitoring (issue #27); null when not recorded ----
  sex: SexCode | null;
  ethnicCategory: EthnicCategory | null;
  /** Normalised ("CM1 1AA"); shown only on the pathway page, its deprivation decile derived when read. */
  postcode: string | null;
}

export interface PathwayState {
  machine: PersistedStage;
  fold: ClockFold;
  details: PatientDetails;
  /** Bookings, follow-up and MDT facts for the next action (tracking.ts). */
  tracking: Tracking;
  /** The referral's timed-pathway items and the first day of each milestone's event (issue #26, milestones.ts). */
  timed: TimedFacts;
}

function detailsOf(referral: ReferralReceived): PatientDetails {
  return {
    nhsNumber: referral.nhsNumber,
    patientName: referral.patientName ?? null,
    dateOfBirth: referral.dateOfBirth ?? null,
    tumourSite: referral.tumourSite,
    route: referral.route,
    provider: referral.provider ?? null,
    referralOn: referral.on,
    lastOn: referral.on,
    localPatientId: referral.localPatientId ?? null,
    sex: referral.sex ?? null,
    ethnicCategory: referral.ethnicCategory ?? null,
    postcode: referral.postcode ?? null,
  };
}

/** R12: onward referrals and transfers change the tumour site or the provider, never a clock. */
function foldDetails(details: PatientDetails, event: TimelineEvent): void {
  if (event.type === 'referred_onward') details.tumourSite = event.toTumourSite;
  if (event.type === 'transferred') details.provider = event.toProvider;
  if (event.on > details.lastOn) details.lastOn = event.on;
}

// ---- the patient's details corrected (issue #17) ----

/** The corrections of the patient's details that count (not voided), in the order recorded. */
function detailUpdates(events: readonly PathwayEvent[]): EventOf<'patient_details_updated'>[] {
  const voided = new Set(events.flatMap((e) => (e.type === 'event_voided' ? [e.voids] : [])));
  return events.filter(
    (e): e is EventOf<'patient_details_updated'> =>
      e.type === 'patient_details_updated' && !(e.id !== undefined && voided.has(e.id)),
  );
}

/** What a correction gives replaces what was kept; what it leaves out stays. */
function correctDetails(details: PatientDetails, update: EventOf<'patient_details_updated'>): void {
  if (update.nhsNumber !== undefined) details.nhsNumber = update.nhsNumber;
  if (update.patientName !== undefined) details.patientName = update.patientName;
  if (update.dateOfBirth !== undefined) details.dateOfBirth = update.dateOfBirth;
  if (update.localPatientId !== undefined) details.localPatientId = update.localPatientId;
  if (update.sex !== undefined) details.sex = update.sex;
  if (update.ethnicCategory !== undefined) details.ethnicCategory = update.ethnicCategory;
  if (update.postcode !== undefined) details.postcode = update.postcode;
}

/**
 * The state after a whole timeline, checked against every rule (throws TimelineError).
 * `asOf` bounds the clinical dates (no event after it); `opts` as for checkTimeline().
 */
export function pathwayFromEvents(
  events: readonly PathwayEvent[],
  asOf: IsoDate,
  opts: TimelineOptions = {},
): PathwayState {
  return replayWithProblems(events, asOf, opts).state;
}

/**
 * History stored under rules version 1, folded as it stands: the state, and the guard-rail
 * problems (R18) that would refuse it now, for a "needs review" flag. Every other rule still
 * throws. No as-of bound by default: stored events were checked when they were appended.
 */
export function pathwayForReview(
  events: readonly PathwayEvent[],
  asOf: IsoDate = FAR_FUTURE,
): { state: PathwayState; problems: GuardRailProblem[] } {
  return replayWithProblems(events, asOf, { tolerate: 'all' });
}

function replayWithProblems(
  events: readonly PathwayEvent[],
  asOf: IsoDate,
  opts: TimelineOptions,
): { state: PathwayState; problems: GuardRailProblem[] } {
  const { stage, referral, problems } = checkTimeline(events, asOf, opts);
  const details = detailsOf(referral);
  const tracking = startTracking();
  const timed = startTimedFacts(referral);
  const timeline = effectiveTimeline(events);
  for (const { event } of timeline) {
    if (event.type === 'referral_received') continue; // (a corrected referral is a new object each read)
    foldTimedFacts(timed, event, details.tumourSite);
    foldDetails(details, event);
    foldTracking(tracking, event);
  }
  for (const { event } of inRecordOrder(timeline)) tracking.followUpOn = followUpAfter(event);
  for (const update of detailUpdates(events)) correctDetails(details, update);
  return { state: { machine: stage, fold: clockFold(events)!, details, tracking, timed }, problems };
}

/**
 * The state after one more event, without a replay, or null when only a replay can decide
 * (a correction, or an event dated before ones already folded in). Throws TimelineError when
 * the stage does not allow the event or a guard rail (R18) refuses it; `opts.today` only when
 * the event is being entered through the API or the forms.
 */
export function advancePathway(
  state: PathwayState,
  event: PathwayEvent,
  index: number,
  asOf: IsoDate,
  opts: GuardOptions = {},
): PathwayState | null {
  if (event.type === 'patient_details_updated') {
    // The latest recorded correction wins and nothing else moves, so one more never needs a replay.
    checkDates(index, event, state.details.referralOn, asOf);
    const details = { ...state.details };
    correctDetails(details, event);
    return { ...state, details };
  }
  // A correction (of an event or of the referral), national items for an earlier event (its target
  // must be checked), a referral: a replay decides.
  if (
    event.type === 'event_voided' ||
    event.type === 'national_items_added' ||
    event.type === 'referral_received' ||
    event.type === 'referral_corrected' // issue #28: the clocks and the stage recompute from the corrected referral
  )
    return null;
  if (event.on < state.details.lastOn || !followsFold(state.fold, event)) return null;
  refuseProblems(event, index, guardContext(state.fold), opts);
  checkDates(index, event, state.details.referralOn, asOf);
  // A comment is allowed at any stage, closed or not, and moves no stage (machines/referral.ts).
  const machine = event.type === 'note' ? state.machine : stepPersisted(state.machine, event);
  if (!machine) throw notAllowed(index, event.type, restoreSnapshot(state.machine));
  const fold = foldEvent(structuredClone(state.fold), event);
  const details = { ...state.details };
  foldDetails(details, event);
  const tracking = foldTracking(structuredClone(state.tracking), event);
  tracking.followUpOn = followUpAfter(event); // the event is the last recorded
  const timed = foldTimedFacts(structuredClone(state.timed), event, state.details.tumourSite);
  return { machine, fold, details, tracking, timed };
}

const INITIAL = persistSnapshot(initialSnapshot());

/** A new pathway from its referral; throws TimelineError when a guard rail (R18) refuses it. */
export function startPathway(referral: ReferralReceived, opts: GuardOptions = {}): PathwayState {
  refuseProblems(referral, 0, NO_CONTEXT, opts);
  return {
    machine: stepPersisted(INITIAL, referral)!,
    fold: startClockFold(referral),
    details: detailsOf(referral),
    tracking: startTracking(),
    timed: startTimedFacts(referral),
  };
}

function refuseProblems(event: PathwayEvent, index: number, before: GuardContext, opts: GuardOptions): void {
  const [problem] = eventProblems(event, before, opts);
  if (problem) throw refusal({ index, ...problem });
}

export function clocksOf(state: PathwayState, asOf: IsoDate): Clocks {
  return clocksFromFacts(state.fold.facts, asOf);
}

export function stageOfState(state: PathwayState): string {
  return stageOf(state.machine);
}

export function allowedNextOf(state: PathwayState): string[] {
  return allowedNext(restoreSnapshot(state.machine));
}

/** The tumour site the pathway was referred to, before any referral onward (R12). */
export function referredSiteOf(state: PathwayState): TumourSite {
  return state.timed.referredSite ?? state.details.tumourSite;
}

/**
 * A pathway's milestones under the trust's definitions (issue #26), whatever the as-of date: the
 * definition it takes and its milestones, met or still to meet.
 */
export function milestonesOfState(
  state: PathwayState,
  definitions: readonly TimedPathwayDefinition[],
  open = clocksFromFacts(state.fold.facts, state.details.lastOn).status === 'open',
): { definition: TimedPathwayDefinition | null; planned: PlannedMilestone[] } {
  const definition = timedPathwayOf(definitions, state.timed, state.details.tumourSite, state.fold.facts.route);
  if (!definition) return { definition, planned: [] };
  const { facts } = state.fold;
  const clock = { start: facts.start, pauses: mergePauses(facts.pauses) };
  return { definition, planned: plannedMilestones(definition, state.timed, clock, open, state.tracking) };
}
