// Helpers for store tests: a store on a temporary file (removed after the test) with a clock the
// test controls, a second connection to inspect the file, generated histories as import lines,
// and the reference counts the fast read models are checked against.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect, onTestFinished } from 'vitest';
import { fixedClock, today } from '../../src/wall-clock.ts';
import { endOfLondonDay, type Instant, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { backlogPosition } from '../../src/cwt/backlog.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import {
  PathwayCommands,
  type AppendOptions,
  type AppendRequest,
  type AppendResult,
} from '../../src/pathways/commands.ts';
import { openStore } from '../../src/pathways/open.ts';
import { pathwaysAsAt } from '../../src/queries/as-at.ts';
import { pathwayView } from '../../src/queries/pathway-view.ts';
import { AppError, type ErrorCode } from '../../src/errors.ts';
import { backlogCounts, type BacklogCounts, type GroupCounts } from '../../src/cwt/backlog.ts';
import { toRow } from '../../src/store/pathway-row.ts';
import { pathwayFromEvents } from '../../src/domain/pathway.ts';
import { pathwayArb } from './timelines.ts';

/**
 * A temporary folder, removed when the test ends; one made outside a test (for a whole file) is
 * removed with the run's folder when the run ends (test/support/build.ts).
 */
export function tempDir(): string {
  const dir = mkdtempSync(join(process.env.OPENPTL_TEST_TMP ?? tmpdir(), 'openptl-test-'));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    // not inside a test: the run's folder goes at the end
  }
  return dir;
}

export function tempStore(now = '2027-06-01T09:00:00Z') {
  const file = join(tempDir(), 'openptl.db');
  const clock = fixedClock(now);
  const store = openStore(openDb(file), clock);
  const commands = new PathwayCommands(store);
  /** A second connection to the same file, to look at (or tamper with) what the store wrote. */
  const sql: Db = openDb(file);
  return { store, commands, clock, file, sql };
}

/** A pathway's page as the API answers it today (by the store's clock). */
export function pathwayNow(store: Store, pathwayId: string) {
  return pathwayView(store, pathwayId, today(store.clock));
}

export interface ImportLine {
  pathwayId: string;
  recordedAt: string;
  [key: string]: unknown;
}

/** Import lines (generated here, or the simulator's) as the append requests `openptl import` makes of them. */
export function requestsOf(
  lines: Iterable<{ pathwayId: string; recordedAt: string }>,
  actor = 'import',
): AppendRequest[] {
  return [...lines].map(({ pathwayId, recordedAt, ...event }) => ({
    pathwayId,
    recordedAt: recordedAt as Instant, // written by the generators as YYYY-MM-DDTHH:MM:SS.sssZ
    event,
    actor,
  }));
}

/** Generated pathways as import lines, each event recorded at noon on its clinical date. */
export function generatedLines(count: number, seed: number): ImportLine[] {
  const pathways = fc.sample(pathwayArb, { numRuns: count, seed });
  const lines = pathways.flatMap(({ events }, p) =>
    events.map((event) => ({
      pathwayId: `P${String(p).padStart(6, '0')}`,
      recordedAt: `${event.on}T12:00:00.000Z`,
      ...event,
    })),
  );
  // The order recorded, across pathways; within a pathway the generated order is kept.
  return lines.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
}

/** Every pathway row must equal a fresh replay of that pathway's stored events. */
export function rowsMatchReplay(store: Store, sql: Db): { checked: number; mismatches: string[] } {
  const rows = sql.prepare('SELECT * FROM pathways ORDER BY pathway_id').all() as Record<string, unknown>[];
  const mismatches: string[] = [];
  for (const row of rows) {
    const id = row.pathway_id as string;
    const events = store.log.ofPathway(id);
    const last = events[events.length - 1]!;
    const expected = toRow(
      id,
      last.version,
      pathwayFromEvents(
        events.map((e) => e.event),
        '9999-12-31',
      ),
      last.recordedAt,
      store.timed.definitions(),
    );
    if (!isDeepStrictEqual({ ...expected }, { ...row })) mismatches.push(id);
  }
  return { checked: rows.length, mismatches };
}

/** Reference: the backlog by one SQL pass over the open rows (what the in-memory index must equal). */
export function backlogFromRows(sql: Db, asOf: IsoDate): BacklogCounts {
  const groups = sql
    .prepare(
      `SELECT tumour_site AS site, stage, coalesce(provider, 'unknown') AS provider, count(*) AS open,
      sum(d62_over28_on <= @asOf) AS over28, sum(d62_breach_on <= @asOf) AS over62, sum(d62_over104_on <= @asOf) AS over104,
      sum(fds_state = 'running' AND fds_breach_on <= @asOf) AS fdsOverdue
    FROM pathways WHERE status = 'open' GROUP BY tumour_site, stage, provider`,
    )
    .all({ asOf }) as {
    site: string;
    stage: string;
    provider: string;
    open: number;
    over28: number;
    over62: number;
    over104: number;
    fdsOverdue: number;
  }[];
  const totals = { open: 0, over28: 0, over62: 0, over104: 0, fdsOverdue: 0 };
  const bySite = new Map<string, GroupCounts>();
  const byStage = new Map<string, GroupCounts>();
  const byProvider = new Map<string, GroupCounts>();
  for (const g of groups) {
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += g[k];
    addTo(bySite, g.site, g);
    addTo(byStage, g.stage, g);
    addTo(byProvider, g.provider, g);
  }
  return backlogCounts(asOf, totals, bySite, byStage, byProvider);
}

/** Reference: the backlog as at a moment by replaying what had been recorded by then, pathway by pathway. */
export function backlogByReplay(store: Store, asOf: IsoDate, asAt: Instant = endOfLondonDay(asOf)): BacklogCounts {
  const totals = { open: 0, over28: 0, over62: 0, over104: 0, fdsOverdue: 0 };
  const bySite = new Map<string, GroupCounts>();
  const byStage = new Map<string, GroupCounts>();
  const byProvider = new Map<string, GroupCounts>();
  for (const { stage, tumourSite, provider, clocks } of pathwaysAsAt(store, asOf, asAt)) {
    const position = backlogPosition(clocks);
    if (!position) continue;
    const g = {
      open: 1,
      over28: Number(position.daysWaiting > 28),
      over62: Number(position.over62),
      over104: Number(position.over104),
      fdsOverdue: Number(position.fdsOverdue),
    };
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += g[k];
    addTo(bySite, tumourSite, g);
    addTo(byStage, stage, g);
    addTo(byProvider, provider ?? 'unknown', g);
  }
  return backlogCounts(asOf, totals, bySite, byStage, byProvider);
}

function addTo(map: Map<string, GroupCounts>, key: string, g: GroupCounts): void {
  const entry = map.get(key) ?? { open: 0, over62: 0, over104: 0 };
  map.set(key, { open: entry.open + g.open, over62: entry.over62 + g.over62, over104: entry.over104 + g.over104 });
}

/**
 * given / when / then over the store (the pure pathway's is test/support/given.ts): the given
 * events appended in order to a fresh store as pathway P1, then one more. `then` checks the answer;
 * `refused` checks the code (and field), and that nothing at all was written.
 */
export function givenStore(events: readonly object[], now?: string) {
  const { store, commands, sql } = tempStore(now);
  events.forEach((e, i) => commands.append('P1', i, e, { actor: 'test' }));
  const written = () =>
    sql
      .prepare(
        'SELECT (SELECT count(*) FROM events) AS events, (SELECT group_concat(pathway_id || version || state) FROM pathways) AS rows',
      )
      .get();
  return {
    store,
    commands,
    when(event: object, opts: Partial<AppendOptions> & { pathwayId?: string; expectedVersion?: number } = {}) {
      const { pathwayId = 'P1', ...options } = opts;
      const expectedVersion = 'expectedVersion' in opts ? opts.expectedVersion : pathwayId === 'P1' ? events.length : 0;
      const append = () => commands.append(pathwayId, expectedVersion, event, { actor: 'test', ...options });
      return {
        then(stage: string, clocks: Record<string, unknown> = {}): AppendResult {
          const result = append();
          expect(result.stage).toBe(stage);
          expect(result.clocks).toMatchObject(clocks);
          return result;
        },
        refused(code: ErrorCode, field?: string): AppError {
          const before = written();
          let error: unknown;
          try {
            append();
          } catch (err) {
            error = err;
          }
          expect(error).toBeInstanceOf(AppError);
          const refusal = error as AppError;
          expect(refusal.code).toBe(code);
          if (field !== undefined) expect(refusal.field).toBe(field);
          expect(written(), 'a refusal writes nothing').toEqual(before);
          return refusal;
        },
      };
    },
  };
}
