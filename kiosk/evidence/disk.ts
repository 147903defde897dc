import { statfs } from 'node:fs/promises';
import type { DiskSpace, StorageLevel } from '../recording/storage-policy.js';

export interface DiskStatus extends DiskSpace {
  path: string;
  level: StorageLevel;
  freePercent: number;
}

/** Space available to the daemon's (unprivileged) user on the filesystem holding `path`. */
export async function readDiskSpace(path: string): Promise<DiskSpace> {
  const s = await statfs(path);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}
