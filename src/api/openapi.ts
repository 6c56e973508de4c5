// The OpenAPI description served at /api/openapi.json. Event schemas come from the zod vocabulary.
import { z } from 'zod';
import { pathwayEvent } from '../domain/events.ts';

let cached: object | null = null;

export function openApiDocument(): object {
  cached ??= build();
  return cached;
}

function build(): object {
  const event = z.toJSONSchema(pathwayEvent, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });
  const error = {
    type: 'object',
    properties: { error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' }, stage: { type: 'string' }, allowedEvents: { type: 'array', items: { type: 'string' } } },
    required: ['error', 'message'],
  };
  const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: ERROR_TEXT[c], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]));
  const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
  const idempotency = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'Repeat a request safely: the first result is returned and nothing is written again.' };
  const query = (name: string, schema: object, description: string) => ({ name, in: 'query', required: false, schema, description });
  return {
    openapi: '3.0.3',
    info: { title: 'OpenPTL API', version: '0.1.0', description: 'Cancer pathway tracking: events, clocks, PTL and backlog.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'openptl_session' } },
      schemas: { Event: event, Error: error },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      '/healthz': { get: { security: [], responses: { 200: json('alive') } } },
      '/api/session': {
        post: { security: [], summary: 'Sign in (sets an HttpOnly session cookie)', requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, password: { type: 'string' } } } } } }, responses: { 200: json('signed in'), ...errors(400, 401, 429) } },
        delete: { summary: 'Sign out', responses: { 204: { description: 'signed out' } } },
      },
      '/api/pathways': {
        post: { summary: 'Start a pathway with a referral_received event (tracker)', parameters: [idempotency], requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } } }, responses: { 201: json('{pathwayId, version, stage, clocks, allowedEvents}'), ...errors(400, 401, 403, 413, 422) } },
      },
      '/api/pathways/{id}/events': {
        post: {
          summary: 'Append an event (tracker)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, idempotency],
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['expectedVersion', 'event'], properties: { expectedVersion: { type: 'integer' }, event: { $ref: '#/components/schemas/Event' } } } } } },
          responses: { 201: json('{pathwayId, version, stage, clocks, allowedEvents}'), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/api/pathways/{id}': { get: { summary: 'A pathway: events, stage, clocks, allowedEvents', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: json('the pathway'), ...errors(401, 404) } } },
      '/api/ptl': {
        get: {
          summary: 'The PTL: open pathways, longest wait first, keyset-paginated',
          parameters: [
            query('tumourSite', { type: 'string' }, 'filter'), query('stage', { type: 'string' }, 'filter'), query('provider', { type: 'string' }, 'filter'),
            query('minDays', { type: 'integer' }, 'days waiting at least'), query('maxDays', { type: 'integer' }, 'days waiting at most'),
            query('breached', { type: 'boolean' }, 'over 62 days'), query('nextActionDueBy', { type: 'string', format: 'date' }, 'next action due on or before'),
            query('sort', { type: 'string', enum: ['daysWaiting', 'breachDate'] }, ''), query('order', { type: 'string', enum: ['asc', 'desc'] }, ''),
            query('limit', { type: 'integer', maximum: 500 }, 'page size (default 50)'), query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
          ],
          responses: { 200: json('{asOf, entries, nextCursor}'), ...errors(400, 401) },
        },
      },
      '/api/backlog': { get: { summary: 'Backlog counts (an earlier date: as it stood at the end of that day)', parameters: [query('asOf', { type: 'string', format: 'date' }, 'default today (Europe/London)')], responses: { 200: json('backlog counts'), ...errors(400, 401) } } },
      '/api/users': {
        get: { summary: 'Users (admin)', responses: { 200: json('users'), ...errors(401, 403) } },
        post: { summary: 'Add a user (admin)', responses: { 201: json('the user'), ...errors(400, 401, 403, 409) } },
      },
    },
  };
}

const ERROR_TEXT: Record<number, string> = {
  400: 'malformed JSON or a schema failure: which field, and why',
  401: 'not signed in',
  403: 'the role does not allow this',
  404: 'no such pathway',
  409: 'a stale expectedVersion, or an event the stage does not allow (naming the stage and allowed events)',
  413: 'the body is too large',
  422: 'the event cannot stand: dated before the referral or in the future, a bad correction, or a reused Idempotency-Key',
  429: 'too many failed sign-ins',
};
