// The one description of the HTTP API: every route's parameters, query, body and answers as zod
// schemas. The app validates with them and the OpenAPI document is generated from them, so the
// two cannot drift.
import { z } from 'zod';
import {
  identifier,
  isoDate,
  localPatientId,
  MDT_DECISIONS,
  nhsNumber,
  pathwayEvent,
  ROUTES,
  TUMOUR_SITES,
} from '../vocabulary/events.ts';
import { BANDS } from '../cwt/backlog.ts';
import { ROLES } from '../auth/roles.ts';
import { PTL_PAGE_MAX, PTL_SORTS } from '../store/ptl.ts';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { TOKEN_DAYS_MAX } from '../store/users.ts';
import { ACCESS_ACTIONS } from '../store/access-log.ts';
import { PTL31_PAGE_MAX } from '../store/ptl31.ts';
import { INBOX_PAGE_MAX } from '../store/inbox.ts';
import { TAKEN_TYPES } from '../hl7/message.ts';
import { BULK_MAX } from '../hl7/decide.ts';

const boolean = z.enum(['true', 'false']).transform((v) => v === 'true');
/** An as-of date for a read: no event is older than 2000 (cwt-rules R18), so an earlier date is a slip. */
const asOfDate = isoDate.refine((d) => d >= EARLIEST_EVENT_DATE, {
  message: `must be ${EARLIEST_EVENT_DATE} or later: nothing is recorded before then`,
});

export const pathwayIdParams = z.strictObject({ id: identifier.describe('the pathway id') });
export const idempotencyKey = z.string().min(1).max(200);

export const appendBody = z.strictObject({
  expectedVersion: z.number().int().min(0).describe('the version last seen: a stale one is refused with 409'),
  event: z.record(z.string(), z.unknown()).describe('an event of the vocabulary (components/schemas/Event)'),
});
export const signInBody = z.strictObject({
  name: z.string().min(1).max(64),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export const newUserBody = z.strictObject({
  name: z.string().max(64),
  role: z.enum(ROLES),
  password: z.string().max(PASSWORD_MAX_LENGTH),
});
export const backlogQuery = z.strictObject({
  asOf: asOfDate
    .optional()
    .describe('default today (Europe/London); an earlier day is counted as it stood at the end of that day'),
});
export const trendQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).optional().describe('how many days up to today (default 90)'),
});
export const ptlQuery = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES).optional(),
  stage: z.string().max(64).optional(),
  provider: z
    .string()
    .max(10)
    .transform((v) => v.toUpperCase())
    .optional()
    .describe('ODS code, in any case'),
  minDays: z.coerce.number().int().min(0).max(100_000).optional().describe('days waiting at least'),
  maxDays: z.coerce.number().int().min(0).max(100_000).optional().describe('days waiting at most'),
  breached: boolean.optional().describe('over 62 days (true) or not (false)'),
  fdsOverdue: boolean.optional().describe('faster diagnosis clock running past 28 days'),
  nextActionDueBy: z
    .union([isoDate, z.literal('today')])
    .optional()
    .describe('next action due on or before this date; "today": due today or overdue'),
  needsReview: boolean.optional().describe('kept history that a guard rail now refuses (true) or not (false)'),
  assignee: z.string().min(1).max(64).optional().describe('pathways assigned to this tracker'),
  sort: z.enum(PTL_SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(PTL_PAGE_MAX).optional().describe('page size (default 50)'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  asOf: asOfDate.optional().describe('default today (Europe/London)'),
});

// ---- answers --------------------------------------------------------------------------------

const date = z.string().meta({ format: 'date' });
const clock = z.object({
  state: z.enum(['running', 'stopped', 'not_applicable']),
  start: date.nullable(),
  stop: date.nullable(),
  days: z.number().int().nullable(),
  adjustmentDays: z.number().int(),
  target: z.number().int(),
  breachDate: date.nullable(),
  breached: z.boolean(),
});
const clocks = z.object({
  status: z.enum(['open', 'closed']),
  fds: clock,
  d31: clock,
  d62: clock,
  subsequent: z.array(clock).optional().describe('the 31-day clock of each treatment after the first (issue #14)'),
});
export const appendResult = z.object({
  pathwayId: z.string(),
  version: z.number().int(),
  eventId: z.string(),
  stage: z.string(),
  status: z.enum(['open', 'closed']),
  clocks,
  allowedEvents: z.array(z.string()),
  duplicate: z.boolean(),
});
const booking = z.object({
  kind: z.enum(['first_appointment', 'appointment', 'test']),
  on: date,
  test: z.string().optional(),
});
const comment = z.object({
  eventId: z.string(),
  on: date,
  text: z.string(),
  followUpOn: date.nullable(),
  actor: z.string(),
  recordedAt: z.string(),
});
const meeting = z.object({
  meetingId: z.number().int(),
  tumourSite: z.string(),
  meetsOn: date,
  name: z.string(),
  patients: z.number().int(),
});
const unusual = z.object({
  type: z.string(),
  reason: z.string(),
  when: z.object({ field: z.literal('on'), equals: date }).optional(),
});
export const pathwayAnswer = z.object({
  pathwayId: z.string(),
  version: z.number().int(),
  stage: z.string(),
  status: z.enum(['open', 'closed']),
  patient: z.object({
    nhsNumber: z.string(),
    name: z.string().nullable(),
    dateOfBirth: date.nullable(),
    localPatientId: z.string().nullable().describe('the hospital number (PAS)'),
  }),
  tumourSite: z.string(),
  route: z.string(),
  provider: z.string().nullable(),
  nextAction: z
    .object({ action: z.string(), due: date.nullable(), kind: z.enum(['milestone', 'booked', 'follow_up']).nullable() })
    .nullable(),
  asOf: date,
  booked: booking.nullable(),
  awaitingMdtSince: date
    .nullable()
    .describe('tests reported since the last MDT discussion (open, before a decision to treat)'),
  comment: comment.nullable(),
  assignee: z.string().nullable(),
  mdtMeetings: z.array(meeting),
  unusual: z
    .array(unusual)
    .describe('allowed events that are unusual now (cwt-rules R18): the forms ask to confirm them'),
  needsReview: z
    .string()
    .nullable()
    .describe('why kept history breaks a guard rail the rules now have (cwt-rules R18); null when it does not'),
  clocks,
  allowedEvents: z.array(z.string()),
  events: z.array(
    z.object({
      position: z.number().int(),
      version: z.number().int(),
      eventId: z.string(),
      recordedAt: z.string(),
      actor: z.string(),
      event: z.record(z.string(), z.unknown()),
      source: z
        .object({
          feed: z.literal('hl7'),
          sendingApplication: z.string(),
          sendingFacility: z.string(),
          messageControlId: z.string(),
        })
        .optional()
        .describe(
          'where a feed supplied the event (the HL7 message it came from); absent when entered by a person or imported',
        ),
    }),
  ),
});
const ptlEntry = z.object({
  pathwayId: z.string(),
  nhsNumber: z.string(),
  patientName: z.string().nullable(),
  tumourSite: z.string(),
  stage: z.string(),
  provider: z.string().nullable(),
  route: z.string(),
  referralOn: date,
  clockStart: date,
  daysWaiting: z.number().int(),
  breachDate: date,
  fdsDue: date.nullable(),
  fdsState: z.string(),
  nextAction: z.string().nullable(),
  nextActionDue: date.nullable(),
  needsReview: z.string().nullable(),
  version: z.number().int(),
  nextActionKind: z
    .enum(['milestone', 'booked', 'follow_up'])
    .nullable()
    .describe("how the due date reads: by a milestone, on a booked day, the tracker's follow-up"),
  booked: booking.nullable().describe('the earliest appointment or test booked whose outcome is not recorded yet'),
  fdsDays: z.number().int().nullable(),
  dateOfBirth: date.nullable(),
  comment: comment.nullable().describe('the latest tracking comment'),
  assignee: z.string().nullable(),
});
export const ptlPage = z.object({
  asOf: date,
  entries: z.array(ptlEntry),
  nextCursor: z.string().nullable(),
});
const group = z.object({ open: z.number().int(), over62: z.number().int(), over104: z.number().int() });
export const backlogCounts = z.object({
  asOf: date,
  open: z.number().int(),
  over62: z.number().int(),
  over104: z.number().int(),
  fdsOverdue: z.number().int(),
  bands: z.object(Object.fromEntries(BANDS.map((b) => [b, z.number().int()]))),
  byTumourSite: z.record(z.string(), group),
  byStage: z.record(z.string(), group),
  byProvider: z.record(z.string(), group).describe("by provider ODS code; 'unknown' when none is recorded"),
});
export const trendAnswer = z.object({ points: z.array(group.extend({ date })) });
export const user = z.object({ userId: z.number().int(), name: z.string(), role: z.enum(ROLES) });
export const me = z.object({ name: z.string(), role: z.enum(ROLES) });
export const vocabulary = z.object({
  tumourSites: z.array(z.enum(TUMOUR_SITES)),
  routes: z.array(z.enum(ROUTES)),
  stages: z.array(z.string()),
  bands: z.array(z.enum(BANDS)),
  // workspace (#15)
  providers: z.array(z.string()).describe('providers of the open pathways'),
  mdtDecisions: z.array(z.enum(MDT_DECISIONS)),
  labels: z
    .object({
      events: z.record(z.string(), z.string()),
      fields: z.record(z.string(), z.string()),
      on: z.record(z.string(), z.string()),
      stages: z.record(z.string(), z.string()),
      values: z.record(z.string(), z.string()),
      clocks: z.record(z.string(), z.string()),
    })
    .describe('words for every code'),
  trustName: z.string().nullable(),
});
export const health = z.object({ status: z.literal('ok'), today: date });
export const errorAnswer = z.object({
  error: z.string().describe('a code a program can act on'),
  message: z.string().describe('what went wrong, in words'),
  field: z.string().optional().describe('the field at fault'),
  stage: z.string().optional(),
  allowedEvents: z.array(z.string()).optional(),
  duplicates: z
    .array(z.object({ pathwayId: z.string(), referralOn: z.string(), stage: z.string() }))
    .optional()
    .describe('possible_duplicate: the open pathways of the same patient and tumour site'),
});

// ---- access: users, tokens and the audit (issue #16) ----------------------------------------

const userName = z.string().min(1).max(64);
export const userEntry = user.extend({ disabled: z.boolean(), createdAt: z.string() });
export const userNameParams = z.strictObject({ name: userName.describe('the user name (any case)') });
export const userChangeBody = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    disabled: z
      .boolean()
      .optional()
      .describe('true ends their sessions, stops their tokens and closes their websockets'),
    password: z.string().max(PASSWORD_MAX_LENGTH).optional().describe('a new password (their sessions end)'),
  })
  .refine((b) => b.role !== undefined || b.disabled !== undefined || b.password !== undefined, {
    message: 'give role, disabled or password',
  });
export const tokenEntry = z.object({
  tokenId: z.number().int(),
  user: z.string(),
  label: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  expired: z.boolean(),
});
export const newToken = tokenEntry.extend({
  token: z.string().describe('the secret: shown once, only its hash is kept'),
});
export const tokenQuery = z.strictObject({ user: userName.optional().describe("one user's tokens") });
export const newTokenBody = z.strictObject({
  user: userName,
  days: z.number().int().min(1).max(TOKEN_DAYS_MAX).optional().describe('days until it expires (default 90)'),
  label: z.string().max(64).optional().describe('what it is for'),
});
export const tokenIdParams = z.strictObject({ id: z.coerce.number().int().min(1).describe('the token id') });
export const auditQuery = z.strictObject({
  user: userName.optional().describe('a user name, or an actor such as cli:root'),
  pathwayId: identifier.optional(),
  action: z.enum(ACCESS_ACTIONS).optional(),
  since: isoDate.optional().describe('from the start of this day in England'),
  before: z.coerce.number().int().min(1).optional().describe('nextBefore of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('page size (default 100)'),
});
export const auditPage = z.object({
  entries: z.array(
    z.object({
      entryId: z.number().int(),
      at: z.string(),
      actor: z.string(),
      action: z.enum(ACCESS_ACTIONS),
      pathwayId: z.string().nullable(),
      address: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  nextBefore: z.number().int().nullable(),
});

// ---- national returns and the 31-day PTL of treatments after the first (issue #14) ----------

export const cwtReturnQuery = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')
    .describe('the month of the treatments and faster diagnosis outcomes'),
  asAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('the records as they stood at this moment (default now): the same moment gives the same files'),
  file: z.string().max(100).optional().describe("one of the answer's files, to download it as CSV"),
});
export const canptlQuery = z.strictObject({
  weekEnding: isoDate.describe('a Sunday: the snapshot is as at 23:59 that day'),
  file: z.string().max(100).optional().describe("one of the answer's files, to download it"),
});
export const ptl31Query = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES).optional(),
  provider: z.string().max(10).optional(),
  limit: z.coerce.number().int().min(1).max(PTL31_PAGE_MAX).optional().describe('page size (default 50)'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  asOf: asOfDate.optional().describe('default today (Europe/London)'),
});
const bandCounts = z.object(Object.fromEntries(BANDS.map((b) => [b, z.number().int()])));
export const cwtReturn = z.object({
  period: z.string(),
  asAt: z.string(),
  records: z.number().int().describe('records that can go, in the parts'),
  parts: z.array(z.object({ file: z.string(), records: z.number().int() })),
  validationFile: z.string(),
  heldBack: z.number().int().describe('records that cannot go as they stand'),
  problems: z.number().int(),
  testNumbersLeftOut: z.number().int().describe('records of test NHS numbers (999 range), never submitted'),
  unconfirmedCodes: z.array(z.string()).describe("provisional codes from the trust's lists that the records use"),
  files: z.array(z.string()),
  workList: z.array(
    z.object({
      pathwayId: z.string(),
      nhsNumber: z.string(),
      record: z.string(),
      recordDate: date,
      element: z.string(),
      item: z.string(),
      problem: z.string(),
      eventId: z.string().nullable().describe('the event to add the item to (national_items_added)'),
      field: z.string().nullable(),
    }),
  ),
});
export const canptlReturn = z.object({
  weekEnding: date,
  weekStart: date,
  asAt: z.string(),
  open62: z.number().int(),
  open62Bands: bandCounts,
  open62ByType: z.record(
    z.string(),
    z.object({ total: z.number().int(), withDecisionToTreat: bandCounts, withoutDecisionToTreat: bandCounts }),
  ),
  passedDay28: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
  referralsReceived: z.object({ total: z.number().int(), byRoute: z.record(z.string(), z.number().int()) }),
  firstSeen: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
  files: z.array(z.string()),
});
export const ptl31Page = z.object({
  asOf: date,
  entries: z.array(
    z.object({
      pathwayId: z.string(),
      nhsNumber: z.string(),
      patientName: z.string().nullable(),
      tumourSite: z.string(),
      provider: z.string().nullable(),
      treatmentNumber: z.number().int(),
      decisionToTreat: date,
      start: date,
      daysWaiting: z.number().int(),
      adjustmentDays: z.number().int(),
      breachDate: date,
      breached: z.boolean(),
      version: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export const codeLists = z.object({
  lists: z.record(z.string(), z.array(z.object({ code: z.string(), label: z.string(), confirmed: z.boolean() }))),
});

// ---- the inbox (issue #17) ----

const clinicCode = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]*$/, 'must be a clinic code as the PAS sends it (letters, digits, _ . / -)');
export const proposalIdParams = z.strictObject({ id: z.coerce.number().int().min(1).describe('the proposal id') });
export const clinicParams = z.strictObject({ clinic: clinicCode });
export const inboxQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(INBOX_PAGE_MAX).optional().describe('page size (default 100)'),
  after: z.coerce.number().int().min(0).optional().describe('the last proposal id of the previous page'),
});
export const messagesQuery = z.strictObject({
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
export const acceptBody = z.strictObject({
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
export const bulkAcceptBody = z.strictObject({
  ids: z.array(z.number().int().min(1)).min(1).max(BULK_MAX).describe('proposal ids, each accepted as proposed'),
});
export const rejectBody = z.strictObject({ reason: z.string().trim().min(1).max(200).describe('why, for the record') });
export const ruleBody = z.strictObject({
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
export const inboxAnswer = z.object({
  open: z.number().int().describe('proposals waiting in all'),
  proposals: z.array(
    proposal.extend({
      message: z.object({
        messageType: z.string(),
        controlId: z.string(),
        sendingApplication: z.string(),
        receivedAt: z.string(),
      }),
      pathway: z
        .object({
          version: z.number().int(),
          stage: z.string(),
          status: z.string(),
          tumourSite: z.string(),
          nhsNumber: z.string(),
          patientName: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
});
export const acceptAnswer = z.object({ proposal, result: appendResult });
export const bulkAcceptAnswer = z.object({
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
export { proposal as proposalAnswer };
export const messagesAnswer = z.object({
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
      raw: z.string().describe('the message exactly as received'),
    }),
  ),
  nextBefore: z.number().int().nullable(),
});
export const inboxRule = z.object({
  clinic: z.string(),
  autoAcceptBookings: z.boolean(),
  setBy: z.string(),
  setAt: z.string(),
});

export { pathwayEvent };

// ---- workspace (#15): search, the CSV of the PTL, assignments, MDT meetings, performance, reports ----
export const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(100).describe('an NHS number (spaces allowed) or the start of words of a name'),
});
export const searchAnswer = z.object({
  results: z.array(
    z.object({
      pathwayId: z.string(),
      nhsNumber: z.string(),
      patientName: z.string().nullable(),
      dateOfBirth: date.nullable(),
      tumourSite: z.string(),
      stage: z.string(),
      status: z.enum(['open', 'closed']),
      referralOn: date,
      provider: z.string().nullable(),
    }),
  ),
});
export const createPathwayQuery = z.strictObject({
  checkDuplicates: boolean
    .optional()
    .describe(
      'refuse (409 possible_duplicate, listing them) when an open pathway has the same NHS number and tumour site',
    ),
});
export const ptlCsvQuery = ptlQuery.omit({ limit: true, cursor: true });
const pathwayIds = z.array(identifier).min(1).max(500);
export const assignBody = z.strictObject({
  pathwayIds,
  assignee: z.string().min(1).max(64).nullable().describe("a tracker's user name; null unassigns"),
});
export const assignAnswer = z.object({ assigned: z.number().int(), assignee: z.string().nullable() });
export const assigneesAnswer = z.object({ assignees: z.array(z.string()) });
const standard = z.record(
  z.string(),
  z.object({ stopped: z.number().int(), met: z.number().int(), rate: z.number().nullable() }),
);
const performancePeriod = z.object({
  period: z.object({ from: date, to: date }),
  standards: z.object({ fds: standard, d31: standard, d62: standard }),
  d31Parts: z
    .object({ first: standard, subsequent: standard })
    .describe('the 31-day standard in its two parts: first treatments and those after the first (#14)'),
});
export const performanceAnswer = z.object({
  monthToDate: performancePeriod,
  lastMonth: performancePeriod,
  targets: z.object({ fds: z.number(), d31: z.number(), d62: z.number() }),
});
export const reportsAnswer = z.object({
  reports: z.array(z.object({ date, files: z.array(z.string()) })).describe('newest first'),
});
export const reportFileParams = z.strictObject({
  file: z
    .string()
    .regex(/^report-\d{4}-\d{2}-\d{2}(-[A-Za-z0-9]+)?\.(html|csv|json)$/, 'is not the name of a report file'),
});
export const meetingParams = z.strictObject({
  meetingId: z.coerce.number().int().positive().describe('the meeting id'),
});
export const meetingPatientParams = meetingParams.extend({ id: identifier.describe('the pathway id') });
export const meetingsQuery = z.strictObject({
  from: isoDate.optional().describe('default: 30 days before today'),
  to: isoDate.optional(),
});
export const newMeetingBody = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES),
  meetsOn: isoDate,
  name: z.string().trim().min(1).max(100),
});
export const meetingAnswer = meeting;
export const meetingsAnswer = z.object({ meetings: z.array(meeting) });
export const addPatientsBody = z.strictObject({ pathwayIds });
export const addPatientsAnswer = z.object({ added: z.number().int(), meeting });
export const outcomeBody = z.strictObject({
  pathwayId: identifier,
  expectedVersion: z.number().int().min(0),
  decision: z.enum(MDT_DECISIONS),
  comment: z.string().trim().min(1).max(200).optional().describe('what the MDT said, in a line'),
});
export const meetingDetail = z.object({
  meeting,
  asOf: date,
  patients: z.array(
    z.object({
      pathwayId: z.string(),
      patientName: z.string().nullable(),
      nhsNumber: z.string(),
      dateOfBirth: date.nullable(),
      tumourSite: z.string(),
      provider: z.string().nullable(),
      stage: z.string(),
      status: z.enum(['open', 'closed']),
      version: z.number().int(),
      daysWaiting: z.number().int().nullable(),
      breachDate: date.nullable(),
      testsReportedSince: date.nullable(),
      comment: comment.nullable(),
      outcome: z
        .object({ decision: z.string().nullable(), comment: z.string().nullable(), eventId: z.string() })
        .nullable()
        .describe('the mdt_discussed event recorded for this meeting'),
      allowedEvents: z.array(z.string()),
      unusual: z.array(unusual),
    }),
  ),
});
export const awaitingMdtQuery = z.strictObject({ tumourSite: z.enum(TUMOUR_SITES).optional() });
export const awaitingMdtAnswer = z.object({
  asOf: date,
  entries: z.array(ptlEntry.extend({ testsReportedSince: date, listedFor: z.array(meeting) })),
});
