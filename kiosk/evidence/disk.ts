import { statfs } from 'node:fs/promises';
import type { DiskSpace, StorageLevel } from '../media/storage-policy.js';

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

/** What the evidence service publishes about the disk. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** Free space on the recordings disk fell to the warning or critical level (config evidence.disk). */
    diskLow: [status: DiskStatus];
  }
}
