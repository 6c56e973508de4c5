// A tracker's decisions on the inbox: accept a proposal (as proposed, or edited), or reject it with
// a reason. Accepting appends the event through the store's normal write path (the machine, the
// guard rails, expectedVersion) in the same transaction as the proposal's new status, carrying the
// message it came from. A refusal leaves the proposal open with the reason, and nothing else changes.
import { AppError } from '../errors.ts';
import type { EventSource } from '../store/event-log.ts';
import type { Proposal } from '../store/inbox.ts';
import type { Store } from '../store/store.ts';
import type { AppendResult, PathwayCommands } from '../pathways/commands.ts';

export interface AcceptChange {
  /** The pathway's version the tracker saw; default the version it is at now. */
  expectedVersion?: number;
  /** The event as the tracker edited it: the same type as proposed. */
  event?: Record<string, unknown>;
}

/** The most proposals one bulk accept takes. */
export const BULK_MAX = 200;

/** The store's modules the inbox's decisions use. */
export type InboxModels = Pick<Store, 'inbox' | 'rows' | 'unitOfWork' | 'clock'>;

export class InboxDecisions {
  private readonly store: InboxModels;

  constructor(
    store: InboxModels,
    private readonly commands: PathwayCommands,
  ) {
    this.store = store;
  }

  private openProposal(proposalId: number): Proposal {
    const { inbox } = this.store;
    const p = inbox.proposal(proposalId);
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

  accept(proposalId: number, actor: string, change: AcceptChange = {}): { proposal: Proposal; result: AppendResult } {
    const { inbox, rows, unitOfWork, clock } = this.store;
    const p = this.openProposal(proposalId);
    if (change.event !== undefined && change.event.type !== p.event.type) {
      throw new AppError(
        'invalid_request',
        `event.type: an edit keeps the proposed type (${p.event.type}); reject the proposal instead`,
        'event.type',
      );
    }
    const message = inbox.message(p.messageId)!;
    const source: EventSource = {
      feed: 'hl7',
      sendingApplication: message.sendingApplication,
      sendingFacility: message.sendingFacility,
      messageControlId: message.controlId,
    };
    const expectedVersion = change.expectedVersion ?? rows.get(p.pathwayId)?.version ?? 0;
    try {
      const result = unitOfWork(() => {
        const r = this.commands.append(p.pathwayId, expectedVersion, change.event ?? p.event, {
          actor,
          source,
          entered: true,
        });
        inbox.accepted(proposalId, actor, clock.now().toISOString(), r.eventId);
        return r;
      });
      return { proposal: inbox.proposal(proposalId)!, result };
    } catch (err) {
      if (err instanceof AppError) inbox.refused(proposalId, err.message);
      throw err;
    }
  }

  /** Each proposal accepted on its own (one refused leaves the others accepted); answers one line per id. */
  acceptEach(ids: number[], actor: string) {
    return ids.map((id) => {
      try {
        const { result } = this.accept(id, actor);
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

  reject(proposalId: number, actor: string, reason: string): Proposal {
    const { inbox, unitOfWork, clock } = this.store;
    this.openProposal(proposalId);
    unitOfWork(() => inbox.rejected(proposalId, actor, clock.now().toISOString(), reason));
    return inbox.proposal(proposalId)!;
  }
}
