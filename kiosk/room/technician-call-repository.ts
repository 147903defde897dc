import type { Database } from '../store/database.js';
import type { TechnicianCall } from './technician-call.js';

interface Row {
  id: string;
  source: TechnicianCall['source'];
  session_id: string | null;
  raised_at: string;
  state: TechnicianCall['state'];
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

const COLUMNS = 'id, source, session_id, raised_at, state, acknowledged_at, acknowledged_by';

/** The technician calls in SQLite (table `technician_calls`, kiosk/room/migration.ts). */
export class TechnicianCallRepository {
  constructor(
    private readonly db: Database,
    /** How many calls are kept; older ones live on in the audit log and at central monitoring. */
    private readonly kept: number,
  ) {}

  /** The latest calls, oldest first. */
  async recent(): Promise<TechnicianCall[]> {
    const rows = await this.db.all<Row>(
      `SELECT ${COLUMNS} FROM (SELECT rowid AS n, * FROM technician_calls ORDER BY rowid DESC LIMIT ?) ORDER BY n`,
      [this.kept],
    );
    return rows.map(toCall);
  }

  async get(id: string): Promise<TechnicianCall | undefined> {
    const row = await this.db.get<Row>(`SELECT ${COLUMNS} FROM technician_calls WHERE id = ?`, [id]);
    return row ? toCall(row) : undefined;
  }

  /**
   * Stores `call` unless one is already waiting, which is returned instead (`created` false), in one
   * transaction so two presses at once page once. Calls beyond the kept number are dropped.
   */
  insertUnlessWaiting(call: TechnicianCall): Promise<{ call: TechnicianCall; created: boolean }> {
    return this.db.transaction(async (db) => {
      const waiting = await db.get<Row>(`SELECT ${COLUMNS} FROM technician_calls WHERE state = 'waiting'`);
      if (waiting) return { call: toCall(waiting), created: false };
      await db.run(`INSERT INTO technician_calls (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
        call.id,
        call.source,
        call.sessionId,
        call.raisedAt,
        call.state,
        call.acknowledgedAt,
        call.acknowledgedBy,
      ]);
      await db.run(
        `DELETE FROM technician_calls WHERE rowid NOT IN (SELECT rowid FROM technician_calls ORDER BY rowid DESC LIMIT ?)`,
        [this.kept],
      );
      return { call, created: true };
    });
  }

  /** Marks a waiting call acknowledged; false when it was not waiting (already acknowledged, or gone). */
  async acknowledge(id: string, at: string, by: string): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE technician_calls SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?
       WHERE id = ? AND state = 'waiting'`,
      [at, by, id],
    );
    return changes === 1;
  }
}

function toCall(row: Row): TechnicianCall {
  return {
    id: row.id,
    source: row.source,
    sessionId: row.session_id,
    raisedAt: row.raised_at,
    state: row.state,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
  };
}
