import type { Migration } from '../store/migration.js';

/** The evidence's tables: the recordings catalogue, the hash-chained audit log, exports. */
export const evidenceMigrations: readonly Migration[] = [
  {
    version: 2,
    name: 'evidence: recordings catalog, hash-chained audit log, exports',
    sql: `
      CREATE TABLE recordings (
        id              TEXT PRIMARY KEY,
        session_id      TEXT,
        dir             TEXT NOT NULL,
        confidential    INTEGER NOT NULL DEFAULT 0,
        state           TEXT NOT NULL CHECK (state IN ('recording', 'closed', 'recovered')),
        started_at      TEXT NOT NULL,
        ended_at        TEXT,
        events_json     TEXT NOT NULL DEFAULT '[]',
        sealed_at       TEXT,
        deleted_at      TEXT
      ) STRICT;
      CREATE TABLE segments (
        recording_id      TEXT NOT NULL REFERENCES recordings(id),
        idx               INTEGER NOT NULL,
        path              TEXT NOT NULL UNIQUE,
        size_bytes        INTEGER NOT NULL,
        duration_seconds  REAL,
        sha256            TEXT NOT NULL,
        started_at        TEXT NOT NULL,
        ended_at          TEXT NOT NULL,
        registered_at     TEXT NOT NULL,
        recovered         INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (recording_id, idx)
      ) STRICT;
      CREATE TABLE exports (
        id            INTEGER PRIMARY KEY,
        recording_id  TEXT NOT NULL REFERENCES recordings(id),
        target        TEXT NOT NULL,
        encrypted     INTEGER NOT NULL,
        verified      INTEGER NOT NULL,
        bytes         INTEGER NOT NULL,
        actor         TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        finished_at   TEXT NOT NULL
      ) STRICT;
      CREATE TABLE audit_log (
        seq        INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        role       TEXT NOT NULL,
        action     TEXT NOT NULL,
        target     TEXT NOT NULL,
        detail     TEXT,
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
      ) STRICT;
      -- Append-only: casual edits are refused here; deliberate ones are caught by the hash chain.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
];
