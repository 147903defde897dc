import { randomUUID } from 'node:crypto';
import type { Database, SqlValue } from '../store/database.js';
import type { SessionEventType } from './types.js';
import type { Attendance, CaseFlags, CaseInput, CitizenRole, ScheduleInput } from './schemas.js';
import type { SessionState } from './state-machine.js';
import type { CaseRecord, CitizenRecord, SessionEvent, SessionRecord } from './types.js';
import { SerialQueue } from '../core/serial-queue.js';

/** A new event, before it has an id. */
export interface NewEvent {
  type: SessionEventType;
  at: string;
  actor?: string | null;
  data?: Record<string, unknown>;
}

type Row = Record<string, SqlValue>;

/**
 * SQLite access for schedule, cases, citizens and session events (tables of migration
 * "sessions"). Writes go through one queue: the sqlite3 wrapper's transactions must not interleave.
 */
export class SessionStore {
  /** Writes one at a time, so a transaction never has a foreign statement inside it. */
  readonly #writes = new SerialQueue();

  constructor(private readonly db: Database) {}

  #serial<T>(work: () => Promise<T>): Promise<T> {
    return this.#writes.run(work);
  }

  // ── schedule ────────────────────────────────────────────────────────────────────────────────

  createSession(
    input: ScheduleInput,
    origin: SessionRecord['origin'],
    at: string,
    fleet?: { fleetId: string; revision: number },
  ): Promise<SessionRecord> {
    const id = randomUUID();
    return this.#serial(() =>
      this.db.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO sessions (id, kind, title, chair_site, bridge_points, starts_at, ends_at, state, state_since, origin, fleet_id, fleet_revision, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?, ?)`,
          [
            id,
            input.kind,
            input.title,
            JSON.stringify(input.chairSite),
            JSON.stringify(input.bridgePoints),
            input.startsAt,
            input.endsAt,
            at,
            origin,
            fleet?.fleetId ?? null,
            fleet?.revision ?? null,
            at,
            at,
          ],
        );
        await insertEvent(tx, id, { type: 'scheduled', at, data: { origin } });
        return (await this.#getWith(tx, id))!;
      }),
    );
  }

  updateSchedule(id: string, input: ScheduleInput, at: string, fleetRevision?: number): Promise<SessionRecord> {
    return this.#serial(() =>
      this.db.transaction(async (tx) => {
        await tx.run(
          `UPDATE sessions SET kind = ?, title = ?, chair_site = ?, bridge_points = ?, starts_at = ?, ends_at = ?, fleet_revision = COALESCE(?, fleet_revision), updated_at = ? WHERE id = ?`,
          [
            input.kind,
            input.title,
            JSON.stringify(input.chairSite),
            JSON.stringify(input.bridgePoints),
            input.startsAt,
            input.endsAt,
            fleetRevision ?? null,
            at,
            id,
          ],
        );
        await insertEvent(tx, id, {
          type: 'rescheduled',
          at,
          data: { startsAt: input.startsAt, endsAt: input.endsAt },
        });
        return (await this.#getWith(tx, id))!;
      }),
    );
  }

  getSession(id: string): Promise<SessionRecord | undefined> {
    return this.#getWith(this.db, id);
  }

  async getByFleetId(fleetId: string): Promise<SessionRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM sessions WHERE fleet_id = ?', [fleetId]);
    return row ? sessionFromRow(row) : undefined;
  }

  /** Sessions overlapping [from, to), by start time. */
  async listSessions(range: { from?: string; to?: string } = {}): Promise<SessionRecord[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM sessions WHERE (? IS NULL OR ends_at > ?) AND (? IS NULL OR starts_at < ?) ORDER BY starts_at, id`,
      [range.from ?? null, range.from ?? null, range.to ?? null, range.to ?? null],
    );
    return rows.map(sessionFromRow);
  }

  async sessionsInStates(states: readonly SessionState[]): Promise<SessionRecord[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM sessions WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY starts_at, id`,
      [...states],
    );
    return rows.map(sessionFromRow);
  }

  /**
   * Moves a session to `to` only if it is still in `from`, and writes its event in the same
   * transaction: the state and its history never disagree, even across a crash.
   */
  applyTransition(
    id: string,
    from: SessionState,
    to: SessionState,
    event: NewEvent,
    recording?: { recordingId: string; recordingDir: string },
  ): Promise<SessionRecord> {
    return this.#serial(() =>
      this.db.transaction(async (tx) => {
        const { changes } = await tx.run(
          `UPDATE sessions SET state = ?, state_since = ?, updated_at = ?, recording_id = COALESCE(?, recording_id), recording_dir = COALESCE(?, recording_dir),
             recorder_stopped_at = CASE WHEN ? IN ('live', 'ending') THEN recorder_stopped_at END, recorder_stop_cause = CASE WHEN ? IN ('live', 'ending') THEN recorder_stop_cause END,
             heartbeat_at = CASE WHEN ? = 'live' THEN ? ELSE heartbeat_at END
           WHERE id = ? AND state = ?`,
          [
            to,
            event.at,
            event.at,
            recording?.recordingId ?? null,
            recording?.recordingDir ?? null,
            to,
            to,
            to,
            event.at,
            id,
            from,
          ],
        );
        if (changes !== 1) throw new Error(`session ${id} is no longer ${from}`);
        await insertEvent(tx, id, event);
        return (await this.#getWith(tx, id))!;
      }),
    );
  }

  addEvent(sessionId: string, event: NewEvent): Promise<SessionEvent> {
    return this.#serial(async () => {
      const { lastID } = await insertEvent(this.db, sessionId, event);
      return {
        id: lastID,
        sessionId,
        at: event.at,
        type: event.type,
        actor: event.actor ?? null,
        data: event.data ?? {},
      };
    });
  }

  async events(sessionId: string): Promise<SessionEvent[]> {
    const rows = await this.db.all<Row>('SELECT * FROM session_events WHERE session_id = ? ORDER BY id', [sessionId]);
    return rows.map((row) => ({
      id: Number(row.id),
      sessionId: String(row.session_id),
      at: String(row.at),
      type: String(row.type) as SessionEventType,
      actor: row.actor === null ? null : String(row.actor),
      data: JSON.parse(String(row.data)) as Record<string, unknown>,
    }));
  }

  /** Marks (or, with null, clears) a live session's recorder as stopped by itself. */
  setRecorderStopped(id: string, stop: { at: string; cause: string } | null): Promise<SessionRecord | undefined> {
    return this.#serial(async () => {
      await this.db.run('UPDATE sessions SET recorder_stopped_at = ?, recorder_stop_cause = ? WHERE id = ?', [
        stop?.at ?? null,
        stop?.cause ?? null,
        id,
      ]);
      return this.getSession(id);
    });
  }

  heartbeat(id: string, at: string): Promise<void> {
    return this.#serial(async () => {
      await this.db.run(`UPDATE sessions SET heartbeat_at = ? WHERE id = ? AND state = 'live'`, [at, id]);
    });
  }

  /** Keeps the latest segment end only (segments may be reported out of order after a restart). */
  segmentClosed(recordingId: string, endedAt: string): Promise<void> {
    return this.#serial(async () => {
      await this.db.run(
        `UPDATE sessions SET last_segment_end = ? WHERE recording_id = ? AND (last_segment_end IS NULL OR julianday(last_segment_end) < julianday(?))`,
        [endedAt, recordingId, endedAt],
      );
    });
  }

  // ── cases and citizens ──────────────────────────────────────────────────────────────────────

  addCase(sessionId: string, input: CaseInput, at: string): Promise<CaseRecord> {
    const id = randomUUID();
    const confidential = input.type === 'TC' ? true : (input.confidential ?? false);
    return this.#serial(async () => {
      await this.db.run(
        `INSERT INTO session_cases (id, session_id, position, type, summary, flags, confidential, created_at, updated_at)
         VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM session_cases WHERE session_id = ?), ?, ?, ?, ?, ?, ?)`,
        [
          id,
          sessionId,
          sessionId,
          input.type,
          input.summary,
          JSON.stringify(input.flags),
          confidential ? 1 : 0,
          at,
          at,
        ],
      );
      return (await this.getCase(id))!;
    });
  }

  /** Confidentiality only ever rises: an update that leaves it out, or says false, never unmasks anyone. */
  updateCase(id: string, input: CaseInput, at: string): Promise<CaseRecord> {
    const confidential = input.type === 'TC' || input.confidential === true;
    return this.#serial(async () => {
      await this.db.run(
        'UPDATE session_cases SET type = ?, summary = ?, flags = ?, confidential = MAX(confidential, ?), updated_at = ? WHERE id = ?',
        [input.type, input.summary, JSON.stringify(input.flags), confidential ? 1 : 0, at, id],
      );
      return (await this.getCase(id))!;
    });
  }

  async getCase(id: string): Promise<CaseRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM session_cases WHERE id = ?', [id]);
    return row ? caseFromRow(row) : undefined;
  }

  async cases(sessionId: string): Promise<CaseRecord[]> {
    const rows = await this.db.all<Row>('SELECT * FROM session_cases WHERE session_id = ? ORDER BY position', [
      sessionId,
    ]);
    return rows.map(caseFromRow);
  }

  /** `seal` receives the new citizen's id, to bind the sealed identity to its row. */
  addCitizen(
    caseRecord: CaseRecord,
    role: CitizenRole,
    attendance: Attendance,
    seal: (citizenId: string) => Buffer,
    at: string,
  ): Promise<CitizenRecord> {
    const id = randomUUID();
    return this.#serial(async () => {
      await this.db.run(
        `INSERT INTO session_citizens (id, case_id, session_id, position, role, attendance, identity_sealed, created_at, updated_at)
         VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM session_citizens WHERE session_id = ?), ?, ?, ?, ?, ?)`,
        [id, caseRecord.id, caseRecord.sessionId, caseRecord.sessionId, role, attendance, seal(id), at, at],
      );
      return (await this.getCitizen(id))!;
    });
  }

  setAttendance(id: string, attendance: Attendance, at: string): Promise<CitizenRecord | undefined> {
    return this.#serial(async () => {
      await this.db.run('UPDATE session_citizens SET attendance = ?, updated_at = ? WHERE id = ?', [
        attendance,
        at,
        id,
      ]);
      return this.getCitizen(id);
    });
  }

  async getCitizen(id: string): Promise<CitizenRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM session_citizens WHERE id = ?', [id]);
    return row ? citizenFromRow(row) : undefined;
  }

  async citizens(sessionId: string): Promise<CitizenRecord[]> {
    const rows = await this.db.all<Row>('SELECT * FROM session_citizens WHERE session_id = ? ORDER BY position', [
      sessionId,
    ]);
    return rows.map(citizenFromRow);
  }

  async #getWith(db: Database, id: string): Promise<SessionRecord | undefined> {
    const row = await db.get<Row>('SELECT * FROM sessions WHERE id = ?', [id]);
    return row ? sessionFromRow(row) : undefined;
  }
}

function insertEvent(db: Database, sessionId: string, event: NewEvent) {
  return db.run('INSERT INTO session_events (session_id, at, type, actor, data) VALUES (?, ?, ?, ?, ?)', [
    sessionId,
    event.at,
    event.type,
    event.actor ?? null,
    JSON.stringify(event.data ?? {}),
  ]);
}

const text = (value: SqlValue | undefined): string | null =>
  value === null || value === undefined ? null : String(value);

function sessionFromRow(row: Row): SessionRecord {
  return {
    id: String(row.id),
    kind: String(row.kind) as SessionRecord['kind'],
    title: String(row.title),
    chairSite: JSON.parse(String(row.chair_site)),
    bridgePoints: JSON.parse(String(row.bridge_points)),
    startsAt: String(row.starts_at),
    endsAt: String(row.ends_at),
    state: String(row.state) as SessionState,
    stateSince: String(row.state_since),
    origin: String(row.origin) as SessionRecord['origin'],
    fleetId: text(row.fleet_id),
    fleetRevision: row.fleet_revision === null ? null : Number(row.fleet_revision),
    recordingId: text(row.recording_id),
    recordingDir: text(row.recording_dir),
    heartbeatAt: text(row.heartbeat_at),
    lastSegmentEnd: text(row.last_segment_end),
    recorderStopped: row.recorder_stopped_at
      ? { at: String(row.recorder_stopped_at), cause: String(row.recorder_stop_cause) }
      : null,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

function caseFromRow(row: Row): CaseRecord {
  return {
    id: String(row.id),
    sessionId: String(row.session_id),
    position: Number(row.position),
    type: String(row.type) as CaseRecord['type'],
    summary: String(row.summary),
    flags: JSON.parse(String(row.flags)) as CaseFlags,
    confidential: Number(row.confidential) === 1,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

function citizenFromRow(row: Row): CitizenRecord {
  return {
    id: String(row.id),
    caseId: String(row.case_id),
    sessionId: String(row.session_id),
    position: Number(row.position),
    role: String(row.role) as CitizenRole,
    attendance: String(row.attendance) as Attendance,
    identitySealed: row.identity_sealed as Buffer,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}
