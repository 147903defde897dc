import { describe, expect, it } from 'vitest';
import type { CameraSource, RemoteSource } from '../../kiosk/media/plan.js';
import { capturesFor } from '../../kiosk/media/pipelines/capture.js';
import { streamLaunch } from '../../kiosk/media/pipelines/stream.js';
import { needsRebuildAfterOutage } from '../../kiosk/media/worker/late-links.js';
import { StallClock } from '../../kiosk/media/worker/stall-clock.js';
import { smallPlan } from './plan-fixture.js';

const format = { width: 1280, height: 720, fps: 30 };
const cameraLaunch = (camera: CameraSource) =>
  capturesFor(smallPlan({ camera })).find((spec) => spec.role === 'camera')!.launch;
const remoteLaunch = (remote: RemoteSource) =>
  capturesFor(smallPlan({ remote })).find((spec) => spec.role === 'remote')!.launch;

describe('which supervised pipelines are built again after an outage', () => {
  it.each<[string, string, boolean]>([
    ['test camera', cameraLaunch({ kind: 'test', pattern: 'ball', ...format }), false],
    ['USB camera, MJPEG', cameraLaunch({ kind: 'v4l2', device: '/dev/video0', format: 'mjpeg', ...format }), false],
    ['USB camera, raw', cameraLaunch({ kind: 'v4l2', device: '/dev/video0', format: 'raw', ...format }), false],
    ['JPEG file loop', cameraLaunch({ kind: 'jpeg-files', location: '/x/%05d.jpg', ...format }), false],
    ['GDP over TCP', cameraLaunch({ kind: 'tcp-gdp', host: '127.0.0.1', port: 5000 }), false],
    [
      'IP camera (rtspsrc ! decodebin)',
      cameraLaunch({ kind: 'rtsp', url: 'rtsp://cam/decodebin', latencyMs: 200 }),
      true,
    ],
    ['test microphone', capturesFor(smallPlan()).find((spec) => spec.role === 'mic')!.launch, false],
    ['test remote feed', remoteLaunch({ kind: 'test' }), false],
    ['SRT remote feed', remoteLaunch({ kind: 'srt', url: 'srt://far:9000', latencyMs: 120 }), true],
    ['RTSP remote feed', remoteLaunch({ kind: 'rtsp', url: 'rtsp://far/feed', latencyMs: 200 }), true],
    ['RTMP remote feed', remoteLaunch({ kind: 'rtmp', url: 'rtmp://far/live/x' }), true],
    [
      'SRT stream out',
      streamLaunch({ kind: 'srt', url: 'srt://far:9000', latencyMs: 120, passphraseFile: '/p' }, 5000)!.launch,
      false,
    ],
    ['RTMP stream out (tsdemux)', streamLaunch({ kind: 'rtmp', url: 'rtmp://far/live/x' }, 5000)!.launch, true],
  ])('%s → %s', (_name, launch, expected) => {
    expect(needsRebuildAfterOutage(launch)).toBe(expected);
  });

  it('does not take a word inside a property or a location for an element', () => {
    expect(needsRebuildAfterOutage('filesrc location=/media/decodebin-notes.txt ! fakesink')).toBe(false);
    expect(needsRebuildAfterOutage('videotestsrc name=rtspsrc-like ! fakesink')).toBe(false);
  });
});

describe('StallClock: silence as heard by a worker whose event loop may be late', () => {
  const CHECK_MS = 250;

  it('counts silence while the checks come on time', () => {
    const clock = new StallClock(CHECK_MS, 0);
    let silent = 0;
    for (let now = CHECK_MS; now <= 4000; now += CHECK_MS) silent = clock.silentFor(now);
    expect(silent).toBe(4000);
  });

  it('starts over at every beat', () => {
    const clock = new StallClock(CHECK_MS, 0);
    clock.silentFor(250);
    clock.silentFor(500);
    clock.beat(600);
    expect(clock.silentFor(750)).toBe(150);
  });

  it('does not count the time the loop was held up as silence', () => {
    const clock = new StallClock(CHECK_MS, 0);
    expect(clock.silentFor(250)).toBe(250);
    // The loop was blocked for 5 s: the check that should have run at 500 runs at 5250.
    expect(clock.silentFor(5250)).toBe(500);
    expect(clock.silentFor(5500)).toBe(750);
  });

  it('still finds a real stall while the loop is uniformly slow', () => {
    const clock = new StallClock(CHECK_MS, 0);
    let silent = 0;
    let now = 0;
    // Every check 250 ms late: half of the wall time is counted, so 3 s of silence take 6 s to notice.
    while (silent <= 3000 && now < 60_000) {
      now += 2 * CHECK_MS;
      silent = clock.silentFor(now);
    }
    expect(silent).toBeGreaterThan(3000);
    expect(now).toBeLessThanOrEqual(6500);
  });
});
