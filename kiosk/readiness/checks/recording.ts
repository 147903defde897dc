import type { Devices } from '../../../hal/registry.js';
import { runTool } from '../child.js';
import type { TestRecorder } from '../ports.js';
import { assessRecording, ffprobeArgs } from '../recording-probe.js';
import type { ReadinessCheck } from '../types.js';
import { none, outcome } from './common.js';
import { describeError } from '../../../hal/core/describe-error.js';
import { readinessText as say } from '../../messages/readiness.js';

/**
 * A short recording made by the room's recorder with the session's own program pipeline, every
 * segment decoded end to end with ffprobe, then deleted (it is not evidence).
 */
export function testRecordingCheck(
  devices: () => Devices,
  recorder: TestRecorder,
  options: { seconds: number; fps: number; ffprobe?: string },
): ReadinessCheck {
  return {
    id: 'test-recording',
    timeoutMs: options.seconds * 1000 + 45_000,
    uses: ['camera', 'microphone'],
    async run(_target, signal) {
      const { camera, audio } = devices();
      const down = [camera, audio].filter((device) => device && device.status !== 'ok').map((device) => device!.id);
      if (down.length > 0) return outcome('fail', none, say('testRecordingDevicesDown', { devices: down.join(', ') }));
      let discard: (() => Promise<void>) | undefined;
      try {
        const recording = await recorder.testRecording(options.seconds, signal);
        discard = recording.discard;
        const probes: string[] = [];
        for (const file of recording.files)
          probes.push(
            (
              await runTool(options.ffprobe ?? 'ffprobe', ffprobeArgs(file), { timeoutMs: 20_000, signal })
            ).stdout.toString(),
          );
        const assessment = assessRecording(probes, { seconds: options.seconds, fps: options.fps });
        const measured = { value: assessment.durationSeconds, unit: 's' };
        if (!assessment.decodes)
          return outcome(
            'fail',
            measured,
            say('testRecordingBroken', { seconds: options.seconds, problem: String(assessment.problem) }),
          );
        if (!recording.clean) return outcome('warn', measured, say('testRecordingUnclean'));
        return outcome(
          'pass',
          measured,
          say('testRecordingGood', {
            seconds: options.seconds,
            videoFrames: assessment.videoFrames,
            audioFrames: assessment.audioFrames,
          }),
        );
      } catch (error) {
        return outcome('fail', none, say('testRecordingFailed', { error: describeError(error) }));
      } finally {
        await discard?.();
      }
    },
  };
}
