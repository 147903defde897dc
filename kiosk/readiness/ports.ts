import type { Label } from '../messages/label.js';
import type { AudioLevels } from './levels.js';
import type { FrameAnalysis } from './frames.js';

/**
 * What the readiness checks need from the media engine. Every method is optional: a missing one
 * makes its check `unsupported` with the reason given, never a silent pass.
 */
export interface MediaProbePort {
  /** Analyses a second or so of live frames from the room camera. */
  cameraFrames?(signal: AbortSignal): Promise<FrameAnalysis>;
  /** Measures the microphone for about a second. */
  audioLevels?(signal: AbortSignal): Promise<AudioLevels>;
  /** Plays a tone on the speaker and listens for it on the microphone. */
  loopbackTone?(signal: AbortSignal): Promise<{ detected: boolean; levelDb: number | null }>;
  /** Why a method is absent, for the check's explanation. */
  unsupported?: Partial<Record<'cameraFrames' | 'audioLevels' | 'loopbackTone', Label>>;
}

/**
 * The room's recorder (kiosk/recording): a short recording through the very pipeline that records
 * sessions, so a pass means the session's recording works, not a look-alike.
 */
export interface TestRecorder {
  testRecording(
    seconds: number,
    signal: AbortSignal,
  ): Promise<{ files: string[]; clean: boolean; discard(): Promise<void> }>;
}
