// A pathway's timeline: the events as recorded, read the way the rules read them.
// The events that count, in clinical order (effective-timeline.ts), must be a sequence the
// referral machine accepts (R16).
import { displayDate, type IsoDate } from '../vocabulary/calendar.ts';
import {
  allowedMachineEvents,
  initialSnapshot,
  isClosed,
  persistSnapshot,
  restoreSnapshot,
  stageOf,
  stepPersisted,
  type PersistedStage,
  type ReferralSnapshot,
} from '../../machines/referral.ts';
import type { PathwayEvent, ReferralReceived } from '../vocabulary/events.ts';
import { AMENDABLE, eventTypeProblem } from '../vocabulary/national-items.ts';
import { clockFold } from '../cwt/clocks.ts';
import { effectiveTimeline, onTimeline } from '../vocabulary/effective-timeline.ts';
import { guardRailProblems, newProblems, refusal, type GuardOptions, type GuardRailProblem } from './guard-rails.ts';
import { TimelineError } from './timeline-error.ts';

export { TimelineError };

export interface TimelineOptions extends GuardOptions {
  /**
   * Guard-rail problems (R18) to report instead of refusing: 'all' of them (history stored under
   * rules version 1, folded as it stands and flagged for review), or those already known of the
   * stored history, so that only what a new event adds is refused.
   */
  tolerate?: 'all' | readonly GuardRailProblem[];
}

export interface CheckedTimeline {
  /** The machine's stage after the timeline, in the form the store keeps. */
  stage: PersistedStage;
  referral: ReferralReceived;
  /** The guard-rail problems tolerated (see TimelineOptions); empty unless some were. */
  problems: GuardRailProblem[];
}

/**
 * Checks a whole timeline against the rules and returns the machine's snapshot after it.
 * Throws a TimelineError naming the first event that breaks a rule.
 */
export function checkTimeline(
  events: readonly PathwayEvent[],
  asOf: IsoDate,
  opts: TimelineOptions = {},
): CheckedTimeline {
  checkVoids(events);
  checkItemsAdded(events);
  const timeline = effectiveTimeline(events);
  const first = timeline[0];
  if (!first || first.event.type !== 'referral_received') {
    const culprit = first?.index ?? 0;
    const referral = timeline.find((e) => e.event.type === 'referral_received');
    const moved = lastDateCorrection(events);
    if (first && referral && moved >= 0)
      throw new TimelineError(
        moved,
        'receivedOn',
        `the corrected referral date (${displayDate(referral.event.on)}) is after the ${first.event.type.replaceAll('_', ' ')} of ${displayDate(first.event.on)}: a referral comes first`,
        'invalid',
      );
    if (first && referral)
      throw new TimelineError(
        culprit,
        'on',
        `${displayDate(first.event.on)} is before the referral (${displayDate(referral.event.on)})`,
        'invalid',
      );
    throw new TimelineError(
      culprit,
      'type',
      'is not allowed: a pathway starts with referral_received, dated on or before every other event',
      'not_allowed',
      'awaiting_referral',
      ['referral_received'],
    );
  }
  const referral = first.event;
  const problems = guardRailProblems(events, opts);
  const refused = opts.tolerate === 'all' ? [] : newProblems(problems, opts.tolerate ?? []);
  if (refused[0]) throw refusal(refused[0]);
  // The memoized step on the persisted form: the same answers as xstate's transition (a
  // model-based test checks every reachable stage), at a fraction of the cost of a replay.
  let stage = INITIAL_STAGE;
  for (const { index, event } of timeline) {
    checkDates(index, event, referral.on, asOf);
    if (event.type === 'note') continue; // a comment moves no stage and is allowed at any time
    const next = stepPersisted(stage, event);
    if (!next) throw notAllowed(index, event.type, restoreSnapshot(stage));
    stage = next;
  }
  for (const [index, event] of events.entries()) {
    if (!onTimeline(event)) checkDates(index, event, referral.on, asOf);
  }
  return { stage, referral, problems };
}

const INITIAL_STAGE = persistSnapshot(initialSnapshot());

/** The position of the latest referral correction that gives a date received (issue #28), or -1. */
function lastDateCorrection(events: readonly PathwayEvent[]): number {
  let at = -1;
  events.forEach((e, i) => {
    if (e.type === 'referral_corrected' && e.receivedOn !== undefined) at = i;
  });
  return at;
}

/** The refusal for an event the stage does not allow, naming the stage and what it does allow. */
export function notAllowed(index: number, type: string, snapshot: ReferralSnapshot): TimelineError {
  const stage = stageOf(snapshot);
  const allowed = allowedNext(snapshot);
  const reason = `${type} is not allowed in stage ${stage}; allowed: ${allowed.length ? allowed.join(', ') : 'none'}`;
  return new TimelineError(index, 'type', reason, 'not_allowed', stage, allowed);
}

/**
 * Allowed at any stage once there is a referral, open or closed: a comment, a correction, national
 * items for an earlier event, the patient's details corrected, the referral corrected (which may
 * move the clocks and the stage, so the whole timeline is checked again).
 */
export const ANY_STAGE_EVENTS = [
  'note',
  'event_voided',
  'national_items_added',
  'patient_details_updated',
  'referral_corrected',
] as const;

/** What may be recorded next: the machine's events (none once closed), then, once there is a referral, those allowed at any stage. */
export function allowedNext(snapshot: ReferralSnapshot): string[] {
  if (stageOf(snapshot) === 'awaiting_referral') return allowedMachineEvents(snapshot);
  return [...(isClosed(snapshot) ? [] : allowedMachineEvents(snapshot)), ...ANY_STAGE_EVENTS];
}

export { isClosed, stageOf };

export function checkDates(index: number, event: PathwayEvent, referralOn: IsoDate, asOf: IsoDate): void {
  if (event.on < referralOn)
    throw new TimelineError(
      index,
      'on',
      `${displayDate(event.on)} is before the referral (${displayDate(referralOn)})`,
      'invalid',
    );
  if (event.on > asOf)
    throw new TimelineError(
      index,
      'on',
      `${displayDate(event.on)} is after the as-of date (${displayDate(asOf)}; today, when entered): a date cannot be in the future`,
      'invalid',
    );
}

// A void names an earlier event by id; the referral itself and corrections are not voidable
// (a referral made in error is `removed` with that reason), and nothing is voided twice.
function checkVoids(events: readonly PathwayEvent[]): void {
  const seen = new Map<string, PathwayEvent>();
  const voided = new Set<string>();
  events.forEach((event, index) => {
    if (event.type === 'event_voided') {
      const target = seen.get(event.voids);
      if (!target)
        throw new TimelineError(index, 'voids', `names no earlier event of this pathway (${event.voids})`, 'invalid');
      if (target.type === 'referral_received')
        throw new TimelineError(
          index,
          'voids',
          'cannot void the referral: record removed with reason referral_made_in_error',
          'invalid',
        );
      if (target.type === 'event_voided')
        throw new TimelineError(index, 'voids', 'cannot void a correction', 'invalid');
      if (voided.has(event.voids))
        throw new TimelineError(index, 'voids', `event ${event.voids} is already voided`, 'invalid');
      voided.add(event.voids);
    }
    if (event.id !== undefined) {
      if (seen.has(event.id))
        throw new TimelineError(index, 'id', `${event.id} is used by an earlier event of this pathway`, 'invalid');
      seen.set(event.id, event);
    }
  });
}

// National items added for an earlier event (issue #14): the event is named by its id, counts
// (not voided), and is of a type that carries every item given.
function checkItemsAdded(events: readonly PathwayEvent[]): void {
  const seen = new Map<string, PathwayEvent>();
  const voided = new Set<string>();
  for (const e of events) if (e.type === 'event_voided') voided.add(e.voids);
  events.forEach((event, index) => {
    if (event.type === 'national_items_added') {
      const target = seen.get(event.target);
      if (!target)
        throw new TimelineError(index, 'target', `names no earlier event of this pathway (${event.target})`, 'invalid');
      if (voided.has(event.target))
        throw new TimelineError(
          index,
          'target',
          `event ${event.target} is voided: record the event again with its items`,
          'invalid',
        );
      const carries = AMENDABLE[target.type] ?? [];
      if (carries.length === 0)
        throw new TimelineError(index, 'target', `${target.type} carries no national items`, 'invalid');
      const foreign = Object.keys(event).find(
        (k) => !['type', 'id', 'on', 'target'].includes(k) && !carries.includes(k),
      );
      if (foreign)
        throw new TimelineError(
          index,
          foreign,
          `is not an item of ${target.type}; it carries ${carries.join(', ')}`,
          'invalid',
        );
      if (target.type === 'treatment_started' && event.eventType !== undefined) {
        const first = effectiveTimeline(events).find((e) => e.event.type === 'treatment_started')?.event === target;
        const problem = eventTypeProblem(event.eventType, first, Boolean(clockFold(events)?.facts.recurrence));
        if (problem) throw new TimelineError(index, 'eventType', problem, 'invalid');
      }
    }
    if (event.id !== undefined) seen.set(event.id, event);
  });
}
