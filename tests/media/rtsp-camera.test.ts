import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RtspTestServer } from '../../hal/camera/rtsp/test-server.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import type { MediaPlan } from '../../kiosk/media/plan.js';
import type { SegmentInfo } from '../../kiosk/media/types.js';
import { freePort } from '../support/free-port.js';
import { ffprobe, nextEvent, quietLogger, requireBuiltWorker, testBus } from './helpers.js';
import { waitFor } from '../support/wait.js';
import { previewWhere, remotePicture } from './luma.js';
import { smallPlan } from './plan-fixture.js';

// Real GStreamer on both ends: GStreamer's RTSP server (H.264 + Opus, digest login) and the media worker.
let dir: string;
let media: MediaService | undefined;
let server: RtspTestServer | undefined;

beforeAll(() => {
  requireBuiltWorker();
});

afterEach(async () => {
  await media?.stop();
  media = undefined;
  await server?.stop();
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function rtspServer(withLogin: boolean): Promise<{ server: RtspTestServer; passwordFile: string }> {
  dir = await mkdtemp(join(tmpdir(), 'diemcau-rtsp-'));
  const passwordFile = join(dir, 'camera.password');
  await writeFile(passwordFile, 'Cam-Pass-42\n', { mode: 0o600 });
  server = new RtspTestServer({
    port: await freePort(),
    mounts: [{ path: '/main', width: 320, height: 240, fps: 15 }],
    ...(withLogin ? { username: 'admin', passwordFile } : {}),
    bitrateKbps: 300,
  });
  await server.start();
  return { server, passwordFile };
}

async function startMedia(plan: MediaPlan) {
  const bus = testBus();
  const segments: SegmentInfo[] = [];
  bus.on('segmentClosed', (segment) => segments.push(segment));
  media = new MediaService({
    plan,
    bus,
    logger: quietLogger(),
    workerLogLevel: 'silent',
    restartBackoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
  });
  await media.start();
  return { bus, segments };
}

const recorded = async (folder: string) =>
  (await readdir(folder))
    .filter((f) => f.endsWith('.mkv'))
    .sort()
    .map((f) => join(folder, f));

describe('an IP camera over RTSP, against a real RTSP server', () => {
  // About 30 s: the camera is lost mid-recording and comes back on the same address.
  it('records the camera with its login; dropped mid-recording → "no signal" slate, recording goes on, re-attached when back', async () => {
    const { server: camera, passwordFile } = await rtspServer(true);
    const { bus, segments } = await startMedia(
      smallPlan({
        camera: { kind: 'rtsp', url: camera.url(), latencyMs: 100, username: 'admin', passwordFile },
        remote: { kind: 'none' },
      }),
    );
    const out = join(dir, 'rec');
    await media!.startRecording({ recordingId: 'r-rtsp', dir: out, startIndex: 0 });
    // The camera's picture turned white shows in the program: its frames are what is recorded.
    const white = previewWhere(bus, (luma) => luma > 170, 30_000, 'the camera picture (white) in the program');
    await camera.luma('white');
    await white;

    const lost = nextEvent(bus, 'mediaSourceLost', (e) => e.source === 'camera');
    const slate = previewWhere(bus, (luma) => luma < 150, 20_000, 'the "no signal" slate in the program');
    await camera.stop();
    expect((await lost)[0].source).toBe('camera');
    await slate;
    const segmentsAtLoss = segments.length;
    // The slate keeps the program, and so the recording, going while the camera is away.
    await waitFor(
      'segments to keep closing while the camera is lost',
      () => segments.length >= segmentsAtLoss + 2,
      20_000,
    );

    const restored = nextEvent(bus, 'mediaSourceRestored', (e) => e.source === 'camera', 30_000);
    await camera.start();
    const [{ downSeconds }] = await restored;
    expect(downSeconds).toBeGreaterThan(1);
    const whiteAgain = previewWhere(bus, (luma) => luma > 170, 20_000, 'the camera picture back in the program');
    await camera.luma('white');
    await whiteAgain;
    expect((await media!.stopRecording()).clean).toBe(true);

    const files = await recorded(out);
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(segments.map((s) => s.index)).toEqual(segments.map((_, i) => i));
    for (const file of files) expect((await ffprobe(file)).streams.sort()).toEqual(['audio', 'video']);
  }, 90_000);

  it('a wrong RTSP password: the camera never delivers, the slate is recorded instead', async () => {
    const { server: camera } = await rtspServer(true);
    const wrong = join(dir, 'wrong.password');
    await writeFile(wrong, 'not-the-password\n', { mode: 0o600 });
    const { bus, segments } = await startMedia(
      smallPlan({
        camera: { kind: 'rtsp', url: camera.url(), latencyMs: 100, username: 'admin', passwordFile: wrong },
        remote: { kind: 'none' },
      }),
    );
    const lost = nextEvent(bus, 'mediaSourceLost', (e) => e.source === 'camera');
    const out = join(dir, 'rec');
    await media!.startRecording({ recordingId: 'r-rtsp-401', dir: out, startIndex: 0 });
    expect((await lost)[0].reason).toMatch(/unauthori[sz]ed|401|not authorized/i);
    await waitFor('slate segments', () => segments.length >= 2, 20_000);
    expect((await media!.stopRecording()).clean).toBe(true);
  }, 60_000);

  it('an RTSP remote feed (the chairing site) is decoded, picture and sound', async () => {
    const { server: site } = await rtspServer(false);
    const { bus } = await startMedia(smallPlan({ remote: { kind: 'rtsp', url: site.url(), latencyMs: 100 } }));
    await media!.startRecording({ recordingId: 'r-remote', dir: join(dir, 'rec'), startIndex: 0 });
    // The chairing site's picture turned white shows in the picture-in-picture corner of the program.
    const white = previewWhere(
      bus,
      (luma) => luma > 170,
      30_000,
      'the white remote picture in the program',
      remotePicture,
    );
    await site.luma('white');
    await white;
    expect((await media!.stopRecording()).clean).toBe(true);
  }, 60_000);
});
