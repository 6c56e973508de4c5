// What a tracker should do next, and by when (OpenPTL convention, cwt-rules.md "Due dates").
// Milestones are days from the clock start. The real state comes first (workspace #15): a
// follow-up date the tracker set, then an appointment or test booked (due on its date, so overdue
// only once that day has passed with no outcome recorded), then the milestone for the stage, or
// the pathway's next timed-pathway milestone (issue #26, milestones.ts) where that is due earlier.
import { addDays, type IsoDate } from '../vocabulary/calendar.ts';
import { nextBooking, type Tracking } from './tracking.ts';

export interface Milestones {
  triage: number;
  firstAppointmentOrTest: number;
  diagnosisTold: number;
  decisionToTreat: number;
}

export const DEFAULT_MILESTONES: Milestones = {
  triage: 3,
  firstAppointmentOrTest: 14,
  diagnosisTold: 28,
  decisionToTreat: 38,
};

export interface NextAction {
  action: string;
  due: IsoDate;
  /** 'milestone': due by that day; 'booked': an appointment or test on that day; 'follow_up': the tracker's own date. */
  kind: 'milestone' | 'booked' | 'follow_up';
}

const BOOKED_ACTION = { first_appointment: 'first appointment', appointment: 'appointment', test: 'test' } as const;

/**
 * The next action for an open pathway at `stage`, counted from the 62-day clock start;
 * treatment is due by the last day that meets the 62-day standard (after adjustments).
 * A booking stands in for the milestone up to the decision to treat; after it, treatment is the
 * milestone whatever else is booked. With nothing booked, the pathway's next timed milestone
 * (`timed`) takes the stage's place when it is due earlier. A follow-up date always comes first.
 */
export function nextAction(
  stage: string,
  clockStart: IsoDate,
  d62BreachDate: IsoDate | null,
  tracking: Pick<Tracking, 'appointment' | 'tests' | 'followUpOn'>,
  timed: { name: string; dueOn: IsoDate } | null = null,
): NextAction | null {
  const milestone = milestoneFor(stage, clockStart, d62BreachDate);
  if (!milestone) return null; // closed
  if (tracking.followUpOn !== null) return { action: 'follow up', due: tracking.followUpOn, kind: 'follow_up' };
  const booked = stage === 'awaiting_treatment' ? null : nextBooking(tracking);
  if (booked)
    return {
      action: booked.test ? `${BOOKED_ACTION[booked.kind]}: ${booked.test}` : BOOKED_ACTION[booked.kind],
      due: booked.on,
      kind: 'booked',
    };
  return timed && timed.dueOn < milestone.due
    ? { action: asAction(timed.name), due: timed.dueOn, kind: 'milestone' }
    : milestone;
}

/** A milestone's name as an action: "Biopsy" is "biopsy"; "MRI of the prostate" keeps its capitals. */
function asAction(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}

function milestoneFor(stage: string, clockStart: IsoDate, d62BreachDate: IsoDate | null): NextAction | null {
  const m = DEFAULT_MILESTONES;
  const by = (action: string, day: number): NextAction => ({
    action,
    due: addDays(clockStart, day),
    kind: 'milestone',
  });
  switch (stage) {
    case 'awaiting_triage':
      return by('triage', m.triage);
    case 'awaiting_first_appointment':
    case 'first_appointment_missed':
    case 'straight_to_test':
      return by('first appointment or test', m.firstAppointmentOrTest);
    case 'rapid_diagnostic_centre':
    case 'under_investigation':
    case 'discussed_at_mdt':
      return by('communicate diagnosis', m.diagnosisTold);
    case 'awaiting_decision_to_treat':
      return by('decision to treat', m.decisionToTreat);
    case 'awaiting_treatment':
      return d62BreachDate
        ? { action: 'first definitive treatment', due: addDays(d62BreachDate, -1), kind: 'milestone' }
        : null;
    default:
      return null;
  }
}
