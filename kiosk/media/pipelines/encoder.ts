import type { EncoderName, MediaPlan } from '../plan.js';

/** GStreamer element of each encoder; the probe asks gst-inspect-1.0 for these. */
export const encoderElements: Record<EncoderName, string> = {
  v4l2h264: 'v4l2h264enc',
  vaapih264: 'vaapih264enc',
  nvv4l2h264: 'nvv4l2h264enc',
  x264: 'x264enc',
};

/** Hardware first (the board's own block costs almost no CPU), software x264 last. */
export const encoderPreference: readonly EncoderName[] = ['v4l2h264', 'vaapih264', 'nvv4l2h264', 'x264'];

export class ImpossiblePlanError extends Error {
  override name = 'ImpossiblePlanError';
}

/** Picks the encoder from what the probe found; a named encoder that is missing is an error, not a silent fallback. */
export function chooseEncoder(wanted: MediaPlan['encoder'], available: ReadonlySet<string>): EncoderName {
  if (wanted !== 'auto') {
    if (!available.has(encoderElements[wanted]))
      throw new ImpossiblePlanError(
        `media.encoder is ${wanted} but GStreamer element ${encoderElements[wanted]} is not installed`,
      );
    return wanted;
  }
  const found = encoderPreference.find((name) => available.has(encoderElements[name]));
  if (!found)
    throw new ImpossiblePlanError(
      `no H.264 encoder found: install one of ${encoderPreference.map((n) => encoderElements[n]).join(', ')}`,
    );
  return found;
}

/** Frames between keyframes: a segment can only be cut, and a crash only recovered, at a keyframe. */
export function keyframeInterval(plan: MediaPlan): number {
  return Math.max(1, Math.round(plan.video.fps * plan.video.keyframeSeconds));
}

/** The encoder fragment, from raw video to an H.264 elementary stream. */
export function encoderFragment(encoder: EncoderName, plan: MediaPlan): string {
  const kbps = plan.video.bitrateKbps;
  const gop = keyframeInterval(plan);
  switch (encoder) {
    case 'x264':
      // zerolatency: no lookahead or B-frames, so a crash or a stop loses only what is in flight.
      return `videoconvert ! x264enc name=video-encoder speed-preset=ultrafast tune=zerolatency bitrate=${kbps} key-int-max=${gop}`;
    case 'v4l2h264':
      return `videoconvert ! v4l2h264enc name=video-encoder extra-controls="controls,video_bitrate=${kbps * 1000},h264_i_frame_period=${gop}" ! video/x-h264,level=(string)4`;
    case 'vaapih264':
      return `vaapipostproc ! vaapih264enc name=video-encoder bitrate=${kbps} keyframe-period=${gop}`;
    case 'nvv4l2h264':
      return `nvvidconv ! nvv4l2h264enc name=video-encoder bitrate=${kbps * 1000} iframeinterval=${gop} insert-sps-pps=true`;
  }
}
