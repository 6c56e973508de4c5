// The OpenAPI document is generated from the same route list and schemas the app serves with:
// every route the app answers is in it, and nothing in it is unserved.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { openApiDocument, openApiPath } from '../../src/api/openapi.ts';
import { API } from '../../src/api/routes/index.ts';
import { createLogger } from '../../src/api/logger.ts';
import { tempStore } from '../support/store.ts';

type Doc = {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>
  >;
};

function servedRoutes(): string[] {
  const { store, clock } = tempStore();
  const app = createApp({ store, clock, logger: createLogger({ level: 'silent' }) });
  const stack = (
    app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }
  ).router.stack;
  return stack
    .flatMap((layer) =>
      layer.route ? Object.keys(layer.route.methods).map((m) => `${m} ${openApiPath(layer.route!.path)}`) : [],
    )
    .filter((r) => / \/(api|healthz)/.test(r));
}

describe('the OpenAPI document', () => {
  const doc = openApiDocument(API) as Doc;
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));

  it('lists exactly the routes the app serves', () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(10);
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it('describes the parameters each route validates, and its answers', () => {
    const ptl = doc.paths['/api/ptl']!.get!;
    const query = ptl.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
    expect(query).toEqual(expect.arrayContaining(['fdsOverdue', 'asOf', 'cursor', 'minDays', 'tumourSite']));
    expect(doc.paths['/api/me']!.get!.responses['200']).toBeDefined();
    expect(doc.paths['/api/backlog/trend']!.get!.parameters!.map((p) => p.name)).toEqual(['days']);
    expect(doc.paths['/api/pathways/{id}/events']!.post!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'header:Idempotency-Key',
    ]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops))
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
    }
  });
});
