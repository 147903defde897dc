import { describe, expect, it } from 'vitest';
import { pipPosition } from '../../kiosk/media/pipelines/program.js';
import { ffmpegArgs } from '../../scripts/bench/media-ffmpeg.js';
import { smallPlan } from '../media/plan-fixture.js';

const options = { location: '/tmp/ff-%05d.mkv', udpPort: 5000, previewPath: '/tmp/p.jpg', caption: 'Room · S-1' };
const graphOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1]!;

describe('bench: ffmpeg doing the worker job', () => {
  it('MJPEG camera alone: frames played live, no overlay, the tone alone in the mix', () => {
    const args = ffmpegArgs(
      smallPlan({
        camera: { kind: 'jpeg-files', location: '/c/frame-%03d.jpg', width: 320, height: 240, fps: 15 },
        remote: { kind: 'none' },
      }),
      options,
    );
    expect(args.slice(4, 15)).toEqual([
      '-re',
      '-f',
      'image2',
      '-loop',
      '1',
      '-framerate',
      '15',
      '-start_number',
      '0',
      '-i',
      '/c/frame-%03d.jpg',
    ]);
    expect(graphOf(args)).not.toMatch(/overlay|amix|\[2:/);
  });

  it('RTSP camera + RTSP remote: the remote scaled and laid where the worker puts it, both sounds mixed', () => {
    const plan = smallPlan({
      camera: { kind: 'rtsp', url: 'rtsp://127.0.0.1:8554/camera', latencyMs: 200 },
      remote: { kind: 'rtsp', url: 'rtsp://127.0.0.1:8554/remote', latencyMs: 200 },
    });
    const args = ffmpegArgs(plan, options);
    const inputs = args.flatMap((a, i) => (a === '-i' ? [args[i + 1]] : []));
    expect(inputs).toEqual([
      'rtsp://127.0.0.1:8554/camera',
      'sine=frequency=440:sample_rate=48000',
      'rtsp://127.0.0.1:8554/remote',
    ]);
    const { x, y } = pipPosition(plan)!;
    expect(graphOf(args)).toContain(`[2:v]setpts=PTS-STARTPTS,scale=96:72[pip]`);
    expect(graphOf(args)).toContain(`overlay=x=${x}:y=${y}`);
    expect(graphOf(args)).toMatch(/\[mic\]\[far\]amix=inputs=2/);
  });

  it('refuses a remote it cannot read rather than doing less than the worker', () => {
    expect(() => ffmpegArgs(smallPlan({ remote: { kind: 'test' } }), options)).toThrow(/test remote/);
  });
});
