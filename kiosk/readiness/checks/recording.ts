import { rm } from 'node:fs/promises';
import type { Devices } from '../../../hal/registry.js';
import { runTool } from '../child.js';
import type { MediaProbePort } from '../ports.js';
import { assessRecording, ffprobeArgs } from '../recording-probe.js';
import type { ReadinessCheck } from '../types.js';
import { errorText, none, outcome } from './common.js';

/** A short recording through the camera and microphone, decoded end to end with ffprobe. */
export function testRecordingCheck(devices: () => Devices, media: MediaProbePort, options: { seconds: number; fps: number; scratchDir: string; ffprobe?: string }): ReadinessCheck {
  return {
    id: 'test-recording',
    timeoutMs: options.seconds * 1000 + 30_000,
    uses: ['camera', 'microphone'],
    async run(_target, signal) {
      if (!media.testRecording) {
        const reason = media.unsupported?.testRecording;
        return outcome('unsupported', none, reason?.vi ?? 'Chưa ghi thử được ở đây.', reason?.en ?? 'A test recording cannot be made here.');
      }
      const { camera, audio } = devices();
      const down = [camera, audio].filter((device) => device && device.status !== 'ok').map((device) => device!.id);
      if (down.length > 0) return outcome('fail', none, `Không ghi thử được: thiết bị ${down.join(', ')} không hoạt động.`, `No test recording: ${down.join(', ')} not working.`);
      let path: string | undefined;
      try {
        ({ path } = await media.testRecording(options.seconds, options.scratchDir, signal));
        const probe = await runTool(options.ffprobe ?? 'ffprobe', ffprobeArgs(path), { timeoutMs: 20_000, signal });
        const assessment = assessRecording(probe.stdout.toString(), { seconds: options.seconds, fps: options.fps });
        const measured = { value: assessment.durationSeconds, unit: 's' };
        if (!assessment.decodes) return outcome('fail', measured, `Bản ghi thử ${options.seconds} giây không giải mã được: ${assessment.problem}.`, `The ${options.seconds}-second test recording does not decode: ${assessment.problem}.`);
        return outcome('pass', measured, `Ghi thử ${options.seconds} giây thành công: ${assessment.videoFrames} khung hình, ${assessment.audioFrames} khung âm thanh giải mã được.`, `The ${options.seconds}-second test recording decodes: ${assessment.videoFrames} video and ${assessment.audioFrames} audio frames.`);
      } catch (error) {
        return outcome('fail', none, `Ghi thử thất bại: ${errorText(error)}`, `The test recording failed: ${errorText(error)}`);
      } finally {
        if (path) await rm(path, { force: true });
      }
    },
  };
}
