import type { MediaPlan } from '../../kiosk/media/plan.js';

/** A small, cheap plan: 320x240 at 15 fps keeps real-GStreamer tests light on a shared 2-core machine. */
export function smallPlan(overrides: Partial<MediaPlan> = {}): MediaPlan {
  return {
    roomName: 'Phòng tiếp công dân',
    camera: { kind: 'test', pattern: 'ball', width: 320, height: 240, fps: 15 },
    mic: { kind: 'test', toneHz: 440, channels: 1, sampleRate: 48000 },
    remote: { kind: 'test' },
    encoder: 'x264',
    video: { width: 320, height: 240, fps: 15, bitrateKbps: 300, keyframeSeconds: 1 },
    audioBitrateKbps: 64,
    layout: { pictureInPicture: 'top-right', scale: 0.3 },
    recording: { segmentSeconds: 2, container: 'matroska', minFreeMegabytes: 0 },
    stream: { kind: 'none' },
    preview: { fps: 2, width: 160 },
    levelsPerSecond: 5,
    ...overrides,
  };
}
