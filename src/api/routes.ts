// Every route of the HTTP API, as data: method, path, who may call it and its schemas. The app
// registers each with its handler (app.ts) and the OpenAPI document is generated from this list.
import type { z } from 'zod';
import type { Role } from '../auth/roles.ts';
import * as s from './schemas.ts';

export interface RouteSpec {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express form: /api/pathways/:id */
  path: string;
  summary: string;
  /** The least role that may call it; null for routes open to all. */
  role: Role | null;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType | 'Event';
  idempotent?: boolean;
  ok: { status: number; description: string; schema?: z.ZodType };
  errors: number[];
}

export const API = {
  health: { method: 'get', path: '/healthz', summary: 'Alive, and today in England', role: null, ok: { status: 200, description: 'alive', schema: s.health }, errors: [] },
  openapi: { method: 'get', path: '/api/openapi.json', summary: 'This document', role: null, ok: { status: 200, description: 'the OpenAPI document' }, errors: [] },
  vocabulary: { method: 'get', path: '/api/vocabulary', summary: 'The lists the filters offer: tumour sites, routes, stages, bands', role: 'viewer', ok: { status: 200, description: 'the lists', schema: s.vocabulary }, errors: [401] },
  signIn: { method: 'post', path: '/api/session', summary: 'Sign in (sets an HttpOnly session cookie)', role: null, body: s.signInBody, ok: { status: 200, description: 'signed in', schema: s.me }, errors: [400, 401, 429] },
  signOut: { method: 'delete', path: '/api/session', summary: 'Sign out', role: null, ok: { status: 204, description: 'signed out' }, errors: [] },
  me: { method: 'get', path: '/api/me', summary: 'Who is signed in', role: 'viewer', ok: { status: 200, description: 'the user', schema: s.me }, errors: [401] },
  createPathway: {
    method: 'post', path: '/api/pathways', summary: 'Start a pathway with a referral_received event (tracker); with checkDuplicates, refused while an open pathway has the same NHS number and tumour site', role: 'tracker', query: s.createPathwayQuery, body: 'Event', idempotent: true,
    ok: { status: 201, description: 'the pathway as it now stands (200 when repeating an earlier request)', schema: s.appendResult }, errors: [400, 401, 403, 409, 413, 422],
  },
  appendEvent: {
    method: 'post', path: '/api/pathways/:id/events', summary: 'Append an event (tracker)', role: 'tracker', params: s.pathwayIdParams, body: s.appendBody, idempotent: true,
    ok: { status: 201, description: 'the pathway as it now stands (200 when repeating an earlier request)', schema: s.appendResult }, errors: [400, 401, 403, 404, 409, 413, 422],
  },
  pathway: { method: 'get', path: '/api/pathways/:id', summary: 'A pathway: events, stage, clocks, allowed events', role: 'viewer', params: s.pathwayIdParams, ok: { status: 200, description: 'the pathway', schema: s.pathwayAnswer }, errors: [400, 401, 404] },
  ptl: { method: 'get', path: '/api/ptl', summary: 'The PTL: open pathways, longest wait first, keyset-paginated', role: 'viewer', query: s.ptlQuery, ok: { status: 200, description: 'a page of the PTL', schema: s.ptlPage }, errors: [400, 401] },
  backlog: { method: 'get', path: '/api/backlog', summary: 'Backlog counts (an earlier date: as it stood at the end of that day)', role: 'viewer', query: s.backlogQuery, ok: { status: 200, description: 'backlog counts', schema: s.backlogCounts }, errors: [400, 401] },
  trend: { method: 'get', path: '/api/backlog/trend', summary: 'Open, over 62 and over 104 for each day up to today', role: 'viewer', query: s.trendQuery, ok: { status: 200, description: 'one point a day', schema: s.trendAnswer }, errors: [400, 401] },
  users: { method: 'get', path: '/api/users', summary: 'Users (admin)', role: 'admin', ok: { status: 200, description: 'users', schema: s.userEntry.array() }, errors: [401, 403] },
  addUser: { method: 'post', path: '/api/users', summary: 'Add a user (admin)', role: 'admin', body: s.newUserBody, ok: { status: 201, description: 'the user', schema: s.user }, errors: [400, 401, 403, 409] },

  // ---- access: users, tokens and the audit (issue #16) ----
  changeUser: {
    method: 'patch', path: '/api/users/:name', summary: 'Change a user (admin): role, disabled (their sessions end and websockets close), or a new password', role: 'admin',
    params: s.userNameParams, body: s.userChangeBody, ok: { status: 200, description: 'the user', schema: s.userEntry }, errors: [400, 401, 403, 404, 409],
  },
  tokens: { method: 'get', path: '/api/tokens', summary: 'API tokens, without their secrets (admin)', role: 'admin', query: s.tokenQuery, ok: { status: 200, description: 'tokens', schema: s.tokenEntry.array() }, errors: [400, 401, 403, 404] },
  createToken: { method: 'post', path: '/api/tokens', summary: 'Make an API token for a user (admin); it expires (default 90 days)', role: 'admin', body: s.newTokenBody, ok: { status: 201, description: 'the token, with its secret shown once', schema: s.newToken }, errors: [400, 401, 403, 404] },
  revokeToken: { method: 'delete', path: '/api/tokens/:id', summary: 'Revoke an API token (admin); its websockets close', role: 'admin', params: s.tokenIdParams, ok: { status: 200, description: 'the token revoked', schema: s.tokenEntry }, errors: [400, 401, 403, 404] },
  audit: { method: 'get', path: '/api/audit', summary: 'The access log, newest first (admin): who viewed which pathway, PTL queries, reports, sign-ins, changes to users', role: 'admin', query: s.auditQuery, ok: { status: 200, description: 'a page of the access log', schema: s.auditPage }, errors: [400, 401, 403] },
  // ---- workspace (#15): the trackers' and MDT coordinators' workspace ----
  search: { method: 'get', path: '/api/search', summary: 'Find patients by NHS number or name, open and closed pathways', role: 'viewer', query: s.searchQuery, ok: { status: 200, description: 'at most 50 pathways, open ones first', schema: s.searchAnswer }, errors: [400, 401] },
  ptlCsv: { method: 'get', path: '/api/ptl/csv', summary: 'The PTL as CSV: exactly the pathways the filters select, in the same order', role: 'viewer', query: s.ptlCsvQuery, ok: { status: 200, description: 'text/csv, one row per pathway' }, errors: [400, 401] },
  assign: { method: 'post', path: '/api/assignments', summary: 'Assign pathways to a tracker, or unassign them (tracker)', role: 'tracker', body: s.assignBody, ok: { status: 200, description: 'how many', schema: s.assignAnswer }, errors: [400, 401, 403, 404] },
  assignees: { method: 'get', path: '/api/assignees', summary: 'The users pathways can be assigned to (trackers and admins)', role: 'viewer', ok: { status: 200, description: 'user names', schema: s.assigneesAnswer }, errors: [401] },
  performance: { method: 'get', path: '/api/performance', summary: 'Performance against the FDS, 31 and 62-day standards, month to date and last month, as the nightly report counts it', role: 'viewer', ok: { status: 200, description: 'met and stopped, by tumour site and overall', schema: s.performanceAnswer }, errors: [401] },
  reports: { method: 'get', path: '/api/reports', summary: 'The nightly reports kept in the reports folder (serve --reports-dir)', role: 'viewer', ok: { status: 200, description: 'the reports, newest first', schema: s.reportsAnswer }, errors: [401] },
  reportFile: { method: 'get', path: '/api/reports/:file', summary: 'One file of a nightly report', role: 'viewer', params: s.reportFileParams, ok: { status: 200, description: 'the file (HTML, CSV or JSON)' }, errors: [400, 401, 404] },
  mdtMeetings: { method: 'get', path: '/api/mdt/meetings', summary: 'MDT meetings from a date (default: the last 30 days on)', role: 'viewer', query: s.meetingsQuery, ok: { status: 200, description: 'earliest first', schema: s.meetingsAnswer }, errors: [400, 401] },
  createMdtMeeting: { method: 'post', path: '/api/mdt/meetings', summary: 'Set up an MDT meeting (tracker)', role: 'tracker', body: s.newMeetingBody, ok: { status: 201, description: 'the meeting', schema: s.meetingAnswer }, errors: [400, 401, 403] },
  mdtMeeting: { method: 'get', path: '/api/mdt/meetings/:meetingId', summary: 'A meeting with its patients and the outcome recorded for each', role: 'viewer', params: s.meetingParams, ok: { status: 200, description: 'the meeting', schema: s.meetingDetail }, errors: [400, 401, 404] },
  addMdtPatients: { method: 'post', path: '/api/mdt/meetings/:meetingId/patients', summary: 'List pathways for discussion at a meeting (tracker)', role: 'tracker', params: s.meetingParams, body: s.addPatientsBody, ok: { status: 200, description: 'how many were added', schema: s.addPatientsAnswer }, errors: [400, 401, 403, 404] },
  removeMdtPatient: { method: 'delete', path: '/api/mdt/meetings/:meetingId/patients/:id', summary: 'Take a pathway off a meeting\'s list (tracker)', role: 'tracker', params: s.meetingPatientParams, ok: { status: 204, description: 'removed' }, errors: [400, 401, 403, 404] },
  recordMdtOutcome: {
    method: 'post', path: '/api/mdt/meetings/:meetingId/outcomes', summary: 'Record what the MDT decided for one patient: an mdt_discussed event dated the meeting day (tracker)', role: 'tracker', params: s.meetingParams, body: s.outcomeBody,
    ok: { status: 201, description: 'the pathway as it now stands', schema: s.appendResult }, errors: [400, 401, 403, 404, 409, 422],
  },
  awaitingMdt: { method: 'get', path: '/api/mdt/awaiting', summary: 'Open pathways with tests reported since their last MDT discussion, before a decision to treat', role: 'viewer', query: s.awaitingMdtQuery, ok: { status: 200, description: 'longest waiting for MDT first', schema: s.awaitingMdtAnswer }, errors: [400, 401] },
  // ---- national returns and the 31-day PTL of treatments after the first (issue #14) ----
  ptl31: { method: 'get', path: '/api/ptl/subsequent', summary: 'The 31-day PTL of treatments after the first: earliest breach first, keyset-paginated', role: 'viewer', query: s.ptl31Query, ok: { status: 200, description: 'a page of the 31-day PTL', schema: s.ptl31Page }, errors: [400, 401] },
  codeLists: { method: 'get', path: '/api/code-lists', summary: 'The national CWT code lists with their labels (confirmed, and those the trust keeps)', role: 'viewer', ok: { status: 200, description: 'the lists', schema: s.codeLists }, errors: [401] },
  cwtReturn: {
    method: 'get', path: '/api/returns/cwt', summary: 'The monthly CWT submission: counts, files and the validation work list; with `file`, that file as CSV (tracker)', role: 'tracker', query: s.cwtReturnQuery,
    ok: { status: 200, description: "the month's return (or the file asked for, text/csv)", schema: s.cwtReturn }, errors: [400, 401, 403, 404, 422],
  },
  canptlReturn: {
    method: 'get', path: '/api/returns/canptl', summary: 'The weekly cancer PTL return as at 23:59 on a Sunday; with `file`, that file (tracker)', role: 'tracker', query: s.canptlQuery,
    ok: { status: 200, description: "the week's return (or the file asked for)", schema: s.canptlReturn }, errors: [400, 401, 403, 404, 422],
  },
  // ---- the inbox: events the hospital's messages propose (issue #17) ----
  inbox: {
    method: 'get', path: '/api/inbox', summary: "The inbox: events the hospital's messages propose for open pathways, oldest first", role: 'viewer', query: s.inboxQuery,
    ok: { status: 200, description: 'open proposals, with their message and pathway', schema: s.inboxAnswer }, errors: [400, 401],
  },
  inboxMessages: {
    method: 'get', path: '/api/inbox/messages', summary: 'Messages received, newest first, by patient, control id, type or outcome (including those for patients with no open pathway)', role: 'viewer', query: s.messagesQuery,
    ok: { status: 200, description: 'a page of kept messages', schema: s.messagesAnswer }, errors: [400, 401],
  },
  acceptProposals: {
    method: 'post', path: '/api/inbox/accept', summary: 'Accept several proposals as proposed, each on its own (tracker)', role: 'tracker', body: s.bulkAcceptBody,
    ok: { status: 200, description: 'one result per id: accepted, or refused with the reason (it stays in the inbox)', schema: s.bulkAcceptAnswer }, errors: [400, 401, 403],
  },
  acceptProposal: {
    method: 'post', path: '/api/inbox/:id/accept', summary: 'Accept a proposal, as proposed or edited: its event is appended to the pathway (tracker)', role: 'tracker', params: s.proposalIdParams, body: s.acceptBody,
    ok: { status: 201, description: 'the proposal and the pathway as it now stands', schema: s.acceptAnswer }, errors: [400, 401, 403, 404, 409, 422],
  },
  rejectProposal: {
    method: 'post', path: '/api/inbox/:id/reject', summary: 'Reject a proposal with a reason (tracker)', role: 'tracker', params: s.proposalIdParams, body: s.rejectBody,
    ok: { status: 200, description: 'the proposal', schema: s.proposalAnswer }, errors: [400, 401, 403, 404, 409],
  },
  inboxRules: { method: 'get', path: '/api/inbox/rules', summary: 'Clinics whose bookings are accepted without a tracker', role: 'viewer', ok: { status: 200, description: 'the rules', schema: s.inboxRule.array() }, errors: [401] },
  setInboxRule: {
    method: 'post', path: '/api/inbox/rules', summary: "Set a clinic's rule (admin)", role: 'admin', body: s.ruleBody,
    ok: { status: 200, description: 'the rule', schema: s.inboxRule }, errors: [400, 401, 403],
  },
  deleteInboxRule: {
    method: 'delete', path: '/api/inbox/rules/:clinic', summary: "Remove a clinic's rule (admin)", role: 'admin', params: s.clinicParams,
    ok: { status: 204, description: 'removed' }, errors: [400, 401, 403, 404],
  },
} as const satisfies Record<string, RouteSpec>;
