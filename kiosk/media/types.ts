/**
 * The media engine's public contract, shared by the evidence store and the session service.
 * The media worker (kiosk/media/worker) fills it in; other services depend only on these types.
 */

/** One closed recording segment, reported as soon as splitmuxsink finalizes it. */
export interface SegmentInfo {
  /** The recording (one per session, or per test recording) this segment belongs to. */
  recordingId: string;
  /** 0-based position in the recording. */
  index: number;
  /** Absolute path of the segment file. */
  path: string;
  sizeBytes: number;
  durationSeconds: number;
  /** Hex SHA-256 of the file's bytes, computed when the segment closed. */
  sha256: string;
  /** Wall-clock time range covered (ISO 8601 with offset). */
  startedAt: string;
  endedAt: string;
}
