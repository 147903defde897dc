/**
 * What the session service needs from other services, in its own words. The composition root
 * (kiosk/app.ts) adapts the media engine, the evidence store and the audit log to these.
 */

/** The media engine's recorder: one recording at a time, resumable into the same id after a crash. */
export interface RecorderPort {
  startRecording(request: { recordingId: string; dir: string }): Promise<void>;
  stopRecording(): Promise<void>;
}

/** The evidence store's answer to "can the disk keep a recording this big?"; `message` says why not (vi / en). */
export interface StoragePort {
  canHoldSession(expectedBytes: number): Promise<{ ok: boolean; message: string }>;
}

/**
 * The evidence store's view of a session's recording: registered (with its confidentiality) before
 * the first segment, sealed (signed manifest chaining segments and the session's events) after the last.
 */
export interface EvidencePort {
  openRecording(recordingId: string, session: { sessionId: string; confidential: boolean; startedAt: string }): Promise<void>;
  sealRecording(recordingId: string, events: Record<string, unknown>[]): Promise<void>;
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
