// `openptl user add` and `openptl token create`, as an administrator runs them.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openDb } from '../../src/store/db.ts';
import { Users } from '../../src/store/users.ts';
import { fixedClock } from '../../src/wall-clock.ts';
import { tempDir } from '../support/store.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });

describe('openptl user and token', () => {
  const db = join(tempDir(), 'users.db');

  it('adds a user with the password read from standard input, stored only as a hash', () => {
    const r = run(['user', 'add', 'alice', '--role', 'tracker', '--db', db], 'a-long-password\n');
    expect([r.status, JSON.parse(r.stdout)]).toEqual([0, { name: 'alice', role: 'tracker', providers: null }]);
    const conn = openDb(db);
    const stored = conn.prepare('SELECT password_hash FROM users').pluck().get() as string;
    expect(stored).toMatch(/^scrypt\$/);
    expect(stored).not.toContain('a-long-password');
    const users = new Users(conn, fixedClock('2026-11-24T10:00:00Z'));
    expect(users.authenticate('alice', 'a-long-password')).toMatchObject({ name: 'alice', role: 'tracker' });
    expect(users.authenticate('alice', 'wrong')).toBeNull();
  });

  it('prints a token that authenticates as that user', () => {
    const token = run(['token', 'create', 'alice', '--db', db]).stdout.trim();
    expect(token).toMatch(/^optl_/);
    expect(new Users(openDb(db), fixedClock('2026-11-24T10:00:00Z')).byToken(token)).toMatchObject({ name: 'alice' });
  });

  it('gives a user a scope of providers, changes it and takes it away, each change in the access log (issue #25)', () => {
    const add = run(
      ['user', 'add', 'bob', '--role', 'mdt_coordinator', '--providers', 'raj, RQ8', '--db', db],
      'mauve-kettle-orbit\n',
    );
    expect([add.status, JSON.parse(add.stdout)]).toEqual([
      0,
      { name: 'bob', role: 'mdt_coordinator', providers: ['RAJ', 'RQ8'] },
    ]);
    const narrowed = run(['user', 'scope', 'bob', '--providers', 'RQ8', '--db', db]);
    expect(JSON.parse(narrowed.stdout)).toEqual({ name: 'bob', role: 'mdt_coordinator', providers: ['RQ8'] });
    expect(JSON.parse(run(['user', 'scope', 'bob', '--all-providers', '--db', db]).stdout).providers).toBeNull();
    const listed = run(['user', 'list', '--db', db])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(listed.find((u) => u.name === 'bob')).toMatchObject({
      role: 'mdt_coordinator',
      providers: null,
      disabled: false,
    });
    const changes = openDb(db)
      .prepare(
        "SELECT action, detail FROM access_log WHERE action IN ('user_added', 'providers_changed') AND detail LIKE '%bob%' ORDER BY entry_id",
      )
      .all()
      .map((e: any) => [e.action, JSON.parse(e.detail).providers]);
    expect(changes).toEqual([
      ['user_added', ['RAJ', 'RQ8']],
      ['providers_changed', ['RQ8']],
      ['providers_changed', null],
    ]);
    for (const [args, message] of [
      [
        ['user', 'add', 'carl', '--role', 'admin', '--providers', 'RAJ', '--password', 'mauve-kettle-orbit'],
        /an admin manages the whole trust/,
      ],
      [
        ['user', 'add', 'carl', '--role', 'tracker', '--providers', 'R!J', '--password', 'mauve-kettle-orbit'],
        /R!J is not a provider/,
      ],
      [['user', 'scope', 'bob'], /usage/],
      [['user', 'scope', 'bob', '--providers', 'RAJ', '--all-providers'], /usage/],
      [['user', 'role', 'bob', 'admin', '--providers', 'RAJ'], /usage/],
    ] as const) {
      const r = run([...args, '--db', db]);
      expect([r.status, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
  });

  it('refuses a bad role, a short password, a taken name and an unknown user with exit 2', () => {
    for (const [args, message] of [
      [['user', 'add', 'bob', '--role', 'boss', '--password', 'mauve-kettle-orbit'], /role: must be one of/],
      [['user', 'add', 'bob', '--role', 'viewer', '--password', 'short'], /password: at least 12 characters/],
      [['user', 'add', 'alice', '--role', 'viewer', '--password', 'mauve-kettle-orbit'], /already exists/],
      [['token', 'create', 'nobody'], /no user named nobody/],
    ] as const) {
      const r = run([...args, '--db', db]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
