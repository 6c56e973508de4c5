// One build, one database (issue #25). Two servers on one database file: every check-then-write
// (the duplicate referral check, an inbox proposal's accept, an MDT outcome) runs inside the write
// transaction, so however their requests interleave the checks hold: raced here, process against
// process. And a database this build did not make (a newer build's migration or clock rules) or a
// damaged file is refused with a message, never opened and never half-read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb } from '../../src/store/db.ts';
import { openStore } from '../../src/pathways/open.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';
import { fixedClock } from '../../src/wall-clock.ts';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import { RULES_VERSION } from '../../src/cwt/clocks.ts';
import { PROJECTION_VERSION } from '../../src/store/pathway-row.ts';
import { tempDir } from '../support/store.ts';
import { hl7 } from '../support/hl7.ts';
import { nhsNumber } from '../support/national.ts';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/openptl.js');
const NOW = '2026-11-24T10:00:00Z';
const PASSWORD = 'mauve-kettle-orbit';

/** A server in a process of its own on `file`, answering on the port it prints. */
function server(file: string): Promise<{ port: number; child: ChildProcess }> {
  const code = `
    import { openDb } from '${root}/src/store/db.ts';
    import { openStore } from '${root}/src/pathways/open.ts';
    import { fixedClock } from '${root}/src/wall-clock.ts';
    import { createLogger } from '${root}/src/api/logger.ts';
    import { startServer } from '${root}/src/api/server.ts';
    const clock = fixedClock(${JSON.stringify(NOW)});
    const running = await startServer({ store: openStore(openDb(${JSON.stringify(file)}), clock), clock, logger: createLogger({ level: 'silent' }), port: 0 });
    console.log('port ' + running.port);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

describe('two servers on one database', () => {
  const file = join(tempDir(), 'shared.db');
  const servers: { port: number; child: ChildProcess }[] = [];
  let token = '';
  const MESSAGES = 30;
  beforeAll(async () => {
    const store = openStore(openDb(file), fixedClock(NOW));
    const commands = new PathwayCommands(store);
    store.users.add('tracker', 'tracker', PASSWORD);
    token = store.users.createToken('tracker');
    const feed = new Hl7Feed(store, commands, store.clock);
    for (let i = 0; i < MESSAGES; i++) {
      const nhs = nhsNumber(100 + i);
      commands.append(
        `P${i}`,
        0,
        {
          type: 'referral_received',
          on: '2026-11-02',
          route: 'urgent_suspected_cancer',
          tumourSite: 'lung',
          nhsNumber: nhs,
        },
        { actor: 'setup' },
      );
      feed.receive(hl7({ type: 'SIU^S12', id: `B${i}`, nhs, local: null, start: '202612011030' }));
    }
    store.close();
    servers.push(await server(file), await server(file));
  }, 60_000);
  afterAll(() => {
    for (const s of servers) s.child.kill();
  });
  const post = (s: { port: number }, path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${s.port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: string } }));

  it('the duplicate check holds: 40 referrals of one patient sent to both at once make one pathway (the rest 409)', async () => {
    const referral = {
      type: 'referral_received',
      on: '2026-11-20',
      route: 'urgent_suspected_cancer',
      tumourSite: 'skin',
      nhsNumber: '9990000018',
    };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(servers[i % 2]!, '/api/pathways?checkDuplicates=true', referral)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error)).toEqual(
      Array(39).fill('possible_duplicate'),
    );
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM pathways WHERE nhs_number = '9990000018'").pluck().get()).toBe(1);
    db.close();
  });

  it('an inbox proposal accepted on both at once is appended once: 60 accepts of 30 proposals, 30 events', async () => {
    const db = new Database(file, { readonly: true });
    const ids = db
      .prepare("SELECT proposal_id FROM inbox_proposals WHERE status = 'proposed'")
      .pluck()
      .all() as number[];
    expect(ids).toHaveLength(MESSAGES);
    const before = db.prepare("SELECT count(*) FROM events WHERE type = 'appointment_booked'").pluck().get();
    const answers = await Promise.all(ids.flatMap((id) => servers.map((s) => post(s, `/api/inbox/${id}/accept`, {}))));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(MESSAGES);
    expect(new Set(answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.body.error}`))).toEqual(
      new Set(['409 proposal_decided']),
    );
    expect(db.prepare("SELECT count(*) FROM events WHERE type = 'appointment_booked'").pluck().get()).toBe(
      Number(before) + MESSAGES,
    );
    expect(db.prepare("SELECT count(*) FROM inbox_proposals WHERE status = 'accepted'").pluck().get()).toBe(MESSAGES);
    db.close();
  });
});

describe('a database this build did not make', () => {
  const made = () => {
    const file = join(tempDir(), 'openptl.db');
    openStore(openDb(file), fixedClock(NOW)).close();
    return file;
  };
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

  it('is refused when it carries a migration this build does not know, naming both, and is left as it was', () => {
    const file = made();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (version, name) VALUES (999, '999_forecast_tables.sql')").run();
    db.close();
    const bytes = readFileSync(file);
    for (const args of [['backlog'], ['check'], ['user', 'list']]) {
      const r = run(...args, '--db', file);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(
        /made by another build of OpenPTL: it carries migration 999_forecast_tables\.sql, which this build does not know \(this build's schema ends at \d{3}_\w+\.sql\)/,
      );
    }
    expect(() => openDb(file)).toThrow(/999_forecast_tables/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('is refused when its pathways were folded under newer clock rules or a newer row shape, naming both', () => {
    for (const [key, value, words] of [
      ['clock_rules_version', RULES_VERSION + 1, `clock rules version ${RULES_VERSION + 1}`],
      ['projection_version', PROJECTION_VERSION + 1, `row shape ${PROJECTION_VERSION + 1}`],
    ] as const) {
      const file = made();
      const db = new Database(file);
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, String(value));
      db.close();
      const r = run('backlog', '--db', file);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(words);
      expect(r.stderr).toContain(`this build knows rules up to ${RULES_VERSION} and shape up to ${PROJECTION_VERSION}`);
    }
  });

  it('is refused cleanly when damaged: `check` and `serve` say so, with no stack trace', () => {
    const file = made();
    const db = new Database(file);
    db.pragma('journal_mode = DELETE'); // all of it in the one file
    db.exec(
      'CREATE TABLE filler (x TEXT); INSERT INTO filler SELECT hex(randomblob(500)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) SELECT i FROM n);',
    );
    db.close();
    // Scribble over the middle of the file: pages of a table, not the header.
    const bytes = readFileSync(file);
    for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 8192; i++) bytes[i] = 0x5a;
    writeFileSync(file, bytes);
    for (const args of [['check'], ['serve', '--port', '0', '--no-demo']]) {
      const r = spawnSync(process.execPath, [bin, ...args, '--db', file], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, args[0]).toBe(2);
      expect(r.stderr).toMatch(
        /^openptl: cannot open database .*: the file is damaged .*restore the latest backup; nothing was changed\n$/,
      );
      expect(r.stderr).not.toMatch(/SqliteError| {4}at /);
    }
    const notADatabase = join(tempDir(), 'notes.db');
    writeFileSync(notADatabase, 'these are not the pages of a database'.repeat(200));
    const r = run('check', '--db', notADatabase);
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(/is not an OpenPTL database .*nothing was changed/),
    ]);
  });
});
