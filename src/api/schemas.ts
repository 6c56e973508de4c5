// The one description of the HTTP API: every route's parameters, query, body and answers as zod
// schemas. The app validates with them and the OpenAPI document is generated from them, so the
// two cannot drift.
import { z } from 'zod';
import { identifier, isoDate, localPatientId, nhsNumber, pathwayEvent, ROUTES, TUMOUR_SITES } from '../domain/events.ts';
import { BANDS } from '../cwt/backlog.ts';
import { ROLES } from '../auth/roles.ts';
import { PTL_PAGE_MAX } from '../store/ptl.ts';
import { INBOX_PAGE_MAX } from '../store/inbox.ts';
import { TAKEN_TYPES } from '../hl7/message.ts';
import { BULK_MAX } from '../hl7/decide.ts';

const boolean = z.enum(['true', 'false']).transform((v) => v === 'true');

export const pathwayIdParams = z.strictObject({ id: identifier.describe('the pathway id') });
export const idempotencyKey = z.string().min(1).max(200);

export const appendBody = z.strictObject({
  expectedVersion: z.number().int().min(0).describe('the version last seen: a stale one is refused with 409'),
  event: z.record(z.string(), z.unknown()).describe('an event of the vocabulary (components/schemas/Event)'),
});
export const signInBody = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(200) });
export const newUserBody = z.strictObject({ name: z.string(), role: z.enum(ROLES), password: z.string() });
export const backlogQuery = z.strictObject({ asOf: isoDate.optional().describe('default today (Europe/London); an earlier day is counted as it stood at the end of that day') });
export const trendQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(366).optional().describe('how many days up to today (default 90)') });
export const ptlQuery = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES).optional(),
  stage: z.string().max(64).optional(),
  provider: z.string().max(10).optional(),
  minDays: z.coerce.number().int().min(0).max(100_000).optional().describe('days waiting at least'),
  maxDays: z.coerce.number().int().min(0).max(100_000).optional().describe('days waiting at most'),
  breached: boolean.optional().describe('over 62 days (true) or not (false)'),
  fdsOverdue: boolean.optional().describe('faster diagnosis clock running past 28 days'),
  nextActionDueBy: isoDate.optional().describe('next action due on or before'),
  needsReview: boolean.optional().describe('kept history that a guard rail now refuses (true) or not (false)'),
  sort: z.enum(['breachDate', 'daysWaiting']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(PTL_PAGE_MAX).optional().describe('page size (default 50)'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  asOf: isoDate.optional().describe('default today (Europe/London)'),
});

// ---- answers --------------------------------------------------------------------------------

const date = z.string().meta({ format: 'date' });
const clock = z.object({
  state: z.enum(['running', 'stopped', 'not_applicable']), start: date.nullable(), stop: date.nullable(), days: z.number().int().nullable(),
  adjustmentDays: z.number().int(), target: z.number().int(), breachDate: date.nullable(), breached: z.boolean(),
});
const clocks = z.object({ status: z.enum(['open', 'closed']), fds: clock, d31: clock, d62: clock });
export const appendResult = z.object({
  pathwayId: z.string(), version: z.number().int(), eventId: z.string(), stage: z.string(), status: z.enum(['open', 'closed']),
  clocks, allowedEvents: z.array(z.string()), duplicate: z.boolean(),
});
export const pathwayAnswer = z.object({
  pathwayId: z.string(), version: z.number().int(), stage: z.string(), status: z.enum(['open', 'closed']),
  patient: z.object({ nhsNumber: z.string(), name: z.string().nullable(), dateOfBirth: date.nullable(), localPatientId: z.string().nullable().describe('the hospital number (PAS)') }),
  tumourSite: z.string(), route: z.string(), provider: z.string().nullable(),
  nextAction: z.object({ action: z.string(), due: date.nullable() }).nullable(),
  needsReview: z.string().nullable().describe('why kept history breaks a guard rail the rules now have (cwt-rules R18); null when it does not'),
  clocks, allowedEvents: z.array(z.string()),
  events: z.array(z.object({
    position: z.number().int(), version: z.number().int(), eventId: z.string(), recordedAt: z.string(), actor: z.string(), event: z.record(z.string(), z.unknown()),
    source: z.object({ feed: z.literal('hl7'), sendingApplication: z.string(), sendingFacility: z.string(), messageControlId: z.string() }).optional()
      .describe('where a feed supplied the event (the HL7 message it came from); absent when entered by a person or imported'),
  })),
});
export const ptlPage = z.object({
  asOf: date,
  entries: z.array(z.object({
    pathwayId: z.string(), nhsNumber: z.string(), patientName: z.string().nullable(), tumourSite: z.string(), stage: z.string(),
    provider: z.string().nullable(), route: z.string(), referralOn: date, clockStart: date, daysWaiting: z.number().int(), breachDate: date,
    fdsDue: date.nullable(), fdsState: z.string(), nextAction: z.string().nullable(), nextActionDue: date.nullable(), needsReview: z.string().nullable(), version: z.number().int(),
  })),
  nextCursor: z.string().nullable(),
});
const group = z.object({ open: z.number().int(), over62: z.number().int(), over104: z.number().int() });
export const backlogCounts = z.object({
  asOf: date, open: z.number().int(), over62: z.number().int(), over104: z.number().int(), fdsOverdue: z.number().int(),
  bands: z.object(Object.fromEntries(BANDS.map((b) => [b, z.number().int()]))),
  byTumourSite: z.record(z.string(), group), byStage: z.record(z.string(), group),
});
export const trendAnswer = z.object({ points: z.array(group.extend({ date })) });
export const user = z.object({ userId: z.number().int(), name: z.string(), role: z.enum(ROLES) });
export const me = z.object({ name: z.string(), role: z.enum(ROLES) });
export const vocabulary = z.object({ tumourSites: z.array(z.enum(TUMOUR_SITES)), routes: z.array(z.enum(ROUTES)), stages: z.array(z.string()), bands: z.array(z.enum(BANDS)) });
export const health = z.object({ status: z.literal('ok'), today: date });
export const errorAnswer = z.object({
  error: z.string().describe('a code a program can act on'), message: z.string().describe('what went wrong, in words'),
  field: z.string().optional().describe('the field at fault'), stage: z.string().optional(), allowedEvents: z.array(z.string()).optional(),
});

// ---- the inbox (issue #17) ----

const clinicCode = z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9][A-Za-z0-9_./-]*$/, 'must be a clinic code as the PAS sends it (letters, digits, _ . / -)');
export const proposalIdParams = z.strictObject({ id: z.coerce.number().int().min(1).describe('the proposal id') });
export const clinicParams = z.strictObject({ clinic: clinicCode });
export const inboxQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(INBOX_PAGE_MAX).optional().describe('page size (default 100)'),
  after: z.coerce.number().int().min(0).optional().describe('the last proposal id of the previous page'),
});
export const messagesQuery = z.strictObject({
  nhsNumber: nhsNumber.optional(), localPatientId: localPatientId.optional(), controlId: z.string().max(64).optional().describe('MSH-10'),
  messageType: z.enum(TAKEN_TYPES as [string, ...string[]]).optional().describe('e.g. SIU^S12'), outcome: z.enum(['applied', 'proposed', 'kept', 'error']).optional(),
  before: z.coerce.number().int().min(1).optional().describe('nextBefore of the previous page'),
  limit: z.coerce.number().int().min(1).max(INBOX_PAGE_MAX).optional().describe('page size (default 50)'),
});
export const acceptBody = z.strictObject({
  expectedVersion: z.number().int().min(0).optional().describe("the pathway's version the tracker saw (default: as it is now); a stale one is refused with 409"),
  event: z.record(z.string(), z.unknown()).optional().describe('the proposed event as edited (the same type); default as proposed'),
});
export const bulkAcceptBody = z.strictObject({ ids: z.array(z.number().int().min(1)).min(1).max(BULK_MAX).describe('proposal ids, each accepted as proposed') });
export const rejectBody = z.strictObject({ reason: z.string().trim().min(1).max(200).describe('why, for the record') });
export const ruleBody = z.strictObject({ clinic: clinicCode, autoAcceptBookings: z.boolean().describe("accept this clinic's bookings without a tracker (never one that restarts a clock)") });

const proposal = z.object({
  proposalId: z.number().int(), messageId: z.number().int(), pathwayId: z.string(), event: z.record(z.string(), z.unknown()), clinic: z.string().nullable(),
  status: z.enum(['proposed', 'accepted', 'rejected']), refusal: z.string().nullable().describe('why the last try to accept it was refused'),
  decidedBy: z.string().nullable(), decidedAt: z.string().nullable(), reason: z.string().nullable(), eventId: z.string().nullable(), createdAt: z.string(),
});
export const inboxAnswer = z.object({
  open: z.number().int().describe('proposals waiting in all'),
  proposals: z.array(proposal.extend({
    message: z.object({ messageType: z.string(), controlId: z.string(), sendingApplication: z.string(), receivedAt: z.string() }),
    pathway: z.object({ version: z.number().int(), stage: z.string(), status: z.string(), tumourSite: z.string(), nhsNumber: z.string(), patientName: z.string().nullable() }).nullable(),
  })),
});
export const acceptAnswer = z.object({ proposal, result: appendResult });
export const bulkAcceptAnswer = z.object({
  results: z.array(z.object({
    id: z.number().int(), status: z.enum(['accepted', 'refused']), pathwayId: z.string().optional(), eventId: z.string().optional(), version: z.number().int().optional(),
    error: z.record(z.string(), z.unknown()).optional().describe('the refusal, as an error answer'),
  })),
});
export { proposal as proposalAnswer };
export const messagesAnswer = z.object({
  messages: z.array(z.object({
    messageId: z.number().int(), receivedAt: z.string(), sendingApplication: z.string(), sendingFacility: z.string(), controlId: z.string(), messageType: z.string(),
    nhsNumber: z.string().nullable(), localPatientId: z.string().nullable(), outcome: z.enum(['applied', 'proposed', 'kept', 'error']), detail: z.string(),
    ackCode: z.enum(['AA', 'AE', 'AR']), raw: z.string().describe('the message exactly as received'),
  })),
  nextBefore: z.number().int().nullable(),
});
export const inboxRule = z.object({ clinic: z.string(), autoAcceptBookings: z.boolean(), setBy: z.string(), setAt: z.string() });

export { pathwayEvent };
