import type { Database } from '../../store/database.js';
import type { RoomEvent } from '../nats/events.js';

/**
 * The alerts this room raised and has not cleared (the keys are event-map.ts's), kept in SQLite so
 * a restart does not forget a power cut or a disk still full. Updated when central has the event
 * (its ack), so the count in the KV state agrees with the events stream.
 */
export class OpenAlerts {
  constructor(private readonly db: Database) {}

  /** Idempotent: a replayed event (lost ack) changes nothing. */
  async apply(event: Pick<RoomEvent, 'alert' | 'seq' | 'at'>): Promise<void> {
    if (!event.alert) return;
    if (event.alert.state === 'raised') {
      await this.db.run(
        'INSERT INTO fleet_open_alerts (key, raised_at, seq) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
        [event.alert.key, event.at, event.seq],
      );
    } else {
      await this.db.run('DELETE FROM fleet_open_alerts WHERE key = ?', [event.alert.key]);
    }
  }

  async isOpen(key: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS open FROM fleet_open_alerts WHERE key = ?', [key])) !== undefined;
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM fleet_open_alerts'))?.n ?? 0;
  }
}

export const fleetOpenAlertsMigrationSql = `
  CREATE TABLE fleet_open_alerts (
    key        TEXT PRIMARY KEY,
    raised_at  TEXT NOT NULL,
    seq        INTEGER NOT NULL
  ) STRICT;
`;
