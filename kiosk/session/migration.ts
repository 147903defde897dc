import type { Migration } from '../store/migration.js';

/**
 * Tables of the schedule, cases, citizens, session events and readiness runs, appended to the
 * store's migration list (kiosk/store/migrations.ts). Never edit once released: add a migration.
 */
export const sessionsMigrationSql = `
  CREATE TABLE sessions (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('periodic', 'ad-hoc')),
    title            TEXT NOT NULL,
    chair_site       TEXT NOT NULL,
    bridge_points    TEXT NOT NULL,
    starts_at        TEXT NOT NULL,
    ends_at          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('scheduled', 'preparing', 'ready', 'live', 'ending', 'closed', 'failed', 'aborted')),
    state_since      TEXT NOT NULL,
    origin           TEXT NOT NULL CHECK (origin IN ('console', 'fleet')),
    fleet_id         TEXT UNIQUE,
    fleet_revision   INTEGER,
    recording_id     TEXT,
    recording_dir    TEXT,
    heartbeat_at     TEXT,
    last_segment_end TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
  ) STRICT;
  CREATE INDEX sessions_by_start ON sessions (starts_at);
  CREATE INDEX sessions_by_state ON sessions (state);
  CREATE INDEX sessions_by_recording ON sessions (recording_id);

  CREATE TABLE session_events (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    type        TEXT NOT NULL,
    actor       TEXT,
    data        TEXT NOT NULL DEFAULT '{}'
  ) STRICT;
  CREATE INDEX session_events_by_session ON session_events (session_id, id);

  CREATE TABLE session_cases (
    id            TEXT PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('KN', 'TC', 'KNPA')),
    summary       TEXT NOT NULL,
    flags         TEXT NOT NULL,
    confidential  INTEGER NOT NULL CHECK (confidential IN (0, 1) AND (type <> 'TC' OR confidential = 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  ) STRICT;
  CREATE INDEX session_cases_by_session ON session_cases (session_id, position);

  -- identity_sealed: AES-256-GCM, see kiosk/session/identity-vault.ts. No plain identity column exists.
  CREATE TABLE session_citizens (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES session_cases (id) ON DELETE CASCADE,
    session_id       TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('complainant', 'denouncer', 'petitioner', 'representative')),
    attendance       TEXT NOT NULL CHECK (attendance IN ('expected', 'present', 'absent')),
    identity_sealed  BLOB NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
  ) STRICT;
  CREATE INDEX session_citizens_by_session ON session_citizens (session_id, position);

  CREATE TABLE readiness_runs (
    id           TEXT PRIMARY KEY,
    session_id   TEXT REFERENCES sessions (id) ON DELETE SET NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('day-before', 'two-hours', 'on-demand')),
    trigger      TEXT NOT NULL CHECK (trigger IN ('scheduler', 'console', 'kiosk')),
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    overall      TEXT NOT NULL CHECK (overall IN ('pass', 'warn', 'fail')),
    results      TEXT NOT NULL
  ) STRICT;
  CREATE INDEX readiness_runs_by_session ON readiness_runs (session_id, started_at);
  CREATE INDEX readiness_runs_by_start ON readiness_runs (started_at);
`;

/**
 * A live session whose recorder stopped by itself (disk full, pipeline failure) stays live (people
 * are in the room, the link may still work) but is marked as not recorded until recording resumes.
 */
export const sessionRecorderStopMigrationSql = `
  ALTER TABLE sessions ADD COLUMN recorder_stopped_at TEXT;
  ALTER TABLE sessions ADD COLUMN recorder_stop_cause TEXT;
`;

/**
 * Central monitoring's `run-readiness` command records its run with trigger 'fleet', which the first
 * table's CHECK refused (SQLITE_CONSTRAINT). SQLite cannot change a CHECK in place: the table is
 * rebuilt with the same rows (nothing references it).
 */
export const readinessFleetTriggerMigrationSql = `
  CREATE TABLE readiness_runs_v2 (
    id           TEXT PRIMARY KEY,
    session_id   TEXT REFERENCES sessions (id) ON DELETE SET NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('day-before', 'two-hours', 'on-demand')),
    trigger      TEXT NOT NULL CHECK (trigger IN ('scheduler', 'console', 'kiosk', 'fleet')),
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    overall      TEXT NOT NULL CHECK (overall IN ('pass', 'warn', 'fail')),
    results      TEXT NOT NULL
  ) STRICT;
  INSERT INTO readiness_runs_v2 SELECT id, session_id, kind, trigger, started_at, finished_at, overall, results FROM readiness_runs;
  DROP TABLE readiness_runs;
  ALTER TABLE readiness_runs_v2 RENAME TO readiness_runs;
  CREATE INDEX readiness_runs_by_session ON readiness_runs (session_id, started_at);
  CREATE INDEX readiness_runs_by_start ON readiness_runs (started_at);
`;

export const sessionMigrations: readonly Migration[] = [
  {
    version: 3,
    name: 'sessions: schedule, cases, sealed citizens, session events, readiness runs',
    sql: sessionsMigrationSql,
  },
  {
    version: 7,
    name: 'sessions: a live session whose recorder stopped by itself',
    sql: sessionRecorderStopMigrationSql,
  },
  {
    version: 11,
    name: 'readiness: runs asked for by central monitoring (trigger fleet)',
    sql: readinessFleetTriggerMigrationSql,
  },
];
