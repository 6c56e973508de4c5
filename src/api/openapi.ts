// The OpenAPI document served at /api/openapi.json, generated from the routes of every feature and
// their zod schemas.
import { z } from 'zod';
import { errorAnswer, pathwayEvent } from './schemas.ts';
import type { RouteSpec } from './route.ts';

const ERROR_TEXT: Record<number, string> = {
  400: 'malformed JSON or a schema failure: which field, and why',
  401: 'not signed in',
  403: 'the role does not allow this',
  404: 'no such pathway, user or token (or no such file of a return, proposal or clinic rule)',
  409: 'a stale expectedVersion, or an event the stage does not allow (naming the stage and allowed events); a user that exists, or a change that would leave no admin; a proposal already decided',
  413: 'the body is too large',
  422: 'the event cannot stand: dated before the referral or in the future, a guard rail, a bad correction, or a reused Idempotency-Key; or a return that cannot be made (a week ending not a Sunday or not yet ended, a month not begun)',
  429: 'too many failed sign-ins',
};

const schema = (type: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(type, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown> & {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };

function parametersOf(type: z.ZodType | undefined, where: 'path' | 'query'): object[] {
  if (!type) return [];
  const json = schema(type, 'input');
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: rest,
      ...(description ? { description } : {}),
    };
  });
}

function operation(spec: RouteSpec): object {
  const json = (type?: z.ZodType) =>
    type ? { content: { 'application/json': { schema: schema(type, 'output') } } } : {};
  const body =
    spec.body === 'Event' ? { $ref: '#/components/schemas/Event' } : spec.body ? schema(spec.body, 'input') : undefined;
  return {
    summary: spec.summary,
    ...(spec.allow === null ? { security: [] } : {}),
    parameters: [
      ...parametersOf(spec.params, 'path'),
      ...parametersOf(spec.query, 'query'),
      ...(spec.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 200 },
              description: 'Repeat a request safely: the first result is returned and nothing is written again.',
            },
          ]
        : []),
    ],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses: {
      [spec.ok.status]: { description: spec.ok.description, ...json(spec.ok.schema) },
      ...Object.fromEntries(
        spec.errors.map((c) => [
          c,
          {
            description: ERROR_TEXT[c],
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      ),
    },
  };
}

/** Express's /a/:id is OpenAPI's /a/{id}. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

const made = new WeakMap<object, object>();

/** The document for these routes (made once for each list). */
export function openApiDocument(routes: Record<string, RouteSpec>): object {
  let doc = made.get(routes);
  if (!doc) made.set(routes, (doc = build(routes)));
  return doc;
}

function build(routes: Record<string, RouteSpec>): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const spec of Object.values(routes)) (paths[openApiPath(spec.path)] ??= {})[spec.method] = operation(spec);
  return {
    openapi: '3.0.3',
    info: {
      title: 'OpenPTL API',
      version: '0.2.0',
      description: 'Cancer pathway tracking: events, clocks, PTL and backlog.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'openptl_session' },
      },
      schemas: { Event: schema(pathwayEvent, 'input'), Error: schema(errorAnswer, 'output') },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
