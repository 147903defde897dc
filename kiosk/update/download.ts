import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Fetches `url` into `path`, refusing more than `maxBytes`; a partial file is removed. */
export async function download(url: string, path: string, maxBytes: number, timeoutMs = 30 * 60_000): Promise<number> {
  const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > maxBytes ? new Error(`${url} is larger than ${maxBytes} bytes`) : null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      limit,
      createWriteStream(path, { mode: 0o640 }),
    );
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return bytes;
}
