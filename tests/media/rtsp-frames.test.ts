import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { RtspTestServer } from '../../hal/camera/rtsp/test-server.js';
import { CAMERA_FRAMES, cameraInput, h264Input } from '../../scripts/bench/media-input.js';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);
let dir: string | undefined;
let server: RtspTestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

// The bench's IP camera: cached H.264 access units looped by GStreamer's RTSP server, read by ffprobe.
describe('RTSP test server playing cached H.264 frames', () => {
  it('sends every frame with its own time, one frame apart, on across the loop', async () => {
    dir = await mkdtemp(join(tmpdir(), 'diemcau-rtsp-frames-'));
    const fps = 15;
    const frames = await h264Input(await cameraInput(dir, 160, 120, fps), {
      width: 160,
      height: 120,
      bitrateKbps: 200,
    });
    server = new RtspTestServer({
      port: await freePort(),
      mounts: [{ path: '/camera', width: 160, height: 120, fps, h264Frames: frames.location }],
    });
    await server.start();
    const packets = CAMERA_FRAMES + 15;
    const read = packets + 5;
    const { stdout } = await run('ffprobe', [
      ...['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v'],
      ...['-show_entries', 'packet=pts_time,flags', '-read_intervals', `%+#${read}`, '-of', 'json'],
      server.url('/camera'),
    ]);
    const rows = (JSON.parse(stdout) as { packets: Array<{ pts_time?: string; flags: string }> }).packets
      // ffprobe gives the first packet, before the RTCP that maps RTP times, no time.
      .filter((p) => p.pts_time !== undefined && p.pts_time !== 'N/A')
      .map((p) => ({ time: Number(p.pts_time), key: p.flags.includes('K') }));
    // ffprobe's depacketizer hands a keyframe's parameter sets over as a packet of their own, at the frame's time.
    const times = [...new Set(rows.map((r) => r.time))].slice(0, packets);
    expect(times.length).toBe(packets);
    const steps = times.slice(1).map((t, i) => t - times[i]!);
    for (const step of steps) expect(step).toBeCloseTo(1 / fps, 3);
    // A keyframe opens the stream and every loop: the first file is one.
    const keyAt = (time: number) => rows.some((r) => r.key && Math.abs(r.time - time) < 0.5 / fps);
    expect(keyAt(times[0]!)).toBe(true);
    expect(keyAt(times[CAMERA_FRAMES]!)).toBe(true);
  });
});
