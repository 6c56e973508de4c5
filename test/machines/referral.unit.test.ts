// Model-based tests of the referral machine: xstate/graph walks its paths, and at every state
// reached the machine's answer for every event type is checked against R16 read straight from
// cwt-rules.md (an independent oracle over the events on the path).
import { describe, expect, it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import {
  MACHINE_EVENT_TYPES,
  referralMachine,
  stageOf,
  step,
  stepPersisted,
  persistSnapshot,
  initialSnapshot,
  type MachineEvent,
} from '../../machines/referral.ts';
import { eventOf } from '../support/timelines.ts';

const MACHINE_TYPES = MACHINE_EVENT_TYPES;
// Every payload variant that steers the machine (triage outcomes, first/subsequent, the three diagnosis outcomes).
const SAMPLE_EVENTS: MachineEvent[] = MACHINE_TYPES.flatMap((type) =>
  [0, 1, 2, 3].map((v) => eventOf(type, '2026-01-05', v)),
);
const uniqueEvents = [...new Map(SAMPLE_EVENTS.map((e) => [JSON.stringify(e), e])).values()];

const DIAGNOSTIC = [
  'triaged',
  'appointment_booked',
  'dna',
  'patient_cancelled',
  'first_seen',
  'test_requested',
  'test_reported',
  'mdt_discussed',
  'referred_onward',
  'transferred',
];

/** R16 as the rules state it, from the events so far, with the treatment plan of issue #14 after the first treatment. */
function r16Allows(history: MachineEvent[], type: MachineEvent['type']): boolean {
  const has = (t: string) => history.some((e) => e.type === t);
  const count = (t: string) => history.filter((e) => e.type === t).length;
  const referred = has('referral_received');
  if (!referred) return type === 'referral_received';
  const closed =
    has('removed') ||
    has('treatment_plan_completed') ||
    // R9: cancer ruled out, or told of a planned interval scan
    history.some((e) => e.type === 'diagnosis_communicated' && e.outcome !== 'cancer_confirmed');
  if (closed) return false;
  if (has('treatment_started')) {
    // Issue #14: after the first treatment, each decision to treat awaits its treatment; the plan
    // may be recorded complete when none is awaited; transfers, MDTs and a removal at any time.
    const awaiting = count('decision_to_treat') > count('treatment_started');
    switch (type) {
      case 'transferred':
      case 'mdt_discussed':
      case 'removed':
        return true;
      case 'decision_to_treat':
      case 'treatment_plan_completed':
        return !awaiting;
      case 'treatment_offer_declined':
      case 'treatment_started':
        return awaiting;
      default:
        return false;
    }
  }
  if (DIAGNOSTIC.includes(type)) return true;
  switch (type) {
    case 'diagnosis_communicated':
      return !has('diagnosis_communicated');
    case 'decision_to_treat':
      return !has('decision_to_treat');
    case 'treatment_offer_declined':
    case 'treatment_started':
      return has('decision_to_treat');
    case 'removed':
      return true;
    default:
      return false;
  }
}

function leafStates(node: { states: Record<string, unknown> }, prefix = ''): string[] {
  return Object.entries(node.states).flatMap(([key, child]) => {
    const c = child as { states: Record<string, unknown> };
    return Object.keys(c.states).length ? leafStates(c, `${prefix}${key}.`) : [key];
  });
}

// Traverse on what decides behaviour (stage and flags), not on lastEvent, so the graph stays finite.
const serializeState = (s: ReturnType<typeof initialSnapshot>) => {
  const { firstSeen, diagnosisTold, decisionToTreat } = s.context;
  return JSON.stringify([s.value, firstSeen, diagnosisTold, decisionToTreat]);
};
const traversal = { events: uniqueEvents, serializeState } as Parameters<
  typeof getShortestPaths<typeof referralMachine>
>[1];

describe('referral machine (model-based)', () => {
  // One shortest path to every distinct (stage, flags) state: behaviour depends on nothing else,
  // so checking every event type there covers the whole machine.
  const paths = getShortestPaths(referralMachine, traversal);

  it('reaches every stage it declares', () => {
    const reached = new Set(paths.map((p) => stageOf(p.state)));
    expect([...reached].sort()).toEqual(leafStates(referralMachine.root).sort());
  });

  it('allows exactly the events R16 allows, in every reachable state', () => {
    expect(paths.length).toBeGreaterThan(20);
    let checked = 0;
    for (const path of paths) {
      const history = path.steps
        .map((s) => s.event as MachineEvent)
        .filter((e) => e.type !== ('xstate.init' as string));
      let snapshot = initialSnapshot();
      for (const event of history) snapshot = step(snapshot, event)!;
      for (const type of MACHINE_TYPES) {
        const allowedByMachine = uniqueEvents.filter((e) => e.type === type).some((e) => snapshot.can(e));
        expect(allowedByMachine, `${type} after ${history.map((e) => e.type).join(' > ')}`).toBe(
          r16Allows(history, type),
        );
        // A rejected event is really rejected: step() refuses it rather than ignoring it silently.
        if (!allowedByMachine) expect(step(snapshot, eventOf(type, '2026-01-05', 0))).toBeNull();
        checked++;
      }
    }
    expect(checked).toBe(paths.length * MACHINE_TYPES.length);
  });

  it('memoized steps on the persisted form give what the machine gives, in every reachable state', () => {
    let compared = 0;
    for (const path of paths) {
      let snapshot = initialSnapshot();
      for (const s of path.steps)
        if ((s.event.type as string) !== 'xstate.init') snapshot = step(snapshot, s.event as MachineEvent)!;
      for (const event of uniqueEvents) {
        const direct = step(snapshot, event);
        // Twice: the first call fills the memo, the second reads it.
        for (let i = 0; i < 2; i++)
          expect(stepPersisted(persistSnapshot(snapshot), event)).toEqual(direct && persistSnapshot(direct));
        compared++;
      }
    }
    expect(compared).toBe(paths.length * uniqueEvents.length);
  });
});
