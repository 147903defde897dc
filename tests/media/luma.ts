import { execFile } from 'node:child_process';
import type { EventBus } from '../../kiosk/core/event-bus.js';

/** A part of the picture, in fractions of its width and height. */
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The middle of the top-right picture-in-picture at the plan fixture's 0.3 scale: the remote side's picture. */
export const remotePicture: Region = { x: 0.74, y: 0.08, w: 0.18, h: 0.18 };

/** Mean luma (0–255) of a JPEG, or of a region of it, decoded by ffmpeg to a small grey image. */
export function meanLuma(jpeg: Uint8Array, region?: Region): Promise<number> {
  const crop = region ? `crop=iw*${region.w}:ih*${region.h}:iw*${region.x}:ih*${region.y},` : '';
  return new Promise((resolve, reject) => {
    const child = execFile(
      'ffmpeg',
      [
        '-v',
        'error',
        '-f',
        'image2pipe',
        '-i',
        'pipe:0',
        '-vf',
        `${crop}scale=32:24`,
        '-f',
        'rawvideo',
        '-pix_fmt',
        'gray',
        'pipe:1',
      ],
      { encoding: 'buffer', maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error) return reject(error);
        const pixels = stdout as Buffer;
        if (pixels.length === 0) return reject(new Error('ffmpeg decoded no pixels'));
        resolve(pixels.reduce((sum, value) => sum + value, 0) / pixels.length);
      },
    );
    child.stdin!.end(Buffer.from(jpeg));
  });
}

/** Resolves with the time of the first program preview (JPEG) whose mean luma passes `test`. */
export function previewWhere(
  bus: EventBus,
  test: (luma: number) => boolean,
  timeoutMs: number,
  what: string,
  region?: Region,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let busy = false;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const off = bus.on('mediaPreview', (jpeg) => {
      const at = Date.now();
      if (busy) return;
      busy = true;
      void meanLuma(jpeg, region).then(
        (luma) => {
          busy = false;
          if (!test(luma)) return;
          clearTimeout(timer);
          off();
          resolve(at);
        },
        () => (busy = false),
      );
    });
  });
}
