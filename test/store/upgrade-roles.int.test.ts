// The upgrade to six roles (issue #25, db/migrations/050): a database from before it keeps every
// user, their sessions and tokens; today's viewers (who read patient lists until now) become
// stewards so nobody loses what they had, and each such change is in the access log; a password
// kept from before the policy is checked at its next sign-in.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { migrate, migrations, openDb } from '../../src/store/db.ts';
import { openStore } from '../../src/pathways/open.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { fixedClock } from '../../src/wall-clock.ts';
import { tempDir } from '../support/store.ts';

describe('the upgrade to six roles', () => {
  it('makes viewers stewards, logged; keeps every user and their sessions; trackers and admins as they were', () => {
    const file = join(tempDir(), 'first-release.db');
    const old = new Database(file);
    migrate(
      old,
      migrations().filter((m) => m.version < 50),
    );
    const users: [string, string][] = [
      ['vera', 'viewer'],
      ['tom', 'tracker'],
      ['ada', 'admin'],
    ];
    for (const [name, role] of users)
      old
        .prepare("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, '2025-06-01T00:00:00Z')")
        .run(name, role, hashPassword(name === 'vera' ? 'password' : 'mauve-kettle-orbit'));
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    old
      .prepare("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, 1, '2030-01-01T00:00:00Z')")
      .run(sha('vera-session'));
    old.close();

    const store = openStore(openDb(file), fixedClock('2026-12-06T09:00:00Z'));
    expect(store.users.list().map((u) => [u.name, u.role, u.providers])).toEqual([
      ['ada', 'admin', null],
      ['tom', 'tracker', null],
      ['vera', 'steward', null],
    ]);
    expect(store.users.bySession('vera-session')).toMatchObject({ name: 'vera', role: 'steward' });
    expect(store.access.query({ action: 'role_changed' }).entries).toMatchObject([
      { actor: 'system:upgrade', detail: { user: 'vera', role: 'steward', from: 'viewer' } },
    ]);
    // Her first-release password `password` still signs in, but only to be changed.
    expect(store.users.authenticate('vera', 'password')).toMatchObject({
      name: 'vera',
      passwordChangeRequired: true,
    });
    expect(store.users.authenticate('tom', 'mauve-kettle-orbit')).toMatchObject({ passwordChangeRequired: false });
  });
});
