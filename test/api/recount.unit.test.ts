// The counts the server keeps between requests, one per scope: each scope counted on its own, kept
// until a write (and then at most once a minute), and a new day always counted again.
import { describe, expect, it } from 'vitest';
import { keptCountPerScope, RECOUNT_MS } from '../../src/api/recount.ts';
import { fixedClock } from '../../src/wall-clock.ts';
import type { CommitListener } from '../../src/store/store.ts';

function counter() {
  const listeners: CommitListener[] = [];
  const store = {
    onCommit: (listener: CommitListener) => {
      listeners.push(listener);
      return () => {};
    },
  };
  const passes: string[] = [];
  const clock = fixedClock('2026-11-24T10:00:00Z');
  const countOf = keptCountPerScope(store, clock, function* (day, providers) {
    passes.push(`${day} ${providers?.join('+') ?? 'trust'}`);
    yield;
    return passes.length;
  });
  return { countOf, passes, clock, write: () => listeners.forEach((l) => l({ pathwayIds: ['P1'] })) };
}

describe('keptCountPerScope', () => {
  it('counts each scope once and keeps it while nothing is written', async () => {
    const { countOf, passes } = counter();
    expect(await countOf(null)).toBe(1);
    expect(await countOf(['RAJ'])).toBe(2);
    expect(await countOf(['RAJ', 'RQ8'])).toBe(3);
    expect([await countOf(null), await countOf(['RAJ']), await countOf(['RAJ', 'RQ8'])]).toEqual([1, 2, 3]);
    expect(passes).toEqual(['2026-11-24 trust', '2026-11-24 RAJ', '2026-11-24 RAJ+RQ8']);
  });

  it('after a write, counts a scope again only once its count is a minute old', async () => {
    const { countOf, passes, clock, write } = counter();
    await countOf(null);
    await countOf(['RAJ']);
    write();
    clock.advance(RECOUNT_MS - 1);
    expect(await countOf(null)).toBe(1);
    clock.advance(1);
    expect(await countOf(null)).toBe(3);
    expect(await countOf(['RAJ'])).toBe(4);
    expect(passes).toHaveLength(4);
  });

  it('counts again on a new day, written to or not', async () => {
    const { countOf, passes, clock } = counter();
    await countOf(['RAJ']);
    clock.set('2026-11-25T00:00:01Z');
    expect(await countOf(['RAJ'])).toBe(2);
    expect(passes).toEqual(['2026-11-24 RAJ', '2026-11-25 RAJ']);
  });

  it('shares one pass between requests that come while it runs', async () => {
    const { countOf, passes } = counter();
    expect(await Promise.all([countOf(null), countOf(null)])).toEqual([1, 1]);
    expect(passes).toHaveLength(1);
  });
});
