// Users, sessions and tokens in the store: access that can be taken away.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrations, openDb } from '../../src/store/db.ts';
import { fixedClock } from '../../src/wall-clock.ts';
import { tempDir, tempStore } from '../support/store.ts';
import { openStore } from '../../src/pathways/open.ts';

const PASSWORD = 'mauve-kettle-orbit';

describe('users', () => {
  it('treats names differing only in case as one user', () => {
    const { store } = tempStore();
    store.users.add('Alice', 'viewer', PASSWORD);
    expect(() => store.users.add('alice', 'admin', PASSWORD)).toThrow(/a user named Alice already exists/);
    expect(store.users.authenticate('ALICE', PASSWORD)).toMatchObject({ name: 'Alice' });
    expect(store.users.list().map((u) => u.name)).toEqual(['Alice']);
  });

  it('an older database with names differing only in case keeps the first; each later one is renamed and disabled', () => {
    const dir = tempDir();
    const migrationsDir = join(dir, 'migrations');
    mkdirSync(migrationsDir);
    for (const m of migrations().filter((m) => m.version < 10)) writeFileSync(join(migrationsDir, m.name), m.sql);
    const file = join(dir, 'old.db');
    const old = openDb(file, { migrationsDir });
    const insert = old.prepare(
      "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, 'admin', 'scrypt$x', '2026-01-01T00:00:00.000Z')",
    );
    for (const name of ['alice', 'Alice', 'ALICE', 'bob']) insert.run(name);
    old
      .prepare("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ('h', 1, '2026-01-01T00:00:00.000Z')")
      .run();
    old.close();
    const store = openStore(openDb(file), fixedClock('2026-11-24T10:00:00Z'));
    expect(store.users.list().map((u) => [u.name, u.disabled])).toEqual([
      ['alice', false],
      ['Alice-2', true],
      ['ALICE-3', true],
      ['bob', false],
    ]);
    // The token made before tokens expired gets an expiry (90 days after the upgrade).
    expect(store.users.listTokens()).toMatchObject([{ tokenId: 1, user: 'alice', expired: false }]);
  });

  it('a disabled user cannot sign in, and their sessions and tokens stop at once; enabling restores the tokens', () => {
    const { store } = tempStore();
    const user = store.users.add('alice', 'tracker', PASSWORD);
    const session = store.users.createSession(user);
    const token = store.users.createToken('alice');
    store.users.setDisabled('alice', true);
    expect(store.users.authenticate('alice', PASSWORD)).toBeNull();
    expect(store.users.bySession(session.token)).toBeNull();
    expect(store.users.byToken(token)).toBeNull();
    store.users.setDisabled('alice', false);
    expect(store.users.bySession(session.token)).toBeNull(); // sessions ended for good
    expect(store.users.byToken(token)).toMatchObject({ name: 'alice' });
  });

  it('a new password ends the sessions; a role change applies to the next request', () => {
    const { store } = tempStore();
    const user = store.users.add('alice', 'viewer', PASSWORD);
    const session = store.users.createSession(user);
    store.users.setRole('alice', 'tracker');
    expect(store.users.bySession(session.token)).toMatchObject({ role: 'tracker' });
    store.users.setPassword('alice', 'fenland-otter-sprocket');
    expect(store.users.bySession(session.token)).toBeNull();
    expect(store.users.authenticate('alice', PASSWORD)).toBeNull();
    expect(store.users.authenticate('alice', 'fenland-otter-sprocket')).toMatchObject({ role: 'tracker' });
  });

  it('never leaves no admin who can sign in, and a refused change changes nothing', () => {
    const { store } = tempStore();
    store.users.add('root', 'admin', PASSWORD);
    expect(() => store.users.setDisabled('root', true)).toThrow(/only admin/);
    expect(() => store.users.setRole('root', 'viewer')).toThrow(/only admin/);
    expect(() => store.users.change('root', { password: 'fenland-otter-sprocket', role: 'viewer' })).toThrow(
      /only admin/,
    );
    expect(store.users.authenticate('root', PASSWORD)).toMatchObject({ role: 'admin' }); // the password did not change either
    store.users.add('second', 'admin', PASSWORD);
    expect(store.users.setDisabled('root', true)).toMatchObject({ disabled: true });
  });

  it('tokens expire (90 days by default), are listed without secrets, and revoked by id', () => {
    const { store, clock } = tempStore('2026-11-24T10:00:00Z');
    store.users.add('script', 'tracker', PASSWORD);
    const short = store.users.issueToken('script', { days: 1, label: 'nightly export' });
    const long = store.users.issueToken('script');
    expect(long.expiresAt).toBe('2027-02-22T10:00:00.000Z');
    expect(JSON.stringify(store.users.listTokens())).not.toContain(short.token);
    clock.set('2026-11-25T10:00:00Z');
    expect(store.users.byToken(short.token)).toBeNull();
    expect(store.users.listTokens('script').map((t) => [t.tokenId, t.label, t.expired])).toEqual([
      [short.tokenId, 'nightly export', true],
      [long.tokenId, null, false],
    ]);
    store.users.revokeToken(long.tokenId);
    expect(store.users.byToken(long.token)).toBeNull();
    expect(() => store.users.revokeToken(long.tokenId)).toThrow(/no token/);
    expect(() => store.users.issueToken('script', { days: 400 })).toThrow(/expires/);
  });

  it('deletes expired sessions', () => {
    const { store, clock, sql } = tempStore('2026-11-24T10:00:00Z');
    const user = store.users.add('alice', 'viewer', PASSWORD);
    store.users.createSession(user);
    clock.set('2026-11-25T10:00:00Z'); // 24 hours on: past the 12-hour session
    store.users.createSession(user);
    expect(sql.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    clock.set('2026-11-26T10:00:00Z');
    expect(store.users.pruneSessions()).toBe(1);
  });

  it('refuses short, common and over-long passwords, the same maximum as sign-in', () => {
    const { store } = tempStore();
    for (const [password, reason] of [
      ['password', /at least 12/],
      ['12345678', /at least 12/],
      ['        ', /at least 12/],
      ['            ', /only spaces/],
      ['password1234', /too easy to guess \(this is similar to a commonly used password/],
      ['P@ssw0rd1234', /too easy to guess .*predictable letter substitutions/],
      ['qwertyuiop12', /too easy to guess \(this is similar to a commonly used password/],
      ['123456789012', /too easy to guess \(this is a commonly used password/],
      ['passwordpassword', /too easy to guess \(repeated character patterns/],
      ['Manchester1234', /too easy to guess/],
      ['aaaaaaaaaaaaaa', /repetitive/],
      ['x'.repeat(201), /at most 200/],
    ] as const) {
      expect(() => store.users.add('bob', 'viewer', password), password).toThrow(reason);
    }
    expect(store.users.add('bob', 'viewer', 'x1y2z3'.repeat(33) + 'ab')).toMatchObject({ name: 'bob' }); // 200 characters
    expect(store.users.count()).toBe(1);
  });

  it('refuses a long password that is easy to guess, saying why in words, and takes three random words', () => {
    const { store } = tempStore();
    // Long enough, and more than five different characters, but a known phrase twice or a club and a year.
    expect(() => store.users.add('bob', 'viewer', 'iloveyouiloveyou')).toThrow(
      /^password: too easy to guess \(repeated character patterns like "abcabcabc" are easy to guess; .*\); three random words make a good one$/,
    );
    expect(() => store.users.add('bob', 'viewer', 'liverpoolfc2024')).toThrow(/too easy to guess \(add more words/);
    expect(() => store.users.add('carol.jones', 'viewer', 'carol.jones2026')).toThrow(/too easy to guess/); // the user's own name
    expect(store.users.count()).toBe(0);
    expect(store.users.add('bob', 'viewer', 'fenland-otter-sprocket')).toMatchObject({ name: 'bob' });
  });
});
