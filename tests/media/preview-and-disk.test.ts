import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MediaService } from '../../kiosk/media/media-service.js';
import type { SegmentInfo } from '../../kiosk/media/types.js';
import { ffprobe, nextEvent, quietLogger, requireBuiltWorker, testBus } from './helpers.js';
import { smallPlan } from './plan-fixture.js';
import type { MediaPlan } from '../../kiosk/media/plan.js';
import { waitFor } from '../support/wait.js';

// Real GStreamer in a real forked worker, 320x240.
let dir: string | undefined;
let media: MediaService | undefined;

beforeAll(() => {
  requireBuiltWorker();
});

afterEach(async () => {
  await media?.stop();
  media = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(plan: MediaPlan) {
  dir = await mkdtemp(join(tmpdir(), 'diemcau-media-'));
  const bus = testBus();
  const segments: SegmentInfo[] = [];
  bus.on('segmentClosed', (segment) => segments.push(segment));
  media = new MediaService({ plan, bus, logger: quietLogger(), workerLogLevel: 'silent' });
  await media.start();
  return { bus, segments, media };
}

describe('media engine: what the screens show, and a disk that fills', () => {
  it('offers the program picture and sound levels while recording, and nothing after', async () => {
    const { media: engine } = await start(smallPlan());
    expect(engine.preview()).toBeUndefined();
    await engine.startRecording({ recordingId: 'preview', dir: join(dir!, 'preview'), startIndex: 0 });
    await waitFor(
      'a preview frame and levels',
      () => engine.preview() !== undefined && engine.levels() !== undefined,
      20_000,
      100,
    );
    const jpeg = Buffer.from(engine.preview()!.jpeg);
    expect(jpeg.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    // The sim microphone is a 440 Hz tone at half scale: about -9 dBFS RMS.
    expect(engine.levels()!.rmsDb[0]).toBeGreaterThan(-20);
    await engine.stopRecording();
    expect(engine.preview()).toBeUndefined();
  }, 60_000);

  // minFreeMegabytes far above what any disk here has: the worker sees the disk as critically full at once.
  it('reports a disk about to fill and finalizes what it recorded instead of losing it', async () => {
    const {
      bus,
      segments,
      media: engine,
    } = await start(
      smallPlan({ recording: { segmentSeconds: 60, container: 'matroska', minFreeMegabytes: 10 ** 12 } }),
    );
    const critical = nextEvent(bus, 'mediaError', (e) => e.code === 'disk-critical', 20_000);
    const stopped = nextEvent(bus, 'recordingStateChanged', (e) => e.state === 'stopped', 20_000);
    await engine.startRecording({ recordingId: 'full', dir: join(dir!, 'full'), startIndex: 0 });
    await critical;
    // The supervisor says the recording stopped by itself, and why: its owner must not think it still records.
    const [change] = await stopped;
    expect(change).toMatchObject({ recordingId: 'full', cause: 'disk-full', clean: true });
    expect(change.detail).toMatch(/MiB free .*recording finalized before the disk fills/);
    expect(engine.health().recording).toBeUndefined();
    await waitFor('the segment to be finalized', () => segments.length > 0, 20_000, 100);
    const files = (await readdir(join(dir!, 'full'))).filter((name) => name.endsWith('.mkv'));
    expect(files).toHaveLength(1);
    const probe = await ffprobe(join(dir!, 'full', files[0]!));
    expect(probe.streams).toEqual(expect.arrayContaining(['video', 'audio']));
    expect(segments[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
