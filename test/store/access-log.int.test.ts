// The access log: batched writes, append-only, kept for its retention period, filtered reads.
import { describe, expect, it, vi } from 'vitest';
import { tempStore } from '../support/store.ts';

describe('access log', () => {
  it('buffers entries and writes them together once a second, at a thousand, or at close', () => {
    const { store, sql } = tempStore('2026-11-24T10:00:00Z');
    const count = () => sql.prepare('SELECT count(*) FROM access_log').pluck().get();
    store.access.record({ actor: 'user:alice', action: 'pathway_viewed', pathwayId: 'P1' });
    expect([count(), store.access.waiting]).toEqual([0, 1]); // not yet written: a read pays no write
    for (let i = 0; i < 999; i++)
      store.access.record({ actor: 'user:alice', action: 'pathway_viewed', pathwayId: `P${i}` });
    expect([count(), store.access.waiting]).toEqual([1000, 0]); // the thousandth wrote the batch
    store.access.record({ actor: 'user:bob', action: 'sign_in' });
    store.close();
    expect(count()).toBe(1001);
  });

  it('writes the buffer within a second without being asked', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { store, sql } = tempStore('2026-11-24T10:00:00Z');
      const written = () => sql.prepare('SELECT actor, action, detail FROM access_log').all();
      store.access.record({ actor: 'user:alice', action: 'ptl_queried', detail: { filters: {}, patients: 3 } });
      vi.advanceTimersByTime(999);
      expect(written()).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(written()).toEqual([
        { actor: 'user:alice', action: 'ptl_queried', detail: '{"filters":{},"patients":3}' },
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses to change an entry, or to remove one still within the retention period', () => {
    const { store, sql } = tempStore('2026-11-24T10:00:00Z');
    store.access.record({ actor: 'user:alice', action: 'pathway_viewed', pathwayId: 'P1' });
    store.access.flush();
    expect(() => sql.prepare("UPDATE access_log SET actor = 'user:mallory'").run()).toThrow(/append-only/);
    expect(() => sql.prepare('DELETE FROM access_log').run()).toThrow(/retention period/);
    expect(sql.prepare('SELECT actor FROM access_log').pluck().all()).toEqual(['user:alice']);
  });

  it('removes only entries older than the retention period', () => {
    const { store, clock, sql } = tempStore('2024-01-01T10:00:00Z');
    store.access.record({ actor: 'user:old', action: 'pathway_viewed', pathwayId: 'P1' });
    clock.set('2026-01-01T10:00:00Z');
    store.access.record({ actor: 'user:new', action: 'pathway_viewed', pathwayId: 'P1' });
    store.access.flush();
    clock.set('2026-06-01T10:00:00Z');
    expect(store.access.prune(365)).toBe(1);
    expect(sql.prepare('SELECT actor FROM access_log').pluck().all()).toEqual(['user:new']);
    expect(() => sql.prepare('DELETE FROM access_log').run()).toThrow(/retention period/); // the newer one is still kept
  });

  it('answers by user (any case), pathway, action and day, newest first, in pages', () => {
    const { store, clock } = tempStore('2026-11-20T10:00:00Z');
    store.users.add('Alice', 'viewer', 'mauve-kettle-orbit');
    store.access.record({ actor: 'user:Alice', action: 'pathway_viewed', pathwayId: 'P1' });
    clock.set('2026-11-22T10:00:00Z');
    store.access.record({ actor: 'user:Alice', action: 'pathway_viewed', pathwayId: 'P2' });
    store.access.record({ actor: 'user:bob', action: 'pathway_viewed', pathwayId: 'P1' });
    store.access.record({ actor: 'cli:root', action: 'report_generated', detail: { asOf: '2026-11-21' } });
    const ids = (q: Parameters<typeof store.access.query>[0]) =>
      store.access.query(q).entries.map((e) => `${e.actor} ${e.pathwayId ?? e.action}`);
    expect(ids({ user: 'alice' })).toEqual(['user:Alice P2', 'user:Alice P1']);
    expect(ids({ pathwayId: 'P1' })).toEqual(['user:bob P1', 'user:Alice P1']);
    expect(ids({ since: '2026-11-21' })).toEqual(['cli:root report_generated', 'user:bob P1', 'user:Alice P2']);
    expect(ids({ user: 'cli:root' })).toEqual(['cli:root report_generated']);
    const first = store.access.query({ limit: 2 });
    expect(first.entries).toHaveLength(2);
    const second = store.access.query({ limit: 2, before: first.nextBefore! });
    expect([...first.entries, ...second.entries].map((e) => e.entryId)).toEqual([4, 3, 2, 1]);
    expect(second.nextBefore).toBeNull();
  });

  it('keeps entries that fail to be written (a full disk) and writes them once it can', () => {
    const { store, sql } = tempStore('2026-11-24T10:00:00Z');
    const errors: unknown[] = [];
    store.access.onWriteError = (err) => errors.push(err);
    const pages = sql.prepare('PRAGMA page_count').pluck().get() as number;
    const db = (store as unknown as { db: { pragma(s: string): unknown } }).db;
    db.pragma(`max_page_count = ${pages}`); // no room for another page: SQLITE_FULL
    for (let i = 0; i < 500; i++)
      store.access.record({
        actor: 'user:alice',
        action: 'pathway_viewed',
        pathwayId: `P${'x'.repeat(50)}${i}`,
        detail: { note: 'y'.repeat(200) },
      });
    store.access.flush();
    expect(errors.map((e) => (e as { code: string }).code)).toContain('SQLITE_FULL');
    expect(store.access.waiting).toBe(500);
    db.pragma('max_page_count = 1073741823');
    expect(store.access.flush()).toBe(500);
  });
});
