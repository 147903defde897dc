import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaPlan } from './plan.js';

/**
 * How a recording's segment files are named, in one place: `<recording>-<index, 5+ digits>.<mkv|ts>`,
 * written by splitmuxsink (the worker), read back by resume, recovery and verification.
 */
const SEGMENT = /-(\d{5,})\.(?:mkv|ts)$/;

export function containerExtension(container: MediaPlan['recording']['container']): string {
  return container === 'matroska' ? 'mkv' : 'ts';
}

/** splitmuxsink's `location` for a recording: its folder, its id, the index counter, the container's extension. */
export function segmentLocation(
  dir: string,
  recordingId: string,
  container: MediaPlan['recording']['container'],
): string {
  return join(dir, `${recordingId}-%05d.${containerExtension(container)}`);
}

/** The index of a segment file from its name or path (`<recording>-00012.mkv` → 12), or undefined when it is not a segment. */
export function segmentIndexFromName(name: string): number | undefined {
  const match = SEGMENT.exec(name);
  return match ? Number(match[1]) : undefined;
}

export const isSegmentFile = (name: string): boolean => SEGMENT.test(name);

/** The index after every segment already in `names`: a resumed recording never writes over evidence. */
export function nextSegmentIndex(names: readonly string[]): number {
  return names.reduce((next, name) => Math.max(next, (segmentIndexFromName(name) ?? -1) + 1), 0);
}

/** The same, read from a recording folder (missing folder: 0). */
export async function nextSegmentIndexIn(dir: string): Promise<number> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return nextSegmentIndex(names);
}
