import type { Migration } from '../store/migration.js';

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

/**
 * A console request that would give someone the right to read denouncers' identities (a new
 * account with such a role, a new password for an account that has one, or enabling one again):
 * it waits for a second holder of that right, who sets the password. It carries no password.
 */
export const identityRequestsMigrationSql = `
  CREATE TABLE identity_requests (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('create', 'password', 'enable')),
    username       TEXT NOT NULL,
    display_name   TEXT,
    role           TEXT NOT NULL,
    requested_by   TEXT NOT NULL,
    requested_at   TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused', 'expired')),
    decided_by     TEXT,
    decided_at     TEXT
  ) STRICT;
`;

export const authMigrations: readonly Migration[] = [
  { version: 5, name: 'console accounts and login sessions', sql: authMigrationSql },
  { version: 8, name: 'auth: two-person approval of rights to read identities', sql: identityRequestsMigrationSql },
];
