import { statfs } from 'node:fs/promises';
import type { DeviceConfig } from '../../config/schema.js';

export type DiskConfig = DeviceConfig['evidence']['disk'];
export type DiskLevel = 'ok' | 'warn' | 'critical';

export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
}

export interface DiskStatus extends DiskSpace {
  path: string;
  level: DiskLevel;
  freePercent: number;
}

/** Space available to the daemon's (unprivileged) user on the filesystem holding `path`. */
export async function readDiskSpace(path: string): Promise<DiskSpace> {
  const s = await statfs(path);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

/** Warn well before full: by share of the disk, and never later than the reserve. */
export function diskLevel(space: DiskSpace, config: DiskConfig): DiskLevel {
  const percent = freePercent(space);
  if (percent < config.criticalFreePercent || space.freeBytes < config.reserveBytes) return 'critical';
  if (percent < config.warnFreePercent) return 'warn';
  return 'ok';
}

export const freePercent = (space: DiskSpace): number => (space.totalBytes === 0 ? 0 : (100 * space.freeBytes) / space.totalBytes);

export interface HoldDecision {
  ok: boolean;
  freeBytes: number;
  /** Free bytes the session needs: its expected size plus what must stay free afterwards. */
  neededBytes: number;
  /** Shown on the console and the kiosk when a start is refused: Vietnamese, then English. */
  message: string;
}

/**
 * Whether a session expected to write `expectedBytes` fits: after it, the disk must still keep the
 * reserve and the critical share free (the database, logs and the OS need room).
 */
export function holdDecision(space: DiskSpace, expectedBytes: number, config: DiskConfig): HoldDecision {
  const mustStayFree = Math.max(config.reserveBytes, Math.ceil((space.totalBytes * config.criticalFreePercent) / 100));
  const neededBytes = Math.max(0, Math.ceil(expectedBytes)) + mustStayFree;
  const ok = space.freeBytes >= neededBytes;
  const gb = (bytes: number) => (bytes / 1e9).toFixed(1);
  const message = ok
    ? `Đủ dung lượng lưu trữ (cần ${gb(neededBytes)} GB, còn trống ${gb(space.freeBytes)} GB). / Enough storage (needs ${gb(neededBytes)} GB, ${gb(space.freeBytes)} GB free).`
    : `Không đủ dung lượng để ghi hình buổi tiếp: cần ${gb(neededBytes)} GB, chỉ còn trống ${gb(space.freeBytes)} GB. Hãy sao lưu (xuất) và xoá bản ghi cũ trước khi bắt đầu. / Not enough storage to record this session: it needs ${gb(neededBytes)} GB, only ${gb(space.freeBytes)} GB is free. Export and remove old recordings before starting.`;
  return { ok, freeBytes: space.freeBytes, neededBytes, message };
}
