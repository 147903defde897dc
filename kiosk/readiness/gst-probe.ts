import type { AudioSource } from '../../hal/audio/types.js';
import type { CameraSource } from '../../hal/camera/types.js';
import { readinessText } from '../messages/readiness.js';
import { runTool } from './child.js';
import { analyseFrames, splitFrames, type FrameAnalysis } from './frames.js';
import { loopbackHeard, median, parseLevelMessages, parseRmsSeries, type AudioLevels } from './levels.js';
import {
  audioSource,
  cameraSource,
  frameCaptureLaunch,
  launchArgs,
  levelLaunch,
  loopbackLaunch,
  PROBE_FRAME,
  toneBandLaunch,
} from './pipelines.js';
import type { MediaProbePort } from './ports.js';

const FRAMES_TO_ANALYSE = 15;
const LEVEL_BUFFERS = 10;

/**
 * Readiness probes run as short `gst-launch-1.0` processes against the configured camera,
 * microphone and speaker, for a room whose media engine does not offer its own probes (e.g. before
 * the session, when nothing else holds the devices).
 */
export class GstProbe implements MediaProbePort {
  readonly unsupported: MediaProbePort['unsupported'];
  readonly loopbackTone?: MediaProbePort['loopbackTone'];

  constructor(
    private readonly camera: CameraSource,
    private readonly microphone: AudioSource,
    private readonly gstLaunch = 'gst-launch-1.0',
  ) {
    const speaker = microphone.speaker;
    if (speaker && microphone.driver !== 'sim') {
      this.loopbackTone = (signal) => this.#loopback(speaker, signal);
      this.unsupported = {};
    } else {
      this.unsupported = {
        loopbackTone: readinessText('loopbackNoSpeaker'),
      };
    }
  }

  /** The room's own noise in the tone's band, then the band while the speaker plays the tone. */
  async #loopback(
    speaker: NonNullable<AudioSource['speaker']>,
    signal: AbortSignal,
  ): Promise<{ detected: boolean; levelDb: number | null }> {
    const listen = (launch: string) =>
      runTool(this.gstLaunch, ['-m', ...launchArgs(launch)], { timeoutMs: 10_000, signal });
    const ambient = median(
      parseRmsSeries((await listen(toneBandLaunch(audioSource(this.microphone, 10)))).stdout.toString()),
    );
    const playing = await listen(loopbackLaunch(speaker, audioSource(this.microphone, 15), 1.5));
    // The first buffers can precede the sound leaving the speaker: the median is robust to them.
    const tone = median(parseRmsSeries(playing.stdout.toString()));
    if (tone === undefined || ambient === undefined)
      throw new Error(`no level reading from the microphone${playing.stderr ? `: ${lastLine(playing.stderr)}` : ''}`);
    return { detected: loopbackHeard(tone, ambient), levelDb: Math.round(tone * 10) / 10 };
  }

  async cameraFrames(signal: AbortSignal): Promise<FrameAnalysis> {
    const source = cameraSource(this.camera, FRAMES_TO_ANALYSE);
    if (!source) throw new Error(`the ${this.camera.driver} camera cannot be probed outside the media engine`);
    const frameBytes = PROBE_FRAME.width * PROBE_FRAME.height;
    const result = await runTool(this.gstLaunch, ['-q', ...launchArgs(frameCaptureLaunch(source))], {
      timeoutMs: 10_000,
      signal,
      enough: (stdout) => stdout.length >= frameBytes * FRAMES_TO_ANALYSE,
    });
    const frames = splitFrames(result.stdout, frameBytes);
    if (frames.length === 0)
      throw new Error(`no frame from the camera${result.stderr ? `: ${lastLine(result.stderr)}` : ''}`);
    return analyseFrames(frames);
  }

  async audioLevels(signal: AbortSignal): Promise<AudioLevels> {
    const result = await runTool(
      this.gstLaunch,
      ['-m', ...launchArgs(levelLaunch(audioSource(this.microphone, LEVEL_BUFFERS)))],
      { timeoutMs: 10_000, signal },
    );
    const levels = parseLevelMessages(result.stdout.toString());
    if (!levels)
      throw new Error(`no level reading from the microphone${result.stderr ? `: ${lastLine(result.stderr)}` : ''}`);
    return levels;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
}
