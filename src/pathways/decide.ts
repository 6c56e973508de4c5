// Decide: may this event extend the pathway, and what is its state after it? The machine, the guard
// rails and the clocks (src/domain) answer; a refusal is turned into the AppError a tracker reads.
// Pure but for `history`, which is asked for the pathway's events only when the fast path cannot
// decide (a correction, or a back-dated event: the whole timeline is checked again).
import { AppError } from '../errors.ts';
import type { Instant, IsoDate } from '../vocabulary/calendar.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import { guardRailProblems, type GuardOptions } from '../domain/guard-rails.ts';
import { reviewOf } from '../domain/kept-history.ts';
import { advancePathway, pathwayFromEvents, startPathway, type PathwayState } from '../domain/pathway.ts';
import { checkDates, TimelineError } from '../domain/timeline.ts';

/** A pathway as loaded for a command: its state, version, last recording and review flag. */
export interface Loaded {
  state: PathwayState;
  version: number;
  updatedAt: Instant;
  review: string | null;
}

/**
 * The state after `event` (the pathway's `version`), with the pathway's review flag; throws
 * AppError. The event itself must pass every guard rail; problems in history kept from before a
 * guard rail existed stay flagged until corrected.
 */
export function decide(
  pathwayId: string,
  prior: Loaded | undefined,
  event: PathwayEvent,
  version: number,
  asOf: IsoDate,
  guard: GuardOptions,
  history: () => PathwayEvent[],
): { state: PathwayState; review: string | null } {
  try {
    if (!prior) {
      if (event.type !== 'referral_received')
        throw new AppError(
          'unknown_pathway',
          `no pathway ${pathwayId}: a pathway starts with referral_received`,
          'pathwayId',
        );
      checkDates(0, event, event.on, asOf);
      return { state: startPathway(event, guard), review: null };
    }
    if (event.type === 'referral_received')
      throw new AppError('pathway_exists', `pathway ${pathwayId} already has a referral`, 'type');
    const fast = advancePathway(prior.state, event, version - 1, asOf, guard);
    if (fast) return { state: fast, review: prior.review };
    const events = [...history(), { ...event, id: event.id ?? `#${version}` }];
    const known = guardRailProblems(events.slice(0, -1));
    const state = pathwayFromEvents(events, asOf, { ...guard, tolerate: known });
    return { state, review: reviewOf(events, guardRailProblems(events)) };
  } catch (err) {
    if (!(err instanceof TimelineError)) throw err;
    if (err.kind === 'not_allowed') {
      throw new AppError(
        'not_allowed',
        `${event.type} is not allowed in stage ${err.stage}; allowed: ${err.allowed?.join(', ') || 'none'}`,
        'type',
        { stage: err.stage, allowedEvents: err.allowed },
      );
    }
    throw new AppError('invalid_timeline', `${err.field}: ${err.reason}`, err.field);
  }
}
