import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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

/** An IP camera's stream: numbered H.264 access units (a keyframe first) that the RTSP test server loops live. */
export interface H264Input {
  /** multifilesrc pattern, index from 000. */
  location: string;
  width: number;
  height: number;
  fps: number;
}

/**
 * The same frames as H.264, as an IP camera sends them: High profile, no B-frames, a keyframe a
 * second, made once from the MJPEG frames (scaled when a smaller picture is asked) and cached. The
 * server only packetizes them, so serving costs next to nothing beside the contenders.
 */
export async function h264Input(
  camera: CameraInput,
  options: { width: number; height: number; bitrateKbps: number },
): Promise<H264Input> {
  const { width, height, bitrateKbps } = options;
  const { fps } = camera;
  const dir = join(dirname(dirname(camera.location)), `h264-${width}x${height}p${fps}-${bitrateKbps}k`);
  const location = join(dir, 'au-%03d.h264');
  const have = await readdir(dir).catch(() => [] as string[]);
  if (have.filter((f) => f.endsWith('.h264')).length === CAMERA_FRAMES) return { location, width, height, fps };
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  // gst-launch-1.0 joins its arguments into one description: one token an argument, no quoting needed for these paths.
  await run('gst-launch-1.0', [
    '-q',
    'multifilesrc',
    `location=${camera.location}`,
    `stop-index=${CAMERA_FRAMES - 1}`,
    `caps=image/jpeg,width=${camera.width},height=${camera.height},framerate=${fps}/1`,
    '!',
    'jpegdec',
    '!',
    'videoconvert',
    '!',
    'videoscale',
    '!',
    `video/x-raw,format=I420,width=${width},height=${height}`,
    '!',
    'x264enc',
    'speed-preset=veryfast',
    'tune=zerolatency',
    `bitrate=${bitrateKbps}`,
    `key-int-max=${fps}`,
    '!',
    'video/x-h264,profile=high',
    '!',
    'h264parse',
    'config-interval=-1',
    '!',
    'video/x-h264,stream-format=byte-stream,alignment=au',
    '!',
    'multifilesink',
    `location=${join(partial, 'au-%03d.h264')}`,
  ]);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  return { location, width, height, fps };
}
