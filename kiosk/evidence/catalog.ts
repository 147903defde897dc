import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Database } from '../store/database.js';
import type { SegmentInfo } from '../media/types.js';

export type RecordingState = 'recording' | 'closed' | 'recovered';

export interface Recording {
  id: string;
  sessionId: string | null;
  /** Relative to the recordings dir. */
  dir: string;
  confidential: boolean;
  state: RecordingState;
  startedAt: string;
  endedAt: string | null;
  events: Record<string, unknown>[];
  sealedAt: string | null;
  deletedAt: string | null;
}

export interface Segment {
  recordingId: string;
  index: number;
  /** Relative to the recordings dir. */
  path: string;
  sizeBytes: number;
  durationSeconds: number | null;
  sha256: string;
  startedAt: string;
  endedAt: string;
  registeredAt: string;
  recovered: boolean;
}

export interface ExportRecord {
  id: number;
  recordingId: string;
  target: string;
  encrypted: boolean;
  verified: boolean;
  bytes: number;
  actor: string;
  startedAt: string;
  finishedAt: string;
}

interface RecordingDbRow {
  id: string;
  session_id: string | null;
  dir: string;
  confidential: number;
  state: RecordingState;
  started_at: string;
  ended_at: string | null;
  events_json: string;
  sealed_at: string | null;
  deleted_at: string | null;
}

interface SegmentDbRow {
  recording_id: string;
  idx: number;
  path: string;
  size_bytes: number;
  duration_seconds: number | null;
  sha256: string;
  started_at: string;
  ended_at: string;
  registered_at: string;
  recovered: number;
}

export class CatalogError extends Error {
  override name = 'CatalogError';
}

const toRecording = (r: RecordingDbRow): Recording => ({
  id: r.id,
  sessionId: r.session_id,
  dir: r.dir,
  confidential: r.confidential === 1,
  state: r.state,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  events: JSON.parse(r.events_json) as Record<string, unknown>[],
  sealedAt: r.sealed_at,
  deletedAt: r.deleted_at,
});

const toSegment = (r: SegmentDbRow): Segment => ({
  recordingId: r.recording_id,
  index: r.idx,
  path: r.path,
  sizeBytes: r.size_bytes,
  durationSeconds: r.duration_seconds,
  sha256: r.sha256,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  registeredAt: r.registered_at,
  recovered: r.recovered === 1,
});

/** The recordings catalog in SQLite: what exists, where, with which hashes. Paths are stored relative to the recordings dir. */
export class Catalog {
  constructor(
    private readonly db: Database,
    readonly recordingsDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Path of a segment relative to the recordings dir; a file outside it is a contract violation. */
  relativePath(absolute: string): string {
    const rel = relative(this.recordingsDir, absolute);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !rel.includes(sep))
      throw new CatalogError(`segment ${absolute} is not inside a recording folder under ${this.recordingsDir}`);
    return rel;
  }

  absolutePath(relativePath: string): string {
    return join(this.recordingsDir, relativePath);
  }

  /** A recording folder's path relative to the recordings dir (one level below it). */
  relativeDir(absoluteDir: string): string {
    const rel = relative(this.recordingsDir, absoluteDir);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.includes(sep))
      throw new CatalogError(`${absoluteDir} is not a recording folder directly under ${this.recordingsDir}`);
    return rel;
  }

  /**
   * Registers a closed segment (idempotent on its path). A segment outside its recording's folder
   * is refused: a folder is chosen once, when the recording is opened, and never corrected.
   * A segment of an unknown recording (found on disk after a crash) creates it.
   */
  async registerSegment(
    segment: Omit<SegmentInfo, 'durationSeconds'> & { durationSeconds: number | null },
    recovered = false,
  ): Promise<{ added: boolean }> {
    const path = this.relativePath(segment.path);
    const dir = dirname(path);
    const recording = await this.recording(segment.recordingId);
    if (recording && recording.dir !== dir)
      throw new CatalogError(`segment ${path} is outside its recording's folder ${recording.dir}`);
    if (recording?.sealedAt)
      throw new CatalogError(`recording ${recording.id} is sealed; segment ${path} was not added`);
    if (!recording) {
      await this.db.run('INSERT INTO recordings (id, dir, state, started_at) VALUES (?, ?, ?, ?)', [
        segment.recordingId,
        dir,
        recovered ? 'recovered' : 'recording',
        segment.startedAt,
      ]);
    } else if (recovered) {
      await this.db.run("UPDATE recordings SET state = 'recovered' WHERE id = ? AND deleted_at IS NULL", [
        segment.recordingId,
      ]);
    }
    const { changes } = await this.db.run(
      `INSERT INTO segments (recording_id, idx, path, size_bytes, duration_seconds, sha256, started_at, ended_at, registered_at, recovered)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO NOTHING`,
      [
        segment.recordingId,
        segment.index,
        path,
        segment.sizeBytes,
        segment.durationSeconds,
        segment.sha256,
        segment.startedAt,
        segment.endedAt,
        this.now().toISOString(),
        recovered ? 1 : 0,
      ],
    );
    return { added: changes === 1 };
  }

  /**
   * A new recording, with its folder and confidentiality known before any segment closes. Refused
   * when the id or the folder is already some recording's: evidence never shares a folder.
   */
  async openRecording(
    id: string,
    recording: { sessionId: string | null; dir: string; confidential: boolean; startedAt: string },
  ): Promise<void> {
    const clash = await this.db.get<{ id: string }>('SELECT id FROM recordings WHERE id = ? OR dir = ?', [
      id,
      recording.dir,
    ]);
    if (clash)
      throw new CatalogError(
        `recording ${id} (folder ${recording.dir}) would reuse recording ${clash.id}'s id or folder`,
      );
    await this.db.run(
      "INSERT INTO recordings (id, session_id, dir, confidential, state, started_at) VALUES (?, ?, ?, ?, 'recording', ?)",
      [id, recording.sessionId, recording.dir, recording.confidential ? 1 : 0, recording.startedAt],
    );
  }

  /** Recording again (a resume): the recording is no longer closed or recovered. */
  async markRecording(id: string): Promise<void> {
    await this.db.run(
      "UPDATE recordings SET state = 'recording' WHERE id = ? AND deleted_at IS NULL AND sealed_at IS NULL",
      [id],
    );
  }

  /** Confidentiality only ever rises, also on a recording already running. */
  async raiseConfidentiality(id: string): Promise<void> {
    await this.db.run('UPDATE recordings SET confidential = 1 WHERE id = ?', [id]);
  }

  async recording(id: string): Promise<Recording | undefined> {
    const row = await this.db.get<RecordingDbRow>('SELECT * FROM recordings WHERE id = ?', [id]);
    return row && toRecording(row);
  }

  async recordingByDir(dir: string): Promise<Recording | undefined> {
    const row = await this.db.get<RecordingDbRow>(
      'SELECT * FROM recordings WHERE dir = ? ORDER BY started_at DESC LIMIT 1',
      [dir],
    );
    return row && toRecording(row);
  }

  async recordings(options: { includeDeleted?: boolean } = {}): Promise<Recording[]> {
    const rows = await this.db.all<RecordingDbRow>(
      `SELECT * FROM recordings ${options.includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY started_at`,
    );
    return rows.map(toRecording);
  }

  async segments(recordingId: string): Promise<Segment[]> {
    return (
      await this.db.all<SegmentDbRow>('SELECT * FROM segments WHERE recording_id = ? ORDER BY idx', [recordingId])
    ).map(toSegment);
  }

  /**
   * Seconds of media sealed per recording: the sum of its segments' own durations (what plays back),
   * not the wall time from start to end, which counts the gaps while nothing recorded. Null for a
   * recording none of whose segments has a known duration (or that has no segment yet).
   */
  async mediaSeconds(): Promise<Map<string, number | null>> {
    const rows = await this.db.all<{ recording_id: string; seconds: number | null }>(
      'SELECT recording_id, SUM(duration_seconds) AS seconds FROM segments GROUP BY recording_id',
    );
    return new Map(rows.map((r) => [r.recording_id, r.seconds]));
  }

  async nextIndex(recordingId: string): Promise<number> {
    return (
      ((
        await this.db.get<{ n: number | null }>('SELECT MAX(idx) AS n FROM segments WHERE recording_id = ?', [
          recordingId,
        ])
      )?.n ?? -1) + 1
    );
  }

  async indexTaken(recordingId: string, index: number): Promise<boolean> {
    return (
      (await this.db.get('SELECT 1 FROM segments WHERE recording_id = ? AND idx = ?', [recordingId, index])) !==
      undefined
    );
  }

  /** At start-up nothing is recording yet: a recording still marked so was cut short by a crash. */
  async markInterrupted(): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(
      "SELECT id FROM recordings WHERE state = 'recording' AND deleted_at IS NULL",
    );
    await this.db.run("UPDATE recordings SET state = 'recovered' WHERE state = 'recording' AND deleted_at IS NULL");
    return rows.map((r) => r.id);
  }

  async markSealed(
    id: string,
    sealed: { state: 'closed' | 'recovered'; endedAt: string; events: Record<string, unknown>[]; sealedAt: string },
  ): Promise<void> {
    await this.db.run('UPDATE recordings SET state = ?, ended_at = ?, events_json = ?, sealed_at = ? WHERE id = ?', [
      sealed.state,
      sealed.endedAt,
      JSON.stringify(sealed.events),
      sealed.sealedAt,
      id,
    ]);
  }

  async markDeleted(id: string): Promise<void> {
    await this.db.run('UPDATE recordings SET deleted_at = ? WHERE id = ?', [this.now().toISOString(), id]);
  }

  async recordExport(record: Omit<ExportRecord, 'id'>): Promise<number> {
    const { lastID } = await this.db.run(
      'INSERT INTO exports (recording_id, target, encrypted, verified, bytes, actor, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        record.recordingId,
        record.target,
        record.encrypted ? 1 : 0,
        record.verified ? 1 : 0,
        record.bytes,
        record.actor,
        record.startedAt,
        record.finishedAt,
      ],
    );
    return lastID;
  }

  async exports(recordingId?: string): Promise<ExportRecord[]> {
    const rows = await this.db.all<{
      id: number;
      recording_id: string;
      target: string;
      encrypted: number;
      verified: number;
      bytes: number;
      actor: string;
      started_at: string;
      finished_at: string;
    }>(
      `SELECT * FROM exports ${recordingId ? 'WHERE recording_id = ?' : ''} ORDER BY id`,
      recordingId ? [recordingId] : [],
    );
    return rows.map((r) => ({
      id: r.id,
      recordingId: r.recording_id,
      target: r.target,
      encrypted: r.encrypted === 1,
      verified: r.verified === 1,
      bytes: r.bytes,
      actor: r.actor,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
    }));
  }

  /** Per recording: total bytes and whether any export of it was verified, for the retention policy. */
  async retentionFacts(): Promise<
    {
      id: string;
      state: RecordingState;
      startedAt: string;
      endedAt: string | null;
      bytes: number;
      verifiedExport: boolean;
    }[]
  > {
    const rows = await this.db.all<{
      id: string;
      state: RecordingState;
      started_at: string;
      ended_at: string | null;
      bytes: number | null;
      exported: number;
    }>(
      `SELECT r.id, r.state, r.started_at, r.ended_at,
              (SELECT SUM(size_bytes) FROM segments s WHERE s.recording_id = r.id) AS bytes,
              -- An export counts only if it finished after the last segment was registered: a copy taken
              -- before a recovered or resumed segment arrived does not hold that segment.
              EXISTS (SELECT 1 FROM exports e WHERE e.recording_id = r.id AND e.verified = 1
                        AND e.finished_at >= COALESCE((SELECT MAX(registered_at) FROM segments s WHERE s.recording_id = r.id), '')) AS exported
       FROM recordings r WHERE r.deleted_at IS NULL ORDER BY r.started_at`,
    );
    return rows.map((r) => ({
      id: r.id,
      state: r.state,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      bytes: r.bytes ?? 0,
      verifiedExport: r.exported === 1,
    }));
  }
}
