import { statfs } from 'node:fs/promises';

export type DiskLevel = 'ok' | 'low' | 'critical';

/** Below the configured minimum: warn; below a quarter of it: finalize now, before a write fails. */
export function diskLevel(freeBytes: number, minFreeBytes: number): DiskLevel {
  if (freeBytes < minFreeBytes / 4) return 'critical';
  if (freeBytes < minFreeBytes) return 'low';
  return 'ok';
}

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}
