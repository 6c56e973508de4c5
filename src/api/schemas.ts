// The schemas more than one feature of the HTTP API uses (each feature's own are in its file under
// routes/): the shapes of a date, the clocks, an append's result, a patient on a list, a PTL entry, a comment, a meeting,
// a user, an error. The app validates with them and the OpenAPI document is generated from them.
import { z } from 'zod';
import { identifier, isoDate, pathwayEvent } from '../vocabulary/events.ts';
import { BANDS } from '../cwt/backlog.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { PERMISSIONS, PROVIDER_CODE, ROLES } from '../auth/roles.ts';

/** A query string's true or false. */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');
/** An as-of date for a read: no event is older than 2000 (cwt-rules R18), so an earlier date is a slip. */
export const asOfDate = isoDate.refine((d) => d >= EARLIEST_EVENT_DATE, {
  message: `must be ${EARLIEST_EVENT_DATE} or later: nothing is recorded before then`,
});
export const idempotencyKey = z.string().min(1).max(200);
export const pathwayIds = z.array(identifier).min(1).max(500);
export const userName = z.string().min(1).max(64);

// ---- answers --------------------------------------------------------------------------------

export const date = z.string().meta({ format: 'date' });
/** A provider filter: an ODS code in any case. */
export const providerFilter = z
  .string()
  .max(10)
  .transform((v) => v.toUpperCase())
  .optional()
  .describe('ODS code, in any case');
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
export const clocks = z.object({
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
export const booking = z.object({
  kind: z.enum(['first_appointment', 'appointment', 'test']),
  on: date,
  test: z.string().optional(),
});
export const comment = z.object({
  eventId: z.string(),
  on: date,
  text: z.string(),
  followUpOn: date.nullable(),
  actor: z.string(),
  recordedAt: z.string(),
});
export const meeting = z.object({
  meetingId: z.number().int(),
  tumourSite: z.string(),
  meetsOn: date,
  name: z.string(),
  patients: z.number().int(),
});
export const unusual = z.object({
  type: z.string(),
  reason: z.string(),
  when: z.object({ field: z.literal('on'), equals: date }).optional(),
});
// ---- timed pathways (issue #26) ----
export const MILESTONE_STATUSES = ['met', 'met_late', 'due', 'at_risk', 'late'] as const;
export const milestone = z.object({
  name: z.string(),
  day: z.number().int().describe('the days allowed, from the clock start (day 0)'),
  dueOn: date,
  status: z
    .enum(MILESTONE_STATUSES)
    .describe('met on or before its day, met late, due, at risk (due within two working days, nothing booked), late'),
  metOn: date.optional(),
  metDay: z.number().int().optional().describe('the day of the pathway it was met on'),
});
/** The next milestone on a PTL row: read from the row, its status on the as-of date. */
export const ptlMilestone = z.object({
  name: z.string(),
  dueOn: date,
  status: z.enum(['due', 'at_risk', 'late']),
});

/** Who a row of a list of patients is about: the pathway, the patient and the tumour site. */
export const patientOnPathway = z.object({
  pathwayId: z.string(),
  nhsNumber: z.string(),
  patientName: z.string().nullable(),
  tumourSite: z.string(),
});

export const ptlEntry = patientOnPathway.extend({
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
  // issue #26
  timedPathway: z.string().nullable().describe('the timed pathway definition it follows'),
  milestone: ptlMilestone.nullable().describe('its next timed-pathway milestone not met'),
  screeningProgramme: z.string().nullable(),
  breachRisk: z
    .object({
      over62: z.number().min(0).max(1).describe('chance of passing 62 days within the forecast horizon'),
      fds: z.number().min(0).max(1).nullable().describe('chance of breaching the FDS (null: its clock has stopped)'),
    })
    .nullable()
    .describe("from the latest day's forecast (breachRiskFrom); null for a pathway it did not cover"),
});
export const bandCounts = z.object(Object.fromEntries(BANDS.map((b) => [b, z.number().int()])));
/** The providers a user sees (issue #25): ODS codes, or null for every provider. */
export const providers = z
  .array(z.string().regex(PROVIDER_CODE, 'must be an ODS code: 3 to 10 capital letters and digits, such as RAJ'))
  .min(1)
  .max(50)
  .nullable();
export const user = z.object({
  userId: z.number().int(),
  name: z.string(),
  role: z.enum(ROLES),
  providers: providers.describe('the providers whose pathways the user sees and changes; null: every provider'),
});
export const me = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  providers: providers.describe('the providers whose pathways you see; null: every provider'),
  permissions: z.array(z.enum(PERMISSIONS)).describe('what the role may do (src/auth/roles.ts)'),
  passwordChangeRequired: z
    .boolean()
    .describe('the password is too easy to guess: this session may only change it (POST /api/session/password)'),
});
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

export { pathwayEvent };
