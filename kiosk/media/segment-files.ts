import { readdir } from 'node:fs/promises';

const SEGMENT = /-(\d{5,})\.(?:mkv|ts)$/;

/** The index of a segment file from its name (`<recording>-00012.mkv` → 12), or undefined. */
export function segmentIndexFromName(name: string): number | undefined {
  const match = SEGMENT.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The index after every segment already in `names`: a resumed recording never writes over evidence. */
export function nextSegmentIndex(names: readonly string[]): number {
  return names.reduce((next, name) => Math.max(next, (segmentIndexFromName(name) ?? -1) + 1), 0);
}

/** The same, read from a recording folder (missing folder: 0). */
export async function nextSegmentIndexIn(dir: string): Promise<number> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return nextSegmentIndex(names);
}
