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
  constructor(private readonly db: Database, private readonly maxEntries = 10_000) {}

  async add(topic: EventTopic, data: unknown, at = new Date().toISOString()): Promise<number> {
    const { lastID } = await this.db.run('INSERT INTO fleet_outbox (at, topic, data) VALUES (?, ?, ?)', [at, topic, JSON.stringify(data)]);
    // A room offline for months keeps the newest entries: central monitoring needs today's state more than last spring's.
    await this.db.run('DELETE FROM fleet_outbox WHERE seq <= ?', [lastID - this.maxEntries]);
    return lastID;
  }

  async pending(afterSeq = 0, limit = 500): Promise<OutboxEntry[]> {
    const rows = await this.db.all<{ seq: number; at: string; topic: EventTopic; data: string }>('SELECT seq, at, topic, data FROM fleet_outbox WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, limit]);
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
