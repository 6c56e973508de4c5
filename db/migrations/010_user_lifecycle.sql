-- Access can be taken away (issue #16): users can be disabled, API tokens have an id to list and
-- revoke them by and an expiry, and a name is unique whatever its case.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- An older database may hold names that differ only in case. The first keeps its name; each later
-- one is renamed NAME-ID and disabled, for an admin to look at (openptl user enable NAME-ID).
UPDATE users SET name = name || '-' || user_id, disabled_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  WHERE EXISTS (SELECT 1 FROM users AS first WHERE first.name = users.name COLLATE NOCASE AND first.user_id < users.user_id);
CREATE UNIQUE INDEX users_name_any_case ON users (name COLLATE NOCASE);

-- A user's sessions are ended together (disabled, password reset); expired ones are pruned.
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Tokens made before this had no expiry: they expire 90 days after the upgrade.
CREATE TABLE api_tokens_with_expiry (
  token_id   INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  label      TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
INSERT INTO api_tokens_with_expiry (token_hash, user_id, created_at, expires_at)
  SELECT token_hash, user_id, created_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days') FROM api_tokens ORDER BY created_at;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_with_expiry RENAME TO api_tokens;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
