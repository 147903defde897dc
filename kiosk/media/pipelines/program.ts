import type { EncoderName, MediaPlan } from '../plan.js';
import { AUDIO_CHANNELS, AUDIO_RATE, remoteSize } from './capture.js';
import { channels, elements } from './channels.js';
import { encoderFragment, ImpossiblePlanError } from './encoder.js';
import { branches, escapeMarkup, even, fraction, nanoseconds, quote, rawVideoCaps } from './launch.js';

/** What varies per recording rather than per room. */
export interface ProgramOptions {
  encoder: EncoderName;
  /** splitmuxsink pattern, e.g. /data/recordings/r1/r1-%05d.mkv. */
  location: string;
  /** Shown burned-in beside the room name; the session service passes its session id. */
  sessionLabel: string;
  /** Local UDP port of the hop to the stream pipeline (SRT/RTMP); unused for none/udp targets. */
  streamHopPort?: number;
}

export const NO_SIGNAL_TEXT = 'MẤT TÍN HIỆU / NO SIGNAL';
/** intervideosrc shows black after this long without a frame; the slate text goes over it. */
const SOURCE_TIMEOUT_SECONDS = 0.5;
const PIP_MARGIN = 16;

/** The burned-in caption: room, then session. */
export function captionText(roomName: string, sessionLabel: string): string {
  return escapeMarkup(sessionLabel ? `${roomName} · ${sessionLabel}` : roomName);
}

/** Checks a plan against what a pipeline can do before anything is built, with messages a technician can act on. */
export function validatePlan(plan: MediaPlan, options: Pick<ProgramOptions, 'location' | 'streamHopPort'>): void {
  if (plan.video.width % 2 !== 0 || plan.video.height % 2 !== 0)
    throw new ImpossiblePlanError(
      `media.video: ${plan.video.width}x${plan.video.height} must have even width and height for H.264`,
    );
  if (plan.video.keyframeSeconds * plan.video.fps < 1)
    throw new ImpossiblePlanError(
      `media.video.keyframeSeconds ${plan.video.keyframeSeconds} is shorter than one frame at ${plan.video.fps} fps`,
    );
  if (plan.recording.segmentSeconds < plan.video.keyframeSeconds)
    throw new ImpossiblePlanError(
      `media.recording.segmentSeconds ${plan.recording.segmentSeconds} is shorter than the keyframe interval ${plan.video.keyframeSeconds}s: segments could not be cut`,
    );
  if (plan.preview.width > plan.video.width)
    throw new ImpossiblePlanError(
      `media.preview.width ${plan.preview.width} is wider than the program (${plan.video.width})`,
    );
  if (!/%0?\d*d/.test(options.location))
    throw new ImpossiblePlanError(`recording location ${options.location} needs a %05d index`);
  if ((plan.stream.kind === 'srt' || plan.stream.kind === 'rtmp') && options.streamHopPort === undefined)
    throw new ImpossiblePlanError(`media.stream ${plan.stream.kind} needs a local hop port`);
}

/** Top-left corner of the picture-in-picture for a layout. */
export function pipPosition(plan: MediaPlan): { x: number; y: number } | undefined {
  const { width, height } = remoteSize(plan);
  const right = plan.video.width - width - PIP_MARGIN;
  const bottom = plan.video.height - height - PIP_MARGIN;
  switch (plan.layout.pictureInPicture) {
    case 'off':
      return undefined;
    case 'top-left':
      return { x: PIP_MARGIN, y: PIP_MARGIN };
    case 'top-right':
      return { x: right, y: PIP_MARGIN };
    case 'bottom-left':
      return { x: PIP_MARGIN, y: bottom };
    case 'bottom-right':
      return { x: right, y: bottom };
  }
}

/**
 * Text drawn at the pixel size asked for. textoverlay's default auto-resize scales the font by the
 * frame's width over 640 and blends that enlarged text on every frame: at 1080p three times the size
 * meant and, measured, 0.15 cpu-s/s for clock + caption, against 0.03 at the size meant.
 */
const TEXT_AT_SIZE = 'auto-resize=false shaded-background=true';

const slate = (name: string, fontSize: number) =>
  `textoverlay name=${name} text=${quote(NO_SIGNAL_TEXT)} silent=true valignment=center halignment=center font-desc="Sans Bold ${fontSize}" ${TEXT_AT_SIZE}`;

/**
 * The program: local camera with the remote picture-in-picture, both sides' sound mixed, date-time,
 * room and session burned in; encoded once and teed to the recorder, the outgoing stream and the
 * preview. Sources arrive over inter channels, so a dead source shows a slate instead of stopping this.
 */
export function programLaunch(plan: MediaPlan, options: ProgramOptions): string {
  validatePlan(plan, options);
  const { width, height, fps } = plan.video;
  const fontSize = Math.max(8, Math.round(height / 40));
  const pip = plan.remote.kind === 'none' ? undefined : pipPosition(plan);
  const remote = remoteSize(plan);
  const timeout = `timeout=${nanoseconds(SOURCE_TIMEOUT_SECONDS)}`;
  const camera = `intervideosrc channel=${channels.camera} ${timeout} ! ${rawVideoCaps(width, height, fps)} ! ${slate(elements.cameraSlate, fontSize * 3)}`;
  const overlay =
    `clockoverlay time-format="%d/%m/%Y %H:%M:%S" halignment=left valignment=top font-desc="Sans ${fontSize}" ${TEXT_AT_SIZE}` +
    ` ! textoverlay name=${elements.caption} text=${quote(captionText(plan.roomName, options.sessionLabel))} halignment=left valignment=bottom font-desc="Sans ${fontSize}" ${TEXT_AT_SIZE}`;

  const video = pip
    ? branches(
        `${camera} ! queue max-size-buffers=3 ! mix-video.sink_0`,
        `intervideosrc channel=${channels.remoteVideo} ${timeout} ! ${rawVideoCaps(remote.width, remote.height, fps)} ! ${slate(elements.remoteSlate, fontSize)} ! queue max-size-buffers=3 ! mix-video.sink_1`,
        // One frame of upstream latency: with none, the live compositor's first two frames both carried
        // time 0 and the recorder lost the second one (measured: every recording began one frame short).
        `compositor name=mix-video background=black min-upstream-latency=${nanoseconds(1 / fps)} sink_0::zorder=0 sink_1::zorder=1 sink_1::xpos=${pip.x} sink_1::ypos=${pip.y} ! ${rawVideoCaps(width, height, fps)} ! ${overlay} ! tee name=program-video`,
      )
    : `${camera} ! ${overlay} ! tee name=program-video`;

  const mixCaps = `audio/x-raw,format=S16LE,rate=${AUDIO_RATE},channels=${AUDIO_CHANNELS},layout=interleaved`;
  const hasRemoteAudio = plan.remote.kind !== 'none';
  const audio = branches(
    `interaudiosrc channel=${channels.mic} ! ${mixCaps} ! queue ! mix-audio.`,
    hasRemoteAudio && `interaudiosrc channel=${channels.remoteAudio} ! ${mixCaps} ! queue ! mix-audio.`,
    `audiomixer name=mix-audio ! ${mixCaps} ! level name=${elements.levels} interval=${nanoseconds(1 / plan.levelsPerSecond)} post-messages=true` +
      ` ! audioconvert ! avenc_aac bitrate=${plan.audioBitrateKbps * 1000} ! aacparse ! tee name=program-audio`,
  );

  // One encode in Annex B; each branch's h264parse converts to what its muxer takes (Matroska wants avc).
  const encoded = `program-video. ! queue max-size-buffers=3 ! ${encoderFragment(options.encoder, plan)} ! identity name=${elements.encodeMeter} silent=true ! h264parse config-interval=-1 ! video/x-h264,stream-format=byte-stream,alignment=au ! tee name=program-h264`;

  const muxer = plan.recording.container === 'matroska' ? 'matroskamux' : 'mpegtsmux';
  // async-finalize lets the muxer and sink take properties; an unbuffered filesink leaves nothing in user space on a crash.
  const recorder = branches(
    `splitmuxsink name=${elements.recorder} async-finalize=true muxer-factory=${muxer} sink-factory=filesink sink-properties="properties,buffer-size=(uint)4096" ` +
      `max-size-time=${nanoseconds(plan.recording.segmentSeconds)} send-keyframe-requests=true location=${quote(options.location)}`,
    `program-h264. ! queue ! h264parse ! ${elements.recorder}.video`,
    `program-audio. ! queue ! ${elements.recorder}.audio_0`,
  );

  const preview = previewBranch(plan);
  const stream = streamBranch(plan, options.streamHopPort);
  return branches(video, audio, encoded, recorder, preview, stream);
}

/** Low-rate JPEG for the kiosk and console; a leaky queue so a slow reader never holds the program back. */
function previewBranch(plan: MediaPlan): string {
  const width = even(plan.preview.width);
  const height = even((plan.preview.width * plan.video.height) / plan.video.width);
  return (
    `program-video. ! queue leaky=downstream max-size-buffers=1 ! videorate drop-only=true ! videoscale ! video/x-raw,width=${width},height=${height},framerate=${fraction(plan.preview.fps)} ` +
    `! jpegenc quality=70 ! appsink name=${elements.preview} max-buffers=1 drop=true sync=false`
  );
}

/**
 * The outgoing stream leaves the program as MPEG-TS over UDP: straight to the target for `udp`, or to a
 * local hop read by the stream pipeline, so a network failure there can never stall the recorder.
 */
function streamBranch(plan: MediaPlan, hopPort: number | undefined): string | undefined {
  if (plan.stream.kind === 'none') return undefined;
  const [host, port] = plan.stream.kind === 'udp' ? [plan.stream.host, plan.stream.port] : ['127.0.0.1', hopPort];
  return branches(
    `mpegtsmux name=stream-mux alignment=7 ! udpsink host=${quote(host)} port=${port} sync=false async=false`,
    `program-h264. ! queue leaky=downstream max-size-time=${nanoseconds(1)} max-size-buffers=0 max-size-bytes=0 ! h264parse ! stream-mux.`,
    `program-audio. ! queue leaky=downstream max-size-time=${nanoseconds(1)} max-size-buffers=0 max-size-bytes=0 ! stream-mux.`,
  );
}
