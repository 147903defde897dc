import type { MediaPlan } from '../../kiosk/media/plan.js';
import type { CameraInput } from './media-input.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/**
 * ffmpeg doing the worker's job on the same input: the MJPEG camera decoded, date-time and caption
 * burned in on shaded boxes, one libx264 encode with the worker's settings, the tone as AAC with
 * levels measured, teed to segmented Matroska and MPEG-TS over UDP, plus a low-rate JPEG preview.
 */
export function ffmpegArgs(
  plan: MediaPlan,
  input: CameraInput,
  options: { location: string; udpPort: number; previewPath: string; caption: string },
): string[] {
  const { video } = plan;
  const fontSize = Math.max(8, Math.round(video.height / 40));
  const box = `fontfile=${FONT}:fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=black@0.5`;
  const previewHeight = Math.round((plan.preview.width * video.height) / video.width / 2) * 2;
  // The bench's caption is plain text: no quote, colon or percent for drawtext to interpret.
  const burnedIn = `[0:v]drawtext=${box}:x=10:y=10:text='%{localtime\\:%d/%m/%Y %H\\\\\\:%M\\\\\\:%S}',drawtext=${box}:x=10:y=h-th-10:text='${options.caption}',split=2[program][forPreview]`;
  const preview = `[forPreview]fps=${plan.preview.fps},scale=${plan.preview.width}:${previewHeight}[preview]`;
  const sound = `[1:a]volume=0.3,aformat=sample_fmts=s16:sample_rates=48000:channel_layouts=stereo,astats=metadata=1:reset=${Math.max(1, Math.round(48000 / plan.levelsPerSecond / 1024))}[sound]`;
  const graph = [burnedIn, preview, sound].join(';');
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostats',
    '-re',
    '-f',
    'image2',
    '-loop',
    '1',
    '-framerate',
    String(input.fps),
    '-start_number',
    '0',
    '-i',
    input.location,
    '-re',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${plan.mic.kind === 'test' ? plan.mic.toneHz : 440}:sample_rate=48000`,
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
