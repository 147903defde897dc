import type { Migration } from './migration.js';

/** The store's own tables: what the device is and each run of the daemon (store-service.ts). */
export const storeMigrations: readonly Migration[] = [
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
];
