import { open, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** fsync a file or a folder (a rename is durable only once its folder is synced). */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Write to a hidden temporary name, fsync, rename over the target, fsync the folder. */
export async function writeFileAtomic(path: string, data: Buffer | string, mode = 0o640): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  await writeFile(temporary, data, { mode });
  await fsyncPath(temporary);
  await rename(temporary, path);
  await fsyncPath(dirname(path));
}
