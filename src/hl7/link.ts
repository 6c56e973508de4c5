// A message that matched no open pathway, linked by a tracker to the pathway it is for (issue #28):
// the message is read again as if it had named that pathway's patient, and everything it leads to
// is proposed in the inbox for a tracker to accept (nothing is applied at once: a person chose the
// pathway, and a person confirms what follows). When the message carries a hospital number the
// pathway lacks, adding it is proposed too, so the PAS's next messages match on their own.
import { AppError } from '../errors.ts';
import { pathwayEvent, type PathwayEvent } from '../vocabulary/events.ts';
import { today, type WallClock } from '../wall-clock.ts';
import { stateFromRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';
import { interpret } from './interpret.ts';
import { parseMessage } from './message.ts';

export type LinkModels = Pick<Store, 'unitOfWork' | 'inbox' | 'rows' | 'messageLinks'>;

export interface LinkResult {
  messageId: number;
  pathwayId: string;
  /** The proposals the message now has in the inbox. */
  proposalIds: number[];
  /** What it led to, in words (no patient details). */
  notes: string[];
}

/** Links message `messageId` to `pathwayId` and proposes what it says; throws AppError. */
export function linkMessage(
  store: LinkModels,
  clock: WallClock,
  messageId: number,
  pathwayId: string,
  actor: string,
): LinkResult {
  const { unitOfWork, inbox, rows, messageLinks } = store;
  return unitOfWork(() => {
    const message = messageLinks.unmatchedMessage(messageId);
    if (!message)
      throw new AppError('not_found', `message ${messageId} is not one that matched no open pathway`, 'messageId');
    const earlier = messageLinks.linkOf(messageId);
    if (earlier)
      throw new AppError(
        'message_linked',
        `message ${messageId} was already linked to pathway ${earlier.pathwayId} by ${earlier.linkedBy}`,
        'messageId',
      );
    const row = rows.get(pathwayId);
    if (!row) throw new AppError('unknown_pathway', `no pathway ${pathwayId}`, 'pathwayId');
    if (row.status !== 'open')
      throw new AppError('not_allowed', `pathway ${pathwayId} is closed: link the message to an open one`, 'pathwayId');
    const msg = parseMessage(message.raw);
    const state = stateFromRow(row);
    const open = { pathwayId, version: row.version, state };
    const day = today(clock);
    const plan = interpret(msg, msg.trigger === 'A40' ? [] : [open], msg.trigger === 'A40' ? [open] : [], {
      today: day,
      autoAcceptsBookings: () => false,
    });
    const events: PathwayEvent[] = [...plan.apply, ...plan.propose].map((p) => p.event);
    const hospitalNumber = msg.patient.localPatientId;
    if (hospitalNumber && hospitalNumber !== state.details.localPatientId && !events.some((e) => 'localPatientId' in e))
      events.push(
        pathwayEvent.parse({
          type: 'patient_details_updated',
          on: day,
          reason: 'correction',
          localPatientId: hospitalNumber,
          note: 'the hospital number of a message linked to this pathway',
        }),
      );
    const at = clock.now().toISOString();
    messageLinks.link({ messageId, pathwayId, linkedBy: actor, linkedAt: at });
    const proposalIds = events
      .filter((event) => !inbox.isOpen(pathwayId, event))
      .map((event) => inbox.propose({ messageId, pathwayId, event, clinic: null, createdAt: at }));
    return { messageId, pathwayId, proposalIds, notes: plan.notes };
  });
}
