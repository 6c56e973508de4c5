// The one description of the HTTP API: every route's parameters, query, body and answers as zod
// schemas. The app validates with them and the OpenAPI document is generated from them, so the
// two cannot drift.
import { z } from 'zod';
import { identifier, isoDate, pathwayEvent, ROUTES, TUMOUR_SITES } from '../domain/events.ts';
import { BANDS } from '../cwt/backlog.ts';
import { ROLES } from '../auth/roles.ts';
import { PTL_PAGE_MAX } from '../store/ptl.ts';
import { PASSWORD_MAX_LENGTH } from '../auth/passwords.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { TOKEN_DAYS_MAX } from '../store/users.ts';
import { ACCESS_ACTIONS } from '../store/access-log.ts';

const boolean = z.enum(['true', 'false']).transform((v) => v === 'true');
/** An as-of date for a read: no event is older than 2000 (cwt-rules R18), so an earlier date is a slip. */
const asOfDate = isoDate.refine((d) => d >= EARLIEST_EVENT_DATE, { message: `must be ${EARLIEST_EVENT_DATE} or later: nothing is recorded before then` });

export const pathwayIdParams = z.strictObject({ id: identifier.describe('the pathway id') });
export const idempotencyKey = z.string().min(1).max(200);

export const appendBody = z.strictObject({
  expectedVersion: z.number().int().min(0).describe('the version last seen: a stale one is refused with 409'),
  event: z.record(z.string(), z.unknown()).describe('an event of the vocabulary (components/schemas/Event)'),
});
export const signInBody = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
export const newUserBody = z.strictObject({ name: z.string().max(64), role: z.enum(ROLES), password: z.string().max(PASSWORD_MAX_LENGTH) });
export const backlogQuery = z.strictObject({ asOf: asOfDate.optional().describe('default today (Europe/London); an earlier day is counted as it stood at the end of that day') });
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
  asOf: asOfDate.optional().describe('default today (Europe/London)'),
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

// ---- access: users, tokens and the audit (issue #16) ----------------------------------------

const userName = z.string().min(1).max(64);
export const userEntry = user.extend({ disabled: z.boolean(), createdAt: z.string() });
export const userNameParams = z.strictObject({ name: userName.describe('the user name (any case)') });
export const userChangeBody = z.strictObject({
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional().describe('true ends their sessions, stops their tokens and closes their websockets'),
  password: z.string().max(PASSWORD_MAX_LENGTH).optional().describe('a new password (their sessions end)'),
}).refine((b) => b.role !== undefined || b.disabled !== undefined || b.password !== undefined, { message: 'give role, disabled or password' });
export const tokenEntry = z.object({ tokenId: z.number().int(), user: z.string(), label: z.string().nullable(), createdAt: z.string(), expiresAt: z.string(), expired: z.boolean() });
export const newToken = tokenEntry.extend({ token: z.string().describe('the secret: shown once, only its hash is kept') });
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
  entries: z.array(z.object({
    entryId: z.number().int(), at: z.string(), actor: z.string(), action: z.enum(ACCESS_ACTIONS), pathwayId: z.string().nullable(),
    address: z.string().nullable(), detail: z.record(z.string(), z.unknown()).nullable(),
  })),
  nextBefore: z.number().int().nullable(),
});

export { pathwayEvent };
