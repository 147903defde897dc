/** The rows of the "sessions" migration's tables as records, and the one insert every write of an event shares. */
import type { Database, SqlValue } from '../store/database.js';
import type { SessionEventType } from './types.js';
import type { Attendance, CaseFlags, CitizenRole } from './schemas.js';
import type { SessionState } from './state-machine.js';
import type { CaseRecord, CitizenRecord, NewEvent, SessionEvent, SessionRecord } from './types.js';

export type Row = Record<string, SqlValue>;

export function insertEvent(db: Database, sessionId: string, event: NewEvent) {
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

export function sessionFromRow(row: Row): SessionRecord {
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

export function caseFromRow(row: Row): CaseRecord {
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

export function citizenFromRow(row: Row): CitizenRecord {
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

export function eventFromRow(row: Row): SessionEvent {
  return {
    id: Number(row.id),
    sessionId: String(row.session_id),
    at: String(row.at),
    type: String(row.type) as SessionEventType,
    actor: row.actor === null ? null : String(row.actor),
    data: JSON.parse(String(row.data)) as Record<string, unknown>,
  };
}
