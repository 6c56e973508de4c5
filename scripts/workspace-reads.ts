// `node --import tsx scripts/workspace-reads.ts --db FILE`: how long the workspace's reads take on
// an existing database (the PTL sorted on each column, search, awaiting MDT, performance, the CSV).
// Prints one JSON line per figure; not part of `npm test`.
import { parseArgs } from 'node:util';
import { openDb } from '../src/store/db.ts';
import { Store } from '../src/store/store.ts';
import { searchPathways } from '../src/queries/patients.ts';
import { awaitingMdt } from '../src/queries/mdt.ts';
import { systemClock, today } from '../src/wall-clock.ts';
import { PTL_SORTS } from '../src/store/ptl.ts';
import { performanceSlices } from '../src/report/report.ts';
import { runThrough } from '../src/slices.ts';
import { PTL_CSV_HEADER, ptlCsvLine } from '../src/api/ptl-csv.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, runs: { type: 'string' } } });
if (!values.db) throw new Error('usage: scripts/workspace-reads.ts --db FILE [--runs N]');
const store = new Store(openDb(values.db), systemClock);
const asOf = today(systemClock);
const runs = Number(values.runs ?? 30);
const time = (metric: string, f: () => unknown, extra: object = {}) => {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    f();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(samples[Math.min(samples.length - 1, Math.floor(samples.length * q))]! * 100) / 100;
  console.log(JSON.stringify({ metric, p50: at(0.5), p99: at(0.99), max: at(1), unit: 'ms', runs, ...extra }));
};
const open = store.backlog.current(asOf).open;
for (const sort of PTL_SORTS) {
  time(`ptl_page_ms sort=${sort}`, () => store.ptl.page({ sort, limit: 100 }, asOf), { open });
  let cursor = store.ptl.page({ sort, limit: 100 }, asOf).nextCursor ?? undefined;
  time(`ptl_page_ms sort=${sort} page 2`, () => store.ptl.page({ sort, limit: 100, cursor }, asOf), { open });
  cursor = undefined;
}
time('ptl_page_ms sort=nextActionDue tumourSite=lung minDays=29', () =>
  store.ptl.page({ sort: 'nextActionDue', tumourSite: 'lung', minDays: 29, limit: 100 }, asOf),
);
time('ptl_page_ms nextActionDueBy=today', () => store.ptl.page({ nextActionDueBy: asOf, limit: 100 }, asOf));
const someone = store.rows.get(store.ptl.page({ limit: 1 }, asOf).entries[0]!.pathwayId)!;
time('search_ms nhs number', () => searchPathways(store, someone.nhs_number));
time('search_ms "smith"', () => searchPathways(store, 'smith'), {
  found: searchPathways(store, 'smith').results.length,
});
time('search_ms "jo smi"', () => searchPathways(store, 'jo smi'));
time('awaiting_mdt_ms', () => awaitingMdt(store, undefined, asOf), {
  listed: awaitingMdt(store, undefined, asOf).entries.length,
});
const t0 = process.hrtime.bigint();
runThrough(performanceSlices(store, asOf));
console.log(
  JSON.stringify({
    metric: 'performance_ms',
    value: Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100,
    unit: 'ms',
    note: 'one pass; the server gives way to other requests every 500 pathways',
  }),
);
time('ptl_csv_all_open_ms', () => {
  let bytes = PTL_CSV_HEADER.length;
  for (const page of store.ptl.pages({}, asOf)) bytes += page.map(ptlCsvLine).join('').length;
  return bytes;
});
