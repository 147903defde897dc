import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvents } from '../../kiosk/core/event-bus.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import { RtmpServer } from '../support/rtmp-server.js';
import { ffprobe, killAndWait, quietLogger, requireBuiltWorker, testBus } from './helpers.js';
import { waitFor } from '../support/wait.js';
import { previewWhere, remotePicture } from './luma.js';
import { smallPlan } from './plan-fixture.js';

// Real GStreamer against a real RTMP server (nginx + libnginx-mod-rtmp) on loopback.
let dir: string | undefined;
let media: MediaService | undefined;
let server: RtmpServer | undefined;
const children: ChildProcess[] = [];

beforeAll(() => {
  requireBuiltWorker();
});

afterEach(async () => {
  await media?.stop();
  media = undefined;
  for (const child of children.splice(0)) await killAndWait(child);
  await server?.stop();
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The chairing site publishing to the RTMP server: white video and a tone, as FLV (H.264 + AAC). */
function publishWhite(url: string): ChildProcess {
  return spawn(
    'gst-launch-1.0',
    [
      '-q',
      'videotestsrc',
      'is-live=true',
      'pattern=white',
      '!',
      'video/x-raw,width=320,height=240,framerate=15/1',
      '!',
      'x264enc',
      'tune=zerolatency',
      'speed-preset=ultrafast',
      'key-int-max=15',
      'bitrate=300',
      '!',
      'h264parse',
      '!',
      'queue',
      '!',
      'mux.',
      'audiotestsrc',
      'is-live=true',
      'wave=sine',
      '!',
      'audioconvert',
      '!',
      'audioresample',
      '!',
      'avenc_aac',
      '!',
      'aacparse',
      '!',
      'queue',
      '!',
      'mux.',
      'flvmux',
      'name=mux',
      'streamable=true',
      '!',
      'rtmpsink',
      `location=${url} live=1`,
    ],
    { stdio: 'ignore' },
  );
}

describe('RTMP against nginx-rtmp', () => {
  // About 20 s: our stream goes out to the server and is read back by an independent player.
  it('streams the program out over RTMP: a player reading the server gets H.264 video and AAC sound', async () => {
    dir = await mkdtemp(join(tmpdir(), 'diemcau-rtmp-'));
    server = new RtmpServer();
    await server.start();
    const bus = testBus();
    const states: AppEvents['mediaStreamState'][0][] = [];
    bus.on('mediaStreamState', (state) => states.push(state));
    media = new MediaService({
      plan: smallPlan({ remote: { kind: 'none' }, stream: { kind: 'rtmp', url: server.url('phong-tcd') } }),
      bus,
      logger: quietLogger(),
      workerLogLevel: 'silent',
    });
    await media.start();
    // The room goes out to the chairing site while it records (a session), as with SRT.
    await media.startRecording({ recordingId: 'r-rtmp-out', dir: join(dir, 'rec'), startIndex: 0 });
    await waitFor('the RTMP stream to report live', () => states.some((s) => s.state === 'live'), 30_000);
    const copy = join(dir, 'played.flv');
    const player = spawn(
      'ffmpeg',
      ['-v', 'error', '-rw_timeout', '10000000', '-i', server.url('phong-tcd'), '-t', '3', '-c', 'copy', '-y', copy],
      { stdio: 'ignore' },
    );
    children.push(player);
    const code = await new Promise<number | null>((resolve) => player.once('exit', resolve));
    expect(code).toBe(0);
    const probe = await ffprobe(copy);
    expect(probe.streams.sort()).toEqual(['audio', 'video']);
    expect(probe.formatDuration ?? 0).toBeGreaterThan(2);
    expect((await media.stopRecording()).clean).toBe(true);
    expect(states.at(-1)?.state).toBe('off');
  }, 90_000);

  it('takes the chairing site from an RTMP server as the remote feed: its picture is in the program', async () => {
    server = new RtmpServer();
    await server.start();
    children.push(publishWhite(server.url('chu-tri')));
    const bus = testBus();
    media = new MediaService({
      plan: smallPlan({ remote: { kind: 'rtmp', url: server.url('chu-tri') } }),
      bus,
      logger: quietLogger(),
      workerLogLevel: 'silent',
      restartBackoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
    });
    await media.start();
    dir = await mkdtemp(join(tmpdir(), 'diemcau-rtmp-'));
    await media.startRecording({ recordingId: 'r-rtmp-remote', dir: join(dir, 'rec'), startIndex: 0 });
    const segments: unknown[] = [];
    bus.on('segmentClosed', (segment) => segments.push(segment));
    await previewWhere(
      bus,
      (luma) => luma > 170,
      40_000,
      'the white RTMP remote picture in the program',
      remotePicture,
    );
    // A segment with the remote picture in it is on disk before the recording stops.
    await waitFor('a segment to close', () => segments.length >= 1, 20_000);
    expect((await media.stopRecording()).clean).toBe(true);
  }, 90_000);
});
