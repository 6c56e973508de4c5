// given / when / then over the pure pathway (no SQLite), in the manner of emmett's
// deciderSpecification:
//
//   given([referral, ...], { asOf }).when(event).then('awaiting_treatment', { d62: { days: 59 } });
//   given([referral, ...]).when(event).refused('on', 'must be dated the day it was booked for');
//
// `when` takes the event both ways the store does: folded in on its own (advancePathway, or
// startPathway for a referral) and by a full replay (pathwayFromEvents). `then` checks the two agree,
// and agree with the clock calculator (computeClocks) that `openptl clock` prints; `refused` checks
// both refuse. Events are raw objects read through the vocabulary (zod), as the API reads them.
import { expect } from 'vitest';
import { computeClocks, type Clock, type Clocks } from '../../src/cwt/clocks.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';
import { describeIssue, pathwayEvent, type PathwayEvent } from '../../src/vocabulary/events.ts';
import type { GuardOptions } from '../../src/domain/guard-rails.ts';
import {
  advancePathway,
  clocksOf,
  pathwayFromEvents,
  stageOfState,
  startPathway,
  type PathwayState,
} from '../../src/domain/pathway.ts';
import { TimelineError } from '../../src/domain/timeline.ts';

export type ExpectedClocks = { status?: Clocks['status'] } & { [K in 'fds' | 'd31' | 'd62']?: Partial<Clock> } & {
  subsequent?: Partial<Clock>[];
};

/** What a refusal names: the zod field for an event the vocabulary refuses, else the TimelineError's. */
export interface Refusal {
  code: 'invalid_event' | TimelineError['kind'];
  field: string;
  reason: string;
}

export function given(events: readonly object[], opts: { asOf?: IsoDate } = {}) {
  const history = events.map((e) => pathwayEvent.parse(e));
  const asOfWith = (extra: PathwayEvent[]) =>
    opts.asOf ??
    [...history, ...extra]
      .map((e) => e.on)
      .sort()
      .at(-1)!;

  return {
    /** The state after the given events alone. */
    then(stage?: string, clocks: ExpectedClocks = {}): Clocks {
      const asOf = asOfWith([]);
      return check(pathwayFromEvents(history, asOf), history, asOf, stage, clocks);
    },

    /** One more event, recorded after the given ones; `guard.today` when it comes through the API or the forms. */
    when(raw: object, guard: GuardOptions = {}) {
      const parsed = pathwayEvent.safeParse(raw);
      const event = parsed.success ? parsed.data : null;
      const asOf = asOfWith(event ? [event] : []);
      const all = event ? [...history, event] : history;

      /** The event folded in on its own, or null when only a replay can take it (as in the store). */
      const fast = (): PathwayState | null => {
        if (!event) return null;
        if (history.length === 0) return event.type === 'referral_received' ? startPathway(event, guard) : null;
        return advancePathway(pathwayFromEvents(history, asOf), event, history.length, asOf, guard);
      };

      return {
        then(stage?: string, clocks: ExpectedClocks = {}): Clocks {
          if (!parsed.success)
            throw new Error(`the vocabulary refuses the event: ${JSON.stringify(describeIssue(parsed.error))}`);
          const replayed = pathwayFromEvents(all, asOf, guard);
          const folded = fast();
          if (folded) expect(folded, 'folded on its own = full replay').toEqual(replayed);
          return check(replayed, all, asOf, stage, clocks);
        },

        /** Refused, naming `codeOrField` (a field, or 'invalid_event' / 'invalid' / 'not_allowed'), with `reason` in its words. */
        refused(codeOrField: string, reason = ''): Refusal {
          const refusal: Refusal = parsed.success
            ? refusalOf(() => pathwayFromEvents(all, asOf, guard), 'full replay')
            : {
                code: 'invalid_event',
                field: describeIssue(parsed.error).field,
                reason: describeIssue(parsed.error).message,
              };
          if (parsed.success) {
            // Folded on its own it is refused alike, unless only a replay can take it.
            let alone: Refusal | null = null;
            try {
              if (fast() !== null) throw new Error('folded on its own, the event was accepted');
            } catch (err) {
              if (!(err instanceof TimelineError)) throw err;
              alone = { code: err.kind, field: err.field, reason: err.reason };
            }
            if (alone) expect(alone, 'folded on its own = full replay').toEqual(refusal);
          }
          expect([refusal.code, refusal.field]).toContain(codeOrField);
          expect(refusal.reason).toContain(reason);
          return refusal;
        },
      };
    },
  };
}

function check(
  state: PathwayState,
  events: PathwayEvent[],
  asOf: IsoDate,
  stage: string | undefined,
  expected: ExpectedClocks,
): Clocks {
  const clocks = clocksOf(state, asOf);
  expect(clocks, 'the state gives what the clock calculator gives').toEqual(computeClocks(events, asOf));
  if (stage !== undefined) expect(stageOfState(state)).toBe(stage);
  expect(clocks).toMatchObject(expected);
  return clocks;
}

function refusalOf(attempt: () => unknown, route: string): Refusal {
  try {
    attempt();
  } catch (err) {
    if (err instanceof TimelineError) return { code: err.kind, field: err.field, reason: err.reason };
    throw err;
  }
  throw new Error(`expected a refusal (${route}), but the event was accepted`);
}
