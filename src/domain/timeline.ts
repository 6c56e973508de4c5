// A pathway's timeline: the events as recorded, read the way the rules read them.
// The events that count, in clinical order (effective-timeline.ts), must be a sequence the
// referral machine accepts (R16).
import type { IsoDate } from '../cwt/calendar.ts';
import {
  allowedMachineEvents, initialSnapshot, isClosed, persistSnapshot, restoreSnapshot, stageOf, stepPersisted,
  type PersistedStage, type ReferralSnapshot,
} from '../../machines/referral.ts';
import type { PathwayEvent, ReferralReceived } from './events.ts';
import { effectiveTimeline } from './effective-timeline.ts';
import { guardRailProblems, newProblems, refusal, type GuardOptions, type GuardRailProblem } from './guard-rails.ts';
import { TimelineError } from './timeline-error.ts';

export { TimelineError };

export interface ReplayOptions extends GuardOptions {
  /**
   * Guard-rail problems (R18) to report instead of refusing: 'all' of them (history stored under
   * rules version 1, folded as it stands and flagged for review), or those already known of the
   * stored history, so that only what a new event adds is refused.
   */
  tolerate?: 'all' | readonly GuardRailProblem[];
}

export interface ReplayResult {
  /** The machine's stage after the timeline, in the form the store keeps. */
  stage: PersistedStage;
  referral: ReferralReceived;
  /** The guard-rail problems tolerated (see ReplayOptions); empty unless some were. */
  problems: GuardRailProblem[];
}

/**
 * Checks a whole timeline against the rules and returns the machine's snapshot after it.
 * Throws a TimelineError naming the first event that breaks a rule.
 */
export function replay(events: readonly PathwayEvent[], asOf: IsoDate, opts: ReplayOptions = {}): ReplayResult {
  checkVoids(events);
  const timeline = effectiveTimeline(events);
  const first = timeline[0];
  if (!first || first.event.type !== 'referral_received') {
    const culprit = first?.index ?? 0;
    const referral = timeline.find((e) => e.event.type === 'referral_received');
    if (first && referral) throw new TimelineError(culprit, 'on', `${first.event.on} is before the referral (${referral.event.on})`, 'invalid');
    throw new TimelineError(culprit, 'type', 'is not allowed: a pathway starts with referral_received, dated on or before every other event', 'not_allowed', 'awaiting_referral', ['referral_received']);
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
    const next = stepPersisted(stage, event);
    if (!next) throw notAllowed(index, event.type, restoreSnapshot(stage));
    stage = next;
  }
  for (const [index, event] of events.entries()) {
    if (event.type === 'event_voided') checkDates(index, event, referral.on, asOf);
    if (event.type === 'patient_details_updated') checkDates(index, event, referral.on, asOf); // issue #17: not on the timeline
  }
  return { stage, referral, problems };
}

const INITIAL_STAGE = persistSnapshot(initialSnapshot());

/** The refusal for an event the stage does not allow, naming the stage and what it does allow. */
export function notAllowed(index: number, type: string, snapshot: ReferralSnapshot): TimelineError {
  const stage = stageOf(snapshot);
  const allowed = allowedEvents(snapshot);
  const reason = `${type} is not allowed in stage ${stage}; allowed: ${allowed.length ? allowed.join(', ') : 'none'}`;
  return new TimelineError(index, 'type', reason, 'not_allowed', stage, allowed);
}

/** What may be recorded next: the machine's events, plus a correction once there is anything to correct. */
export function allowedEvents(snapshot: ReferralSnapshot): string[] {
  const allowed: string[] = allowedMachineEvents(snapshot);
  if (stageOf(snapshot) !== 'awaiting_referral') allowed.push('event_voided');
  return allowed;
}

export { isClosed, stageOf };

export function checkDates(index: number, event: PathwayEvent, referralOn: IsoDate, asOf: IsoDate): void {
  if (event.on < referralOn) throw new TimelineError(index, 'on', `${event.on} is before the referral (${referralOn})`, 'invalid');
  if (event.on > asOf) throw new TimelineError(index, 'on', `${event.on} is after the as-of date (${asOf})`, 'invalid');
}

// A void names an earlier event by id; the referral itself and corrections are not voidable
// (a referral made in error is `removed` with that reason), and nothing is voided twice.
function checkVoids(events: readonly PathwayEvent[]): void {
  const seen = new Map<string, PathwayEvent>();
  const voided = new Set<string>();
  events.forEach((event, index) => {
    if (event.type === 'event_voided') {
      const target = seen.get(event.voids);
      if (!target) throw new TimelineError(index, 'voids', `names no earlier event of this pathway (${event.voids})`, 'invalid');
      if (target.type === 'referral_received') throw new TimelineError(index, 'voids', 'cannot void the referral: record removed with reason referral_made_in_error', 'invalid');
      if (target.type === 'event_voided') throw new TimelineError(index, 'voids', 'cannot void a correction', 'invalid');
      if (voided.has(event.voids)) throw new TimelineError(index, 'voids', `event ${event.voids} is already voided`, 'invalid');
      voided.add(event.voids);
    }
    if (event.id !== undefined) {
      if (seen.has(event.id)) throw new TimelineError(index, 'id', `${event.id} is used by an earlier event of this pathway`, 'invalid');
      seen.set(event.id, event);
    }
  });
}
