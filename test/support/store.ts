// Helpers for store tests: a store on a temporary file with a clock the test controls,
// and generated histories as import lines.
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fixedClock } from '../../src/wall-clock.ts';
import { openDb } from '../../src/store/db.ts';
import { Store } from '../../src/store/store.ts';
import { replayPathway, toRow } from '../../src/domain/pathway.ts';
import { pathwayArb } from './timelines.ts';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'openptl-test-'));
}

export function tempStore(now = '2027-06-01T09:00:00Z') {
  const file = join(tempDir(), 'openptl.db');
  const clock = fixedClock(now);
  const store = new Store(openDb(file), clock);
  return { store, clock, file };
}

export interface ImportLine {
  pathwayId: string;
  recordedAt: string;
  [key: string]: unknown;
}

/** Generated pathways as import lines, each event recorded at noon on its clinical date. */
export function generatedLines(count: number, seed: number): ImportLine[] {
  const pathways = fc.sample(pathwayArb, { numRuns: count, seed });
  const lines = pathways.flatMap(({ events }, p) => events.map((event) => ({
    pathwayId: `P${String(p).padStart(6, '0')}`,
    recordedAt: `${event.on}T12:00:00.000Z`,
    ...event,
  })));
  // The order recorded, across pathways; within a pathway the generated order is kept.
  return lines.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
}

/** Every pathway row must equal a fresh replay of that pathway's stored events. */
export function rowsMatchReplay(store: Store): { checked: number; mismatches: string[] } {
  const rows = store.db.prepare('SELECT * FROM pathways ORDER BY pathway_id').all() as Record<string, unknown>[];
  const mismatches: string[] = [];
  for (const row of rows) {
    const id = row.pathway_id as string;
    const events = store.events(id);
    const last = events[events.length - 1]!;
    const expected = toRow(id, last.version, replayPathway(events.map((e) => e.event), '9999-12-31'), last.recordedAt);
    if (!isDeepStrictEqual({ ...expected }, { ...row })) mismatches.push(id);
  }
  return { checked: rows.length, mismatches };
}
