// A tracker's decisions on the inbox: accept a proposal (as proposed, or edited), or reject it with
// a reason. Accepting appends the event through the store's normal write path (the machine, the
// guard rails, expectedVersion) in the same transaction as the proposal's new status, carrying the
// message it came from. A refusal leaves the proposal open with the reason, and nothing else changes.
import { AppError } from '../errors.ts';
import type { EventSource } from '../store/event-log.ts';
import type { Proposal } from '../store/inbox.ts';
import type { AppendResult, Store } from '../store/store.ts';

export interface AcceptChange {
  /** The pathway's version the tracker saw; default the version it is at now. */
  expectedVersion?: number;
  /** The event as the tracker edited it: the same type as proposed. */
  event?: Record<string, unknown>;
}

/** The most proposals one bulk accept takes. */
export const BULK_MAX = 200;

function openProposal(store: Store, proposalId: number): Proposal {
  const p = store.inbox.proposal(proposalId);
  if (!p) throw new AppError('unknown_proposal', `no proposal ${proposalId} in the inbox`, 'id');
  if (p.status !== 'proposed') {
    throw new AppError(
      'proposal_decided',
      `proposal ${proposalId} was already ${p.status} by ${p.decidedBy ?? 'someone'} at ${p.decidedAt ?? 'an earlier time'}`,
      'id',
    );
  }
  return p;
}

export function acceptProposal(
  store: Store,
  proposalId: number,
  actor: string,
  change: AcceptChange = {},
): { proposal: Proposal; result: AppendResult } {
  const p = openProposal(store, proposalId);
  if (change.event !== undefined && change.event.type !== p.event.type) {
    throw new AppError(
      'invalid_request',
      `event.type: an edit keeps the proposed type (${p.event.type}); reject the proposal instead`,
      'event.type',
    );
  }
  const message = store.inbox.message(p.messageId)!;
  const source: EventSource = {
    feed: 'hl7',
    sendingApplication: message.sendingApplication,
    sendingFacility: message.sendingFacility,
    messageControlId: message.controlId,
  };
  const expectedVersion = change.expectedVersion ?? store.rows.get(p.pathwayId)?.version ?? 0;
  try {
    const result = store.unitOfWork((append) => {
      const r = append({
        pathwayId: p.pathwayId,
        expectedVersion,
        event: change.event ?? p.event,
        actor,
        source,
        entered: true,
      });
      store.inbox.accepted(proposalId, actor, store.clock.now().toISOString(), r.eventId);
      return r;
    });
    return { proposal: store.inbox.proposal(proposalId)!, result };
  } catch (err) {
    if (err instanceof AppError) store.inbox.refused(proposalId, err.message);
    throw err;
  }
}

/** Each proposal accepted on its own (one refused leaves the others accepted); answers one line per id. */
export function acceptProposals(store: Store, ids: number[], actor: string) {
  return ids.map((id) => {
    try {
      const { result } = acceptProposal(store, id, actor);
      return {
        id,
        status: 'accepted' as const,
        pathwayId: result.pathwayId,
        eventId: result.eventId,
        version: result.version,
      };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return { id, status: 'refused' as const, error: err.toJSON() };
    }
  });
}

export function rejectProposal(store: Store, proposalId: number, actor: string, reason: string): Proposal {
  openProposal(store, proposalId);
  store.unitOfWork(() => store.inbox.rejected(proposalId, actor, store.clock.now().toISOString(), reason));
  return store.inbox.proposal(proposalId)!;
}
