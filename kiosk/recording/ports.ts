/**
 * What the recording service needs from the rest of the daemon, in its own words. The composition
 * root (kiosk/app.ts) passes the media supervisor, the evidence store and the session service.
 */
import type { StopResult } from '../media/ipc.js';
import type { RecordingStopCause } from '../media/events.js';

/** The media supervisor: one recording at a time in a fresh worker. */
export interface MediaRecorder {
  startRecording(request: {
    recordingId: string;
    dir: string;
    sessionLabel?: string;
    startIndex: number;
    purpose?: 'evidence' | 'test';
  }): Promise<{ startedAt: string }>;
  /** `files`: the segments closed, in order; `failure`: why a test recording ended by itself. */
  stopRecording(options?: { deadlineMs?: number }): Promise<StopResult & { files: string[]; failure?: string }>;
}

/** A timeline entry of a session, signed into its recording's manifest at the seal. */
export interface TimelineEntry {
  type: 'recording-stopped' | 'recording-resumed' | 'gap' | 'source-lost' | 'source-restored';
  at: string;
  data: Record<string, unknown>;
}

/**
 * The session that owns a recording (kiosk/session implements it): where the recording's
 * stops, gaps and resumes are written, and who is told when the recorder stops by itself.
 */
export interface RecordingOwner {
  addTimelineEntry(sessionId: string, entry: TimelineEntry): Promise<void>;
  /** The whole timeline, as signed into the manifest. */
  timeline(sessionId: string): Promise<Record<string, unknown>[]>;
  /** The recorder stopped without being asked: the session must show it is no longer recorded. */
  recorderStopped(
    sessionId: string,
    stop: { at: string; cause: Exclude<RecordingStopCause, 'requested'>; detail?: string },
  ): Promise<void>;
  /** Recording runs again after a stop the session was told about. */
  recorderResumed(sessionId: string, at: string): Promise<void>;
}

/** Why a span was not recorded. */
export type GapCause = 'daemon-restart' | 'worker-crash' | 'disk-full' | 'failure';

/** A finished test recording: its segment files, probed by the readiness check, then discarded. */
export interface TestRecording {
  files: string[];
  /** The recorder finalized its last segment. */
  clean: boolean;
  discard(): Promise<void>;
}

/** A recording whose signed manifest could not be written: the evidence is not sealed, someone must look. */
export interface EvidenceAlert {
  /** `seal-refused`: the folder already holds a manifest, or the recording was sealed before; `seal-failed`: any other failure. */
  code: 'seal-refused' | 'seal-failed';
  recordingId: string;
  sessionId?: string;
  message: string;
  at: string;
}

/** What the recording service publishes. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /**
     * A recording was sealed and its folder made read-only: what central's anchor of it needs
     * (kiosk/fleet/anchoring.ts). `dir` is the folder's absolute path; hashes only, no identity.
     */
    recordingSealed: [
      sealed: {
        recordingId: string;
        sessionId: string | null;
        dir: string;
        at: string;
        /** SHA-256 of manifest.json's bytes. */
        manifestSha256: string;
        signingKeyFingerprint: string;
        /** The manifest's segment chain head. */
        chainHead: string;
        /** The newest audit log entry at the seal (seq 0 and the genesis hash when the log is empty). */
        auditHead: { seq: number; hash: string };
      },
    ];
    /** A recording could not be sealed: central monitoring and the technician must see it. */
    evidenceAlert: [alert: EvidenceAlert];
  }
}
