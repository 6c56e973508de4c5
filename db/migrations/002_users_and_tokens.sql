-- People and scripts that may use OpenPTL. Passwords and tokens are stored only as hashes.
CREATE TABLE users (
  user_id       INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'tracker', 'admin')),
  password_hash TEXT NOT NULL,                  -- scrypt$N$r$p$salt$hash
  created_at    TEXT NOT NULL
);

-- Browser sessions (HttpOnly cookie) and API tokens (bearer), both looked up by SHA-256 of the secret.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  expires_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  created_at TEXT NOT NULL
);
