/**
 * What the session service needs from other services, in its own words. The composition root
 * (kiosk/app.ts) passes the recording service and the audit log.
 */

/**
 * The session's recordings (kiosk/recording): the one owner of a recording's id, folder, storage
 * admission, start, resume, stop and seal. A session never picks a folder or talks to the media engine.
 */
export interface RecordingPort {
  /** The storage policy's answer for a recording this big; `message` says why not (vi / en). */
  admit(expectedBytes: number): Promise<{
    ok: boolean;
    verdict: 'fits' | 'tight' | 'refused';
    freeBytes: number;
    neededBytes: number;
    message: string;
  }>;
  begin(request: {
    sessionId: string;
    label: string;
    confidential: boolean;
    expectedBytes: number;
  }): Promise<{ recordingId: string; dir: string }>;
  resume(request: {
    sessionId: string;
    recordingId: string;
    since: string;
    cause: 'daemon-restart' | 'disk-full' | 'failure';
  }): Promise<unknown>;
  /** Stops the recorder (when it still runs); every reported segment is catalogued when it resolves. */
  stopRecording(
    recordingId: string,
  ): Promise<{ clean: boolean; segments: number; durationSeconds: number; detail?: string }>;
  /** Signs the manifest with the session's timeline (read through RecordingOwner.timeline). */
  seal(recordingId: string): Promise<void>;
  raiseConfidentiality(recordingId: string): Promise<void>;
  /** Checks a finished recording against its signed manifest (the officer's end summary); audited as the kiosk. */
  verify?(recordingId: string): Promise<{ sealed: boolean; ok: boolean; segments: number }>;
}

/** Where every read of a confidential identity is written (the evidence store's hash-chained audit log). */
export interface AuditPort {
  record(entry: { actor: string; role: string; action: string; target: string; detail?: string }): Promise<void>;
}

/** The port the power policy (kiosk/power) uses to close a session before the battery runs out. */
export interface ActiveSessionPort {
  activeSession(): { id: string } | null;
  endGracefully(reason: string): Promise<void>;
}
