// The users, sessions and api_tokens tables: who can sign in, with what role and scope of
// providers, and the secrets (stored only as hashes) that stand for a signed-in user. Access can be
// taken away: a user disabled, a role changed, a password reset, a token revoked or expired.
// Whatever ends a credential tells the listeners (the live hub closes that credential's websockets).
// A password kept from before the password policy is checked against it at its next sign-in; a
// weak one must then be changed before that session can do anything else (issue #25).
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { ROLES, type Role, type Scope, type User } from '../auth/roles.ts';
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
  /** A session whose password is too weak to keep: it may only change it (and sign out). */
  passwordChangeRequired: boolean;
}

export interface UserEntry extends User {
  disabled: boolean;
  createdAt: string;
  passwordChangeRequired: boolean;
}

export interface TokenEntry {
  tokenId: number;
  user: string;
  label: string | null;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
}

type UserRow = Omit<User, 'providers'> & {
  passwordHash: string;
  disabledAt: string | null;
  providers: string | null;
  passwordChecked: 0 | 1;
  passwordChangeRequired: 0 | 1;
};
const USER_COLUMNS =
  'user_id AS userId, name, role, password_hash AS passwordHash, disabled_at AS disabledAt, providers, password_checked AS passwordChecked, password_change_required AS passwordChangeRequired';

const scopeOf = (providers: string | null): Scope => (providers === null ? null : (JSON.parse(providers) as string[]));
const userOf = (row: Pick<UserRow, 'userId' | 'name' | 'role' | 'providers'>): User => ({
  userId: row.userId,
  name: row.name,
  role: row.role,
  providers: scopeOf(row.providers),
});

/** A scope that cannot be given: an admin manages every provider's users, so is never scoped. */
function scopeProblem(role: string, providers: Scope | undefined): string | null {
  if (providers === undefined || providers === null) return null;
  if (role === 'admin') return 'providers: an admin manages the whole trust and cannot be limited to providers';
  if (providers.length === 0) return 'providers: give at least one provider, or none at all for every provider';
  const bad = providers.find((p) => !/^[A-Z0-9]{3,10}$/.test(p));
  return bad ? `providers: ${bad} is not an ODS code (3 to 10 capital letters and digits)` : null;
}

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

  add(name: string, role: string, password: string, providers: Scope = null): User {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$/.test(name))
      throw new AppError('invalid_user', 'name: 2-64 letters, digits, _ . @ - starting with a letter or digit', 'name');
    if (!ROLES.includes(role as Role))
      throw new AppError('invalid_user', `role: must be one of ${ROLES.join(', ')}`, 'role');
    const scope = scopeProblem(role, providers);
    if (scope) throw new AppError('invalid_user', scope, 'providers');
    const problem = passwordProblem(password, name);
    if (problem) throw new AppError('invalid_user', problem, 'password');
    const existing = this.byName(name);
    if (existing)
      throw new AppError(
        'user_exists',
        `a user named ${existing.name} already exists (names are the same whatever their case)`,
        'name',
      );
    const info = this.sql(
      'INSERT INTO users (name, role, password_hash, created_at, providers, password_checked) VALUES (?, ?, ?, ?, ?, 1)',
    ).run(name, role, hashPassword(password), this.now(), providers === null ? null : JSON.stringify(providers));
    return { userId: Number(info.lastInsertRowid), name, role: role as Role, providers };
  }

  /** A user by name, whatever its case. */
  private byName(name: string): UserRow | undefined {
    return this.sql(`SELECT ${USER_COLUMNS} FROM users WHERE name = ? COLLATE NOCASE`).get(name) as UserRow | undefined;
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
        `SELECT ${USER_COLUMNS}, created_at AS createdAt FROM users ORDER BY name COLLATE NOCASE`,
      ).all() as (UserRow & {
        createdAt: string;
      })[]
    ).map((u) => ({
      ...userOf(u),
      disabled: u.disabledAt !== null,
      createdAt: u.createdAt,
      passwordChangeRequired: u.passwordChangeRequired === 1,
    }));
  }

  count(): number {
    return this.sql('SELECT count(*) FROM users').pluck().get() as number;
  }

  /**
   * The user for a name and password, or null (the same answer, in the same time, for a wrong name
   * or password, or a disabled user). A password never checked against the policy (kept from an
   * earlier release) is checked now, once: a weak one must be changed before anything else.
   */
  authenticate(name: string, password: string): (User & { passwordChangeRequired: boolean }) | null {
    const user = this.byName(name);
    if (!user) {
      verifyPassword(password, (dummyHash ??= hashPassword('not a real password')));
      return null;
    }
    if (!verifyPassword(password, user.passwordHash) || user.disabledAt !== null) return null;
    let changeRequired = user.passwordChangeRequired === 1;
    if (user.passwordChecked === 0) {
      changeRequired = passwordProblem(password, user.name) !== null;
      this.sql('UPDATE users SET password_checked = 1, password_change_required = ? WHERE user_id = ?').run(
        Number(changeRequired),
        user.userId,
      );
    }
    return { ...userOf(user), passwordChangeRequired: changeRequired };
  }

  /** The signed-in user's own new password (issue #25): the current one must be given; every session ends. */
  changeOwnPassword(userId: number, current: string, next: string): UserEntry {
    const user = this.sql(`SELECT ${USER_COLUMNS} FROM users WHERE user_id = ?`).get(userId) as UserRow | undefined;
    if (!user || !verifyPassword(current, user.passwordHash))
      throw new AppError('invalid_user', 'password: the current password is not right', 'password');
    if (current === next)
      throw new AppError('invalid_user', 'newPassword: must differ from the current password', 'newPassword');
    return this.change(user.name, { password: next });
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

  /** Sets (or, with null, clears) the providers a user sees. */
  setProviders(name: string, providers: Scope): UserEntry {
    return this.change(name, { providers });
  }

  /** Any of the changes at once, all or nothing. Ending sessions or disabling tells the listeners. */
  change(name: string, to: { role?: string; disabled?: boolean; password?: string; providers?: Scope }): UserEntry {
    const user = this.existing(name);
    if (to.role !== undefined && !ROLES.includes(to.role as Role))
      throw new AppError('invalid_user', `role: must be one of ${ROLES.join(', ')}`, 'role');
    const scope = scopeProblem(
      to.role ?? user.role,
      to.providers !== undefined ? to.providers : scopeOf(user.providers),
    );
    if (scope) throw new AppError('invalid_user', scope, to.providers !== undefined ? 'providers' : 'role');
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
        if (hash !== null)
          this.sql(
            'UPDATE users SET password_hash = ?, password_checked = 1, password_change_required = 0 WHERE user_id = ?',
          ).run(hash, user.userId);
        if (to.providers !== undefined)
          this.sql('UPDATE users SET providers = ? WHERE user_id = ?').run(
            to.providers === null ? null : JSON.stringify(to.providers),
            user.userId,
          );
        if (to.disabled || hash !== null) this.sql('DELETE FROM sessions WHERE user_id = ?').run(user.userId);
      })
      .immediate();
    // A narrower scope or role takes effect on the next request; open websockets are checked again too.
    if (to.disabled || hash !== null || to.providers !== undefined || to.role !== undefined) this.accessEnded();
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
            .sql(`SELECT u.user_id AS userId, u.name, u.role, u.providers, u.password_change_required AS changeRequired, NULL AS tokenId
          FROM sessions s JOIN users u USING (user_id) WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`)
        : this.sql(`SELECT u.user_id AS userId, u.name, u.role, u.providers, 0 AS changeRequired, t.token_id AS tokenId
          FROM api_tokens t JOIN users u USING (user_id) WHERE t.token_hash = ? AND t.expires_at > ? AND u.disabled_at IS NULL`)
    ).get(credential.hash, now) as
      | (Pick<UserRow, 'userId' | 'name' | 'role' | 'providers'> & { changeRequired: 0 | 1; tokenId: number | null })
      | undefined;
    if (!row) return null;
    return {
      user: userOf(row),
      credential: row.tokenId === null ? credential : { ...credential, tokenId: row.tokenId },
      // A token is a script's: it never signed in with the password, so its weakness does not hold it back.
      passwordChangeRequired: row.changeRequired === 1,
    };
  }
}
