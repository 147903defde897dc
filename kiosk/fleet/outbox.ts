import type { Database } from '../store/database.js';
import type { EventTopic } from './nats/subjects.js';

export interface OutboxEntry {
  seq: number;
  at: string;
  topic: EventTopic;
  data: unknown;
}

/**
 * Events waiting for central monitoring (published to JetStream, deleted on its ack), kept in SQLite so a room that is offline for days (or restarts)
 * still reports every readiness test and session change, in order, once it is back.
 */
export class FleetOutbox {
  constructor(
    private readonly db: Database,
    private readonly maxEntries = 10_000,
  ) {}

  async add(topic: EventTopic, data: unknown, at = new Date().toISOString()): Promise<number> {
    const { lastID } = await this.db.run('INSERT INTO fleet_outbox (at, topic, data) VALUES (?, ?, ?)', [
      at,
      topic,
      JSON.stringify(data),
    ]);
    // A room offline for months keeps the newest entries: central monitoring needs today's state more than last spring's.
    await this.db.run('DELETE FROM fleet_outbox WHERE seq <= ?', [lastID - this.maxEntries]);
    return lastID;
  }

  async pending(afterSeq = 0, limit = 500): Promise<OutboxEntry[]> {
    const rows = await this.db.all<{ seq: number; at: string; topic: EventTopic; data: string }>(
      'SELECT seq, at, topic, data FROM fleet_outbox WHERE seq > ? ORDER BY seq LIMIT ?',
      [afterSeq, limit],
    );
    return rows.map((row) => ({ seq: row.seq, at: row.at, topic: row.topic, data: JSON.parse(row.data) }));
  }

  async acknowledge(upTo: number): Promise<number> {
    return (await this.db.run('DELETE FROM fleet_outbox WHERE seq <= ?', [upTo])).changes;
  }

  async size(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM fleet_outbox'))?.n ?? 0;
  }
}

export const fleetMigrationSql = `
  CREATE TABLE fleet_outbox (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    topic  TEXT NOT NULL,
    data   TEXT NOT NULL
  ) STRICT;
`;

/**
 * The message id `room:seq` must never repeat for the room's lifetime, and the stream keeps ids for
 * 24 hours: a database deleted and recreated that counted from 1 again would see its new events
 * dropped as duplicates. So each database starts counting at the time it was made, in microseconds
 * (`Date.now() * 1000`): a later database starts above every id an earlier one could have reached
 * unless that one queued more than a thousand events a millisecond. Still a safe integer until
 * the year 2255. An existing database jumps up to it once; its order is kept.
 */
export const fleetLifetimeSeqMigrationSql = `
  INSERT INTO sqlite_sequence (name, seq) SELECT 'fleet_outbox', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'fleet_outbox');
  UPDATE sqlite_sequence SET seq = max(seq, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) * 1000) WHERE name = 'fleet_outbox';
`;
