// The nightly report from the server: written once each night, and the nights it missed while the
// server was down written when it is back (the report used to skip them).
import { describe, expect, it } from 'vitest';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../src/api/logger.ts';
import { CATCH_UP_DAYS, missingReports, scheduleNightlyReport } from '../../src/report/nightly.ts';
import { tempDir, tempStore } from '../support/store.ts';

const written = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

describe('nightly report', () => {
  it('after a night the server was down, writes the missed day as well as yesterday, each once', () => {
    const { store, clock } = tempStore('2026-11-20T00:45:00Z');
    const dir = tempDir();
    const logger = createLogger({ level: 'silent' });
    let stop = scheduleNightlyReport(store, clock, { at: '00:30', dir, logger, checkMs: 60_000 });
    expect(written(dir)).toEqual(['report-2026-11-19.json']);
    stop();
    // Down from the 20th until 09:00 on the 22nd: the report for the 20th was never written.
    clock.set('2026-11-22T09:00:00Z');
    stop = scheduleNightlyReport(store, clock, { at: '00:30', dir, logger, checkMs: 60_000 });
    expect(written(dir)).toEqual(['report-2026-11-19.json', 'report-2026-11-20.json', 'report-2026-11-21.json']);
    stop();
    expect(statSync(join(dir, 'report-2026-11-20.html')).mode & 0o777).toBe(0o600);
    store.access.flush();
    expect(store.access.query({ action: 'report_generated' }).entries.map((e) => [e.actor, e.detail?.asOf])).toEqual([
      ['system:nightly-report', '2026-11-21'],
      ['system:nightly-report', '2026-11-20'],
      ['system:nightly-report', '2026-11-19'],
    ]);
  });

  it("catches up at most a month, and a folder with no recent report gets only yesterday's", () => {
    const dir = tempDir();
    expect(missingReports(dir, '2026-11-21')).toEqual(['2026-11-21']);
    writeFileSync(join(dir, 'report-2026-09-01.json'), '{}');
    expect(missingReports(dir, '2026-11-21')).toEqual(['2026-11-21']); // older than CATCH_UP_DAYS
    writeFileSync(join(dir, 'report-2026-11-18.json'), '{}');
    expect(missingReports(dir, '2026-11-21')).toEqual(['2026-11-19', '2026-11-20', '2026-11-21']);
    expect(CATCH_UP_DAYS).toBe(31);
  });
});
