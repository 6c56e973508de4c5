// Every route of the HTTP API, as data: method, path, who may call it and its schemas. The app
// registers each with its handler (app.ts) and the OpenAPI document is generated from this list.
import type { z } from 'zod';
import type { Role } from '../auth/roles.ts';
import * as s from './schemas.ts';

export interface RouteSpec {
  method: 'get' | 'post' | 'delete';
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
    method: 'post', path: '/api/pathways', summary: 'Start a pathway with a referral_received event (tracker)', role: 'tracker', body: 'Event', idempotent: true,
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
  users: { method: 'get', path: '/api/users', summary: 'Users (admin)', role: 'admin', ok: { status: 200, description: 'users', schema: s.user.array() }, errors: [401, 403] },
  addUser: { method: 'post', path: '/api/users', summary: 'Add a user (admin)', role: 'admin', body: s.newUserBody, ok: { status: 201, description: 'the user', schema: s.user }, errors: [400, 401, 403, 409] },
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
