// What a proposal in the inbox is read against (issue #28): what the pathway has booked now, beside
// what the message proposes; and whether the message can be placed at all. A missed appointment on
// a day with no appointment booked is not guessed at (first or later): the tracker says which.
import type { Booking } from '../cwt/tracking.ts';
import { stateFromRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';

export interface ProposalContext {
  /** The appointment the pathway has booked now, its outcome not yet recorded; null when none. */
  bookedNow: Booking | null;
  /** The message names an appointment the pathway has no booking for: the tracker must say which appointment it was. */
  needsAppointment: boolean;
}

/** The context of a proposed event for a pathway as it stands now. */
export function proposalContext(
  { rows }: Pick<Store, 'rows'>,
  pathwayId: string,
  event: { type: string; on: string },
): ProposalContext {
  const row = rows.get(pathwayId);
  if (!row) return { bookedNow: null, needsAppointment: false };
  const bookedNow = stateFromRow(row).tracking.appointment;
  const needsAppointment = event.type === 'dna' && bookedNow?.on !== event.on;
  return { bookedNow, needsAppointment };
}
