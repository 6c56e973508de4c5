-- Roles and scope (issue #25). Six roles instead of three; a scope of providers per user; a
-- password kept from before the password policy is checked at its next sign-in and, if weak, must
-- be changed. The table is made again (SQLite cannot change a CHECK); the migrations run with
-- foreign keys off, so the sessions and tokens that name a user are kept (src/store/db.ts).
CREATE TABLE users_v2 (
  user_id       INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'steward', 'tracker', 'mdt_coordinator', 'data_manager', 'admin')),
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  disabled_at   TEXT,
  providers     TEXT,                             -- JSON array of ODS codes the user sees; NULL: every provider
  password_checked          INTEGER NOT NULL DEFAULT 0 CHECK (password_checked IN (0, 1)),          -- set, or checked at sign-in, under the policy
  password_change_required  INTEGER NOT NULL DEFAULT 0 CHECK (password_change_required IN (0, 1))   -- weak: a session may only change it
);
-- Viewers read patient lists until now; a viewer now sees counts only, so today's viewers become
-- stewards (counts and patient lists, read only): nobody loses what they had.
INSERT INTO users_v2 (user_id, name, role, password_hash, created_at, disabled_at)
  SELECT user_id, name, CASE role WHEN 'viewer' THEN 'steward' ELSE role END, password_hash, created_at, disabled_at
  FROM users ORDER BY user_id;
INSERT INTO access_log (at, actor, action, detail)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system:upgrade', 'role_changed',
    json_object('user', name, 'role', 'steward', 'from', 'viewer',
      'why', 'viewers now see counts only; stewards see counts and patient lists, as viewers did')
  FROM users WHERE role = 'viewer' ORDER BY user_id;
DROP TABLE users;
ALTER TABLE users_v2 RENAME TO users;
CREATE UNIQUE INDEX users_name_any_case ON users (name COLLATE NOCASE);

-- Every provider a pathway has been at (its referral's, and each it was transferred to, even by a
-- transfer later voided): a user scoped to a provider sees the pathways that provider has held.
-- Written with each event (src/pathways/project.ts) and by a rebuild; filled here from the events.
CREATE TABLE pathway_providers (
  pathway_id TEXT NOT NULL,
  provider   TEXT NOT NULL,
  PRIMARY KEY (pathway_id, provider)
) WITHOUT ROWID;
CREATE INDEX pathway_providers_by_provider ON pathway_providers (provider, pathway_id);
INSERT OR IGNORE INTO pathway_providers (pathway_id, provider)
  SELECT pathway_id, json_extract(data, '$.provider') FROM events
  WHERE type = 'referral_received' AND json_extract(data, '$.provider') IS NOT NULL;
INSERT OR IGNORE INTO pathway_providers (pathway_id, provider)
  SELECT pathway_id, json_extract(data, '$.toProvider') FROM events WHERE type = 'transferred';
