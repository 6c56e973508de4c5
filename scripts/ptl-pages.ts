// The benchmark's PTL page figure (seven filter mixes, three pages deep, 50 rows and the filtered
// total, as GET /api/ptl answers): used by
// scripts/bench.ts, and on its own on an existing database as one JSON line:
//   node --import tsx scripts/ptl-pages.ts --db FILE
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { IsoDate } from '../src/vocabulary/calendar.ts';
import { openDb } from '../src/store/db.ts';
import { Store } from '../src/store/store.ts';
import { systemClock, today } from '../src/wall-clock.ts';

/** Milliseconds per page, the first 30 (warm-up) left out. */
export function ptlPageSamples(store: Store, now: IsoDate): number[] {
  const filters = [
    {},
    { tumourSite: 'lower_gi' },
    { breached: true },
    { stage: 'under_investigation' },
    { provider: 'RAJ', minDays: 20 },
    { milestone: 'late' as const }, // issue #26: the next timed milestone late, or at risk
    { milestone: 'at_risk' as const },
  ];
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    let cursor: string | undefined;
    for (let p = 0; p < 3; p++) {
      const t = process.hrtime.bigint();
      const filter = filters[i % filters.length];
      // As GET /api/ptl answers: the page and the total the filters select.
      const result = store.ptl.page({ ...filter, limit: 50, cursor }, now);
      store.ptl.count(filter, now);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
      cursor = result.nextCursor ?? undefined;
      if (!cursor) break;
    }
  }
  return samples.slice(30);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { db: { type: 'string' } } });
  if (!values.db) throw new Error('usage: node --import tsx scripts/ptl-pages.ts --db FILE');
  const store = new Store(openDb(values.db), systemClock);
  const now = today(systemClock);
  const s = ptlPageSamples(store, now).sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(s.length * q))]! * 100) / 100;
  console.log(
    JSON.stringify({
      metric: 'ptl_page_ms',
      p50: at(0.5),
      p99: at(0.99),
      unit: 'ms',
      samples: s.length,
      p90: at(0.9),
      max: at(1),
      open_pathways: store.backlog.current(now).open,
      page_size: 50,
    }),
  );
  store.close();
}
