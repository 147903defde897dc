import type { Devices } from '../../../hal/registry.js';
import { runTool } from '../child.js';
import type { TestRecorder } from '../ports.js';
import { assessRecording, ffprobeArgs } from '../recording-probe.js';
import type { ReadinessCheck } from '../types.js';
import { none, outcome } from './common.js';
import { describeError } from '../../../hal/core/describe-error.js';

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
      if (down.length > 0)
        return outcome(
          'fail',
          none,
          'Không ghi thử được: camera hoặc micrô không hoạt động. Kiểm tra dây cắm và nguồn, rồi thử lại.',
          `No test recording: ${down.join(', ')} not working.`,
        );
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
            `Bản ghi thử ${options.seconds} giây bị thiếu hình hoặc hỏng, không xem lại đầy đủ được: hãy gọi kỹ thuật viên.`,
            `The ${options.seconds}-second test recording does not decode: ${assessment.problem}.`,
          );
        if (!recording.clean)
          return outcome(
            'warn',
            measured,
            `Bản ghi thử giải mã được nhưng bộ ghi không kết thúc tệp đúng hạn.`,
            `The test recording decodes, but the recorder did not finalize its file in time.`,
          );
        return outcome(
          'pass',
          measured,
          `Ghi thử ${options.seconds} giây bằng chính bộ ghi của buổi tiếp thành công: ${assessment.videoFrames} khung hình, ${assessment.audioFrames} khung âm thanh giải mã được.`,
          `The ${options.seconds}-second test recording, made by the session's own recorder, decodes: ${assessment.videoFrames} video and ${assessment.audioFrames} audio frames.`,
        );
      } catch (error) {
        return outcome(
          'fail',
          none,
          'Không ghi thử được: hãy gọi kỹ thuật viên.',
          `The test recording failed: ${describeError(error)}`,
        );
      } finally {
        await discard?.();
      }
    },
  };
}
