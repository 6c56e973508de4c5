// What a tracker should do next, and by when (OpenPTL convention, cwt-rules.md "Due dates").
// Milestones are days from the clock start; tumour sites with timed pathways may set earlier ones.
import { addDays, type IsoDate } from './calendar.ts';
import type { TumourSite } from '../domain/events.ts';

export interface Milestones {
  triage: number;
  firstAppointmentOrTest: number;
  diagnosisTold: number;
  decisionToTreat: number;
}

export const DEFAULT_MILESTONES: Milestones = { triage: 3, firstAppointmentOrTest: 14, diagnosisTold: 28, decisionToTreat: 38 };

/** Per-site overrides: the national optimal lung cancer pathway expects a CT by day 3. */
export const SITE_MILESTONES: Partial<Record<TumourSite, Partial<Milestones>>> = {
  lung: { firstAppointmentOrTest: 3 },
};

export interface NextAction {
  action: string;
  due: IsoDate;
}

/**
 * The next action for an open pathway at `stage`, counted from the 62-day clock start;
 * treatment is due by the last day that meets the 62-day standard (after adjustments).
 */
export function nextAction(stage: string, tumourSite: TumourSite, clockStart: IsoDate, d62BreachDate: IsoDate | null): NextAction | null {
  const m = { ...DEFAULT_MILESTONES, ...SITE_MILESTONES[tumourSite] };
  const by = (action: string, day: number): NextAction => ({ action, due: addDays(clockStart, day) });
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
      return d62BreachDate ? { action: 'first definitive treatment', due: addDays(d62BreachDate, -1) } : null;
    default:
      return null;
  }
}
