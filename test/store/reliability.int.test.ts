// Reliability, tested rather than promised: migrations upgrade in place, two writers race,
// and a bulk import killed with SIGKILL leaves whole batches or none.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, migrations, openDb } from '../../src/store/db.ts';
import { fixedClock } from '../../src/wall-clock.ts';
import { generatedLines, rowsMatchReplay, tempDir, pathwayNow } from '../support/store.ts';
import { RULES_VERSION } from '../../src/cwt/clocks.ts';
import { openStore } from '../../src/pathways/open.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/openptl.js');
const referral = {
  type: 'referral_received',
  on: '2026-05-01',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
};

describe('migrations', () => {
  it('upgrade an older database in place, keeping its data, and record each version once', () => {
    const dir = tempDir();
    const migrationsDir = join(dir, 'migrations');
    mkdirSync(migrationsDir);
    copyFileSync(
      join(root, 'db/migrations/001_events_and_pathways.sql'),
      join(migrationsDir, '001_events_and_pathways.sql'),
    );
    const file = join(dir, 'old.db');
    const old = openDb(file, { migrationsDir });
    old
      .prepare(
        "INSERT INTO events (pathway_id, version, event_id, type, on_date, recorded_at, actor, data) VALUES ('P1', 1, '#1', 'referral_received', '2026-05-01', '2026-05-01T10:00:00.000Z', 't', ?)",
      )
      .run(JSON.stringify({ ...referral, id: '#1' }));
    old.close();

    writeFileSync(join(migrationsDir, '002_note.sql'), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);');
    const db = openDb(file, { migrationsDir });
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2]);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    expect(migrate(db, migrations(migrationsDir))).toEqual([]); // nothing applied twice
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('bring a database folded under older clock rules to the current ones by recomputing, never by rewriting events', () => {
    const dir = tempDir();
    const migrationsDir = join(dir, 'migrations');
    mkdirSync(migrationsDir);
    for (const m of migrations().filter((m) => m.version < 7)) writeFileSync(join(migrationsDir, m.name), m.sql);
    const file = join(dir, 'v1.db');
    const v1 = openDb(file, { migrationsDir });
    // A version 1 history: a DNA dated a day after the appointment booked (R18 now refuses it), and no rebooking.
    const events = [
      referral,
      { type: 'appointment_booked', on: '2026-05-02', appointmentOn: '2026-05-09', appointment: 'first' },
      { type: 'dna', on: '2026-05-10', appointment: 'first' },
    ];
    events.forEach((e, i) =>
      v1
        .prepare(
          'INSERT INTO events (pathway_id, version, event_id, type, on_date, recorded_at, actor, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          'P1',
          i + 1,
          `#${i + 1}`,
          e.type,
          e.on,
          `${e.on}T10:00:00.000Z`,
          't',
          JSON.stringify({ ...e, id: `#${i + 1}` }),
        ),
    );
    const before = v1.prepare('SELECT * FROM events ORDER BY position').all();
    v1.close();

    const store = openStore(openDb(file), fixedClock('2026-06-01T09:00:00Z'));
    const commands = new PathwayCommands(store);
    expect(store.rulesVersion()).toBe(RULES_VERSION);
    const pathway = pathwayNow(store, 'P1')!;
    expect(pathway.clocks.d62).toMatchObject({ state: 'running', start: '2026-05-01' }); // R5 v2: no rebooking, nothing moves
    expect(pathway.needsReview).toMatch(
      /dna #3 \(2026-05-10\), on: the missed appointment must be dated the day it was booked for \(9 May 2026\)/,
    );
    expect(store.ptl.page({ needsReview: true }, '2026-06-01').entries.map((e) => e.pathwayId)).toEqual(['P1']);
    const sql = openDb(file);
    expect(sql.prepare('SELECT * FROM events ORDER BY position').all()).toEqual(before);
    // A later event is still checked strictly, and the flag stays until the problem is corrected.
    commands.append('P1', 3, { type: 'first_seen', on: '2026-05-20' }, { actor: 't' });
    expect(pathwayNow(store, 'P1')!.needsReview).not.toBeNull();
    const flagged = spawnSync(process.execPath, [bin, 'check', '--db', file], { encoding: 'utf8' });
    expect(flagged.status).toBe(1);
    expect(
      flagged.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).pathwayId),
    ).toEqual(['P1']);
    commands.append(
      'P1',
      4,
      { type: 'event_voided', on: '2026-05-21', voids: '#3', reason: 'recorded on the wrong day' },
      { actor: 't' },
    );
    expect(pathwayNow(store, 'P1')!.needsReview).toBeNull();
    const check = spawnSync(process.execPath, [bin, 'check', '--db', file], { encoding: 'utf8' });
    expect([check.status, check.stdout]).toEqual([0, '']);
  });

  it('apply all or none: a failing migration leaves the database as it was', () => {
    const dir = tempDir();
    const migrationsDir = join(dir, 'migrations');
    mkdirSync(migrationsDir);
    copyFileSync(
      join(root, 'db/migrations/001_events_and_pathways.sql'),
      join(migrationsDir, '001_events_and_pathways.sql'),
    );
    writeFileSync(join(migrationsDir, '002_broken.sql'), 'CREATE TABLE ok (id INTEGER); THIS IS NOT SQL;');
    const file = join(dir, 'new.db');
    expect(() => openDb(file, { migrationsDir })).toThrow();
    const db = new Database(file);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('events', 'ok')").pluck().get()).toBe(0);
  });
});

describe('two writers on the same pathway with the same expected version', () => {
  it('exactly one wins; the other gets a conflict', async () => {
    const dir = tempDir();
    const file = join(dir, 'race.db');
    const store = openStore(openDb(file), fixedClock('2026-06-01T09:00:00Z'));
    const commands = new PathwayCommands(store);
    commands.append('P1', 0, referral, { actor: 't' });
    store.close();
    const go = join(dir, 'go');
    // Each writer opens the store, says it is ready, waits for the same signal, then appends at expected version 1.
    const writer = (n: number) => {
      const code = `
        import { existsSync } from 'node:fs';
        import { openDb } from '${root}/src/store/db.ts';
        import { openStore } from '${root}/src/pathways/open.ts';
        import { PathwayCommands } from '${root}/src/pathways/commands.ts';
        import { fixedClock } from '${root}/src/wall-clock.ts';
        const commands = new PathwayCommands(openStore(openDb(${JSON.stringify(file)}), fixedClock('2026-06-01T09:00:00Z')));
        console.log('ready');
        while (!existsSync(${JSON.stringify(go)})) {}
        try { commands.append('P1', 1, { type: 'first_seen', on: '2026-05-0${n + 2}' }, { actor: 'w${n}' }); console.log('won'); }
        catch (err) { console.log(err.code ?? err.message); }`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root });
      let out = '';
      let ready!: () => void;
      const started = new Promise<void>((r) => (ready = r));
      child.stdout.on('data', (d) => {
        out += d;
        if (out.startsWith('ready\n')) ready();
      });
      const outcome = new Promise<string>((resolve) =>
        child.on('close', () => resolve(out.replace('ready\n', '').trim())),
      );
      return { started, outcome };
    };
    const writers = [writer(1), writer(2)];
    await Promise.all(writers.map((w) => w.started)); // both spinning on the signal
    writeFileSync(go, '');
    const results = writers.map((w) => w.outcome);
    expect((await Promise.all(results)).sort()).toEqual(['stale_version', 'won']);
    const db = new Database(file);
    expect(db.prepare("SELECT count(*) FROM events WHERE pathway_id = 'P1'").pluck().get()).toBe(2);
  });
});

describe('a bulk import killed with SIGKILL', () => {
  it('leaves whole batches or none, an intact database, and rows equal to a replay', async () => {
    const dir = tempDir();
    const file = join(dir, 'big.ndjson');
    const db = join(dir, 'killed.db');
    const lines = generatedLines(9000, 5);
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);

    const batch = 5000;
    const child = spawn(process.execPath, [bin, 'import', file, '--db', db, '--batch-size', String(batch)], {
      cwd: root,
      stdio: 'ignore',
    });
    // Kill once a few batches have landed (watched from another connection), well before the end.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        try {
          const watcher = new Database(db, { readonly: true, fileMustExist: true });
          const n = watcher.prepare('SELECT count(*) FROM events').pluck().get() as number;
          watcher.close();
          if (n >= batch) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
        } catch {
          /* not created yet */
        }
      }, 20);
      child.on('exit', (code) => {
        clearInterval(timer);
        if (code !== null) reject(new Error(`import finished (exit ${code}) before it could be killed`));
      });
    });
    await new Promise((r) => child.on('close', r));

    const sql = openDb(db);
    const store = openStore(sql, fixedClock('2027-06-01T09:00:00Z'));
    expect(sql.pragma('integrity_check', { simple: true })).toBe('ok');
    const events = store.log.count();
    expect(events).toBeGreaterThan(0);
    expect(events).toBeLessThan(lines.length);
    expect(events % batch).toBe(0); // every line of this file is accepted: each batch is whole or absent
    const { checked, mismatches } = rowsMatchReplay(store, sql);
    expect(checked).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
    // The same file imported again completes the history and adds nothing twice.
    store.close();
    const again = spawnSync(process.execPath, [bin, 'import', file, '--db', db], { encoding: 'utf8' });
    expect(JSON.parse(again.stdout)).toEqual({
      read: lines.length,
      imported: lines.length - events,
      duplicates: events,
      rejected: 0,
    });
  }, 120_000); // three child processes over 9,000 pathways: minutes on a loaded 2-core machine
});
