import { statfs } from 'node:fs/promises';

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/**
 * How fast free space is falling, from successive samples: the latest drop rate, or the smoothed
 * one when higher, so one burst (another writer on the disk) counts at once and a pause does not
 * hide a steady writer.
 */
export class FreeSpaceRate {
  #last: { at: number; free: number } | undefined;
  #smoothed = 0;

  sample(free: number, at: number): number {
    const last = this.#last;
    this.#last = { at, free };
    if (!last || at <= last.at) return this.#smoothed;
    const rate = Math.max(0, (last.free - free) / ((at - last.at) / 1000));
    this.#smoothed = this.#smoothed * 0.7 + rate * 0.3;
    return Math.max(rate, this.#smoothed);
  }
}
