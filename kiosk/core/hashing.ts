import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Big reads keep hashing close to `sha256sum` speed; one buffer per call, reused across reads. */
const READ_BUFFER_BYTES = 4 * 1024 * 1024;

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export interface FileDigest {
  sha256: string;
  size: number;
}

/** SHA-256 and size of a file's bytes as they are on disk now. */
export async function sha256File(path: string): Promise<FileDigest> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}
