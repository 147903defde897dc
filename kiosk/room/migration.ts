import type { Migration } from '../store/migration.js';

/**
 * Calls for the technician, kept across restarts so a waiting call is still shown and can still be
 * acknowledged. At most one waits at a time (the partial unique index): pressing again does not page twice.
 * `acknowledged_by` is a console user (staff), never a citizen.
 */
export const technicianCallsMigrationSql = `
  CREATE TABLE technician_calls (
    id               TEXT PRIMARY KEY,
    source           TEXT NOT NULL CHECK (source IN ('kiosk', 'room-button')),
    session_id       TEXT,
    raised_at        TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('waiting', 'acknowledged')),
    acknowledged_at  TEXT,
    acknowledged_by  TEXT,
    CHECK ((state = 'waiting') = (acknowledged_at IS NULL))
  ) STRICT;
  CREATE INDEX technician_calls_by_raise ON technician_calls (raised_at);
  CREATE UNIQUE INDEX technician_calls_one_waiting ON technician_calls (state) WHERE state = 'waiting';
`;

export const roomMigrations: readonly Migration[] = [
  { version: 12, name: 'room: technician calls kept across restarts', sql: technicianCallsMigrationSql },
];
