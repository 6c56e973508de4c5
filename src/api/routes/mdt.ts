// MDT meetings (workspace #15): set one up, list patients for it, see each with where they stand,
// record what the MDT decided (an mdt_discussed event dated the meeting day, through the command
// handler), and the patients waiting for MDT. Each list read is in the access log with the pathways
// it showed; a scoped user's lists hold their providers' patients only (issue #25).
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { today } from '../../wall-clock.ts';
import { addDays, displayDate } from '../../vocabulary/calendar.ts';
import { identifier, isoDate, MDT_DECISIONS, TUMOUR_SITES } from '../../vocabulary/events.ts';
import type { Store } from '../../store/store.ts';
import { awaitingMdt, mdtMeeting, mdtOutcome } from '../../queries/mdt.ts';
import { plannedDateProblem } from '../../domain/guard-rails.ts';
import { actorOf, feature, idempotencyKey, pathwayInScope, type ApiContext } from '../route.ts';
import { appendResult, comment, date, meeting, pathwayIds, ptlEntry, unusual } from '../schemas.ts';

const meetingParams = z.strictObject({
  meetingId: z.coerce.number().int().positive().describe('the meeting id'),
});
const meetingPatientParams = meetingParams.extend({ id: identifier.describe('the pathway id') });
const meetingsQuery = z.strictObject({
  from: isoDate.optional().describe('default: 30 days before today'),
  to: isoDate.optional(),
});
const newMeetingBody = z.strictObject({
  tumourSite: z.enum(TUMOUR_SITES),
  meetsOn: isoDate,
  name: z.string().trim().min(1).max(100),
});
const meetingsAnswer = z.object({ meetings: z.array(meeting) });
const addPatientsBody = z.strictObject({ pathwayIds });
const addPatientsAnswer = z.object({ added: z.number().int(), meeting });
const outcomeBody = z.strictObject({
  pathwayId: identifier,
  expectedVersion: z.number().int().min(0),
  decision: z.enum(MDT_DECISIONS),
  comment: z.string().trim().min(1).max(200).optional().describe('what the MDT said, in a line'),
  // issue #28: what MDTs record, in words
  stage: z.string().trim().min(1).max(200).optional().describe('the stage, as the MDT records it (such as T2 N0 M0)'),
  histology: z.string().trim().min(1).max(200).optional().describe('the histology, in words'),
  leadClinician: z.string().trim().min(1).max(200).optional().describe('who led the discussion'),
  attendees: z.string().trim().min(1).max(200).optional().describe('who was there'),
  referredToSite: z
    .enum(TUMOUR_SITES)
    .optional()
    .describe('the tumour site referred to (the outcome "refer to another site" only)'),
});
const deferBody = z.strictObject({
  toMeetingId: z.number().int().positive().describe('the meeting the patient is now listed for'),
});
const deferAnswer = z.object({ from: meeting, to: meeting });
const MDT_RECORDED = ['stage', 'histology', 'leadClinician', 'attendees', 'referredToSite'] as const;
const meetingDetail = z.object({
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
        .object({
          decision: z.string().nullable(),
          comment: z.string().nullable(),
          eventId: z.string(),
          // issue #28
          stage: z.string().nullable(),
          histology: z.string().nullable(),
          leadClinician: z.string().nullable(),
          attendees: z.string().nullable(),
          referredToSite: z.string().nullable(),
        })
        .nullable()
        .describe('the mdt_discussed event recorded for this meeting'),
      allowedEvents: z.array(z.string()),
      unusual: z.array(unusual),
    }),
  ),
});
const awaitingMdtQuery = z.strictObject({ tumourSite: z.enum(TUMOUR_SITES).optional() });
const awaitingMdtAnswer = z.object({
  asOf: date,
  entries: z.array(ptlEntry.extend({ testsReportedSince: date, listedFor: z.array(meeting) })),
});

type Deps = {
  store: Pick<Store, 'mdt' | 'rows' | 'comments' | 'log' | 'ptl' | 'idempotency' | 'providers' | 'unitOfWork'>;
} & Pick<ApiContext, 'commands' | 'clock' | 'audit'>;

export const mdt = feature(
  {
    mdtMeetings: {
      method: 'get',
      path: '/api/mdt/meetings',
      summary: 'MDT meetings from a date (default: the last 30 days on)',
      allow: 'patients',
      scope: 'none',
      query: meetingsQuery,
      ok: { status: 200, description: 'earliest first', schema: meetingsAnswer },
      errors: [400, 401, 403],
    },
    createMdtMeeting: {
      method: 'post',
      path: '/api/mdt/meetings',
      summary: 'Set up an MDT meeting (tracker)',
      allow: 'mdt',
      scope: 'none',
      body: newMeetingBody,
      ok: { status: 201, description: 'the meeting', schema: meeting },
      errors: [400, 401, 403],
    },
    mdtMeeting: {
      method: 'get',
      path: '/api/mdt/meetings/:meetingId',
      summary: 'A meeting with its patients and the outcome recorded for each',
      allow: 'patients',
      scope: 'pathway',
      params: meetingParams,
      ok: { status: 200, description: 'the meeting', schema: meetingDetail },
      errors: [400, 401, 403, 404],
    },
    addMdtPatients: {
      method: 'post',
      path: '/api/mdt/meetings/:meetingId/patients',
      summary: 'List pathways for discussion at a meeting (tracker)',
      allow: 'mdt',
      scope: 'pathway',
      params: meetingParams,
      body: addPatientsBody,
      ok: { status: 200, description: 'how many were added', schema: addPatientsAnswer },
      errors: [400, 401, 403, 404],
    },
    removeMdtPatient: {
      method: 'delete',
      path: '/api/mdt/meetings/:meetingId/patients/:id',
      summary: "Take a pathway off a meeting's list (tracker)",
      allow: 'mdt',
      scope: 'pathway',
      params: meetingPatientParams,
      ok: { status: 204, description: 'removed' },
      errors: [400, 401, 403, 404],
    },
    deferMdtPatient: {
      method: 'post',
      path: '/api/mdt/meetings/:meetingId/patients/:id/defer',
      summary:
        "Not discussed: take the patient off this meeting's list and list them for another meeting (tracker); nothing is recorded on the pathway",
      allow: 'mdt',
      scope: 'pathway',
      params: meetingPatientParams,
      body: deferBody,
      ok: { status: 200, description: 'the two meetings, as they now stand', schema: deferAnswer },
      errors: [400, 401, 403, 404, 409],
    },
    recordMdtOutcome: {
      method: 'post',
      path: '/api/mdt/meetings/:meetingId/outcomes',
      summary: 'Record what the MDT decided for one patient: an mdt_discussed event dated the meeting day (tracker)',
      allow: 'mdt',
      scope: 'pathway',
      params: meetingParams,
      body: outcomeBody,
      ok: { status: 201, description: 'the pathway as it now stands', schema: appendResult },
      errors: [400, 401, 403, 404, 409, 422],
    },
    awaitingMdt: {
      method: 'get',
      path: '/api/mdt/awaiting',
      summary: 'Open pathways with tests reported since their last MDT discussion, before a decision to treat',
      allow: 'patients',
      scope: 'pathway',
      query: awaitingMdtQuery,
      ok: { status: 200, description: 'longest waiting for MDT first', schema: awaitingMdtAnswer },
      errors: [400, 401, 403],
    },
  },
  ({ store, commands, clock, audit }: Deps) => {
    const { mdt: meetings, rows, idempotency, providers, unitOfWork } = store;
    return {
      mdtMeetings: ({ query }) => ({ meetings: meetings.list(query.from ?? addDays(today(clock), -30), query.to) }),
      createMdtMeeting: ({ body, user }) => {
        // A meeting in 2062 for 2026 would sit unseen for decades (issue #25).
        const problem = plannedDateProblem('the meeting date', body.meetsOn, today(clock));
        if (problem) throw new AppError('invalid_request', `meetsOn: ${problem}`, 'meetsOn');
        return meetings.create(body, actorOf(user), clock.now().toISOString());
      },
      mdtMeeting: ({ req, params, user, caller }) => {
        const found = mdtMeeting(store, params.meetingId, today(clock));
        const patients = found.patients.filter((p) => providers.inScope(p.pathwayId, user.providers));
        audit(req, caller, 'mdt_meeting_viewed', {
          detail: { meetingId: params.meetingId, patients: patients.length },
          seen: patients.map((p) => p.pathwayId),
        });
        return { ...found, patients };
      },
      addMdtPatients: ({ params, body, user }) => {
        const meeting = meetings.meeting(params.meetingId);
        for (const id of body.pathwayIds) {
          if (!rows.get(id)) throw new AppError('unknown_pathway', `no pathway ${id}`, 'pathwayIds');
          pathwayInScope(store, user, id);
        }
        const added = meetings.add(meeting.meetingId, body.pathwayIds, actorOf(user), clock.now().toISOString());
        return { added, meeting: meetings.meeting(meeting.meetingId) };
      },
      removeMdtPatient: ({ params, user }) => {
        meetings.meeting(params.meetingId);
        pathwayInScope(store, user, params.id);
        if (!meetings.remove(params.meetingId, params.id))
          throw new AppError('not_found', `pathway ${params.id} is not on this meeting's list`, 'id');
      },
      deferMdtPatient: ({ params, body, user }) => {
        pathwayInScope(store, user, params.id);
        const from = meetings.meeting(params.meetingId);
        const to = meetings.meeting(body.toMeetingId);
        if (to.meetingId === from.meetingId)
          throw new AppError('invalid_request', 'toMeetingId: defer to another meeting', 'toMeetingId');
        if (mdtOutcome(store, from.meetingId, params.id))
          throw new AppError(
            'mdt_outcome_recorded',
            'an outcome is already recorded for this patient at this meeting: it was discussed',
            'id',
          );
        if (!meetings.remove(from.meetingId, params.id))
          throw new AppError('not_found', `pathway ${params.id} is not on this meeting's list`, 'id');
        meetings.add(to.meetingId, [params.id], actorOf(user), clock.now().toISOString());
        return { from: meetings.meeting(from.meetingId), to: meetings.meeting(to.meetingId) };
      },
      recordMdtOutcome: ({ req, res, params, body, user }) => {
        const meeting = meetings.meeting(params.meetingId);
        if (!meetings.pathwaysOf(meeting.meetingId).includes(body.pathwayId))
          throw new AppError('not_found', `pathway ${body.pathwayId} is not on this meeting's list`, 'pathwayId');
        pathwayInScope(store, user, body.pathwayId);
        if (meeting.meetsOn > today(clock))
          throw new AppError(
            'invalid_timeline',
            `decision: the meeting is on ${displayDate(meeting.meetsOn)}; record its outcomes on or after that day`,
            'decision',
          );
        const key = idempotencyKey(req);
        const event = {
          type: 'mdt_discussed',
          on: meeting.meetsOn,
          decision: body.decision,
          meetingId: meeting.meetingId,
          ...(body.comment ? { outcome: body.comment } : {}),
          ...Object.fromEntries(MDT_RECORDED.flatMap((k) => (body[k] === undefined ? [] : [[k, body[k]]]))),
        };
        // The check and the append in one write transaction: a second server cannot record it in between.
        const result = unitOfWork(() => {
          const recorded =
            key !== undefined && idempotency.pathwayIdForKey(key)
              ? null
              : mdtOutcome(store, meeting.meetingId, body.pathwayId);
          if (recorded)
            throw new AppError(
              'mdt_outcome_recorded',
              `decision: an outcome is already recorded for this patient at this meeting (entry ${recorded.eventId}); correct it from the patient's timeline`,
              'decision',
            );
          return commands.append(body.pathwayId, body.expectedVersion, event, {
            actor: actorOf(user),
            idempotencyKey: key,
            entered: true,
          });
        });
        res.status(result.duplicate ? 200 : 201);
        return result;
      },
      awaitingMdt: ({ req, query, user, caller }) => {
        const found = awaitingMdt(store, query.tumourSite, today(clock), user.providers);
        audit(req, caller, 'mdt_awaiting_viewed', {
          detail: { filters: query, patients: found.entries.length },
          seen: found.entries.map((e) => e.pathwayId),
        });
        return found;
      },
    };
  },
);
