import { execFile } from 'node:child_process';

/**
 * Duration of a media file by `ffprobe -v error -show_entries format=duration`. A segment cut
 * short by a crash often has no duration in its container: null then, never a guess.
 */
export function probeDurationSeconds(path: string, timeoutMs = 30_000): Promise<number | null> {
  return new Promise((resolve) => {
    execFile('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', path], { timeout: timeoutMs }, (error, stdout) => {
      if (error) return resolve(null);
      resolve(parseProbeDuration(stdout));
    });
  });
}

/** ffprobe prints e.g. `2.000000`, or `N/A` when the container does not say. */
export function parseProbeDuration(stdout: string): number | null {
  const text = stdout.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}
