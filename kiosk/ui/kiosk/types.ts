/**
 * What the kiosk API answers: the server's own view types where the server declares one (imported
 * as types: nothing of the server is bundled), the rest as far as the touchscreen reads it.
 */
import type { SessionState } from '../../session/state-machine.js';
import type { SessionView } from '../../session/views.js';

export type { SessionState, SessionView };

export type DeviceStatus = 'ok' | 'connecting' | 'failed' | 'bad-config';
export interface Device {
  id: string;
  kind: string;
  status: DeviceStatus;
}
export type StreamState = 'off' | 'connecting' | 'live' | 'retrying';

export interface Health {
  status: 'ok' | 'degraded';
  /** timeZone: config `room.timezone`, for every date on the screen. */
  room: { id: string; name: string; timeZone: string };
  devices: Device[];
  media?: { worker: string; stream: StreamState; sources: Record<string, 'ok' | 'lost' | 'stopped'> };
  recording?: { state: 'idle' | 'recording' | 'stopped'; sessionId?: string; cause?: string };
  power?: { onBattery: boolean; chargePercent: number | null; runtimeSeconds: number | null };
}

export interface StartWindow {
  open: boolean;
  code?: 'too_early' | 'too_late';
  opensAt: string;
  closesAt: string;
}
export interface CurrentSession {
  session: SessionView | null;
  startWindow: StartWindow | null;
  startedAt: string | null;
}

export interface PublicEntry {
  id: string;
  title: string;
  chairSite: { name: string };
  startsAt: string;
  endsAt: string;
  state: SessionState;
  changedAt: string | null;
  change: 'rescheduled' | 'cancelled' | null;
}

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unsupported';
export interface ReadinessRun {
  id: string;
  kind: 'day-before' | 'two-hours' | 'on-demand';
  finishedAt: string;
  overall: 'pass' | 'warn' | 'fail';
  results: { id: string; status: CheckStatus; explanation: { vi: string; en: string } }[];
}
export interface LatestReadiness {
  latest: ReadinessRun | null;
  twoHours: ReadinessRun | null;
}

export interface Preset {
  name: string;
  label: { vi: string; en: string };
}
export interface Levels {
  peakDb: number[];
  rmsDb: number[];
}
export interface TechnicianCall {
  id: string;
  state: 'waiting' | 'acknowledged';
  raisedAt: string;
  acknowledgedAt: string | null;
}

export interface EndSummary {
  state: SessionState;
  durationSeconds: number | null;
  segments: number | null;
  gapSeconds: number;
  sealed: boolean;
  verified: boolean | null;
}
