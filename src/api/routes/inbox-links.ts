// Messages that matched no open pathway (issue #28): how many, which, and a tracker's link from one
// to the pathway it is for; what it then proposes waits in the inbox like any other proposal.
import { z } from 'zod';
import { identifier } from '../../vocabulary/events.ts';
import type { Store } from '../../store/store.ts';
import { linkMessage } from '../../hl7/link.ts';
import { parseMessage } from '../../hl7/message.ts';
import { INBOX_PAGE_MAX } from '../../store/inbox.ts';
import { actorOf, feature, type ApiContext } from '../route.ts';
import { date } from '../schemas.ts';

const unmatchedQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(INBOX_PAGE_MAX).optional().describe('how many to list (default 100)'),
});
const messageIdParams = z.strictObject({ id: z.coerce.number().int().min(1).describe('the message id') });
const linkBody = z.strictObject({ pathwayId: identifier.describe('the open pathway the message is for') });

const unmatchedAnswer = z.object({
  count: z.number().int().describe('messages that matched no open pathway and are not linked yet, in all'),
  messages: z.array(
    z.object({
      messageId: z.number().int(),
      receivedAt: z.string(),
      messageType: z.string().describe('e.g. SIU^S12; the dashboard says it in words'),
      sendingApplication: z.string(),
      controlId: z.string(),
      patient: z.object({
        nhsNumber: z.string().nullable(),
        localPatientId: z.string().nullable(),
        name: z.string().nullable(),
        dateOfBirth: date.nullable(),
      }),
      appointmentOn: date.nullable().describe('the appointment it is about (SIU), else null'),
      clinic: z.string().nullable(),
    }),
  ),
});
const linkAnswer = z.object({
  messageId: z.number().int(),
  pathwayId: z.string(),
  proposalIds: z.array(z.number().int()).describe('what it now proposes, waiting in the inbox'),
  notes: z.array(z.string()).describe('what it led to, in words'),
});

type Deps = { store: Pick<Store, 'unitOfWork' | 'inbox' | 'rows' | 'messageLinks'> } & Pick<
  ApiContext,
  'clock' | 'audit'
>;

export const inboxLinks = feature(
  {
    unmatchedMessages: {
      method: 'get',
      path: '/api/inbox/unmatched',
      summary: 'Messages that matched no open pathway and are not linked yet, newest first, with how many in all',
      allow: 'kept_messages', // messages for patients with no open pathway: trackers and admins, the whole trust
      scope: 'trust',
      query: unmatchedQuery,
      ok: { status: 200, description: 'the count and the messages', schema: unmatchedAnswer },
      errors: [400, 401, 403],
    },
    linkMessage: {
      method: 'post',
      path: '/api/inbox/unmatched/:id/link',
      summary:
        'Link a message that matched no open pathway to the pathway it is for: what it says is proposed in the inbox (tracker)',
      allow: 'record',
      scope: 'trust', // it reads a message no pathway has yet: the whole trust's
      params: messageIdParams,
      body: linkBody,
      ok: { status: 201, description: 'the link and the proposals it made', schema: linkAnswer },
      errors: [400, 401, 403, 404, 409],
    },
  },
  ({ store, clock, audit }: Deps) => ({
    unmatchedMessages: ({ req, caller, query }) => {
      const { messageLinks } = store;
      const messages = messageLinks.unmatched(query.limit ?? 100).map((m) => {
        const msg = parseMessage(m.raw);
        return {
          messageId: m.messageId,
          receivedAt: m.receivedAt,
          messageType: m.messageType,
          sendingApplication: m.sendingApplication,
          controlId: m.controlId,
          patient: {
            nhsNumber: m.nhsNumber,
            localPatientId: m.localPatientId,
            name: msg.patient.name,
            dateOfBirth: msg.patient.dateOfBirth,
          },
          appointmentOn: msg.appointment?.on ?? msg.visit?.on ?? null,
          clinic: msg.appointment?.clinic ?? msg.visit?.clinic ?? null,
        };
      });
      audit(req, caller, 'messages_searched', { detail: { by: ['unmatched'], messages: messages.length } });
      return { count: messageLinks.unmatchedCount(), messages };
    },
    linkMessage: ({ params, body, user }) => linkMessage(store, clock, params.id, body.pathwayId, actorOf(user)),
  }),
);
