// Events the rules allow but that are unusual at the stage (cwt-rules R18, last sentence): the
// engine accepts them, the forms ask the user to confirm. The one place for the rule; the
// pathway answer carries it (per allowed event) so the browser keeps no copy of it.
import type { IsoDate } from '../vocabulary/calendar.ts';
import type { EventType } from '../vocabulary/events.ts';

export interface UnusualEvent {
  type: EventType;
  /** Why it is unusual, in words for the confirmation. */
  reason: string;
  /** Unusual only when this field has this value; always unusual when absent. */
  when?: { field: 'on'; equals: IsoDate };
}

/** What is unusual next, given whether the patient has been seen or tested and the referral date. */
export function unusualEvents(pathway: { seen: boolean; referralOn: IsoDate }): UnusualEvent[] {
  const unusual: UnusualEvent[] = [];
  if (!pathway.seen) {
    unusual.push({
      type: 'decision_to_treat',
      reason: 'The patient has not been seen or had a test reported yet: a decision to treat before that is unusual.',
    });
  }
  unusual.push({
    type: 'diagnosis_communicated',
    reason: 'This is the day the referral was received: a diagnosis told on the day of referral is unusual.',
    when: { field: 'on', equals: pathway.referralOn },
  });
  return unusual;
}
