// The inbox (issue #17): the events the hospital's messages propose, waiting for a tracker; the
// messages as received; the clinics whose bookings are accepted without a tracker. A tracker accepts
// a proposal (as proposed, or edited) or rejects it with a reason. Accepting appends the event
// through the command handler (the machine, the guard rails, expectedVersion) in the same unit of
// work as the proposal's new status, carrying the message it came from; the proposal is read again
// inside that write transaction, so two servers on one database cannot both accept it (issue #25).
// A refusal leaves the proposal open with the reason, and nothing else changes. A scoped tracker
// sees and decides their providers' proposals only; the kept messages (most of them for patients
// with no cancer pathway) are for unscoped trackers and admins; every read and every rule change is
// in the access log (issue #25).
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { displayDate, type IsoDate } from '../../vocabulary/calendar.ts';
import { localPatientId, nhsNumber } from '../../vocabulary/events.ts';
import type { EventSource } from '../../store/event-log.ts';
import { INBOX_PAGE_MAX, type Proposal } from '../../store/inbox.ts';
import type { Store } from '../../store/store.ts';
import type { AppendResult, PathwayCommands } from '../../pathways/commands.ts';
import { TAKEN_TYPES } from '../../hl7/message.ts';
import { patientSubject } from '../../store/access-log.ts';
import type { User } from '../../auth/roles.ts';
import { actorOf, feature, pathwayInScope, type ApiContext } from '../route.ts';
import { appendResult, booking, date } from '../schemas.ts';
import { proposalContext } from '../../queries/inbox-context.ts';

/** The most proposals one bulk accept takes. */
export const BULK_MAX = 200;

const clinicCode = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]*$/, 'must be a clinic code as the PAS sends it (letters, digits, _ . / -)');
const proposalIdParams = z.strictObject({ id: z.coerce.number().int().min(1).describe('the proposal id') });
const clinicParams = z.strictObject({ clinic: clinicCode });
const inboxQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(INBOX_PAGE_MAX).optional().describe('page size (default 100)'),
  after: z.coerce.number().int().min(0).optional().describe('the last proposal id of the previous page'),
});
const messagesQuery = z.strictObject({
  nhsNumber: nhsNumber.optional(),
  localPatientId: localPatientId.optional(),
  controlId: z.string().max(64).optional().describe('MSH-10'),
  messageType: z
    .enum(TAKEN_TYPES as [string, ...string[]])
    .optional()
    .describe('e.g. SIU^S12'),
  outcome: z.enum(['applied', 'proposed', 'kept', 'error']).optional(),
  before: z.coerce.number().int().min(1).optional().describe('nextBefore of the previous page'),
  limit: z.coerce.number().int().min(1).max(INBOX_PAGE_MAX).optional().describe('page size (default 50)'),
});
const acceptBody = z.strictObject({
  expectedVersion: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("the pathway's version the tracker saw (default: as it is now); a stale one is refused with 409"),
  event: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('the proposed event as edited (the same type); default as proposed'),
});
const bulkAcceptBody = z.strictObject({
  ids: z.array(z.number().int().min(1)).min(1).max(BULK_MAX).describe('proposal ids, each accepted as proposed'),
});
const rejectBody = z.strictObject({ reason: z.string().trim().min(1).max(200).describe('why, for the record') });
const ruleBody = z.strictObject({
  clinic: clinicCode,
  autoAcceptBookings: z
    .boolean()
    .describe("accept this clinic's bookings without a tracker (never one that restarts a clock)"),
});

const proposal = z.object({
  proposalId: z.number().int(),
  messageId: z.number().int(),
  pathwayId: z.string(),
  event: z.record(z.string(), z.unknown()),
  clinic: z.string().nullable(),
  status: z.enum(['proposed', 'accepted', 'rejected']),
  refusal: z.string().nullable().describe('why the last try to accept it was refused'),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  eventId: z.string().nullable(),
  createdAt: z.string(),
});
const inboxAnswer = z.object({
  open: z.number().int().describe('proposals waiting in all'),
  proposals: z.array(
    proposal.extend({
      message: z.object({
        messageType: z.string(),
        controlId: z.string(),
        sendingApplication: z.string(),
        receivedAt: z.string(),
      }),
      // issue #28: what is booked now, beside what the message proposes
      bookedNow: booking.nullable().describe('the appointment the pathway has booked now, its outcome not recorded'),
      needsAppointment: z
        .boolean()
        .describe('a missed appointment on a day with no booking recorded: accept it edited, saying which appointment'),
      pathway: z
        .object({
          version: z.number().int(),
          stage: z.string(),
          status: z.string(),
          tumourSite: z.string(),
          nhsNumber: z.string(),
          patientName: z.string().nullable(),
          dateOfBirth: date.nullable(),
          localPatientId: z.string().nullable(),
        })
        .nullable()
        .describe("the pathway as it stands now: a change of the patient's details is shown beside it"),
    }),
  ),
});
const acceptAnswer = z.object({ proposal, result: appendResult });
const bulkAcceptAnswer = z.object({
  results: z.array(
    z.object({
      id: z.number().int(),
      status: z.enum(['accepted', 'refused']),
      pathwayId: z.string().optional(),
      eventId: z.string().optional(),
      version: z.number().int().optional(),
      error: z.record(z.string(), z.unknown()).optional().describe('the refusal, as an error answer'),
    }),
  ),
});
const messagesAnswer = z.object({
  messages: z.array(
    z.object({
      messageId: z.number().int(),
      receivedAt: z.string(),
      sendingApplication: z.string(),
      sendingFacility: z.string(),
      controlId: z.string(),
      messageType: z.string(),
      nhsNumber: z.string().nullable(),
      localPatientId: z.string().nullable(),
      outcome: z.enum(['applied', 'proposed', 'kept', 'error']),
      detail: z.string(),
      ackCode: z.enum(['AA', 'AE', 'AR']),
      raw: z.string().describe('the message exactly as received; once purged, its header (MSH segment) only'),
      purgedAt: z
        .string()
        .nullable()
        .describe("when its text was removed, the trust's retention period after it matched no open pathway"),
    }),
  ),
  nextBefore: z.number().int().nullable(),
});
const inboxRule = z.object({
  clinic: z.string(),
  autoAcceptBookings: z.boolean(),
  setBy: z.string(),
  setAt: z.string(),
});

type Deps = { store: InboxModels & Pick<Store, 'providers'> } & Pick<ApiContext, 'commands' | 'clock' | 'audit'>;

export const inbox = feature(
  {
    inbox: {
      method: 'get',
      path: '/api/inbox',
      summary: "The inbox: events the hospital's messages propose for open pathways, oldest first",
      allow: 'patients',
      scope: 'pathway',
      query: inboxQuery,
      ok: { status: 200, description: 'open proposals, with their message and pathway', schema: inboxAnswer },
      errors: [400, 401, 403],
    },
    inboxMessages: {
      method: 'get',
      path: '/api/inbox/messages',
      summary:
        'Messages received, newest first, by patient, control id, type or outcome (including those for patients with no open pathway)',
      allow: 'kept_messages',
      scope: 'trust',
      query: messagesQuery,
      ok: { status: 200, description: 'a page of kept messages', schema: messagesAnswer },
      errors: [400, 401, 403],
    },
    acceptProposals: {
      method: 'post',
      path: '/api/inbox/accept',
      summary: 'Accept several proposals as proposed, each on its own (tracker)',
      allow: 'record',
      scope: 'pathway',
      body: bulkAcceptBody,
      ok: {
        status: 200,
        description: 'one result per id: accepted, or refused with the reason (it stays in the inbox)',
        schema: bulkAcceptAnswer,
      },
      errors: [400, 401, 403],
    },
    acceptProposal: {
      method: 'post',
      path: '/api/inbox/:id/accept',
      summary: 'Accept a proposal, as proposed or edited: its event is appended to the pathway (tracker)',
      allow: 'record',
      scope: 'pathway',
      params: proposalIdParams,
      body: acceptBody,
      ok: { status: 201, description: 'the proposal and the pathway as it now stands', schema: acceptAnswer },
      errors: [400, 401, 403, 404, 409, 422],
    },
    rejectProposal: {
      method: 'post',
      path: '/api/inbox/:id/reject',
      summary: 'Reject a proposal with a reason (tracker)',
      allow: 'record',
      scope: 'pathway',
      params: proposalIdParams,
      body: rejectBody,
      ok: { status: 200, description: 'the proposal', schema: proposal },
      errors: [400, 401, 403, 404, 409],
    },
    inboxRules: {
      method: 'get',
      path: '/api/inbox/rules',
      summary: 'Clinics whose bookings are accepted without a tracker',
      allow: 'signed_in',
      scope: 'none',
      ok: { status: 200, description: 'the rules', schema: inboxRule.array() },
      errors: [401, 403],
    },
    setInboxRule: {
      method: 'post',
      path: '/api/inbox/rules',
      summary: "Set a clinic's rule (admin)",
      allow: 'admin',
      scope: 'none',
      body: ruleBody,
      ok: { status: 200, description: 'the rule', schema: inboxRule },
      errors: [400, 401, 403],
    },
    deleteInboxRule: {
      method: 'delete',
      path: '/api/inbox/rules/:clinic',
      summary: "Remove a clinic's rule (admin)",
      allow: 'admin',
      scope: 'none',
      params: clinicParams,
      ok: { status: 204, description: 'removed' },
      errors: [400, 401, 403, 404],
    },
  },
  ({ store, commands, clock, audit }: Deps) => {
    const { inbox: kept } = store;
    const decisions = new InboxDecisions(store, commands);
    /** The check that a proposal's pathway is one the user sees. */
    const inScope = (user: User) => (pathwayId: string) => pathwayInScope(store, user, pathwayId);
    return {
      inbox: ({ req, caller, query, user }) => {
        const proposals = kept
          .open(query.limit ?? 100, query.after ?? 0, user.providers)
          .map((p) => ({ ...p, ...proposalContext(store, p.pathwayId, p.event) }));
        const answer = { open: kept.openCount(user.providers), proposals };
        audit(req, caller, 'inbox_viewed', {
          detail: { proposals: answer.proposals.length },
          seen: [...new Set(answer.proposals.map((p) => p.pathwayId))],
        });
        return answer;
      },
      inboxMessages: ({ req, caller, query }) => {
        const found = kept.search(query);
        // What was asked, and the patients the messages named (by NHS number: most have no pathway).
        const asked = Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'before' && k !== 'limit'));
        audit(req, caller, 'messages_searched', {
          detail: { filters: asked, page: query.before ? 'next' : 'first', messages: found.messages.length },
          seen: [
            ...new Set(
              [query.nhsNumber, ...found.messages.map((m) => m.nhsNumber)]
                .filter((n): n is string => typeof n === 'string')
                .map(patientSubject),
            ),
          ],
        });
        return found;
      },
      acceptProposals: ({ body, user }) => ({ results: decisions.acceptEach(body.ids, actorOf(user), inScope(user)) }),
      acceptProposal: ({ params, body, user }) => decisions.accept(params.id, actorOf(user), body, inScope(user)),
      rejectProposal: ({ params, body, user }) =>
        decisions.reject(params.id, actorOf(user), body.reason, inScope(user)),
      inboxRules: () => kept.rules(),
      setInboxRule: ({ req, caller, body, user }) => {
        const rule = {
          clinic: body.clinic,
          autoAcceptBookings: body.autoAcceptBookings,
          setBy: actorOf(user),
          setAt: clock.now().toISOString(),
        };
        kept.setRule(rule);
        audit(req, caller, 'inbox_rule_set', {
          detail: { clinic: rule.clinic, autoAcceptBookings: rule.autoAcceptBookings },
        });
        return rule;
      },
      deleteInboxRule: ({ req, caller, params }) => {
        if (!kept.deleteRule(params.clinic))
          throw new AppError('not_found', `no rule for clinic ${params.clinic}`, 'clinic');
        audit(req, caller, 'inbox_rule_removed', { detail: { clinic: params.clinic } });
      },
    };
  },
);

export interface AcceptChange {
  /** The pathway's version the tracker saw; default the version it is at now. */
  expectedVersion?: number;
  /** The event as the tracker edited it: the same type as proposed. */
  event?: Record<string, unknown>;
}

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

  /** The proposal, if it is still open; or a refusal (unknown, or decided, by whom and when). */
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

  accept(
    proposalId: number,
    actor: string,
    change: AcceptChange = {},
    allowed: (pathwayId: string) => void = () => {},
  ): { proposal: Proposal; result: AppendResult } {
    const { inbox, rows, unitOfWork, clock } = this.store;
    const p = this.openProposal(proposalId);
    allowed(p.pathwayId);
    if (change.event !== undefined && change.event.type !== p.event.type) {
      throw new AppError(
        'invalid_request',
        `event.type: an edit keeps the proposed type (${p.event.type}); reject the proposal instead`,
        'event.type',
      );
    }
    if (change.event === undefined && proposalContext(this.store, p.pathwayId, p.event).needsAppointment)
      throw new AppError(
        'needs_appointment',
        `event.appointment: no appointment on ${displayDate(p.event.on as IsoDate)} is booked on this pathway: say which appointment was missed (edit, then accept), or record the booking first`,
        'event.appointment',
      );
    const message = inbox.message(p.messageId)!;
    const source: EventSource = {
      feed: 'hl7',
      sendingApplication: message.sendingApplication,
      sendingFacility: message.sendingFacility,
      messageControlId: message.controlId,
    };
    try {
      const result = unitOfWork(() => {
        // Read again under the write lock: another server may have decided it since.
        this.openProposal(proposalId);
        const expectedVersion = change.expectedVersion ?? rows.get(p.pathwayId)?.version ?? 0;
        const r = this.commands.append(p.pathwayId, expectedVersion, change.event ?? p.event, {
          actor,
          source,
          entered: true,
        });
        if (!inbox.accepted(proposalId, actor, clock.now().toISOString(), r.eventId)) this.openProposal(proposalId);
        return r;
      });
      return { proposal: inbox.proposal(proposalId)!, result };
    } catch (err) {
      if (err instanceof AppError && err.code !== 'proposal_decided') inbox.refused(proposalId, err.message);
      throw err;
    }
  }

  /** Each proposal accepted on its own (one refused leaves the others accepted); answers one line per id. */
  acceptEach(ids: number[], actor: string, allowed: (pathwayId: string) => void = () => {}) {
    return ids.map((id) => {
      try {
        const { result } = this.accept(id, actor, {}, allowed);
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

  reject(proposalId: number, actor: string, reason: string, allowed: (pathwayId: string) => void = () => {}): Proposal {
    const { inbox, unitOfWork, clock } = this.store;
    allowed(this.openProposal(proposalId).pathwayId);
    unitOfWork(() => {
      if (!inbox.rejected(proposalId, actor, clock.now().toISOString(), reason)) this.openProposal(proposalId);
    });
    return inbox.proposal(proposalId)!;
  }
}
