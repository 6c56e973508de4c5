// The referral machine: where the patient is on the suspected-cancer pathway (the stage), and
// which events are allowed next (cwt-rules R16). It counts no days: the clocks live in src/cwt.
// `event_voided` never reaches the machine: a correction replays the timeline without the
// voided event (see src/domain/timeline.ts); nor do `national_items_added` and
// `patient_details_updated` (issue #17). Nor does `note`, a tracking comment that changes no stage
// and is allowed at any time after the referral, closed or not (src/domain/pathway.ts).
import { and, assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';
import { OFF_TIMELINE, EVENT_TYPES, type EventOf, type TimelineEvent } from '../src/vocabulary/events.ts';
import { D62_APPLIES } from '../src/cwt/clocks.ts';

/** Event types the machine never sees: those off the timeline, and comments, which move nothing. */
export const OUTSIDE_MACHINE = [...OFF_TIMELINE, 'note'] as const;

export type MachineEvent = Exclude<TimelineEvent, { type: 'note' }>;

export interface ReferralContext {
  /** Seen in clinic, or a diagnostic test reported: DATE FIRST SEEN nationally (R5). */
  firstSeen: boolean;
  diagnosisTold: boolean;
  decisionToTreat: boolean;
  /** The last event the machine took: gives targetless steps an action, so `can()` reports them. */
  lastEvent: MachineEvent['type'] | null;
}

export const referralMachine = setup({
  types: {
    context: {} as ReferralContext,
    events: {} as MachineEvent,
  },
  guards: {
    /** The 31-day-only route (issue #24): no triage, first seen or faster diagnosis; the decision to treat is next. */
    thirtyOneDayOnly: ({ event }) => event.type === 'referral_received' && !D62_APPLIES[event.route],
    diagnosisPending: ({ context }) => !context.diagnosisTold && !context.decisionToTreat,
    notYetTold: ({ context }) => !context.diagnosisTold,
    noDecisionToTreatYet: ({ context }) => !context.decisionToTreat,
    notYetSeen: ({ context }) => !context.firstSeen,
    triagedTo: ({ event }, outcome: EventOf<'triaged'>['outcome']) =>
      event.type === 'triaged' && event.outcome === outcome,
    firstAppointment: ({ event }) => 'appointment' in event && event.appointment === 'first',
    toldOutcome: ({ event }, outcome: EventOf<'diagnosis_communicated'>['outcome']) =>
      event.type === 'diagnosis_communicated' && event.outcome === outcome,
  },
  actions: {
    note: assign({ lastEvent: ({ event }) => event.type }),
    noteFirstSeen: assign({ firstSeen: true, lastEvent: ({ event }) => event.type }),
    noteDiagnosisTold: assign({ diagnosisTold: true, lastEvent: 'diagnosis_communicated' as const }),
    noteDecisionToTreat: assign({ decisionToTreat: true, lastEvent: 'decision_to_treat' as const }),
  },
}).createMachine({
  id: 'referral',
  context: { firstSeen: false, diagnosisTold: false, decisionToTreat: false, lastEvent: null },
  initial: 'awaiting_referral',
  states: {
    awaiting_referral: {
      on: {
        referral_received: [
          { guard: 'thirtyOneDayOnly', target: '#referral.open.awaiting_decision_to_treat', actions: 'note' },
          { target: 'open', actions: 'note' },
        ],
      },
    },
    open: {
      initial: 'awaiting_triage',
      on: {
        triaged: [
          {
            guard: and(['diagnosisPending', { type: 'triagedTo', params: 'straight_to_test' as const }]),
            target: '.straight_to_test',
            actions: 'note',
          },
          {
            guard: and(['diagnosisPending', { type: 'triagedTo', params: 'rapid_diagnostic_centre' as const }]),
            target: '.rapid_diagnostic_centre',
            actions: 'note',
          },
          {
            guard: and(['diagnosisPending', { type: 'triagedTo', params: 'outpatient' as const }]),
            target: '.awaiting_first_appointment',
            actions: 'note',
          },
          { actions: 'note' },
        ],
        appointment_booked: [
          {
            guard: and(['diagnosisPending', 'notYetSeen', 'firstAppointment']),
            target: '.awaiting_first_appointment',
            actions: 'note',
          },
          { actions: 'note' },
        ],
        dna: [
          {
            guard: and(['diagnosisPending', 'notYetSeen', 'firstAppointment']),
            target: '.first_appointment_missed',
            actions: 'note',
          },
          { actions: 'note' },
        ],
        patient_cancelled: { actions: 'note' },
        first_seen: [
          { guard: 'diagnosisPending', target: '.under_investigation', actions: 'noteFirstSeen' },
          { actions: 'noteFirstSeen' },
        ],
        test_requested: [
          { guard: 'diagnosisPending', target: '.under_investigation', actions: 'note' },
          { actions: 'note' },
        ],
        // R5: a diagnostic test reported counts as first seen.
        test_reported: [
          { guard: 'diagnosisPending', target: '.under_investigation', actions: 'noteFirstSeen' },
          { actions: 'noteFirstSeen' },
        ],
        mdt_discussed: [
          { guard: 'diagnosisPending', target: '.discussed_at_mdt', actions: 'note' },
          { actions: 'note' },
        ],
        referred_onward: { actions: 'note' },
        transferred: { actions: 'note' },
        diagnosis_communicated: [
          // R9: ruled out, or a planned interval scan, closes the pathway untreated.
          {
            guard: and(['notYetTold', { type: 'toldOutcome', params: 'cancer_ruled_out' as const }]),
            target: 'cancer_ruled_out',
            actions: 'noteDiagnosisTold',
          },
          {
            guard: and(['notYetTold', { type: 'toldOutcome', params: 'interval_scan' as const }]),
            target: 'interval_scan_planned',
            actions: 'noteDiagnosisTold',
          },
          {
            guard: and(['notYetTold', 'noDecisionToTreatYet']),
            target: '.awaiting_decision_to_treat',
            actions: 'noteDiagnosisTold',
          },
          { guard: 'notYetTold', actions: 'noteDiagnosisTold' },
        ],
        decision_to_treat: {
          guard: 'noDecisionToTreatYet',
          target: '.awaiting_treatment',
          actions: 'noteDecisionToTreat',
        },
        removed: { target: 'removed', actions: 'note' },
      },
      states: {
        awaiting_triage: {},
        awaiting_first_appointment: {},
        first_appointment_missed: {},
        straight_to_test: {},
        rapid_diagnostic_centre: {
          // RDC assessment, tests and clinical review happen here; the stage stays until the
          // patient is referred on to a site-specific pathway or told the outcome.
          on: {
            test_requested: { actions: 'note' },
            test_reported: { actions: 'noteFirstSeen' },
            first_seen: { actions: 'noteFirstSeen' },
            referred_onward: { target: 'under_investigation', actions: 'note' },
          },
        },
        under_investigation: {},
        discussed_at_mdt: {},
        awaiting_decision_to_treat: {},
        awaiting_treatment: {
          on: {
            treatment_offer_declined: { actions: 'note' },
            treatment_started: { target: '#referral.treatment_plan', actions: 'note' },
          },
        },
      },
    },
    // ---- treatments after the first (issue #14) ----
    // The first definitive treatment closes the 62-day pathway, but the treatment plan goes on:
    // each later decision to treat starts a 31-day clock that its treatment stops, until the plan
    // is recorded as complete or the patient is removed.
    treatment_plan: {
      initial: 'treated',
      on: {
        transferred: { actions: 'note' },
        mdt_discussed: { actions: 'note' },
        removed: { target: 'removed', actions: 'note' },
      },
      states: {
        treated: {
          on: {
            decision_to_treat: { target: 'awaiting_subsequent_treatment', actions: 'note' },
            treatment_plan_completed: { target: '#referral.treatment_plan_complete', actions: 'note' },
          },
        },
        awaiting_subsequent_treatment: {
          on: {
            treatment_offer_declined: { actions: 'note' },
            treatment_started: { target: 'treated', actions: 'note' },
          },
        },
      },
    },
    treatment_plan_complete: { type: 'final' },
    cancer_ruled_out: { type: 'final' },
    /** Told cancer is not diagnosed now and a planned interval scan will follow (R9, FDS end reason 04). */
    interval_scan_planned: { type: 'final' },
    removed: { type: 'final' },
  },
});

export type ReferralSnapshot = SnapshotFrom<typeof referralMachine>;

/** The stages of an open pathway, in pathway order: the PTL's stage filter lists these. */
export const OPEN_STAGES = Object.keys(referralMachine.states.open!.states);

/** What the store keeps to validate the next event without a replay. */
export interface PersistedStage {
  value: ReferralSnapshot['value'];
  context: ReferralContext;
}

// Snapshots are immutable, so the initial one is computed once.
let initial: ReferralSnapshot | null = null;

export function initialSnapshot(): ReferralSnapshot {
  initial ??= initialTransition(referralMachine)[0];
  return initial;
}

export function restoreSnapshot(persisted: PersistedStage): ReferralSnapshot {
  return referralMachine.resolveState({ value: persisted.value, context: persisted.context });
}

export function persistSnapshot(snapshot: ReferralSnapshot): PersistedStage {
  return { value: snapshot.value, context: snapshot.context };
}

/** The stage name: the leaf state ("awaiting_triage", "treated", ...). */
export function stageOf(snapshot: Pick<ReferralSnapshot, 'value'>): string {
  let value: unknown = snapshot.value;
  while (typeof value === 'object' && value !== null) value = Object.values(value)[0];
  return String(value);
}

export function isClosed(snapshot: ReferralSnapshot): boolean {
  return snapshot.status === 'done';
}

/** Event types the machine would take now (payload-dependent guards only pick the target stage). */
export function allowedMachineEvents(snapshot: ReferralSnapshot): MachineEvent['type'][] {
  return MACHINE_EVENT_TYPES.filter((type) => snapshot.can({ type } as MachineEvent));
}

/** The next snapshot, or null when the stage does not allow the event. */
export function step(snapshot: ReferralSnapshot, event: MachineEvent): ReferralSnapshot | null {
  if (!snapshot.can(event)) return null;
  return transition(referralMachine, snapshot, event)[0];
}

// The machine is a pure function of its stage, its context and the event fields its guards read
// (type, outcome, appointment, route), so the store's hot path memoizes steps on the persisted form:
// a few hundred keys at most. The entries are frozen because every pathway at a stage shares one.
const GUARDED_FIELDS = ['outcome', 'appointment', 'route'] as const;
const persistedSteps = new Map<string, PersistedStage | null>();

/** `step` on the persisted form (same answer, memoized): the next stage, or null when not allowed. */
export function stepPersisted(persisted: PersistedStage, event: MachineEvent): PersistedStage | null {
  const fields = event as Partial<Record<(typeof GUARDED_FIELDS)[number], string>>;
  const key = `${JSON.stringify(persisted)}|${event.type}|${GUARDED_FIELDS.map((f) => fields[f] ?? '').join('|')}`;
  let next = persistedSteps.get(key);
  if (next === undefined) {
    const snapshot = step(restoreSnapshot(persisted), event);
    next = snapshot && deepFreeze(persistSnapshot(snapshot));
    if (persistedSteps.size >= 10_000) persistedSteps.clear(); // never reached by real stages; a bound all the same
    persistedSteps.set(key, next);
  }
  return next;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/** Every event type the machine reads: all but those about other events and comments. */
export const MACHINE_EVENT_TYPES = EVENT_TYPES.filter(
  (t): t is MachineEvent['type'] => !(OUTSIDE_MACHINE as readonly string[]).includes(t),
);
