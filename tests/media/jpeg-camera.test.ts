import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MediaService } from '../../kiosk/media/media-service.js';
import { ffprobe, quietLogger, requireBuiltWorker, sleep, testBus } from './helpers.js';
import { previewWhere } from './luma.js';
import { smallPlan } from './plan-fixture.js';

const run = promisify(execFile);
let dir: string;
let media: MediaService | undefined;

beforeAll(() => {
  requireBuiltWorker();
});

afterEach(async () => {
  await media?.stop();
  media = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a camera played from JPEG frames (jpeg-files)', () => {
  it('loops one second of white frames live: the program keeps showing them, no source loss, seconds recorded', async () => {
    dir = await mkdtemp(join(tmpdir(), 'diemcau-jpeg-camera-'));
    const frames = join(dir, 'frames');
    await mkdir(frames);
    // One second at 15 fps: a recording of several seconds only stays white if the frames loop.
    await run('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=white:size=320x240:rate=15',
      '-frames:v',
      '15',
      '-q:v',
      '4',
      '-start_number',
      '0',
      join(frames, 'f-%03d.jpg'),
    ]);
    const bus = testBus();
    const lost: string[] = [];
    bus.on('mediaSourceLost', ({ source, reason }) => lost.push(`${source}: ${reason}`));
    media = new MediaService({
      plan: smallPlan({
        camera: { kind: 'jpeg-files', location: join(frames, 'f-%03d.jpg'), width: 320, height: 240, fps: 15 },
        remote: { kind: 'none' },
      }),
      bus,
      logger: quietLogger(),
      workerLogLevel: 'silent',
      restartBackoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
    });
    await media.start();
    await media.startRecording({ recordingId: 'r-jpeg', dir, sessionLabel: 'S-1', startIndex: 0 });
    const started = Date.now();
    await previewWhere(bus, (luma) => luma > 170, 20_000, 'the white camera frames in the program');
    // Well past the end of the sequence: a source that stopped would be black under the slate by now.
    await sleep(Math.max(0, 2500 - (Date.now() - started)));
    await previewWhere(bus, (luma) => luma > 170, 10_000, 'the white frames still there after they have looped');
    await media.stopRecording({ deadlineMs: 10_000 });
    expect(lost).toEqual([]);
    let seconds = 0;
    for (const f of (await readdir(dir)).filter((name) => name.endsWith('.mkv')))
      seconds += (await ffprobe(join(dir, f))).videoSeconds;
    expect(seconds).toBeGreaterThan(2);
  });
});
