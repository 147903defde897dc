import { remoteSize } from '../../kiosk/media/pipelines/capture.js';
import { pipPosition } from '../../kiosk/media/pipelines/program.js';
import type { MediaPlan } from '../../kiosk/media/plan.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** RTP over UDP as rtspsrc takes it, with rtspsrc's default receive buffer (512 KiB). */
const rtspOptions = ['-buffer_size', '524288'];

/** The camera as ffmpeg reads it: the MJPEG frames played live, or the IP camera's RTSP stream. */
function cameraInput(camera: MediaPlan['camera']): string[] {
  switch (camera.kind) {
    case 'jpeg-files':
      return [
        '-re',
        '-f',
        'image2',
        '-loop',
        '1',
        '-framerate',
        String(camera.fps),
        '-start_number',
        '0',
        '-i',
        camera.location,
      ];
    case 'rtsp':
      return [...rtspOptions, '-i', camera.url];
    default:
      throw new Error(`the ffmpeg contender has no input for a ${camera.kind} camera`);
  }
}

/**
 * ffmpeg doing the worker's job on the same input: the camera decoded, the remote RTSP feed (when the
 * plan has one) decoded, scaled and laid over it where the worker puts its picture-in-picture and its
 * sound mixed with the microphone's, date-time and caption burned in on shaded boxes, one libx264
 * encode with the worker's settings, the sound as AAC with levels measured, teed to segmented Matroska
 * and MPEG-TS over UDP, plus a low-rate JPEG preview.
 */
export function ffmpegArgs(
  plan: MediaPlan,
  options: { location: string; udpPort: number; previewPath: string; caption: string },
): string[] {
  const { video } = plan;
  const fontSize = Math.max(8, Math.round(video.height / 40));
  const box = `fontfile=${FONT}:fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=black@0.5`;
  const previewHeight = Math.round((plan.preview.width * video.height) / video.width / 2) * 2;
  const remote = plan.remote.kind === 'rtsp' ? plan.remote : undefined;
  if (plan.remote.kind !== 'none' && !remote)
    throw new Error(`the ffmpeg contender has no input for a ${plan.remote.kind} remote`);
  const pip = remote && pipPosition(plan);
  // Inputs: 0 the camera, 1 the microphone's tone, 2 the remote feed.
  const size = remoteSize(plan);
  // Each RTSP stream's times start where its sender's clock was: from zero, as the worker's running time, so the overlay and the mix line them up.
  const fromZero = plan.camera.kind === 'rtsp' ? 'setpts=PTS-STARTPTS' : 'null';
  const picture = pip
    ? `[2:v]setpts=PTS-STARTPTS,scale=${size.width}:${size.height}[pip];[0:v]${fromZero}[camera];[camera][pip]overlay=x=${pip.x}:y=${pip.y}:eof_action=repeat,`
    : `[0:v]${fromZero},`;
  // The bench's caption is plain text: no quote, colon or percent for drawtext to interpret.
  const burnedIn = `${picture}drawtext=${box}:x=10:y=10:text='%{localtime\\:%d/%m/%Y %H\\\\\\:%M\\\\\\:%S}',drawtext=${box}:x=10:y=h-th-10:text='${options.caption}',split=2[program][forPreview]`;
  const preview = `[forPreview]fps=${plan.preview.fps},scale=${plan.preview.width}:${previewHeight}[preview]`;
  const toMix = 'aformat=sample_fmts=s16:sample_rates=48000:channel_layouts=stereo';
  const levels = `astats=metadata=1:reset=${Math.max(1, Math.round(48000 / plan.levelsPerSecond / 1024))}[sound]`;
  const sound = remote
    ? `[1:a]volume=0.3,${toMix}[mic];[2:a]asetpts=PTS-STARTPTS,${toMix}[far];[mic][far]amix=inputs=2:normalize=0,${toMix},${levels}`
    : `[1:a]volume=0.3,${toMix},${levels}`;
  const graph = [burnedIn, preview, sound].join(';');
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostats',
    ...cameraInput(plan.camera),
    '-re',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${plan.mic.kind === 'test' ? plan.mic.toneHz : 440}:sample_rate=48000`,
    ...(remote ? [...rtspOptions, '-i', remote.url] : []),
    '-filter_complex',
    graph,
    '-map',
    '[program]',
    '-map',
    '[sound]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-b:v',
    `${video.bitrateKbps}k`,
    '-g',
    String(Math.round(video.fps * video.keyframeSeconds)),
    // Matroska needs the SPS/PPS in its header; tee cannot take them from the stream.
    '-flags',
    '+global_header',
    '-c:a',
    'aac',
    '-b:a',
    `${plan.audioBitrateKbps}k`,
    '-f',
    'tee',
    `[f=segment:segment_time=${plan.recording.segmentSeconds}:segment_format=matroska]${options.location}|[f=mpegts]udp://127.0.0.1:${options.udpPort}`,
    '-map',
    '[preview]',
    '-c:v',
    'mjpeg',
    '-q:v',
    '5',
    '-f',
    'image2',
    '-update',
    '1',
    options.previewPath,
  ];
}
