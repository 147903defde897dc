import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import type { DeviceKey } from '../../kiosk/evidence/device-key.js';
import { sha256Hex } from '../../kiosk/core/hashing.js';
import { writeSignedManifest } from '../../kiosk/evidence/seal.js';
import type { Manifest } from '../../kiosk/evidence/manifest.js';
import { killAndWait, sleep } from '../media/helpers.js';
import { waitFor } from '../support/wait.js';

export const silentLogger = pino({ level: 'silent' });

/** Temp dirs made by a test file; remove them all in afterEach/afterAll. */
export function tempDirs() {
  const made: string[] = [];
  return {
    async make(prefix = 'diemcau-evidence-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup(): Promise<void> {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

export const segmentFileName = (index: number): string => `segment-${String(index).padStart(5, '0')}.mkv`;

/**
 * A sealed recording folder of small segments made of random bytes: verify is content-agnostic,
 * so real media is only needed where duration matters (the recovery scan).
 */
export async function makeSealedFolder(
  dir: string,
  key: DeviceKey,
  sizes: number[] = [4096, 10_000, 1],
  options: { confidential?: boolean } = {},
): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const segments = [];
  for (const [index, size] of sizes.entries()) {
    const bytes = randomBytes(size);
    const name = segmentFileName(index);
    await writeFile(join(dir, name), bytes);
    segments.push({
      name,
      size,
      sha256: sha256Hex(bytes),
      durationSeconds: 2,
      startedAt: `2026-01-02T03:00:0${index * 2}+07:00`,
      endedAt: `2026-01-02T03:00:0${index * 2 + 2}+07:00`,
    });
  }
  return writeSignedManifest(
    dir,
    {
      device: { id: 'test-device', room: 'sim-room' },
      recording: {
        id: 'rec-test',
        sessionId: 'session-1',
        confidential: options.confidential ?? false,
        state: 'closed',
        startedAt: '2026-01-02T03:00:00+07:00',
        endedAt: '2026-01-02T03:00:06+07:00',
      },
      segments,
      events: [
        { at: '2026-01-02T03:00:00+07:00', type: 'started' },
        { at: '2026-01-02T03:00:06+07:00', type: 'ended' },
      ],
      createdAt: '2026-01-02T03:00:07+07:00',
    },
    key,
  );
}

/** A real 1-second Matroska recording from GStreamer's test source (30 frames at 30 fps). */
export async function recordTestSegment(path: string): Promise<void> {
  await promisify(execFile)(
    'gst-launch-1.0',
    [
      '-q',
      '-e',
      'videotestsrc',
      'num-buffers=30',
      '!',
      'video/x-raw,width=160,height=120,framerate=30/1',
      '!',
      'x264enc',
      'speed-preset=ultrafast',
      'key-int-max=30',
      '!',
      'matroskamux',
      '!',
      'filesink',
      `location=${path}`,
    ],
    { timeout: 60_000 },
  );
}

/**
 * What a crash leaves: a live splitmuxsink recording (320x240 at 30 fps, set up like the daemon's) killed
 * with SIGKILL `killAfterMs` after its first segment file appeared, so the last file is never finalised.
 */
export async function recordUntilKilled(
  dir: string,
  container: 'mkv' | 'ts',
  options: { segmentSeconds: number; killAfterMs: number },
): Promise<{ spawnedAt: Date; killedAt: Date }> {
  const muxer = container === 'mkv' ? 'matroskamux' : 'mpegtsmux';
  const spawnedAt = new Date();
  const gst = spawn(
    'gst-launch-1.0',
    [
      '-q',
      'videotestsrc',
      'is-live=true',
      '!',
      'video/x-raw,width=320,height=240,framerate=30/1',
      '!',
      'x264enc',
      'speed-preset=ultrafast',
      'tune=zerolatency',
      'key-int-max=15',
      '!',
      'h264parse',
      '!',
      'splitmuxsink',
      `muxer-factory=${muxer}`,
      'sink-properties="properties,buffer-size=(uint)4096"',
      `max-size-time=${options.segmentSeconds * 1e9}`,
      `location=${join(dir, `segment-%05d.${container}`)}`,
    ],
    { stdio: 'ignore' },
  );
  try {
    await waitFor(
      'the first segment file',
      async () => ((await stat(join(dir, `segment-00000.${container}`)).catch(() => undefined))?.size ?? 0) > 0,
      20_000,
      100,
    );
    await sleep(options.killAfterMs);
  } finally {
    await killAndWait(gst);
  }
  return { spawnedAt, killedAt: new Date() };
}
