import { readinessFleetTriggerMigrationSql, sessionRecorderStopMigrationSql, sessionsMigrationSql } from '../session/migration.js';
import { ptzPresetsMigrationSql } from '../ptz/migration.js';
import { authMigrationSql, identityRequestsMigrationSql } from '../auth/migration.js';
import { fleetLifetimeSeqMigrationSql, fleetMigrationSql } from '../fleet/outbox.js';
import { anchorsMigrationSql } from '../fleet/anchoring.js';
import { fleetOpenAlertsMigrationSql } from '../fleet/room-state/open-alerts.js';

/**
 * Schema versions, applied in order at start-up. A migration is never edited once released:
 * add a new one. `PRAGMA user_version` holds the version reached.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'device metadata',
    sql: `
      CREATE TABLE device_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE daemon_runs (
        id          INTEGER PRIMARY KEY,
        started_at  TEXT NOT NULL,
        stopped_at  TEXT,
        version     TEXT NOT NULL,
        clean_stop  INTEGER NOT NULL DEFAULT 0
      ) STRICT;
    `,
  },
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
  {
    version: 3,
    name: 'sessions: schedule, cases, sealed citizens, session events, readiness runs',
    sql: sessionsMigrationSql,
  },
  {
    version: 4,
    name: 'ptz: named camera presets of the room',
    sql: ptzPresetsMigrationSql,
  },
  {
    version: 5,
    name: 'console accounts and login sessions',
    sql: authMigrationSql,
  },
  {
    version: 6,
    name: 'fleet: outbox of events for the monitoring hub',
    sql: fleetMigrationSql,
  },
  {
    version: 7,
    name: 'sessions: a live session whose recorder stopped by itself',
    sql: sessionRecorderStopMigrationSql,
  },
  {
    version: 8,
    name: 'auth: two-person approval of rights to read identities',
    sql: identityRequestsMigrationSql,
  },
  {
    version: 9,
    name: 'fleet: evidence anchors waiting for central monitoring\'s receipt',
    sql: anchorsMigrationSql,
  },
  {
    version: 10,
    name: 'fleet: message ids unique across database recreations, alerts still open',
    sql: fleetLifetimeSeqMigrationSql + fleetOpenAlertsMigrationSql,
  },
  {
    version: 11,
    name: 'readiness: runs asked for by central monitoring (trigger fleet)',
    sql: readinessFleetTriggerMigrationSql,
  },
];
