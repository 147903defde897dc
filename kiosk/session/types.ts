import type { Attendance, CaseFlags, CaseType, CitizenRole, ScheduleInput } from './schemas.js';
import type { SessionState } from './state-machine.js';

/** What a session's timeline records; each has its words in kiosk/messages/session.ts. */
export const sessionEventTypes = [
  'scheduled',
  'rescheduled',
  'prepared',
  'ready',
  'started',
  'resumed',
  'gap',
  'ended',
  'closed',
  'failed',
  'aborted',
  'retried',
  'case-changed',
  'preset-recalled',
  'muted',
  'unmuted',
  'connection-lost',
  'connection-restored',
  'technician-called',
  'recording-stopped',
  'recording-resumed',
  'source-lost',
  'source-restored',
] as const;
export type SessionEventType = (typeof sessionEventTypes)[number];

export interface SessionRecord {
  id: string;
  kind: ScheduleInput['kind'];
  title: string;
  chairSite: ScheduleInput['chairSite'];
  bridgePoints: ScheduleInput['bridgePoints'];
  startsAt: string;
  endsAt: string;
  state: SessionState;
  stateSince: string;
  origin: 'console' | 'fleet';
  fleetId: string | null;
  fleetRevision: number | null;
  recordingId: string | null;
  recordingDir: string | null;
  /** Last moment the daemon was known alive while live: the start of a gap after a crash. */
  heartbeatAt: string | null;
  /** End of the last closed recording segment: also evidence of life. */
  lastSegmentEnd: string | null;
  /** Set while a live session is not being recorded: its recorder stopped by itself. */
  recorderStopped: { at: string; cause: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** Event data never holds a citizen's identity: only ids, numbers and technical details. */
export interface SessionEvent {
  id: number;
  sessionId: string;
  at: string;
  type: SessionEventType;
  actor: string | null;
  data: Record<string, unknown>;
}

/** A new event, before it has an id. */
export interface NewEvent {
  type: SessionEventType;
  at: string;
  actor?: string | null;
  data?: Record<string, unknown>;
}

export interface CaseRecord {
  id: string;
  sessionId: string;
  /** 1-based order within the session. */
  position: number;
  type: CaseType;
  summary: string;
  flags: CaseFlags;
  confidential: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CitizenRecord {
  id: string;
  caseId: string;
  sessionId: string;
  /** 1-based order within the session: the number in a masked name ("Người tố cáo #3"). */
  position: number;
  role: CitizenRole;
  attendance: Attendance;
  /** The identity, sealed by the IdentityVault; opened only for an allowed, audited read. */
  identitySealed: Buffer;
  createdAt: string;
  updatedAt: string;
}
