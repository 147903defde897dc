import type { SessionState } from './state-machine.js';

/** Published on the app bus at every accepted transition (fleet status, evidence manifest, kiosk screen). */
export interface SessionStateChange {
  sessionId: string;
  from: SessionState;
  to: SessionState;
  at: string;
  recordingId: string | null;
}

/** Published when a span of the session could not be recorded (daemon or media worker crash). */
export interface SessionGap {
  sessionId: string;
  recordingId: string | null;
  from: string;
  to: string;
  seconds: number;
  cause: string;
}
