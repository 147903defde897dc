import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { Catalog } from './catalog.js';
import { sha256File } from '../core/hashing.js';
import { probeSegmentTiming, segmentTimeRange } from '../media/segment-timing.js';
import { isSegmentFile, segmentIndexFromName } from '../media/segment-files.js';

/** A segment file found on disk that the catalog did not know, now registered as recovered. */
export interface RecoveredSegment {
  recordingId: string;
  path: string;
  index: number;
  durationSeconds: number | null;
}

export interface RecoveryResult {
  /** Recordings found still marked `recording` (the daemon or the worker died). */
  interrupted: string[];
  /** Segment files found on disk that the catalog did not know. */
  recovered: RecoveredSegment[];
}

/**
 * Start-up scan: one folder per recording under the recordings dir; every segment file the catalog
 * does not know (the worker died before reporting it) is hashed, probed and registered as recovered.
 * Runs before the media worker starts, so no file found here is still being written.
 */
export async function recoverySweep(catalog: Catalog, logger: Logger): Promise<RecoveryResult> {
  const interrupted = await catalog.markInterrupted();
  for (const id of interrupted) logger.warn({ recording: id }, 'recording was cut short by a crash; marked recovered');
  const recovered: RecoveredSegment[] = [];
  let folders: string[];
  try {
    folders = (await readdir(catalog.recordingsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { interrupted, recovered };
    throw error;
  }
  for (const folder of folders) {
    const existing = (await catalog.recordingByDir(folder)) ?? (await catalog.recording(folder));
    if (existing?.deletedAt) continue;
    // A sealed recording takes no new segment: a file added to its folder later is for the verifier to flag.
    if (existing?.sealedAt) continue;
    recovered.push(...(await recoverFolder(catalog, folder, logger, existing?.id ?? folder)));
  }
  return { interrupted, recovered };
}

/**
 * Registers, as recovered, every segment file in one recording folder (`dir`, relative to the recordings
 * dir) that the catalog does not have, in recording order. Nothing in the folder may still be written.
 */
export async function recoverFolder(
  catalog: Catalog,
  dir: string,
  logger: Logger,
  recordingId: string,
): Promise<RecoveredSegment[]> {
  const names = (await readdir(join(catalog.recordingsDir, dir), { withFileTypes: true }))
    .filter((e) => e.isFile() && isSegmentFile(e.name))
    .map((e) => e.name);
  // Order by the counter in the name, so indexes follow recording order.
  names.sort(
    (a, b) => (segmentIndexFromName(a) ?? Infinity) - (segmentIndexFromName(b) ?? Infinity) || a.localeCompare(b),
  );
  const catalogued = await catalog.segments(recordingId);
  const known = new Set(catalogued.map((s) => s.path));
  // End of every segment by index, catalogued or recovered here: a segment starts where the one before
  // it ended (a missing one in between leaves that unknown).
  const ends = new Map(catalogued.map((s) => [s.index, s.endedAt]));
  const recovered: RecoveredSegment[] = [];
  for (const name of names) {
    const path = join(catalog.recordingsDir, dir, name);
    if (known.has(catalog.relativePath(path))) continue;
    const [digest, info, timing] = await Promise.all([sha256File(path), stat(path), probeSegmentTiming(path)]);
    let index = segmentIndexFromName(name);
    if (index === undefined || (await catalog.indexTaken(recordingId, index)))
      index = await catalog.nextIndex(recordingId);
    // Evidence for the range, best first: the file's creation time, the previous segment's end, the last
    // write (all a file without a packet has).
    const lastWrite = info.mtime.toISOString();
    const range = timing
      ? segmentTimeRange(timing, { start: ends.get(index - 1), end: lastWrite })
      : { startedAt: lastWrite, endedAt: lastWrite, basis: 'end' as const };
    const durationSeconds = timing?.durationSeconds ?? null;
    const { added } = await catalog.registerSegment(
      {
        recordingId,
        index,
        path,
        sizeBytes: digest.size,
        durationSeconds,
        sha256: digest.sha256,
        startedAt: range.startedAt,
        endedAt: range.endedAt,
      },
      true,
    );
    if (!added) continue;
    ends.set(index, range.endedAt);
    recovered.push({ recordingId, path, index, durationSeconds });
    logger.warn(
      { recording: recordingId, segment: name, index, bytes: digest.size, durationSeconds, timeFrom: range.basis },
      'unreported segment found on disk; registered as recovered',
    );
  }
  return recovered;
}
