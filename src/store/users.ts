// The users, sessions and api_tokens tables: who can sign in, with what role, and the secrets
// (stored only as hashes) that stand for a signed-in user.
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { ROLES, type Role, type User } from '../auth/roles.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { WallClock } from '../wall-clock.ts';
import { statementCache, type Db } from './db.ts';

const SESSION_HOURS = 12;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');
// Made on first use: hashing costs ~50 ms, which a command that never signs anyone in should not pay.
let dummyHash: string | null = null;

export class Users {
  private readonly sql;

  constructor(db: Db, private readonly clock: WallClock) {
    this.sql = statementCache(db);
  }

  add(name: string, role: string, password: string): User {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$/.test(name)) throw new AppError('invalid_user', 'name: 2-64 letters, digits, _ . @ - starting with a letter or digit', 'name');
    if (!ROLES.includes(role as Role)) throw new AppError('invalid_user', `role: must be one of ${ROLES.join(', ')}`, 'role');
    if (password.length < 8) throw new AppError('invalid_user', 'password: at least 8 characters', 'password');
    if (this.byName(name)) throw new AppError('user_exists', `a user named ${name} already exists`, 'name');
    const info = this.sql('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(name, role, hashPassword(password), this.clock.now().toISOString());
    return { userId: Number(info.lastInsertRowid), name, role: role as Role };
  }

  private byName(name: string): (User & { passwordHash: string }) | undefined {
    return this.sql('SELECT user_id AS userId, name, role, password_hash AS passwordHash FROM users WHERE name = ?').get(name) as (User & { passwordHash: string }) | undefined;
  }

  list(): User[] {
    return this.sql('SELECT user_id AS userId, name, role FROM users ORDER BY name').all() as User[];
  }

  count(): number {
    return this.sql('SELECT count(*) FROM users').pluck().get() as number;
  }

  /** The user for a name and password, or null (the same answer, in the same time, for a wrong name or password). */
  authenticate(name: string, password: string): User | null {
    const user = this.byName(name);
    if (!user) {
      verifyPassword(password, (dummyHash ??= hashPassword('not a real password')));
      return null;
    }
    if (!verifyPassword(password, user.passwordHash)) return null;
    return { userId: user.userId, name: user.name, role: user.role };
  }

  createSession(user: User): { token: string; expiresAt: string } {
    const token = newSecret();
    const expiresAt = new Date(this.clock.now().getTime() + SESSION_HOURS * 3_600_000).toISOString();
    this.sql('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)').run(sha256(token), user.userId, expiresAt);
    return { token, expiresAt };
  }

  endSession(token: string): void {
    this.sql('DELETE FROM sessions WHERE token_hash = ?').run(sha256(token));
  }

  bySession(token: string): User | null {
    const row = this.sql('SELECT u.user_id AS userId, u.name, u.role, s.expires_at AS expiresAt FROM sessions s JOIN users u USING (user_id) WHERE s.token_hash = ?')
      .get(sha256(token)) as (User & { expiresAt: string }) | undefined;
    if (!row || row.expiresAt <= this.clock.now().toISOString()) return null;
    return { userId: row.userId, name: row.name, role: row.role };
  }

  createToken(name: string): string {
    const user = this.byName(name);
    if (!user) throw new AppError('unknown_user', `no user named ${name}`, 'name');
    const token = `optl_${newSecret()}`;
    this.sql('INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)').run(sha256(token), user.userId, this.clock.now().toISOString());
    return token;
  }

  byToken(token: string): User | null {
    return (this.sql('SELECT u.user_id AS userId, u.name, u.role FROM api_tokens t JOIN users u USING (user_id) WHERE t.token_hash = ?').get(sha256(token)) as User | undefined) ?? null;
  }
}
