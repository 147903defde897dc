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
];
