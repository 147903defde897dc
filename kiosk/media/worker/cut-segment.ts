import { probeSegmentTiming } from '../segment-timing.js';

/**
 * How long a segment cut short (a crashed worker, a failed pipeline, a missed stop deadline) really
 * is: a cut Matroska file has no container duration, its packets do. Without a readable packet,
 * the wall clock's span from its opening to the writer's last sign of life.
 */
export async function cutSegmentSpan(
  path: string,
  openedAtMs: number,
  lastSeenAtMs: number,
): Promise<{ durationSeconds: number; endedAtMs: number }> {
  const timing = await probeSegmentTiming(path);
  const durationSeconds = timing?.durationSeconds ?? Math.max(0, (lastSeenAtMs - openedAtMs) / 1000);
  return { durationSeconds, endedAtMs: openedAtMs + durationSeconds * 1000 };
}
