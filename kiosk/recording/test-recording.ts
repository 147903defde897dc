import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MediaRecorder, TestRecording } from './ports.js';

/**
 * Records `seconds` of the program into a fresh folder under `root` with the recorder that records
 * sessions (purpose "test": no stream, nothing catalogued). The caller probes the files, then
 * discards them. A failed or aborted test leaves nothing behind.
 */
export async function recordTestClip(
  media: MediaRecorder,
  root: string,
  seconds: number,
  signal: AbortSignal,
  now = new Date(),
): Promise<TestRecording> {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const dir = join(root, stamp);
  await mkdir(dir, { recursive: true });
  const discard = () => rm(dir, { recursive: true, force: true });
  try {
    await media.startRecording({
      recordingId: `readiness-test-${stamp}`,
      dir,
      sessionLabel: 'Ghi thử / test',
      startIndex: 0,
      purpose: 'test',
    });
    await sleep(seconds * 1000, undefined, { signal }).catch(() => undefined);
    const result = await media.stopRecording();
    signal.throwIfAborted();
    if (result.failure) throw new Error(`the recorder stopped during the test: ${result.failure}`);
    return { files: result.files, clean: result.clean, discard };
  } catch (error) {
    await media.stopRecording().catch(() => undefined);
    await discard();
    throw error;
  }
}
