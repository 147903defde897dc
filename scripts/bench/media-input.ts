import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Two seconds of moving picture: long enough that the encoder never sees a still, short enough to cache. */
export const CAMERA_FRAMES = 60;

export interface CameraInput {
  /** multifilesrc / image2 pattern, index from 000. */
  location: string;
  width: number;
  height: number;
  fps: number;
}

/**
 * The MJPEG stream every contender reads: numbered JPEG frames as a USB camera sends them, made once
 * with ffmpeg and cached. testsrc2 moves everywhere and the temporal noise stands in for a sensor's,
 * so the encoder does real work on every macroblock; quality 4 is a typical UVC camera's JPEG.
 */
export async function cameraInput(cacheDir: string, width = 1920, height = 1080, fps = 30): Promise<CameraInput> {
  const dir = join(cacheDir, `mjpeg-${width}x${height}p${fps}`);
  const location = join(dir, 'frame-%03d.jpg');
  const have = await readdir(dir).catch(() => [] as string[]);
  if (have.filter((f) => f.endsWith('.jpg')).length === CAMERA_FRAMES) return { location, width, height, fps };
  // Written aside and renamed, so an interrupted run never leaves a short sequence that looks complete.
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=${fps},noise=alls=8:allf=t`,
    '-frames:v',
    String(CAMERA_FRAMES),
    '-q:v',
    '4',
    '-start_number',
    '0',
    '-f',
    'image2',
    join(partial, 'frame-%03d.jpg'),
  ]);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  return { location, width, height, fps };
}
