import type { CameraSource, MediaPlan, MicSource, RemoteSource } from '../plan.js';
import { channels, HEARTBEAT, HEARTBEAT_SECONDS, elements, type SourceRole } from './channels.js';
import { even, quote, rawVideoCaps } from './launch.js';

/** One capture pipeline: a source, normalised to the program's format, published on inter channels. */
export interface CaptureSpec {
  role: SourceRole;
  launch: string;
  /** A property to set from a file's contents before playing (passphrases never enter the launch string). */
  secret?: { element: string; property: string; file: string };
}

const heartbeat = `progressreport name=${HEARTBEAT} update-freq=${HEARTBEAT_SECONDS} silent=true`;

/** The program's mix format: every audio source is converted to it before the inter channel. */
export const AUDIO_RATE = 48000;
export const AUDIO_CHANNELS = 2;
const audioCaps = `audio/x-raw,format=S16LE,rate=${AUDIO_RATE},channels=${AUDIO_CHANNELS},layout=interleaved`;
const toMix = `audioconvert ! audioresample ! ${audioCaps}`;

/** Picture-in-picture size of the remote side, from the layout. */
export function remoteSize(plan: MediaPlan): { width: number; height: number } {
  return { width: even(plan.video.width * plan.layout.scale), height: even(plan.video.height * plan.layout.scale) };
}

/** Scales, converts and rate-adapts any raw video to exactly the caps the program's intervideosrc expects. */
function normalise(width: number, height: number, fps: number): string {
  return `videoconvert ! videoscale ! videorate ! ${rawVideoCaps(width, height, fps)}`;
}

export function cameraCapture(camera: CameraSource, plan: MediaPlan): CaptureSpec {
  const { width, height, fps } = plan.video;
  const tail = `${normalise(width, height, fps)} ! ${heartbeat} ! intervideosink channel=${channels.camera}`;
  const spec: CaptureSpec = { role: 'camera', launch: `${cameraSource(camera)} ! ${tail}` };
  if (camera.kind === 'rtsp' && camera.passwordFile)
    spec.secret = { element: elements.cameraIn, property: 'user-pw', file: camera.passwordFile };
  return spec;
}

function cameraSource(camera: CameraSource): string {
  switch (camera.kind) {
    case 'test':
      return `videotestsrc is-live=true pattern=${camera.pattern} ! video/x-raw,width=${camera.width},height=${camera.height},framerate=${camera.fps}/1`;
    case 'v4l2':
      return camera.format === 'mjpeg'
        ? `v4l2src device=${quote(camera.device)} ! image/jpeg,width=${camera.width},height=${camera.height},framerate=${camera.fps}/1 ! jpegdec`
        : `v4l2src device=${quote(camera.device)} ! video/x-raw,width=${camera.width},height=${camera.height},framerate=${camera.fps}/1`;
    case 'rtsp':
      // Only the video RTP stream: a camera's own microphone would otherwise be a pad nobody links.
      return `rtspsrc name=${elements.cameraIn} location=${quote(camera.url)} latency=${camera.latencyMs}${camera.username ? ` user-id=${quote(camera.username)}` : ''} ! application/x-rtp,media=video ! decodebin`;
    case 'jpeg-files':
      // The caps' frame rate makes multifilesrc stamp each frame; the sync inter sink then paces them as a camera would.
      return `multifilesrc location=${quote(camera.location)} loop=true caps=${quote(`image/jpeg,width=${camera.width},height=${camera.height},framerate=${camera.fps}/1`)} ! jpegdec`;
    case 'tcp-gdp':
      return `tcpclientsrc host=${quote(camera.host)} port=${camera.port} ! gdpdepay`;
  }
}

export function micCapture(mic: MicSource): CaptureSpec {
  return {
    role: 'mic',
    launch: `${micSource(mic)} ! ${toMix} ! ${heartbeat} ! interaudiosink channel=${channels.mic}`,
  };
}

function micSource(mic: MicSource): string {
  const caps = `audio/x-raw,rate=${mic.sampleRate},channels=${mic.channels}`;
  switch (mic.kind) {
    case 'test':
      return `audiotestsrc is-live=true wave=sine freq=${mic.toneHz} volume=0.3 ! ${caps}`;
    case 'alsa':
      return `alsasrc device=${quote(mic.device)} ! ${caps}`;
    case 'pulse':
      return `${mic.device ? `pulsesrc device=${quote(mic.device)}` : 'pulsesrc'} ! ${caps}`;
  }
}

/** The chairing site's feed: decoded, its picture sized for picture-in-picture, its sound for the mix. */
export function remoteCapture(remote: RemoteSource, plan: MediaPlan): CaptureSpec | undefined {
  const { width, height } = remoteSize(plan);
  const fps = plan.video.fps;
  const video = `${normalise(width, height, fps)} ! ${heartbeat} ! intervideosink channel=${channels.remoteVideo}`;
  const audio = `${toMix} ! interaudiosink channel=${channels.remoteAudio}`;
  // decodebin exposes pads as the stream reveals them; caps on the delayed links route each kind.
  const demuxed = (source: string) =>
    `${source} ! decodebin name=remote-decode\nremote-decode. ! video/x-raw ! queue ! ${video}\nremote-decode. ! audio/x-raw ! queue ! ${audio}`;
  switch (remote.kind) {
    case 'none':
      return undefined;
    case 'test':
      return {
        role: 'remote',
        launch: `videotestsrc is-live=true pattern=smpte ! video/x-raw,width=${width},height=${height},framerate=${fps}/1 ! ${video}\naudiotestsrc is-live=true wave=sine freq=660 volume=0.2 ! ${audio}`,
      };
    case 'srt': {
      const spec: CaptureSpec = {
        role: 'remote',
        launch: demuxed(`srtsrc name=${elements.remoteIn} uri=${quote(remote.url)} latency=${remote.latencyMs}`),
      };
      if (remote.passphraseFile)
        spec.secret = { element: elements.remoteIn, property: 'passphrase', file: remote.passphraseFile };
      return spec;
    }
    case 'rtsp': {
      // One RTP stream per medium, each with its own decoder: a single decodebin takes only the first
      // pad rtspsrc offers, and when that is the sound the picture is never decoded.
      const src = elements.remoteIn;
      return {
        role: 'remote',
        launch: `rtspsrc name=${src} location=${quote(remote.url)} latency=${remote.latencyMs}\n${src}. ! application/x-rtp,media=video ! decodebin ! video/x-raw ! queue ! ${video}\n${src}. ! application/x-rtp,media=audio ! decodebin ! audio/x-raw ! queue ! ${audio}`,
      };
    }
    case 'rtmp':
      // rtmp2src, not librtmp's rtmpsrc: rtmpsrc blocks (or aborts the worker) when set to NULL mid-read,
      // which froze the worker when a recording with an RTMP remote feed stopped.
      return { role: 'remote', launch: demuxed(`rtmp2src name=${elements.remoteIn} location=${quote(remote.url)}`) };
  }
}

/** Every capture pipeline of a plan, camera first. */
export function capturesFor(plan: MediaPlan): CaptureSpec[] {
  const remote = remoteCapture(plan.remote, plan);
  return [cameraCapture(plan.camera, plan), micCapture(plan.mic), ...(remote ? [remote] : [])];
}
