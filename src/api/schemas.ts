// The one description of the HTTP API: every route's parameters, query, body and answers as zod
// schemas. The app validates with them and the OpenAPI document is generated from them, so the
// two cannot drift.
import { z } from 'zod';
import { identifier, isoDate, pathwayEvent, ROUTES, TUMOUR_SITES } from '../domain/events.ts';
import { BANDS } from '../cwt/backlog.ts';
import { ROLES } from '../auth/roles.ts';
import { PTL_PAGE_MAX } from '../store/ptl.ts';
import { PTL31_PAGE_MAX } from '../store/ptl31.ts';

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
const clocks = z.object({
  status: z.enum(['open', 'closed']), fds: clock, d31: clock, d62: clock,
  subsequent: z.array(clock).optional().describe('the 31-day clock of each treatment after the first (issue #14)'),
});
export const appendResult = z.object({
  pathwayId: z.string(), version: z.number().int(), eventId: z.string(), stage: z.string(), status: z.enum(['open', 'closed']),
  clocks, allowedEvents: z.array(z.string()), duplicate: z.boolean(),
});
export const pathwayAnswer = z.object({
  pathwayId: z.string(), version: z.number().int(), stage: z.string(), status: z.enum(['open', 'closed']),
  patient: z.object({ nhsNumber: z.string(), name: z.string().nullable(), dateOfBirth: date.nullable() }),
  tumourSite: z.string(), route: z.string(), provider: z.string().nullable(),
  nextAction: z.object({ action: z.string(), due: date.nullable() }).nullable(),
  needsReview: z.string().nullable().describe('why kept history breaks a guard rail the rules now have (cwt-rules R18); null when it does not'),
  clocks, allowedEvents: z.array(z.string()),
  events: z.array(z.object({ position: z.number().int(), version: z.number().int(), eventId: z.string(), recordedAt: z.string(), actor: z.string(), event: z.record(z.string(), z.unknown()) })),
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

// ---- national returns and the 31-day PTL of treatments after the first (issue #14) ----------

export const cwtReturnQuery = z.strictObject({
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM').describe('the month of the treatments and faster diagnosis outcomes'),
  asAt: z.iso.datetime({ offset: true }).optional().describe('the records as they stood at this moment (default now): the same moment gives the same files'),
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
  asOf: isoDate.optional().describe('default today (Europe/London)'),
});
const bandCounts = z.object(Object.fromEntries(BANDS.map((b) => [b, z.number().int()])));
export const cwtReturn = z.object({
  period: z.string(), asAt: z.string(), records: z.number().int().describe('records that can go, in the parts'),
  parts: z.array(z.object({ file: z.string(), records: z.number().int() })), validationFile: z.string(),
  heldBack: z.number().int().describe('records that cannot go as they stand'), problems: z.number().int(),
  testNumbersLeftOut: z.number().int().describe('records of test NHS numbers (999 range), never submitted'),
  unconfirmedCodes: z.array(z.string()).describe("provisional codes from the trust's lists that the records use"),
  files: z.array(z.string()),
  workList: z.array(z.object({
    pathwayId: z.string(), nhsNumber: z.string(), record: z.string(), recordDate: date, element: z.string(), item: z.string(), problem: z.string(),
    eventId: z.string().nullable().describe('the event to add the item to (national_items_added)'), field: z.string().nullable(),
  })),
});
export const canptlReturn = z.object({
  weekEnding: date, weekStart: date, asAt: z.string(), open62: z.number().int(), open62Bands: bandCounts,
  open62ByType: z.record(z.string(), z.object({ total: z.number().int(), withDecisionToTreat: bandCounts, withoutDecisionToTreat: bandCounts })),
  passedDay28: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
  referralsReceived: z.object({ total: z.number().int(), byRoute: z.record(z.string(), z.number().int()) }),
  firstSeen: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
  files: z.array(z.string()),
});
export const ptl31Page = z.object({
  asOf: date,
  entries: z.array(z.object({
    pathwayId: z.string(), nhsNumber: z.string(), patientName: z.string().nullable(), tumourSite: z.string(), provider: z.string().nullable(),
    treatmentNumber: z.number().int(), decisionToTreat: date, start: date, daysWaiting: z.number().int(), adjustmentDays: z.number().int(),
    breachDate: date, breached: z.boolean(), version: z.number().int(),
  })),
  nextCursor: z.string().nullable(),
});
export const codeLists = z.object({
  lists: z.record(z.string(), z.array(z.object({ code: z.string(), label: z.string(), confirmed: z.boolean() }))),
});

export { pathwayEvent };
