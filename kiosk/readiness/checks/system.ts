import { parseNtpSynchronized } from '../clock.js';
import { runTool } from '../child.js';
import { JITTER_WARN_MS, LATENCY_WARN_MS, latencyStats } from '../latency.js';
import type { ReadinessCheck } from '../types.js';
import type { Admission } from '../../media/storage-policy.js';
import { none, outcome } from './common.js';
import { describeError } from '../../../hal/core/describe-error.js';
import { gigabytes, gigabytesText } from '../../core/units.js';

/** The recording service's storage admission (the one policy). */
export type StorageAdmit = (expectedBytes: number) => Promise<Admission>;

/**
 * Room for the session's recording, decided by the same storage policy as the session's start
 * (kiosk/recording/storage-policy.ts): a readiness test cannot pass while the start would be refused.
 */
export function diskCheck(admit: StorageAdmit, expectedBytes: (seconds: number) => number): ReadinessCheck {
  return {
    id: 'disk',
    timeoutMs: 5_000,
    async run(target) {
      const need = expectedBytes(target.durationSeconds);
      let decision: Awaited<ReturnType<StorageAdmit>>;
      try {
        decision = await admit(need);
      } catch (error) {
        return outcome(
          'fail',
          none,
          `Không đọc được dung lượng đĩa: ${describeError(error)}`,
          `Cannot read the free disk space: ${describeError(error)}`,
        );
      }
      const measured = { value: gigabytes(decision.freeBytes), unit: 'GB' };
      const vi = {
        free: gigabytesText(decision.freeBytes, 'vi'),
        needed: gigabytesText(decision.neededBytes, 'vi'),
        recording: gigabytesText(need, 'vi'),
      };
      const en = {
        free: gigabytesText(decision.freeBytes, 'en'),
        needed: gigabytesText(decision.neededBytes, 'en'),
        recording: gigabytesText(need, 'en'),
      };
      if (decision.verdict === 'fits')
        return outcome(
          'pass',
          measured,
          `Đĩa còn trống ${vi.free} GB, đủ cho bản ghi dự kiến ${vi.recording} GB và phần dự trữ (cần ${vi.needed} GB).`,
          `${en.free} GB free, enough for the expected ${en.recording} GB recording and the reserve (${en.needed} GB needed).`,
        );
      if (decision.verdict === 'tight')
        return outcome(
          'warn',
          measured,
          `Đĩa còn ${vi.free} GB: đủ ghi buổi tiếp (cần ${vi.needed} GB) nhưng sau đó đĩa sẽ gần đầy; hãy sao lưu và giải phóng bản ghi cũ.`,
          `${en.free} GB free: enough for the session (${en.needed} GB needed), but the disk will be nearly full after it; export and free old recordings.`,
        );
      return outcome(
        'fail',
        measured,
        `Đĩa chỉ còn ${vi.free} GB, không đủ ghi buổi tiếp (cần ${vi.needed} GB): sao lưu rồi xóa bản ghi cũ.`,
        `Only ${en.free} GB free, not enough for the session (${en.needed} GB needed): export then delete old recordings.`,
      );
    },
  };
}

/** Connect time to the chairing site's endpoint, N times in a row: median, jitter, loss. */
export function networkCheck(
  connect: (host: string, port: number, timeoutMs: number) => Promise<number>,
  samples = 5,
  connectTimeoutMs = 2_000,
): ReadinessCheck {
  return {
    id: 'network',
    timeoutMs: samples * connectTimeoutMs + 2_000,
    async run(target, signal) {
      const endpoint = target.endpoint;
      if (!endpoint)
        return outcome(
          'warn',
          none,
          'Lịch chưa có địa chỉ điểm cầu chủ trì: chưa đo được đường truyền.',
          'The schedule has no chairing-site endpoint: the link was not measured.',
        );
      const results: (number | null)[] = [];
      for (let i = 0; i < samples && !signal.aborted; i++) {
        results.push(await connect(endpoint.host, endpoint.port, connectTimeoutMs).catch(() => null));
      }
      const stats = latencyStats(results);
      if (stats.medianMs === null)
        return outcome(
          'fail',
          { value: null, unit: 'ms' },
          `Không kết nối được điểm cầu chủ trì ${endpoint.host}:${endpoint.port}: kiểm tra mạng.`,
          `Cannot reach the chairing site ${endpoint.host}:${endpoint.port}: check the network.`,
        );
      const median = Math.round(stats.medianMs * 10) / 10;
      const jitter = Math.round((stats.jitterMs ?? 0) * 10) / 10;
      const measured = { value: median, unit: 'ms' };
      const figures = {
        vi: `độ trễ ${median} ms, dao động ${jitter} ms, mất ${stats.lossPercent}%`,
        en: `latency ${median} ms, jitter ${jitter} ms, loss ${stats.lossPercent}%`,
      };
      if (stats.lossPercent > 0 || median > LATENCY_WARN_MS || jitter > JITTER_WARN_MS) {
        return outcome(
          'warn',
          measured,
          `Đường truyền tới điểm cầu chủ trì chưa ổn định (${figures.vi}).`,
          `The link to the chairing site is unsteady (${figures.en}).`,
        );
      }
      return outcome(
        'pass',
        measured,
        `Kết nối tốt tới điểm cầu chủ trì (${figures.vi}).`,
        `Good link to the chairing site (${figures.en}).`,
      );
    },
  };
}

/** Whether the clock is NTP-synchronised: `timedatectl show -p NTPSynchronized` output, or undefined when it cannot say. */
export async function readNtpSynchronized(signal?: AbortSignal): Promise<boolean | undefined> {
  try {
    const result = await runTool('timedatectl', ['show', '-p', 'NTPSynchronized'], {
      timeoutMs: 3_000,
      ...(signal ? { signal } : {}),
    });
    return result.code === 0 ? parseNtpSynchronized(result.stdout.toString()) : undefined;
  } catch {
    return undefined;
  }
}

/** Evidence timestamps are only as good as the clock. */
export function clockCheck(
  synchronised: (signal: AbortSignal) => Promise<boolean | undefined> = readNtpSynchronized,
): ReadinessCheck {
  return {
    id: 'clock',
    timeoutMs: 5_000,
    async run(_target, signal) {
      const synced = await synchronised(signal);
      if (synced === true)
        return outcome(
          'pass',
          { value: true },
          'Đồng hồ đã được chỉnh giờ tự động: thời điểm ghi hình chính xác.',
          'The clock is set automatically: recording timestamps are exact.',
        );
      if (synced === false)
        return outcome(
          'fail',
          { value: false },
          'Đồng hồ chưa được chỉnh giờ tự động: giờ ghi trên bản ghi có thể sai. Hãy gọi kỹ thuật viên kiểm tra mạng.',
          'The clock is not NTP-synchronised: recording timestamps may be wrong. Check the network and the time service.',
        );
      return outcome(
        'warn',
        { value: null },
        'Không xác định được đồng hồ đã chỉnh giờ tự động hay chưa: hãy so giờ trên màn hình với đồng hồ thật.',
        'Cannot tell whether the clock is set automatically: compare the time on screen with a real clock.',
      );
    },
  };
}
