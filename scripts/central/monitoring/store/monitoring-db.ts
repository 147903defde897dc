import { createHash } from 'node:crypto';
import { Database } from '../../../../kiosk/store/database.js';
import type { RoomEvent } from '../../../../kiosk/fleet/nats/events.js';
import type { RoomState } from '../../../../kiosk/fleet/nats/state.js';
import { alertStep, type AlertRecord } from '../domain/alerts.js';
import {
  bucketPoint,
  bucketStart,
  figuresOf,
  type TelemetryFigures,
  type TelemetryPicture,
  type TelemetryPoint,
} from '../domain/telemetry-figures.js';
import type { OpenAlertView } from '../domain/room-view.js';

/**
 * The monitoring service's history, in SQLite: events de-duplicated on (room, seq), alerts opened and
 * closed under their key, rooms' latest states, telemetry downsampled into 5-minute buckets, and the
 * operators, their sessions and the audit of commands. Several service instances may share the file
 * (WAL, busy timeout): every write that must happen once is a single statement or one transaction.
 * Times are milliseconds since the epoch, on central's clock unless the column says otherwise.
 */
const schema = `
CREATE TABLE IF NOT EXISTS events (
  room TEXT NOT NULL, seq INTEGER NOT NULL,
  at TEXT NOT NULL, topic TEXT NOT NULL, severity TEXT NOT NULL,
  alert_key TEXT, alert_state TEXT, data TEXT NOT NULL,
  stream_seq INTEGER NOT NULL, stored_ms INTEGER NOT NULL,
  PRIMARY KEY (room, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_time ON events (room, stored_ms);
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY, room TEXT NOT NULL, key TEXT NOT NULL, topic TEXT NOT NULL, severity TEXT NOT NULL,
  raised_seq INTEGER NOT NULL, raised_at TEXT NOT NULL, last_seq INTEGER NOT NULL,
  cleared_seq INTEGER, cleared_at TEXT
);
CREATE INDEX IF NOT EXISTS alerts_by_key ON alerts (room, key, id);
CREATE INDEX IF NOT EXISTS alerts_open ON alerts (room) WHERE cleared_seq IS NULL;
CREATE TABLE IF NOT EXISTS room_states (room TEXT PRIMARY KEY, revision INTEGER NOT NULL, state TEXT NOT NULL, written_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS room_seen (room TEXT PRIMARY KEY, seen_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS telemetry_latest (room TEXT PRIMARY KEY, seq INTEGER NOT NULL, at TEXT NOT NULL, picture TEXT NOT NULL, received_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS telemetry_buckets (
  room TEXT NOT NULL, bucket_ms INTEGER NOT NULL, samples INTEGER NOT NULL,
  cpu_sum REAL NOT NULL, cpu_n INTEGER NOT NULL, cpu_max REAL, temp_max REAL, mem_max REAL, disk_max REAL,
  PRIMARY KEY (room, bucket_ms)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS operators (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS operator_sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES operators(username) ON DELETE CASCADE, expires_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS command_audit (
  id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, operator TEXT NOT NULL, room TEXT NOT NULL, command TEXT NOT NULL,
  args TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_room ON command_audit (room, id);
`;

export interface StoredEventRow {
  seq: number;
  at: string;
  topic: string;
  severity: string;
  alert: RoomEvent['alert'] | null;
  data: unknown;
  storedAt: string;
}

export interface AlertRow {
  key: string;
  topic: string;
  severity: string;
  raisedAt: string;
  clearedAt: string | null;
}

export interface AuditRow {
  at: string;
  operator: string;
  room: string;
  command: string;
  outcome: string;
  detail: string | null;
}

export interface RoomRecords {
  state: RoomState | undefined;
  lastSeenAt: string | null;
  openAlerts: OpenAlertView[];
  figures: TelemetryFigures | null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();

export class MonitoringStore {
  private constructor(private readonly db: Database) {}

  static async open(path: string): Promise<MonitoringStore> {
    const db = await Database.open(path);
    // busy_timeout first: another instance may hold the write lock while this one sets up.
    await db.exec(
      'PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;',
    );
    await db.transaction((tx) => tx.exec(schema));
    return new MonitoringStore(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /**
   * Stores an event once per (room, seq), and in the same transaction applies it to the room's
   * alerts. `duplicate` when the store already held it (a replay beyond the stream's duplicate
   * window, or a redelivery after an ack was lost).
   */
  recordEvent(roomId: string, event: RoomEvent, streamSeq: number, storedMs: number): Promise<'stored' | 'duplicate'> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.run(
        'INSERT OR IGNORE INTO events (room, seq, at, topic, severity, alert_key, alert_state, data, stream_seq, stored_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          roomId,
          event.seq,
          event.at,
          event.topic,
          event.severity,
          event.alert?.key ?? null,
          event.alert?.state ?? null,
          JSON.stringify(event.data),
          streamSeq,
          storedMs,
        ],
      );
      if (inserted.changes === 0) return 'duplicate';
      await this.#seen(tx, roomId, storedMs);
      if (!event.alert) return 'stored';
      const latest = await tx.get<{ id: number; raised_seq: number; cleared_seq: number | null }>(
        'SELECT id, raised_seq, cleared_seq FROM alerts WHERE room = ? AND key = ? ORDER BY id DESC LIMIT 1',
        [roomId, event.alert.key],
      );
      const record: AlertRecord | undefined = latest
        ? { raisedSeq: latest.raised_seq, clearedSeq: latest.cleared_seq }
        : undefined;
      const step = alertStep(record, event);
      if (step.kind === 'open') {
        await tx.run(
          'INSERT INTO alerts (room, key, topic, severity, raised_seq, raised_at, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [roomId, event.alert.key, event.topic, event.severity, event.seq, event.at, event.seq],
        );
      } else if (step.kind === 'refresh') {
        await tx.run('UPDATE alerts SET last_seq = ?, severity = ? WHERE id = ?', [
          event.seq,
          event.severity,
          latest!.id,
        ]);
      } else if (step.kind === 'close') {
        await tx.run('UPDATE alerts SET cleared_seq = ?, cleared_at = ? WHERE id = ?', [
          event.seq,
          event.at,
          latest!.id,
        ]);
      }
      return 'stored';
    });
  }

  /** The room's latest state from the KV bucket; an older revision (a second instance's late write) never replaces a newer one. */
  putState(roomId: string, state: RoomState, revision: number, writtenMs: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO room_states (room, revision, state, written_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (room) DO UPDATE SET revision = excluded.revision, state = excluded.state, written_ms = excluded.written_ms WHERE excluded.revision > room_states.revision`,
        [roomId, revision, JSON.stringify(state), writtenMs],
      );
      await this.#seen(tx, roomId, writtenMs);
    });
  }

  /** A telemetry sample, already merged into the room's picture: the latest is kept whole, the history as 5-minute buckets. */
  addTelemetry(roomId: string, picture: TelemetryPicture, seq: number, receivedMs: number): Promise<void> {
    const figures = figuresOf(picture);
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO telemetry_latest (room, seq, at, picture, received_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (room) DO UPDATE SET seq = excluded.seq, at = excluded.at, picture = excluded.picture, received_ms = excluded.received_ms`,
        [roomId, seq, picture.at, JSON.stringify(picture), receivedMs],
      );
      await tx.run(
        `INSERT INTO telemetry_buckets (room, bucket_ms, samples, cpu_sum, cpu_n, cpu_max, temp_max, mem_max, disk_max) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (room, bucket_ms) DO UPDATE SET samples = samples + 1, cpu_sum = cpu_sum + excluded.cpu_sum, cpu_n = cpu_n + excluded.cpu_n,
           cpu_max = max(coalesce(cpu_max, excluded.cpu_max), coalesce(excluded.cpu_max, cpu_max)),
           temp_max = max(coalesce(temp_max, excluded.temp_max), coalesce(excluded.temp_max, temp_max)),
           mem_max = max(coalesce(mem_max, excluded.mem_max), coalesce(excluded.mem_max, mem_max)),
           disk_max = max(coalesce(disk_max, excluded.disk_max), coalesce(excluded.disk_max, disk_max))`,
        [
          roomId,
          bucketStart(picture.at),
          figures.cpuPct ?? 0,
          figures.cpuPct === null ? 0 : 1,
          figures.cpuPct,
          figures.cpuTempC,
          figures.memUsedPct,
          figures.diskUsedPct,
        ],
      );
      await this.#seen(tx, roomId, receivedMs);
    });
  }

  async pruneTelemetry(beforeMs: number): Promise<number> {
    return (await this.db.run('DELETE FROM telemetry_buckets WHERE bucket_ms < ?', [bucketStart(beforeMs)])).changes;
  }

  /** The room answered a command: it is there, whatever it last published. */
  async roomAnswered(roomId: string, ms: number): Promise<void> {
    await this.#seen(this.db, roomId, ms);
  }

  #seen(tx: Database, roomId: string, ms: number) {
    return tx.run(
      'INSERT INTO room_seen (room, seen_ms) VALUES (?, ?) ON CONFLICT (room) DO UPDATE SET seen_ms = max(seen_ms, excluded.seen_ms)',
      [roomId, ms],
    );
  }

  /** Every room's latest records, by room id (rooms central has heard from). */
  async allRoomRecords(): Promise<Map<string, RoomRecords>> {
    const records = new Map<string, RoomRecords>();
    const of = (room: string) => {
      let r = records.get(room);
      if (!r) {
        r = { state: undefined, lastSeenAt: null, openAlerts: [], figures: null };
        records.set(room, r);
      }
      return r;
    };
    for (const row of await this.db.all<{ room: string; state: string }>('SELECT room, state FROM room_states'))
      of(row.room).state = JSON.parse(row.state);
    for (const row of await this.db.all<{ room: string; seen_ms: number }>('SELECT room, seen_ms FROM room_seen'))
      of(row.room).lastSeenAt = iso(row.seen_ms);
    for (const row of await this.db.all<{
      room: string;
      key: string;
      topic: string;
      severity: string;
      raised_at: string;
    }>('SELECT room, key, topic, severity, raised_at FROM alerts WHERE cleared_seq IS NULL ORDER BY id')) {
      of(row.room).openAlerts.push({ key: row.key, topic: row.topic, severity: row.severity, raisedAt: row.raised_at });
    }
    for (const row of await this.db.all<{ room: string; picture: string }>(
      'SELECT room, picture FROM telemetry_latest',
    ))
      of(row.room).figures = figuresOf(JSON.parse(row.picture));
    return records;
  }

  async events(roomId: string, limit = 200): Promise<StoredEventRow[]> {
    const rows = await this.db.all<{
      seq: number;
      at: string;
      topic: string;
      severity: string;
      alert_key: string | null;
      alert_state: 'raised' | 'cleared' | null;
      data: string;
      stored_ms: number;
    }>(
      'SELECT seq, at, topic, severity, alert_key, alert_state, data, stored_ms FROM events WHERE room = ? ORDER BY seq DESC LIMIT ?',
      [roomId, limit],
    );
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      topic: r.topic,
      severity: r.severity,
      alert: r.alert_key && r.alert_state ? { key: r.alert_key, state: r.alert_state } : null,
      data: JSON.parse(r.data),
      storedAt: iso(r.stored_ms),
    }));
  }

  /** Every stored event's (room, seq), for tests and checks: how many times each was stored. */
  async eventKeys(): Promise<{ room: string; seq: number }[]> {
    return this.db.all('SELECT room, seq FROM events ORDER BY room, seq');
  }

  async alerts(roomId: string, limit = 100): Promise<AlertRow[]> {
    const rows = await this.db.all<{
      key: string;
      topic: string;
      severity: string;
      raised_at: string;
      cleared_at: string | null;
    }>(
      'SELECT key, topic, severity, raised_at, cleared_at FROM alerts WHERE room = ? ORDER BY cleared_seq IS NOT NULL, id DESC LIMIT ?',
      [roomId, limit],
    );
    return rows.map((r) => ({
      key: r.key,
      topic: r.topic,
      severity: r.severity,
      raisedAt: r.raised_at,
      clearedAt: r.cleared_at,
    }));
  }

  async telemetry(roomId: string, sinceMs: number): Promise<TelemetryPoint[]> {
    const rows = await this.db.all<{
      bucket_ms: number;
      samples: number;
      cpu_sum: number;
      cpu_n: number;
      cpu_max: number | null;
      temp_max: number | null;
      mem_max: number | null;
      disk_max: number | null;
    }>('SELECT * FROM telemetry_buckets WHERE room = ? AND bucket_ms >= ? ORDER BY bucket_ms', [roomId, sinceMs]);
    return rows.map((r) =>
      bucketPoint(r.bucket_ms, {
        samples: r.samples,
        cpuSum: r.cpu_sum,
        cpuN: r.cpu_n,
        cpuMax: r.cpu_max,
        tempMax: r.temp_max,
        memMax: r.mem_max,
        diskMax: r.disk_max,
      }),
    );
  }

  async operatorCount(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM operators'))!.n;
  }

  async addOperator(username: string, passwordHash: string): Promise<void> {
    await this.db.run(
      'INSERT INTO operators (username, password_hash, created_ms) VALUES (?, ?, ?) ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash',
      [username, passwordHash, Date.now()],
    );
    // A new password ends the operator's open sessions.
    await this.db.run('DELETE FROM operator_sessions WHERE username = ?', [username]);
  }

  async passwordHash(username: string): Promise<string | undefined> {
    return (
      await this.db.get<{ password_hash: string }>('SELECT password_hash FROM operators WHERE username = ?', [username])
    )?.password_hash;
  }

  /** Only a hash of the token is stored: a copy of the database opens no session. */
  async createSession(token: string, username: string, expiresMs: number): Promise<void> {
    await this.db.run('DELETE FROM operator_sessions WHERE expires_ms < ?', [Date.now()]);
    await this.db.run('INSERT INTO operator_sessions (token_hash, username, expires_ms) VALUES (?, ?, ?)', [
      hashToken(token),
      username,
      expiresMs,
    ]);
  }

  async sessionUser(token: string, nowMs: number): Promise<string | undefined> {
    return (
      await this.db.get<{ username: string }>(
        'SELECT username FROM operator_sessions WHERE token_hash = ? AND expires_ms > ?',
        [hashToken(token), nowMs],
      )
    )?.username;
  }

  async endSession(token: string): Promise<void> {
    await this.db.run('DELETE FROM operator_sessions WHERE token_hash = ?', [hashToken(token)]);
  }

  /** Written before the command is sent: an audit row exists for every command that may have acted. */
  async auditStart(
    entry: { operator: string; room: string; command: string; args: unknown },
    atMs: number,
  ): Promise<number> {
    return (
      await this.db.run(
        "INSERT INTO command_audit (at_ms, operator, room, command, args, outcome) VALUES (?, ?, ?, ?, ?, 'sent')",
        [atMs, entry.operator, entry.room, entry.command, JSON.stringify(entry.args ?? {})],
      )
    ).lastID;
  }

  async auditFinish(id: number, outcome: string, detail: string | null): Promise<void> {
    await this.db.run('UPDATE command_audit SET outcome = ?, detail = ? WHERE id = ?', [outcome, detail, id]);
  }

  async auditOf(roomId: string, limit = 50): Promise<AuditRow[]> {
    const rows = await this.db.all<{
      at_ms: number;
      operator: string;
      room: string;
      command: string;
      outcome: string;
      detail: string | null;
    }>(
      'SELECT at_ms, operator, room, command, outcome, detail FROM command_audit WHERE room = ? ORDER BY id DESC LIMIT ?',
      [roomId, limit],
    );
    return rows.map((r) => ({
      at: iso(r.at_ms),
      operator: r.operator,
      room: r.room,
      command: r.command,
      outcome: r.outcome,
      detail: r.detail,
    }));
  }
}
