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

/** What the session service publishes. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** A reception session moved to another state (kiosk/session); persisted before it is published. */
    sessionStateChanged: [change: SessionStateChange];
    /** A span of a live session that could not be recorded (daemon or media worker crash). */
    sessionGap: [gap: SessionGap];
  }
}
