// The command line's side of issue #16, run as an administrator runs it: taking access away, the
// access log, files only their owner can read, backups that never follow a link, an import that
// never echoes patient data and never holds a huge line, and a read-only database still readable.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { openDb } from '../../src/store/db.ts';
import { fixedClock } from '../../src/wall-clock.ts';
import { ndjsonLines } from '../../src/cli/store-commands.ts';
import { tempDir } from '../support/store.ts';
import { openStore } from '../../src/pathways/open.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
const PASSWORD = 'mauve-kettle-orbit';
const referral = (id: string, on: string) => ({
  pathwayId: id,
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'skin',
  nhsNumber: '9434765919',
  patientName: 'Zebedee Quartermaine',
  recordedAt: `${on}T10:00:00Z`,
});

describe('openptl user, token and audit', () => {
  const db = join(tempDir(), 'users.db');
  const store = () => openStore(openDb(db), fixedClock(new Date()));

  it('takes access away and gives it back: disable, enable, role, password; tokens expire, are listed without secrets and revoked', () => {
    const s = store();
    s.users.add('admin', 'admin', PASSWORD);
    s.users.add('nurse', 'tracker', PASSWORD);
    s.close();
    const made = run(['token', 'create', 'NURSE', '--expires', '7', '--label', 'ward laptop', '--db', db]);
    expect(made.status).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^optl_/);
    const id = Number(/token (\d+) for nurse, expires/.exec(made.stderr)![1]);
    const list = run(['token', 'list', 'nurse', '--db', db]);
    expect(list.stdout).not.toContain(token);
    expect(JSON.parse(list.stdout)).toMatchObject({ tokenId: id, user: 'nurse', label: 'ward laptop', expired: false });
    expect(run(['user', 'disable', 'nurse', '--db', db]).stdout).toContain('"disabled":true');
    expect(store().users.byToken(token)).toBeNull();
    expect(run(['user', 'enable', 'nurse', '--db', db]).status).toBe(0);
    expect(store().users.byToken(token)).toMatchObject({ name: 'nurse' });
    expect(JSON.parse(run(['token', 'revoke', String(id), '--db', db]).stdout)).toEqual({ revoked: id, user: 'nurse' });
    expect(store().users.byToken(token)).toBeNull();
    expect(run(['user', 'role', 'nurse', 'viewer', '--db', db]).stdout).toContain('"role":"viewer"');
    const reset = run(['user', 'password', 'nurse', '--db', db], 'fenland-otter-sprocket\n');
    expect(reset.status).toBe(0);
    expect(store().users.authenticate('nurse', 'fenland-otter-sprocket')).toMatchObject({ role: 'viewer' });
  }, 120_000);

  it('refuses with exit 2 and one line: a weak password, the last admin, an unknown token, a bad expiry', () => {
    for (const [args, message] of [
      [
        ['user', 'password', 'nurse', '--password', 'Password1234'],
        /password: too easy to guess \(this is similar to a commonly used password/,
      ],
      [['user', 'disable', 'admin'], /admin is the only admin who can sign in/],
      [['token', 'revoke', '999'], /no token with id 999/],
      [['token', 'create', 'nurse', '--expires', '1000'], /--expires: a whole number of days from 1 to 366/],
    ] as const) {
      const r = run([...args, '--db', db]);
      expect([r.status, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr).toMatch(message);
    }
  }, 120_000);

  it(
    'prints the access log, filtered, each command recorded as the operating-system user who ran it',
    { timeout: 120_000 },
    () => {
      const r = run(['audit', '--user', 'cli:' + (process.env.USER ?? 'root'), '--since', '2000-01-02', '--db', db]);
      const actions = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; actor: string });
      expect(actions.map((a) => a.action)).toEqual([
        'token_created',
        'user_disabled',
        'user_enabled',
        'token_revoked',
        'role_changed',
        'password_reset',
      ]);
      expect(new Set(actions.map((a) => a.actor)).size).toBe(1);
      expect(run(['audit', '--since', '2026-02-30', '--db', db]).status).toBe(2);
    },
  );
});

describe('files only their owner can read', () => {
  it('creates the database, its WAL and shared memory 0600, and takes away what every user could read of an old one', () => {
    const dir = tempDir();
    const file = join(dir, 'new.db');
    const db = openDb(file);
    db.prepare("INSERT INTO meta (key, value) VALUES ('x', '1')").run();
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(['600', '600', '600']);
    db.close();
    const old = join(dir, 'old.db');
    openDb(old).close();
    chmodSync(old, 0o644);
    openDb(old).close();
    expect(mode(old)).toBe('600');
    chmodSync(old, 0o640); // a group the operator chose is kept
    openDb(old).close();
    expect(mode(old)).toBe('640');
  });

  it('writes reports and backups 0600; a backup never follows a link, dangling or not', () => {
    const dir = tempDir();
    const db = join(dir, 'ptl.db');
    const events = join(dir, 'events.ndjson');
    writeFileSync(events, `${JSON.stringify(referral('A', '2026-01-05'))}\n`);
    expect(run(['import', events, '--db', db]).status).toBe(0);
    const out = join(dir, 'reports');
    mkdirSync(out);
    const report = run(['report', '--as-of', '2026-01-06', '--out', out, '--db', db]);
    expect(report.stdout.trim().split('\n').map(mode)).toEqual(['600', '600', '600']);
    writeFileSync(join(dir, 'victim'), 'keep me');
    symlinkSync(join(dir, 'victim'), join(dir, 'to-victim'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    for (const link of ['to-victim', 'dangling']) {
      const r = run(['backup', join(dir, link), '--db', db]);
      expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/already exists/)]);
    }
    expect([readFileSync(join(dir, 'victim'), 'utf8'), existsSync(join(dir, 'nowhere'))]).toEqual(['keep me', false]);
    expect(run(['backup', join(dir, 'copy.db'), '--db', db]).status).toBe(0);
    expect(mode(join(dir, 'copy.db'))).toBe('600');
  }, 120_000);
});

describe('openptl import and hostile files', () => {
  it(
    'reads a first line after a byte-order mark, refuses a line over 64 KB unread, and never echoes a line to stderr',
    { timeout: 120_000 },
    () => {
      const dir = tempDir();
      const file = join(dir, 'events.ndjson');
      const secretLine =
        '{"pathwayId":"B","type":"referral_received","on":"2026-01-05","nhsNumber":"9434765919","patientName":"Zebedee Quartermaine" oops}';
      writeFileSync(
        file,
        [
          `\uFEFF${JSON.stringify(referral('A', '2026-01-05'))}`,
          secretLine,
          JSON.stringify({ ...referral('C', '2026-01-06'), referrer: 'x'.repeat(100_000) }),
        ].join('\r\n'),
      );
      const r = run(['import', file, '--db', join(dir, 'ptl.db')]);
      expect(JSON.parse(r.stdout)).toEqual({ read: 3, imported: 1, duplicates: 0, rejected: 2 });
      expect(r.stderr).toMatch(/^line 2: invalid JSON at character \d+ \(check/m);
      expect(r.stderr).toMatch(/^line 3: longer than 64 KB: not read$/m);
      for (const secret of ['9434765919', 'Zebedee', 'Quartermaine', 'oops']) expect(r.stderr).not.toContain(secret);
    },
  );

  it('splits lines as readline does (LF, CRLF, CR, CRLF across chunks) and holds a 150 MB line in bounded memory', async () => {
    const chunks = ['a\r', '\nb\n', 'c\rd', '\r\n', '\n', 'e'].map((c) => Buffer.from(c));
    const lines: string[] = [];
    for await (const line of ndjsonLines(Readable.from(chunks), 100))
      lines.push(line.tooLong ? '<too long>' : line.text);
    expect(lines).toEqual(['a', 'b', 'c', 'd', '', 'e']);
    // Any text, cut into chunks anywhere: the same lines as readline.
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom('a', 'é', '\n', '\r', '{', ' '), maxLength: 40 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        async (text, cuts) => {
          const bytes = Buffer.from(text);
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const pieces = [0, ...at]
            .map((from, i) => bytes.subarray(from, [...at, bytes.length][i]))
            .filter((b) => b.length > 0);
          const ours: string[] = [];
          for await (const l of ndjsonLines(Readable.from(pieces), 1000)) ours.push(l.text);
          const theirs: string[] = [];
          for await (const l of createInterface({ input: Readable.from([bytes]), crlfDelay: Infinity })) theirs.push(l);
          expect(ours).toEqual(theirs);
        },
      ),
      { numRuns: 300 },
    );
    const mb = Buffer.alloc(1 << 20, 0x78);
    const huge = Readable.from(
      (function* () {
        yield Buffer.from('{"a":1}\n');
        for (let i = 0; i < 150; i++) yield mb;
        yield Buffer.from('\n{"b":2}\n');
      })(),
    );
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const got: string[] = [];
    for await (const line of ndjsonLines(huge, 64 * 1024)) {
      got.push(line.tooLong ? '<too long>' : line.text);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(got).toEqual(['{"a":1}', '<too long>', '{"b":2}']);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });

  it(
    'refuses a report or backlog for a date before 2000 with exit 2 (the report used to fail with "internal error")',
    { timeout: 120_000 },
    () => {
      const dir = tempDir();
      const db = join(dir, 'ptl.db');
      openDb(db).close();
      for (const args of [
        ['report', '--as-of', '0000-01-01', '--out', dir],
        ['backlog', '--as-of', '1999-12-31'],
      ]) {
        const r = run([...args, '--db', db]);
        expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/^openptl: --as-of: .* is before 2000-01-01/)]);
      }
    },
  );
});

// Root can write any file, so the read-only case runs as the unprivileged user `nobody` where we can.
// (and only where `nobody` can reach the project: a clone in a private folder cannot be run by it).
const asNobody =
  process.getuid?.() === 0 &&
  existsSync('/usr/bin/setpriv') &&
  spawnSync('/usr/bin/setpriv', [
    '--reuid=65534',
    '--regid=65534',
    '--clear-groups',
    process.execPath,
    '-e',
    `require('fs').accessSync(${JSON.stringify(bin)})`,
  ]).status === 0;
describe.skipIf(!asNobody)('a read-only database', () => {
  it(
    'still answers backlog (a past day too) and report, saying the access log could not be written',
    { timeout: 120_000 },
    () => {
      const dir = tempDir();
      chmodSync(dir, 0o777);
      const db = join(dir, 'ptl.db');
      const events = join(dir, 'events.ndjson');
      writeFileSync(events, `${JSON.stringify(referral('A', '2026-01-05'))}\n`);
      expect(run(['import', events, '--db', db]).status).toBe(0);
      chmodSync(db, 0o444);
      const out = join(dir, 'out');
      mkdirSync(out, { mode: 0o777 });
      chmodSync(out, 0o777);
      const nobody = (args: string[]) =>
        spawnSync(
          '/usr/bin/setpriv',
          ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...args],
          { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } },
        );
      const backlog = nobody(['backlog', '--as-of', '2026-01-10', '--db', db]);
      expect([backlog.status, JSON.parse(backlog.stdout).open]).toEqual([0, 1]);
      const report = nobody(['report', '--as-of', '2026-01-10', '--out', out, '--db', db]);
      expect(report.status).toBe(0);
      expect(report.stdout.trim().split('\n')).toHaveLength(3);
      expect(report.stderr).toMatch(/warning: the access log could not be written \(SQLITE_READONLY/);
    },
  );
});
