import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { Catalog } from './catalog.js';
import { sha256File } from './hashing.js';
import { probeDurationSeconds } from './probe.js';

/** Files the media worker writes as segments (splitmuxsink with a Matroska, MPEG-TS or MP4 muxer). */
const SEGMENT_FILE = /\.(mkv|ts|mp4|m4s|mka)$/i;

/** Position of a segment within its recording, from the counter splitmuxsink puts in its name (`…00012.mkv`). */
export function segmentIndexFromName(name: string): number | undefined {
  const match = /(\d+)\.[A-Za-z0-9]+$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export interface RecoveryResult {
  /** Recordings found still marked `recording` (the daemon or the worker died). */
  interrupted: string[];
  /** Segment files found on disk that the catalog did not know. */
  recovered: { recordingId: string; path: string; index: number; durationSeconds: number | null }[];
}

/**
 * Start-up scan: one folder per recording under the recordings dir; every segment file the catalog
 * does not know (the worker died before reporting it) is hashed, probed and registered as recovered.
 * Runs before the media worker starts, so no file found here is still being written.
 */
export async function recoverySweep(catalog: Catalog, logger: Logger): Promise<RecoveryResult> {
  const interrupted = await catalog.markInterrupted();
  for (const id of interrupted) logger.warn({ recording: id }, 'recording was cut short by a crash; marked recovered');
  const known = await catalog.knownSegmentPaths();
  const recovered: RecoveryResult['recovered'] = [];
  let folders: string[];
  try {
    folders = (await readdir(catalog.recordingsDir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { interrupted, recovered };
    throw error;
  }
  for (const folder of folders) {
    const names = (await readdir(join(catalog.recordingsDir, folder), { withFileTypes: true })).filter((e) => e.isFile() && SEGMENT_FILE.test(e.name)).map((e) => e.name);
    // Order by the counter in the name, so indexes follow recording order.
    names.sort((a, b) => (segmentIndexFromName(a) ?? Infinity) - (segmentIndexFromName(b) ?? Infinity) || a.localeCompare(b));
    const existing = (await catalog.recordingByDir(folder)) ?? (await catalog.recording(folder));
    const recordingId = existing?.id ?? folder;
    if (existing?.deletedAt) continue;
    for (const name of names) {
      const path = join(catalog.recordingsDir, folder, name);
      if (known.has(catalog.relativePath(path))) continue;
      const [digest, info, durationSeconds] = await Promise.all([sha256File(path), stat(path), probeDurationSeconds(path)]);
      let index = segmentIndexFromName(name);
      if (index === undefined || (await catalog.indexTaken(recordingId, index))) index = await catalog.nextIndex(recordingId);
      // The wall-clock range is not in the file: the best evidence is its last write time.
      const endedAt = info.mtime;
      const startedAt = new Date(endedAt.getTime() - Math.round((durationSeconds ?? 0) * 1000));
      await catalog.registerSegment({ recordingId, index, path, sizeBytes: digest.size, durationSeconds, sha256: digest.sha256, startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString() }, true);
      recovered.push({ recordingId, path, index, durationSeconds });
      logger.warn({ recording: recordingId, segment: name, index, bytes: digest.size, durationSeconds }, 'unreported segment found on disk; registered as recovered');
    }
  }
  return { interrupted, recovered };
}
