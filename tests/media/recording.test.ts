import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentInfo } from '../../kiosk/media/types.js';
import { sha256File } from '../../kiosk/core/hashing.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import {
  ffprobe,
  freeTcpPort,
  killAndWait,
  nextEvent,
  quietLogger,
  requireBuiltWorker,
  sleep,
  startTcpCamera,
  testBus,
} from './helpers.js';
import { smallPlan } from './plan-fixture.js';
import type { MediaPlan } from '../../kiosk/media/plan.js';
import { waitFor } from '../support/wait.js';

// Real GStreamer in a real forked worker. Every test records a few seconds of 320x240 video.
let dir: string;
let media: MediaService | undefined;
let camera: ChildProcess | undefined;

beforeAll(() => {
  requireBuiltWorker();
});

afterEach(async () => {
  await media?.stop();
  media = undefined;
  await killAndWait(camera);
  camera = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function startMedia(plan: MediaPlan) {
  dir = await mkdtemp(join(tmpdir(), 'diemcau-media-'));
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
  return { bus, segments, media };
}

async function recordedFiles(): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => f.endsWith('.mkv'))
    .sort()
    .map((f) => join(dir, f));
}

describe('recording with real GStreamer', () => {
  it('records a few seconds: segments rotate, each has audio and video, durations add up, hashes match', async () => {
    const { segments } = await startMedia(smallPlan());
    // The recording spans at least the time between start's answer and the stop call, and at most the time
    // from the start call to stop's answer: bounds that hold however loaded the machine is.
    const askedToStart = Date.now();
    await media!.startRecording({ recordingId: 'r-basic', dir, sessionLabel: 'S-1', startIndex: 0 });
    const started = Date.now();
    await sleep(5000);
    // The encoder's output as measured while it runs: frames and bytes counted after the encoder.
    const live = media!.health().encode;
    const shortest = (Date.now() - started) / 1000;
    const result = await media!.stopRecording({ deadlineMs: 10_000 });
    const longest = (Date.now() - askedToStart) / 1000;
    expect(live?.fps).toBeGreaterThan(0);
    expect(live!.fps).toBeLessThanOrEqual(15 * 1.5);
    expect(live!.bitrateKbps).toBeGreaterThan(0);
    expect(media!.health().encode).toBeUndefined();
    expect(result).toMatchObject({ clean: true, timedOut: false });

    const files = await recordedFiles();
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(segments.map((s) => s.path).sort()).toEqual(files);
    expect(segments.map((s) => s.index).sort()).toEqual(files.map((_, i) => i));
    let total = 0;
    let frames = 0;
    for (const segment of segments) {
      const probe = await ffprobe(segment.path);
      expect(probe.streams.sort()).toEqual(['audio', 'video']);
      total += probe.formatDuration ?? 0;
      frames += probe.videoFrames;
      expect((await sha256File(segment.path)).sha256).toBe(segment.sha256);
      expect(Math.abs(segment.durationSeconds - (probe.formatDuration ?? 0))).toBeLessThan(0.5);
    }
    expect(total).toBeGreaterThanOrEqual(shortest - 0.5);
    expect(total).toBeLessThanOrEqual(longest + 0.1);
    // Every frame the meter counted is in the files, and no other.
    const final = media!.encodeFigures()!;
    expect(final.frames).toBe(frames);
    expect(Number.isInteger(final.droppedFrames) && final.droppedFrames >= 0 && final.droppedFrames < frames).toBe(
      true,
    );
  });

  // Needs about 25 s quiet, more on a loaded machine: the camera dies mid-recording and comes back after capture retries.
  it('a camera that dies mid-recording: slate + event, the recording covers the whole span, capture returns', async () => {
    const port = await freeTcpPort();
    camera = startTcpCamera(port);
    const { bus, segments } = await startMedia(
      smallPlan({ camera: { kind: 'tcp-gdp', host: '127.0.0.1', port }, remote: { kind: 'none' } }),
    );
    // The server needs a moment to listen; the capture retries until it does.
    const askedToStart = Date.now();
    await media!.startRecording({ recordingId: 'r-loss', dir, startIndex: 0 });
    const started = Date.now();
    await waitFor(
      'camera up',
      () => media!.health().sources.camera === 'ok' || media!.health().sources.camera === undefined,
      10_000,
      100,
    );
    await sleep(1500);
    const lost = nextEvent(bus, 'mediaSourceLost', (e) => e.source === 'camera');
    await killAndWait(camera);
    expect((await lost)[0].source).toBe('camera');
    await sleep(2500);
    const restored = nextEvent(bus, 'mediaSourceRestored', (e) => e.source === 'camera', 25_000);
    camera = startTcpCamera(port);
    const [{ downSeconds }] = await restored;
    expect(downSeconds).toBeGreaterThan(1);
    await sleep(1500);
    const shortest = (Date.now() - started) / 1000;
    expect((await media!.stopRecording()).clean).toBe(true);
    const longest = (Date.now() - askedToStart) / 1000;

    let total = 0;
    for (const file of await recordedFiles()) {
      const probe = await ffprobe(file);
      expect(probe.streams.sort()).toEqual(['audio', 'video']);
      total += probe.formatDuration ?? 0;
    }
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(total).toBeGreaterThanOrEqual(shortest - 0.5);
    expect(total).toBeLessThanOrEqual(longest + 0.1);
  }, 60_000);

  // About 12 s: SIGKILL of the worker mid-recording.
  it('SIGKILL of the worker: written segments stay playable, ≤ about 1 s lost, the worker is restarted and the recording resumes', async () => {
    const { bus, segments } = await startMedia(smallPlan({ remote: { kind: 'none' } }));
    await media!.startRecording({ recordingId: 'r-kill', dir, startIndex: 0 });
    await sleep(3300);
    const firstPid = media!.workerPid!;
    const resumed = nextEvent(bus, 'recordingStateChanged', (c) => c.state === 'resumed');
    const gap = nextEvent(bus, 'recordingGap');
    const openBefore = await recordedFiles();
    process.kill(firstPid, 'SIGKILL');
    const killedAt = Date.now();
    await resumed;
    const [{ seconds }] = await gap;
    expect(seconds).toBeGreaterThan(0);
    expect(media!.workerPid).not.toBe(firstPid);
    expect(media!.health()).toMatchObject({ worker: 'running', restarts: 1 });
    await sleep(2500);
    expect((await media!.stopRecording()).clean).toBe(true);

    // The segment open at the kill was reported (recovered) by the new worker, hashes and all.
    const orphan = openBefore.at(-1)!;
    const orphanInfo = segments.find((s) => s.path === orphan);
    expect(orphanInfo).toBeDefined();
    expect((await sha256File(orphan)).sha256).toBe(orphanInfo!.sha256);
    const files = await recordedFiles();
    expect(files.length).toBeGreaterThan(openBefore.length);
    for (const file of files) {
      const probe = await ffprobe(file);
      expect(probe.streams).toContain('video');
      expect(probe.videoSeconds).toBeGreaterThan(0);
    }
    // Loss = what the orphan should hold (opened → killed) minus what it decodes to.
    const orphanProbe = await ffprobe(orphan);
    const shouldHold = (killedAt - Date.parse(orphanInfo!.startedAt)) / 1000;
    expect(orphanProbe.videoSeconds).toBeGreaterThan(0.5);
    expect(shouldHold - orphanProbe.videoSeconds).toBeLessThanOrEqual(1.2);
    // Indexes continue after the orphan.
    expect(segments.map((s) => s.index).sort((a, b) => a - b)).toEqual(files.map((_, i) => i));
  });
});
