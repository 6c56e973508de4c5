// A count over many pathways that the server keeps between requests (the steward's performance
// count, the timed pathways' step statistics), one per scope: counted again only after a write, at
// most once a minute, one pass at a time, giving way to other requests as it goes (src/slices.ts).
import { today, type WallClock } from '../wall-clock.ts';
import type { IsoDate } from '../vocabulary/calendar.ts';
import { runGivingWay } from '../slices.ts';
import type { Store } from '../store/store.ts';
import type { Scope } from '../auth/roles.ts';

/** How long a count stands while writes go on. */
export const RECOUNT_MS = 60_000;

/** The count for today: the kept one while it stands, else a new pass (one at a time). */
export function keptCount<T>(
  { onCommit }: Pick<Store, 'onCommit'>,
  clock: WallClock,
  count: (day: IsoDate) => Generator<void, T>,
): () => Promise<T> {
  let counted: { day: string; writes: number; at: number; answer: T } | null = null;
  let counting: Promise<T> | null = null;
  let writes = 0;
  onCommit(() => {
    writes++;
  });
  return async () => {
    const day = today(clock);
    const now = clock.now().getTime();
    if (counted && counted.day === day && (counted.writes === writes || now - counted.at < RECOUNT_MS))
      return counted.answer;
    counting ??= (async () => {
      const seen = writes;
      const answer = await runGivingWay(count(day));
      counted = { day, writes: seen, at: clock.now().getTime(), answer };
      return answer;
    })().finally(() => {
      counting = null;
    });
    return counting;
  };
}

/**
 * `keptCount` once per scope (the whole trust, or a set of providers, issue #25): each scope's
 * count is kept, and counted again after writes, on its own.
 */
export function keptCountPerScope<T>(
  store: Pick<Store, 'onCommit'>,
  clock: WallClock,
  count: (day: IsoDate, providers: Scope) => Generator<void, T>,
): (providers: Scope) => Promise<T> {
  const counts = new Map<string, () => Promise<T>>();
  return (providers) => {
    const key = providers?.join(',') ?? '';
    let counted = counts.get(key);
    if (!counted) counts.set(key, (counted = keptCount(store, clock, (day) => count(day, providers))));
    return counted();
  };
}
