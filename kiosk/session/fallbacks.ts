/**
 * Stand-ins the composition root uses while a service the sessions depend on is not wired in.
 * Each one is explicit about what it does not do; none of them pretends.
 */
import type { Logger } from '../core/logger.js';
import { freeBytes } from '../readiness/checks/system.js';
import type { AuditPort, RecorderPort, StoragePort } from './ports.js';

/** Without a media engine nothing is recorded: said loudly at every start. */
export function recorderUnavailable(logger: Logger): RecorderPort {
  return {
    async startRecording(request) {
      logger.error({ recordingId: request.recordingId }, 'no media engine is wired: this session is NOT being recorded');
    },
    async stopRecording() {},
  };
}

/** Plain free-space test on the recordings disk, until the evidence store answers. */
export function freeSpaceStorage(recordingsDir: string): StoragePort {
  return {
    async canHoldSession(expectedBytes) {
      const free = await freeBytes(recordingsDir);
      const gb = (bytes: number) => (bytes / 1e9).toFixed(1);
      return free >= expectedBytes
        ? { ok: true, message: `Đủ dung lượng (${gb(free)} GB trống). / Enough space (${gb(free)} GB free).` }
        : { ok: false, message: `Không đủ dung lượng đĩa: cần ${gb(expectedBytes)} GB, còn ${gb(free)} GB. / Not enough disk space: ${gb(expectedBytes)} GB needed, ${gb(free)} GB free.` };
    },
  };
}

/** No audit log, no confidential read: every attempt is refused. */
export const auditUnavailable: AuditPort = {
  async record() {
    throw new Error('the audit log is not available; confidential identities cannot be read');
  },
};
