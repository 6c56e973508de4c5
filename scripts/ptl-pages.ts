// The benchmark's PTL page figures (seven filter mixes, three pages deep, 50 rows; the page alone,
// and with the total the filters select, as GET /api/ptl answers): used by scripts/bench.ts, and
// on its own on an existing database as two JSON lines:
//   node --import tsx scripts/ptl-pages.ts --db FILE
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { IsoDate } from '../src/vocabulary/calendar.ts';
import { openDb } from '../src/store/db.ts';
import { Store } from '../src/store/store.ts';
import { systemClock, today } from '../src/wall-clock.ts';
import { latency } from './latency.ts';

/**
 * Milliseconds per page, the first 30 (warm-up) left out: the page alone, and the page with the
 * total the filters select, as GET /api/ptl answers.
 */
export function ptlPageSamples(store: Store, now: IsoDate): { page: number[]; withTotal: number[] } {
  const filters = [
    {},
    { tumourSite: 'lower_gi' },
    { breached: true },
    { stage: 'under_investigation' },
    { provider: 'RAJ', minDays: 20 },
    { milestone: 'late' as const }, // issue #26: the next timed milestone late, or at risk
    { milestone: 'at_risk' as const },
  ];
  const page: number[] = [];
  const withTotal: number[] = [];
  for (let i = 0; i < 200; i++) {
    const filter = filters[i % filters.length]!;
    let cursor: string | undefined;
    for (let p = 0; p < 3; p++) {
      const t = process.hrtime.bigint();
      const result = store.ptl.page({ ...filter, limit: 50, cursor }, now);
      const paged = process.hrtime.bigint();
      store.ptl.count(filter, now);
      page.push(Number(paged - t) / 1e6);
      withTotal.push(Number(process.hrtime.bigint() - t) / 1e6);
      cursor = result.nextCursor ?? undefined;
      if (!cursor) break;
    }
  }
  return { page: page.slice(30), withTotal: withTotal.slice(30) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { db: { type: 'string' } } });
  if (!values.db) throw new Error('usage: node --import tsx scripts/ptl-pages.ts --db FILE');
  const store = new Store(openDb(values.db), systemClock);
  const now = today(systemClock);
  const { page, withTotal } = ptlPageSamples(store, now);
  const open = store.backlog.current(now).open;
  for (const [metric, samples] of [
    ['ptl_page_ms', page],
    ['ptl_page_total_ms', withTotal],
  ] as const)
    console.log(JSON.stringify({ metric, ...latency(samples), open_pathways: open, page_size: 50 }));
  store.close();
}
