// The store's command line, run as a user runs it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../support/store.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const referral = (id: string, on: string) => ({
  pathwayId: id,
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'skin',
  nhsNumber: '9434765919',
});

describe('openptl import, backlog, rebuild, backup', () => {
  const dir = tempDir();
  const db = join(dir, 'ptl.db');
  const file = join(dir, 'events.ndjson');
  writeFileSync(
    file,
    [
      JSON.stringify(referral('A', '2026-01-05')),
      JSON.stringify({ pathwayId: 'A', type: 'first_seen', on: '2026-01-09' }),
      '{not json',
      JSON.stringify({ pathwayId: 'B', type: 'first_seen', on: '2026-01-09' }),
      JSON.stringify(referral('C', '2026-02-01')),
      JSON.stringify({ pathwayId: 'C', type: 'diagnosis_communicated', on: '2026-02-10', outcome: 'cancer_ruled_out' }),
      JSON.stringify({ pathwayId: 'C', type: 'first_seen', on: '2026-02-11', nhsNumber: '9434765919' }),
    ].join('\n'),
  );

  it('imports what it can, reports rejected lines by number (no patient data), and exits 1', () => {
    const r = run('import', file, '--db', db);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ read: 7, imported: 4, duplicates: 0, rejected: 3 });
    expect(r.stderr).toMatch(/^line 3: invalid JSON/m);
    expect(r.stderr).toMatch(/^line 4: B: no pathway B/m);
    expect(r.stderr).toMatch(/^line 7: C: nhsNumber: is not a field of this event/m);
    expect(r.stderr).not.toContain('9434765919');
  });

  it('adds nothing when the same file is imported again', () => {
    expect(JSON.parse(run('import', file, '--db', db).stdout)).toEqual({
      read: 7,
      imported: 0,
      duplicates: 4,
      rejected: 3,
    });
  });

  it('prints backlog counts as one JSON object of the documented shape', () => {
    const r = run('backlog', '--db', db, '--as-of', '2099-01-01');
    expect(r.status).toBe(0);
    const counts = JSON.parse(r.stdout);
    expect(Object.keys(counts)).toEqual([
      'asOf',
      'open',
      'over62',
      'over104',
      'fdsOverdue',
      'bands',
      'byTumourSite',
      'byStage',
      'byProvider',
    ]);
    expect(counts).toMatchObject({
      asOf: '2099-01-01',
      open: 1,
      over62: 1,
      over104: 1,
      fdsOverdue: 1,
      bands: { '0-28': 0, '29-62': 0, '63-104': 0, '105+': 1 },
    });
    expect(counts.byTumourSite).toEqual({ skin: { open: 1, over62: 1, over104: 1 } });
    expect(counts.byStage).toEqual({ under_investigation: { open: 1, over62: 1, over104: 1 } });
  });

  it('counts a past date as it stood then', () => {
    const counts = JSON.parse(run('backlog', '--db', db, '--as-of', '2026-01-10').stdout);
    expect(counts.open).toBe(0); // nothing had been recorded by then
  });

  it('refuses a bad date, a missing database and an unknown option with exit 2', () => {
    for (const args of [
      ['backlog', '--db', db, '--as-of', '2026-13-01'],
      ['backlog', '--db', join(dir, 'none.db')],
      ['backlog', '--colour'],
    ]) {
      const r = run(...args);
      expect([r.status, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(/^openptl: /);
    }
    expect(existsSync(join(dir, 'none.db'))).toBe(false);
  });

  it('rebuilds the projection and backs up the database', () => {
    const before = new Database(db, { readonly: true }).prepare('SELECT * FROM pathways ORDER BY pathway_id').all();
    expect(JSON.parse(run('rebuild', '--db', db).stdout)).toEqual({ pathways: 2, events: 4 });
    expect(new Database(db, { readonly: true }).prepare('SELECT * FROM pathways ORDER BY pathway_id').all()).toEqual(
      before,
    );
    const copy = join(dir, 'copy.db');
    expect(run('backup', copy, '--db', db).status).toBe(0);
    expect(new Database(copy, { readonly: true }).prepare('SELECT count(*) FROM events').pluck().get()).toBe(4);
    expect(run('backup', copy, '--db', db).status).toBe(2); // never overwrites
  });
});
