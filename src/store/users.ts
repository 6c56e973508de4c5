// The users, sessions and api_tokens tables: who can sign in, with what role, and the secrets
// (stored only as hashes) that stand for a signed-in user. Access can be taken away: a user
// disabled, a role changed, a password reset, a token revoked or expired. Whatever ends a
// credential tells the listeners (the live hub closes that credential's websockets).
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { ROLES, type Role, type User } from '../auth/roles.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords.ts';
import type { WallClock } from '../wall-clock.ts';
import { statementCache, type Db } from './db.ts';

const SESSION_HOURS = 12;
export const TOKEN_DAYS_DEFAULT = 90;
export const TOKEN_DAYS_MAX = 366;
const DAY_MS = 86_400_000;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');
// Made on first use: hashing costs ~50 ms, which a command that never signs anyone in should not pay.
let dummyHash: string | null = null;

/** What a request signed in with: a session cookie or a bearer token (by the hash of its secret). */
export interface Credential {
  kind: 'session' | 'token';
  hash: string;
  tokenId?: number;
}

/** A signed-in caller: the user and the credential that stands for them. */
export interface Caller {
  user: User;
  credential: Credential;
}

export interface UserEntry extends User {
  disabled: boolean;
  createdAt: string;
}

export interface TokenEntry {
  tokenId: number;
  user: string;
  label: string | null;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
}

type UserRow = User & { passwordHash: string; disabledAt: string | null };

export class Users {
  private readonly sql;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly clock: WallClock,
  ) {
    this.sql = statementCache(db);
  }

  /** Called whenever a credential may have ended (the hub then checks its sockets' credentials at once). */
  onAccessEnded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private accessEnded(): void {
    for (const listener of this.listeners) listener();
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  add(name: string, role: string, password: string): User {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$/.test(name))
      throw new AppError('invalid_user', 'name: 2-64 letters, digits, _ . @ - starting with a letter or digit', 'name');
    if (!ROLES.includes(role as Role))
      throw new AppError('invalid_user', `role: must be one of ${ROLES.join(', ')}`, 'role');
    const problem = passwordProblem(password, name);
    if (problem) throw new AppError('invalid_user', problem, 'password');
    const existing = this.byName(name);
    if (existing)
      throw new AppError(
        'user_exists',
        `a user named ${existing.name} already exists (names are the same whatever their case)`,
        'name',
      );
    const info = this.sql('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(
      name,
      role,
      hashPassword(password),
      this.now(),
    );
    return { userId: Number(info.lastInsertRowid), name, role: role as Role };
  }

  /** A user by name, whatever its case. */
  private byName(name: string): UserRow | undefined {
    return this.sql(
      'SELECT user_id AS userId, name, role, password_hash AS passwordHash, disabled_at AS disabledAt FROM users WHERE name = ? COLLATE NOCASE',
    ).get(name) as UserRow | undefined;
  }

  /** The user named, or a refusal naming the field. */
  private existing(name: string): UserRow {
    const user = this.byName(name);
    if (!user) throw new AppError('unknown_user', `no user named ${name}`, 'name');
    return user;
  }

  /** The name as stored, for a name given in any case; undefined when there is no such user. */
  canonicalName(name: string): string | undefined {
    return this.byName(name)?.name;
  }

  list(): UserEntry[] {
    return (
      this.sql(
        'SELECT user_id AS userId, name, role, disabled_at AS disabledAt, created_at AS createdAt FROM users ORDER BY name COLLATE NOCASE',
      ).all() as (User & { disabledAt: string | null; createdAt: string })[]
    ).map(({ disabledAt, ...u }) => ({ ...u, disabled: disabledAt !== null }));
  }

  count(): number {
    return this.sql('SELECT count(*) FROM users').pluck().get() as number;
  }

  /** The user for a name and password, or null (the same answer, in the same time, for a wrong name or password, or a disabled user). */
  authenticate(name: string, password: string): User | null {
    const user = this.byName(name);
    if (!user) {
      verifyPassword(password, (dummyHash ??= hashPassword('not a real password')));
      return null;
    }
    if (!verifyPassword(password, user.passwordHash) || user.disabledAt !== null) return null;
    return { userId: user.userId, name: user.name, role: user.role };
  }

  // ---- the lifecycle: each change takes effect on the next request --------------------------

  /** Disables (or enables) a user: a disabled user cannot sign in, and their sessions end and tokens stop working. */
  setDisabled(name: string, disabled: boolean): UserEntry {
    return this.change(name, { disabled });
  }

  setRole(name: string, role: string): UserEntry {
    return this.change(name, { role });
  }

  /** Sets a new password; the user's sessions end (they sign in again with it). Tokens are kept. */
  setPassword(name: string, password: string): UserEntry {
    return this.change(name, { password });
  }

  /** Any of the three changes at once, all or nothing. Ending sessions or disabling tells the listeners. */
  change(name: string, to: { role?: string; disabled?: boolean; password?: string }): UserEntry {
    const user = this.existing(name);
    if (to.role !== undefined && !ROLES.includes(to.role as Role))
      throw new AppError('invalid_user', `role: must be one of ${ROLES.join(', ')}`, 'role');
    const problem = to.password === undefined ? null : passwordProblem(to.password, user.name);
    if (problem) throw new AppError('invalid_user', problem, 'password');
    const hash = to.password === undefined ? null : hashPassword(to.password);
    const stillAdmin = (to.role ?? user.role) === 'admin' && !(to.disabled ?? user.disabledAt !== null);
    this.db
      .transaction(() => {
        if (user.role === 'admin' && !stillAdmin) this.keepAnAdmin(user);
        if (to.role !== undefined) this.sql('UPDATE users SET role = ? WHERE user_id = ?').run(to.role, user.userId);
        if (to.disabled !== undefined)
          this.sql('UPDATE users SET disabled_at = ? WHERE user_id = ?').run(
            to.disabled ? (user.disabledAt ?? this.now()) : null,
            user.userId,
          );
        if (hash !== null) this.sql('UPDATE users SET password_hash = ? WHERE user_id = ?').run(hash, user.userId);
        if (to.disabled || hash !== null) this.sql('DELETE FROM sessions WHERE user_id = ?').run(user.userId);
      })
      .immediate();
    if (to.disabled || hash !== null) this.accessEnded();
    return this.entry(user.userId);
  }

  /** Refuses a change that would leave no enabled admin (nobody could then manage users from the dashboard). */
  private keepAnAdmin(user: UserRow): void {
    const others = this.sql("SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND user_id <> ?")
      .pluck()
      .get(user.userId) as number;
    if (others === 0)
      throw new AppError(
        'last_admin',
        `${user.name} is the only admin who can sign in; make another user an admin first`,
        'name',
      );
  }

  private entry(userId: number): UserEntry {
    return this.list().find((u) => u.userId === userId)!;
  }

  // ---- sessions --------------------------------------------------------------------------------

  createSession(user: User): { token: string; expiresAt: string } {
    const token = newSecret();
    const expiresAt = new Date(this.clock.now().getTime() + SESSION_HOURS * 3_600_000).toISOString();
    this.pruneSessions();
    this.sql('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)').run(
      sha256(token),
      user.userId,
      expiresAt,
    );
    return { token, expiresAt };
  }

  endSession(token: string): void {
    if (this.sql('DELETE FROM sessions WHERE token_hash = ?').run(sha256(token)).changes > 0) this.accessEnded();
  }

  /** Deletes expired sessions (at each sign-in, and hourly in the server); returns how many. */
  pruneSessions(): number {
    return this.sql('DELETE FROM sessions WHERE expires_at <= ?').run(this.now()).changes;
  }

  bySession(token: string): User | null {
    return this.callerBySession(token)?.user ?? null;
  }

  callerBySession(token: string): Caller | null {
    return this.byCredential({ kind: 'session', hash: sha256(token) });
  }

  // ---- API tokens ------------------------------------------------------------------------------

  /** A new token's secret (shown once; only its hash is kept). */
  createToken(name: string, options: { days?: number; label?: string } = {}): string {
    return this.issueToken(name, options).token;
  }

  issueToken(
    name: string,
    options: { days?: number; label?: string } = {},
  ): { tokenId: number; token: string; expiresAt: string } {
    const user = this.existing(name);
    if (user.disabledAt !== null)
      throw new AppError('invalid_user', `${user.name} is disabled: enable the user first`, 'name');
    const days = options.days ?? TOKEN_DAYS_DEFAULT;
    if (!Number.isInteger(days) || days < 1 || days > TOKEN_DAYS_MAX)
      throw new AppError('invalid_user', `expires: a whole number of days from 1 to ${TOKEN_DAYS_MAX}`, 'expires');
    const label = options.label?.trim() || null;
    if (label !== null && !/^[\p{L}\p{N} _.:@/-]{1,64}$/u.test(label))
      throw new AppError('invalid_user', 'label: at most 64 letters, digits, spaces and _ . : @ / -', 'label');
    const token = `optl_${newSecret()}`;
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + days * DAY_MS).toISOString();
    const info = this.sql(
      'INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).run(sha256(token), user.userId, label, now.toISOString(), expiresAt);
    return { tokenId: Number(info.lastInsertRowid), token, expiresAt };
  }

  byToken(token: string): User | null {
    return this.callerByToken(token)?.user ?? null;
  }

  callerByToken(token: string): Caller | null {
    return this.byCredential({ kind: 'token', hash: sha256(token) });
  }

  listTokens(name?: string): TokenEntry[] {
    const userId = name === undefined ? null : this.existing(name).userId;
    const now = this.now();
    return (
      this.sql(
        `SELECT t.token_id AS tokenId, u.name AS user, t.label, t.created_at AS createdAt, t.expires_at AS expiresAt
      FROM api_tokens t JOIN users u USING (user_id) WHERE ? IS NULL OR t.user_id = ? ORDER BY t.token_id`,
      ).all(userId, userId) as Omit<TokenEntry, 'expired'>[]
    ).map((t) => ({ ...t, expired: t.expiresAt <= now }));
  }

  /** Revokes a token by its id; its websockets close. */
  revokeToken(tokenId: number): TokenEntry {
    const token = this.listTokens().find((t) => t.tokenId === tokenId);
    if (!token) throw new AppError('unknown_token', `no token with id ${tokenId}`, 'tokenId');
    this.sql('DELETE FROM api_tokens WHERE token_id = ?').run(tokenId);
    this.accessEnded();
    return token;
  }

  /** Revokes the token whose secret is given (a script signing itself out); false when there is none. */
  revokeTokenSecret(token: string): boolean {
    const revoked = this.sql('DELETE FROM api_tokens WHERE token_hash = ?').run(sha256(token)).changes > 0;
    if (revoked) this.accessEnded();
    return revoked;
  }

  // ---- checking a credential -------------------------------------------------------------------

  /** The caller a credential stands for now, or null: ended, expired, revoked, or the user disabled or gone. */
  byCredential(credential: Credential): Caller | null {
    const now = this.now();
    const row = (
      credential.kind === 'session'
        ? this
            .sql(`SELECT u.user_id AS userId, u.name, u.role, NULL AS tokenId FROM sessions s JOIN users u USING (user_id)
          WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`)
        : this
            .sql(`SELECT u.user_id AS userId, u.name, u.role, t.token_id AS tokenId FROM api_tokens t JOIN users u USING (user_id)
          WHERE t.token_hash = ? AND t.expires_at > ? AND u.disabled_at IS NULL`)
    ).get(credential.hash, now) as (User & { tokenId: number | null }) | undefined;
    if (!row) return null;
    const { tokenId, ...user } = row;
    return { user, credential: tokenId === null ? credential : { ...credential, tokenId } };
  }
}
