// The one description of the HTTP API: every route's parameters, query, body and answers as zod
// schemas. The app validates with them and the OpenAPI document is generated from them, so the
// two cannot drift.
import { z } from 'zod';
import { identifier, isoDate, pathwayEvent, ROUTES, TUMOUR_SITES } from '../domain/events.ts';
import { BANDS } from '../cwt/backlog.ts';
import { ROLES } from '../auth/roles.ts';
import { PTL_PAGE_MAX } from '../store/ptl.ts';

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

export { pathwayEvent };
