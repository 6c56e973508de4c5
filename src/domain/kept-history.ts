// History as kept: events were checked when they were appended, under the rules of their day.
// Folding them again (rebuild, "as at" reads, the backlog history) takes them as they stand:
// no as-of bound, and what a guard rail added since would refuse is flagged, not refused.
import { FAR_FUTURE } from '../vocabulary/calendar.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import type { GuardRailProblem } from './guard-rails.ts';
import { advancePathway, pathwayForReview, startPathway, type PathwayState } from './pathway.ts';
import { TimelineError } from './timeline.ts';

/**
 * The pathway from its stored events, which were checked when they were appended: no as-of bound
 * applies, and history kept from before a guard rail existed is folded as it stands.
 */
export function pathwayFromKeptHistory(events: readonly PathwayEvent[]): PathwayState {
  return pathwayForReview(events, FAR_FUTURE).state;
}

/** The review flag: each guard-rail problem of kept history, naming the event by its id; null when none. */
export function reviewOf(events: readonly PathwayEvent[], problems: readonly GuardRailProblem[]): string | null {
  if (problems.length === 0) return null;
  return problems
    .map((p) => {
      const e = events[p.index]!;
      return `${e.type} ${e.id ?? `#${p.index + 1}`} (${e.on}), ${p.field}: ${p.reason}`;
    })
    .join('; ');
}

/**
 * The state after one more kept event: the one-event fast path when it can decide, else a replay
 * of everything known so far (`known` ends with `event`).
 */
export function advanceTrusted(
  state: PathwayState | undefined,
  event: PathwayEvent,
  known: readonly PathwayEvent[],
): PathwayState | undefined {
  try {
    if (!state) return event.type === 'referral_received' ? startPathway(event) : undefined;
    return advancePathway(state, event, known.length - 1, FAR_FUTURE) ?? pathwayFromKeptHistory(known);
  } catch (err) {
    if (err instanceof TimelineError) return pathwayFromKeptHistory(known); // a guard rail newer than the event: fold it as it stands
    throw err;
  }
}
