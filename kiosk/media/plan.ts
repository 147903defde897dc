import { z } from 'zod';
import type { DeviceConfig } from '../../config/schema.js';

/**
 * Everything the media worker needs to build its pipelines, resolved from the device config.
 * It crosses the IPC boundary, so it is plain data validated with zod on both sides.
 * Secrets (SRT passphrases) stay in files: the plan carries only their paths.
 */

const videoFormat = {
  width: z.number().int().min(16).max(3840),
  height: z.number().int().min(16).max(2160),
  fps: z.number().int().min(1).max(60),
};

export const cameraSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('test'), pattern: z.enum(['smpte', 'ball', 'snow']), ...videoFormat }).strict(),
  z
    .object({ kind: z.literal('v4l2'), device: z.string().min(1), format: z.enum(['mjpeg', 'raw']), ...videoFormat })
    .strict(),
  /** An IP camera; its RTSP password stays in `passwordFile`, set on the element before it plays. */
  z
    .object({
      kind: z.literal('rtsp'),
      url: z.string().min(1),
      latencyMs: z.number().int().min(0),
      username: z.string().min(1).optional(),
      passwordFile: z.string().min(1).optional(),
    })
    .strict(),
  /**
   * Numbered JPEG frames (`location` like /data/sim/frame-%03d.jpg, from 000) looped at `fps`: the
   * stream and the decode a USB MJPEG camera gives, for simulation and benches on identical input.
   */
  z
    .object({
      kind: z.literal('jpeg-files'),
      location: z.string().regex(/%0?\d*d/, 'needs a %03d frame index'),
      ...videoFormat,
    })
    .strict(),
  /** Raw video in GDP framing from a TCP server: a killable source for fault-injection tests and benches. */
  z.object({ kind: z.literal('tcp-gdp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict(),
]);
export type CameraSource = z.infer<typeof cameraSourceSchema>;

export const micSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('test'),
      toneHz: z.number().min(20).max(20000),
      channels: z.number().int().min(1).max(8),
      sampleRate: z.number().int(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('alsa'),
      device: z.string().min(1),
      channels: z.number().int().min(1).max(8),
      sampleRate: z.number().int(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('pulse'),
      device: z.string().min(1).optional(),
      channels: z.number().int().min(1).max(8),
      sampleRate: z.number().int(),
    })
    .strict(),
]);
export type MicSource = z.infer<typeof micSourceSchema>;

export const remoteSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('test') }).strict(),
  z
    .object({
      kind: z.literal('srt'),
      url: z.string().min(1),
      passphraseFile: z.string().min(1).optional(),
      latencyMs: z.number().int().min(0),
    })
    .strict(),
  z.object({ kind: z.literal('rtsp'), url: z.string().min(1), latencyMs: z.number().int().min(0) }).strict(),
  z.object({ kind: z.literal('rtmp'), url: z.string().min(1) }).strict(),
]);
export type RemoteSource = z.infer<typeof remoteSourceSchema>;

export const streamTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('srt'),
      url: z.string().min(1),
      passphraseFile: z.string().min(1),
      latencyMs: z.number().int().min(0),
    })
    .strict(),
  z.object({ kind: z.literal('rtmp'), url: z.string().min(1) }).strict(),
  /** MPEG-TS over UDP to a local port: benches and tests stand a receiver there. */
  z.object({ kind: z.literal('udp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict(),
]);
export type StreamTarget = z.infer<typeof streamTargetSchema>;

export const encoderNames = ['x264', 'v4l2h264', 'vaapih264', 'nvv4l2h264'] as const;
export type EncoderName = (typeof encoderNames)[number];

export const mediaPlanSchema = z
  .object({
    roomName: z.string(),
    camera: cameraSourceSchema,
    mic: micSourceSchema,
    remote: remoteSourceSchema,
    encoder: z.enum(['auto', ...encoderNames]),
    video: z
      .object({ ...videoFormat, bitrateKbps: z.number().int().min(50), keyframeSeconds: z.number().min(0.1).max(1) })
      .strict(),
    audioBitrateKbps: z.number().int().min(32),
    layout: z
      .object({
        pictureInPicture: z.enum(['top-left', 'top-right', 'bottom-left', 'bottom-right', 'off']),
        scale: z.number().min(0.1).max(0.5),
      })
      .strict(),
    /** Tests use 1–2 s segments; the device config keeps its own lower bound. */
    recording: z
      .object({
        segmentSeconds: z.number().int().min(1),
        container: z.enum(['matroska', 'mpegts']),
        minFreeMegabytes: z.number().int().min(0),
      })
      .strict(),
    stream: streamTargetSchema,
    preview: z.object({ fps: z.number().min(0.5).max(15), width: z.number().int().min(32) }).strict(),
    levelsPerSecond: z.number().min(1).max(20),
  })
  .strict();
export type MediaPlan = z.infer<typeof mediaPlanSchema>;

/** The plan of a room: camera and microphone from `hal`, everything else from `media`. */
export function planFromConfig(config: DeviceConfig): MediaPlan {
  const { media, hal } = config;
  return {
    roomName: config.room.name,
    camera: cameraFromHal(hal.camera),
    mic: micFromHal(hal.audio),
    remote: remoteFromConfig(media.remote),
    encoder: media.encoder === 'auto' ? 'auto' : media.encoder,
    video: { ...media.video },
    audioBitrateKbps: media.audioBitrateKbps,
    layout: { ...media.layout },
    recording: { ...media.recording },
    stream: streamFromConfig(media.stream),
    preview: { ...media.preview },
    levelsPerSecond: 5,
  };
}

function cameraFromHal(camera: DeviceConfig['hal']['camera']): CameraSource {
  switch (camera.driver) {
    case 'sim':
      return camera.frames
        ? { kind: 'jpeg-files', location: camera.frames, width: camera.width, height: camera.height, fps: camera.fps }
        : { kind: 'test', pattern: camera.pattern, width: camera.width, height: camera.height, fps: camera.fps };
    case 'v4l2':
      return {
        kind: 'v4l2',
        device: camera.device,
        format: camera.format,
        width: camera.width,
        height: camera.height,
        fps: camera.fps,
      };
    case 'rtsp':
      return camera.username && camera.passwordFile
        ? {
            kind: 'rtsp',
            url: camera.url,
            latencyMs: camera.latencyMs,
            username: camera.username,
            passwordFile: camera.passwordFile,
          }
        : { kind: 'rtsp', url: camera.url, latencyMs: camera.latencyMs };
  }
}

function micFromHal(audio: DeviceConfig['hal']['audio']): MicSource {
  const common = { channels: audio.channels, sampleRate: audio.sampleRate };
  switch (audio.driver) {
    case 'sim':
      return { kind: 'test', toneHz: audio.toneHz, ...common };
    case 'alsa':
      return { kind: 'alsa', device: audio.device, ...common };
    case 'pulse':
      return audio.device ? { kind: 'pulse', device: audio.device, ...common } : { kind: 'pulse', ...common };
  }
}

function remoteFromConfig(remote: DeviceConfig['media']['remote']): RemoteSource {
  switch (remote.driver) {
    case 'none':
      return { kind: 'none' };
    case 'test':
      return { kind: 'test' };
    case 'srt':
      return remote.passphraseFile
        ? { kind: 'srt', url: remote.url, passphraseFile: remote.passphraseFile, latencyMs: remote.latencyMs }
        : { kind: 'srt', url: remote.url, latencyMs: remote.latencyMs };
    case 'rtsp':
      return { kind: 'rtsp', url: remote.url, latencyMs: remote.latencyMs };
    case 'rtmp':
      return { kind: 'rtmp', url: remote.url };
  }
}

function streamFromConfig(stream: DeviceConfig['media']['stream']): StreamTarget {
  switch (stream.driver) {
    case 'none':
      return { kind: 'none' };
    case 'srt':
      return { kind: 'srt', url: stream.url, passphraseFile: stream.passphraseFile, latencyMs: stream.latencyMs };
    case 'rtmp':
      return { kind: 'rtmp', url: stream.url };
  }
}
