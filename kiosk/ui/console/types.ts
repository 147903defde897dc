/**
 * What the console API answers. The server's own view types where the server declares one (a page
 * imports types only: nothing of the server is bundled); the rest as far as the console reads it.
 */
import type { SessionState } from '../../session/state-machine.js';
import type { Capability, Role } from './capabilities.js';

export type { SessionState };
export type { Label } from '../../messages/label.js';
export type { ReadinessRun } from '../../readiness/types.js';
export type { CaseView, CitizenView, ReportEvent, SessionReport, SessionView } from '../../session/views.js';

export interface Me {
  user: string;
  role: Role;
  roleLabel: { vi: string; en: string };
  capabilities: Capability[];
}

export type DeviceStatus = 'ok' | 'connecting' | 'failed' | 'bad-config';
export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  /** timeZone: config `room.timezone`, for every date in the console. */
  room: { id: string; name: string; timeZone: string };
  services: { name: string; state: string; error?: string }[];
  devices: { id: string; kind: string; driver: string; status: DeviceStatus; detail?: string }[];
  media?: { worker: string; stream: 'off' | 'connecting' | 'live' | 'retrying'; sources: Record<string, string> };
  recording?: { state: 'idle' | 'recording' | 'stopped'; sessionId?: string; cause?: string };
  power?: { onBattery: boolean; chargePercent: number | null; runtimeSeconds: number | null };
}

export interface SystemReading {
  version: string;
  system: { uptimeS: number; cpuPct: number; cpuTempC: number | null; memUsedPct: number; memTotalMB: number };
  network: { iface: string; up: boolean; speedMbps: number | null }[];
  recordingsDisk: { freeBytes: number; totalBytes: number; level: string; recordingHoursLeft: number };
  fleet: { enabled: boolean; state: string };
  daemonStartedAt: string;
}

export interface SessionRecord {
  id: string;
  kind: 'periodic' | 'ad-hoc';
  title: string;
  chairSite: { name: string };
  startsAt: string;
  endsAt: string;
  state: SessionState;
  recordingId: string | null;
}

export interface Recording {
  id: string;
  sessionId: string | null;
  confidential: boolean;
  state: 'recording' | 'closed' | 'recovered';
  startedAt: string;
  endedAt: string | null;
  /** Seconds of media in its sealed segments (what plays back, gaps excluded); null when none is known. */
  mediaSeconds: number | null;
  bytes: number;
  verifiedExport: boolean;
}

export interface VerifyReport {
  ok: boolean;
  findings: { file: string; reason: string; detail: string }[];
  fingerprint?: string;
  chainHead?: string;
  segments: number;
}
export interface Drive {
  name: string;
  device: string;
  label: string | null;
  mountPoint: string;
  sizeBytes: number | null;
  freeBytes: number;
}
export interface ExportResult {
  dir: string;
  bytes: number;
  alreadyExported: boolean;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string;
  detail: string | null;
}

export interface ConsoleUser {
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}
export interface IdentityRequest {
  id: number;
  kind: 'create' | 'password' | 'enable';
  username: string;
  role: Role;
  requestedBy: string;
  requestedAt: string;
}

export interface TechnicianCall {
  id: string;
  state: 'waiting' | 'acknowledged';
  raisedAt: string;
  acknowledgedAt: string | null;
}
export interface LogLine {
  at: string | null;
  level: number | null;
  component: string | null;
  msg: string;
  context: Record<string, unknown>;
}
