import type { SegmentInfo } from './types.js';

export type MediaSourceRole = 'camera' | 'mic' | 'remote';

/** Why a recording stopped: asked for, the disk about to fill, or the program pipeline failed. */
export type RecordingStopCause = 'requested' | 'disk-full' | 'failure';

/** What the media engine publishes on the app bus, merged into its event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /**
     * recording → (interrupted → resumed)* → stopped. `clean` is false when the stop deadline passed;
     * `cause` says whether the stop was asked for or the worker stopped by itself (disk full, failure).
     */
    recordingStateChanged: [
      change: {
        recordingId: string;
        state: 'recording' | 'interrupted' | 'resumed' | 'stopped';
        at: string;
        clean?: boolean;
        cause?: RecordingStopCause;
        detail?: string;
      },
    ];
    /** A span of a recording that was not recorded (the media worker died and was restarted). */
    recordingGap: [gap: { recordingId: string; from: string; to: string; seconds: number; cause: string }];
    /** A capture source stopped delivering: the program shows a "no signal" slate (or silence) and keeps recording. */
    mediaSourceLost: [event: { source: MediaSourceRole; reason: string }];
    mediaSourceRestored: [event: { source: MediaSourceRole; downSeconds: number }];
    /** The outgoing stream to the chairing site. */
    mediaStreamState: [event: { state: 'off' | 'connecting' | 'live' | 'retrying'; detail?: string }];
    /** Peak and RMS of the program's mixed sound per channel, in dBFS, a few times a second. */
    audioLevels: [levels: { peakDb: number[]; rmsDb: number[] }];
    /** A low-rate JPEG of the program for the kiosk and console. */
    mediaPreview: [jpeg: Uint8Array];
    /** Worker death, pipeline errors, disk nearly full. */
    mediaError: [error: { code: string; message: string }];
    /** The media engine closed (finalized) a recording segment; the evidence store catalogues it at once. */
    segmentClosed: [segment: SegmentInfo];
  }
}
