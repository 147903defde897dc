/**
 * gst-launch descriptions for the readiness probes, built from the room's device config. Pure
 * strings (tested as such); run by gst-probe.ts. They may hold a camera URL with credentials:
 * never log them.
 */
import type { SpeakerConfig } from '../../hal/audio/config.js';
import type { AudioSource } from '../../hal/audio/types.js';
import type { CameraSource } from '../../hal/camera/types.js';

/** Size of the grey frames the camera check looks at: small, yet enough to see motion. */
export const PROBE_FRAME = { width: 64, height: 36 } as const;

const quote = (value: string) => `"${value.replace(/(["\\])/g, '\\$1')}"`;

/** A live camera source ending in raw video, limited to `buffers` frames; undefined when this probe cannot bound it. */
export function cameraSource(source: CameraSource, buffers: number): string | undefined {
  const caps = `width=${source.width},height=${source.height},framerate=${source.fps}/1`;
  switch (source.driver) {
    case 'sim':
      return `videotestsrc is-live=true num-buffers=${buffers} pattern=${source.pattern} ! video/x-raw,${caps}`;
    case 'v4l2':
      return source.format === 'mjpeg'
        ? `v4l2src device=${quote(source.device)} num-buffers=${buffers} ! image/jpeg,${caps} ! jpegdec`
        : `v4l2src device=${quote(source.device)} num-buffers=${buffers} ! video/x-raw,${caps}`;
    case 'rtsp':
      // rtspsrc cannot stop itself after N frames; the media engine's own frame check covers RTSP cameras.
      return undefined;
  }
}

/** A live microphone source ending in raw audio, 10 buffers a second, limited to `buffers`. */
export function audioSource(source: AudioSource, buffers: number): string {
  const caps = `audio/x-raw,rate=${source.sampleRate},channels=${source.channels}`;
  switch (source.driver) {
    case 'sim':
      return `audiotestsrc is-live=true num-buffers=${buffers} samplesperbuffer=${source.sampleRate / 10} freq=${source.toneHz} volume=0.5 ! ${caps}`;
    case 'alsa':
      return `alsasrc device=${quote(source.device)} latency-time=100000 num-buffers=${buffers} ! ${caps}`;
    case 'pulse':
      return `pulsesrc${source.device ? ` device=${quote(source.device)}` : ''} latency-time=100000 num-buffers=${buffers} ! ${caps}`;
  }
}

/** Grey frames of PROBE_FRAME size on stdout. */
export function frameCaptureLaunch(camera: string): string {
  return `${camera} ! videoconvert ! videoscale ! video/x-raw,format=GRAY8,width=${PROBE_FRAME.width},height=${PROBE_FRAME.height} ! fdsink fd=1`;
}

/** Level messages every 100 ms (printed by `gst-launch-1.0 -m`). */
export function levelLaunch(microphone: string): string {
  return `${microphone} ! audioconvert ! level interval=100000000 post-messages=true ! fakesink sync=false`;
}

/**
 * gst-launch-1.0 re-quotes any argument holding a space, so a description must be passed as one
 * argument per token. Splits on spaces outside double quotes; quotes stay in their token.
 */
export function launchArgs(description: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < description.length; i++) {
    const char = description[i]!;
    if (char === '\\' && quoted && i + 1 < description.length) {
      current += char + description[++i]!;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ' ' && !quoted) {
      if (current) tokens.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current) tokens.push(current);
  return tokens;
}

/** The test tone of the loopback check: 1 kHz, where room noise is low and small speakers are loud. */
export const LOOPBACK_TONE_HZ = 1000;

export function speakerSink(speaker: SpeakerConfig): string {
  switch (speaker.driver) {
    case 'alsa':
      return `alsasink device=${quote(speaker.device)}`;
    case 'pulse':
      return `pulsesink${speaker.device ? ` device=${quote(speaker.device)}` : ''}`;
  }
}

/** The microphone through a band-pass around the test tone, level every 100 ms. */
export function toneBandLaunch(microphone: string): string {
  return `${microphone} ! audioconvert ! audiochebband mode=band-pass lower-frequency=${LOOPBACK_TONE_HZ * 0.9} upper-frequency=${LOOPBACK_TONE_HZ * 1.1} poles=4 ! level interval=100000000 post-messages=true ! fakesink sync=false`;
}

/** The tone on the speaker while the microphone listens in its band, in one pipeline so both run together. */
export function loopbackLaunch(speaker: SpeakerConfig, microphone: string, seconds: number): string {
  const buffers = Math.ceil(((seconds + 1) * 44_100) / 1024);
  return `audiotestsrc is-live=true freq=${LOOPBACK_TONE_HZ} volume=0.3 num-buffers=${buffers} ! audioconvert ! audioresample ! ${speakerSink(speaker)} ${toneBandLaunch(microphone)}`;
}
