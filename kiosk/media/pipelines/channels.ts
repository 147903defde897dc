/**
 * inter* channel names: capture pipelines publish on them, the program subscribes. They are
 * process-wide, and the worker is the only process using them.
 */
export const channels = {
  camera: 'dc-camera',
  mic: 'dc-mic',
  remoteVideo: 'dc-remote-video',
  remoteAudio: 'dc-remote-audio',
} as const;

/** Capture pipelines by role; each is retried on its own when it fails. */
export type SourceRole = 'camera' | 'mic' | 'remote';

/** The element that posts one `progress` bus message a second while media flows: the source's heartbeat. */
export const HEARTBEAT = 'heartbeat';
export const HEARTBEAT_SECONDS = 1;

/** Program element names the worker looks up with findChild. */
export const elements = {
  recorder: 'recorder',
  caption: 'caption',
  cameraSlate: 'camera-slate',
  remoteSlate: 'remote-slate',
  levels: 'levels',
  /** An identity after the encoder: its `stats` count encoded frames and bytes (encode-meter.ts). */
  encodeMeter: 'encode-meter',
  preview: 'preview',
  streamOut: 'stream-out',
  remoteIn: 'remote-in',
  /** The IP camera's rtspsrc, whose password is set from its file. */
  cameraIn: 'camera-in',
} as const;
