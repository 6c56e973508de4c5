// The service itself: alive (and today in England), and the OpenAPI document of every route.
import { z } from 'zod';
import { today } from '../../wall-clock.ts';
import { openApiDocument } from '../openapi.ts';
import { feature, type ApiContext } from '../route.ts';
import { date } from '../schemas.ts';

export const health = feature(
  {
    health: {
      method: 'get',
      path: '/healthz',
      summary: 'Alive, and today in England',
      allow: null,
      scope: 'none',
      ok: { status: 200, description: 'alive', schema: z.object({ status: z.literal('ok'), today: date }) },
      errors: [],
    },
    openapi: {
      method: 'get',
      path: '/api/openapi.json',
      summary: 'This document',
      allow: null,
      scope: 'none',
      ok: { status: 200, description: 'the OpenAPI document' },
      errors: [],
    },
  },
  ({ clock, routes }: Pick<ApiContext, 'clock' | 'routes'>) => ({
    health: () => ({ status: 'ok' as const, today: today(clock) }),
    openapi: ({ res }) => {
      res.json(openApiDocument(routes));
    },
  }),
);
