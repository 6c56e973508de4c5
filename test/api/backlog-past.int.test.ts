// A past day's backlog over HTTP: made from the event history when no snapshot is kept, in slices
// that let other requests through, one pass at a time; then answered from the snapshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/api/logger.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { backlogByReplay, generatedLines, tempStore, requestsOf } from '../support/store.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';

const { store, commands, clock, sql } = tempStore('2027-06-01T09:00:00Z');
let running: RunningServer;
let token = '';
const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${running.port}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  commands.appendMany(requestsOf(generatedLines(1500, 8), 'import'));
  running = await startServer({ store, clock, logger: createLogger({ level: 'silent' }), port: 0 });
  store.users.add('viewer', 'viewer', 'viewer-mauve-kettle');
  token = store.users.createToken('viewer');
});
afterAll(async () => running.close());

describe('GET /api/backlog?asOf= a past day', () => {
  it('does not hold up other requests while the history is read, runs one pass for many requests, and keeps the days', async () => {
    expect(sql.prepare('SELECT count(*) FROM backlog_snapshots WHERE day < ?').pluck().get('2026-01-01')).toBe(0);
    const finished: string[] = [];
    const pastDays = ['2025-06-01', '2025-06-02', '2025-09-30'].map((d) =>
      get(`/api/backlog?asOf=${d}`).then((r) => {
        finished.push(`past ${d}`);
        return r;
      }),
    );
    const health = get('/healthz').then((r) => {
      finished.push('healthz');
      return r;
    });
    const [answers, alive] = [await Promise.all(pastDays), await health];
    expect(alive.status).toBe(200);
    expect(finished[0]).toBe('healthz'); // answered while the pass was still going
    for (const { status, body } of answers) {
      expect(status).toBe(200);
      expect(body).toEqual(backlogByReplay(store, body.asOf as IsoDate));
    }
    const kept = sql.prepare('SELECT count(*) FROM backlog_snapshots').pluck().get() as number;
    expect(kept).toBeGreaterThan(300);
    expect((await get('/api/backlog?asOf=2025-06-01')).body).toEqual(answers[0]!.body);
  });
});
