// A pathway: start one with a referral (optionally refused while the patient has an open pathway
// for the same tumour site), append an event, read it. Appends go through the command handler.
// A user scoped to some providers reads and changes only the pathways those providers have held,
// and starts pathways only for them (issue #25). The duplicate check runs inside the append's
// write transaction, so two servers on one database cannot both pass it (issue #25).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { today } from '../../wall-clock.ts';
import { displayDate } from '../../vocabulary/calendar.ts';
import { identifier, pathwayEvent } from '../../vocabulary/events.ts';
import { LABELS } from '../../vocabulary/labels.ts';
import type { Store } from '../../store/store.ts';
import { pathwayView } from '../../queries/pathway-view.ts';
import { openDuplicatesOf, type PatientModels } from '../../queries/patients.ts';
import { allows, actorOf, feature, idempotencyKey, parse, pathwayInScope, type ApiContext } from '../route.ts';
import type { User } from '../../auth/roles.ts';
import { appendResult, booking, clocks, comment, date, meeting, milestone, queryBoolean, unusual } from '../schemas.ts';
import { SCREENING_PROGRAMMES } from '../../vocabulary/timed-pathways.ts';

export const pathwayIdParams = z.strictObject({ id: identifier.describe('the pathway id') });

const appendBody = z.strictObject({
  expectedVersion: z.number().int().min(0).describe('the version last seen: a stale one is refused with 409'),
  event: z.record(z.string(), z.unknown()).describe('an event of the vocabulary (components/schemas/Event)'),
});

const createPathwayQuery = z.strictObject({
  checkDuplicates: queryBoolean
    .optional()
    .describe(
      'refuse (409 possible_duplicate, listing them) when an open pathway has the same NHS number and tumour site',
    ),
});

const pathwayAnswer = z.object({
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
  // issue #26
  timedPathway: z
    .object({ pathway: z.string(), label: z.string() })
    .nullable()
    .describe('the timed pathway it follows (none for a consultant upgrade)'),
  milestones: z
    .array(milestone)
    .describe(
      'its milestones, met or still to meet, as of the day (one not met is left out once a later one is met, or the pathway has closed)',
    ),
  nextMilestone: milestone.nullable().describe('the first milestone not met, or null'),
  timedItems: z
    .object({
      suspectedSite: z.string().nullable(),
      screeningProgramme: z.enum(SCREENING_PROGRAMMES).nullable().describe('given, or implied by the tumour site'),
      fitResult: z.number().nullable(),
      fitTestedOn: date.nullable(),
      fitNotDoneReason: z.string().nullable(),
      lowDoseCtOn: date.nullable(),
    })
    .describe("the referral's timed-pathway items"),
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

type Deps = {
  store: PatientModels &
    Pick<
      Store,
      'idempotency' | 'rows' | 'log' | 'comments' | 'assignments' | 'mdt' | 'timed' | 'providers' | 'unitOfWork'
    >;
} & Pick<ApiContext, 'commands' | 'clock' | 'audit'>;

/** What a data manager may record (issue #25): the national items a return lacks, nothing a clock reads. */
export const DATA_MANAGER_EVENTS = ['national_items_added'];

export const pathways = feature(
  {
    createPathway: {
      method: 'post',
      path: '/api/pathways',
      summary:
        'Start a pathway with a referral_received event (tracker); with checkDuplicates, refused while an open pathway has the same NHS number and tumour site',
      allow: 'record',
      scope: 'pathway',
      query: createPathwayQuery,
      body: 'Event',
      idempotent: true,
      ok: {
        status: 201,
        description: 'the pathway as it now stands (200 when repeating an earlier request)',
        schema: appendResult,
      },
      errors: [400, 401, 403, 409, 413, 422],
    },
    appendEvent: {
      method: 'post',
      path: '/api/pathways/:id/events',
      summary: 'Append an event (tracker; a data manager: national_items_added only)',
      allow: 'record_items',
      scope: 'pathway',
      params: pathwayIdParams,
      body: appendBody,
      idempotent: true,
      ok: {
        status: 201,
        description: 'the pathway as it now stands (200 when repeating an earlier request)',
        schema: appendResult,
      },
      errors: [400, 401, 403, 404, 409, 413, 422],
    },
    pathway: {
      method: 'get',
      path: '/api/pathways/:id',
      summary: 'A pathway: events, stage, clocks, allowed events',
      allow: 'patients',
      scope: 'pathway',
      params: pathwayIdParams,
      ok: { status: 200, description: 'the pathway', schema: pathwayAnswer },
      errors: [400, 401, 403, 404],
    },
  },
  ({ store, commands, clock, audit }: Deps) => ({
    createPathway: ({ req, res, body, user, query }) => {
      const event = parse(appendBody.shape.event, body, 'body');
      if (event.type !== 'referral_received')
        throw new AppError('invalid_request', 'body.type: a new pathway starts with referral_received', 'body.type');
      referralInScope(user, event.provider);
      const key = idempotencyKey(req);
      const { idempotency, unitOfWork } = store;
      // The check and the append in one write transaction: another process cannot slip a referral in between.
      const result = unitOfWork(() => {
        const repeated = key !== undefined ? idempotency.pathwayIdForKey(key) : undefined;
        if (query.checkDuplicates && !repeated) refuseDuplicate(store, event, user);
        const pathwayId = repeated ?? randomUUID();
        return commands.append(pathwayId, 0, event, { actor: actorOf(user), idempotencyKey: key, entered: true });
      });
      res.status(result.duplicate ? 200 : 201).location(`/api/pathways/${result.pathwayId}`);
      return result;
    },
    appendEvent: ({ req, res, params, body, user }) => {
      pathwayInScope(store, user, params.id);
      if (!allows(user, 'record') && !DATA_MANAGER_EVENTS.includes(String(body.event.type)))
        throw new AppError(
          'forbidden',
          `event.type: ${user.name} is a ${user.role}, who records ${DATA_MANAGER_EVENTS.join(', ')} only`,
          'event.type',
        );
      const result = commands.append(params.id, body.expectedVersion, body.event, {
        actor: actorOf(user),
        idempotencyKey: idempotencyKey(req),
        entered: true,
      });
      res.status(result.duplicate ? 200 : 201);
      return result;
    },
    pathway: ({ req, params, user, caller }) => {
      pathwayInScope(store, user, params.id);
      const pathway = pathwayView(store, params.id, today(clock));
      if (!pathway) throw new AppError('unknown_pathway', `no pathway ${params.id}`, 'pathwayId');
      audit(req, caller, 'pathway_viewed', { pathwayId: pathway.pathwayId, seen: [pathway.pathwayId] });
      return pathway;
    },
  }),
);

/** A scoped user starts pathways only for their providers. */
function referralInScope(user: User, provider: unknown): void {
  if (user.providers === null) return;
  if (typeof provider === 'string' && user.providers.includes(provider)) return;
  throw new AppError(
    'out_of_scope',
    `provider: ${user.name} records referrals for ${user.providers.join(' or ')} only${typeof provider === 'string' ? `, not ${provider}` : '; give the provider'}`,
    'provider',
  );
}

/**
 * Refuses a referral while an open pathway has the same NHS number and tumour site (the form's
 * "add anyway" leaves the check off). A scoped user is told of a duplicate at another provider,
 * but not which pathway it is.
 */
function refuseDuplicate(store: PatientModels & Pick<Store, 'providers'>, body: unknown, user: User): void {
  const parsed = pathwayEvent.safeParse(body);
  if (!parsed.success || parsed.data.type !== 'referral_received') return; // the command handler's own checks answer these
  const event = parsed.data;
  const open = openDuplicatesOf(store, event.nhsNumber, event.tumourSite);
  if (open.length === 0) return;
  const { providers } = store;
  const seen = open.filter((d) => providers.inScope(d.pathwayId, user.providers));
  const site = LABELS.values[event.tumourSite] ?? event.tumourSite;
  throw new AppError(
    'possible_duplicate',
    seen.length
      ? `nhsNumber: this patient already has an open ${site} pathway, referred ${displayDate(seen[0]!.referralOn)}`
      : `nhsNumber: this patient already has an open ${site} pathway at another provider`,
    'nhsNumber',
    { duplicates: seen, ...(seen.length < open.length ? { elsewhere: open.length - seen.length } : {}) },
  );
}
