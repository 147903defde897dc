/** Console accounts and their login sessions (only a hash of each session token is stored). */
export const authMigrationSql = `
  CREATE TABLE console_users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
  ) STRICT;
  CREATE TABLE console_sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES console_users(id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    address       TEXT
  ) STRICT;
  CREATE INDEX console_sessions_user ON console_sessions(user_id);
`;
