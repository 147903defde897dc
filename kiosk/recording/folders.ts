import { chmod, mkdir, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileModes } from '../core/file-modes.js';

/**
 * The candidate ids for a session's n-th recording: the session id first, then `<id>.2`, `<id>.3`…
 * (a session retried after a failure records again, never into its earlier folder).
 */
export function recordingIdCandidate(sessionId: string, attempt: number): string {
  return attempt === 1 ? sessionId : `${sessionId}.${attempt}`;
}

/**
 * Creates a recording's folder; false when it exists already (whatever it holds), so a new
 * recording never shares a folder with another one's files.
 */
export async function createFolderExclusive(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { mode: fileModes.recordingDir });
    await chmod(dir, fileModes.recordingDir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Removes a folder only when nothing was written into it (a recording that never started). */
export async function removeIfEmpty(dir: string): Promise<void> {
  if ((await readdir(dir).catch(() => ['?'])).length === 0) await rmdir(dir).catch(() => undefined);
}

/**
 * A sealed recording's files and folder become read-only (0440, 0550): nothing (a later
 * recording, a mistaken copy) can write into evidence through this daemon's user, and nobody but
 * the daemon's user and group can read it. Retention makes the folder writable again just before
 * it deletes it.
 */
export async function makeReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isFile()) await chmod(join(dir, entry.name), fileModes.sealedFile);
  await chmod(dir, fileModes.sealedDir);
}
